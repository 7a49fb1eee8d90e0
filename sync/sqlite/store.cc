#include "sync/sqlite/store.h"

#include <string>

#include "sync/row_rules.h"
#include "sync/sqlite/migrator.h"

namespace latih::sync::sqlite {
namespace {

constexpr char kLogCellSql[] =
    "INSERT INTO change_log(row_id, cid, hlc, node, seq) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(row_id, cid) DO UPDATE SET hlc = ?3, node = ?4, seq = ?5";
constexpr char kCellVersionSql[] = "SELECT hlc, node FROM change_log WHERE row_id = ?1 AND cid = ?2";

std::string ColumnList(const TableDef& td) {
  std::string s;
  for (const auto& c : td.columns) s += ", \"" + c.name + "\"";
  return s;
}

std::string SelectSql(const TableDef& td) {
  return "SELECT id" + ColumnList(td) + " FROM \"" + td.name + "\" WHERE id = ?1";
}

std::string UpsertSql(const TableDef& td) {
  std::string sql = "INSERT INTO \"" + td.name + "\"(id" + ColumnList(td) + ") VALUES (?1";
  for (size_t i = 0; i < td.columns.size(); ++i) sql += ", ?" + std::to_string(i + 2);
  sql += ") ON CONFLICT(id) DO UPDATE SET ";
  for (size_t i = 0; i < td.columns.size(); ++i) {
    if (i) sql += ", ";
    sql += "\"" + td.columns[i].name + "\" = excluded.\"" + td.columns[i].name + "\"";
  }
  return sql;
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
  LATIH_RETURN_IF_ERROR(Migrate(*db, options.migrations));
  std::unique_ptr<Store> store(new Store(std::move(db), env));
  LATIH_RETURN_IF_ERROR(store->LoadCatalog());
  LATIH_RETURN_IF_ERROR(store->LoadOrCreateReplica());
  return store;
}

Store::~Store() = default;

Status Store::LoadCatalog() {
  LATIH_ASSIGN_OR_RETURN(auto cols, db_->PrepareOwned(
      "SELECT s.tbl, s.col, s.cid, c.type, c.\"notnull\", c.dflt_value FROM sync_column s "
      "LEFT JOIN pragma_table_info(s.tbl) c ON c.name = s.col ORDER BY s.cid"));
  std::vector<TableDef> tables;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, cols->Step());
    if (!row) break;
    std::string tbl = cols->ColumnText(0), col = cols->ColumnText(1);
    TableDef* td = nullptr;
    for (auto& t : tables) if (t.name == tbl) td = &t;
    if (!td) td = &tables.emplace_back(TableDef{tbl, 0, {}});
    if (col.empty()) {
      td->existence_cid = cols->ColumnInt(2);
      continue;
    }
    td->columns.push_back(ColumnDef{col, TypeFromDecl(cols->ColumnText(3)), cols->ColumnInt(4) != 0,
                                    ParseDefault(cols->Column(5)), cols->ColumnInt(2)});
  }
  catalog_ = Catalog(std::move(tables));
  for (const auto& td : catalog_.tables()) {
    sql_.push_back({SelectSql(td), UpsertSql(td), "DELETE FROM \"" + td.name + "\" WHERE id = ?1"});
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
  node_id_ = env_.ids.NewNodeId();
  LATIH_ASSIGN_OR_RETURN(Stmt* put, db_->Prepare(
      "INSERT INTO replica(singleton, node_id, created_at) "
      "VALUES (1, ?1, strftime('%Y-%m-%dT%H:%M:%fZ', ?2 / 1000.0, 'unixepoch'))"));
  put->Bind(1, node_id_).Bind(2, env_.clock.NowUnixMs());
  return put->Run();
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
    sql += " WHERE \"" + where->column + "\" IS ?1";
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

Status Store::SetReplicaOffice(const std::string& office_id) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare("UPDATE replica SET office_id = ?1"));
  s->Bind(1, office_id);
  return s->Run();
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

Result<std::unique_ptr<WriteBatch>> Store::BeginWrite() {
  LATIH_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare(
      "SELECT (SELECT last_hlc FROM replica), (SELECT coalesce(max(seq), 0) FROM change_log)"));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::Corruption("replica row missing");
  int64_t last_hlc = s->ColumnInt(0), last_seq = s->ColumnInt(1);
  s->Reset();
  return std::unique_ptr<WriteBatch>(new WriteBatch(*this, std::move(txn), last_hlc, last_seq));
}

Result<std::vector<CellChange>> Store::ChangesSince(int64_t after_seq, int limit) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare(
      "SELECT c.seq, s.tbl, c.row_id, s.col, c.hlc, c.node FROM change_log c "
      "JOIN sync_column s ON s.cid = c.cid WHERE c.seq > ?1 ORDER BY c.seq LIMIT ?2"));
  s->Bind(1, after_seq).Bind(2, int64_t{limit});
  std::vector<CellChange> out;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(CellChange{s->ColumnInt(0), s->ColumnText(1), s->ColumnText(2), s->ColumnText(3),
                             Version{s->ColumnInt(4), s->ColumnInt(5)}});
  }
  s->Reset();
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
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_->Prepare("SELECT count(*) FROM change_log WHERE node = ?1"));
  s->Bind(1, node_id_);
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  int64_t n = row ? s->ColumnInt(0) : 0;
  s->Reset();
  return n;
}

// ---- WriteBatch -----------------------------------------------------------

WriteBatch::~WriteBatch() = default;

Result<std::optional<Row>> WriteBatch::ReadRow(const TableDef& td, std::string_view id) {
  return store_.Get(td.name, id);
}

Status WriteBatch::WriteRow(const TableDef& td, const Row& row, bool /*exists*/) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(store_.SqlFor(td).upsert));
  s->Bind(1, row.id);
  for (size_t i = 0; i < row.values.size(); ++i) s->Bind(static_cast<int>(i) + 2, row.values[i]);
  Status st = s->Run();
  s->Reset();
  if (!st.ok()) return st.WithContext(td.name + " " + row.id);
  return st;
}

Status WriteBatch::LogCell(std::string_view row_id, int64_t cid, const Version& v) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(kLogCellSql));
  s->Bind(1, row_id).Bind(2, cid).Bind(3, v.hlc).Bind(4, v.node).Bind(5, ++seq_);
  Status st = s->Run();
  s->Reset();
  return st;
}

Result<std::optional<Version>> WriteBatch::CellVersion(std::string_view row_id, int64_t cid) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare(kCellVersionSql));
  s->Bind(1, row_id).Bind(2, cid);
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  std::optional<Version> v;
  if (found) v = Version{s->ColumnInt(0), s->ColumnInt(1)};
  s->Reset();
  return v;
}

Result<PutResult> WriteBatch::Put(std::string_view table, std::string_view id,
                                  std::span<const ColumnValue> values, PutMode mode) {
  const TableDef* td = store_.catalog_.Find(table);
  if (!td) return Status::Invalid("unknown table '" + std::string(table) + "'");
  if (id.empty()) return Status::Invalid(std::string(table) + ": empty id");
  LATIH_ASSIGN_OR_RETURN(auto existing, ReadRow(*td, id));
  if (existing && mode == PutMode::kInsertOnly) {
    return Status::Invalid(std::string(table) + " " + std::string(id) + " already exists");
  }
  if (!existing && mode == PutMode::kUpdateOnly) {
    return Status::NotFound(std::string(table) + " " + std::string(id) + " does not exist");
  }
  PutResult result;
  result.created = !existing;
  Row row = existing ? std::move(*existing) : Row{std::string(id), {}};
  if (result.created) {
    for (const auto& c : td->columns) row.values.push_back(c.default_value);
  }
  std::vector<bool> changed(td->columns.size(), result.created);
  for (const auto& cv : values) {
    int i = td->ColumnIndex(cv.column);
    if (i < 0) return Status::Invalid(std::string(table) + " has no column '" + cv.column + "'");
    LATIH_ASSIGN_OR_RETURN(Value v, CoerceValue(*td, td->columns[i], cv.value));
    if (!SameValue(row.values[i], v)) changed[i] = true;
    row.values[i] = std::move(v);
  }
  for (size_t i = 0; i < changed.size(); ++i) {
    if (changed[i]) result.changed.push_back(td->columns[i].name);
  }
  if (result.changed.empty() && !result.created) return result;
  for (size_t i = 0; i < td->columns.size(); ++i) {
    if (td->columns[i].not_null && IsNull(row.values[i])) {
      return Status::Invalid(td->name + "." + td->columns[i].name + " is required");
    }
  }
  LATIH_RETURN_IF_ERROR(ValidateRow(*td, row));
  LATIH_RETURN_IF_ERROR(WriteRow(*td, row, !result.created));
  const Version version{clock_.Tick(), store_.node_id_};
  if (result.created) LATIH_RETURN_IF_ERROR(LogCell(row.id, td->existence_cid, version));
  for (size_t i = 0; i < changed.size(); ++i) {
    if (changed[i]) LATIH_RETURN_IF_ERROR(LogCell(row.id, td->columns[i].cid, version));
  }
  return result;
}

Status WriteBatch::Delete(std::string_view table, std::string_view id) {
  const TableDef* td = store_.catalog_.Find(table);
  if (!td) return Status::Invalid("unknown table '" + std::string(table) + "'");
  LATIH_ASSIGN_OR_RETURN(Stmt* del, store_.db_->Prepare(store_.SqlFor(*td).remove));
  del->Bind(1, id);
  LATIH_RETURN_IF_ERROR(del->Run());
  if (store_.db_->Changes() == 0) {
    return Status::NotFound(std::string(table) + " " + std::string(id) + " does not exist");
  }
  // The values are gone; only the tombstone (existence cell) stays logged.
  LATIH_ASSIGN_OR_RETURN(Stmt* drop, store_.db_->Prepare(
      "DELETE FROM change_log WHERE row_id = ?1 AND cid <> ?2"));
  drop->Bind(1, id).Bind(2, td->existence_cid);
  LATIH_RETURN_IF_ERROR(drop->Run());
  return LogCell(id, td->existence_cid, Version{clock_.Tick(), store_.node_id_});
}

Result<int> WriteBatch::ApplyRemote(std::string_view table, std::string_view id,
                                    std::span<const RemoteCell> cells) {
  const TableDef* td = store_.catalog_.Find(table);
  if (!td) return Status::Invalid("unknown table '" + std::string(table) + "'");
  LATIH_ASSIGN_OR_RETURN(auto existing, ReadRow(*td, id));
  Row row = existing ? std::move(*existing) : Row{std::string(id), {}};
  if (!existing) {
    for (const auto& c : td->columns) row.values.push_back(c.default_value);
  }
  std::vector<std::pair<int64_t, Version>> won;
  for (const auto& cell : cells) {
    int i = cell.column.empty() ? -1 : td->ColumnIndex(cell.column);
    if (!cell.column.empty() && i < 0) {
      return Status::Invalid(td->name + " has no column '" + cell.column + "'");
    }
    const int64_t cid = i < 0 ? td->existence_cid : td->columns[i].cid;
    LATIH_ASSIGN_OR_RETURN(auto local, CellVersion(id, cid));
    if (local && !(*local < cell.version)) continue;  // the local version wins
    clock_.Observe(cell.version.hlc);
    if (i >= 0) {
      LATIH_ASSIGN_OR_RETURN(row.values[i], CoerceValue(*td, td->columns[i], cell.value));
    }
    won.emplace_back(cid, cell.version);
  }
  if (won.empty()) return 0;
  LATIH_RETURN_IF_ERROR(ValidateRow(*td, row));
  LATIH_RETURN_IF_ERROR(WriteRow(*td, row, existing.has_value()));
  for (const auto& [cid, version] : won) LATIH_RETURN_IF_ERROR(LogCell(id, cid, version));
  return static_cast<int>(won.size());
}

Status WriteBatch::Commit() {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db_->Prepare("UPDATE replica SET last_hlc = ?1"));
  s->Bind(1, clock_.last());
  LATIH_RETURN_IF_ERROR(s->Run());
  return txn_->Commit();
}

}  // namespace latih::sync::sqlite
