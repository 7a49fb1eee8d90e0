#include "sync/session.h"

#include <cstdlib>

namespace latih::sync {
namespace {

constexpr int kMaxClockRetries = 3;

SyncRequest BaseRequest(const ReplicaState& state) {
  SyncRequest r;
  r.schema = state.schema;
  r.node = state.node;
  r.office = state.office;
  return r;
}

}  // namespace

Result<SyncResponse> SyncSession::RoundTrip(SyncRequest request, SyncReport& report) {
  if (report.round_trips >= options_.max_round_trips) {
    return Status::Unavailable("sync stopped after " + std::to_string(report.round_trips) + " round trips");
  }
  const int64_t t0 = clock_.NowUnixMs();
  request.client_time_ms = t0;
  LATIH_ASSIGN_OR_RETURN(SyncResponse response, transport_.Exchange(request));
  const int64_t t1 = clock_.NowUnixMs();
  ++report.round_trips;
  last_server_time_ = response.server_time_ms;
  last_offset_ = response.server_time_ms - (t0 + t1) / 2;  // PROTOCOL.md §3 rule 1
  return response;
}

Status SyncSession::Push(const ReplicaState& state, SyncReport& report) {
  int clock_retries = 0;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(PushBatch batch, store_.NextPushBatch(options_));
    if (batch.rows.empty()) return Status::Ok();
    SyncRequest request = BaseRequest(state);
    const int rows = static_cast<int>(batch.rows.size());
    request.push = std::move(batch);
    const BatchId id = request.push->id;
    LATIH_ASSIGN_OR_RETURN(SyncResponse response, RoundTrip(std::move(request), report));
    if (!response.push) return Status::ProtocolMismatch("the server did not answer the push");
    if (response.push->clock_ahead) {
      // Our stamps are ahead of the server's bound: re-measure, re-stamp, resend.
      if (++clock_retries > kMaxClockRetries) {
        return Status::Invalid("the server keeps refusing this device's clock (offset " +
                               std::to_string(last_offset_) + " ms)");
      }
      LATIH_ASSIGN_OR_RETURN(int restamped, store_.UpdateClockOffset(last_offset_));
      report.rows_restamped += restamped;
      continue;
    }
    LATIH_RETURN_IF_ERROR(store_.ConfirmPush(id));
    ++report.batches_pushed;
    report.rows_pushed += rows;
    report.rows_refused += static_cast<int>(response.push->refused.size());
  }
}

Status SyncSession::Pull(ReplicaState& state, bool more, SyncReport& report) {
  while (more) {
    SyncRequest request = BaseRequest(state);
    request.pull = PullRequest{state.pull_cursor, options_.max_batch_rows, options_.max_batch_bytes};
    LATIH_ASSIGN_OR_RETURN(SyncResponse response, RoundTrip(std::move(request), report));
    if (!response.pull) return Status::ProtocolMismatch("the server did not answer the pull");
    if (response.pull->snapshot_required) {
      if (report.snapshot) return Status::Corruption("the server asked for a second snapshot");
      LATIH_RETURN_IF_ERROR(store_.BeginSnapshot());  // our changes were pushed before this
      report.snapshot = true;
      state.pull_cursor = 0;
      continue;
    }
    LATIH_ASSIGN_OR_RETURN(int changed, store_.ApplyPull(*response.pull));
    report.rows_pulled += static_cast<int>(response.pull->rows.size());
    report.rows_changed += changed;
    if (response.pull->last_seq <= state.pull_cursor && response.pull->more) {
      return Status::Corruption("the server's feed did not advance past " + std::to_string(state.pull_cursor));
    }
    state.pull_cursor = response.pull->last_seq;
    more = response.pull->more;
  }
  if (report.snapshot) {
    LATIH_ASSIGN_OR_RETURN(report.rows_removed, store_.FinishSnapshot());
  }
  return Status::Ok();
}

Result<SyncReport> SyncSession::Run() {
  SyncReport report;
  LATIH_ASSIGN_OR_RETURN(ReplicaState state, store_.LoadState());
  // Round 1: the server's time, and whether there is anything to pull.
  SyncRequest hello = BaseRequest(state);
  hello.pull = PullRequest{state.pull_cursor, 0, 0};
  LATIH_ASSIGN_OR_RETURN(SyncResponse first, RoundTrip(std::move(hello), report));
  if (std::llabs(last_offset_ - state.clock_offset_ms) > options_.restamp_threshold_ms) {
    LATIH_ASSIGN_OR_RETURN(report.rows_restamped, store_.UpdateClockOffset(last_offset_));
  }
  report.clock_offset_ms = last_offset_;
  report.clock_skewed = std::llabs(last_offset_) > options_.skew_warning_ms;
  LATIH_RETURN_IF_ERROR(Push(state, report));
  // Our pushes are now in the server feed too (they come back as acknowledgements).
  const bool more = (first.pull && (first.pull->more || first.pull->snapshot_required)) ||
                    report.batches_pushed > 0;
  LATIH_RETURN_IF_ERROR(Pull(state, more, report));
  LATIH_RETURN_IF_ERROR(store_.RecordSyncDone(options_));
  return report;
}

}  // namespace latih::sync
