#include "sync/session.h"

#include <algorithm>
#include <cstdlib>
#include <future>

namespace latih::sync {
namespace {

constexpr int kMaxClockRetries = 3;

}  // namespace

SyncRequest SyncSession::BaseRequest(const ReplicaState& state) const {
  SyncRequest r;
  r.schema = state.schema;
  r.node = state.node;
  r.office = state.office;
  r.session = session_;
  return r;
}

Result<SyncResponse> SyncSession::RoundTrip(SyncRequest request, SyncReport& report) {
  if (report.round_trips >= options_.max_round_trips) {
    return Status::Unavailable("sync stopped after " + std::to_string(report.round_trips) + " round trips");
  }
  const int64_t t0 = clock_.NowUnixMs();
  request.client_time_ms = t0;
  LATIH_ASSIGN_OR_RETURN(SyncResponse response, transport_.Exchange(request));
  const int64_t t1 = clock_.NowUnixMs();
  ++report.round_trips;
  // The link's share of the round trip: time spent queued behind other
  // devices at the server says nothing about the size a batch should have
  // (shrinking for it multiplied the requests of a busy server).
  last_elapsed_ms_ = std::max<int64_t>(0, t1 - t0 - response.server_wait_ms);
  last_server_time_ = response.server_time_ms;
  last_offset_ = response.server_time_ms - (t0 + t1) / 2;  // PROTOCOL.md §3 rule 1
  return response;
}

void SyncSession::Adapt(int64_t elapsed_ms) {
  if (elapsed_ms * 2 < options_.target_round_trip_ms) {
    batch_.max_batch_rows = std::min(batch_.max_batch_rows * 2, options_.max_batch_rows_limit);
    batch_.max_batch_bytes = std::min(batch_.max_batch_bytes * 2, options_.max_batch_bytes_limit);
  } else if (elapsed_ms > options_.target_round_trip_ms) {
    batch_.max_batch_rows = std::max(batch_.max_batch_rows / 2, options_.min_batch_rows);
    batch_.max_batch_bytes = std::max(batch_.max_batch_bytes / 2, options_.min_batch_bytes);
  }
}

PullRequest SyncSession::NextPull(const ReplicaState& state) const {
  PullRequest pull{state.pull_cursor, batch_.max_batch_rows, batch_.max_batch_bytes};
  pull.own = snapshot_;  // a snapshot must see every row, ours too
  return pull;
}

Status SyncSession::ApplyPulled(ReplicaState& state, const PullBatch& pulled, SyncReport& report, bool* more) {
  if (pulled.snapshot_required) {
    // A snapshot's own pulls are never answered so (PROTOCOL.md §8); a
    // server that did would have us start over in a loop.
    if (snapshot_begun_) return Status::Corruption("the server asked for a second snapshot");
    snapshot_begun_ = true;
    // Everything of ours still unpushed goes out before the snapshot ends
    // (FinishSnapshot keeps rows holding unpushed changes).
    LATIH_RETURN_IF_ERROR(store_.BeginSnapshot());
    report.snapshot = snapshot_ = true;
    state.pull_cursor = 0;
    *more = true;
    return Status::Ok();
  }
  LATIH_ASSIGN_OR_RETURN(int changed, store_.ApplyPull(pulled));
  report.rows_pulled += static_cast<int>(pulled.rows.size());
  report.rows_changed += changed;
  if (pulled.last_seq <= state.pull_cursor && pulled.more) {
    return Status::Corruption("the server's feed did not advance past " + std::to_string(state.pull_cursor));
  }
  state.pull_cursor = pulled.last_seq;
  *more = pulled.more;
  return Status::Ok();
}

void SyncSession::ShowProgress(const SyncReport& report, bool pushing) {
  if (!progress_) return;
  shown_.round_trips = report.round_trips;
  shown_.rows_pushed = report.rows_pushed;
  shown_.rows_pulled = report.rows_pulled;
  shown_.pushing = pushing;
  progress_(shown_);
}

Status SyncSession::PullOverlapped(ReplicaState& state, SyncReport& report) {
  // Batch k is applied on a second thread while batch k+1 is fetched with
  // the cursor k ends at. Only the applier touches the store meanwhile; the
  // stored cursor still moves in the transaction that applied the data, so
  // a cut loses at most the batches not yet applied. (The server may have
  // seen a cursor one batch ahead of what was applied: its compaction then
  // answers snapshot_required, PROTOCOL.md §8.)
  PullBatch in_flight;
  std::future<Result<int>> applying;
  auto join = [&]() -> Status {
    if (!applying.valid()) return Status::Ok();
    auto changed = applying.get();
    if (!changed.ok()) return changed.status();
    report.rows_pulled += static_cast<int>(in_flight.rows.size());
    report.rows_changed += *changed;
    ShowProgress(report, false);
    return Status::Ok();
  };
  bool more = true;
  while (more) {
    SyncRequest request = BaseRequest(state);
    request.pull = NextPull(state);
    auto response = RoundTrip(std::move(request), report);
    Adapt(last_elapsed_ms_);
    LATIH_RETURN_IF_ERROR(join());
    if (!response.ok()) return response.status();
    if (!response->pull) return Status::ProtocolMismatch("the server did not answer the pull");
    PullBatch& pulled = *response->pull;
    if (pulled.snapshot_required) {
      LATIH_RETURN_IF_ERROR(ApplyPulled(state, pulled, report, &more));
      continue;
    }
    if (pulled.last_seq <= state.pull_cursor && pulled.more) {
      return Status::Corruption("the server's feed did not advance past " + std::to_string(state.pull_cursor));
    }
    state.pull_cursor = pulled.last_seq;
    more = pulled.more;
    in_flight = std::move(pulled);
    applying = std::async(std::launch::async, [this, &in_flight] { return store_.ApplyPull(in_flight); });
  }
  return join();
}

Status SyncSession::Exchange(ReplicaState& state, bool more, SyncReport& report) {
  int clock_retries = 0;
  bool pushing = true, began = false;
  // Batch k+1 is read ahead on a second thread while batch k is on the
  // wire (the store is idle meanwhile), sized for the round trip going
  // well. It is used only if nothing moved under it: batch k confirmed as
  // sent, no row pulled, no re-stamp, and within the size adapted since.
  std::future<Result<PushBatch>> ahead;
  Options grown;  // the size batch k+1 is read ahead at
  auto take_ahead = [&](bool usable) -> std::optional<PushBatch> {
    if (!ahead.valid()) return std::nullopt;
    Result<PushBatch> read = ahead.get();
    usable = usable && batch_.max_batch_rows >= grown.max_batch_rows &&
             batch_.max_batch_bytes >= grown.max_batch_bytes;
    if (!usable || !read.ok() || read->rows.empty()) return std::nullopt;  // NextPushBatch decides
    return std::move(read).value();
  };
  std::optional<PushBatch> next;
  while (pushing || more) {
    SyncRequest request = BaseRequest(state);
    std::optional<PushBatch> sent;
    if (pushing) {
      PushBatch batch;
      if (next) {
        batch = std::move(*next);
        next.reset();
      } else {
        LATIH_ASSIGN_OR_RETURN(batch, store_.NextPushBatch(batch_));
      }
      if (batch.rows.empty()) {
        pushing = false;
        if (!more) break;
        LATIH_RETURN_IF_ERROR(PullOverlapped(state, report));
        break;
      } else {
        if (!began) {
          LATIH_RETURN_IF_ERROR(store_.BeginPush());
          began = true;
        }
        grown = batch_;
        grown.max_batch_rows = std::min(batch_.max_batch_rows * 2, options_.max_batch_rows_limit);
        grown.max_batch_bytes = std::min(batch_.max_batch_bytes * 2, options_.max_batch_bytes_limit);
        ahead = std::async(std::launch::async, [this, grown, after = batch.id.last_seq] {
          return store_.PeekPushBatch(grown, after);
        });
        request.push = batch;
        sent = std::move(batch);
      }
    }
    // Every request pulls too: a push can make the server republish rows
    // for us (a pushed cell that lost there comes back with the winner).
    request.pull = NextPull(state);
    auto response = RoundTrip(std::move(request), report);
    Adapt(last_elapsed_ms_);
    const bool clean = response.ok() && response->push && !response->push->clock_ahead && response->pull &&
                       response->pull->rows.empty() && !response->pull->snapshot_required;
    next = take_ahead(clean);  // joined before the store is touched again
    if (!response.ok()) return response.status();
    if (sent) {
      if (!response->push) return Status::ProtocolMismatch("the server did not answer the push");
      if (response->push->superseded) {
        // PROTOCOL.md §4: nothing of the batch was applied, and it stays
        // unconfirmed here; the newer session (or the next) pushes it.
        return Status::Unavailable("the server has a newer sync session of this device (another sync of it "
                                   "started): this one stops, nothing is lost");
      }
      if (response->push->clock_ahead) {
        // Our stamps are beyond the server's bound: re-measure, re-stamp,
        // resend. The pull that came with the refusal is ignored (it is
        // merged after the re-stamp, next round).
        if (++clock_retries > kMaxClockRetries) {
          return Status::Invalid("the server keeps refusing this device's clock (offset " +
                                 std::to_string(last_offset_) + " ms)");
        }
        LATIH_ASSIGN_OR_RETURN(int restamped, store_.UpdateClockOffset(last_offset_, options_));
        report.rows_restamped += restamped;
        more = true;
        continue;
      }
      LATIH_RETURN_IF_ERROR(store_.ConfirmPush(*sent, response->push->refused));
      ++report.batches_pushed;
      report.rows_pushed += static_cast<int>(sent->rows.size());
      report.rows_refused += static_cast<int>(response->push->refused.size());
      for (auto& r : response->push->refused) report.refused.push_back(std::move(r));
    }
    if (!response->pull) return Status::ProtocolMismatch("the server did not answer the pull");
    LATIH_RETURN_IF_ERROR(ApplyPulled(state, *response->pull, report, &more));
    ShowProgress(report, pushing);
  }
  if (report.snapshot) {
    LATIH_ASSIGN_OR_RETURN(report.rows_removed, store_.FinishSnapshot());
  }
  return Status::Ok();
}

Result<SyncReport> SyncSession::Run() {
  SyncReport report;
  snapshot_ = snapshot_begun_ = false;
  LATIH_ASSIGN_OR_RETURN(ReplicaState state, store_.LoadState());
  // A snapshot cut off in an earlier session, or asked for by a migration
  // (schema/client/0012_client_repull.sql), goes on from its cursor.
  if (state.snapshot) report.snapshot = snapshot_ = true;
  // Round 1: the server's time, and whether there is anything to pull (our
  // own rows too during a snapshot: else it could end with none pulled and
  // remove what we pushed).
  SyncRequest hello = BaseRequest(state);
  hello.pull = PullRequest{state.pull_cursor, 0, 0};
  hello.pull->own = snapshot_;
  hello.client = client_;
  hello.pending = pending_;
  hello.quarantined = quarantined_;
  hello.begin = true;
  LATIH_ASSIGN_OR_RETURN(SyncResponse first, RoundTrip(std::move(hello), report));
  // Every later request names it: a push of this session that is still in
  // flight when a newer one begins is then refused (PROTOCOL.md §4).
  session_ = first.session;
  if (first.applied && first.applied->last_seq > state.push_watermark) {
    // The last session's batch arrived but its acknowledgement did not:
    // confirm it instead of sending it again (regrouped by this session's
    // batch size, the server could not tell it was a resend), and before a
    // re-stamp changes it.
    LATIH_ASSIGN_OR_RETURN(report.rows_confirmed, store_.ConfirmApplied(*first.applied));
    if (report.rows_confirmed > 0) {
      report.rows_refused += static_cast<int>(first.applied->refused.size());
      for (auto& r : first.applied->refused) report.refused.push_back(std::move(r));
    }
  }
  if (std::llabs(last_offset_ - state.clock_offset_ms) > options_.restamp_threshold_ms) {
    LATIH_ASSIGN_OR_RETURN(report.rows_restamped, store_.UpdateClockOffset(last_offset_, options_));
  }
  report.clock_offset_ms = last_offset_;
  report.clock_skewed = std::llabs(last_offset_) > options_.skew_warning_ms;
  const bool more = first.pull && (first.pull->more || first.pull->snapshot_required);
  LATIH_RETURN_IF_ERROR(Exchange(state, more, report));
  LATIH_RETURN_IF_ERROR(store_.RecordSyncDone(options_));
  return report;
}

}  // namespace latih::sync
