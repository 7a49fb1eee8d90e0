#include "sync/sqlite/store.h"

#include <algorithm>
#include <limits>
#include <string>

#include "sync/row_rules.h"
#include "sync/sqlite/migrator.h"
#include "sync/utf8.h"

namespace latih::sync::sqlite {
namespace {

constexpr char kWriteVersionsSql[] =
    "INSERT INTO change_log(row_id, tbl, seq, cells) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(row_id) DO UPDATE SET seq = ?3, cells = ?4";
constexpr char kReadVersionsSql[] = "SELECT cells, tbl FROM change_log WHERE row_id = ?1";

std::string ColumnList(const TableDef& td) {
  std::string s;
  for (const auto& c : td.columns) s += ", \"" + c.name + "\"";
  return s;
}

std::string SelectSql(const TableDef& td) {
  return "SELECT id" + ColumnList(td) + " FROM \"" + td.name + "\" WHERE id = ?1";
}

std::string InsertSql(const TableDef& td) {
  std::string sql = "INSERT INTO \"" + td.name + "\"(id" + ColumnList(td) + ") VALUES (?1";
  for (size_t i = 0; i < td.columns.size(); ++i) sql += ", ?" + std::to_string(i + 2);
  return sql + ") ON CONFLICT(id) DO NOTHING";
}

std::string UpdateSql(const TableDef& td) {
  std::string sql = "UPDATE \"" + td.name + "\" SET ";
  for (size_t i = 0; i < td.columns.size(); ++i) {
    if (i) sql += ", ";
    sql += "\"" + td.columns[i].name + "\" = ?" + std::to_string(i + 2);
  }
  return sql + " WHERE id = ?1";
}

// Parses the literal of a column DEFAULT as pragma table_info reports it.
Value ParseDefault(const Value& dflt) {
  if (IsNull(dflt)) return dflt;
  std::string s = ValueToText(dflt);
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') {
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      out += s[i];
      if (s[i] == '\'' && s[i + 1] == '\'') ++i;
    }
    return out;
  }
  if (s == "NULL") return std::monostate{};
  if (s.find_first_not_of("-0123456789") == std::string::npos) return int64_t{std::stoll(s)};
  return std::stod(s);
}

ColumnType TypeFromDecl(const std::string& decl) {
  if (decl == "INTEGER") return ColumnType::kInteger;
  if (decl == "REAL") return ColumnType::kReal;
  return ColumnType::kText;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const Options& options,
                                           Env& env) {
  LATIH_ASSIGN_OR_RETURN(auto db, Db::Open(path, options.create ? Db::Mode::kCreate
                                                                 : Db::Mode::kOpenExisting));
  return Open(std::move(db), options, env);
}

Result<std::unique_ptr<Store>> Store::Open(std::unique_ptr<Db> db, const Options& options, Env& env) {
  LATIH_RETURN_IF_ERROR(Migrate(*db, options.migrations));
  std::unique_ptr<Store> store(new Store(std::move(db), env, options.role));
  LATIH_RETURN_IF_ERROR(store->LoadCatalog());
  LATIH_RETURN_IF_ERROR(store->LoadOrCreateReplica());
  return store;
}

Store::~Store() = default;

Status Store::LoadCatalog() {
  // sync_column.since came with wire schema 2 (migration 0011): a database
  // migrated only up to an earlier version (a test's older device) has none.
  const bool sqlite = db_->dialect() == Dialect::kSqlite;
  LATIH_ASSIGN_OR_RETURN(auto has_since, db_->PrepareOwned(
      sqlite ? "SELECT count(*) FROM pragma_table_info('sync_column') WHERE name = 'since'"
             : "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
               "AND table_name = 'sync_column' AND column_name = 'since'"));
  LATIH_ASSIGN_OR_RETURN(bool counted, has_since->Step());
  const std::string since = counted && has_since->ColumnInt(0) > 0 ? "s.since" : "1";
  // tbl, col, cid, declared type (INTEGER, REAL, TEXT), not null, default literal, since.
  const std::string sqlite_columns =
      "SELECT s.tbl, s.col, s.cid, c.type, c.\"notnull\", c.dflt_value, " + since + " FROM sync_column s "
      "LEFT JOIN pragma_table_info(s.tbl) c ON c.name = s.col ORDER BY s.cid";
  const std::string postgres_columns =
      "SELECT s.tbl, s.col, s.cid, CASE c.data_type WHEN 'bigint' THEN 'INTEGER' WHEN 'integer' THEN 'INTEGER' "
      "WHEN 'double precision' THEN 'REAL' ELSE 'TEXT' END, CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END, "
      "regexp_replace(c.column_default, '::[a-z ]+$', ''), " + since + " FROM sync_column s "
      "LEFT JOIN information_schema.columns c ON c.table_schema = current_schema() AND c.table_name = s.tbl "
      "AND c.column_name = s.col ORDER BY s.cid";
  LATIH_ASSIGN_OR_RETURN(auto cols, db_->PrepareOwned(sqlite ? sqlite_columns : postgres_columns));
  std::vector<TableDef> tables;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, cols->Step());
    if (!row) break;
    std::string tbl = cols->ColumnText(0), col = cols->ColumnText(1);
    TableDef* td = nullptr;
    for (auto& t : tables) if (t.name == tbl) td = &t;
    if (!td) td = &tables.emplace_back(TableDef{tbl, 0, {}});
    const int col_since = static_cast<int>(cols->ColumnInt(6));
    if (col.empty()) {
      td->existence_cid = cols->ColumnInt(2);
      td->since = col_since;
      continue;
    }
    td->columns.push_back(ColumnDef{col, TypeFromDecl(cols->ColumnText(3)), cols->ColumnInt(4) != 0,
                                    ParseDefault(cols->Column(5)), cols->ColumnInt(2), col_since});
  }
  catalog_ = Catalog(std::move(tables));
  for (const auto& td : catalog_.tables()) {
    sql_.push_back({SelectSql(td), InsertSql(td), UpdateSql(td), "DELETE FROM \"" + td.name + "\" WHERE id = ?1"});
  }
  return Status::Ok();
}

Status Store::LoadOrCreateReplica() {
  LATIH_ASSIGN_OR_RETURN(Stmt* get, db_->Prepare("SELECT node_id FROM replica"));
  LATIH_ASSIGN_OR_RETURN(bool found, get->Step());
  if (found) {
    node_id_ = get->ColumnInt(0);
    get->Reset();
    return Status::Ok();
  }
  get->Reset();
  // Another process opening the new database at the same moment (server
  // instances starting together) may create it first: its identity stands.
  LATIH_ASSIGN_OR_RETURN(Stmt* put, db_->Prepare(
      "INSERT INTO replica(singleton, node_id, created_at) "
      "VALUES (1, ?1, ?2) ON CONFLICT(singleton) DO NOTHING"));
  put->Bind(1, env_.ids.NewNodeId()).Bind(2, IsoUtcMs(env_.clock.NowUnixMs()));
  LATIH_RETURN_IF_ERROR(put->Run());
  LATIH_ASSIGN_OR_RETURN(found, get->Step());
  if (!found) return Status::Corruption("replica row missing after creating it");
  node_id_ = get->ColumnInt(0);
  get->Reset();
  return Status::Ok();
}

Result<std::optional<Row>> Store::Get(std::string_view table, std::string_view id) {
  const TableDef* td = catalog_.Find(table);
  if (!td) return Status::Invalid("unknown table '" + std::string(table) + "'");
  LATIH_ASSIGN_OR_RETURN(Stmt* stmt, db_->Prepare(SqlFor(*td).select));
  stmt->Bind(1, id);
  LATIH_ASSIGN_OR_RETURN(bool found, stmt->Step());
  if (!found) return std::optional<Row>();
  Row row{stmt->ColumnText(0), {}};
  for (size_t i = 0; i < td->columns.size(); ++i) row.values.push_back(stmt->Column(i + 1));
  stmt->Reset();
  return std::optional<Row>(std::move(row));
}

Result<std::vector<Row>> Store::Select(std::string_view table, const std::optional<ColumnValue>& where,
                                       std::span<const std::string_view> order_by) {
  const TableDef* td = catalog_.Find(table);
  if (!td) return Status::Invalid("unknown table '" + std::string(table) + "'");
  std::string sql = "SELECT id" + ColumnList(*td) + " FROM \"" + td->name + "\"";
  if (where) {
    if (where->column != "id" && td->ColumnIndex(where->column) < 0) {
      return Status::Invalid(td->name + " has no column '" + where->column + "'");
    }
    sql += " WHERE \"" + where->column + "\" IS NOT DISTINCT FROM ?1";
  }
  sql += " ORDER BY ";
  for (auto col : order_by) {
    if (td->ColumnIndex(col) < 0) return Status::Invalid(td->name + " has no column '" + std::string(col) + "'");
    sql += "\"" + std::string(col) + "\", ";
  }
  sql += "id";
  LATIH_ASSIGN_OR_RETURN(auto stmt, db_->PrepareOwned(sql));
  if (where) stmt->Bind(1, where->value);
  std::vector<Row> rows;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) break;
    Row row{stmt->ColumnText(0), {}};
    for (size_t i = 0; i < td->columns.size(); ++i) row.values.push_back(stmt->Column(i + 1));
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::optional<std::string>> Store::ReplicaOffice() {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare("SELECT office_id FROM replica"));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<std::string> out;
  if (row && !s->ColumnIsNull(0)) out = s->ColumnText(0);
  s->Reset();
  return out;
}

Status Store::SetReplicaOffice(const std::string& office_id, bool unlisted) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare("UPDATE replica SET office_id = ?1"));
  s->Bind(1, office_id);
  if (!unlisted || db_->dialect() != Dialect::kSqlite) return s->Run();
  // Outside any transaction, where the pragma applies; SQLite checks a
  // child's reference again only when that column changes.
  LATIH_RETURN_IF_ERROR(db_->Exec("PRAGMA foreign_keys=OFF"));
  Status ran = s->Run();
  Status on = db_->Exec("PRAGMA foreign_keys=ON");
  return ran.ok() ? on : ran;
}

Result<std::optional<std::string>> Store::GetSetting(std::string_view key) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare("SELECT value FROM setting WHERE key = ?1"));
  s->Bind(1, key);
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<std::string> out;
  if (row) out = s->ColumnText(0);
  s->Reset();
  return out;
}

Status Store::SetSetting(std::string_view key, std::string_view value) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare(
      "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2"));
  s->Bind(1, key).Bind(2, value);
  return s->Run();
}

Result<std::unique_ptr<WriteBatch>> Store::BeginWrite(bool enforce_references, bool durable) {
  // These pragmas do not apply inside a transaction, so they are set before
  // BEGIN. PostgreSQL: the replicated tables have no foreign keys (schema/
  // postgres/0001), and every commit is durable.
  if (db_->dialect() != Dialect::kSqlite) enforce_references = durable = true;
  if (!enforce_references) LATIH_RETURN_IF_ERROR(db_->Exec("PRAGMA foreign_keys=OFF"));
  if (!durable) LATIH_RETURN_IF_ERROR(db_->Exec("PRAGMA synchronous=NORMAL"));
  auto begun = Transaction::Begin(*db_);
  if (!begun.ok()) {
    if (!enforce_references) (void)db_->Exec("PRAGMA foreign_keys=ON");
    if (!durable) (void)db_->Exec("PRAGMA synchronous=FULL");
    return begun.status();
  }
  auto txn = std::move(begun).value();
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare(
      std::string("SELECT last_hlc, ") + db_->greatest() +
      "(last_seq, (SELECT coalesce(max(seq), 0) FROM change_log)), push_watermark, "
      "pull_cursor, clock_offset_ms, EXISTS (SELECT 1 FROM deleted_row), push_sent FROM replica"));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::Corruption("replica row missing");
  const int64_t last_hlc = s->ColumnInt(0), last_seq = s->ColumnInt(1);
  const SyncState state{s->ColumnInt(2), s->ColumnInt(3), s->ColumnInt(4), ""};
  const bool tombstones = s->ColumnInt(5) != 0;
  const int64_t push_sent = s->ColumnInt(6);
  s->Reset();
  std::unique_ptr<WriteBatch> batch(new WriteBatch(*this, std::move(txn), last_hlc, last_seq, state));
  batch->push_sent_ = push_sent;
  batch->restore_references_ = !enforce_references;
  batch->restore_durability_ = !durable;
  batch->may_have_tombstones_ = tombstones;
  return batch;
}

Result<Store::SyncState> Store::LoadSyncState() {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare(
      "SELECT push_watermark, pull_cursor, clock_offset_ms, coalesce(last_sync_at, '') FROM replica"));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::Corruption("replica row missing");
  SyncState state{s->ColumnInt(0), s->ColumnInt(1), s->ColumnInt(2), s->ColumnText(3)};
  s->Reset();
  return state;
}

Result<bool> Store::SnapshotPending() {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare("SELECT active FROM snapshot_state"));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  const bool active = row && s->ColumnInt(0) == 1;
  s->Reset();
  return active;
}

Status Store::ForEachLogEntry(Stmt& stmt, const std::function<Result<bool>(const LogEntry&)>& visit) {
  LogEntry entry;
  Status status = Status::Ok();
  while (status.ok()) {
    auto row = stmt.Step();
    if (!row.ok() || !*row) {
      status = row.status();
      break;
    }
    entry.row_id = stmt.ColumnText(0);
    entry.table = catalog_.Find(stmt.ColumnText(1));
    entry.seq = stmt.ColumnInt(2);
    if (!entry.table ||
        !DecodeCellVersions(stmt.ColumnBlob(3), entry.table->columns.size() + 1, &entry.cells)) {
      status = Status::Corruption("change log entry of " + entry.row_id + " is unreadable");
      break;
    }
    auto go_on = visit(entry);
    if (!go_on.ok()) status = go_on.status();
    else if (!*go_on) break;
  }
  stmt.Reset();
  return status;
}

Result<std::vector<CellChange>> Store::ChangesSince(int64_t after_seq, int limit_rows) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare(
      "SELECT row_id, tbl, seq, cells FROM change_log WHERE seq > ?1 ORDER BY seq LIMIT ?2"));
  s->Bind(1, after_seq).Bind(2, int64_t{limit_rows});
  std::vector<CellChange> out;
  LATIH_RETURN_IF_ERROR(ForEachLogEntry(*s, [&](const LogEntry& e) -> Result<bool> {
    for (size_t i = 0; i < e.cells.size(); ++i) {
      if (e.cells[i].seq <= after_seq) continue;
      out.push_back(CellChange{e.cells[i].seq, e.table->name, e.row_id,
                               i == 0 ? "" : e.table->columns[i - 1].name, e.cells[i].version});
    }
    return true;
  }));
  return out;
}

Result<std::unordered_map<std::string, Row>> Store::GetMany(std::string_view table,
                                                           const std::vector<std::string>& ids) {
  const TableDef* td = catalog_.Find(table);
  if (!td) return Status::Invalid("unknown table '" + std::string(table) + "'");
  constexpr size_t kChunk = 256;
  std::unordered_map<std::string, Row> out;
  for (size_t from = 0; from < ids.size(); from += kChunk) {
    const size_t n = std::min(kChunk, ids.size() - from);
    std::string sql = "SELECT id" + ColumnList(*td) + " FROM \"" + td->name + "\" WHERE id IN (";
    for (size_t i = 0; i < n; ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 1);
    LATIH_ASSIGN_OR_RETURN(auto stmt, db_->PrepareOwned(sql + ")"));
    for (size_t i = 0; i < n; ++i) stmt->Bind(static_cast<int>(i + 1), ids[from + i]);
    while (true) {
      LATIH_ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) break;
      Row r{stmt->ColumnText(0), {}};
      for (size_t i = 0; i < td->columns.size(); ++i) r.values.push_back(stmt->Column(static_cast<int>(i + 1)));
      std::string id = r.id;
      out.emplace(std::move(id), std::move(r));
    }
  }
  return out;
}

Result<int64_t> Store::CountRows(std::string_view table) {
  const TableDef* td = catalog_.Find(table);
  if (!td) return Status::Invalid("unknown table '" + std::string(table) + "'");
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare("SELECT count(*) FROM \"" + td->name + "\""));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  int64_t n = row ? s->ColumnInt(0) : 0;
  s->Reset();
  return n;
}

Result<int64_t> Store::CountLocalCells() {
  LATIH_ASSIGN_OR_RETURN(SyncState state, LoadSyncState());
  LATIH_ASSIGN_OR_RETURN(auto all, ChangesSince(state.push_watermark, std::numeric_limits<int>::max()));
  int64_t n = 0;
  for (const auto& c : all) n += c.version.node == node_id_;
  return n;
}

// ---- WriteBatch -----------------------------------------------------------

WriteBatch::~WriteBatch() {
  txn_.reset();  // ROLLBACK unless committed
  if (restore_references_) (void)store_.db_->Exec("PRAGMA foreign_keys=ON");
  if (restore_durability_) (void)store_.db_->Exec("PRAGMA synchronous=FULL");
}

const WriteBatch::Remembered* WriteBatch::FindRemembered(std::string_view table,
                                                          std::string_view id) const {
  for (const auto& r : remembered_) {
    if (r.id == id && r.table == table) return &r;
  }
  return nullptr;
}

void WriteBatch::Forget(std::string_view table, std::string_view id) {
  std::erase_if(remembered_, [&](const Remembered& r) { return r.id == id && r.table == table; });
}

Result<std::optional<Row>> WriteBatch::Get(std::string_view table, std::string_view id) {
  if (const Remembered* r = FindRemembered(table, id)) return r->row;
  LATIH_ASSIGN_OR_RETURN(auto row, store_.Get(table, id));
  if (remembered_.size() == kRememberedRows) remembered_.pop_back();
  remembered_.insert(remembered_.begin(), Remembered{std::string(table), std::string(id), row});
  return row;
}

Result<std::optional<Row>> WriteBatch::ReadRow(const TableDef& td, std::string_view id) {
  if (const Remembered* r = FindRemembered(td.name, id)) return r->row;
  return store_.Get(td.name, id);
}

Status WriteBatch::WriteRow(const TableDef& td, const Row& row, bool exists) {
  Forget(td.name, row.id);
  const auto& sql = store_.SqlFor(td);
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(exists ? sql.update : sql.insert));
  s->Bind(1, row.id);
  for (size_t i = 0; i < row.values.size(); ++i) s->Bind(static_cast<int>(i) + 2, row.values[i]);
  Status st = s->Run();
  s->Reset();
  if (!st.ok()) return st.WithContext(td.name + " " + row.id);
  return st;
}

Result<std::vector<CellVersion>> WriteBatch::ReadVersions(const TableDef& td, std::string_view id) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(kReadVersionsSql));
  s->Bind(1, id);
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  std::vector<CellVersion> cells(td.columns.size() + 1);
  if (found && s->ColumnView(1) != td.name) {
    // The change log is keyed by id alone: a row of another table under
    // this id would take that row's versions over (and break its feed).
    const std::string owner(s->ColumnView(1));
    s->Reset();
    return Status::Invalid(td.name + " " + std::string(id) + ": this id belongs to a row of " + owner);
  }
  if (found && !DecodeCellVersions(s->ColumnBlob(0), cells.size(), &cells)) {
    s->Reset();
    return Status::Corruption("change log entry of " + std::string(id) + " is unreadable");
  }
  s->Reset();
  return cells;
}

Status WriteBatch::WriteVersions(const TableDef& td, std::string_view id,
                                 const std::vector<CellVersion>& cells, int64_t seq) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(kWriteVersionsSql));
  s->Bind(1, id).Bind(2, td.name).Bind(3, seq).BindBlob(4, EncodeCellVersions(cells));
  Status st = s->Run();
  s->Reset();
  if (st.ok() && store_.role_ == Store::Role::kServer) moved_[std::string(id)] = Moved{&td, seq};
  return st;
}

Result<bool> WriteBatch::TryInsert(const TableDef& td, const Row& row) {
  Forget(td.name, row.id);
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(store_.SqlFor(td).insert));
  s->Bind(1, row.id);
  for (size_t i = 0; i < row.values.size(); ++i) s->Bind(static_cast<int>(i) + 2, row.values[i]);
  Status st = s->Run();
  s->Reset();
  if (!st.ok()) return st.WithContext(td.name + " " + row.id);
  return store_.db_->Changes() == 1;
}

Result<bool> WriteBatch::TryCreate(const TableDef& td, const Row& row) {
  LATIH_ASSIGN_OR_RETURN(bool inserted, TryInsert(td, row));
  if (!inserted) return false;
  // All cells get the new version; this replaces any tombstone of the id,
  // since a new local write is newer than anything seen.
  // A row created again after a delete overwrites the tombstone knowingly:
  // its cells' bases are the versions this replica holds (PROTOCOL.md §5).
  std::vector<CellVersion> cells(td.columns.size() + 1);
  if (may_have_tombstones_) {
    LATIH_ASSIGN_OR_RETURN(cells, ReadVersions(td, row.id));
  }
  StampLocal(cells, std::vector<bool>(td.columns.size(), true), true);
  LATIH_RETURN_IF_ERROR(WriteVersions(td, row.id, cells, seq_));
  return true;
}

Result<PutResult> WriteBatch::UpdateExisting(const TableDef& td, Row row,
                                             const std::vector<std::pair<int, Value>>& given) {
  PutResult result;
  std::vector<bool> changed(td.columns.size(), false);
  for (const auto& [i, v] : given) {
    if (!SameValue(row.values[i], v)) changed[i] = true;
    row.values[i] = v;
  }
  for (size_t i = 0; i < changed.size(); ++i) {
    if (changed[i]) result.changed.push_back(td.columns[i].name);
  }
  if (result.changed.empty()) return result;
  LATIH_RETURN_IF_ERROR(ValidateCompleteRow(td, row));
  LATIH_RETURN_IF_ERROR(WriteRow(td, row, true));
  LATIH_ASSIGN_OR_RETURN(auto cells, ReadVersions(td, row.id));
  StampLocal(cells, changed, true);
  LATIH_RETURN_IF_ERROR(WriteVersions(td, row.id, cells, seq_));
  return result;
}

Result<PutResult> WriteBatch::Put(std::string_view table, std::string_view id,
                                  std::span<const ColumnValue> values, PutMode mode) {
  const TableDef* td = store_.catalog_.Find(table);
  if (!td) return Status::Invalid("unknown table '" + std::string(table) + "'");
  if (id.empty()) return Status::Invalid(std::string(table) + ": empty id");
  LATIH_RETURN_IF_ERROR(CheckUtf8(id, std::string(table) + " id"));
  // Resolve and coerce once: (column index, value) for updates; the fresh
  // row (defaults + every given value) for a create.
  std::vector<std::pair<int, Value>> given;
  Row fresh{std::string(id), {}};
  for (const auto& c : td->columns) fresh.values.push_back(c.default_value);
  for (const auto& cv : values) {
    const int i = td->ColumnIndex(cv.column);
    if (i < 0) return Status::Invalid(std::string(table) + " has no column '" + cv.column + "'");
    LATIH_ASSIGN_OR_RETURN(Value v, CoerceValue(*td, td->columns[i], cv.value));
    fresh.values[i] = v;
    if (!cv.insert_only) given.emplace_back(i, std::move(v));
  }
  const Remembered* known = FindRemembered(td->name, id);
  const bool known_present = known && known->row;
  Status fresh_status = Status::Ok();
  if (mode != PutMode::kUpdateOnly && !known_present) {
    fresh_status = ValidateCompleteRow(*td, fresh);
    if (fresh_status.ok()) {  // try to create it; fails harmlessly if it exists
      LATIH_ASSIGN_OR_RETURN(bool created, TryCreate(*td, fresh));
      if (created) {
        PutResult result{true, {}};
        for (const auto& c : td->columns) result.changed.push_back(c.name);
        return result;
      }
    } else if (known || mode == PutMode::kInsertOnly) {
      return fresh_status;  // it must be created, and cannot be
    }
  }
  LATIH_ASSIGN_OR_RETURN(auto existing, ReadRow(*td, id));
  if (!existing) {
    if (mode == PutMode::kUpdateOnly) {
      return Status::NotFound(std::string(table) + " " + std::string(id) + " does not exist");
    }
    if (fresh_status.ok()) return Status::Corruption(td->name + " " + std::string(id) + " vanished during a write");
    return fresh_status;  // the row is absent and the values cannot create it
  }
  if (mode == PutMode::kInsertOnly) {
    return Status::Invalid(std::string(table) + " " + std::string(id) + " already exists");
  }
  return UpdateExisting(*td, std::move(*existing), given);
}

Status WriteBatch::Delete(std::string_view table, std::string_view id) {
  const TableDef* td = store_.catalog_.Find(table);
  if (!td) return Status::Invalid("unknown table '" + std::string(table) + "'");
  LATIH_ASSIGN_OR_RETURN(auto existing, ReadRow(*td, id));
  if (!existing) return Status::NotFound(std::string(table) + " " + std::string(id) + " does not exist");
  Forget(td->name, id);
  LATIH_ASSIGN_OR_RETURN(Stmt* del, store_.db_->Prepare(store_.SqlFor(*td).remove));
  del->Bind(1, id);
  LATIH_RETURN_IF_ERROR(del->Run());
  // The values move to deleted_row; the existence cell becomes the tombstone.
  LATIH_RETURN_IF_ERROR(SaveDeleted(*td, *existing));
  LATIH_ASSIGN_OR_RETURN(auto cells, ReadVersions(*td, id));
  StampLocal(cells, std::vector<bool>(td->columns.size(), false), false);
  return WriteVersions(*td, id, cells, seq_);
}

void WriteBatch::StampLocal(std::vector<CellVersion>& cells, const std::vector<bool>& changed,
                            bool /*alive_write*/) {
  const int64_t node = store_.node_id_;
  const bool client = store_.role_ == Store::Role::kClient;
  const Version v{clock_.Tick(), node};
  const int64_t seq = ++seq_;
  auto pending = [&](const CellVersion& c) { return client && Unpushed(c); };
  auto stamp = [&](CellVersion& c) {
    // A chain of unpushed local writes keeps the base of its first write,
    // unless the version overwritten may have reached the server already
    // (seq <= push_sent): then it is the base, so that re-stamping never
    // takes this write below it.
    const Version base = pending(c) && c.seq > push_sent_ ? c.base : c.version;
    c = CellVersion{v, seq, base};
  };
  for (size_t i = 0; i < changed.size(); ++i) {
    if (changed[i]) stamp(cells[i + 1]);
  }
  stamp(cells[0]);  // every write also (re)asserts or ends the row's existence
  MoveCellsWithRow(cells, seq);
}

void WriteBatch::MoveCellsWithRow(std::vector<CellVersion>& cells, int64_t seq) const {
  // The feed is ordered by row, so cells left behind at an older seq could be
  // skipped by a reader that passed that seq while the row sat further on.
  // On the server every cell moves with its row (a changed row is re-sent
  // whole); on a client the unpushed ones do, so that the push batch that
  // covers the row carries all of them (PROTOCOL.md §4).
  // A moved cell that may have reached the server unacknowledged (seq <=
  // push_sent) takes its own version as its base, so that re-stamping
  // never takes it below what the server may hold (PROTOCOL.md §3).
  const bool server = store_.role_ == Store::Role::kServer;
  for (auto& c : cells) {
    if (!server && Unpushed(c) && c.seq <= push_sent_ && c.seq != seq) c.base = c.version;
    if (server || Unpushed(c)) c.seq = seq;
  }
}

Status WriteBatch::Commit() {
  if (!moved_.empty()) LATIH_RETURN_IF_ERROR(WriteFeedScope());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("UPDATE replica SET last_hlc = ?1, last_seq = ?2"));
  s->Bind(1, clock_.last()).Bind(2, seq_);
  LATIH_RETURN_IF_ERROR(s->Run());
  return txn_->Commit();
}

}  // namespace latih::sync::sqlite
