// A thin RAII layer over an SQL engine (SQLiteCpp's model): Db owns a
// connection and a cache of prepared statements, Stmt binds and reads
// latih::sync::Value cells, Transaction rolls back unless committed. Every
// engine error becomes a Status. SQLite is implemented here (db.cc);
// PostgreSQL in sync/postgres/. A Db and everything borrowed from it belong
// to one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sync/status.h"
#include "sync/tables.h"

namespace latih::sync::sqlite {

// The SQL engine behind a Db. The Store's SQL is written once where both
// engines accept it and per dialect where they differ (docs/POSTGRES.md).
enum class Dialect { kSqlite, kPostgres };

// A prepared statement. Parameters are written ?1, ?2 ... (or ?) in the SQL
// of every dialect; the PostgreSQL Db rewrites them to $1, $2 ...
class Stmt {
 public:
  virtual ~Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Binds 1-based parameter `i`. Chainable; errors surface at Step().
  Stmt& Bind(int i, const Value& v) { BindValue(i, v); return *this; }
  Stmt& Bind(int i, std::string_view text) { BindText(i, text); return *this; }
  Stmt& Bind(int i, const std::string& text) { return Bind(i, std::string_view(text)); }
  Stmt& Bind(int i, const char* text) { return Bind(i, std::string_view(text)); }
  Stmt& Bind(int i, int64_t v) { BindInt(i, v); return *this; }
  Stmt& BindBlob(int i, std::string_view bytes) { BindBytes(i, bytes); return *this; }
  // Runs one step. Returns true when a row is available, false when done.
  // A constraint failure is kInvalidArgument, a busy database kUnavailable.
  virtual Result<bool> Step() = 0;
  // Steps to completion, ignoring rows.
  Status Run();
  // Resets for reuse and clears bindings.
  virtual void Reset() = 0;

  virtual Value Column(int i) const = 0;  // 0-based
  virtual int64_t ColumnInt(int i) const = 0;
  virtual std::string ColumnText(int i) const = 0;
  virtual std::string_view ColumnBlob(int i) const = 0;  // valid until the next Step/Reset
  virtual std::string_view ColumnView(int i) const = 0;  // text; valid until the next Step/Reset
  virtual bool ColumnIsNull(int i) const = 0;
  virtual int ColumnCount() const = 0;

 protected:
  Stmt() = default;
  virtual void BindValue(int i, const Value& v) = 0;
  virtual void BindText(int i, std::string_view text) = 0;
  virtual void BindInt(int i, int64_t v) = 0;
  virtual void BindBytes(int i, std::string_view bytes) = 0;
};

// A connection to a latih database: an SQLite file (Db::Open) or a
// PostgreSQL database (sync/postgres/pg_db.h, server only).
class Db {
 public:
  enum class Mode { kOpenExisting, kCreate, kReadOnly };

  // Opens the SQLite database at `path`. kOpenExisting fails with kNotFound
  // when the file does not exist; kCreate creates it with owner-only
  // permissions (0600) if missing. Applies the connection settings of every
  // latih database: WAL, synchronous=FULL (a committed write survives power
  // loss), foreign keys on, a busy timeout.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, Mode mode);
  virtual ~Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  virtual Dialect dialect() const = 0;
  // The two-argument maximum: SQLite's max(a, b) is PostgreSQL's greatest(a, b).
  const char* greatest() const { return dialect() == Dialect::kPostgres ? "greatest" : "max"; }
  // " INDEXED BY index" on SQLite (a plan its planner would miss); "" on
  // PostgreSQL, whose planner has the statistics to find it.
  std::string indexed_by(std::string_view index) const {
    return dialect() == Dialect::kSqlite ? " INDEXED BY " + std::string(index) : std::string();
  }
  // Runs one or more statements with no parameters.
  virtual Status Exec(std::string_view sql) = 0;
  // A cached prepared statement, reset and ready to bind. The reference is
  // valid until the Db is destroyed; do not hold two uses of the same SQL at
  // once.
  Result<Stmt*> Prepare(const std::string& sql);
  // A statement owned by the caller (for nested use of the same SQL).
  virtual Result<std::unique_ptr<Stmt>> PrepareOwned(std::string_view sql) = 0;
  // Starts a write transaction that excludes every other writer of the
  // database until it ends, in every process (SQLite: BEGIN IMMEDIATE;
  // PostgreSQL: BEGIN and a transaction-scoped advisory lock, so that feed
  // seqs commit in the order they are issued, sync/PROTOCOL.md §4).
  virtual Status BeginWrite() = 0;
  // Starts a write transaction that excludes only the transactions holding
  // the lock on `key` (LockKey), not every writer. Its commit is not made
  // durable on its own: the next durable commit, later in the log, makes it
  // so (PostgreSQL: synchronous_commit off). SQLite, which has one writer:
  // BEGIN IMMEDIATE, as BeginWrite (durability is the connection's setting).
  virtual Status BeginKeyed(int64_t key) { (void)key; return BeginWrite(); }
  // Inside a write transaction: also takes the lock on `key`, held to the
  // transaction's end, so that a BeginKeyed(key) transaction and this one
  // never overlap. Keys are a lock space of their own, apart from
  // BeginWrite's lock. SQLite: nothing to do (its writers exclude each
  // other already).
  virtual Status LockKey(int64_t key) { (void)key; return Status::Ok(); }
  // Starts a read-only transaction whose statements all see one snapshot
  // (SQLite: BEGIN, PostgreSQL: REPEATABLE READ READ ONLY). Takes no lock.
  virtual Status BeginRead() = 0;

  // SQLite only (no-ops elsewhere). Called after each commit with the WAL's
  // length in frames (pages), on the committing thread; it replaces SQLite's
  // automatic checkpoints on this connection. nullptr: automatic checkpoints
  // again (see Checkpointer).
  virtual void SetWalHook(std::function<void(int wal_frames)>) {}
  // SQLite only: a PASSIVE checkpoint: copies what it can of the WAL into the
  // database without waiting for, or blocking, readers and the writer.
  virtual Status CheckpointPassive() { return Status::Ok(); }

  // Rows changed by the last INSERT, UPDATE or DELETE.
  virtual int64_t Changes() const = 0;
  // The file, or the PostgreSQL URL without its password.
  const std::string& path() const { return path_; }

 protected:
  explicit Db(std::string path) : path_(std::move(path)) {}
  // A statement for the cache of Prepare() (PostgreSQL: a named, server-side
  // prepared one).
  virtual Result<std::unique_ptr<Stmt>> PrepareCached(const std::string& sql) { return PrepareOwned(sql); }
  // Finalizes the cached statements; derived destructors call it before
  // closing the connection.
  void ClearCache() { cache_.clear(); }

 private:
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

// Db::BeginWrite() on construction (takes the write lock up front, so a busy
// database fails here rather than mid-way); ROLLBACK in the destructor unless
// Commit() succeeded.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Db& db);
  // Db::BeginKeyed(key) instead of BeginWrite().
  static Result<std::unique_ptr<Transaction>> BeginKeyed(Db& db, int64_t key);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status Commit();

 private:
  explicit Transaction(Db& db) : db_(db) {}
  Db& db_;
  bool done_ = false;
};

// Db::BeginRead() on construction, ROLLBACK (the end of a read) on destruction.
class ReadTransaction {
 public:
  static Result<std::unique_ptr<ReadTransaction>> Begin(Db& db);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  explicit ReadTransaction(Db& db) : db_(db) {}
  Db& db_;
};

// Maps an SQLite result code to a Status code.
StatusCode SqliteCodeToStatus(int rc);

}  // namespace latih::sync::sqlite
