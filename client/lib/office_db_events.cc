// OfficeDb: attendance, evaluations and SKM responses.
#include <nlohmann/json.hpp>

#include "client/lib/messages.h"
#include "client/lib/office_db.h"
#include "client/lib/office_db_internal.h"
#include "sync/domain/ids.h"
#include "sync/domain/ikm.h"
#include "sync/domain/nip.h"
#include "sync/domain/vocab.h"
#include "sync/row_rules.h"

namespace latih::client {

using namespace internal;
using sync::ColumnValue;
using sync::Row;
using sync::Value;
using sync::sqlite::PutMode;
using sync::sqlite::WriteBatch;

namespace {

constexpr int64_t kMaxMinutesLate = 1440;
constexpr double kMaxScore = 100;

// Normalizes a check-in time to "YYYY-MM-DDTHH:MM:SS" on `session_date`.
Result<std::string> NormalizeAt(const std::string& at, const std::string& session_date) {
  std::string t = Trim(at);
  std::string date = session_date, clock = t;
  if (t.size() >= 16 && (t[10] == 'T' || t[10] == ' ')) {
    date = t.substr(0, 10);
    clock = t.substr(11);
  }
  if (!sync::IsIsoDate(date) || !IsClockTime(clock)) {
    return Status::Invalid(Say(Msg::kBadTime, {at}));
  }
  if (clock.size() == 5) clock += ":00";
  return date + "T" + clock;
}

// "materi=85, fasilitator=90" or a JSON object -> canonical JSON object text.
Result<std::string> ParseAspects(const std::string& text) {
  std::string t = Trim(text);
  if (!t.empty() && t[0] == '{') {
    auto j = nlohmann::json::parse(t, nullptr, false);
    if (!j.is_object()) return Status::Invalid(Say(Msg::kAspectsNotObject, {text}));
    return j.dump();
  }
  nlohmann::json j = nlohmann::json::object();
  size_t start = 0;
  while (start <= t.size()) {
    size_t end = t.find(',', start);
    std::string part = Trim(t.substr(start, end == std::string::npos ? std::string::npos : end - start));
    size_t eq = part.find('=');
    if (eq == std::string::npos || Trim(part.substr(0, eq)).empty()) {
      return Status::Invalid(Say(Msg::kAspectNotPair, {part}));
    }
    std::string name = Lower(Trim(part.substr(0, eq))), num = Trim(part.substr(eq + 1));
    char* endp = nullptr;
    double v = std::strtod(num.c_str(), &endp);
    if (num.empty() || *endp != '\0' || !(v >= 0 && v <= kMaxScore)) {
      return Status::Invalid(Say(Msg::kAspectBadScore, {num, name}));
    }
    j[name] = v;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return j.dump();
}

}  // namespace

Result<AttendOutcome> OfficeDb::Attend(const AttendInput& in) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_->BeginWrite());
  LATIH_ASSIGN_OR_RETURN(AttendOutcome out, Attend(*batch, in));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return out;
}

Result<AttendOutcome> OfficeDb::Attend(WriteBatch& batch, const AttendInput& in) {
  LATIH_ASSIGN_OR_RETURN(auto session, batch.Get("session", in.session_id));
  if (!session) return Status::NotFound(Say(Msg::kSessionMissing, {in.session_id}));
  LATIH_ASSIGN_OR_RETURN(domain::NipInfo nip, ParseNipSaid(in.nip));
  LATIH_ASSIGN_OR_RETURN(std::string status, domain::ParseAttendanceStatus(in.status));
  AttendOutcome out;
  out.status = status;
  const std::string employee_id = domain::NaturalId("employee", {nip.nip});
  LATIH_ASSIGN_OR_RETURN(auto employee, batch.Get("employee", employee_id));
  if (!employee) {
    if (!in.add_unknown) {
      return Status::NotFound(Say(Msg::kNipNotRegisteredAttend, {nip.nip}));
    }
    EmployeeInput placeholder{nip.nip, in.unknown_name ? in.unknown_name
                                                       : std::optional<std::string>("(belum terdaftar) " + nip.nip),
                              {}, {}, {}, {}};
    LATIH_RETURN_IF_ERROR(PutEmployee(batch, placeholder, false, true).status());
    LATIH_ASSIGN_OR_RETURN(employee, batch.Get("employee", employee_id));
    out.placeholder_added = true;
  }
  out.employee_name = Cell(*store_, *employee, "employee", "name");
  const std::string date = Cell(*store_, *session, "session", "date");
  const std::string start = Cell(*store_, *session, "session", "start_time");
  out.attendance_id = domain::NaturalId("attendance", {in.session_id, employee_id});

  // Re-recording updates the one row. The first check-in time, the method and
  // the keys are kept (insert_only) unless a time is given again.
  std::vector<ColumnValue> cols = {{"status", status}};
  if (in.at) {
    LATIH_ASSIGN_OR_RETURN(std::string at, NormalizeAt(*in.at, date));
    cols.push_back({"checked_in_at", at});
    if (!in.minutes_late && status == "terlambat" && !start.empty() && at.substr(0, 10) == date) {
      out.minutes_late = std::max(0, MinutesOfDay(at.substr(11, 5)) - MinutesOfDay(start));
    }
  } else {
    LATIH_ASSIGN_OR_RETURN(std::string now, LocalTimestamp());
    cols.push_back({"checked_in_at", now, /*insert_only=*/true});
  }
  if (in.minutes_late) {
    if (*in.minutes_late < 0 || *in.minutes_late > kMaxMinutesLate) {
      return Status::Invalid(Say(Msg::kMinutesLateRange, {std::to_string(*in.minutes_late)}));
    }
    out.minutes_late = in.minutes_late;
  }
  if (out.minutes_late || status != "terlambat") {
    cols.push_back({"minutes_late", out.minutes_late ? Value(*out.minutes_late) : Value()});
  }
  if (in.note) cols.push_back({"note", OptText(in.note)});
  for (auto [column, value] : {std::pair<const char*, std::string>{"session_id", in.session_id},
                               {"employee_id", employee_id},
                               {"office_id", Cell(*store_, *employee, "employee", "office_id")},
                               {"method", in.method}}) {
    cols.push_back({column, value, /*insert_only=*/true});
  }
  LATIH_ASSIGN_OR_RETURN(auto put, batch.Put("attendance", out.attendance_id, cols));
  out.created = put.created;
  out.changed = put.created || !put.changed.empty();
  return out;
}

Result<std::string> OfficeDb::Evaluate(const EvaluateInput& in) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_->BeginWrite());
  LATIH_ASSIGN_OR_RETURN(EvaluateOutcome out, Evaluate(*batch, in));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return out.evaluation_id;
}

Result<EvaluateOutcome> OfficeDb::Evaluate(WriteBatch& batch, const EvaluateInput& in) {
  LATIH_ASSIGN_OR_RETURN(auto training, batch.Get("training", in.training_id));
  if (!training) return Status::NotFound(Say(Msg::kTrainingMissing, {in.training_id}));
  LATIH_ASSIGN_OR_RETURN(std::string kind, domain::ParseEvaluationKind(in.kind));
  LATIH_ASSIGN_OR_RETURN(domain::NipInfo nip, ParseNipSaid(in.nip));
  const std::string employee_id = domain::NaturalId("employee", {nip.nip});
  LATIH_ASSIGN_OR_RETURN(auto employee, batch.Get("employee", employee_id));
  if (!employee) return Status::NotFound(Say(Msg::kNipNotRegistered, {nip.nip}));
  if (!(in.score >= 0 && in.score <= kMaxScore)) {
    return Status::Invalid(Say(Msg::kScoreRange, {sync::ValueToText(in.score)}));
  }
  std::vector<ColumnValue> cols = {
      {"training_id", in.training_id}, {"employee_id", employee_id},
      {"office_id", Cell(*store_, *employee, "employee", "office_id")}, {"kind", kind},
      {"level", int64_t{domain::KirkpatrickLevel(kind)}}, {"score", in.score}};
  if (in.aspects) {
    LATIH_ASSIGN_OR_RETURN(std::string aspects, ParseAspects(*in.aspects));
    cols.push_back({"aspects", aspects});
  }
  if (in.assessed_on) {
    if (!sync::IsIsoDate(*in.assessed_on)) {
      return Status::Invalid(Say(Msg::kDateNotReal, {Say(Msg::kFieldDate), *in.assessed_on}));
    }
    cols.push_back({"assessed_on", *in.assessed_on});
  }
  EvaluateOutcome out;
  out.evaluation_id = domain::NaturalId("evaluation", {in.training_id, employee_id, kind});
  LATIH_ASSIGN_OR_RETURN(out.put, batch.Put("evaluation", out.evaluation_id, cols));
  return out;
}

Result<std::string> OfficeDb::AddSurvey(const SurveyInput& in) {
  const std::string period = Trim(in.period);
  if (!sync::IsSkmPeriod(period)) {
    return Status::Invalid(Say(Msg::kBadPeriod, {in.period}));
  }
  std::vector<ColumnValue> cols = {{"office_id", office_id_}, {"period", period}};
  size_t start = 0;
  for (int i = 0; i < domain::kSkmUnsurCount; ++i) {
    size_t end = in.scores.find(',', start);
    const std::string part = Trim(std::string_view(in.scores).substr(start, end - start));
    const bool last = i + 1 == domain::kSkmUnsurCount;
    if ((end == std::string::npos) != last) {
      return Status::Invalid(Say(Msg::kScoresNotNine, {in.scores}));
    }
    if (part.size() != 1 || part[0] < '1' || part[0] > '4') {
      return Status::Invalid(Say(Msg::kUnsurScoreRange, {std::to_string(i + 1), domain::SkmUnsurName(i), part}));
    }
    cols.push_back({"u" + std::to_string(i + 1), int64_t{part[0] - '0'}});
    start = end + 1;
  }
  struct Profile {
    const std::optional<std::string>& value;
    const char* column;
    Result<std::string> (*parse)(std::string_view);
  };
  for (const Profile& p : {Profile{in.gender, "gender", domain::ParseGender},
                           Profile{in.age_band, "age_band", domain::ParseAgeBand},
                           Profile{in.education, "education", domain::ParseEducation}}) {
    if (!p.value) continue;
    LATIH_ASSIGN_OR_RETURN(std::string code, p.parse(*p.value));
    cols.push_back({p.column, code});
  }
  cols.push_back({"occupation", OptText(in.occupation)});
  cols.push_back({"service", OptText(in.service)});
  if (in.responded_on) {
    if (!sync::IsIsoDate(*in.responded_on)) {
      return Status::Invalid(Say(Msg::kDateNotReal, {Say(Msg::kFieldDate), *in.responded_on}));
    }
    cols.push_back({"responded_on", *in.responded_on});
  }
  const std::string id = env_.ids.NewRowId();
  LATIH_ASSIGN_OR_RETURN(auto batch, store_->BeginWrite());
  LATIH_RETURN_IF_ERROR(batch->Put("skm_response", id, cols, PutMode::kInsertOnly).status());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return id;
}

}  // namespace latih::client
