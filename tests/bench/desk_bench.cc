// Measure 7: the attendance desk (issue 8): each participant of a workshop
// checked in by a scanned NIP, doing what the desk screen does for it: one
// search per keystroke of the 18-digit NIP (the scanner types it), then on
// Enter the lookup, the check-in (committed, fsynced) and the counts the
// screen shows. Program time per check-in, against the 50 ms.
#include <iostream>

#include "client/lib/desk.h"
#include "sync/env.h"
#include "tests/bench/measures.h"
#include "tests/bench/workload.h"

namespace latih::bench {
namespace {

constexpr double kTargetMs = 50;
constexpr size_t kShownMatches = 22;  // the rows of a 30-line terminal

}  // namespace

Status RunDeskCheckIns(const Sizes& sizes, WorkDir& dir, Report& report) {
  const int n = sizes.desk_participants;
  LATIH_ASSIGN_OR_RETURN(Workload w, MakeWorkload(n, 0, 0));
  const std::string path = dir.FreshDb("desk.db");
  LATIH_ASSIGN_OR_RETURN(std::string session, PrepareWorkshop(path, w));
  LATIH_ASSIGN_OR_RETURN(auto office, client::OfficeDb::Open(path, sync::DefaultEnv()));
  const auto open_start = BenchClock::now();
  LATIH_ASSIGN_OR_RETURN(auto desk, client::Desk::Open(*office, session));
  const double open_s = SecondsSince(open_start);

  std::vector<double> per_check_in;
  for (int i = 0; i < n; ++i) {
    const std::string& nip = w.nips[static_cast<size_t>(i)];
    const auto start = BenchClock::now();
    for (size_t typed = 1; typed <= nip.size(); ++typed) {
      if (desk->Search(std::string_view(nip).substr(0, typed), kShownMatches).empty()) {
        return Status::Corruption("the desk did not find NIP " + nip + " as it was typed");
      }
    }
    if (!desk->FindNip(nip)) return Status::Corruption("NIP " + nip + " is not on the desk's roster");
    LATIH_ASSIGN_OR_RETURN(client::DeskCheckIn done, desk->CheckIn(nip, "hadir", "qr", false));
    if (done.kind != client::DeskCheckIn::Kind::kRecorded) return Status::Corruption("check-in not recorded");
    const client::DeskCounts counts = desk->Counts();
    if (counts.present != i + 1) return Status::Corruption("the desk counts " + std::to_string(counts.present));
    per_check_in.push_back(SecondsSince(start));
  }
  LATIH_ASSIGN_OR_RETURN(int64_t stored, office->store().CountRows("attendance"));
  if (stored != n) return Status::Corruption("the desk stored " + std::to_string(stored) + " check-ins");

  const double med = Median(per_check_in), p99 = Quantile(per_check_in, 0.99);
  const double worst = *std::max_element(per_check_in.begin(), per_check_in.end());
  const std::string count = std::to_string(n);
  report.Add({"7. desk: open the session's roster of " + count, 1, open_s, Millis(open_s), ""});
  report.Add({"7. desk: check-in by scanned NIP, median of " + count, n, med, Millis(med), ""});
  report.Add({"7. desk: check-in by scanned NIP, p99 of " + count, n, p99, Millis(p99), ""});
  report.Add({"7. desk: check-in by scanned NIP, slowest of " + count, n, worst, Millis(worst), ""});
  report.AddTarget("desk check-in < " + Millis(kTargetMs / 1000) + " each: " +
                   (worst * 1000 < kTargetMs ? "MET" : "MISSED") + " (slowest " + Millis(worst) + ")");
  report.AddNote("measure 7: per check-in, a search per typed digit (18), the lookup, the check-in "
                 "(one durable commit) and the counts, as the desk screen does; drawing not included");
  std::cerr << "desk check-in median: " << Millis(med) << ", slowest " << Millis(worst) << "\n";
  return Status::Ok();
}

}  // namespace latih::bench
