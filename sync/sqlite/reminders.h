// The 20-JP reminder list (issue 9, docs/REPORTS.md "Reminders"): the PNS
// below the yearly minimum, the JP each still needs, and the trainings
// still to start this year (global, or of the person's office) that would
// cover it, earliest first. Shared by the office client's `latih report
// reminders` and the server's /v1/reports/reminders so that both name the
// same people and trainings. Same threading as Store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sync/domain/jp_policy.h"
#include "sync/sqlite/reports.h"
#include "sync/sqlite/store.h"

namespace latih::sync::sqlite {

// A training that starts from today to the end of the year.
struct UpcomingTraining {
  std::string id, title;
  std::string office_id;  // "" for a global (BKPSDM) training: open to every office
  std::string start_date, end_date;
  double jp = 0;
};

struct Reminder {
  JpRow person;            // their JP of the year so far
  double jp_needed = 0;    // the minimum less what they have, > 0
  // Indexes into ReminderList::upcoming: the earliest trainings open to
  // them whose JP together reach jp_needed (all of them when none do).
  std::vector<size_t> suggested;
  double jp_suggested = 0;  // the JP of `suggested`
  bool covered = false;     // jp_suggested >= jp_needed
};

struct ReminderList {
  std::vector<UpcomingTraining> upcoming;  // by start date, then title
  std::vector<Reminder> people;            // in the order of the JP rows given
};

// From `jp`, the JP rows of `year` (JpReport or CreditSummary::Jp, of one
// office or all), the PNS below policy.pns_minimum_jp (PPPK have a cap, not
// a minimum, and are never listed), with the trainings starting in
// [max(today, year-01-01), year-12-31] open to each one. `today` is
// "YYYY-MM-DD"; a past year has no upcoming trainings. kInvalidArgument for
// a malformed `today`.
Result<ReminderList> ReminderReport(Store& store, int year, std::string_view today, const std::vector<JpRow>& jp,
                                    const domain::JpPolicy& policy);

}  // namespace latih::sync::sqlite
