// The reports of ../shared/DOMAIN.md computed over a latih database, shared
// by the office client and the central server so that both give the same
// numbers for the same data. Aggregation runs in SQL over covering indexes;
// the domain arithmetic (IKM, JP standing) is sync/domain's.
// Functions borrow the Store for the call; same threading as Store.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sync/domain/ikm.h"
#include "sync/domain/jp_policy.h"
#include "sync/sqlite/store.h"

namespace latih::sync::sqlite {

// JP credit rule: a session credits its own JP when set; sessions without
// one share equally what the training's JP leaves after the explicit ones.
// Only hadir, terlambat and pulang_awal credit. One employee's credit from
// one training within the year never exceeds the training's JP. The year of
// a session is the year of its date.
struct JpRow {
  std::string employee_id, nip, name, office_id;
  domain::EmploymentType type = domain::EmploymentType::kPns;
  double jp = 0;          // credited JP in the year
  int sessions = 0;       // attended sessions in the year
  int trainings = 0;      // trainings with at least one attended session
  double jp_teknis = 0, jp_manajerial = 0, jp_sosial_kultural = 0;
  double jp_klasikal = 0, jp_non_klasikal = 0, jp_pendidikan = 0;  // by training route
  domain::JpStanding standing = domain::JpStanding::kBelowMinimum;
};

// Every active employee (of `office_id`, or all when nullopt) with the JP
// credited in calendar year `year`, ordered by office then name.
Result<std::vector<JpRow>> JpReport(Store& store, int year, std::optional<std::string> office_id,
                                    const domain::JpPolicy& policy);

// The JP report's skeleton, shared by JpReport and CreditSummary::Jp: every
// active employee (of `office_id`, or all), ordered by office then name,
// with `credit` filling in the JP (through AddCredit) and the standing set
// from it.
Result<std::vector<JpRow>> JpRows(Store& store, const std::optional<std::string>& office_id,
                                  const std::function<void(JpRow&)>& credit, const domain::JpPolicy& policy);
// Credits `jp` of one training (its competency and route) and its attended sessions.
void AddCredit(JpRow& row, double jp, int sessions, const std::string& competency, const std::string& route);

// What one employee was credited for one training in a year (the JP rule
// above): the unit of the SIASN export.
struct TrainingCredit {
  std::string employee_id, training_id;
  double jp = 0;              // credited, never more than the training's JP
  int sessions_attended = 0;  // sessions of the training in the year attended
  int sessions = 0;           // sessions of the training in the year
};

// Every (active or not) employee's credit per training in `year`, for
// employees of `office_id` (all when nullopt); ordered by employee id, then
// training id.
Result<std::vector<TrainingCredit>> TrainingCredits(Store& store, int year, std::optional<std::string> office_id);

// The employees TrainingCredits lists, sorted by id: the keys of
// `credited` (a map by employee id), only those of `office_id` when given.
template <typename Map>
Result<std::vector<std::string>> CreditedEmployees(Store& store, const std::optional<std::string>& office_id,
                                                   const Map& credited) {
  std::vector<std::string> employees;
  if (office_id) {
    LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare("SELECT id FROM employee WHERE office_id = ?1"));
    s->Bind(1, *office_id);
    while (true) {
      LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      if (credited.count(s->ColumnText(0))) employees.push_back(s->ColumnText(0));
    }
    s->Reset();
  } else {
    for (const auto& entry : credited) employees.push_back(entry.first);
  }
  std::sort(employees.begin(), employees.end());
  return employees;
}

struct SessionAttendance {
  std::string session_id, date, start_time;
  double jp_credit = 0;
  int participants = 0;  // distinct employees recorded in any session of the training
  int attended = 0;      // hadir + terlambat + pulang_awal
  int hadir = 0, terlambat = 0, pulang_awal = 0, izin = 0, sakit = 0, dinas_luar = 0, cuti = 0,
      alpa = 0;
  double rate = 0;       // attended / participants (0 when no participants)
};

struct TrainingAttendance {
  std::string training_id, title;
  int participants = 0;
  int sessions = 0;
  int attended = 0;    // attended session-participations
  double rate = 0;     // attended / (participants × sessions)
  std::vector<SessionAttendance> by_session;  // by date, start time
};

// kNotFound when the training does not exist.
Result<TrainingAttendance> AttendanceReport(Store& store, const std::string& training_id);

struct AspectMean {
  std::string aspect;
  int n = 0;
  double mean = 0;
};

// Pre/post statistics: means over everyone who took each test; gain and
// normalized gain (Hake: (post - pre) / (100 - pre) on the paired means)
// over participants who took both.
struct EvaluationSummary {
  std::string training_id, title;
  int n_pre = 0, n_post = 0, n_paired = 0;
  std::optional<double> mean_pre, mean_post;
  std::optional<double> paired_pre, paired_post, gain, normalized_gain;
  int n_reaction = 0;
  std::optional<double> mean_reaction;
  std::vector<AspectMean> reaction_aspects;  // by aspect name
  int n_behaviour = 0, n_result = 0;
  std::optional<double> mean_behaviour, mean_result;
};

Result<EvaluationSummary> EvaluationReport(Store& store, const std::string& training_id);

// The headline numbers of AttendanceReport and EvaluationReport for many
// trainings at once, set-based (one pass over attendance, two aggregates
// over evaluation) instead of per training: the same figures, in the order
// of `training_ids`. Unknown ids get zeros. `attendance`, when given, holds
// each training's participants and attended rows already (CreditSummary),
// and the pass over attendance is skipped.
struct TrainingSummary {
  std::string training_id;
  int participants = 0, sessions = 0, attended = 0;
  double rate = 0;
  int n_pre = 0, n_post = 0, n_paired = 0, n_reaction = 0;
  std::optional<double> mean_pre, mean_post, gain, normalized_gain, mean_reaction;
  int n_behaviour = 0, n_result = 0;  // Kirkpatrick levels 3 and 4
  std::optional<double> mean_behaviour, mean_result;
};
Result<std::vector<TrainingSummary>> TrainingSummaries(
    Store& store, const std::vector<std::string>& training_ids,
    const std::unordered_map<std::string, std::pair<int, int>>* attendance = nullptr);

struct IkmRow {
  std::string office_id, office_name, period;
  domain::IkmResult ikm;
};

// The IKM of each office with responses in `period` (only `office_id` when
// given), ordered by office. An empty `period`: every period with
// responses, ordered by period then office (the trend).
Result<std::vector<IkmRow>> IkmReport(Store& store, const std::string& period,
                                      std::optional<std::string> office_id);

}  // namespace latih::sync::sqlite
