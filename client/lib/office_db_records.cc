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

constexpr int64_t kMaxRupiah = 100'000'000'000;  // the schema's bound on a training's cost

EmployeeRecord ToEmployee(const Store& store, const Row& row) {
  auto c = [&](std::string_view col) { return Cell(store, row, "employee", col); };
  return EmployeeRecord{row.id, c("nip"), c("name"), c("office_id"), c("position"), c("rank"),
                        c("employment_type") == "pppk" ? "PPPK" : "PNS", c("active") == "1",
                        c("needs_review") == "1", c("email")};
}

// NULL for "" (removing a stored address), else the address as stored:
// trimmed, lower case, checked here so that the refusal is in the reader's
// language (the row rules say the same in English).
Result<Value> EmailValue(const std::string& text) {
  const std::string email = Lower(Trim(text));
  if (email.empty()) return Value();
  if (!sync::IsStoredEmail(email)) return Status::Invalid(Say(Msg::kBadEmail, {Trim(text)}));
  return Value(email);
}

// A funding source's code from its code, label or alias, refused in the
// catalog's words.
Result<std::string> FundingCode(const std::string& text) {
  auto code = domain::ParseFundingSource(text);
  if (code.ok()) return code;
  std::string codes;
  for (const auto& e : domain::FundingSources()) codes += (codes.empty() ? "" : ", ") + std::string(e.code);
  return Status::Invalid(Say(Msg::kBadFunding, {text, codes}));
}

Status CheckCost(Msg field, const std::optional<int64_t>& rupiah) {
  if (rupiah && (*rupiah < 0 || *rupiah > kMaxRupiah)) {
    return Status::Invalid(Say(Msg::kRupiahBad, {Say(field), std::to_string(*rupiah)}));
  }
  return Status::Ok();
}

Value OptInt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(); }

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
  if (in.email) {
    LATIH_ASSIGN_OR_RETURN(Value email, EmailValue(*in.email));
    cols.push_back({"email", email});
  }
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

Result<std::vector<EmployeeRecord>> OfficeDb::FindEmployeesByEmail(std::string_view email) {
  const std::string_view order[] = {"nip"};
  LATIH_ASSIGN_OR_RETURN(auto rows,
                         store_->Select("employee", ColumnValue{"email", Lower(Trim(email))}, order));
  std::vector<EmployeeRecord> out;
  for (const auto& row : rows) {
    EmployeeRecord e = ToEmployee(*store_, row);
    if (e.office_id == office_id_) out.push_back(std::move(e));
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
  LATIH_RETURN_IF_ERROR(CheckCost(Msg::kFieldCostPlanned, in.cost_planned));
  LATIH_RETURN_IF_ERROR(CheckCost(Msg::kFieldCostActual, in.cost_actual));
  Value funding;
  if (in.funding) {
    LATIH_ASSIGN_OR_RETURN(funding, FundingCode(*in.funding));
  }
  const std::string id = env_.ids.NewRowId();
  const std::vector<ColumnValue> cols = {
      {"office_id", in.global ? Value() : Value(office_id_)}, {"title", Trim(in.title)}, {"form", int64_t{form}},
      {"route", route}, {"competency", competency}, {"jp", jp}, {"minutes", minutes},
      {"organizer", OptText(in.organizer)}, {"start_date", in.start_date}, {"end_date", in.end_date},
      {"certificate_no", OptText(in.certificate_no)}, {"scope", scope}, {"cost_planned", OptInt(in.cost_planned)},
      {"cost_actual", OptInt(in.cost_actual)}, {"funding_source", funding}};
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

Result<TrainingCost> OfficeDb::SetTrainingCost(const TrainingCostInput& in) {
  if (!in.planned && !in.actual && !in.funding) return Status::Invalid(Say(Msg::kTrainingCostNothing, {}));
  LATIH_ASSIGN_OR_RETURN(auto training, store_->Get("training", in.training_id));
  if (!training) return Status::NotFound(Say(Msg::kTrainingMissingSeeList, {in.training_id}));
  // Another office's training is not this device's to budget. A central
  // one (no office) is BKPSDM's: allowed here as `training add --global`
  // is, for HR's own database; the server refuses an office device's
  // change of it at sync (quarantined, as any forbidden write).
  const std::string owner = Cell(*store_, *training, "training", "office_id");
  if (!owner.empty() && owner != office_id_) {
    return Status::Invalid(Say(Msg::kTrainingNotThisOffice, {in.training_id}));
  }
  LATIH_RETURN_IF_ERROR(CheckCost(Msg::kFieldCostPlanned, in.planned));
  LATIH_RETURN_IF_ERROR(CheckCost(Msg::kFieldCostActual, in.actual));
  std::vector<ColumnValue> cols;
  if (in.planned) cols.push_back({"cost_planned", *in.planned});
  if (in.actual) cols.push_back({"cost_actual", *in.actual});
  if (in.funding) {
    LATIH_ASSIGN_OR_RETURN(std::string code, FundingCode(*in.funding));
    cols.push_back({"funding_source", code});
  }
  LATIH_ASSIGN_OR_RETURN(auto batch, store_->BeginWrite());
  LATIH_ASSIGN_OR_RETURN(auto put, batch->Put("training", in.training_id, cols, PutMode::kUpdateOnly));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  LATIH_ASSIGN_OR_RETURN(auto stored, store_->Get("training", in.training_id));
  auto amount = [&](std::string_view col) -> std::optional<int64_t> {
    const std::string text = Cell(*store_, *stored, "training", col);
    if (text.empty()) return std::nullopt;
    return std::stoll(text);
  };
  return TrainingCost{Cell(*store_, *stored, "training", "title"), amount("cost_planned"), amount("cost_actual"),
                      Cell(*store_, *stored, "training", "funding_source"), !put.changed.empty()};
}

// --- Amounts ---------------------------------------------------------------

namespace {

// "5000000" or "5.000.000": digits, or groups of three after dots.
bool IsWholeAmount(std::string_view t) {
  if (t.empty() || t.front() == '.' || t.back() == '.') return false;
  size_t group = 0;
  bool dotted = false;
  for (size_t i = t.size(); i-- > 0;) {
    if (t[i] == '.') {
      if (group != 3) return false;
      dotted = true;
      group = 0;
    } else if (t[i] >= '0' && t[i] <= '9') {
      ++group;
    } else {
      return false;
    }
  }
  return !dotted || (group >= 1 && group <= 3);
}

}  // namespace

Result<int64_t> ParseRupiah(std::string_view text, std::string_view field) {
  std::string t = Lower(Trim(text));
  if (t.rfind("rp", 0) == 0) t = Trim(std::string_view(t).substr(t[2] == '.' ? 3 : 2));
  // Invoices write "Rp 5.000.000,-" and "5.000.000,00": no rupiah fraction.
  for (std::string_view tail : {",-", ",00"}) {
    if (t.size() > tail.size() && t.compare(t.size() - tail.size(), tail.size(), tail) == 0) {
      t.resize(t.size() - tail.size());
    }
  }
  if (!IsWholeAmount(t)) return Status::Invalid(Say(Msg::kRupiahBad, {field, Trim(text)}));
  std::string digits;
  for (char c : t) {
    if (c != '.') digits += c;
  }
  const size_t first = digits.find_first_not_of('0');
  const std::string_view significant = first == std::string::npos ? "0" : std::string_view(digits).substr(first);
  if (significant.size() > 12 || std::stoll(std::string(significant)) > kMaxRupiah) {
    return Status::Invalid(Say(Msg::kRupiahTooLarge, {field, Trim(text)}));
  }
  return std::stoll(std::string(significant));
}

}  // namespace latih::client
