// The server's HTTP API as plain functions over HttpRequest/HttpResponse
// (sync/PROTOCOL.md §6, §10):
//   POST /v1/sync    one round trip of the sync protocol (bearer token)
//   POST /v1/enroll  exchange an enrollment token, bind the device database
//   GET  /healthz    liveness and the database answering
//   GET  /metrics    Prometheus text
//   GET  /v1/reports/...  central HR reports, JSON or CSV (docs/REPORTS.md;
//                    an HR or admin token); POST .../conflicts/ID/resolve
//   GET  /, /assets/ the dashboard's static files (dashboard.h)
// Errors are JSON: {"error": {"code": "...", "message": "..."}}.
// Thread-safe: requests may arrive concurrently. Each uses one of the store
// connections given (add_store) for its store work, one request per
// connection at a time: SQLite has one (one writer), PostgreSQL may have
// several, where only writers wait for each other (PROTOCOL.md §4).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "server/core/credentials.h"
#include "server/core/http_types.h"
#include "server/core/metrics.h"
#include "sync/env.h"
#include "sync/options.h"
#include "sync/sqlite/credit_summary.h"
#include "sync/sqlite/store.h"
#include "sync/sqlite/sync_store.h"

namespace latih::server {

// A third of the device's default stall timeout (client/transport,
// HttpOptions::low_speed_time_s = 60 s): an answer after the wait still
// reaches the device, however long the store then takes on a big page.
inline constexpr int64_t kDefaultMaxQueueWaitMs = 20'000;

class Api {
 public:
  // All references must outlive the Api; `store` is the server's.
  Api(sync::sqlite::Store& store, sync::Clock& clock, const sync::Options& options);

  HttpResponse Handle(const HttpRequest& request);

  // A second connection to the server's database on which reports run, so
  // that a long report does not hold up syncs (WAL readers do not block the
  // writer). Without one, reports share the writer's connection and lock.
  // `reader` must outlive the Api. Call before requests arrive.
  void set_report_store(sync::sqlite::Store* reader) { reader_ = reader; }

  // Builds the reports' attendance summary ahead of the first report (it
  // reads every attendance row once; later reports catch up from the change
  // feed). Returns how many employees it holds. No-op without a report store.
  Result<int64_t> WarmReports();

  // Load shedding (PROTOCOL.md §10, "A busy server"): a sync request that has
  // waited longer than this for its turn since its body arrived is answered
  // 503 busy with a Retry-After, before it touches the store, instead of
  // being served to a device that is about to give up on it. 0: never.
  // Call before requests arrive.
  void set_max_queue_wait_ms(int64_t ms) { max_queue_wait_ms_ = ms; }

  // Another connection to the same PostgreSQL database as the first: store
  // work then runs on the connections in parallel. Never for SQLite (a
  // second writer would only wait on the first's lock). `store` must
  // outlive the Api. Call before requests arrive.
  void add_store(sync::sqlite::Store& store);

  // Purges tombstones (PROTOCOL.md §8); called periodically by `serve`.
  Result<int> Compact(int retention_days);

  Metrics& metrics() { return metrics_; }

 private:
  HttpResponse Sync(const HttpRequest& request);
  HttpResponse Enroll(const HttpRequest& request);
  HttpResponse Healthz();
  HttpResponse Report(const HttpRequest& request);
  // Unknown tables or columns: the client is of another shape (400).
  Status CheckShape(const sync::SyncRequest& request) const;
  // 503 busy with a Retry-After when `request` has waited past
  // max_queue_wait_ms_ (measured now), else nothing.
  std::optional<HttpResponse> Shed(const HttpRequest& request);

  // One store connection and what works on it, used by one request at a time.
  struct Lane {
    Lane(sync::sqlite::Store& s, sync::Clock& clock, const sync::Options& options)
        : store(s), credentials(s), server(s, clock, options) {}
    sync::sqlite::Store& store;
    Credentials credentials;
    sync::sqlite::SyncServer server;
  };
  // A lane lent to one request, given back when it goes out of scope.
  class Lease {
   public:
    Lease(Api& api, Lane* lane) : api_(api), lane_(lane) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lane* operator->() const { return lane_; }

   private:
    Api& api_;
    Lane* lane_;
  };
  // Waits for an idle lane (the one used last, whose connection is warm).
  Lease Borrow();

  sync::Clock& clock_;
  const sync::Options& options_;
  std::vector<std::unique_ptr<Lane>> lanes_;  // fixed once requests arrive
  std::mutex lanes_mu_;                       // guards idle_
  std::condition_variable lane_returned_;
  std::vector<Lane*> idle_;
  Metrics metrics_;
  int64_t max_queue_wait_ms_ = kDefaultMaxQueueWaitMs;
  sync::sqlite::Store* reader_ = nullptr;
  std::mutex reader_mu_;  // guards reader_ and summary_ (one connection, one report at a time)
  // Attendance per (employee, training, year) for the reports on reader_,
  // caught up from the change feed before each (docs/REPORTS.md, Speed).
  sync::sqlite::CreditSummary summary_;
};

// {"error": {"code": code, "message": message}} with `status`.
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message);
// The HTTP status and code of a Status: 400 bad_request, 401
// unauthenticated, 403 forbidden, 404 not_found, 409 protocol_mismatch,
// 503 unavailable, 500 internal.
HttpResponse ErrorResponse(const Status& status);

}  // namespace latih::server
