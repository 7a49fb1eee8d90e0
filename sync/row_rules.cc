#include "sync/row_rules.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <functional>
#include <map>

#include "sync/domain/ids.h"
#include "sync/domain/ikm.h"
#include "sync/domain/nip.h"
#include "sync/domain/vocab.h"

namespace latih::sync {
namespace {

constexpr int kMinYear = 1900, kMaxYear = 2099;
constexpr int kMinSkpYear = 2022;
constexpr int64_t kMaxCostRupiah = 100'000'000'000;
constexpr double kMaxScore = 100;
constexpr int64_t kMinSkmScore = 1, kMaxSkmScore = 4;

// Named access to a row's cells while checking it.
class RowView {
 public:
  RowView(const TableDef& t, const Row& r) : table_(t), row_(r) {}
  const Value& Get(std::string_view col) const {
    static const Value kNull;
    int i = table_.ColumnIndex(col);
    return i < 0 ? kNull : row_.values[i];
  }
  std::string Text(std::string_view col) const { return ValueToText(Get(col)); }
  Status Bad(std::string_view col, std::string_view why) const {
    return Status::Invalid(table_.name + "." + std::string(col) + " '" + Text(col) +
                           "' " + std::string(why) + " (row " + row_.id + ")");
  }
  const std::string& id() const { return row_.id; }
  const std::string& table() const { return table_.name; }

 private:
  const TableDef& table_;
  const Row& row_;
};

int ParseInt(std::string_view s) {
  int v = -1;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

Status CheckDate(const RowView& r, std::string_view col) {
  if (IsNull(r.Get(col))) return Status::Ok();
  if (!IsIsoDate(r.Text(col))) return r.Bad(col, "is not a real date in the form YYYY-MM-DD");
  return Status::Ok();
}

Status CheckVocab(const RowView& r, std::string_view col,
                  std::span<const domain::VocabEntry> vocab) {
  if (IsNull(r.Get(col))) return Status::Ok();
  if (!domain::FindVocab(vocab, r.Text(col))) return r.Bad(col, "is not a known code");
  return Status::Ok();
}

Status CheckNaturalId(const RowView& r, std::span<const std::string_view> cols) {
  std::vector<std::string> parts;
  for (auto c : cols) parts.push_back(r.Text(c));
  std::string expected;
  switch (parts.size()) {
    case 1: expected = domain::NaturalId(r.table(), {parts[0]}); break;
    case 2: expected = domain::NaturalId(r.table(), {parts[0], parts[1]}); break;
    default: expected = domain::NaturalId(r.table(), {parts[0], parts[1], parts[2]}); break;
  }
  if (r.id() != expected) {
    return Status::Invalid(r.table() + " row " + r.id() +
                           ": id does not match its natural key (expected " + expected + ")");
  }
  return Status::Ok();
}

Status CheckEmployee(const RowView& r) {
  auto nip = domain::ParseNip(r.Text("nip"));
  if (!nip.ok()) return nip.status().WithContext("employee.nip");
  if (nip->nip != r.Text("nip")) return r.Bad("nip", "must be 18 digits without spaces");
  if (!IsNull(r.Get("email")) && !IsStoredEmail(r.Text("email"))) {
    return r.Bad("email", "is not an e-mail address in lower case (name@domain)");
  }
  const std::string type = nip->type == domain::EmploymentType::kPns ? "pns" : "pppk";
  if (r.Text("employment_type") != type) {
    return r.Bad("employment_type", "does not match the NIP, which is a " +
                                        std::string(domain::EmploymentTypeName(nip->type)) + " number");
  }
  return CheckNaturalId(r, NaturalKeyColumns("employee"));
}

Status CheckCost(const RowView& r, std::string_view col) {
  if (IsNull(r.Get(col))) return Status::Ok();
  const auto* cost = std::get_if<int64_t>(&r.Get(col));
  if (!cost || *cost < 0 || *cost > kMaxCostRupiah) {
    return r.Bad(col, "is not a whole number of rupiah from 0 to 100,000,000,000");
  }
  return Status::Ok();
}

Status CheckTraining(const RowView& r) {
  const auto* form = std::get_if<int64_t>(&r.Get("form"));
  if (!form || *form < domain::kMinForm || *form > domain::kMaxForm) {
    return r.Bad("form", "is not a SIASN jenisDiklatId (1..25)");
  }
  LATIH_RETURN_IF_ERROR(CheckVocab(r, "route", domain::Routes()));
  LATIH_RETURN_IF_ERROR(CheckVocab(r, "competency", domain::CompetencyTypes()));
  LATIH_RETURN_IF_ERROR(CheckDate(r, "start_date"));
  LATIH_RETURN_IF_ERROR(CheckDate(r, "end_date"));
  if (r.Text("end_date") < r.Text("start_date")) return r.Bad("end_date", "is before start_date");
  LATIH_RETURN_IF_ERROR(CheckCost(r, "cost_planned"));
  LATIH_RETURN_IF_ERROR(CheckCost(r, "cost_actual"));
  return CheckVocab(r, "funding_source", domain::FundingSources());
}

Status CheckSkp(const RowView& r) {
  const auto* year = std::get_if<int64_t>(&r.Get("year"));
  if (!year || *year < kMinSkpYear || *year > kMaxYear) {
    return r.Bad("year", "is not a year of the SKP of PermenPAN-RB 6/2022 (2022 onwards)");
  }
  if (!IsSkpPeriod(r.Text("period"))) return r.Bad("period", "is not tahunan, Q1..Q4 or a month 01..12");
  for (std::string_view col : {"hasil_kerja", "perilaku_kerja"}) {
    const std::string text = r.Text(col);
    if (text != "di_atas" && text != "sesuai" && text != "di_bawah") {
      return r.Bad(col, "is not a rating (di_atas, sesuai, di_bawah)");
    }
  }
  LATIH_RETURN_IF_ERROR(CheckDate(r, "assessed_on"));
  if (!IsNull(r.Get("assessor_nip"))) {
    auto nip = domain::ParseNip(r.Text("assessor_nip"));
    if (!nip.ok()) return nip.status().WithContext("skp_assessment.assessor_nip");
    if (nip->nip != r.Text("assessor_nip")) return r.Bad("assessor_nip", "must be 18 digits without spaces");
  }
  return CheckNaturalId(r, NaturalKeyColumns("skp_assessment"));
}

Status CheckAspects(const RowView& r) {
  if (IsNull(r.Get("aspects"))) return Status::Ok();
  auto j = nlohmann::json::parse(r.Text("aspects"), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return r.Bad("aspects", "is not a JSON object of aspect scores");
  for (auto& [name, v] : j.items()) {
    if (name.empty() || !v.is_number() || v.get<double>() < 0 || v.get<double>() > kMaxScore) {
      return r.Bad("aspects", "must map aspect names to scores 0..100 (bad: " + name + ")");
    }
  }
  return Status::Ok();
}

Status CheckEvaluation(const RowView& r) {
  LATIH_RETURN_IF_ERROR(CheckVocab(r, "kind", domain::EvaluationKinds()));
  const auto* level = std::get_if<int64_t>(&r.Get("level"));
  if (!level || *level != domain::KirkpatrickLevel(r.Text("kind"))) {
    return r.Bad("level", "is not the Kirkpatrick level of kind " + r.Text("kind"));
  }
  const auto* score = std::get_if<double>(&r.Get("score"));
  if (!score || *score < 0 || *score > kMaxScore) return r.Bad("score", "is not between 0 and 100");
  LATIH_RETURN_IF_ERROR(CheckAspects(r));
  LATIH_RETURN_IF_ERROR(CheckDate(r, "assessed_on"));
  return CheckNaturalId(r, NaturalKeyColumns("evaluation"));
}

Status CheckSkm(const RowView& r) {
  if (!IsSkmPeriod(r.Text("period"))) {
    return r.Bad("period", "is not a period (YYYY, YYYY-S1, YYYY-Q3 or YYYY-MM)");
  }
  for (int i = 1; i <= domain::kSkmUnsurCount; ++i) {
    const std::string col = "u" + std::to_string(i);
    const auto* v = std::get_if<int64_t>(&r.Get(col));
    if (!v || *v < kMinSkmScore || *v > kMaxSkmScore) return r.Bad(col, "is not a score 1..4");
  }
  LATIH_RETURN_IF_ERROR(CheckVocab(r, "gender", domain::Genders()));
  LATIH_RETURN_IF_ERROR(CheckVocab(r, "age_band", domain::AgeBands()));
  LATIH_RETURN_IF_ERROR(CheckVocab(r, "education", domain::EducationLevels()));
  return CheckDate(r, "responded_on");
}

Status CheckAttendance(const RowView& r) {
  LATIH_RETURN_IF_ERROR(CheckVocab(r, "status", domain::AttendanceStatuses()));
  const std::string method = r.Text("method");
  if (method != "manual" && method != "csv" && method != "qr") {
    return r.Bad("method", "is not manual, csv or qr");
  }
  return CheckNaturalId(r, NaturalKeyColumns("attendance"));
}

Status CheckUuid(const RowView& r) {
  if (!domain::IsUuid(r.id())) {
    return Status::Invalid(r.table() + " id '" + r.id() + "' is not a UUID");
  }
  return Status::Ok();
}

}  // namespace

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int y = ParseInt(s.substr(0, 4)), m = ParseInt(s.substr(5, 2)), d = ParseInt(s.substr(8, 2));
  if (y < kMinYear || y > kMaxYear || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool IsSkmPeriod(std::string_view s) {
  auto digits = [](std::string_view d) {
    return !d.empty() && d.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (s.size() < 4 || !digits(s.substr(0, 4))) return false;
  const int y = ParseInt(s.substr(0, 4));
  if (y < kMinYear || y > kMaxYear) return false;
  if (s.size() == 4) return true;
  if (s.size() != 7 || s[4] != '-') return false;
  const std::string_view rest = s.substr(5);
  if (rest[0] == 'S') return rest[1] == '1' || rest[1] == '2';
  if (rest[0] == 'Q') return rest[1] >= '1' && rest[1] <= '4';
  if (!digits(rest)) return false;
  const int m = ParseInt(rest);
  return m >= 1 && m <= 12;
}

bool IsStoredEmail(std::string_view s) {
  constexpr size_t kMaxEmail = 254;
  if (s.size() > kMaxEmail) return false;
  const size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size() || s.find('@', at + 1) != s.npos) return false;
  for (char c : s) {
    if (c < '!' || c > '~' || (c >= 'A' && c <= 'Z')) return false;
    if (std::string_view(",;<>()\"").find(c) != std::string_view::npos) return false;
  }
  return true;
}

bool IsSkpPeriod(std::string_view s) {
  if (s == "tahunan") return true;
  if (s.size() != 2) return false;
  if (s[0] == 'Q') return s[1] >= '1' && s[1] <= '4';
  return (s[0] == '0' && s[1] >= '1' && s[1] <= '9') || (s[0] == '1' && s[1] >= '0' && s[1] <= '2');
}

Status ValidateCompleteRow(const TableDef& table, const Row& row) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].not_null && IsNull(row.values[i])) {
      return Status::Invalid(table.name + "." + table.columns[i].name + " is required (row " + row.id + ")");
    }
  }
  return ValidateRow(table, row);
}

Status ValidateRow(const TableDef& table, const Row& row) {
  RowView r(table, row);
  static const std::map<std::string, std::function<Status(const RowView&)>, std::less<>> kRules = {
      {"employee", CheckEmployee},
      {"training", [](const RowView& v) { LATIH_RETURN_IF_ERROR(CheckUuid(v)); return CheckTraining(v); }},
      {"session", [](const RowView& v) { LATIH_RETURN_IF_ERROR(CheckUuid(v)); return CheckDate(v, "date"); }},
      {"attendance", CheckAttendance},
      {"evaluation", CheckEvaluation},
      {"skm_response", [](const RowView& v) { LATIH_RETURN_IF_ERROR(CheckUuid(v)); return CheckSkm(v); }},
      {"skp_assessment", CheckSkp},
  };
  auto it = kRules.find(table.name);
  if (it == kRules.end()) return Status::Ok();
  return it->second(r);
}

std::span<const std::string_view> NaturalKeyColumns(std::string_view table) {
  static constexpr std::string_view kEmployee[] = {"nip"};
  static constexpr std::string_view kAttendance[] = {"session_id", "employee_id"};
  static constexpr std::string_view kEvaluation[] = {"training_id", "employee_id", "kind"};
  static constexpr std::string_view kSkp[] = {"employee_id", "year", "period"};
  if (table == "employee") return kEmployee;
  if (table == "attendance") return kAttendance;
  if (table == "evaluation") return kEvaluation;
  if (table == "skp_assessment") return kSkp;
  return {};
}

}  // namespace latih::sync
