// A thin RAII layer over the SQLite C API (SQLiteCpp's model): Db owns a
// connection and a cache of prepared statements, Stmt binds and reads
// latih::sync::Value cells, Transaction rolls back unless committed. Every
// SQLite error becomes a Status. A Db and everything borrowed from it belong
// to one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sync/status.h"
#include "sync/tables.h"

struct sqlite3;
struct sqlite3_stmt;

namespace latih::sync::sqlite {

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Binds 1-based parameter `i`. Chainable; errors surface at Step().
  Stmt& Bind(int i, const Value& v);
  Stmt& Bind(int i, std::string_view text);
  Stmt& Bind(int i, const std::string& text) { return Bind(i, std::string_view(text)); }
  Stmt& Bind(int i, const char* text) { return Bind(i, std::string_view(text)); }
  Stmt& Bind(int i, int64_t v);
  Stmt& BindBlob(int i, std::string_view bytes);
  // Runs one step. Returns true when a row is available, false when done.
  // A constraint failure is kInvalidArgument, a busy database kUnavailable.
  Result<bool> Step();
  // Steps to completion, ignoring rows.
  Status Run();
  // Resets for reuse and clears bindings.
  void Reset();

  Value Column(int i) const;  // 0-based
  int64_t ColumnInt(int i) const;
  std::string ColumnText(int i) const;
  std::string_view ColumnBlob(int i) const;  // valid until the next Step/Reset
  std::string_view ColumnView(int i) const;  // text; valid until the next Step/Reset
  bool ColumnIsNull(int i) const;
  int ColumnCount() const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  enum class Mode { kOpenExisting, kCreate, kReadOnly };

  // Opens the database at `path`. kOpenExisting fails with kNotFound when
  // the file does not exist; kCreate creates it with owner-only permissions
  // (0600) if missing. Applies the connection settings of every latih
  // database: WAL, synchronous=FULL (a committed write survives power loss),
  // foreign keys on, a busy timeout.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, Mode mode);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements with no parameters.
  Status Exec(std::string_view sql);
  // A cached prepared statement, reset and ready to bind. The reference is
  // valid until the Db is destroyed; do not hold two uses of the same SQL at
  // once.
  Result<Stmt*> Prepare(const std::string& sql);
  // A statement owned by the caller (for nested use of the same SQL).
  Result<std::unique_ptr<Stmt>> PrepareOwned(std::string_view sql);

  // Called after each commit with the WAL's length in frames (pages), on
  // the committing thread; it replaces SQLite's automatic checkpoints on
  // this connection. nullptr: automatic checkpoints again (see Checkpointer).
  void SetWalHook(std::function<void(int wal_frames)> hook);
  // A PASSIVE checkpoint: copies what it can of the WAL into the database
  // without waiting for, or blocking, readers and the writer.
  Status CheckpointPassive();

  int64_t Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }

  // Converts the connection's last error into a Status with `what` as context.
  Status LastError(std::string_view what) const;

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
  std::function<void(int)> wal_hook_;
};

// BEGIN IMMEDIATE on construction (takes the write lock up front, so a busy
// database fails here rather than mid-way); ROLLBACK in the destructor unless
// Commit() succeeded.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status Commit();

 private:
  explicit Transaction(Db& db) : db_(db) {}
  Db& db_;
  bool done_ = false;
};

// Maps an SQLite result code to a Status code.
StatusCode SqliteCodeToStatus(int rc);

}  // namespace latih::sync::sqlite
