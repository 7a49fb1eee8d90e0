// Programme impact (issue 9, docs/REPORTS.md "Impact"): per office and
// year, the JP per employee next to the public-satisfaction index (IKM) of
// that year and the distribution of the annual SKP predicates. Plain comparisons side by side; nothing here claims that one
// causes the other. Same threading as Store.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sync/domain/ikm.h"
#include "sync/domain/jp_policy.h"
#include "sync/sqlite/reports.h"
#include "sync/sqlite/store.h"

namespace latih::sync::sqlite {

struct ImpactYear {
  std::string office_id;  // "" for the whole city (every office together)
  int year = 0;
  int employees = 0, pns = 0;  // active now (the roster has no history)
  int pns_meeting = 0;         // PNS at or above the minimum that year
  double total_jp = 0;         // JP credited that year
  // The IKM of every SKM response of that year, whatever its period (two
  // semesters pool into the year); nullopt without responses.
  std::optional<domain::IkmResult> ikm;
  // The annual SKP predicates of that year (sync/domain/skp.h), counted by
  // the employee's office: skp[p - 1] for SkpPredicate p (Sangat Baik
  // first). Periodic assessments are not counted.
  int skp_assessed = 0;
  std::array<int, 5> skp{};
};

// The JP rows of a year (JpReport, or the server's CreditSummary::Jp).
using JpOfYear = std::function<Result<std::vector<JpRow>>(int year)>;

// Years `from`..`to` (REQUIRES: from <= to), each with one row per office
// that has employees or responses (only `office` when given), by office,
// then, without `office`, the city's row.
Result<std::vector<ImpactYear>> ImpactByYear(Store& store, int from, int to, const std::optional<std::string>& office,
                                             const JpOfYear& jp);

}  // namespace latih::sync::sqlite
