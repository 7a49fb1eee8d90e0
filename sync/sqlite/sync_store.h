// The two SQLite ends of a sync: SqliteSyncStore, the client replica as the
// session's SyncStore, and SyncServer, the server replica answering
// SyncRequests (the same merge; sync/PROTOCOL.md). Both borrow a Store,
// which must outlive them; one thread at a time.
#pragma once

#include "sync/options.h"
#include "sync/sqlite/scope.h"
#include "sync/sqlite/store.h"
#include "sync/sync_store.h"

namespace latih::sync::sqlite {

class SqliteSyncStore final : public SyncStore {
 public:
  // `store` must be a client replica (Store::Role::kClient).
  explicit SqliteSyncStore(Store& store) : store_(store) {}

  Result<ReplicaState> LoadState() override;
  Result<PushBatch> NextPushBatch(const Options& options) override;
  Result<PushBatch> PeekPushBatch(const Options& options, int64_t after_seq) override;
  Status BeginPush() override;
  Status ConfirmPush(const PushBatch& batch, const std::vector<Refusal>& refused) override;
  Result<int> ConfirmApplied(const AppliedBatch& applied) override;
  Result<int> ApplyPull(const PullBatch& batch) override;
  Result<int> UpdateClockOffset(int64_t offset_ms, const Options& options) override;
  Status RecordSyncDone(const Options& options) override;
  Status BeginSnapshot() override;
  Result<int> FinishSnapshot() override;

 private:
  // The batch of this replica's cells after `after` (and at or before
  // `up_to`, when not 0); *last: the seq the read got to. Writes nothing.
  Result<PushBatch> ReadPushBatch(const Options& options, int64_t after, int64_t* last, int64_t up_to = 0);

  Store& store_;
};

// Who sent a request to the server, as its transport authenticated it.
struct Peer {
  Access access = Access::All();  // office scoping of reads and writes
  int64_t credential_id = 0;      // for the audit trail (0: a local tool)
  std::string body_sha256;        // of the request as received, for the audit trail
};

class SyncServer {
 public:
  // `store` must be a server replica (Store::Role::kServer); `clock` is the
  // server's clock. Both must outlive this object.
  SyncServer(Store& store, Clock& clock, const Options& options)
      : store_(store), clock_(clock), options_(options) {}

  // Answers one round trip: applies the push batch exactly once (the batch
  // applied last, sent again, is acknowledged without applying, with the
  // refusals of the first time;
  // rows that break a rule are refused one by one, the rest applied; a
  // batch with versions beyond the time bound is refused whole with
  // clock_ahead), then reads the feed after the pull cursor. Rows the peer
  // may not write (its office's scope, scope.h) are refused one by one as
  // "forbidden"; the pull brings only rows it may read, and not the peer's
  // own cells unless it asks (pull.own). Every applied batch is appended to
  // sync_audit in its transaction. A request without a push is answered
  // the last batch of its node applied here (`applied`). A request with
  // `begin` opens the node's next session (`session` in the answer); a push
  // that names an older session than the node's latest is refused whole
  // (`superseded`, PROTOCOL.md §4). kProtocolMismatch for another protocol
  // version; kInvalidArgument for a negative session number.
  Result<SyncResponse> Handle(const SyncRequest& request, const Peer& peer);
  Result<SyncResponse> Handle(const SyncRequest& request) { return Handle(request, Peer{}); }

  // Purges tombstones every device active within `retention_days` has
  // pulled past and older than options.tombstone_min_age_days
  // (PROTOCOL.md §8). Returns the number of rows purged.
  Result<int> Compact(int retention_days);

 private:
  // `session`: the one the request names (0: none, not fenced).
  Result<PushAck> ApplyPush(int64_t node, int64_t session, const PushBatch& batch, int64_t now_ms,
                            const Peer& peer);
  Result<PullBatch> ReadPull(int64_t node, int schema, const PullRequest& pull, const Peer& peer);

  Store& store_;
  Clock& clock_;
  const Options& options_;
};

}  // namespace latih::sync::sqlite
