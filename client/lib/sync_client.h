// SyncClient: an office database and the server it syncs with. Wires the
// engine (sync::SyncSession over SqliteSyncStore) to the HTTP transport
// (client/transport), keeps the server link and the outcome of each attempt
// in the database (schema/client/0003), and lists quarantined changes.
// Not thread-safe; borrows the OfficeDb.
#pragma once

#include <csignal>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/lib/office_db.h"
#include "client/transport/curl_transport.h"
#include "sync/options.h"
#include "sync/session.h"

namespace latih::client {

struct ServerLink {
  std::string url, device_name, cacert, enrolled_at;
  std::string token;  // never printed
};

struct EnrollOutcome {
  std::string name, office, role;
};

// One sync attempt: the engine's report and the bytes on the wire.
struct SyncOutcome {
  sync::SyncReport report;
  WireStats wire;
  int64_t elapsed_ms = 0;
};

struct QuarantineEntry {
  std::string table, row_id, code, reason, refused_at;
};

struct SyncHealth {
  std::optional<ServerLink> link;
  std::string last_ok_at, last_error_at, last_error;
  int64_t failures = 0;  // consecutive failed attempts
  std::vector<QuarantineEntry> quarantined;
};

class SyncClient {
 public:
  // `db` and `env` must outlive this object.
  SyncClient(OfficeDb& db, sync::Env& env, sync::Options options = {})
      : db_(db), env_(env), options_(options) {}

  // Enrolls this database with the server at `url` using `token` (a device
  // enrollment token, or a central user's token) and stores the link; a
  // device's token is exchanged for its own. kUnauthenticated,
  // kPermissionDenied (another office), kUnavailable (unreachable),
  // kIOError (TLS verification), kInvalidArgument.
  Result<EnrollOutcome> Enroll(const std::string& url, const std::string& token, const std::string& cacert);

  // One sync session with the enrolled server; records the outcome (success
  // or the error and its time) for `latih status`. kNotFound when not
  // enrolled; transport and engine errors as they come (kUnavailable is
  // retryable). `progress` sees the engine's progress; `wire` the bytes of
  // the request in flight.
  Result<SyncOutcome> Sync(std::function<void(const sync::SyncProgress&, const WireStats&)> progress = {});

  Result<SyncHealth> Health();

  // What the server asked of the last Sync that failed busy (HTTP 429/503
  // with Retry-After): come back after this many seconds; 0 otherwise.
  // `latih sync --watch` waits at least this long before its next attempt.
  int64_t retry_after_s() const { return retry_after_s_; }

  // True when local changes wait to be pushed.
  Result<bool> HasPending();

  // A transfer that moves almost nothing for this long is abandoned as
  // stalled (kUnavailable): HttpOptions::low_speed_time_s. Default 60.
  void set_stall_timeout_s(int64_t seconds) { stall_timeout_s_ = seconds; }
  // A flag a signal handler sets to stop: the request in flight is then
  // abandoned within about a second (HttpOptions::stop). Must outlive this.
  void set_stop_flag(const volatile std::sig_atomic_t* stop) { stop_ = stop; }

 private:
  Result<std::optional<ServerLink>> LoadLink();
  Status RecordAttempt(const Status& outcome);

  OfficeDb& db_;
  sync::Env& env_;
  sync::Options options_;
  int64_t stall_timeout_s_ = HttpOptions{}.low_speed_time_s;
  int64_t retry_after_s_ = 0;
  const volatile std::sig_atomic_t* stop_ = nullptr;
};

}  // namespace latih::client
