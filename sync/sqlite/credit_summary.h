// CreditSummary: what the JP rule needs from the attendance table, per
// (employee, training, year), kept in memory and brought up to date from
// the change feed, so that the central server's city-wide reports do not
// read millions of attendance rows per request (docs/REPORTS.md, "Speed").
//
// Built from scratch on first use (and whenever compaction has purged
// changes it has not seen); afterwards Refresh reads only the change-log
// entries past the seq it has folded in, and recomputes the employees they
// touch: an attendance row's employee, every employee of a changed session.
// Training and employee columns are read at report time, not kept here.
// Not thread-safe: one per read connection, used under its lock.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sync/sqlite/reports.h"
#include "sync/sqlite/store.h"

namespace latih::sync::sqlite {

class CreditSummary {
 public:
  struct Entry {
    int training = 0;         // index into trainings()
    int year = 0;             // of the sessions counted
    int recorded = 0;         // sessions with a row for the employee (any status)
    int attended = 0;         // of those, hadir / terlambat / pulang_awal
    int implicit = 0;         // attended sessions without their own JP
    double explicit_jp = 0;   // the own JP of the other attended sessions
  };

  // Brings the summary up to date with `store` in one read transaction.
  // Returns the number of employees recomputed (all of them on a rebuild).
  Result<int64_t> Refresh(Store& store);

  // The entries of an employee (empty when none).
  const std::vector<Entry>& Of(const std::string& employee_id) const;
  const std::unordered_map<std::string, std::vector<Entry>>& all() const { return by_employee_; }
  const std::vector<std::string>& trainings() const { return training_ids_; }
  int64_t seq() const { return seq_; }

  // The reports of reports.h, computed on the summary: the same answers.
  // REQUIRES: Refresh() succeeded in the same read snapshot or later data
  // unchanged (the caller refreshes first).
  Result<std::vector<JpRow>> Jp(Store& store, int year, std::optional<std::string> office_id,
                                const domain::JpPolicy& policy) const;
  // TrainingCredits, only records [offset, offset + limit) of the list
  // built (the whole list's length in *total): a city's year is millions.
  Result<std::vector<TrainingCredit>> Credits(Store& store, int year, std::optional<std::string> office_id,
                                              int64_t offset, int64_t limit, int64_t* total) const;
  // Participants and attended session rows of each training, every year
  // (TrainingSummary's attendance part).
  void TrainingAttendance(std::unordered_map<std::string, std::pair<int, int>>& out) const;

 private:
  int Training(const std::string& id);
  Status Rebuild(Store& store);
  Status Recompute(Store& store, const std::string& employee_id);

  int64_t seq_ = -1;  // change-log seq folded in; -1: never built
  std::unordered_map<std::string, std::vector<Entry>> by_employee_;
  std::vector<std::string> training_ids_;
  std::unordered_map<std::string, int> training_index_;
};

}  // namespace latih::sync::sqlite
