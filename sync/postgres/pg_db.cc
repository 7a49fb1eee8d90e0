#include "sync/postgres/pg_db.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

namespace latih::sync::postgres {
namespace {

using sqlite::Db;
using sqlite::Dialect;
using sqlite::Stmt;

// Type OIDs of pg_type (stable since PostgreSQL 7).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

// The Status code of an SQLSTATE (PostgreSQL manual, appendix A).
StatusCode CodeOf(const char* sqlstate) {
  if (sqlstate == nullptr || std::strlen(sqlstate) != 5) return StatusCode::kUnavailable;  // no server answer
  const std::string_view s(sqlstate);
  const std::string_view cls = s.substr(0, 2);
  if (cls == "22" || cls == "23") return StatusCode::kInvalidArgument;  // data exception, constraint
  if (cls == "08" || cls == "53" || cls == "57" || cls == "40" || s == "55P03") return StatusCode::kUnavailable;
  if (cls == "28") return StatusCode::kUnauthenticated;
  if (s == "42501") return StatusCode::kPermissionDenied;
  if (s == "3D000") return StatusCode::kNotFound;
  return StatusCode::kIOError;
}

// "postgres: <primary message> (<detail>)".
Status ResultStatus(const PGresult* res, PGconn* conn, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  const char* sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary) {
    msg += primary;
    if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
      msg += " (";
      msg += detail;
      msg += ")";
    }
  } else {
    std::string err = PQerrorMessage(conn);
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    msg += err.empty() ? "no answer from the server" : err;
  }
  return Status(CodeOf(sqlstate), std::move(msg));
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact form
  return std::string(buf, end);
}

class PgDb;

class PgStmt final : public Stmt {
 public:
  // `name` empty: an unnamed statement, parsed at each execution.
  PgStmt(PgDb& db, std::string sql, std::string name, int params)
      : db_(db), sql_(std::move(sql)), name_(std::move(name)), params_(params), formats_(params, 0) {}

  Result<bool> Step() override;
  void Reset() override {
    result_.reset();
    row_ = -1;
    for (auto& p : params_) p.reset();
    std::fill(formats_.begin(), formats_.end(), 0);
    decoded_.clear();
  }

  Value Column(int i) const override {
    if (ColumnIsNull(i)) return std::monostate{};
    switch (PQftype(result_.get(), i)) {
      case kBoolOid: case kInt2Oid: case kInt4Oid: case kInt8Oid: return ColumnInt(i);
      case kFloat4Oid: case kFloat8Oid: case kNumericOid: return ParseDouble(ColumnView(i));
      case kByteaOid: return std::string(ColumnBlob(i));
      default: return ColumnText(i);
    }
  }
  int64_t ColumnInt(int i) const override {
    if (ColumnIsNull(i)) return 0;
    const std::string_view v = ColumnView(i);
    switch (PQftype(result_.get(), i)) {
      case kBoolOid: return v == "t" ? 1 : 0;
      case kFloat4Oid: case kFloat8Oid: case kNumericOid: return static_cast<int64_t>(ParseDouble(v));
      default: {
        int64_t n = 0;
        std::from_chars(v.data(), v.data() + v.size(), n);
        return n;
      }
    }
  }
  std::string ColumnText(int i) const override {
    if (PQftype(result_.get(), i) == kByteaOid) return std::string(ColumnBlob(i));
    return std::string(ColumnView(i));
  }
  std::string_view ColumnBlob(int i) const override {
    if (ColumnIsNull(i)) return {};
    if (PQftype(result_.get(), i) != kByteaOid) return ColumnView(i);
    auto& slot = decoded_[i];
    if (!slot) {
      size_t len = 0;
      unsigned char* raw =
          PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row_, i)), &len);
      slot = raw ? std::string(reinterpret_cast<const char*>(raw), len) : std::string();
      PQfreemem(raw);
    }
    return *slot;
  }
  std::string_view ColumnView(int i) const override {
    if (!result_ || row_ < 0) return {};
    return std::string_view(PQgetvalue(result_.get(), row_, i), PQgetlength(result_.get(), row_, i));
  }
  bool ColumnIsNull(int i) const override {
    return !result_ || row_ < 0 || PQgetisnull(result_.get(), row_, i);
  }
  int ColumnCount() const override { return result_ ? PQnfields(result_.get()) : 0; }

  const std::string& name() const { return name_; }
  const std::string& sql() const { return sql_; }

 protected:
  void BindValue(int i, const Value& v) override {
    if (auto* n = std::get_if<int64_t>(&v)) {
      BindInt(i, *n);
    } else if (auto* d = std::get_if<double>(&v)) {
      Slot(i) = FormatDouble(*d);
    } else if (auto* s = std::get_if<std::string>(&v)) {
      BindText(i, *s);
    } else {
      Slot(i).reset();
    }
  }
  void BindText(int i, std::string_view text) override { Slot(i) = std::string(text); }
  void BindInt(int i, int64_t v) override { Slot(i) = std::to_string(v); }
  void BindBytes(int i, std::string_view bytes) override {
    Slot(i) = std::string(bytes);
    formats_[i - 1] = 1;
  }

 private:
  static double ParseDouble(std::string_view v) {
    if (v == "NaN") return std::nan("");
    if (v == "Infinity") return HUGE_VAL;
    if (v == "-Infinity") return -HUGE_VAL;
    double d = 0;
    std::from_chars(v.data(), v.data() + v.size(), d);
    return d;
  }
  std::optional<std::string>& Slot(int i) {
    if (i > static_cast<int>(params_.size())) {
      params_.resize(i);
      formats_.resize(i, 0);
    }
    formats_[i - 1] = 0;
    decoded_.clear();
    return params_[i - 1];
  }

  PgDb& db_;
  std::string sql_;   // with $N parameters
  std::string name_;  // "" = unnamed
  int64_t prepared_generation_ = -1;
  std::vector<std::optional<std::string>> params_;
  std::vector<int> formats_;
  ResultPtr result_;
  int row_ = -1;
  mutable std::vector<std::optional<std::string>> decoded_;  // bytea per column, current row
  friend class PgDb;
};

class PgDb final : public Db {
 public:
  PgDb(PGconn* conn, std::string url) : Db(RedactUrl(url)), conn_(conn) {}
  ~PgDb() override {
    ClearCache();
    PQfinish(conn_);
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status Exec(std::string_view sql) override {
    LATIH_RETURN_IF_ERROR(EnsureConnected());
    const std::string s(sql);
    ResultPtr res(PQexec(conn_, s.c_str()));
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
      NoteChanges(res.get());
      return Status::Ok();
    }
    return ResultStatus(res.get(), conn_, "postgres");
  }

  Result<std::unique_ptr<Stmt>> PrepareOwned(std::string_view sql) override {
    int params = 0;
    std::string rewritten = RewriteParameters(sql, &params);
    return std::unique_ptr<Stmt>(new PgStmt(*this, std::move(rewritten), "", params));
  }

  Status BeginWrite() override {
    return Exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLockKey) + ")");
  }

  Status BeginKeyed(int64_t key) override {
    return Exec("BEGIN; SET LOCAL synchronous_commit TO off; " + KeyLock(key));
  }

  Status LockKey(int64_t key) override { return Exec(KeyLock(key)); }

  Status BeginRead() override { return Exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"); }

  int64_t Changes() const override { return changes_; }

  // Runs `stmt` with its bound parameters; prepares it first if named and
  // not yet prepared on this connection.
  Result<ResultPtr> Execute(PgStmt& stmt) {
    LATIH_RETURN_IF_ERROR(EnsureConnected());
    std::vector<const char*> values(stmt.params_.size());
    std::vector<int> lengths(stmt.params_.size());
    for (size_t i = 0; i < values.size(); ++i) {
      if (stmt.params_[i]) {
        values[i] = stmt.params_[i]->data();
        lengths[i] = static_cast<int>(stmt.params_[i]->size());
      }
    }
    const int n = static_cast<int>(values.size());
    PGresult* raw = nullptr;
    if (stmt.name().empty()) {
      raw = PQexecParams(conn_, stmt.sql().c_str(), n, nullptr, values.data(), lengths.data(),
                         stmt.formats_.data(), 0);
    } else {
      if (stmt.prepared_generation_ != generation_) {
        ResultPtr prep(PQprepare(conn_, stmt.name().c_str(), stmt.sql().c_str(), 0, nullptr));
        if (!prep || PQresultStatus(prep.get()) != PGRES_COMMAND_OK) {
          return ResultStatus(prep.get(), conn_, "prepare");
        }
        stmt.prepared_generation_ = generation_;
      }
      raw = PQexecPrepared(conn_, stmt.name().c_str(), n, values.data(), lengths.data(), stmt.formats_.data(), 0);
    }
    ResultPtr res(raw);
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      NoteChanges(res.get());
      return res;
    }
    return ResultStatus(res.get(), conn_, "postgres");
  }

 protected:
  Result<std::unique_ptr<Stmt>> PrepareCached(const std::string& sql) override {
    int params = 0;
    std::string rewritten = RewriteParameters(sql, &params);
    return std::unique_ptr<Stmt>(
        new PgStmt(*this, std::move(rewritten), "latih_" + std::to_string(++statements_), params));
  }

 private:
  static std::string KeyLock(int64_t key) {
    const auto folded = static_cast<int32_t>(static_cast<uint32_t>(key) ^ static_cast<uint32_t>(key >> 32));
    return "SELECT pg_advisory_xact_lock(" + std::to_string(kKeyLockSpace) + ", " + std::to_string(folded) + ")";
  }

  void NoteChanges(PGresult* res) {
    const char* n = PQcmdTuples(res);
    changes_ = (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
  }
  // A lost connection is re-established before the next statement, never
  // inside a transaction (which the server has rolled back anyway: the
  // statement that found the loss failed, and so does the rest of it).
  Status EnsureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) return ResultStatus(nullptr, conn_, "postgres: reconnect");
    ++generation_;  // prepared statements are gone with the old session
    return Status::Ok();
  }

  PGconn* conn_;
  int64_t changes_ = 0;
  int64_t statements_ = 0;
  int64_t generation_ = 0;
};

Result<bool> PgStmt::Step() {
  if (!result_) {
    LATIH_ASSIGN_OR_RETURN(result_, db_.Execute(*this));
    row_ = -1;
  }
  decoded_.assign(PQnfields(result_.get()), std::nullopt);
  if (row_ + 1 < PQntuples(result_.get())) {
    ++row_;
    return true;
  }
  row_ = PQntuples(result_.get());
  return false;
}

}  // namespace

bool IsPostgresUrl(const std::string& target) {
  return target.rfind("postgres://", 0) == 0 || target.rfind("postgresql://", 0) == 0;
}

std::string RedactUrl(const std::string& url) {
  // postgresql://user:password@host... -> postgresql://user:***@host...
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string RewriteParameters(std::string_view sql, int* max_index) {
  std::string out;
  out.reserve(sql.size() + 8);
  int next = 0, max = 0;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or quoted identifier; '' and "" escape
      const size_t end = sql.find(c, i + 1);
      const size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = sql.find('\n', i);
      const size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '?') {
      size_t j = i + 1;
      int n = 0;
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
      if (j == i + 1) n = ++next;
      else next = n;
      if (n > max) max = n;
      out += '$';
      out += std::to_string(n);
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  if (max_index) *max_index = max;
  return out;
}

Result<std::unique_ptr<Db>> Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) return Status::Unavailable("postgres: out of memory connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string err = PQerrorMessage(conn);
    PQfinish(conn);
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    const std::string where = "cannot connect to " + RedactUrl(url) + ": " + err;
    if (err.find("does not exist") != std::string::npos && err.find("database") != std::string::npos) {
      return Status::NotFound(where);
    }
    if (err.find("authentication") != std::string::npos || err.find("password") != std::string::npos) {
      return Status::Unauthenticated(where);
    }
    return Status::Unavailable(where);
  }
  auto db = std::unique_ptr<Db>(new PgDb(conn, url));
  // UTC timestamps in text, quiet notices, and a name in pg_stat_activity.
  LATIH_RETURN_IF_ERROR(
      db->Exec("SET TIME ZONE 'UTC'; SET client_min_messages = warning; SET application_name = 'latih-server'"));
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return db;
}

}  // namespace latih::sync::postgres
