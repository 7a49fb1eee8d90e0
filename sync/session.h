// SyncSession: one-shot reconciliation of a client replica with the server
// (sync/PROTOCOL.md §4): measure the clock, re-stamp if needed, push every
// unpushed change, pull everything new. It runs once and returns; retries,
// backoff and scheduling belong to the caller (a fresh session per attempt).
// Not thread-safe; borrows its collaborators for its lifetime. While it
// pushes, it reads the next batch on a second thread as the current one is
// on the wire; while it pulls, it applies one batch on a second thread as
// it fetches the next. The store is then used from that thread alone, the
// transport from the calling one.
#pragma once

#include <functional>
#include <vector>

#include "sync/env.h"
#include "sync/options.h"
#include "sync/sync_store.h"
#include "sync/transport.h"

namespace latih::sync {

struct SyncReport {
  int round_trips = 0;
  int batches_pushed = 0;
  int rows_pushed = 0;
  int rows_refused = 0;
  int rows_pulled = 0;     // rows received
  int rows_changed = 0;    // rows that changed locally
  int rows_restamped = 0;
  int rows_confirmed = 0;  // pushed by an earlier session whose acknowledgement was lost
  std::vector<Refusal> refused;  // the rows refused this session (quarantined)
  bool snapshot = false;     // the cursor was past the compaction horizon
  int rows_removed = 0;      // rows the snapshot showed deleted meanwhile
  int64_t clock_offset_ms = 0;
  bool clock_skewed = false;  // |offset| > options.skew_warning_ms
};

// Progress after each round trip (for a progress bar): rows so far.
struct SyncProgress {
  int round_trips = 0;
  int rows_pushed = 0, rows_to_push = 0;  // rows_to_push: 0 when unknown
  int rows_pulled = 0;
  bool pushing = false;
};

class SyncSession {
 public:
  // All references must outlive the session.
  SyncSession(SyncStore& store, Transport& transport, Clock& clock, const Options& options)
      : store_(store), transport_(transport), clock_(clock), options_(options), batch_(options) {}

  // Runs the session. On error the watermarks reflect exactly what was
  // confirmed, so the next session resumes from there. A transport error
  // is returned as is (kUnavailable is retryable).
  Result<SyncReport> Run();

  // Called after every round trip; optional.
  void set_progress(std::function<void(const SyncProgress&)> fn) { progress_ = std::move(fn); }
  // What the first request of the session tells the server about the
  // device (SyncRequest::client, pending, quarantined).
  void set_self_report(std::string client, int64_t pending, int64_t quarantined) {
    client_ = std::move(client);
    pending_ = pending;
    quarantined_ = quarantined;
  }

 private:
  Result<SyncResponse> RoundTrip(SyncRequest request, SyncReport& report);
  // Pushes every unpushed change, each request also pulling (the server
  // applies the push first); then pulls while the server has more.
  Status Exchange(ReplicaState& state, bool more, SyncReport& report);
  Status ApplyPulled(ReplicaState& state, const PullBatch& pulled, SyncReport& report, bool* more);
  // The pulls after the last push, each batch applied while the next is
  // fetched.
  Status PullOverlapped(ReplicaState& state, SyncReport& report);
  void ShowProgress(const SyncReport& report, bool pushing);
  PullRequest NextPull(const ReplicaState& state) const;
  SyncRequest BaseRequest(const ReplicaState& state) const;
  // Grows or shrinks the batch size after a round trip of `elapsed_ms`.
  void Adapt(int64_t elapsed_ms);

  SyncStore& store_;
  Transport& transport_;
  Clock& clock_;
  const Options& options_;
  int64_t last_server_time_ = 0;
  int64_t last_offset_ = 0;
  int64_t last_elapsed_ms_ = 0;
  Options batch_;  // options_ with the current adaptive batch size
  std::function<void(const SyncProgress&)> progress_;
  std::string client_;
  int64_t pending_ = -1, quarantined_ = -1;
  SyncProgress shown_;
  bool snapshot_ = false;  // pulling a snapshot: ask for our own cells too
  bool snapshot_begun_ = false;  // this session began one (else resumed it, or none)
  int64_t session_ = 0;    // the server's number for this session (0: an older server)
};

}  // namespace latih::sync
