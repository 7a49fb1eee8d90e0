// OfficeDb: SKP performance assessments (docs/SKP.md). The device stores the
// two ratings; the predicate is the schema's generated column, read back,
// never written.
#include <cctype>

#include "client/lib/messages.h"
#include "client/lib/office_db.h"
#include "client/lib/office_db_internal.h"
#include "sync/domain/ids.h"
#include "sync/row_rules.h"

namespace latih::client {

using namespace internal;
using sync::ColumnValue;
using sync::Value;
using sync::sqlite::PutMode;
using sync::sqlite::WriteBatch;

namespace {

constexpr int kMinSkpYear = 2022, kMaxSkpYear = 2099;  // PermenPAN-RB 6/2022 onwards (the schema's bounds)
constexpr size_t kMaxAssessorName = 200;

// Spaces, '-', '_' and '.' dropped: "TW 1", "tw-1" and "Triwulan 1" compare as "tw1", "triwulan1".
std::string Squeezed(std::string_view text) {
  std::string out;
  for (char c : Lower(Trim(text))) {
    if (c != ' ' && c != '-' && c != '_' && c != '.') out += c;
  }
  return out;
}

// 1..4 for "1".."4" or "i".."iv"; 0 otherwise.
int QuarterNumber(std::string_view n) {
  static constexpr std::string_view kRoman[] = {"i", "ii", "iii", "iv"};
  for (int q = 1; q <= 4; ++q) {
    if (n == std::to_string(q) || n == kRoman[q - 1]) return q;
  }
  return 0;
}

// "q", "tw", "triwulan", "quarter" and then 1..4 or I..IV.
int Quarter(const std::string& squeezed) {
  for (std::string_view prefix : {"triwulan", "quarter", "tw", "q"}) {
    if (squeezed.rfind(prefix, 0) == 0) return QuarterNumber(std::string_view(squeezed).substr(prefix.size()));
  }
  return 0;
}

// "3", "03", "bulan 3", or a month's name.
int Month(const std::string& squeezed) {
  std::string_view n = squeezed;
  if (n.rfind("bulan", 0) == 0) n.remove_prefix(5);
  if (!n.empty() && n.size() <= 2 && std::isdigit(static_cast<unsigned char>(n[0])) &&
      std::isdigit(static_cast<unsigned char>(n.back()))) {
    const int m = std::stoi(std::string(n));
    return m >= 1 && m <= 12 ? m : 0;
  }
  return MonthByName(std::string(n));
}

Result<domain::SkpRating> RatingSaid(Msg field, const std::string& text) {
  auto rating = domain::ParseSkpRating(text, "");
  if (!rating.ok()) return Status::Invalid(Say(Msg::kSkpBadRating, {Say(field), Trim(text)}));
  return rating;
}

// The optional fields, checked in the catalog's words before the row rules
// see them.
Status CheckSkpDetails(const SkpInput& in, std::vector<ColumnValue>& cols) {
  if (in.assessed_on && !Trim(*in.assessed_on).empty()) {
    const std::string date = Trim(*in.assessed_on);
    if (!sync::IsIsoDate(date)) return Status::Invalid(Say(Msg::kDateNotReal, {Say(Msg::kFieldAssessedOn), date}));
    cols.push_back({"assessed_on", date});
  }
  if (in.assessor_nip && !Trim(*in.assessor_nip).empty()) {
    auto nip = ParseNipSaid(*in.assessor_nip);
    if (!nip.ok()) return Status::Invalid(Say(Msg::kSkpAssessorNip, {nip.status().message()}));
    cols.push_back({"assessor_nip", nip->nip});
  }
  if (in.assessor_name && !Trim(*in.assessor_name).empty()) {
    const std::string name = Trim(*in.assessor_name);
    if (name.size() > kMaxAssessorName) {
      return Status::Invalid(Say(Msg::kSkpAssessorNameLong, {std::to_string(name.size())}));
    }
    cols.push_back({"assessor_name", name});
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ParseSkpPeriod(std::string_view text) {
  const std::string s = Squeezed(text);
  if (s.empty() || s == "tahunan" || s == "annual" || s == "tahun" || s == "year") return std::string("tahunan");
  if (const int q = Quarter(s)) return "Q" + std::to_string(q);
  if (const int m = Month(s)) return std::string(m < 10 ? "0" : "") + std::to_string(m);
  return Status::Invalid(Say(Msg::kSkpBadPeriod, {Trim(text)}));
}

Result<domain::SkpPredicate> ParseSkpPredicate(std::string_view text) {
  const std::string s = Squeezed(text);
  for (int p = 1; p <= 5; ++p) {
    const auto predicate = static_cast<domain::SkpPredicate>(p);
    const std::string label = Squeezed(domain::SkpPredicateLabel(predicate));
    // "Kurang/Misconduct" is also written as either of its halves.
    if (s == std::to_string(p) || s == Squeezed(domain::SkpPredicateCode(predicate)) || s == label ||
        (label.find('/') != std::string::npos &&
         (s == label.substr(0, label.find('/')) || s == label.substr(label.find('/') + 1)))) {
      return predicate;
    }
  }
  return Status::Invalid(Say(Msg::kSkpBadPredicate, {Trim(text)}));
}

Result<SkpOutcome> OfficeDb::RecordSkp(const SkpInput& in) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store_->BeginWrite());
  LATIH_ASSIGN_OR_RETURN(SkpOutcome out, RecordSkp(*batch, in));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return out;
}

Result<SkpOutcome> OfficeDb::RecordSkp(WriteBatch& batch, const SkpInput& in) {
  SkpOutcome out;
  LATIH_ASSIGN_OR_RETURN(domain::NipInfo nip, ParseNipSaid(in.nip));
  LATIH_ASSIGN_OR_RETURN(auto employee, batch.Get("employee", domain::NaturalId("employee", {nip.nip})));
  if (!employee) return Status::NotFound(Say(Msg::kNipNotRegistered, {nip.nip}));
  if (in.year < kMinSkpYear || in.year > kMaxSkpYear) {
    return Status::Invalid(Say(Msg::kSkpBadYear, {std::to_string(in.year)}));
  }
  LATIH_ASSIGN_OR_RETURN(out.period, ParseSkpPeriod(in.period));
  LATIH_ASSIGN_OR_RETURN(out.hasil_kerja, RatingSaid(Msg::kFieldHasilKerja, in.hasil_kerja));
  LATIH_ASSIGN_OR_RETURN(out.perilaku_kerja, RatingSaid(Msg::kFieldPerilakuKerja, in.perilaku_kerja));
  std::vector<ColumnValue> cols = {
      {"employee_id", employee->id},
      {"office_id", Cell(*store_, *employee, "employee", "office_id")},  // the employee's office, as the schema says
      {"year", int64_t{in.year}},
      {"period", out.period},
      {"hasil_kerja", std::string(domain::SkpRatingCode(out.hasil_kerja))},
      {"perilaku_kerja", std::string(domain::SkpRatingCode(out.perilaku_kerja))}};
  LATIH_RETURN_IF_ERROR(CheckSkpDetails(in, cols));
  out.id = domain::NaturalId("skp_assessment", {employee->id, std::to_string(in.year), out.period});
  LATIH_ASSIGN_OR_RETURN(out.put, batch.Put("skp_assessment", out.id, cols, PutMode::kUpsert));
  out.nip = nip.nip;
  out.name = Cell(*store_, *employee, "employee", "name");
  out.predicate = domain::DeriveSkpPredicate(out.hasil_kerja, out.perilaku_kerja);
  return out;
}

Result<std::vector<SkpEntry>> OfficeDb::ListSkp(std::optional<int> year) {
  // The predicate is a generated column the catalog does not replicate:
  // read it with SQL, as SQLite derives it.
  LATIH_ASSIGN_OR_RETURN(sync::sqlite::Stmt* s, store_->db().Prepare(
      "SELECT e.nip, e.name, s.year, s.period, s.hasil_kerja, s.perilaku_kerja, s.predicate "
      "FROM skp_assessment s JOIN employee e ON e.id = s.employee_id "
      "WHERE s.office_id = ?1 AND (?2 IS NULL OR s.year = ?2) "
      "ORDER BY s.year, e.name, e.nip, s.period"));
  s->Bind(1, office_id_).Bind(2, year ? Value(int64_t{*year}) : Value());
  std::vector<SkpEntry> out;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back({s->ColumnText(0), s->ColumnText(1), s->ColumnText(3), s->ColumnText(4), s->ColumnText(5),
                   s->ColumnText(6), s->ColumnInt(2)});
  }
  return out;
}

}  // namespace latih::client
