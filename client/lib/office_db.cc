#include "client/lib/office_db.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>

#include "schema/migrations.h"
#include "sync/domain/ids.h"
#include "sync/domain/ikm.h"
#include "sync/domain/nip.h"
#include "sync/domain/vocab.h"
#include "sync/row_rules.h"
#include "sync/sqlite/migrator.h"
#include "client/lib/messages.h"
#include "client/lib/office_db_internal.h"

namespace latih::client {

using sync::ColumnValue;
using sync::Row;
using sync::Value;
using sync::sqlite::PutMode;
using sync::sqlite::Store;
using sync::sqlite::WriteBatch;

using namespace internal;

namespace {

constexpr const char* kTables[] = {"office", "employee", "training", "session",
                                   "attendance", "evaluation", "skm_response", "skp_assessment"};

}  // namespace

// "52.71.01.1004": province, kota/kabupaten, kecamatan, kelurahan/desa.
bool IsKelurahanCode(std::string_view code) {
  if (code.size() != 13) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    const bool dot = i == 2 || i == 5 || i == 8;
    if (dot ? code[i] != '.' : (code[i] < '0' || code[i] > '9')) return false;
  }
  return true;
}

std::string Cell(const Store& store, const Row& row, std::string_view table, std::string_view column) {
  const sync::TableDef* td = store.catalog().Find(table);
  int i = td->ColumnIndex(column);
  return i < 0 ? std::string() : sync::ValueToText(row.values[i]);
}

Result<std::string> ResolveOffice(Store& store, const std::string& query) {
  const std::string q = Lower(Trim(query));
  LATIH_ASSIGN_OR_RETURN(auto offices, store.Select("office", std::nullopt));
  std::vector<std::string> names;
  for (const auto& row : offices) {
    const std::string name = Cell(store, row, "office", "name");
    names.push_back(row.id + " " + name);
    if (q == row.id || q == Lower(name) || q == Cell(store, row, "office", "bps_code")) return row.id;
    auto aliases = nlohmann::json::parse(Cell(store, row, "office", "aliases"), nullptr, false);
    if (aliases.is_array()) {
      for (const auto& a : aliases) {
        if (a.is_string() && Lower(a.get<std::string>()) == q) return row.id;
      }
    }
  }
  // A Kemendagri kelurahan code this database does not list yet: an office
  // the server added after this release was built. Its row comes with the
  // first sync; enrollment checks the code against the server's.
  if (IsKelurahanCode(q)) return q;
  std::string known;
  for (const auto& n : names) known += "\n  " + n;
  return Status::NotFound(Say(Msg::kOfficeUnknown, {query, known}));
}

Result<std::unique_ptr<OfficeDb>> OfficeDb::Init(const std::string& path, const std::string& office,
                                                 sync::Env& env) {
  LATIH_ASSIGN_OR_RETURN(auto store, Store::Open(path, {schema::ClientMigrations(), true}, env));
  LATIH_ASSIGN_OR_RETURN(std::string office_id, ResolveOffice(*store, office));
  LATIH_ASSIGN_OR_RETURN(auto current, store->ReplicaOffice());
  if (current && *current != office_id) {
    return Status::Invalid(Say(Msg::kDbOtherOffice, {path, *current}));
  }
  if (!current) {
    LATIH_ASSIGN_OR_RETURN(auto listed, store->Get("office", office_id));
    LATIH_RETURN_IF_ERROR(store->SetReplicaOffice(office_id, !listed.has_value()));
  }
  std::unique_ptr<OfficeDb> db(new OfficeDb(std::move(store), env));
  LATIH_RETURN_IF_ERROR(db->LoadSettings());
  return db;
}

Result<std::unique_ptr<OfficeDb>> OfficeDb::Open(const std::string& path, sync::Env& env) {
  auto store = Store::Open(path, {schema::ClientMigrations(), false}, env);
  if (!store.ok() && store.status().code() == StatusCode::kNotFound) {
    return Status::NotFound(Say(Msg::kDbMissing, {path}));
  }
  if (!store.ok()) return store.status();
  std::unique_ptr<OfficeDb> db(new OfficeDb(std::move(store).value(), env));
  LATIH_RETURN_IF_ERROR(db->LoadSettings());
  return db;
}

Status OfficeDb::LoadSettings() {
  LATIH_ASSIGN_OR_RETURN(auto office, store_->ReplicaOffice());
  if (!office) {
    return Status::Invalid(Say(Msg::kDbNoOffice, {store_->db().path()}));
  }
  office_id_ = *office;
  LATIH_ASSIGN_OR_RETURN(auto mpj, store_->GetSetting("minutes_per_jp"));
  if (mpj) {
    int v = std::atoi(mpj->c_str());
    if (v <= 0) return Status::Corruption(Say(Msg::kBadMinutesPerJp, {*mpj}));
    policy_.minutes_per_jp = v;
  }
  return Status::Ok();
}

Result<std::string> OfficeDb::LocalTimestamp() {
  std::time_t secs = static_cast<std::time_t>(env_.clock.NowUnixMs() / 1000);
  std::tm tm{};
  if (!localtime_r(&secs, &tm)) return Status::IOError(Say(Msg::kNoLocalTime, {}));
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf);
}

Result<StatusInfo> OfficeDb::Status() {
  StatusInfo info;
  info.path = store_->db().path();
  info.office_id = office_id_;
  LATIH_ASSIGN_OR_RETURN(auto office, store_->Get("office", office_id_));
  if (office) info.office_name = Cell(*store_, *office, "office", "name");
  LATIH_ASSIGN_OR_RETURN(info.schema_version, sync::sqlite::SchemaVersion(store_->db()));
  info.node_id = store_->node_id();
  for (const char* t : kTables) {
    LATIH_ASSIGN_OR_RETURN(int64_t n, store_->CountRows(t));
    info.row_counts.emplace_back(t, n);
  }
  LATIH_ASSIGN_OR_RETURN(info.pending_changes, store_->CountLocalCells());
  LATIH_ASSIGN_OR_RETURN(auto conflicts, store_->ListConflicts(false));
  info.open_conflicts = static_cast<int64_t>(conflicts.size());
  LATIH_ASSIGN_OR_RETURN(auto sync_state, store_->LoadSyncState());
  info.clock_offset_ms = sync_state.clock_offset_ms;
  info.last_sync_at = sync_state.last_sync_at;
  return info;
}

}  // namespace latih::client
