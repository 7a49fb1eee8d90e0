// Who may talk to the server: office devices and central users (HR,
// admins), each with a bearer token of which only the hash is stored
// (table `credential`, schema/server/0003). Devices are created with a
// one-time enrollment token, exchanged at `latih enroll` for the device's
// own token and bound to the device database's replica (node). Not
// thread-safe: the caller serializes access to the Store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sync/sqlite/store.h"
#include "sync/status.h"

namespace latih::server {

struct Principal {
  int64_t id = 0;
  std::string kind;    // "device" or "user"
  std::string name;
  std::string role;    // "device", "hr" or "admin"
  std::string office;  // devices: their office; users: ""
  int64_t node = 0;    // bound replica; 0: not bound yet
  bool IsCentral() const { return role == "hr" || role == "admin"; }
};

struct CredentialInfo {
  Principal who;
  std::string created_at, enrolled_at, revoked_at, last_seen_at;
};

class Credentials {
 public:
  // `store` must be the server's and outlive this object.
  explicit Credentials(sync::sqlite::Store& store) : store_(store) {}

  // A new device of `office` (an office id known to the server) named
  // `name` (unique per office). Returns the one-time enrollment token.
  // kNotFound (office), kInvalidArgument (name taken, empty or not UTF-8).
  Result<std::string> AddDevice(const std::string& office, const std::string& name);
  // A new central user with role "hr" or "admin". Returns its token.
  // kInvalidArgument (bad role; name empty or not UTF-8).
  Result<std::string> AddUser(const std::string& name, const std::string& role);
  // Devices (users = false) or users, oldest first.
  Result<std::vector<CredentialInfo>> List(bool users);
  // Revokes credential `id`: its tokens stop working at once. kNotFound.
  Status Revoke(int64_t id);

  // The principal a bearer token stands for. kUnauthenticated (missing,
  // unknown, already-used enrollment token, or revoked: the message says
  // which, never the token).
  Result<Principal> Authenticate(std::string_view token);

  // Exchanges a token at enrollment and binds the device database `node`
  // (whose office is `office`, "" if not set yet). An enrollment token
  // yields the device's own new token (the enrollment token is spent); a
  // user's token binds nothing new and returns "" (keep using it).
  // kUnauthenticated, kPermissionDenied (another office), kInvalidArgument
  // (this database is enrolled as another device already).
  struct Enrolled {
    Principal who;
    std::string token;
  };
  Result<Enrolled> Enroll(std::string_view token, int64_t node, const std::string& office);

  // kPermissionDenied unless `node` is the database `who` enrolled.
  Status CheckNode(const Principal& who, int64_t node);
  // Records that `id` was seen now (at most once a minute per credential).
  Status Touch(int64_t id, int64_t now_ms);
  // Records what credential `id`'s device said about itself at the start of
  // a sync (table device_status): its program (cut to 100 bytes, "" = not
  // said), pending and quarantined changes (< 0 = not said).
  Status RecordStatus(int64_t id, const std::string& client, int64_t pending, int64_t quarantined);

 private:
  Result<bool> Exists(const std::string& sql, const std::string& arg);
  // The transaction of a one-statement bookkeeping write (last seen, device
  // status): a write batch on SQLite, none (nullptr: autocommit) on PostgreSQL.
  Result<std::unique_ptr<sync::sqlite::WriteBatch>> BeginBookkeeping();

  sync::sqlite::Store& store_;
  std::vector<std::pair<int64_t, int64_t>> touched_;  // id, last written ms
};

}  // namespace latih::server
