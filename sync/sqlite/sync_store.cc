#include "sync/sqlite/sync_store.h"

#include "sync/sqlite/migrator.h"

namespace latih::sync::sqlite {
namespace {

// FNV-1a over the batch's range and every cell's identity and version: equal
// for a resend of the same batch, different once pending changes were
// re-stamped or grew.
int64_t BatchHash(const PushBatch& push) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::string_view bytes) {
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  };
  auto mix_int = [&mix](int64_t v) { mix(std::string_view(reinterpret_cast<const char*>(&v), sizeof v)); };
  mix_int(push.id.first_seq);
  mix_int(push.id.last_seq);
  for (const auto& row : push.rows) {
    mix(row.id);
    for (const auto& c : row.cells) {
      mix(c.column);
      mix_int(c.version.hlc);
      mix_int(c.version.node);
    }
  }
  return static_cast<int64_t>(h & 0x7fffffffffffffffULL);
}

}  // namespace

Result<ReplicaState> SqliteSyncStore::LoadState() {
  LATIH_ASSIGN_OR_RETURN(Store::SyncState s, store_.LoadSyncState());
  LATIH_ASSIGN_OR_RETURN(int schema, SchemaVersion(store_.db()));
  LATIH_ASSIGN_OR_RETURN(auto office, store_.ReplicaOffice());
  return ReplicaState{store_.node_id(), schema, office.value_or(""), s.push_watermark, s.pull_cursor,
                      s.clock_offset_ms};
}

Result<PushBatch> SqliteSyncStore::NextPushBatch(const Options& options) {
  LATIH_ASSIGN_OR_RETURN(Store::SyncState s, store_.LoadSyncState());
  PushBatch batch;
  bool more = false;
  int64_t last = 0;
  LATIH_ASSIGN_OR_RETURN(batch.rows, store_.ReadChanges(s.push_watermark, store_.node_id(),
                                                        options.max_batch_rows, options.max_batch_bytes,
                                                        &last, &more));
  batch.id = BatchId{store_.node_id(), s.push_watermark + 1, last};

  return batch;
}

Status SqliteSyncStore::ConfirmPush(const BatchId& id) {

  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_RETURN_IF_ERROR(batch->SetPushWatermark(id.last_seq));
  return batch->Commit();
}

Result<int> SqliteSyncStore::ApplyPull(const PullBatch& pulled) {
  // Peers' rows may reference rows this replica has not received yet, or
  // deleted concurrently: references are not enforced on merged data. The
  // commit need not be fsynced: if power fails, the cursor rolls back with
  // the data and the batch is pulled again.
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite(/*enforce_references=*/false, /*durable=*/false));
  LATIH_ASSIGN_OR_RETURN(bool snapshot, batch->SnapshotActive());
  int changed = 0;
  for (const auto& row : pulled.rows) {
    LATIH_ASSIGN_OR_RETURN(int won, batch->ApplyRow(row));
    changed += won > 0;
    if (snapshot) LATIH_RETURN_IF_ERROR(batch->NoteSnapshotRow(row.id));
  }
  LATIH_RETURN_IF_ERROR(batch->SetPullCursor(pulled.last_seq));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return changed;
}

Result<int> SqliteSyncStore::UpdateClockOffset(int64_t offset_ms) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_ASSIGN_OR_RETURN(int restamped, batch->SetClockOffset(offset_ms));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return restamped;
}

Status SqliteSyncStore::RecordSyncDone(const Options& options) {
  constexpr int64_t kDayMs = 24LL * 3600 * 1000;
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_RETURN_IF_ERROR(batch->MarkSynced());
  LATIH_RETURN_IF_ERROR(batch->ForgetTombstones(options.tombstone_retention_days * kDayMs).status());
  return batch->Commit();
}

Status SqliteSyncStore::BeginSnapshot() {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_RETURN_IF_ERROR(batch->SetSnapshotActive(true));
  LATIH_RETURN_IF_ERROR(batch->SetPullCursor(0));
  return batch->Commit();
}

Result<int> SqliteSyncStore::FinishSnapshot() {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite(/*enforce_references=*/false));
  LATIH_ASSIGN_OR_RETURN(int removed, batch->PurgeUnseen());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return removed;
}

Result<int> SyncServer::Compact(int retention_days) {
  constexpr int64_t kDayMs = 24LL * 3600 * 1000;
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_ASSIGN_OR_RETURN(int64_t horizon, batch->Horizon(clock_.NowUnixMs() - retention_days * kDayMs));
  const int64_t now = clock_.NowUnixMs();
  LATIH_ASSIGN_OR_RETURN(int purged,
                         batch->Compact(horizon, now - options_.tombstone_min_age_days * kDayMs));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return purged;
}

Result<SyncResponse> SyncServer::Handle(const SyncRequest& request) {
  if (request.protocol != kProtocolVersion) {
    return Status::ProtocolMismatch("this server speaks sync protocol " + std::to_string(kProtocolVersion) +
                                    ", the device " + std::to_string(request.protocol) + "; update latih");
  }
  SyncResponse response;
  response.server_time_ms = clock_.NowUnixMs();
  if (request.push) {
    LATIH_ASSIGN_OR_RETURN(PushAck ack, ApplyPush(request.node, *request.push, response.server_time_ms));
    response.push = std::move(ack);
  }
  if (request.pull) {
    LATIH_ASSIGN_OR_RETURN(PullBatch pulled, ReadPull(request.node, *request.pull));
    response.pull = std::move(pulled);
  }
  return response;
}

Result<PushAck> SyncServer::ApplyPush(int64_t node, const PushBatch& push, int64_t now_ms) {
  PushAck ack;
  ack.id = push.id;
  if (push.id.node != node) return Status::Invalid("push batch of node " + std::to_string(push.id.node) +
                                                   " sent by node " + std::to_string(node));
  const int64_t bound = HlcPack(now_ms + options_.max_ahead_ms, kHlcCounterMask);
  for (const auto& row : push.rows) {
    for (const auto& cell : row.cells) {
      if (cell.version.hlc > bound) {
        ack.clock_ahead = true;  // PROTOCOL.md §3 rule 3: refused whole, nothing observed
        return ack;
      }
    }
  }
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite(/*enforce_references=*/false));
  const int64_t hash = BatchHash(push);
  LATIH_ASSIGN_OR_RETURN(auto applied, batch->AppliedBatch(node));
  if (push.id.last_seq <= applied.first && hash == applied.second) return ack;  // a resend: not applied again
  for (const auto& row : push.rows) {
    Status refused = Status::Ok();
    LATIH_RETURN_IF_ERROR(batch->TryApplyRow(row, &refused).status());
    if (!refused.ok()) ack.refused.push_back(Refusal{row.table, row.id, "", refused.message()});
  }
  LATIH_RETURN_IF_ERROR(batch->SetAppliedBatch(node, push.id.last_seq, hash));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  ack.applied = true;
  return ack;
}

Result<PullBatch> SyncServer::ReadPull(int64_t node, const PullRequest& pull) {
  PullBatch out;
  {
    LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
    LATIH_RETURN_IF_ERROR(batch->RecordDeviceCursor(node, pull.cursor));
    LATIH_ASSIGN_OR_RETURN(int64_t purged, batch->PurgedUpTo());
    LATIH_RETURN_IF_ERROR(batch->Commit());
    if (pull.cursor > 0 && pull.cursor < purged) {
      out.snapshot_required = true;  // tombstones it never saw are gone
      out.last_seq = pull.cursor;
      return out;
    }
  }
  LATIH_ASSIGN_OR_RETURN(out.rows, store_.ReadChanges(pull.cursor, 0, pull.max_rows, pull.max_bytes,
                                                      &out.last_seq, &out.more));
  if (pull.max_rows == 0) out.last_seq = pull.cursor;  // a probe moves nothing
  return out;
}

}  // namespace latih::sync::sqlite
