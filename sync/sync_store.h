// What a sync session needs from the client's local replica (the `Store`
// port of STYLE.md): its sync state, the next push batch, and the atomic
// steps that move the watermarks. Implemented over SQLite by
// sync/sqlite/sync_store.h; tests may wrap it to inject faults.
#pragma once

#include <string>

#include "sync/options.h"
#include "sync/protocol.h"
#include "sync/status.h"

namespace latih::sync {

struct ReplicaState {
  int64_t node = 0;
  int schema = 0;
  std::string office;
  int64_t push_watermark = 0;  // local seq acknowledged by the server
  int64_t pull_cursor = 0;     // server seq applied here
  int64_t clock_offset_ms = 0;
  bool snapshot = false;       // a snapshot pull is under way: go on with it
};

class SyncStore {
 public:
  virtual ~SyncStore() = default;
  virtual Result<ReplicaState> LoadState() = 0;
  // The next batch of this replica's unpushed cells, at most
  // options.max_batch_rows rows / max_batch_bytes bytes. Empty rows: none.
  virtual Result<PushBatch> NextPushBatch(const Options& options) = 0;
  // The batch NextPushBatch would give once the watermark is at
  // `after_seq`, read ahead while an earlier batch is in flight: writes
  // nothing, so it may run on a second thread while the caller only waits
  // on the network. Empty rows: none found (NextPushBatch decides then).
  virtual Result<PushBatch> PeekPushBatch(const Options& options, int64_t after_seq) = 0;
  // A session is about to push: every local change up to now may reach the
  // server from here on, acknowledged or not (PROTOCOL.md §3 rule 2).
  virtual Status BeginPush() = 0;
  // The server acknowledged `batch`: advance the push watermark to its
  // last_seq and, in the same transaction, quarantine the rows it refused
  // and release the others from quarantine.
  virtual Status ConfirmPush(const PushBatch& batch, const std::vector<Refusal>& refused) = 0;
  // The server says `applied` is the last batch of this replica it applied,
  // though its acknowledgement may never have arrived (a cut). If the
  // unacknowledged changes up to applied.last_seq are that batch (same range,
  // same content hash), confirm them as ConfirmPush would with
  // applied.refused. Returns the rows confirmed: 0 when they are not that
  // batch (they are then pushed as usual).
  virtual Result<int> ConfirmApplied(const AppliedBatch& applied) = 0;
  // Applies `batch` and sets the pull cursor to batch.last_seq in ONE
  // transaction. Returns the number of rows that changed.
  virtual Result<int> ApplyPull(const PullBatch& batch) = 0;
  // Stores a newly measured clock offset and re-stamps unpushed changes by
  // its difference from the stored one (options.max_ahead_ms: the server's
  // bound). Returns the rows re-stamped.
  virtual Result<int> UpdateClockOffset(int64_t offset_ms, const Options& options) = 0;
  // Records a completed session (device time) and forgets tombstones older
  // than options.tombstone_retention_days that were pushed.
  virtual Status RecordSyncDone(const Options& options) = 0;
  // Snapshot recovery (PROTOCOL.md §8): BeginSnapshot resets the pull
  // cursor to 0 and starts recording the rows pulled; FinishSnapshot removes
  // the local rows the snapshot did not contain, except those holding
  // unpushed local changes. Returns the number of rows removed.
  virtual Status BeginSnapshot() = 0;
  virtual Result<int> FinishSnapshot() = 0;
};

}  // namespace latih::sync
