#include "sync/sqlite/impact.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <string_view>

namespace latih::sync::sqlite {
namespace {

// The SKM totals of each (office, year) in [from, to].
Result<std::map<std::pair<std::string, int>, domain::SkmTotals>> SkmByYear(Store& store, int from, int to,
                                                                           const std::optional<std::string>& office) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(R"sql(
    SELECT office_id, substr(period, 1, 4), count(*), sum(u1), sum(u2), sum(u3), sum(u4), sum(u5), sum(u6),
           sum(u7), sum(u8), sum(u9)
    FROM skm_response
    WHERE substr(period, 1, 4) >= ?1 AND substr(period, 1, 4) <= ?2
      AND (CAST(?3 AS TEXT) IS NULL OR office_id = ?3)
    GROUP BY office_id, substr(period, 1, 4))sql"));
  s->Bind(1, std::to_string(from)).Bind(2, std::to_string(to)).Bind(3, office ? Value(*office) : Value());
  std::map<std::pair<std::string, int>, domain::SkmTotals> out;
  for (;;) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    domain::SkmTotals& t = out[{s->ColumnText(0), std::stoi(s->ColumnText(1))}];
    t.respondents = s->ColumnInt(2);
    for (int i = 0; i < domain::kSkmUnsurCount; ++i) t.sums[i] = s->ColumnInt(3 + i);
  }
  s->Reset();
  return out;
}

// The annual SKP predicates of each (office, year) in [from, to], by the
// employee's office.
using SkpCounts = std::array<int, 5>;
Result<std::map<std::pair<std::string, int>, SkpCounts>> SkpByYear(Store& store, int from, int to,
                                                                  const std::optional<std::string>& office) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(R"sql(
    SELECT e.office_id, k.year, k.predicate, count(*)
    FROM skp_assessment k JOIN employee e ON e.id = k.employee_id
    WHERE k.period = 'tahunan' AND k.year >= ?1 AND k.year <= ?2
      AND (CAST(?3 AS TEXT) IS NULL OR e.office_id = ?3)
    GROUP BY e.office_id, k.year, k.predicate)sql"));
  s->Bind(1, int64_t{from}).Bind(2, int64_t{to}).Bind(3, office ? Value(*office) : Value());
  static constexpr std::string_view kOrder[] = {"sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"};
  std::map<std::pair<std::string, int>, SkpCounts> out;
  for (;;) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    const std::string predicate = s->ColumnText(2);
    const auto at = std::find(std::begin(kOrder), std::end(kOrder), predicate);
    if (at == std::end(kOrder)) continue;
    out[{s->ColumnText(0), static_cast<int>(s->ColumnInt(1))}][at - std::begin(kOrder)] +=
        static_cast<int>(s->ColumnInt(3));
  }
  s->Reset();
  return out;
}

void AddSkp(ImpactYear& y, const SkpCounts& counts) {
  for (size_t i = 0; i < counts.size(); ++i) {
    y.skp[i] += counts[i];
    y.skp_assessed += counts[i];
  }
}

void Add(domain::SkmTotals& into, const domain::SkmTotals& t) {
  into.respondents += t.respondents;
  for (int i = 0; i < domain::kSkmUnsurCount; ++i) into.sums[i] += t.sums[i];
}

ImpactYear Blank(const std::string& office_id, int year) {
  ImpactYear y;
  y.office_id = office_id;
  y.year = year;
  return y;
}

}  // namespace

Result<std::vector<ImpactYear>> ImpactByYear(Store& store, int from, int to, const std::optional<std::string>& office,
                                             const JpOfYear& jp) {
  LATIH_ASSIGN_OR_RETURN(auto skm, SkmByYear(store, from, to, office));
  LATIH_ASSIGN_OR_RETURN(auto skp, SkpByYear(store, from, to, office));
  std::vector<ImpactYear> out;
  for (int year = from; year <= to; ++year) {
    LATIH_ASSIGN_OR_RETURN(std::vector<JpRow> rows, jp(year));
    std::map<std::string, ImpactYear> by_office;
    ImpactYear city = Blank("", year);
    domain::SkmTotals city_skm;
    for (const JpRow& r : rows) {
      if (office && r.office_id != *office) continue;
      for (ImpactYear* y : {&by_office.try_emplace(r.office_id, Blank(r.office_id, year)).first->second, &city}) {
        ++y->employees;
        y->total_jp += r.jp;
        if (r.type == domain::EmploymentType::kPns) {
          ++y->pns;
          y->pns_meeting += r.standing == domain::JpStanding::kMeetsMinimum;
        }
      }
    }
    for (const auto& [key, totals] : skm) {
      if (key.second != year) continue;
      ImpactYear& y = by_office.try_emplace(key.first, Blank(key.first, year)).first->second;
      y.ikm = domain::ComputeIkm(totals);
      Add(city_skm, totals);
    }
    if (city_skm.respondents > 0) city.ikm = domain::ComputeIkm(city_skm);
    for (const auto& [key, counts] : skp) {
      if (key.second != year) continue;
      AddSkp(by_office.try_emplace(key.first, Blank(key.first, year)).first->second, counts);
      AddSkp(city, counts);
    }
    for (auto& [id, y] : by_office) out.push_back(std::move(y));
    if (!office) out.push_back(std::move(city));
  }
  return out;
}

}  // namespace latih::sync::sqlite
