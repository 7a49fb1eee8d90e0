#include "sync/sqlite/db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace latih::sync::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// WAL with synchronous=FULL: a committed transaction has been fsynced.
// A 64 MiB page cache (allocated only as used) keeps bulk imports from
// spilling; temporary sorts stay in memory. Checkpoints every 8,000 pages
// (32 MiB of WAL) instead of 1,000: a pull of many small batches otherwise
// checkpoints (and fsyncs the database) every other batch.
constexpr int kAutoCheckpointPages = 8000;
constexpr const char* kConnectionSettings =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";

int CallWalHook(void* hook, sqlite3*, const char*, int frames) {
  (*static_cast<std::function<void(int)>*>(hook))(frames);
  return SQLITE_OK;
}

Status MakeStatus(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Status(SqliteCodeToStatus(rc), std::move(msg));
}

}  // namespace

StatusCode SqliteCodeToStatus(int rc) {
  switch (rc & 0xff) {
    case SQLITE_OK: case SQLITE_ROW: case SQLITE_DONE: return StatusCode::kOk;
    case SQLITE_BUSY: case SQLITE_LOCKED: return StatusCode::kUnavailable;
    case SQLITE_CONSTRAINT: case SQLITE_MISMATCH: case SQLITE_TOOBIG: case SQLITE_RANGE:
      return StatusCode::kInvalidArgument;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: return StatusCode::kCorruption;
    case SQLITE_CANTOPEN: return StatusCode::kNotFound;
    case SQLITE_READONLY: case SQLITE_PERM: case SQLITE_AUTH: return StatusCode::kPermissionDenied;
    default: return StatusCode::kIOError;
  }
}

namespace {

class SqliteStmt final : public Stmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStmt() override { sqlite3_finalize(stmt_); }

  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Status s = MakeStatus(db_, rc, "sqlite");
    sqlite3_reset(stmt_);
    return s;
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Value Column(int i) const override {
    switch (sqlite3_column_type(stmt_, i)) {
      case SQLITE_INTEGER: return sqlite3_column_int64(stmt_, i);
      case SQLITE_FLOAT: return sqlite3_column_double(stmt_, i);
      case SQLITE_NULL: return std::monostate{};
      default: return ColumnText(i);
    }
  }
  int64_t ColumnInt(int i) const override { return sqlite3_column_int64(stmt_, i); }
  std::string ColumnText(int i) const override { return std::string(ColumnView(i)); }
  std::string_view ColumnBlob(int i) const override {
    const void* p = sqlite3_column_blob(stmt_, i);
    return p ? std::string_view(static_cast<const char*>(p), sqlite3_column_bytes(stmt_, i)) : std::string_view();
  }
  std::string_view ColumnView(int i) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string_view(p, sqlite3_column_bytes(stmt_, i)) : std::string_view();
  }
  bool ColumnIsNull(int i) const override { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  int ColumnCount() const override { return sqlite3_column_count(stmt_); }

 protected:
  void BindValue(int i, const Value& v) override {
    if (auto* n = std::get_if<int64_t>(&v)) {
      sqlite3_bind_int64(stmt_, i, *n);
    } else if (auto* d = std::get_if<double>(&v)) {
      sqlite3_bind_double(stmt_, i, *d);
    } else if (auto* s = std::get_if<std::string>(&v)) {
      BindText(i, *s);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }
  void BindText(int i, std::string_view text) override {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void BindInt(int i, int64_t v) override { sqlite3_bind_int64(stmt_, i, v); }
  void BindBytes(int i, std::string_view bytes) override {
    sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteDb final : public Db {
 public:
  SqliteDb(sqlite3* db, std::string path) : Db(std::move(path)), db_(db) {}
  ~SqliteDb() override {
    ClearCache();  // finalize statements before closing
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status Exec(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return Status::Ok();
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Status(SqliteCodeToStatus(rc), msg);
  }

  Result<std::unique_ptr<Stmt>> PrepareOwned(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return MakeStatus(db_, rc, "prepare");
    return std::unique_ptr<Stmt>(new SqliteStmt(db_, stmt));
  }

  Status BeginWrite() override { return Exec("BEGIN IMMEDIATE"); }
  Status BeginRead() override { return Exec("BEGIN"); }

  void SetWalHook(std::function<void(int wal_frames)> hook) override {
    wal_hook_ = std::move(hook);
    if (wal_hook_) {
      sqlite3_wal_hook(db_, &CallWalHook, &wal_hook_);
    } else {
      sqlite3_wal_autocheckpoint(db_, kAutoCheckpointPages);  // also replaces the hook
    }
  }

  Status CheckpointPassive() override {
    const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return rc == SQLITE_OK ? Status::Ok() : MakeStatus(db_, rc, "checkpoint");
  }

  int64_t Changes() const override { return sqlite3_changes64(db_); }

 private:
  sqlite3* db_;
  std::function<void(int)> wal_hook_;
};

}  // namespace

Status Stmt::Run() {
  while (true) {
    auto r = Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
  }
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, Mode mode) {
  if (mode == Mode::kCreate && path != ":memory:") {
    // Create the file ourselves so that it is owner-only from its first byte;
    // SQLite gives the -wal and -shm files the same permissions.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Status::IOError("cannot create database file " + path);
    ::close(fd);
  }
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Db> db(new SqliteDb(raw, path));
  if (rc != SQLITE_OK) {
    if (rc == SQLITE_CANTOPEN && ::access(path.c_str(), F_OK) != 0) {
      return Status::NotFound("no database at " + path);
    }
    return MakeStatus(raw, rc, "cannot open " + path);
  }
  sqlite3_extended_result_codes(raw, 1);
  // A short-lived CLI process should not checkpoint (and fsync the database
  // file) on every exit; checkpoints happen automatically as the WAL grows.
  sqlite3_db_config(raw, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  if (mode != Mode::kReadOnly) {
    LATIH_RETURN_IF_ERROR(db->Exec(kConnectionSettings).WithContext(path));
    sqlite3_wal_autocheckpoint(raw, kAutoCheckpointPages);
  } else {
    LATIH_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON;").WithContext(path));
  }
  return db;
}

Result<Stmt*> Db::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  LATIH_ASSIGN_OR_RETURN(auto stmt, PrepareCached(sql));
  Stmt* raw = stmt.get();
  cache_.emplace(sql, std::move(stmt));
  return raw;
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(Db& db) {
  LATIH_RETURN_IF_ERROR(db.BeginWrite());
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Result<std::unique_ptr<Transaction>> Transaction::BeginKeyed(Db& db, int64_t key) {
  LATIH_RETURN_IF_ERROR(db.BeginKeyed(key));
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Result<std::unique_ptr<ReadTransaction>> ReadTransaction::Begin(Db& db) {
  LATIH_RETURN_IF_ERROR(db.BeginRead());
  return std::unique_ptr<ReadTransaction>(new ReadTransaction(db));
}

ReadTransaction::~ReadTransaction() { (void)db_.Exec("ROLLBACK"); }

Transaction::~Transaction() {
  if (!done_) (void)db_.Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Status s = db_.Exec("COMMIT");
  if (s.ok()) done_ = true;
  return s;
}

}  // namespace latih::sync::sqlite
