// `latih desk` driven as a clerk drives it: the real binary in a tmux pane
// (send-keys types, as a card scanner does; capture-pane reads the screen).
// Each test waits for what it expects on the screen, bounded, never for a
// fixed time. Needs tmux (make deps installs it).
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "client/lib/office_db.h"
#include "sync/domain/ids.h"
#include "tests/support/sync_views.h"
#include "tests/support/test_support.h"

namespace latih::test {
namespace {

// A tmux server of its own (-L), one pane running `latih desk`.
class TmuxDesk {
 public:
  TmuxDesk(const std::string& db, const std::string& session, const std::string& lang = "id_ID.UTF-8") {
    static std::atomic<int> serial{0};
    socket_ = "latih-desk-" + std::to_string(getpid()) + "-" + std::to_string(serial++);
    const std::string command = "exec " + std::string(LATIH_CLI_PATH) + " --db '" + db + "' desk --session " + session;
    const CliResult started = Tmux({"-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-e",
                                    "LANG=" + lang, "-e", "LC_ALL=", command});
    INFO(started.err);
    REQUIRE(started.exit_code == 0);
  }
  ~TmuxDesk() { (void)Tmux({"kill-server"}); }

  // Types `text` literally (a scanner's keystrokes).
  void Type(const std::string& text) { REQUIRE(Tmux({"send-keys", "-t", "0", "-l", text}).exit_code == 0); }
  // Presses keys by tmux name: "Enter", "F5", "Tab", "Escape", "Down".
  void Press(const std::string& key) { REQUIRE(Tmux({"send-keys", "-t", "0", key}).exit_code == 0); }
  std::string Screen() { return Tmux({"capture-pane", "-p", "-t", "0"}).out; }
  // Waits (at most 15 s) until the screen shows `text`; the screen then.
  std::string WaitFor(const std::string& text) {
    std::string screen;
    for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
         std::chrono::steady_clock::now() < until;) {
      screen = Screen();
      if (screen.find(text) != std::string::npos) return screen;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("the desk never showed \"" << text << "\"; the screen:\n" << screen);
    return screen;
  }
  pid_t Pid() { return static_cast<pid_t>(std::stol(Tmux({"display-message", "-p", "-t", "0", "#{pane_pid}"}).out)); }

 private:
  CliResult Tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {"-L", socket_});
    return RunProgram("/usr/bin/tmux", args, {{"LC_ALL", "C.UTF-8"}});  // the server reads the pane as UTF-8
  }
  std::string socket_;
};

struct Workshop {
  TempDir dir;
  std::string db = dir.File("desk.db");
  std::string session;

  Workshop() {
    auto office = MakeOffice(db, sync::DefaultEnv());
    client::TrainingInput tin{"Bimtek Kearsipan", "8", "teknis", "2026-03-02", "2026-03-02",
                              {}, {}, {}, {}, 8.0, {}};
    auto training = office->AddTraining(tin);
    REQUIRE_OK(training.status());
    auto s = office->AddSession({*training, "2026-03-02", std::string("08:00"), std::string("16:00"), {}, {}});
    REQUIRE_OK(s.status());
    session = *s;
    for (auto [n, name] : {std::pair<int, const char*>{1, "Baiq Nurul Aini"}, {2, "Lalu Muhammad Zainul"},
                           {3, "I Gusti Ayu Putu Ségara"}, {4, "Nurul Hidayah"}}) {
      REQUIRE_OK(office->AddEmployee({TestNip(n), std::string(name), {}, {}, {}, {}}).status());
    }
  }
  int64_t Count(const std::string& sql) {
    auto store = OpenClientDb(db);
    return test::Count(*store, sql);
  }
};

}  // namespace

TEST_CASE("the desk checks people in by partial name and by scanned NIP, warns, undoes and counts",
          "[client][desk][tmux]") {
  Workshop w;
  TmuxDesk desk(w.db, w.session);
  desk.WaitFor("Belum 4   Total 4");

  // A partial name, accents ignored, then Enter on the first match.
  desk.Type("segar");
  desk.WaitFor("I Gusti Ayu Putu Ségara");
  desk.Press("Enter");
  desk.WaitFor("OK Hadir: I Gusti Ayu Putu Ségara");
  desk.WaitFor("Hadir 1   Izin/sakit/DL 0   Belum 3");
  CHECK(w.Count("SELECT count(*) FROM attendance WHERE method = 'manual'") == 1);

  // A scanner: the whole NIP and Enter.
  desk.Type(TestNip(2));
  desk.Press("Enter");
  desk.WaitFor("OK Hadir: Lalu Muhammad Zainul");
  CHECK(w.Count("SELECT count(*) FROM attendance WHERE method = 'qr'") == 1);

  // Scanned again: a warning, nothing written.
  desk.Type(TestNip(2));
  desk.Press("Enter");
  desk.WaitFor("SUDAH TERCATAT: Lalu Muhammad Zainul Hadir");
  CHECK(w.Count("SELECT count(*) FROM attendance") == 2);

  // An unknown NIP: a warning, then a walk-in registered for review.
  const std::string stranger = TestNip(77);
  desk.Type(stranger);
  desk.Press("Enter");
  desk.WaitFor("NIP " + stranger + " tidak terdaftar");
  desk.Press("F3");
  desk.WaitFor("Peserta tamu NIP " + stranger);
  desk.Type("Siti Rahmawati");
  desk.Press("Enter");
  desk.WaitFor("Peserta tamu Siti Rahmawati didaftarkan");
  desk.WaitFor("Hadir 3   Izin/sakit/DL 0   Belum 2   Total 5");
  CHECK(w.Count("SELECT count(*) FROM employee WHERE needs_review = 1") == 1);

  // Another status through Tab: izin.
  desk.Press("Tab");
  desk.Press("Tab");
  desk.WaitFor("Dicatat sebagai: Izin");
  desk.Type("nurul hid");
  desk.WaitFor("> Nurul Hidayah");
  desk.Press("Enter");
  desk.WaitFor("OK Izin: Nurul Hidayah");
  desk.WaitFor("Hadir 3   Izin/sakit/DL 1   Belum 1");

  // Undo the last check-in.
  desk.Press("F5");
  desk.WaitFor("Dibatalkan: Nurul Hidayah sekarang belum");
  desk.WaitFor("Hadir 3   Izin/sakit/DL 0   Belum 2");
  CHECK(w.Count("SELECT count(*) FROM attendance WHERE status = 'izin'") == 0);
  desk.Press("F10");
}

TEST_CASE("at the session's end the desk records scores typed or imported from the facilitator's sheet",
          "[client][desk][tmux][scores]") {
  Workshop w;
  const std::string sheet = w.dir.File("nilai.csv");
  WriteFile(sheet, "NIP;Nilai Pre;Nilai Post\r\n" + TestNip(2) + ";45;70\r\n" + TestNip(3) + ";50;90\r\n");
  const std::string bad_sheet = w.dir.File("salah.csv");
  WriteFile(bad_sheet, "NIP;Nilai Post\r\n" + TestNip(4) + ";80\r\n" + TestNip(1) + ";delapan\r\n");
  TmuxDesk desk(w.db, w.session);
  desk.WaitFor("Belum 4   Total 4");
  desk.Press("F6");
  desk.WaitFor("Nilai: Tes akhir  (Tab: ganti");

  // A post-test score typed for a person found by name; a typo first.
  desk.Type("baiq");
  desk.WaitFor("> Baiq Nurul Aini");
  desk.Press("Enter");
  desk.WaitFor("Tes akhir Baiq Nurul Aini, 0-100");
  desk.Type("8o");
  desk.Press("Enter");
  desk.WaitFor("GALAT:");
  desk.Press("BSpace");
  desk.Type("0,5");
  desk.Press("Enter");
  desk.WaitFor("OK Tes akhir: Baiq Nurul Aini nilai 80.5");
  CHECK(w.Count("SELECT count(*) FROM evaluation WHERE kind = 'post_test' AND score = 80.5") == 1);

  // The reaction, as its four aspects, for a scanned NIP.
  desk.Press("Tab");
  desk.Press("Tab");
  desk.WaitFor("Nilai: Reaksi");
  desk.Type(TestNip(1));
  desk.Press("Enter");
  desk.WaitFor("Reaksi Baiq Nurul Aini: satu nilai, atau materi fasilitator sarana jadwal");
  desk.Type("80 90 70 100");
  desk.Press("Enter");
  desk.WaitFor("OK Reaksi: Baiq Nurul Aini nilai 85");
  CHECK(w.Count("SELECT count(*) FROM evaluation WHERE kind = 'reaction' AND score = 85 AND aspects IS NOT NULL") == 1);

  // Undo the reaction.
  desk.Press("F5");
  desk.WaitFor("Dibatalkan: Baiq Nurul Aini sekarang Tes akhir 80.5  Tes awal -  Reaksi -");
  CHECK(w.Count("SELECT count(*) FROM evaluation WHERE kind = 'reaction'") == 0);

  // A sheet with a bad line: refused whole, saying which line.
  desk.Press("F7");
  desk.WaitFor("Impor nilai dari berkas CSV");
  desk.Type(bad_sheet);
  desk.Press("Enter");
  desk.WaitFor("1 dari 2 baris tidak valid, tidak ada yang diimpor. Baris 3:");
  CHECK(w.Count("SELECT count(*) FROM evaluation") == 1);

  // The good sheet: imported, and shown on the list.
  desk.Press("F7");
  desk.Type(sheet);
  desk.Press("Enter");
  desk.WaitFor("2 baris; nilai: 4 baru, 0 diubah, 0 tetap; 0 baris tanpa nilai.");
  desk.Type("lalu");
  desk.WaitFor("Tes akhir 70  Tes awal 45  Reaksi -");
  CHECK(w.Count("SELECT count(*) FROM evaluation") == 5);

  // Back to the check-in view.
  desk.Press("Escape");
  desk.Press("F6");
  desk.WaitFor("Dicatat sebagai:");
  desk.Press("F10");
}

TEST_CASE("a check-in the desk confirmed survives a SIGKILL right after", "[client][desk][tmux]") {
  Workshop w;
  TmuxDesk desk(w.db, w.session, "en_US.UTF-8");
  desk.WaitFor("Not yet 4");
  desk.Type(TestNip(4));
  desk.Press("Enter");
  desk.WaitFor("OK Hadir: Nurul Hidayah");
  REQUIRE(kill(desk.Pid(), SIGKILL) == 0);
  CHECK(w.Count("SELECT count(*) FROM attendance WHERE employee_id = '" +
                domain::NaturalId("employee", {TestNip(4)}) + "' AND status = 'hadir'") == 1);
  auto store = OpenClientDb(w.db);
  CHECK(test::Text(*store, "PRAGMA integrity_check") == "ok");
}

}  // namespace latih::test
