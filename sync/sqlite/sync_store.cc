#include "sync/sqlite/sync_store.h"

#include "sync/sqlite/migrator.h"

#include <algorithm>
#include <limits>
#include <set>
#include <string_view>

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
  LATIH_ASSIGN_OR_RETURN(auto office, store_.ReplicaOffice());
  LATIH_ASSIGN_OR_RETURN(bool snapshot, store_.SnapshotPending());
  return ReplicaState{store_.node_id(), store_.catalog().WireSchema(), office.value_or(""), s.push_watermark,
                      s.pull_cursor, s.clock_offset_ms, snapshot};
}

Result<PushBatch> SqliteSyncStore::ReadPushBatch(const Options& options, int64_t after, int64_t* last,
                                                 int64_t up_to) {
  PushBatch batch;
  Store::FeedFilter mine;
  mine.only_node = store_.node_id();
  mine.up_to_seq = up_to;
  // One read of the feed examines a bounded number of entries: go on while
  // it found none of ours but there is more (a device that pulled much).
  const int64_t first = after + 1;
  *last = after;
  bool more = true;
  while (batch.rows.empty() && more) {
    LATIH_ASSIGN_OR_RETURN(batch.rows, store_.ReadChanges(after, mine, options.max_batch_rows,
                                                          options.max_batch_bytes, last, &more));
    if (*last == after) break;
    after = *last;
  }
  batch.id = BatchId{store_.node_id(), first, *last};
  return batch;
}

Result<PushBatch> SqliteSyncStore::NextPushBatch(const Options& options) {
  LATIH_ASSIGN_OR_RETURN(Store::SyncState s, store_.LoadSyncState());
  int64_t last = 0;
  LATIH_ASSIGN_OR_RETURN(PushBatch batch, ReadPushBatch(options, s.push_watermark, &last));
  if (batch.rows.empty() && last > s.push_watermark) {
    // Nothing of ours up to `last` (a later local write gets a higher seq):
    // skip that stretch for good, so the next scan starts past it.
    LATIH_ASSIGN_OR_RETURN(auto w, store_.BeginWrite());
    LATIH_RETURN_IF_ERROR(w->SetPushWatermark(last));
    LATIH_RETURN_IF_ERROR(w->Commit());
  }
  return batch;
}

Result<PushBatch> SqliteSyncStore::PeekPushBatch(const Options& options, int64_t after_seq) {
  int64_t last = 0;
  return ReadPushBatch(options, after_seq, &last);
}

Status SqliteSyncStore::BeginPush() {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare("SELECT last_seq FROM replica"));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  const int64_t last_seq = row ? s->ColumnInt(0) : 0;
  s->Reset();
  LATIH_RETURN_IF_ERROR(batch->MarkPushSent(last_seq));
  return batch->Commit();
}

Status SqliteSyncStore::ConfirmPush(const PushBatch& pushed, const std::vector<Refusal>& refused) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_RETURN_IF_ERROR(batch->SetPushWatermark(pushed.id.last_seq));
  std::set<std::string_view> refused_ids;
  for (const auto& r : refused) {
    refused_ids.insert(r.id);
    LATIH_RETURN_IF_ERROR(batch->Quarantine(r));
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* any, store_.db().Prepare("SELECT EXISTS (SELECT 1 FROM quarantine)"));
  LATIH_ASSIGN_OR_RETURN(bool got, any->Step());
  const bool quarantined = got && any->ColumnInt(0) != 0;
  any->Reset();
  if (quarantined) {  // an accepted write of a quarantined row releases it
    for (const auto& row : pushed.rows) {
      if (!refused_ids.count(row.id)) LATIH_RETURN_IF_ERROR(batch->Unquarantine(row.id));
    }
  }
  return batch->Commit();
}

Result<int> SqliteSyncStore::ConfirmApplied(const AppliedBatch& applied) {
  LATIH_ASSIGN_OR_RETURN(Store::SyncState s, store_.LoadSyncState());
  if (applied.last_seq <= s.push_watermark) return 0;
  Options whole;  // the range as it was sent, whatever the size limits are now
  whole.max_batch_rows = std::numeric_limits<int>::max();
  whole.max_batch_bytes = std::numeric_limits<int64_t>::max();
  int64_t last = 0;
  LATIH_ASSIGN_OR_RETURN(PushBatch batch, ReadPushBatch(whole, s.push_watermark, &last, applied.last_seq));
  // Another range or other content (a row written again since, a re-stamp):
  // not what the server has, so it is pushed as usual.
  if (batch.rows.empty() || batch.id.last_seq != applied.last_seq || BatchHash(batch) != applied.hash) return 0;
  LATIH_RETURN_IF_ERROR(ConfirmPush(batch, applied.refused));
  return static_cast<int>(batch.rows.size());
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
  LATIH_RETURN_IF_ERROR(batch->SkipPulledIfClean());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return changed;
}

Result<int> SqliteSyncStore::UpdateClockOffset(int64_t offset_ms, const Options& options) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
  LATIH_ASSIGN_OR_RETURN(int restamped, batch->SetClockOffset(offset_ms, options.max_ahead_ms));
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

Result<SyncResponse> SyncServer::Handle(const SyncRequest& request, const Peer& peer) {
  if (request.protocol != kProtocolVersion) {
    return Status::ProtocolMismatch("this server speaks sync protocol " + std::to_string(kProtocolVersion) +
                                    ", the device " + std::to_string(request.protocol) + "; update latih");
  }
  // PROTOCOL.md §6, "Schema evolution": every wire schema from the oldest
  // still served up to this server's own.
  const int schema = store_.catalog().WireSchema();
  if (request.schema < kMinWireSchemaVersion || request.schema > schema) {
    return Status::ProtocolMismatch("this server has data schema " + std::to_string(schema) + " (and serves " +
                                    std::to_string(kMinWireSchemaVersion) + " and up), the device " +
                                    std::to_string(request.schema) + "; update latih on the " +
                                    (request.schema > schema ? "server" : "device"));
  }
  if (request.session < 0) {
    return Status::Invalid("session: " + std::to_string(request.session) +
                           " is not a session number (the server's answer to \"begin\", from 1)");
  }
  SyncResponse response;
  response.server_time_ms = clock_.NowUnixMs();
  int64_t session = request.session;
  if (request.begin) {
    // PROTOCOL.md §4, "One session at a time": from here on, a push of an
    // earlier session of this device is refused, so `applied` stays true.
    LATIH_ASSIGN_OR_RETURN(Store::OpenedSession opened, store_.OpenDeviceSession(request.node));
    response.session = session = opened.session;
    if (!request.push) response.applied = std::move(opened.applied);
  }
  if (request.push) {
    LATIH_ASSIGN_OR_RETURN(PushAck ack,
                           ApplyPush(request.node, session, *request.push, response.server_time_ms, peer));
    response.push = std::move(ack);
  } else if (!request.begin) {
    LATIH_ASSIGN_OR_RETURN(response.applied, store_.LastAppliedBatch(request.node));
  }
  if (request.pull) {
    LATIH_ASSIGN_OR_RETURN(PullBatch pulled, ReadPull(request.node, request.schema, *request.pull, peer));
    response.pull = std::move(pulled);
  }
  return response;
}

Result<PushAck> SyncServer::ApplyPush(int64_t node, int64_t session, const PushBatch& push, int64_t now_ms,
                                      const Peer& peer) {
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
  if (session > 0) {
    // Under the node's lock until this batch ends: a session opened after
    // this check waits for the commit, and its `applied` names this batch.
    LATIH_ASSIGN_OR_RETURN(int64_t latest, batch->LockDeviceSession(node));
    if (latest > session) {
      ack.superseded = true;  // PROTOCOL.md §4: refused whole, nothing applied
      return ack;
    }
  }
  const int64_t hash = BatchHash(push);
  LATIH_ASSIGN_OR_RETURN(std::optional<AppliedBatch> applied, store_.LastAppliedBatch(node));
  if (applied && push.id.last_seq <= applied->last_seq && hash == applied->hash) {
    ack.refused = std::move(applied->refused);  // a resend: not applied again, answered as the first time
    return ack;
  }
  Scope scope(store_, peer.access);
  const RowGuard guard = [&scope](const TableDef& td, const Row* before, const Row& after) {
    return scope.MayWrite(td, before, after);
  };
  for (const auto& row : push.rows) {
    Status refused = Status::Ok();
    LATIH_RETURN_IF_ERROR(batch->TryApplyRow(row, &refused, peer.access.all ? nullptr : &guard).status());
    if (!refused.ok()) {
      ack.refused.push_back(Refusal{row.table, row.id, "", refused.message(),
                                    refused.code() == StatusCode::kPermissionDenied ? "forbidden" : "invalid"});
    }
  }
  LATIH_RETURN_IF_ERROR(batch->SetAppliedBatch(node, AppliedBatch{push.id.last_seq, hash, ack.refused}));
  LATIH_RETURN_IF_ERROR(batch->AppendAudit(WriteBatch::AuditEntry{
      now_ms, peer.credential_id, push.id, static_cast<int>(push.rows.size()),
      static_cast<int>(ack.refused.size()), peer.body_sha256}));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  ack.applied = true;
  return ack;
}

Result<PullBatch> SyncServer::ReadPull(int64_t node, int schema, const PullRequest& pull, const Peer& peer) {
  PullBatch out;
  {
    int64_t purged = 0;
    if (store_.db().dialect() == Dialect::kPostgres) {
      // Not under the write lock: with several instances, pulls would
      // otherwise queue behind every push. Compaction purges only below
      // the lowest noted cursor, so this device's next read is unaffected.
      LATIH_ASSIGN_OR_RETURN(purged, store_.NoteDeviceCursor(node, pull.cursor));
    } else {
      LATIH_ASSIGN_OR_RETURN(auto batch, store_.BeginWrite());
      LATIH_RETURN_IF_ERROR(batch->RecordDeviceCursor(node, pull.cursor));
      LATIH_ASSIGN_OR_RETURN(purged, batch->PurgedUpTo());
      LATIH_RETURN_IF_ERROR(batch->Commit());
    }
    // A snapshot's own pulls (PROTOCOL.md §8: they alone ask for the
    // device's own cells) read the whole feed from 0 and end by removing
    // what they did not see: a purge below their cursor takes nothing from
    // them. Asked again, a snapshot whose batches had not yet passed the
    // purged seqs could never finish.
    if (!pull.own && pull.cursor > 0 && pull.cursor < purged) {
      out.snapshot_required = true;  // tombstones it never saw are gone
      out.last_seq = pull.cursor;
      return out;
    }
  }
  Store::FeedFilter filter;
  if (!pull.own) filter.skip_node = node;  // echo suppression (PROTOCOL.md §4)
  if (schema < store_.catalog().WireSchema()) filter.schema = schema;
  Scope scope(store_, peer.access);
  if (!peer.access.all) {
    filter.visible = [&scope](const TableDef& td, const Row& row) { return scope.MayRead(td, row); };
    filter.prefetch = [&scope](const TableDef& td, const std::vector<const Row*>& rows) {
      return scope.Prefetch(td, rows);
    };
    filter.office = peer.access.office;
  }
  const int max_rows = std::clamp(pull.max_rows, 0, options_.max_batch_rows_limit);
  const int64_t max_bytes = std::clamp<int64_t>(pull.max_bytes, 0, options_.max_batch_bytes_limit);
  // One snapshot for the feed and the rows' values: another server instance
  // may commit meanwhile (PROTOCOL.md §4, "Several server instances").
  LATIH_ASSIGN_OR_RETURN(auto snapshot, ReadTransaction::Begin(store_.db()));
  LATIH_ASSIGN_OR_RETURN(out.rows, store_.ReadChanges(pull.cursor, filter, max_rows, max_bytes,
                                                      &out.last_seq, &out.more));
  if (pull.max_rows == 0) out.last_seq = pull.cursor;  // a probe moves nothing
  return out;
}

}  // namespace latih::sync::sqlite
