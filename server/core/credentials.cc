#include "server/core/credentials.h"

#include <algorithm>

#include "server/core/tokens.h"
#include "sync/utf8.h"

namespace latih::server {
namespace {

using sync::sqlite::Stmt;

// The time now as the SQL of `db`'s dialect, ISO 8601 UTC to the second.
const char* NowSql(const sync::sqlite::Db& db) {
  return db.dialect() == sync::sqlite::Dialect::kPostgres
             ? "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
             : "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
}
constexpr int64_t kTouchEveryMs = 60 * 1000;
constexpr const char* kColumns =
    "id, kind, name, role, coalesce(office_id, ''), coalesce(node_id, 0), created_at, "
    "coalesce(enrolled_at, ''), coalesce(revoked_at, ''), coalesce(last_seen_at, '')";

CredentialInfo ReadInfo(Stmt& s) {
  return CredentialInfo{Principal{s.ColumnInt(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3), s.ColumnText(4),
                                  s.ColumnInt(5)},
                        s.ColumnText(6), s.ColumnText(7), s.ColumnText(8), s.ColumnText(9)};
}

}  // namespace

Result<bool> Credentials::Exists(const std::string& sql, const std::string& arg) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare(sql));
  s->Bind(1, arg);
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  s->Reset();
  return found;
}

Result<std::string> Credentials::AddDevice(const std::string& office, const std::string& name) {
  if (name.find_first_not_of(" \t") == std::string::npos) return Status::Invalid("device name is empty");
  LATIH_RETURN_IF_ERROR(sync::CheckUtf8(name, "device name"));
  LATIH_ASSIGN_OR_RETURN(bool known, Exists("SELECT 1 FROM office WHERE id = ?1", office));
  if (!known) {
    return Status::NotFound("office '" + office + "' is not known to this server; see 'latih-server office list'");
  }
  const std::string token = NewToken();
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare(std::string(
      "INSERT INTO credential(kind, name, role, office_id, enroll_hash, created_at) "
      "VALUES ('device', ?1, 'device', ?2, ?3, ") + NowSql(store_.db()) + ") ON CONFLICT DO NOTHING"));
  s->Bind(1, name).Bind(2, office).Bind(3, HashToken(token));
  LATIH_RETURN_IF_ERROR(s->Run());
  if (store_.db().Changes() == 0) {
    return Status::Invalid("office " + office + " has a device named '" + name + "' already");
  }
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return token;
}

Result<std::string> Credentials::AddUser(const std::string& name, const std::string& role) {
  if (role != "hr" && role != "admin") return Status::Invalid("role must be hr or admin, not '" + role + "'");
  if (name.find_first_not_of(" \t") == std::string::npos) return Status::Invalid("user name is empty");
  LATIH_RETURN_IF_ERROR(sync::CheckUtf8(name, "user name"));
  const std::string token = NewToken();
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare(std::string(
      "INSERT INTO credential(kind, name, role, token_hash, created_at) VALUES ('user', ?1, ?2, ?3, ") + NowSql(store_.db()) + ")"));
  s->Bind(1, name).Bind(2, role).Bind(3, HashToken(token));
  LATIH_RETURN_IF_ERROR(s->Run());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return token;
}

Result<std::vector<CredentialInfo>> Credentials::List(bool users) {
  LATIH_ASSIGN_OR_RETURN(auto s, store_.db().PrepareOwned(std::string("SELECT ") + kColumns +
                                                           " FROM credential WHERE kind = ?1 ORDER BY id"));
  s->Bind(1, users ? "user" : "device");
  std::vector<CredentialInfo> out;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(ReadInfo(*s));
  }
  return out;
}

Status Credentials::Revoke(int64_t id) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare(std::string(
      "UPDATE credential SET revoked_at = coalesce(revoked_at, ") + NowSql(store_.db()) + "), enroll_hash = NULL WHERE id = ?1"));
  s->Bind(1, id);
  LATIH_RETURN_IF_ERROR(s->Run());
  if (store_.db().Changes() == 0) return Status::NotFound("no device or user with id " + std::to_string(id));
  return batch->Commit();
}

Result<Principal> Credentials::Authenticate(std::string_view token) {
  if (token.empty()) return Status::Unauthenticated("missing bearer token (Authorization: Bearer ...)");
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare(std::string("SELECT ") + kColumns +
                                                      " FROM credential WHERE token_hash = ?1"));
  s->Bind(1, HashToken(token));
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) {
    s->Reset();
    LATIH_ASSIGN_OR_RETURN(bool pending, Exists("SELECT 1 FROM credential WHERE enroll_hash = ?1",
                                                HashToken(token)));
    if (pending) return Status::Unauthenticated("this is an enrollment token: run 'latih enroll' with it first");
    return Status::Unauthenticated("unknown token");
  }
  CredentialInfo info = ReadInfo(*s);
  s->Reset();
  if (!info.revoked_at.empty()) {
    return Status::Unauthenticated(info.who.kind + " '" + info.who.name + "' was revoked at " + info.revoked_at);
  }
  return info.who;
}

Result<Credentials::Enrolled> Credentials::Enroll(std::string_view token, int64_t node, const std::string& office) {
  if (node <= 0) return Status::Invalid("node must be a positive replica id");
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare(std::string("SELECT ") + kColumns +
                                                      " FROM credential WHERE enroll_hash = ?1"));
  s->Bind(1, HashToken(token));
  LATIH_ASSIGN_OR_RETURN(bool pending, s->Step());
  Enrolled out;
  if (pending) {
    out.who = ReadInfo(*s).who;
    s->Reset();
  } else {
    s->Reset();
    auto user = Authenticate(token);
    if (!user.ok()) {
      if (user.status().code() == StatusCode::kUnauthenticated &&
          user.status().message() == "unknown token") {
        return Status::Unauthenticated("unknown or already used enrollment token; ask for a new one "
                                       "('latih-server device enroll')");
      }
      return user.status();
    }
    if (user->kind == "device") {
      return Status::Invalid("this device is enrolled already; its database syncs with 'latih sync'");
    }
    out.who = *user;
  }
  if (!out.who.office.empty() && !office.empty() && office != out.who.office) {
    return Status::PermissionDenied("this enrollment is for office " + out.who.office +
                                    ", but this database belongs to office " + office);
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* taken, store_.db().Prepare("SELECT id, name FROM credential WHERE node_id = ?1"));
  taken->Bind(1, node);
  LATIH_ASSIGN_OR_RETURN(bool bound, taken->Step());
  if (bound && taken->ColumnInt(0) != out.who.id) {
    const std::string other = taken->ColumnText(1);
    taken->Reset();
    return Status::Invalid("this database is enrolled already as '" + other + "'; revoke that one first");
  }
  taken->Reset();
  if (out.who.kind == "device") {
    out.token = NewToken();
    LATIH_ASSIGN_OR_RETURN(Stmt* u, store_.db().Prepare(std::string(
        "UPDATE credential SET enroll_hash = NULL, token_hash = ?2, node_id = ?3, enrolled_at = ") + NowSql(store_.db()) +
        " WHERE id = ?1"));
    u->Bind(1, out.who.id).Bind(2, HashToken(out.token)).Bind(3, node);
    LATIH_RETURN_IF_ERROR(u->Run());
  } else {
    LATIH_ASSIGN_OR_RETURN(Stmt* u, store_.db().Prepare(std::string(
        "UPDATE credential SET node_id = ?2, enrolled_at = coalesce(enrolled_at, ") + NowSql(store_.db()) + ") WHERE id = ?1"));
    u->Bind(1, out.who.id).Bind(2, node);
    LATIH_RETURN_IF_ERROR(u->Run());
  }
  out.who.node = node;
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return out;
}

Status Credentials::CheckNode(const Principal& who, int64_t node) {
  if (who.node == node) return Status::Ok();
  if (who.node == 0) {
    return Status::PermissionDenied("this database is not enrolled: run 'latih enroll --server URL --token T'");
  }
  return Status::PermissionDenied("this token belongs to another device database (enrolled as '" + who.name +
                                  "'); enroll this database with its own token");
}

Status Credentials::Touch(int64_t id, int64_t now_ms) {
  auto it = std::find_if(touched_.begin(), touched_.end(), [id](const auto& p) { return p.first == id; });
  if (it != touched_.end() && now_ms - it->second < kTouchEveryMs) return Status::Ok();
  if (it == touched_.end()) {
    touched_.emplace_back(id, now_ms);
  } else {
    it->second = now_ms;
  }
  LATIH_ASSIGN_OR_RETURN(auto batch, BeginBookkeeping());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare(std::string(
      "UPDATE credential SET last_seen_at = ") + NowSql(store_.db()) + " WHERE id = ?1"));
  s->Bind(1, id);
  LATIH_RETURN_IF_ERROR(s->Run());
  return batch ? batch->Commit() : Status::Ok();
}

Result<std::unique_ptr<sync::sqlite::WriteBatch>> Credentials::BeginBookkeeping() {
  // PostgreSQL: one autocommit statement, atomic by itself, without the
  // write lock that orders the change feed (sync/postgres/pg_db.h).
  if (store_.db().dialect() == sync::sqlite::Dialect::kPostgres) return std::unique_ptr<sync::sqlite::WriteBatch>();
  return store_.BeginWrite();
}

Status Credentials::RecordStatus(int64_t id, const std::string& client, int64_t pending, int64_t quarantined) {
  LATIH_ASSIGN_OR_RETURN(auto batch, BeginBookkeeping());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare(std::string(
      "INSERT INTO device_status(credential_id, client, pending, quarantined, reported_at) "
      "VALUES (?1, ?2, ?3, ?4, ") + NowSql(store_.db()) + ") ON CONFLICT(credential_id) DO UPDATE SET "
      "client = excluded.client, pending = excluded.pending, quarantined = excluded.quarantined, "
      "reported_at = excluded.reported_at"));
  s->Bind(1, id);
  // A program name is data from the network: keep it short and whole UTF-8.
  const std::string name = client.substr(0, 100);
  s->Bind(2, client.empty() || !sync::CheckUtf8(name, "client").ok() ? sync::Value() : sync::Value(name));
  s->Bind(3, pending >= 0 ? sync::Value(pending) : sync::Value());
  s->Bind(4, quarantined >= 0 ? sync::Value(quarantined) : sync::Value());
  LATIH_RETURN_IF_ERROR(s->Run());
  return batch ? batch->Commit() : Status::Ok();
}

}  // namespace latih::server
