// What the training budget buys (issue 9, docs/REPORTS.md "Cost"): per
// training of a year, its planned and actual cost next to the people and
// the JP it credited; and the same summed by the office that ran it, the
// competency type, the route and the funding source. Shared by the server's
// report and its dashboard page; same threading as Store.
//
// The rules, decided in docs/REPORTS.md:
// - A training belongs to the year its start_date is in; the JP it
//   credited are counted in every year its sessions fall in (a training
//   across New Year counts whole in its start year's report).
// - A participant is one employee credited JP > 0 by one training: across
//   a group the participants add up (one person in two trainings is two
//   seats), so cost per participant is what a seat cost on average.
// - Only trainings with an actual cost enter cost per participant and per
//   JP: an unknown spend is not a zero one. Trainings with a planned cost
//   only are counted as such.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/sqlite/store.h"

namespace latih::sync::sqlite {

struct CostLine {
  // A training's id, or a group's key: the office id ("" for BKPSDM's own
  // trainings, which have none), the competency or route code, the funding
  // source code ("" when not recorded).
  std::string key;
  std::string title;                      // a training's title; "" for a group
  std::string office_id, competency, route, funding_source;  // a training's
  int trainings = 0;                      // 1 for a training
  int with_planned = 0;                   // trainings whose planned cost is recorded
  int with_actual = 0;                    // trainings whose actual cost is recorded
  int64_t planned = 0;                    // rupiah, over trainings with a planned cost
  int64_t actual = 0;                     // rupiah, over trainings with an actual cost
  // Of the trainings with an actual cost: what they credited.
  int participants = 0;
  double jp = 0;
  // Over trainings with both costs: actual / planned (nullopt: none).
  std::optional<double> realization;
  std::optional<double> per_participant;  // actual / participants
  std::optional<double> per_jp;           // actual / jp
};

struct CostReport {
  int year = 0;
  std::vector<CostLine> trainings;  // every training of the year with a cost recorded, by start date, title
  std::vector<CostLine> by_office, by_competency, by_route, by_funding;  // by key
  CostLine total;
};

// The report of `year`, only trainings run by `office` when given ("" names
// BKPSDM's own).
Result<CostReport> CostsOfYear(Store& store, int year, const std::optional<std::string>& office);

}  // namespace latih::sync::sqlite
