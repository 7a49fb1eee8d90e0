// Measure 5: sync::sqlite::JpReport over a large office database (10,000
// employees, about 1,000,000 attendance rows in full mode), against the
// floor of a plain GROUP BY over attendance, and `latih report jp` end to
// end. The database is built with plain prepared INSERTs in one
// transaction; its build time is shown but is not a measure.
#include <algorithm>
#include <iostream>

#include "client/lib/office_db.h"
#include "sync/env.h"
#include "sync/sqlite/reports.h"
#include "tests/bench/measures.h"
#include "tests/bench/workload.h"

namespace latih::bench {
namespace {

using sync::sqlite::Db;
using sync::sqlite::Transaction;

constexpr int kReportYear = 2026;
constexpr double kReportTargetSeconds = 1.0;
constexpr int kParticipantStride = 7919;  // a prime: spreads trainings over the staff
// Build-only connection settings: no fsync, a cache big enough to hold the
// whole database while it is written. Restored before measuring.
constexpr char kBuildPragmas[] = "PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576;";
constexpr char kRestorePragmas[] = "PRAGMA synchronous=FULL; PRAGMA cache_size=-2000;";
constexpr char kFloorSql[] = "SELECT employee_id, count(*) FROM attendance GROUP BY employee_id";

// Inserts the attendance of every training: a slice of the staff attends
// every session of it, statuses mixed. Returns the number of rows.
Result<int64_t> InsertReportAttendance(Db& db, const Workload& w, int64_t target_rows) {
  const int employees = static_cast<int>(w.employee_ids.size());
  const int trainings = static_cast<int>(w.trainings.size());
  AttendanceInserter inserter(db, w);
  int64_t rows = 0;
  int first_session = 0;
  for (int t = 0; t < trainings; ++t) {
    int sessions = 0;
    while (first_session + sessions < static_cast<int>(w.sessions.size()) &&
           w.sessions[first_session + sessions].training == t) {
      ++sessions;
    }
    const int64_t per_training = target_rows / trainings / sessions;
    const int participants = static_cast<int>(std::min<int64_t>(employees, per_training));
    const int offset = static_cast<int>((static_cast<int64_t>(t) * kParticipantStride) % employees);
    for (int k = 0; k < participants; ++k) {
      const int e = (offset + k) % employees;
      for (int s = 0; s < sessions; ++s) {
        const AttendanceRow row = MakeAttendance(w, first_session + s, e, t * 31 + s * 7 + k);
        LATIH_RETURN_IF_ERROR(inserter.Insert(row, "csv"));
        ++rows;
      }
    }
    first_session += sessions;
  }
  return rows;
}

// Builds the report database at `path`; returns the attendance row count.
Result<int64_t> BuildReportDb(const std::string& path, const Sizes& sizes) {
  LATIH_ASSIGN_OR_RETURN(Workload w, MakeWorkload(sizes.report_employees, sizes.report_trainings, 0));
  LATIH_ASSIGN_OR_RETURN(auto office, client::OfficeDb::Init(path, kBenchOffice, sync::DefaultEnv()));
  Db& db = office->store().db();
  LATIH_RETURN_IF_ERROR(db.Exec(kBuildPragmas));
  LATIH_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  LATIH_RETURN_IF_ERROR(InsertPrerequisites(db, w));
  LATIH_ASSIGN_OR_RETURN(int64_t rows, InsertReportAttendance(db, w, sizes.report_rows));
  LATIH_RETURN_IF_ERROR(txn->Commit());
  LATIH_RETURN_IF_ERROR(db.Exec("ANALYZE"));
  LATIH_RETURN_IF_ERROR(db.Exec(kRestorePragmas));
  LATIH_ASSIGN_OR_RETURN(int64_t stored, QueryCount(db, "SELECT count(*) FROM attendance"));
  LATIH_ASSIGN_OR_RETURN(int64_t staff, QueryCount(db, "SELECT count(*) FROM employee"));
  if (stored != rows || staff != sizes.report_employees) {
    return Status::Corruption("report database has " + std::to_string(stored) + " attendance rows and " +
                              std::to_string(staff) + " employees, expected " + std::to_string(rows) +
                              " and " + std::to_string(sizes.report_employees));
  }
  return rows;
}

// Median seconds of `repeats` JpReport runs; checks each returns every
// employee and credits someone.
Result<double> TimeJpReport(client::OfficeDb& office, const Sizes& sizes) {
  std::vector<double> runs;
  for (int i = 0; i < sizes.report_repeats; ++i) {
    const auto start = BenchClock::now();
    LATIH_ASSIGN_OR_RETURN(auto rep, sync::sqlite::JpReport(office.store(), kReportYear, std::nullopt,
                                                             office.policy()));
    runs.push_back(SecondsSince(start));
    double total_jp = 0;
    for (const auto& r : rep) total_jp += r.jp;
    if (static_cast<int>(rep.size()) != sizes.report_employees || !(total_jp > 0)) {
      return Status::Corruption("JpReport returned " + std::to_string(rep.size()) + " rows, expected " +
                                std::to_string(sizes.report_employees) + " with JP credited");
    }
  }
  return Median(runs);
}

// Median seconds of the floor query, stepped to the end.
Result<double> TimeFloorQuery(Db& db, const Sizes& sizes) {
  std::vector<double> runs;
  for (int i = 0; i < sizes.report_repeats; ++i) {
    const auto start = BenchClock::now();
    LATIH_ASSIGN_OR_RETURN(auto s, db.PrepareOwned(kFloorSql));
    int64_t groups = 0;
    while (true) {
      LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      ++groups;
    }
    runs.push_back(SecondsSince(start));
    if (groups == 0) return Status::Corruption("floor query returned no groups");
  }
  return Median(runs);
}

}  // namespace

Status RunReportJp(const Sizes& sizes, WorkDir& dir, Report& report) {
  const std::string path = dir.FreshDb("report.db");
  const auto build_start = BenchClock::now();
  LATIH_ASSIGN_OR_RETURN(int64_t rows, BuildReportDb(path, sizes));
  const double build = SecondsSince(build_start);
  std::cerr << "report db build: " << build << " s for " << rows << " rows\n";
  report.Add({"5. setup (not a measure): build report db, plain INSERTs + ANALYZE", rows, build,
              RowsPerSecond(rows, build), "-"});

  LATIH_ASSIGN_OR_RETURN(auto office, client::OfficeDb::Open(path, sync::DefaultEnv()));
  LATIH_ASSIGN_OR_RETURN(double floor, TimeFloorQuery(office->store().db(), sizes));
  LATIH_ASSIGN_OR_RETURN(double jp, TimeJpReport(*office, sizes));
  office.reset();
  LATIH_ASSIGN_OR_RETURN(double cli, TimeProcess({LATIH_CLI_PATH, "--db", path, "report", "jp", "--year",
                                                  std::to_string(kReportYear), "--json"}));
  const std::string med = "median of " + std::to_string(sizes.report_repeats);
  report.Add({"5. floor: `" + std::string(kFloorSql) + "`, " + med, rows, floor, Millis(floor), "1.00x"});
  report.Add({"5. JpReport(store, 2026, all offices), " + med, rows, jp, Millis(jp), Ratio(jp, floor)});
  report.Add({"5. `latih report jp --year 2026 --json > /dev/null`, 1 run", rows, cli, Millis(cli),
              Ratio(cli, floor)});
  report.AddTarget("JpReport <= " + Millis(kReportTargetSeconds) + ": " +
                   (jp <= kReportTargetSeconds ? "MET" : "MISSED") + " (" + Millis(jp) + ")");
  report.AddNote("measure 5: " + Thousands(sizes.report_employees) + " employees, " +
                 Thousands(sizes.report_trainings) + " trainings of 2-5 sessions in 2026, " + Thousands(rows) +
                 " attendance rows; ANALYZE run after the build");
  std::cerr << "JpReport median: " << Millis(jp) << ", floor " << Millis(floor) << ", CLI " << Millis(cli)
            << "\n";
  return Status::Ok();
}

}  // namespace latih::bench
