// The measures of latih_bench and the data sizes they run at. Each measure
// builds its own databases in the WorkDir, times one thing against a floor,
// checks that the data it built is complete, and adds lines to the Report.
// A non-OK Status means the run is invalid (a count was wrong, a write
// failed); main() exits non-zero then. Single-threaded.
#pragma once

#include <cstdint>

#include "sync/status.h"
#include "tests/bench/bench_util.h"

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
};

// Full: 100,000 write rows, 51 CLI runs over 300 employees, 1,000,000
// report rows over 10,000 employees. Quick (--quick): sizes ten times
// smaller (the CLI runs: 11, to keep a p90).
inline constexpr Sizes kFullSizes{1000, 10, 10, 300, 51, 10000, 100, 1000000, 3};
inline constexpr Sizes kQuickSizes{100, 10, 10, 30, 11, 1000, 100, 100000, 3};

// 1-3: raw SQLite floor, WriteBatch::Put, OfficeDb::Attend (store_bench.cc).
Status RunWritePaths(const Sizes& sizes, WorkDir& dir, Report& report);
// 4: `latih attend` per process vs /bin/true (cli_bench.cc).
Status RunCliAttend(const Sizes& sizes, WorkDir& dir, Report& report);
// 5: JpReport and `latih report jp` vs a GROUP BY floor (report_bench.cc).
Status RunReportJp(const Sizes& sizes, WorkDir& dir, Report& report);

}  // namespace latih::bench
