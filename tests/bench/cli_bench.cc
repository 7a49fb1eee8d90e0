// Measure 4: the wall time of one `latih attend --session S --nip N` process
// (fork + exec + waitpid) on a workshop database, next to the cost of
// starting any process at all (/bin/true).
#include <iostream>

#include "client/lib/office_db.h"
#include "sync/env.h"
#include "tests/bench/measures.h"
#include "tests/bench/workload.h"

namespace latih::bench {
namespace {

constexpr double kAttendTargetMs = 10;
constexpr double kP90 = 0.9;
constexpr char kTrueBinary[] = "/bin/true";
constexpr char kWorkshopDate[] = "2026-03-02";
constexpr double kWorkshopJp = 8;

std::vector<std::string> AttendArgs(const std::string& db, const std::string& session,
                                    const std::string& nip) {
  return {LATIH_CLI_PATH, "--db", db, "attend", "--session", session, "--nip", nip};
}

Status CheckAttendanceCount(const std::string& path, int64_t expected) {
  LATIH_ASSIGN_OR_RETURN(auto office, client::OfficeDb::Open(path, sync::DefaultEnv()));
  LATIH_ASSIGN_OR_RETURN(int64_t n, office->store().CountRows("attendance"));
  if (n != expected) {
    return Status::Corruption("CLI database has " + std::to_string(n) + " attendance rows, expected " +
                              std::to_string(expected));
  }
  LATIH_ASSIGN_OR_RETURN(int64_t log, CountAttendanceLog(office->store().db()));
  if (log != expected * kLogEntriesPerNewRow) {
    return Status::Corruption("CLI database has " + std::to_string(log) + " attendance change_log entries");
  }
  return Status::Ok();
}

}  // namespace

// Creates the workshop database the way an office would: employees through
// the store (one batch, logged), one training with one session. Returns the
// session id.
Result<std::string> PrepareWorkshop(const std::string& path, const Workload& w) {
  LATIH_ASSIGN_OR_RETURN(auto office, client::OfficeDb::Init(path, kBenchOffice, sync::DefaultEnv()));
  {
    LATIH_ASSIGN_OR_RETURN(auto batch, office->store().BeginWrite());
    for (size_t i = 0; i < w.nips.size(); ++i) {
      client::EmployeeInput in{w.nips[i], "Peserta " + std::to_string(i), "Analis", "III/a", "PNS", true};
      LATIH_RETURN_IF_ERROR(office->PutEmployee(*batch, in, false, false).status());
    }
    LATIH_RETURN_IF_ERROR(batch->Commit());
  }
  client::TrainingInput t;
  t.title = "Workshop benchmark";
  t.form = "1";
  t.competency = "teknis";
  t.start_date = t.end_date = kWorkshopDate;
  t.jp = kWorkshopJp;
  LATIH_ASSIGN_OR_RETURN(std::string training, office->AddTraining(t));
  client::SessionInput s;
  s.training_id = training;
  s.date = kWorkshopDate;
  s.start_time = "08:00";
  s.end_time = "16:00";
  return office->AddSession(s);
}

Status RunCliAttend(const Sizes& sizes, WorkDir& dir, Report& report) {
  if (sizes.cli_runs + 1 > sizes.cli_employees) return Status::Invalid("more CLI runs than employees");
  LATIH_ASSIGN_OR_RETURN(Workload w, MakeWorkload(sizes.cli_employees, 0, 0));
  const std::string path = dir.FreshDb("cli.db");
  LATIH_ASSIGN_OR_RETURN(std::string session, PrepareWorkshop(path, w));

  // One untimed warm-up run (its own NIP) loads the binary into the page cache.
  LATIH_RETURN_IF_ERROR(TimeProcess(AttendArgs(path, session, w.nips[sizes.cli_runs])).status());
  std::vector<double> attend, floor;
  for (int i = 0; i < sizes.cli_runs; ++i) {
    LATIH_ASSIGN_OR_RETURN(double s, TimeProcess(AttendArgs(path, session, w.nips[i])));
    attend.push_back(s);
  }
  for (int i = 0; i < sizes.cli_runs; ++i) {
    LATIH_ASSIGN_OR_RETURN(double s, TimeProcess({kTrueBinary}));
    floor.push_back(s);
  }
  LATIH_RETURN_IF_ERROR(CheckAttendanceCount(path, sizes.cli_runs + 1));

  const double med = Median(attend), p90 = Quantile(attend, kP90);
  const double floor_med = Median(floor), floor_p90 = Quantile(floor, kP90);
  const std::string runs = std::to_string(sizes.cli_runs);
  const int64_t n = sizes.cli_runs;
  report.Add({"4. `latih attend --session S --nip N`, median of " + runs, n, med, Millis(med),
              Ratio(med, floor_med) + " (+" + Millis(med - floor_med) + ")"});
  report.Add({"4. `latih attend`, p90 of " + runs, n, p90, Millis(p90), Ratio(p90, floor_p90)});
  report.Add({"4. floor: `/bin/true`, median of " + runs, n, floor_med, Millis(floor_med), "1.00x"});
  report.Add({"4. floor: `/bin/true`, p90 of " + runs, n, floor_p90, Millis(floor_p90), "1.00x"});
  report.AddTarget("`latih attend` median <= " + Millis(kAttendTargetMs / 1000) + ": " +
                   (med * 1000 <= kAttendTargetMs ? "MET" : "MISSED") + " (" + Millis(med) + ")");
  report.AddNote("measure 4: workshop of " + Thousands(sizes.cli_employees) + " employees; " + runs +
                 " runs each recording a different NIP, after one untimed warm-up run");
  std::cerr << "cli attend median: " << Millis(med) << ", /bin/true: " << Millis(floor_med) << "\n";
  return Status::Ok();
}

}  // namespace latih::bench
