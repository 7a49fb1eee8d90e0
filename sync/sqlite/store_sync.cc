// Store and WriteBatch: the parts the sync engine uses (merge of peer rows,
// the change feed, watermarks, clock offset). See sync/PROTOCOL.md.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "sync/merge.h"
#include "sync/row_rules.h"
#include "sync/sqlite/scope.h"
#include "sync/sqlite/store.h"

namespace latih::sync::sqlite {
namespace {

constexpr int kFeedPageRows = 256;
// One read of the feed examines at most this many entries, so that a device
// seeing a small part of the server's feed gets progress, not a long scan.
constexpr int64_t kMaxFeedScanRows = 50000;

nlohmann::json ToJson(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

Value FromJson(const nlohmann::json& j) {
  if (j.is_number_integer()) return j.get<int64_t>();
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  return Value();
}

Value AliveValue(bool alive) { return int64_t{alive ? 1 : 0}; }

}  // namespace

Status WriteBatch::SaveDeleted(const TableDef& td, const Row& row) {
  may_have_tombstones_ = true;
  nlohmann::json vals = nlohmann::json::array();
  for (const auto& v : row.values) vals.push_back(ToJson(v));
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      "INSERT INTO deleted_row(row_id, tbl, vals) VALUES (?1, ?2, ?3) "
      "ON CONFLICT(row_id) DO UPDATE SET vals = ?3"));
  s->Bind(1, row.id).Bind(2, td.name).Bind(3, vals.dump());
  return s->Run();
}

Status WriteBatch::DropDeleted(std::string_view id) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("DELETE FROM deleted_row WHERE row_id = ?1"));
  s->Bind(1, id);
  return s->Run();
}

Result<std::optional<Row>> WriteBatch::ReadDeleted(const TableDef& td, std::string_view id) {
  return store_.ReadDeletedValues(td, id);
}

Status WriteBatch::RecordConflict(const TableDef& td, std::string_view id, int column, const Value& winner,
                                  const Version& winner_v, const Value& loser, const Version& loser_v) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      "INSERT INTO sync_conflict(tbl, row_id, col, winner_value, winner_hlc, winner_node, loser_value, "
      "loser_hlc, loser_node, detected_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10) ON CONFLICT DO NOTHING"));
  s->Bind(1, td.name).Bind(2, id).Bind(3, column < 0 ? std::string() : td.columns[column].name);
  s->Bind(4, ToJson(winner).dump()).Bind(5, winner_v.hlc).Bind(6, winner_v.node);
  s->Bind(7, ToJson(loser).dump()).Bind(8, loser_v.hlc).Bind(9, loser_v.node);
  s->Bind(10, IsoUtcMs(store_.env().clock.NowUnixMs()));
  return s->Run();
}

Result<int> WriteBatch::ApplyRow(const RowChange& change, const RowGuard* guard) {
  const TableDef* td = store_.catalog_.Find(change.table);
  if (!td) return Status::Invalid("unknown table '" + change.table + "'");
  const std::string& id = change.id;
  LATIH_ASSIGN_OR_RETURN(auto versions, ReadVersions(*td, id));
  LATIH_ASSIGN_OR_RETURN(auto existing, ReadRow(*td, id));
  const bool alive_before = existing.has_value();
  // A row this replica has never seen has no change-log entry, hence no
  // deleted_row either: skip both look-ups (the bulk initial pull).
  bool known = alive_before;
  for (const auto& v : versions) known |= !(v.version == Version{});
  Row row;
  if (existing) {
    row = std::move(*existing);
  } else if (!known) {
    row = Row{id, {}};
    for (const auto& c : td->columns) row.values.push_back(c.default_value);
  } else {
    LATIH_ASSIGN_OR_RETURN(auto deleted, ReadDeleted(*td, id));
    row = deleted ? std::move(*deleted) : Row{id, {}};
    if (!deleted) for (const auto& c : td->columns) row.values.push_back(c.default_value);
  }
  // Each cell's column and value as stored, once: for the guard and the merge.
  std::vector<int> cols(change.cells.size());
  std::vector<Value> values(change.cells.size());
  for (size_t i = 0; i < change.cells.size(); ++i) {
    const WireCell& cell = change.cells[i];
    cols[i] = cell.column.empty() ? -1 : td->ColumnIndex(cell.column);
    if (!cell.column.empty() && cols[i] < 0) {
      return Status::Invalid(td->name + " has no column '" + cell.column + "'");
    }
    if (cols[i] >= 0) {
      LATIH_ASSIGN_OR_RETURN(values[i], CoerceValue(*td, td->columns[cols[i]], cell.value));
    } else {
      values[i] = AliveValue(ValueToText(cell.value) != "0");
    }
  }
  if (guard) {
    // The row as the change claims it, whether or not its cells win here.
    Row after = row;
    for (size_t i = 0; i < cols.size(); ++i) {
      if (cols[i] >= 0) after.values[cols[i]] = values[i];
    }
    LATIH_RETURN_IF_ERROR((*guard)(*td, known ? &row : nullptr, after));
  }
  bool alive = alive_before;
  const bool client = store_.role_ == Store::Role::kClient;
  const int64_t seq = ++seq_;
  // Conflicts are written last: ApplyRow writes nothing before its last
  // check (TryApplyRow relies on it to refuse a row without a savepoint).
  struct Pending {
    int col;
    Value winner;
    Version winner_version;
    Value loser;
    Version loser_version;
  };
  std::vector<Pending> conflicts;
  auto record_conflicts = [&]() -> Status {
    for (const auto& c : conflicts) {
      LATIH_RETURN_IF_ERROR(RecordConflict(*td, id, c.col, c.winner, c.winner_version, c.loser, c.loser_version));
    }
    return Status::Ok();
  };
  int won = 0;
  bool echo_acked = false;
  bool lost = false;  // a cell of the peer's lost: it must get the winner back
  for (size_t i = 0; i < change.cells.size(); ++i) {
    const WireCell& cell = change.cells[i];
    const int col = cols[i];
    CellVersion& local = versions[col + 1];
    const bool pending = client && Unpushed(local);
    if (pending && local.version == cell.version) {  // our own write came back: acknowledged
      local.seq = 0;
      echo_acked = true;
    }
    Value remote_value = std::move(values[i]);
    const Value local_value = col < 0 ? AliveValue(alive) : row.values[col];
    const MergeDecision d = DecideMerge({local.version, local.base}, {cell.version, cell.base});
    const bool record = client ? (pending && d.take_remote) : d.concurrent;
    if (record && !SameValue(local_value, remote_value)) {
      conflicts.push_back(d.take_remote ? Pending{col, remote_value, cell.version, local_value, local.version}
                                        : Pending{col, local_value, local.version, remote_value, cell.version});
    }
    if (!d.take_remote) {
      lost |= !(local.version == cell.version);
      continue;
    }
    clock_.Observe(cell.version.hlc);
    if (col >= 0) row.values[col] = std::move(remote_value);
    else alive = std::get<int64_t>(remote_value) == 1;
    local = CellVersion{cell.version, seq, cell.base};
    ++won;
  }
  if (won == 0 && lost && !client) {
    // The sender keeps a value that lost here: republish the row so that its
    // next pull brings it the winner (its cursor may be past this row).
    MoveCellsWithRow(versions, seq);
    LATIH_RETURN_IF_ERROR(WriteVersions(*td, id, versions, seq));
    LATIH_RETURN_IF_ERROR(record_conflicts());
    return 0;
  }
  if (won == 0) {
    --seq_;
    if (echo_acked) {  // record the acknowledgements; the row keeps its place in the feed
      LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("UPDATE change_log SET cells = ?2 WHERE row_id = ?1"));
      s->Bind(1, id).BindBlob(2, EncodeCellVersions(versions));
      LATIH_RETURN_IF_ERROR(s->Run());
    }
    LATIH_RETURN_IF_ERROR(record_conflicts());
    return 0;
  }
  MoveCellsWithRow(versions, seq);
  if (alive) {
    LATIH_RETURN_IF_ERROR(ValidateCompleteRow(*td, row).WithContext("refused " + td->name + " " + id));
    LATIH_RETURN_IF_ERROR(WriteRow(*td, row, alive_before));
    if (!alive_before && known) LATIH_RETURN_IF_ERROR(DropDeleted(id));
  } else {
    if (alive_before) {
      Forget(td->name, id);
      LATIH_ASSIGN_OR_RETURN(Stmt* del, store_.db_->Prepare(store_.SqlFor(*td).remove));
      del->Bind(1, id);
      LATIH_RETURN_IF_ERROR(del->Run());
    }
    LATIH_RETURN_IF_ERROR(SaveDeleted(*td, row));
  }
  LATIH_RETURN_IF_ERROR(WriteVersions(*td, id, versions, seq));
  LATIH_RETURN_IF_ERROR(record_conflicts());
  return won;
}

Result<int> WriteBatch::TryApplyRow(const RowChange& row, Status* refused, const RowGuard* guard) {
  // SQLite: no savepoint (it cost a quarter of the server's apply): ApplyRow
  // makes every check before its first write, and a failing statement
  // leaves nothing behind. PostgreSQL aborts the whole transaction at a
  // failing statement (a UNIQUE or CHECK constraint the row rules do not
  // cover), so each row gets a savepoint there. Any other failure aborts the
  // whole batch.
  Db& db = *store_.db_;
  const bool savepoint = db.dialect() == Dialect::kPostgres;
  if (savepoint) LATIH_RETURN_IF_ERROR(db.Exec("SAVEPOINT latih_row"));
  auto won = ApplyRow(row, guard);
  if (won.ok()) {
    if (savepoint) LATIH_RETURN_IF_ERROR(db.Exec("RELEASE SAVEPOINT latih_row"));
    return won;
  }
  const StatusCode code = won.status().code();
  if (code != StatusCode::kInvalidArgument && code != StatusCode::kPermissionDenied) return won.status();
  if (savepoint) LATIH_RETURN_IF_ERROR(db.Exec("ROLLBACK TO SAVEPOINT latih_row; RELEASE SAVEPOINT latih_row"));
  *refused = won.status();
  return 0;
}

Result<std::vector<Store::Conflict>> Store::ListConflicts(bool include_resolved) {
  LATIH_ASSIGN_OR_RETURN(auto s, db_->PrepareOwned(
      "SELECT id, tbl, row_id, col, winner_value, winner_hlc, winner_node, loser_value, loser_hlc, loser_node, "
      "detected_at, coalesce(resolved_at, '') FROM sync_conflict WHERE ?1 OR resolved_at IS NULL ORDER BY id DESC"));
  s->Bind(1, int64_t{include_resolved ? 1 : 0});
  std::vector<Conflict> out;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(Conflict{s->ColumnInt(0), s->ColumnText(1), s->ColumnText(2), s->ColumnText(3),
                           s->ColumnText(4), s->ColumnText(7), s->ColumnText(10), s->ColumnText(11),
                           Version{s->ColumnInt(5), s->ColumnInt(6)}, Version{s->ColumnInt(8), s->ColumnInt(9)}});
  }
  return out;
}

Status WriteBatch::ResolveConflict(int64_t id, bool restore_loser) {
  LATIH_ASSIGN_OR_RETURN(Stmt* get, store_.db_->Prepare(
      "SELECT tbl, row_id, col, loser_value, resolved_at FROM sync_conflict WHERE id = ?1"));
  get->Bind(1, id);
  LATIH_ASSIGN_OR_RETURN(bool found, get->Step());
  if (!found) return Status::NotFound("conflict " + std::to_string(id) + " does not exist");
  const std::string table = get->ColumnText(0), row_id = get->ColumnText(1), column = get->ColumnText(2);
  const std::string loser = get->ColumnText(3);
  const bool resolved = !get->ColumnIsNull(4);
  get->Reset();
  if (resolved) return Status::Invalid("conflict " + std::to_string(id) + " is already resolved");
  if (restore_loser) {
    if (column.empty()) {
      return Status::Invalid("conflict " + std::to_string(id) + " is about the row's existence; "
                             "record the row again (or delete it) instead");
    }
    const Value value = FromJson(nlohmann::json::parse(loser, nullptr, false));
    const std::vector<ColumnValue> cols = {{column, value}};
    auto put = Put(table, row_id, cols, PutMode::kUpdateOnly);
    if (!put.ok()) return put.status().WithContext("restoring conflict " + std::to_string(id));
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* mark, store_.db_->Prepare(
      "UPDATE sync_conflict SET resolved_at = ?2 "
      "WHERE id = ?1"));
  mark->Bind(1, id).Bind(2, IsoUtcMs(store_.env().clock.NowUnixMs()));
  return mark->Run();
}

Status WriteBatch::MarkSynced() {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      "UPDATE replica SET last_sync_at = ?1"));
  s->Bind(1, IsoUtcMs(store_.env().clock.NowUnixMs()));
  return s->Run();
}

Result<std::optional<sync::AppliedBatch>> Store::LastAppliedBatch(int64_t node) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare("SELECT last_seq, hash, refused FROM applied_batch WHERE node = ?1"));
  s->Bind(1, node);
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  std::optional<sync::AppliedBatch> applied;
  if (found) {
    applied = sync::AppliedBatch{s->ColumnInt(0), s->ColumnInt(1), {}};
    const auto refused = nlohmann::json::parse(s->ColumnText(2), nullptr, false);
    for (const auto& f : refused.is_array() ? refused : nlohmann::json::array()) {
      applied->refused.push_back(Refusal{f.value("t", ""), f.value("id", ""), f.value("col", ""), f.value("why", ""),
                                         f.value("code", "invalid")});
    }
  }
  s->Reset();
  return applied;
}

Result<Store::OpenedSession> Store::OpenDeviceSession(int64_t node) {
  const bool sqlite = db_->dialect() == Dialect::kSqlite;
  if (sqlite) LATIH_RETURN_IF_ERROR(db_->Exec("PRAGMA synchronous=NORMAL"));
  struct Restore {
    Db& db;
    bool sqlite;
    ~Restore() {
      if (sqlite) (void)db.Exec("PRAGMA synchronous=FULL");
    }
  } restore{*db_, sqlite};
  LATIH_ASSIGN_OR_RETURN(auto txn, Transaction::BeginKeyed(*db_, node));
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare(
      "INSERT INTO device_session(node, session, opened_at) VALUES (?1, 1, ?2) "
      "ON CONFLICT(node) DO UPDATE SET session = device_session.session + 1, opened_at = ?2 RETURNING session"));
  s->Bind(1, node).Bind(2, IsoUtcMs(env_.clock.NowUnixMs()));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::Corruption("device_session: no session number returned");
  OpenedSession opened;
  opened.session = s->ColumnInt(0);
  s->Reset();
  LATIH_ASSIGN_OR_RETURN(opened.applied, LastAppliedBatch(node));
  LATIH_RETURN_IF_ERROR(txn->Commit());
  return opened;
}

Result<int64_t> WriteBatch::LockDeviceSession(int64_t node) {
  LATIH_RETURN_IF_ERROR(store_.db_->LockKey(node));
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("SELECT session FROM device_session WHERE node = ?1"));
  s->Bind(1, node);
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  const int64_t latest = row ? s->ColumnInt(0) : 0;
  s->Reset();
  return latest;
}

Status WriteBatch::SetAppliedBatch(int64_t node, const sync::AppliedBatch& applied) {
  nlohmann::json refused = nlohmann::json::array();
  for (const auto& f : applied.refused) {
    refused.push_back({{"t", f.table}, {"id", f.id}, {"col", f.column}, {"why", f.reason}, {"code", f.code}});
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      "INSERT INTO applied_batch(node, last_seq, hash, refused, applied_at) VALUES (?1, ?2, ?3, ?4, "
      "?5) "
      "ON CONFLICT(node) DO UPDATE SET last_seq = " + std::string(store_.db_->greatest()) +
      "(applied_batch.last_seq, ?2), hash = ?3, refused = ?4, "
      "applied_at = excluded.applied_at"));
  s->Bind(1, node).Bind(2, applied.last_seq).Bind(3, applied.hash).Bind(4, refused.dump())
      .Bind(5, IsoUtcMs(store_.env().clock.NowUnixMs()));
  return s->Run();
}

Status WriteBatch::RecordDeviceCursor(int64_t node, int64_t cursor) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      "INSERT INTO device_cursor(node, cursor, seen_at_ms) VALUES (?1, ?2, ?3) "
      "ON CONFLICT(node) DO UPDATE SET cursor = ?2, seen_at_ms = ?3"));
  s->Bind(1, node).Bind(2, cursor).Bind(3, store_.env().clock.NowUnixMs());
  return s->Run();
}

Result<int64_t> Store::NoteDeviceCursor(int64_t node, int64_t cursor) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare(
      "INSERT INTO device_cursor(node, cursor, seen_at_ms) VALUES (?1, ?2, ?3) "
      "ON CONFLICT(node) DO UPDATE SET cursor = ?2, seen_at_ms = ?3"));
  s->Bind(1, node).Bind(2, cursor).Bind(3, env_.clock.NowUnixMs());
  LATIH_RETURN_IF_ERROR(s->Run());
  LATIH_ASSIGN_OR_RETURN(Stmt* p, db_->Prepare("SELECT purged_up_to FROM compaction"));
  LATIH_ASSIGN_OR_RETURN(bool row, p->Step());
  const int64_t v = row ? p->ColumnInt(0) : 0;
  p->Reset();
  return v;
}

Result<int64_t> WriteBatch::Horizon(int64_t since_ms) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      "SELECT coalesce((SELECT min(cursor) FROM device_cursor WHERE seen_at_ms >= ?1), "
      "(SELECT coalesce(max(seq), 0) FROM change_log))"));
  s->Bind(1, since_ms);
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  const int64_t v = row ? s->ColumnInt(0) : 0;
  s->Reset();
  return v;
}

Result<int64_t> WriteBatch::PurgedUpTo() {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("SELECT purged_up_to FROM compaction"));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  const int64_t v = row ? s->ColumnInt(0) : 0;
  s->Reset();
  return v;
}

// Tombstones are few and the change log is long: CROSS JOIN makes SQLite
// walk deleted_row and look each up (without statistics it would scan the
// whole log, 15 ms per 100,000 rows at every sync).
Result<int> WriteBatch::Compact(int64_t horizon, int64_t deleted_before_ms) {
  LATIH_ASSIGN_OR_RETURN(auto dead, store_.db_->PrepareOwned(
      "SELECT c.row_id, c.tbl, c.seq, c.cells FROM deleted_row d CROSS JOIN change_log c ON c.row_id = d.row_id "
      "WHERE c.seq <= ?1"));
  dead->Bind(1, horizon);
  const int64_t cutoff = HlcPack(deleted_before_ms, 0);
  std::vector<std::string> purge;
  int64_t purged_up_to = 0;
  LATIH_RETURN_IF_ERROR(store_.ForEachLogEntry(*dead, [&](const Store::LogEntry& e) -> Result<bool> {
    if (e.cells[0].version.hlc < cutoff) {  // recent deletes stay
      purge.push_back(e.row_id);
      purged_up_to = std::max(purged_up_to, e.seq);
    }
    return true;
  }));
  remembered_.clear();
  for (const auto& id : purge) LATIH_RETURN_IF_ERROR(DropRowLog(id));
  LATIH_ASSIGN_OR_RETURN(Stmt* mark, store_.db_->Prepare(
      std::string("UPDATE compaction SET purged_up_to = ") + store_.db_->greatest() + "(purged_up_to, ?1)"));
  mark->Bind(1, purged_up_to);
  LATIH_RETURN_IF_ERROR(mark->Run());
  return static_cast<int>(purge.size());
}

Result<int> WriteBatch::ForgetTombstones(int64_t age_ms) {
  const int64_t cutoff = HlcPack(corrected_.NowUnixMs() - age_ms, 0);
  LATIH_ASSIGN_OR_RETURN(auto dead, store_.db_->PrepareOwned(
      "SELECT c.row_id, c.tbl, c.seq, c.cells FROM deleted_row d CROSS JOIN change_log c ON c.row_id = d.row_id"));
  std::vector<std::string> forget;
  LATIH_RETURN_IF_ERROR(store_.ForEachLogEntry(*dead, [&](const Store::LogEntry& e) -> Result<bool> {
    const bool pending = std::any_of(e.cells.begin(), e.cells.end(), [&](const auto& c) { return Unpushed(c); });
    if (!pending && e.cells[0].version.hlc < cutoff) forget.push_back(e.row_id);
    return true;
  }));
  for (const auto& id : forget) LATIH_RETURN_IF_ERROR(DropRowLog(id));
  return static_cast<int>(forget.size());
}

Status WriteBatch::WriteFeedScope() {
  Scope scope(store_, Access::All());
  LATIH_ASSIGN_OR_RETURN(Stmt* at, store_.db_->Prepare("SELECT seq FROM change_log WHERE row_id = ?1"));
  LATIH_ASSIGN_OR_RETURN(Stmt* drop, store_.db_->Prepare("DELETE FROM feed_scope WHERE row_id = ?1"));
  LATIH_ASSIGN_OR_RETURN(Stmt* add, store_.db_->Prepare(
      "INSERT INTO feed_scope(row_id, office, seq) VALUES (?1, ?2, ?3)"));
  std::unordered_map<std::string, bool> present;  // employee and session ids (a batch shares a few)
  auto known = [&](const char* table, const std::optional<std::string>& id) -> Result<bool> {
    if (!id) return true;
    if (auto it = present.find(*id); it != present.end()) return it->second;
    LATIH_ASSIGN_OR_RETURN(auto row, store_.Get(table, *id));
    present.emplace(*id, row.has_value());
    return row.has_value();
  };
  // PostgreSQL: the row's seq as it stands (a row refused after writing its
  // versions was rolled back to its savepoint). SQLite: as moved (a refused
  // row writes nothing, TryApplyRow).
  const bool savepoints = store_.db_->dialect() == Dialect::kPostgres;
  for (const auto& [id, moved] : moved_) {
    const TableDef* td = moved.table;
    int64_t seq = moved.seq;
    if (savepoints) {
      at->Bind(1, id);
      LATIH_ASSIGN_OR_RETURN(bool logged, at->Step());
      seq = logged ? at->ColumnInt(0) : 0;
      at->Reset();
      if (!logged) continue;
    }
    LATIH_ASSIGN_OR_RETURN(auto row, store_.Get(td->name, id));
    if (!row) {
      LATIH_ASSIGN_OR_RETURN(row, ReadDeleted(*td, id));
    }
    std::vector<std::string> offices;
    if (row) {
      LATIH_ASSIGN_OR_RETURN(RowOwners owners, scope.OwnersOf(*td, *row));
      bool open = owners.global || owners.read_by_all || owners.offices.empty();
      if (!open && td->name == "attendance") {
        // Owners known in part (its employee or session not here yet) are
        // owners in part: leave the row open to the pull's own check.
        auto text = [&](const char* column) -> std::optional<std::string> {
          const int i = td->ColumnIndex(column);
          if (i < 0 || !std::holds_alternative<std::string>(row->values[i])) return std::nullopt;
          return std::get<std::string>(row->values[i]);
        };
        LATIH_ASSIGN_OR_RETURN(bool employee, known("employee", text("employee_id")));
        LATIH_ASSIGN_OR_RETURN(bool session, known("session", text("session_id")));
        open = !employee || !session;
      }
      if (!open) offices = std::move(owners.offices);
    }
    if (offices.empty()) offices.push_back("*");
    drop->Bind(1, id);
    LATIH_RETURN_IF_ERROR(drop->Run());
    drop->Reset();
    for (const auto& office : offices) {
      add->Bind(1, id).Bind(2, office).Bind(3, seq);
      LATIH_RETURN_IF_ERROR(add->Run());
      add->Reset();
    }
  }
  moved_.clear();
  return Status::Ok();
}

Status WriteBatch::DropRowLog(std::string_view id) {
  LATIH_RETURN_IF_ERROR(DropDeleted(id));
  if (store_.role_ == Store::Role::kServer) {
    LATIH_ASSIGN_OR_RETURN(Stmt* scope, store_.db_->Prepare("DELETE FROM feed_scope WHERE row_id = ?1"));
    scope->Bind(1, id);
    LATIH_RETURN_IF_ERROR(scope->Run());
    moved_.erase(std::string(id));
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* log, store_.db_->Prepare("DELETE FROM change_log WHERE row_id = ?1"));
  log->Bind(1, id);
  return log->Run();
}

Status WriteBatch::SetSnapshotActive(bool active) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("UPDATE snapshot_state SET active = ?1"));
  s->Bind(1, int64_t{active ? 1 : 0});
  LATIH_RETURN_IF_ERROR(s->Run());
  if (active) LATIH_RETURN_IF_ERROR(store_.db_->Exec("DELETE FROM snapshot_seen"));
  return Status::Ok();
}

Result<bool> WriteBatch::SnapshotActive() {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("SELECT active FROM snapshot_state"));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  const bool active = row && s->ColumnInt(0) == 1;
  s->Reset();
  return active;
}

Status WriteBatch::NoteSnapshotRow(std::string_view id) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      "INSERT INTO snapshot_seen(row_id) VALUES (?1) ON CONFLICT DO NOTHING"));
  s->Bind(1, id);
  return s->Run();
}

Result<int> WriteBatch::PurgeUnseen() {
  LATIH_ASSIGN_OR_RETURN(auto unseen, store_.db_->PrepareOwned(
      // A row the server refused is not there, by definition: it stays,
      // quarantined, for its writer to correct (docs/DESIGN.md).
      "SELECT c.row_id, c.tbl, c.seq, c.cells FROM change_log c "
      "WHERE c.row_id NOT IN (SELECT row_id FROM snapshot_seen) "
      "AND c.row_id NOT IN (SELECT row_id FROM quarantine)"));
  std::vector<std::pair<std::string, const TableDef*>> drop;
  LATIH_RETURN_IF_ERROR(store_.ForEachLogEntry(*unseen, [&](const Store::LogEntry& e) -> Result<bool> {
    const bool pending = std::any_of(e.cells.begin(), e.cells.end(), [&](const auto& c) { return Unpushed(c); });
    if (!pending) drop.emplace_back(e.row_id, e.table);
    return true;
  }));
  remembered_.clear();
  for (const auto& [id, td] : drop) {
    LATIH_ASSIGN_OR_RETURN(Stmt* del, store_.db_->Prepare(store_.SqlFor(*td).remove));
    del->Bind(1, id);
    LATIH_RETURN_IF_ERROR(del->Run());
    LATIH_RETURN_IF_ERROR(DropRowLog(id));
  }
  LATIH_RETURN_IF_ERROR(SetSnapshotActive(false));
  LATIH_RETURN_IF_ERROR(store_.db_->Exec("DELETE FROM snapshot_seen"));
  return static_cast<int>(drop.size());
}

Status WriteBatch::SetPullCursor(int64_t server_seq) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("UPDATE replica SET pull_cursor = ?1"));
  s->Bind(1, server_seq);
  return s->Run();
}

Status WriteBatch::MarkPushSent(int64_t seq) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(std::string("UPDATE replica SET push_sent = ") + store_.db_->greatest() + "(push_sent, ?1)"));
  s->Bind(1, seq);
  LATIH_RETURN_IF_ERROR(s->Run());
  push_sent_ = std::max(push_sent_, seq);
  return Status::Ok();
}

Status WriteBatch::Quarantine(const Refusal& refusal) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      "INSERT INTO quarantine(row_id, tbl, code, reason, refused_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT(row_id) DO UPDATE SET tbl = ?2, code = ?3, reason = ?4, refused_at = excluded.refused_at"));
  s->Bind(1, refusal.id).Bind(2, refusal.table).Bind(3, refusal.code == "forbidden" ? "forbidden" : "invalid")
      .Bind(4, refusal.reason).Bind(5, IsoUtcMs(store_.env().clock.NowUnixMs()));
  return s->Run();
}

Status WriteBatch::Unquarantine(std::string_view row_id) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("DELETE FROM quarantine WHERE row_id = ?1"));
  s->Bind(1, row_id);
  return s->Run();
}

Status WriteBatch::AppendAudit(const AuditEntry& e) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      "INSERT INTO sync_audit(at, credential_id, node, first_seq, last_seq, rows, refused, body_sha256) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  s->Bind(1, e.at_ms).Bind(2, e.credential_id).Bind(3, e.batch.node).Bind(4, e.batch.first_seq)
      .Bind(5, e.batch.last_seq).Bind(6, int64_t{e.rows}).Bind(7, int64_t{e.refused}).Bind(8, e.body_sha256);
  return s->Run();
}

Status WriteBatch::SkipPulledIfClean() {
  if (push_watermark_ < begin_seq_ || seq_ == begin_seq_) return Status::Ok();
  return SetPushWatermark(seq_);
}

Status WriteBatch::SetPushWatermark(int64_t seq) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(
      std::string("UPDATE replica SET push_watermark = ") + store_.db_->greatest() + "(push_watermark, ?1)"));
  s->Bind(1, seq);
  LATIH_RETURN_IF_ERROR(s->Run());
  push_watermark_ = std::max(push_watermark_, seq);
  return Status::Ok();
}

Result<int> WriteBatch::SetClockOffset(int64_t offset_ms, int64_t max_ahead_ms) {
  LATIH_ASSIGN_OR_RETURN(Store::SyncState state, store_.LoadSyncState());
  const int64_t delta = offset_ms - state.clock_offset_ms;
  LATIH_ASSIGN_OR_RETURN(Stmt* set, store_.db_->Prepare("UPDATE replica SET clock_offset_ms = ?1"));
  set->Bind(1, offset_ms);
  LATIH_RETURN_IF_ERROR(set->Run());
  const int64_t push_sent = push_sent_;
  // Shift this replica's unpushed versions by the correction, never past the
  // corrected present and never below the version each one overwrote; then
  // make the clock's last value the highest version present. A cell that
  // may have reached the server unacknowledged (seq <= push_sent) is never
  // moved down (the server may hold that version already), nor is a write
  // moved below the version it overwrote (its base).
  const int64_t now_ms = store_.env().clock.NowUnixMs() + offset_ms;
  // A version beyond the server's bound was never accepted there (the bound
  // only grows): it constrains nothing.
  auto may_be_on_server = [&](int64_t hlc) { return HlcPhysicalMs(hlc) <= now_ms + max_ahead_ms; };
  LATIH_ASSIGN_OR_RETURN(auto rows, store_.db_->PrepareOwned("SELECT row_id, tbl, seq, cells FROM change_log"));
  std::vector<std::pair<std::string, std::vector<CellVersion>>> updates;
  int64_t max_hlc = 0;
  LATIH_RETURN_IF_ERROR(store_.ForEachLogEntry(*rows, [&](const Store::LogEntry& e) -> Result<bool> {
    std::vector<CellVersion> cells = e.cells;
    bool changed = false;
    for (auto& c : cells) {
      if (Unpushed(c)) {
        // Also pulls back stamps made while the device clock had jumped ahead.
        const int64_t shifted = std::min(HlcPhysicalMs(c.version.hlc) + delta, now_ms);
        int64_t hlc = HlcPack(shifted, HlcCounter(c.version.hlc));
        if (may_be_on_server(c.base.hlc)) hlc = std::max(hlc, c.base.hlc + 1);
        if (c.seq <= push_sent && may_be_on_server(c.version.hlc)) hlc = std::max(hlc, c.version.hlc);
        changed |= hlc != c.version.hlc;
        c.version.hlc = hlc;
      }
      max_hlc = std::max(max_hlc, c.version.hlc);
    }
    if (changed) updates.emplace_back(e.row_id, std::move(cells));
    return true;
  }));
  LATIH_ASSIGN_OR_RETURN(Stmt* put, store_.db_->Prepare("UPDATE change_log SET cells = ?2 WHERE row_id = ?1"));
  for (const auto& [id, c] : updates) {
    put->Bind(1, id).BindBlob(2, EncodeCellVersions(c));
    LATIH_RETURN_IF_ERROR(put->Run());
    put->Reset();
  }
  clock_.Reset(max_hlc);
  return static_cast<int>(updates.size());
}

Result<std::vector<RowChange>> Store::ReadChanges(int64_t after_seq, const FeedFilter& filter, int max_rows,
                                                  int64_t max_bytes, int64_t* last_seq, bool* more) {
  std::vector<RowChange> out;
  int64_t bytes = 0, cursor = after_seq;
  *more = false;
  // A device's pull on the server reads by feed_scope's index: only the
  // entries for its office or for any office (PROTOCOL.md §9).
  const bool scoped = !filter.office.empty() && role_ == Role::kServer && filter.up_to_seq == 0;
  LATIH_ASSIGN_OR_RETURN(auto page, db_->PrepareOwned(
      // Two ordered range scans of the (office, seq) index merged, each
      // cut at the page size: `office IN (?, '*') ORDER BY seq` would sort
      // every remaining entry of both for each page.
      scoped ? "SELECT c.row_id, c.tbl, c.seq, c.cells FROM ("
               "SELECT row_id, seq FROM (SELECT row_id, seq FROM feed_scope WHERE office = ?3 AND seq > ?1 "
               "ORDER BY seq LIMIT ?2) AS mine UNION ALL "
               "SELECT row_id, seq FROM (SELECT row_id, seq FROM feed_scope WHERE office = '*' AND seq > ?1 "
               "ORDER BY seq LIMIT ?2) AS everyone ORDER BY seq LIMIT ?2) AS f "
               "JOIN change_log c ON c.row_id = f.row_id AND c.seq = f.seq ORDER BY f.seq"
             : "SELECT row_id, tbl, seq, cells FROM change_log WHERE seq > ?1 ORDER BY seq LIMIT ?2"));
  int64_t examined = 0;
  // Cell `i` of entry `e` the reader is to get (the others are passed over).
  auto wanted = [&](const LogEntry& e, size_t i) {
    const CellVersion& c = e.cells[i];
    return !(c.seq <= after_seq || c.version == Version{} ||
             (filter.only_node != 0 && c.version.node != filter.only_node) ||
             (filter.skip_node != 0 && c.version.node == filter.skip_node) ||
             (filter.schema != 0 && e.table->CellSince(i) > filter.schema));
  };
  auto any_wanted = [&](const LogEntry& e) {
    for (size_t i = 0; i < e.cells.size(); ++i) {
      if (wanted(e, i)) return true;
    }
    return false;
  };
  std::unordered_map<std::string, Row> fetched;  // the page's rows, read per table at once
  std::unordered_set<std::string> asked;          // ids read so (absent from fetched: gone)
  auto visit = [&](const LogEntry& e) -> Result<bool> {
    if (filter.up_to_seq != 0 && e.seq > filter.up_to_seq) return false;
    if (++examined > kMaxFeedScanRows && cursor > after_seq) {
      *more = true;  // a reader that sees little of the feed: hand back progress
      return false;
    }
    const TableDef* td = e.table;
    RowChange change{td->name, e.row_id, {}};
    std::optional<Row> data;
    bool loaded = false, alive = false;
    for (size_t i = 0; i < e.cells.size(); ++i) {
      const CellVersion& c = e.cells[i];
      if (!wanted(e, i)) continue;
      if (!loaded) {
        if (auto it = fetched.find(e.row_id); it != fetched.end()) {
          data = it->second;
        } else if (!asked.count(e.row_id)) {
          LATIH_ASSIGN_OR_RETURN(data, Get(td->name, e.row_id));
        }
        alive = data.has_value();
        if (!data) {
          LATIH_ASSIGN_OR_RETURN(data, ReadDeletedValues(*td, e.row_id));
        }
        loaded = true;
        if (filter.visible) {
          bool visible = false;
          if (data) {
            LATIH_ASSIGN_OR_RETURN(visible, filter.visible(*td, *data));
          }
          if (!visible) break;  // the whole row is passed over
        }
      }
      const Value v = i == 0 ? Value(int64_t{alive ? 1 : 0})
                             : (data ? data->values[i - 1] : td->columns[i - 1].default_value);
      change.cells.push_back(WireCell{i == 0 ? "" : td->columns[i - 1].name, v, c.version, c.base});
    }
    if (!change.cells.empty()) {
      if (static_cast<int>(out.size()) >= max_rows || (bytes > 0 && bytes + EncodedSize(change) > max_bytes)) {
        *more = true;
        return false;
      }
      bytes += EncodedSize(change);
      out.push_back(std::move(change));
    }
    cursor = e.seq;
    return true;
  };
  std::vector<LogEntry> entries;
  bool stopped = false;
  while (!stopped) {
    const int64_t page_start = cursor;
    entries.clear();
    page->Bind(1, cursor).Bind(2, int64_t{kFeedPageRows});
    if (scoped) page->Bind(3, filter.office);
    LATIH_RETURN_IF_ERROR(ForEachLogEntry(*page, [&](const LogEntry& e) -> Result<bool> {
      entries.push_back(e);
      return true;
    }));
    // The rows the page will send, read table by table (one query each
    // instead of one per row: a round trip each on PostgreSQL).
    fetched.clear();
    asked.clear();
    std::map<const TableDef*, std::vector<std::string>> ids;
    for (const auto& e : entries) {
      if (any_wanted(e)) {
        ids[e.table].push_back(e.row_id);
        asked.insert(e.row_id);
      }
    }
    for (const auto& [td, list] : ids) {
      LATIH_ASSIGN_OR_RETURN(auto rows, GetMany(td->name, list));
      if (filter.prefetch) {
        std::vector<const Row*> shown;
        for (const auto& [id, row] : rows) shown.push_back(&row);
        LATIH_RETURN_IF_ERROR(filter.prefetch(*td, shown));
      }
      fetched.merge(rows);
    }
    for (const auto& e : entries) {
      LATIH_ASSIGN_OR_RETURN(bool go_on, visit(e));
      if (!go_on) {
        stopped = true;
        break;
      }
    }
    if (*more || static_cast<int>(entries.size()) < kFeedPageRows || cursor == page_start) break;
  }
  if (scoped && !*more) {
    // Nothing left for this office: every later entry is another's, so the
    // read has passed over the feed to its end (in the caller's snapshot).
    LATIH_ASSIGN_OR_RETURN(Stmt* end, db_->Prepare("SELECT coalesce(max(seq), 0) FROM change_log"));
    LATIH_ASSIGN_OR_RETURN(bool row, end->Step());
    if (row) cursor = std::max(cursor, end->ColumnInt(0));
    end->Reset();
  }
  *last_seq = cursor;
  return out;
}

Result<std::optional<Row>> Store::ReadDeletedValues(const TableDef& td, std::string_view id) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare("SELECT vals FROM deleted_row WHERE row_id = ?1"));
  s->Bind(1, id);
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  std::optional<Row> row;
  if (found) {
    auto vals = nlohmann::json::parse(s->ColumnText(0), nullptr, false);
    row = Row{std::string(id), {}};
    for (size_t i = 0; i < td.columns.size(); ++i) {
      row->values.push_back(vals.is_array() && i < vals.size() ? FromJson(vals[i]) : td.columns[i].default_value);
    }
  }
  s->Reset();
  return row;
}

}  // namespace latih::sync::sqlite
