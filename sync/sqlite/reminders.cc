#include "sync/sqlite/reminders.h"

#include <algorithm>
#include <cmath>

#include "sync/row_rules.h"

namespace latih::sync::sqlite {
namespace {

// Reads the trainings starting in [from, to], by date, then title and id.
Result<std::vector<UpcomingTraining>> Upcoming(Store& store, const std::string& from, const std::string& to) {
  std::vector<UpcomingTraining> out;
  if (from > to) return out;
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(
      "SELECT id, title, coalesce(office_id, ''), start_date, end_date, jp FROM training "
      "WHERE start_date >= ?1 AND start_date <= ?2 ORDER BY start_date, title, id"));
  s->Bind(1, from).Bind(2, to);
  for (;;) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());  // Prepare resets a statement an error left
    if (!row) break;
    out.push_back({s->ColumnText(0), s->ColumnText(1), s->ColumnText(2), s->ColumnText(3), s->ColumnText(4),
                   ValueToDouble(s->Column(5))});
  }
  s->Reset();
  return out;
}

}  // namespace

Result<ReminderList> ReminderReport(Store& store, int year, std::string_view today, const std::vector<JpRow>& jp,
                                    const domain::JpPolicy& policy) {
  if (!IsIsoDate(today)) return Status::Invalid("today '" + std::string(today) + "' is not a date YYYY-MM-DD");
  const std::string first = std::to_string(year) + "-01-01", last = std::to_string(year) + "-12-31";
  ReminderList out;
  LATIH_ASSIGN_OR_RETURN(out.upcoming, Upcoming(store, std::max(first, std::string(today)), last));
  for (const JpRow& row : jp) {
    if (row.type != domain::EmploymentType::kPns || row.standing != domain::JpStanding::kBelowMinimum) continue;
    Reminder r;
    r.person = row;
    r.jp_needed = std::round((policy.pns_minimum_jp - row.jp) * 100) / 100;
    if (r.jp_needed <= 0) continue;  // below only by rounding
    for (size_t i = 0; i < out.upcoming.size() && !r.covered; ++i) {
      const UpcomingTraining& t = out.upcoming[i];
      if (!t.office_id.empty() && t.office_id != row.office_id) continue;
      r.suggested.push_back(i);
      r.jp_suggested += t.jp;
      r.covered = r.jp_suggested >= r.jp_needed - 1e-9;
    }
    out.people.push_back(std::move(r));
  }
  return out;
}

}  // namespace latih::sync::sqlite
