// Wrong device clocks (issue 5, scenario 6): three real `latih` processes
// of one office whose clocks are wrong, against a server whose clock is
// right. Each device's commands run under libfaketime (LD_PRELOAD), which
// reads the device's offset from a file at every clock read, so a clock can
// jump between two commands of a device at work:
//   - "cepat" runs three days fast from installation on,
//   - "lambat" runs two days slow from installation on,
//   - "lompat" is right, then jumps back a day in the middle of its work.
// Each contested cell ends with the value that the clock rules of
// sync/PROTOCOL.md §3 predict (derived beside each step), every replica ends
// equal to the server's office view, and no clock drags a version beyond
// the server's bound.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "sync/env.h"
#include "sync/hlc.h"
#include "sync/options.h"
#include "tests/support/server_process.h"
#include "tests/support/sync_views.h"

namespace latih::test {
namespace {

constexpr const char* kSelatan = "52.71.01.1004";
constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;

int64_t RealNowMs() { return sync::SystemClock().NowUnixMs(); }

// The local date (YYYY-MM-DD) at `unix_ms`, as the client writes it.
std::string LocalDate(int64_t unix_ms) {
  const time_t secs = static_cast<time_t>(unix_ms / 1000);
  tm t{};
  localtime_r(&secs, &t);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &t);
  return buf;
}

// An office device whose clock runs `offset` off the real one (libfaketime
// syntax: "+3d", "-2d", "+0"). Not thread-safe.
class Device {
 public:
  Device(const TempDir& dir, const std::string& name, const std::string& offset)
      : name_(name), db_(dir.File(name + ".db")), clock_file_(dir.File(name + ".clock")) {
    SetClock(offset);
  }

  // Sets the device clock's offset from now on (for the next command).
  void SetClock(const std::string& offset) { WriteFile(clock_file_, offset + "\n"); }

  CliResult Run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db_});
    // ASan wants to be the first library loaded; libfaketime is preloaded
    // before it in the sanitizer build, which works but must be allowed.
    const char* asan = std::getenv("ASAN_OPTIONS");
    const std::string asan_options = std::string(asan ? asan : "") + ":verify_asan_link_order=0";
    return RunProgram(LATIH_CLI_PATH, args,
                      {{"LD_PRELOAD", LATIH_FAKETIME_LIB},
                       {"FAKETIME_TIMESTAMP_FILE", clock_file_},
                       {"FAKETIME_NO_CACHE", "1"},
                       // libcurl's timeouts and the sync's pacing use the
                       // monotonic clock, which a wrong wall clock leaves alone.
                       {"FAKETIME_DONT_FAKE_MONOTONIC", "1"},
                       {"ASAN_OPTIONS", asan_options}});
  }

  // A command that must succeed; returns its first stdout line.
  std::string Ok(std::vector<std::string> args) const {
    const CliResult r = Run(args);
    INFO(name_ << ": latih " << args[0] << ": " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
  }

  // `latih sync`, which must succeed; returns its summary line (printed).
  std::string Sync() const {
    const std::string line = Ok({"sync"});
    std::cout << "clock: " << name_ << ": " << line << "\n";
    return line;
  }

  void Enroll(const ServerProcess& server) const {
    Ok({"init", "--office", kSelatan});
    const CliResult made =
        RunServerCli({"--db", server.db_path(), "device", "enroll", "--office", kSelatan, "--name", name_});
    INFO(made.err);
    REQUIRE(made.exit_code == 0);
    Ok({"enroll", "--server", server.url(), "--token", made.out.substr(0, made.out.find('\n'))});
  }

  // What the device last measured: server time - device time.
  int64_t OffsetMs() const { return Count(*OpenClientDb(db_), "SELECT clock_offset_ms FROM replica"); }
  int64_t LastHlc() const { return Count(*OpenClientDb(db_), "SELECT last_hlc FROM replica"); }
  const std::string& db() const { return db_; }

 private:
  std::string name_, db_, clock_file_;
};

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace

TEST_CASE("wrong device clocks (3 days fast, 2 days slow, one jumping back) end where the clock rules predict",
          "[backend][integration][server][clock]") {
  INFO("libfaketime is missing: `make deps` installs the libfaketime package");
  REQUIRE(std::string(LATIH_FAKETIME_LIB) != "");
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  Device fast(dir, "cepat", "+3d"), slow(dir, "lambat", "-2d"), jumpy(dir, "lompat", "+0");
  for (const Device* d : {&fast, &slow, &jumpy}) d->Enroll(server);
  // Enrolment measures no offset: the first sync will.
  for (const Device* d : {&fast, &slow, &jumpy}) REQUIRE(d->OffsetMs() == 0);
  std::vector<std::string> nip;
  for (int i = 1; i <= 4; ++i) nip.push_back(TestNip(700 + i));

  // 1. Offline, before any sync: cepat registers the office's staff, a
  //    workshop and two check-ins. No offset is known yet: the versions
  //    carry its clock, three days ahead.
  for (int i = 0; i < 4; ++i) {
    fast.Ok({"employee", "add", "--nip", nip[i], "--name", "Pegawai " + std::to_string(i + 1), "--type", "pns"});
  }
  const std::string training = fast.Ok({"training", "add", "--title", "Bimtek Jam", "--form", "4", "--competency",
                                        "teknis", "--jp", "8", "--start", "2026-03-02", "--end", "2026-03-02"});
  const std::string session = fast.Ok({"session", "add", "--training", training, "--date", "2026-03-02"});
  const int64_t fast_checkin_before = RealNowMs();
  fast.Ok({"attend", "--session", session, "--nip", nip[0]});
  fast.Ok({"attend", "--session", session, "--nip", nip[1]});
  const int64_t fast_checkin_after = RealNowMs();
  const int64_t fast_stamped = fast.LastHlc();
  REQUIRE(sync::HlcPhysicalMs(fast_stamped) > RealNowMs() + 3 * kDayMs - 10 * kMinuteMs);

  // 2. Later (in real time), lambat registers the first employee too, with
  //    another spelling of the name, stamped two days behind.
  slow.Ok({"employee", "add", "--nip", nip[0], "--name", "Nama Meja Lambat", "--type", "pns"});
  REQUIRE(sync::HlcPhysicalMs(slow.LastHlc()) < RealNowMs() - 2 * kDayMs + 10 * kMinuteMs);

  // 3. Each device's first sync measures its offset (rule 1) and moves its
  //    unpushed versions by it before pushing (rule 2): the versions of both
  //    writes become their real times, so lambat's later write wins, though
  //    its raw stamp was five days behind cepat's.
  const std::string fast_first = fast.Sync();
  CHECK(fast_first.find("WARNING: the device clock is") != std::string::npos);
  CHECK(fast_first.find("moved to the server's clock") != std::string::npos);
  const std::string slow_first = slow.Sync();
  CHECK(slow_first.find("moved to the server's clock") != std::string::npos);
  jumpy.Sync();
  fast.Sync();
  CHECK(std::llabs(fast.OffsetMs() + 3 * kDayMs) < kMinuteMs);
  CHECK(std::llabs(slow.OffsetMs() - 2 * kDayMs) < kMinuteMs);
  CHECK(std::llabs(jumpy.OffsetMs()) < kMinuteMs);
  // cepat's clock no longer runs three days ahead of its versions.
  CHECK(sync::HlcPhysicalMs(fast.LastHlc()) < RealNowMs() + sync::Options{}.max_ahead_ms);

  // 4. Offsets known, new writes carry the corrected time (rule 1): cepat
  //    edits the second employee's name, then lambat does; lambat syncs
  //    first. Real order decides: lambat's edit wins (raw clocks would have
  //    given it to cepat by five days).
  fast.Ok({"employee", "update", "--nip", nip[1], "--name", "Suntingan Cepat"});
  slow.Ok({"employee", "update", "--nip", nip[1], "--name", "Suntingan Lambat"});
  slow.Sync();
  fast.Sync();

  // 5. lompat edits the third employee's position and syncs; then its clock
  //    jumps back a day and it edits the position again and checks that
  //    employee in. Its versions never go back (the HLC is persisted and
  //    takes the maximum; a re-stamp never moves a write below the version
  //    it overwrote), so the second edit has the higher version and
  //    replaces the first on the server, though its wall clock is a day
  //    behind the first.
  jumpy.Ok({"employee", "update", "--nip", nip[2], "--position", "Staf"});
  jumpy.Sync();
  jumpy.SetClock("-1d");
  jumpy.Ok({"employee", "update", "--nip", nip[2], "--position", "Kasi Pemerintahan"});
  const int64_t jumpy_checkin_before = RealNowMs();
  jumpy.Ok({"attend", "--session", session, "--nip", nip[2]});
  const int64_t jumpy_checkin_after = RealNowMs();

  // 6. Still offline, lompat edits the fourth employee's position; later
  //    (real time) cepat edits it too and syncs. When lompat syncs it
  //    measures +1 day and moves its unpushed versions forward by that,
  //    never past its corrected present (rule 2): they carry the time of
  //    this sync, later than cepat's edit, so lompat's value wins. The rules
  //    order a write made after a backward jump at the next sync, not at
  //    its real time; the overwritten value is kept as a recorded conflict.
  jumpy.Ok({"employee", "update", "--nip", nip[3], "--position", "Pengadministrasi Lompat"});
  fast.Ok({"employee", "update", "--nip", nip[3], "--position", "Analis Cepat"});
  fast.Sync();
  const std::string jumpy_after = jumpy.Sync();
  CHECK(jumpy_after.find("moved to the server's clock") != std::string::npos);
  CHECK(std::llabs(jumpy.OffsetMs() - kDayMs) < kMinuteMs);

  // Everyone syncs until nothing moves.
  for (int round = 0; round < 2; ++round) {
    for (const Device* d : {&fast, &slow, &jumpy}) d->Sync();
  }

  auto s = OpenServerDb(server.db_path());
  auto name_of = [&](sync::sqlite::Store& st, int i) {
    return Text(st, "SELECT name FROM employee WHERE nip = " + Quoted(nip[i]));
  };
  auto position_of = [&](sync::sqlite::Store& st, int i) {
    return Text(st, "SELECT coalesce(position, '') FROM employee WHERE nip = " + Quoted(nip[i]));
  };
  const std::string view = OfficeView(*s, kSelatan);
  for (const Device* d : {&fast, &slow, &jumpy}) {
    auto st = OpenClientDb(d->db());
    INFO(d->db());
    REQUIRE(Text(*st, "PRAGMA integrity_check") == "ok");
    CHECK(DumpTables(*st) == view);
    CHECK(name_of(*st, 0) == "Nama Meja Lambat");          // step 3
    CHECK(name_of(*st, 1) == "Suntingan Lambat");          // step 4
    CHECK(position_of(*st, 2) == "Kasi Pemerintahan");     // step 5
    CHECK(position_of(*st, 3) == "Pengadministrasi Lompat");  // step 6
  }
  CHECK(name_of(*s, 0) == "Nama Meja Lambat");
  CHECK(name_of(*s, 1) == "Suntingan Lambat");
  CHECK(position_of(*s, 2) == "Kasi Pemerintahan");
  CHECK(position_of(*s, 3) == "Pengadministrasi Lompat");
  // Nothing doubled: four employees (one registered twice), three check-ins.
  CHECK(Count(*s, "SELECT count(*) FROM employee") == 4);
  CHECK(Count(*s, "SELECT count(*) FROM attendance") == 3);

  // The overwritten values of steps 3 and 6 are kept, for review.
  CHECK(Count(*s, "SELECT count(*) FROM sync_conflict WHERE tbl = 'employee' AND col = 'name' AND "
                  "loser_value = '\"Pegawai 1\"' AND winner_value = '\"Nama Meja Lambat\"'") == 1);
  CHECK(Count(*s, "SELECT count(*) FROM sync_conflict WHERE tbl = 'employee' AND col = 'position' AND "
                  "loser_value = '\"Analis Cepat\"' AND winner_value = '\"Pengadministrasi Lompat\"'") == 1);

  // Rule 3: no version on the server, and no device's clock, is beyond the
  // server's time plus the bound; cepat's three days never reached it.
  const int64_t bound = RealNowMs() + sync::Options{}.max_ahead_ms;
  auto all = s->ChangesSince(0, 1 << 30);
  REQUIRE_OK(all.status());
  REQUIRE(!all->empty());
  for (const auto& c : *all) REQUIRE(sync::HlcPhysicalMs(c.version.hlc) <= bound);
  REQUIRE(sync::HlcPhysicalMs(Count(*s, "SELECT last_hlc FROM replica")) <= bound);
  for (const Device* d : {&fast, &slow, &jumpy}) REQUIRE(sync::HlcPhysicalMs(d->LastHlc()) <= bound);

  // Rule 5: a check-in time is data, stored as the device recorded it:
  // cepat's three days ahead, lompat's a day behind.
  auto checkin_date = [&](int i) {
    return Text(*s, "SELECT substr(a.checked_in_at, 1, 10) FROM attendance a JOIN employee e ON e.id = a.employee_id "
                    "WHERE e.nip = " + Quoted(nip[i]));
  };
  const std::string fast_date = checkin_date(0);
  CHECK((fast_date == LocalDate(fast_checkin_before + 3 * kDayMs) ||
         fast_date == LocalDate(fast_checkin_after + 3 * kDayMs)));
  const std::string jumpy_date = checkin_date(2);
  CHECK((jumpy_date == LocalDate(jumpy_checkin_before - kDayMs) ||
         jumpy_date == LocalDate(jumpy_checkin_after - kDayMs)));
  std::cout << "clock: harness libfaketime (" << LATIH_FAKETIME_LIB << "); offsets measured: cepat "
            << fast.OffsetMs() << " ms, lambat " << slow.OffsetMs() << " ms, lompat " << jumpy.OffsetMs()
            << " ms; first-push stamp of cepat was " << (sync::HlcPhysicalMs(fast_stamped) - RealNowMs()) / 1000
            << " s ahead\n";
}

}  // namespace latih::test
