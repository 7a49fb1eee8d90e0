// SyncSession: one-shot reconciliation of a client replica with the server
// (sync/PROTOCOL.md §4): measure the clock, re-stamp if needed, push every
// unpushed change, pull everything new. It runs once and returns; retries,
// backoff and scheduling belong to the caller (a fresh session per attempt).
// Not thread-safe; borrows its collaborators for its lifetime.
#pragma once

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
  bool snapshot = false;     // the cursor was past the compaction horizon
  int rows_removed = 0;      // rows the snapshot showed deleted meanwhile
  int64_t clock_offset_ms = 0;
  bool clock_skewed = false;  // |offset| > options.skew_warning_ms
};

class SyncSession {
 public:
  // All references must outlive the session.
  SyncSession(SyncStore& store, Transport& transport, Clock& clock, const Options& options)
      : store_(store), transport_(transport), clock_(clock), options_(options) {}

  // Runs the session. On error the watermarks reflect exactly what was
  // confirmed, so the next session resumes from there. A transport error
  // is returned as is (kUnavailable is retryable).
  Result<SyncReport> Run();

 private:
  Result<SyncResponse> RoundTrip(SyncRequest request, SyncReport& report);
  Status Push(const ReplicaState& state, SyncReport& report);
  Status Pull(ReplicaState& state, bool more, SyncReport& report);

  SyncStore& store_;
  Transport& transport_;
  Clock& clock_;
  const Options& options_;
  int64_t last_server_time_ = 0;
  int64_t last_offset_ = 0;
};

}  // namespace latih::sync
