// OfficeDb: employees, trainings and sessions.
#include <cmath>

#include "client/lib/messages.h"
#include "client/lib/office_db.h"
#include "client/lib/office_db_internal.h"
#include "sync/domain/ids.h"
#include "sync/domain/nip.h"
#include "sync/domain/vocab.h"
#include "sync/row_rules.h"

namespace latih::client {

using namespace internal;
using sync::ColumnValue;
using sync::Row;
using sync::Value;
using sync::sqlite::PutMode;
using sync::sqlite::Store;
using sync::sqlite::WriteBatch;

namespace {

EmployeeRecord ToEmployee(const Store& store, const Row& row) {
  auto c = [&](std::string_view col) { return Cell(store, row, "employee", col); };
  return EmployeeRecord{row.id, c("nip"), c("name"), c("office_id"), c("position"), c("rank"),
                        c("employment_type") == "pppk" ? "PPPK" : "PNS", c("active") == "1",
                        c("needs_review") == "1"};
}

Status CheckDateField(Msg field, const std::string& value) {
  if (!sync::IsIsoDate(value)) {
    return Status::Invalid(Say(Msg::kDateNotReal, {Say(field), value}));
  }
  return Status::Ok();
}

}  // namespace

Result<sync::sqlite::PutResult> OfficeDb::PutEmployee(WriteBatch& batch, const EmployeeInput& in,
                                                      bool must_exist, bool needs_review) {
  LATIH_ASSIGN_OR_RETURN(domain::NipInfo nip, ParseNipSaid(in.nip));
  const std::string type = nip.type == domain::EmploymentType::kPns ? "pns" : "pppk";
  if (in.type && !Trim(*in.type).empty()) {
    LATIH_ASSIGN_OR_RETURN(auto given, domain::ParseEmploymentType(*in.type));
    if (given != nip.type) {
      return Status::Invalid(Say(Msg::kTypeMismatch, {*in.type, nip.nip, domain::EmploymentTypeName(nip.type)}));
    }
  }
  std::vector<ColumnValue> cols;
  if (!must_exist) {
    cols = {{"nip", nip.nip}, {"office_id", office_id_}, {"employment_type", type}};
    if (needs_review) cols.push_back({"needs_review", int64_t{1}});
  }
  if (in.name) {
    if (Trim(*in.name).empty()) return Status::Invalid(Say(Msg::kNameOfNipEmpty, {nip.nip}));
    cols.push_back({"name", Trim(*in.name)});
  }
  if (in.position) cols.push_back({"position", OptText(in.position)});
  if (in.rank) cols.push_back({"rank", OptText(in.rank)});
  if (in.active) cols.push_back({"active", int64_t{*in.active ? 1 : 0}});
  const std::string id = domain::NaturalId("employee", {nip.nip});
  auto r = batch.Put("employee", id, cols, must_exist ? PutMode::kUpdateOnly : PutMode::kUpsert);
  if (!r.ok() && r.status().code() == StatusCode::kNotFound) {
    return Status::NotFound(Say(Msg::kNipNotRegistered, {nip.nip}));
  }
  return r;
}

Result<EmployeeRecord> OfficeDb::AddEmployee(const EmployeeInput& in) {
  if (!in.name || Trim(*in.name).empty()) return Status::Invalid(Say(Msg::kNameRequired, {}));
  LATIH_ASSIGN_OR_RETURN(auto existing, FindEmployee(in.nip));
  if (existing) {
    return Status::Invalid(Say(Msg::kNipAlreadyRegistered, {existing->nip, existing->name}));
  }
  LATIH_ASSIGN_OR_RETURN(auto batch, store_->BeginWrite());
  LATIH_RETURN_IF_ERROR(PutEmployee(*batch, in, false, false).status());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  LATIH_ASSIGN_OR_RETURN(auto stored, FindEmployee(in.nip));
  return *stored;
}

Result<EmployeeRecord> OfficeDb::UpdateEmployee(const EmployeeInput& in) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_->BeginWrite());
  LATIH_RETURN_IF_ERROR(PutEmployee(*batch, in, true, false).status());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  LATIH_ASSIGN_OR_RETURN(auto stored, FindEmployee(in.nip));
  return *stored;
}

Result<std::optional<EmployeeRecord>> OfficeDb::FindEmployee(const std::string& nip_text) {
  LATIH_ASSIGN_OR_RETURN(domain::NipInfo nip, ParseNipSaid(nip_text));
  LATIH_ASSIGN_OR_RETURN(auto row, store_->Get("employee", domain::NaturalId("employee", {nip.nip})));
  if (!row) return std::optional<EmployeeRecord>();
  return std::optional<EmployeeRecord>(ToEmployee(*store_, *row));
}

Result<std::vector<EmployeeRecord>> OfficeDb::ListEmployees(bool include_inactive) {
  const std::string_view order[] = {"name", "nip"};
  LATIH_ASSIGN_OR_RETURN(auto rows, store_->Select("employee", std::nullopt, order));
  std::vector<EmployeeRecord> out;
  for (const auto& row : rows) {
    EmployeeRecord e = ToEmployee(*store_, row);
    if (e.active || include_inactive) out.push_back(std::move(e));
  }
  return out;
}

Result<std::string> OfficeDb::AddTraining(const TrainingInput& in) {
  if (Trim(in.title).empty()) return Status::Invalid(Say(Msg::kTitleRequired, {}));
  LATIH_ASSIGN_OR_RETURN(int form, domain::ParseForm(in.form));
  LATIH_ASSIGN_OR_RETURN(std::string competency, domain::ParseCompetencyType(in.competency));
  std::string route(domain::DefaultRouteForForm(form));
  if (in.route) {
    LATIH_ASSIGN_OR_RETURN(route, domain::ParseRoute(*in.route));
  }
  LATIH_RETURN_IF_ERROR(CheckDateField(Msg::kFieldStartDate, in.start_date));
  LATIH_RETURN_IF_ERROR(CheckDateField(Msg::kFieldEndDate, in.end_date));
  if (in.end_date < in.start_date) {
    return Status::Invalid(Say(Msg::kEndBeforeStart, {in.end_date, in.start_date}));
  }
  if (!in.jp && !in.minutes) return Status::Invalid(Say(Msg::kNeedJpOrMinutes, {}));
  if (in.jp && !(*in.jp > 0)) return Status::Invalid(Say(Msg::kJpNotPositive, {sync::ValueToText(*in.jp)}));
  if (in.minutes && *in.minutes <= 0) {
    return Status::Invalid(Say(Msg::kMinutesNotPositive, {std::to_string(*in.minutes)}));
  }
  const double jp = in.jp ? *in.jp : static_cast<double>(*in.minutes) / policy_.minutes_per_jp;
  const int64_t minutes = in.minutes ? *in.minutes : std::llround(jp * policy_.minutes_per_jp);
  std::string scope = "nasional";
  if (in.scope) {
    scope = Lower(Trim(*in.scope));
    if (scope != "nasional" && scope != "internasional") {
      return Status::Invalid(Say(Msg::kBadScope, {*in.scope}));
    }
  }
  const std::string id = env_.ids.NewRowId();
  const std::vector<ColumnValue> cols = {
      {"office_id", in.global ? Value() : Value(office_id_)}, {"title", Trim(in.title)}, {"form", int64_t{form}},
      {"route", route}, {"competency", competency}, {"jp", jp}, {"minutes", minutes},
      {"organizer", OptText(in.organizer)}, {"start_date", in.start_date}, {"end_date", in.end_date},
      {"certificate_no", OptText(in.certificate_no)}, {"scope", scope}};
  LATIH_ASSIGN_OR_RETURN(auto batch, store_->BeginWrite());
  LATIH_RETURN_IF_ERROR(batch->Put("training", id, cols, PutMode::kInsertOnly).status());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return id;
}

Result<std::string> OfficeDb::AddSession(const SessionInput& in) {
  LATIH_ASSIGN_OR_RETURN(auto training, store_->Get("training", in.training_id));
  if (!training) return Status::NotFound(Say(Msg::kTrainingMissing, {in.training_id}));
  LATIH_RETURN_IF_ERROR(CheckDateField(Msg::kFieldDate, in.date));
  const std::string start = Cell(*store_, *training, "training", "start_date");
  const std::string end = Cell(*store_, *training, "training", "end_date");
  if (in.date < start || in.date > end) {
    return Status::Invalid(Say(Msg::kDateOutsideTraining, {in.date, start, end}));
  }
  for (const auto* t : {&in.start_time, &in.end_time}) {
    if (*t && (!IsClockTime(**t) || (*t)->size() != 5)) {
      return Status::Invalid(Say(Msg::kTimeNotHhMm, {**t}));
    }
  }
  if (in.start_time && in.end_time && *in.end_time <= *in.start_time) {
    return Status::Invalid(Say(Msg::kEndTimeNotAfterStart, {*in.end_time, *in.start_time}));
  }
  if (in.jp && !(*in.jp > 0)) return Status::Invalid(Say(Msg::kJpNotPositive, {sync::ValueToText(*in.jp)}));
  std::string office = Cell(*store_, *training, "training", "office_id");
  if (office.empty()) office = office_id_;
  const std::string id = env_.ids.NewRowId();
  const std::vector<ColumnValue> cols = {
      {"training_id", in.training_id}, {"office_id", office}, {"date", in.date},
      {"start_time", OptText(in.start_time)}, {"end_time", OptText(in.end_time)},
      {"jp", in.jp ? Value(*in.jp) : Value()}, {"location", OptText(in.location)}};
  LATIH_ASSIGN_OR_RETURN(auto batch, store_->BeginWrite());
  LATIH_RETURN_IF_ERROR(batch->Put("session", id, cols, PutMode::kInsertOnly).status());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return id;
}

}  // namespace latih::client
