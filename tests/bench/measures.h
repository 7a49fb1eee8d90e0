// The measures of latih_bench and the data sizes they run at. Each measure
// builds its own databases in the WorkDir, times one thing against a floor,
// checks that the data it built is complete, and adds lines to the Report.
// A non-OK Status means the run is invalid (a count was wrong, a write
// failed); main() exits non-zero then. Single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sync/sqlite/store.h"
#include "sync/status.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/workload.h"

namespace latih::bench {

struct Sizes {
  // Measures 1-3: every employee attends every session.
  int write_employees = 0;
  int write_trainings = 0;
  int write_sessions_per_training = 0;
  // Measure 4: one `latih attend` process per run.
  int cli_employees = 0;
  int cli_runs = 0;
  // Measure 5: the JP report.
  int report_employees = 0;
  int report_trainings = 0;      // with 2..5 sessions each
  int64_t report_rows = 0;       // attendance rows, approximately
  int report_repeats = 0;        // median over this many runs
  // Measure 6: attendance changes synced over HTTP, one run per size.
  int sync_changes[2] = {};
  // Measure 7: check-ins at the attendance desk, one per participant.
  int desk_participants = 0;
};

// Full: 100,000 write rows, 51 CLI runs over 300 employees, 1,000,000
// report rows over 10,000 employees, sync of 10,000 and 100,000 changes.
// Quick (--quick): sizes ten times smaller (the CLI runs: 11, to keep a
// p90; sync: 2,000 and 10,000 changes).
inline constexpr Sizes kFullSizes{1000, 10, 10, 300, 51, 10000, 100, 1000000, 3, {10000, 100000}, 300};
inline constexpr Sizes kQuickSizes{100, 10, 10, 30, 11, 1000, 100, 100000, 3, {2000, 10000}, 300};

// 1-3: raw SQLite floor, WriteBatch::Put, OfficeDb::Attend (store_bench.cc).
Status RunWritePaths(const Sizes& sizes, WorkDir& dir, Report& report);
// 4: `latih attend` per process vs /bin/true (cli_bench.cc).
Status RunCliAttend(const Sizes& sizes, WorkDir& dir, Report& report);
// 5: JpReport and `latih report jp` vs a GROUP BY floor (report_bench.cc).
Status RunReportJp(const Sizes& sizes, WorkDir& dir, Report& report);
// 6: push and pull over HTTP to a real latih-server (sync_bench.cc).
Status RunSyncHttp(const Sizes& sizes, WorkDir& dir, Report& report);
// 7: the attendance desk: check-ins by scanned NIP (desk_bench.cc).
Status RunDeskCheckIns(const Sizes& sizes, WorkDir& dir, Report& report);

// Shared by measures 4 and 7 (cli_bench.cc): the workshop database an
// office makes (the workload's employees, one training with one session
// on 2026-03-02 from 08:00) at `path`. Returns the session id.
Result<std::string> PrepareWorkshop(const std::string& path, const Workload& w);

// Shared by measures 1 and 6 (store_bench.cc):
// A fresh client database `name` in `dir` with the workload's employees,
// trainings and sessions inserted plainly (not logged).
Result<std::unique_ptr<sync::sqlite::Store>> FreshStore(WorkDir& dir, const std::string& name, const Workload& w);
// The raw SQLite floor: `rows` by plain prepared INSERTs in one
// transaction into `db`. Returns the seconds taken.
Result<double> TimeFloor(sync::sqlite::Db& db, const Workload& w, const std::vector<AttendanceRow>& rows);

}  // namespace latih::bench
