// Drives the real `latih` binary: exit codes, messages, output formats and
// the change log behind every CLI write path.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "client/cli/cli_context.h"
#include "tests/support/test_support.h"

namespace latih::client {
namespace {

using test::RunCli;
using test::TempDir;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

TEST_CASE("the CLI records a workshop and every CLI write is in the change log", "[client][cli][changelog]") {
  TempDir dir;
  const std::string db = dir.File("k.db");
  REQUIRE(RunCli({"--db", db, "init", "--office", "Pejeruk"}).exit_code == 0);
  test::TestEnv t;
  auto open = [&] { return std::move(OfficeDb::Open(db, t.env)).value(); };
  auto step = [&](const std::vector<std::string>& args) {
    auto before_db = open();
    const auto before = test::Snapshot(before_db->store());
    const int64_t seq = test::MaxSeq(before_db->store());
    before_db.reset();
    auto r = RunCli(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto after = open();
    CHECK(test::RequireEveryChangeLogged(after->store(), before, seq) > 0);
    return Trimmed(r.out);
  };
  const std::string nip = test::TestNip(11);
  step({"--db", db, "employee", "add", "--nip", nip, "--name", "Lalu Rizal", "--rank", "III/b"});
  test::WriteFile(dir.File("roster.csv"), "nip,nama\n" + test::TestNip(12) + ",Baiq Sari\n");
  step({"--db", db, "employee", "import", dir.File("roster.csv")});
  step({"--db", db, "employee", "update", "--nip", nip, "--position", "Sekretaris"});
  const std::string training = step({"--db", db, "training", "add", "--title", "Bimtek", "--form", "8",
                                     "--competency", "teknis", "--jp", "8", "--start", "2026-03-02", "--end",
                                     "2026-03-02"});
  const std::string session = step({"--db", db, "session", "add", "--training", training, "--date", "2026-03-02",
                                    "--start", "08:00"});
  step({"--db", db, "attend", "--session", session, "--nip", nip, "--status", "terlambat", "--at", "08:12"});
  test::WriteFile(dir.File("hadir.csv"), "nip\n" + test::TestNip(12) + "\n");
  step({"--db", db, "attend", "--session", session, "--file", dir.File("hadir.csv")});
  step({"--db", db, "evaluate", "--training", training, "--nip", nip, "--kind", "post_test", "--score", "88"});
  step({"--db", db, "survey", "add", "--period", "2026-Q1", "--scores", "4,4,4,3,3,4,4,3,4", "--gender", "L"});
  step({"--db", db, "employee", "update", "--nip", nip, "--email", "Rizal@MataramKota.go.id"});
  step({"--db", db, "skp", "add", "--nip", nip, "--year", "2025", "--hasil", "di atas", "--perilaku", "sesuai"});
  step({"--db", db, "training", "cost", training, "--planned", "Rp 5.000.000", "--funding", "APBD Kota"});

  auto jp = RunCli({"--db", db, "report", "jp", "--year", "2026", "--json"});
  REQUIRE(jp.exit_code == 0);
  auto j = nlohmann::json::parse(jp.out);
  REQUIRE(j.size() == 2);
  CHECK(j[0]["nip"] == test::TestNip(12));  // ordered by name: Baiq, Lalu
  CHECK(j[1]["jp"] == 8);
  CHECK(j[1]["status"] == "belum_memenuhi");
  auto csv = RunCli({"--db", db, "report", "attendance", "--training", training, "--csv"});
  CHECK(csv.out.rfind("sesi,tanggal,mulai,jp,peserta", 0) == 0);
  auto ikm = RunCli({"--db", db, "report", "ikm", "--period", "2026-Q1", "--json"});
  CHECK(nlohmann::json::parse(ikm.out)[0]["mutu"] == "A");
  auto exp = RunCli({"--db", db, "export", "attendance"});
  CHECK(exp.exit_code == 0);
  CHECK(std::count(exp.out.begin(), exp.out.end(), '\n') == 3);
  auto conflicts = RunCli({"--db", db, "conflicts", "--json"});
  CHECK(conflicts.exit_code == 0);
  CHECK(nlohmann::json::parse(conflicts.out).empty());
  CHECK(RunCli({"--db", db, "conflicts", "restore", "99"}).exit_code == cli::kExitNotFound);
  auto st = RunCli({"--db", db, "status", "--json"});
  CHECK(st.out.find("52.71.01.1006 Pejeruk") != std::string::npos);

  // The facilitator's score sheet and an LMS's completions: more write paths.
  test::WriteFile(dir.File("nilai.csv"), "nip;nilai pre;nilai post\n" + nip + ";60;90\n");
  CHECK(step({"--db", db, "evaluate", "--training", training, "--file", dir.File("nilai.csv")}) ==
        "Scores: 1 lines; 1 new, 1 changed, 0 unchanged");  // the post-test of 88 became 90
  test::WriteFile(dir.File("moodle.csv"), "ID number,Course complete\n" + nip + ",07/03/2026 10:15\n");
  CHECK(step({"--db", db, "elearning", "import", dir.File("moodle.csv"), "--course", "Etika", "--jp", "4"})
            .find("1 completions recorded (1 new") != std::string::npos);
  auto after = nlohmann::json::parse(RunCli({"--db", db, "report", "jp", "--year", "2026", "--json"}).out);
  CHECK(after[1]["jp"] == 12);  // the workshop's 8 and the course's 4
}

TEST_CASE("latih report reminders lists who is below 20 JP and the trainings still open to them", "[client][cli]") {
  TempDir dir;
  const std::string db = dir.File("r.db");
  REQUIRE(RunCli({"--db", db, "init", "--office", "Pejeruk"}).exit_code == 0);
  REQUIRE(RunCli({"--db", db, "employee", "add", "--nip", test::TestNip(1), "--name", "Ani"}).exit_code == 0);
  REQUIRE(RunCli({"--db", db, "training", "add", "--title", "Bimtek Desember", "--form", "4", "--competency",
                  "teknis", "--jp", "24", "--start", "2026-12-14", "--end", "2026-12-16"}).exit_code == 0);
  auto r = RunCli({"--db", db, "report", "reminders", "--today", "2026-12-01", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["nip"] == test::TestNip(1));
  CHECK(j[0]["jp_kurang"] == 20);
  CHECK(j[0]["saran_pelatihan"] == "Bimtek Desember (2026-12-14, 24 JP)");
  CHECK(j[0]["tertutup"] == "ya");
  auto late = RunCli({"--db", db, "report", "reminders", "--today", "2026-12-20"});
  CHECK(late.out.find("0 of them covered by the 0 trainings") != std::string::npos);
  auto id = RunCli({"--db", db, "report", "reminders", "--today", "2026-12-01"}, {{"LANG", "id_ID.UTF-8"}});
  CHECK(id.out.find("Pengingat 20 JP 2026, per 2026-12-01") != std::string::npos);
  CHECK(RunCli({"--db", db, "report", "reminders", "--today", "1 Des"}).exit_code == cli::kExitInvalid);

  // Refusals of the new imports say what and where, and store nothing.
  test::WriteFile(dir.File("bad.csv"), "nip,post test\n" + test::TestNip(1) + ",sembilan\n");
  auto bad = RunCli({"--db", db, "evaluate", "--training", "x", "--file", dir.File("bad.csv")});
  CHECK(bad.exit_code == cli::kExitNotFound);  // no such training
  CHECK(RunCli({"--db", db, "evaluate", "--training", "x"}).exit_code == cli::kExitInvalid);
  CHECK(RunCli({"--db", db, "elearning", "import", dir.File("bad.csv")}).exit_code == cli::kExitInvalid);
  CHECK(RunCli({"--db", db, "elearning", "import", dir.File("bad.csv"), "--column", "nip"}).exit_code ==
        cli::kExitInvalid);
}

TEST_CASE("the CLI maps each failure to its documented exit code and says what is wrong", "[client][cli]") {
  TempDir dir;
  const std::string db = dir.File("e.db");
  auto missing = RunCli({"--db", db, "employee", "list"});
  CHECK(missing.exit_code == cli::kExitNotFound);
  CHECK_THAT(missing.err, Catch::Contains("init --office"));
  REQUIRE(RunCli({"--db", db, "init", "--office", "52.71.01.1013"}).exit_code == 0);
  auto usage = RunCli({"--db", db, "employee", "add", "--nip", "1"});
  CHECK(usage.exit_code == cli::kExitUsage);
  auto bad = RunCli({"--db", db, "employee", "add", "--nip", "198012302010013005", "--name", "X"});
  CHECK(bad.exit_code == cli::kExitInvalid);
  CHECK_THAT(bad.err, Catch::Contains("198012302010013005") && Catch::Contains("gender"));
  auto unknown = RunCli({"--db", db, "attend", "--session", "x", "--nip", test::TestNip(1)});
  CHECK(unknown.exit_code == cli::kExitNotFound);
  test::WriteFile(dir.File("r.csv"), "nip,nama\n" + test::TestNip(1) + ",A\n123,B\n" + test::TestNip(2) + ",\n");
  auto imp = RunCli({"--db", db, "employee", "import", dir.File("r.csv")});
  CHECK(imp.exit_code == cli::kExitInvalid);
  CHECK_THAT(imp.err, Catch::Contains("r.csv line 3:") && Catch::Contains("r.csv line 4:") &&
                          Catch::Contains("nothing was imported"));
  CHECK(RunCli({"--db", db, "employee", "list", "--csv"}).out ==
        "nip,nama,jabatan,golongan,jenis,aktif,perlu_tinjau,email\n");
  auto help = RunCli({"--db", db, "attend", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--session"));
  auto noargs = RunCli({});
  CHECK(noargs.exit_code == cli::kExitUsage);
  {
    test::TestEnv t;
    auto open = OfficeDb::Open(db, t.env);
    REQUIRE_OK((*open)->store().db().Exec("PRAGMA user_version = 999"));
  }
  auto newer = RunCli({"--db", db, "status"});
  CHECK(newer.exit_code == cli::kExitSchemaTooNew);
  CHECK_THAT(newer.err, Catch::Contains("newer"));
}

TEST_CASE("latih skp import lists every bad line, stores nothing then, and a re-import changes nothing",
          "[client][cli][skp]") {
  TempDir dir;
  const std::string db = dir.File("s.db");
  REQUIRE(RunCli({"--db", db, "init", "--office", "Pejeruk"}).exit_code == 0);
  test::WriteFile(dir.File("roster.csv"), "nip,nama,surel\n" + test::TestNip(1) + ",Ani,ANI@mataramkota.go.id\n" +
                                              test::TestNip(2) + ",Budi,\n" + test::TestNip(3) + ",Cici,\n");
  REQUIRE(RunCli({"--db", db, "employee", "import", dir.File("roster.csv")}).exit_code == 0);
  CHECK(RunCli({"--db", db, "employee", "list", "--json"}).out.find("ani@mataramkota.go.id") != std::string::npos);

  const std::string header = "NIP;Tahun;Periode;Rating Hasil Kerja;Rating Perilaku Kerja;Predikat Kinerja\n";
  test::WriteFile(dir.File("skp.csv"), header + test::TestNip(1) + ";2025;Tahunan;Di Atas Ekspektasi;Di Atas Ekspektasi;"
                                                "Sangat Baik\n" +
                                           test::TestNip(2) + ";2025;Tahunan;Sesuai Ekspektasi;Di Atas Ekspektasi;Baik\n" +
                                           test::TestNip(3) + ";2025;Tahunan;Di Bawah Ekspektasi;Sesuai Ekspektasi;\n");
  auto good = RunCli({"--db", db, "skp", "import", dir.File("skp.csv")});
  INFO(good.err);
  REQUIRE(good.exit_code == 0);
  CHECK(Trimmed(good.out) == "SKP import: 3 lines; 3 new, 0 changed, 0 unchanged");
  CHECK(Trimmed(RunCli({"--db", db, "skp", "import", dir.File("skp.csv")}).out) ==
        "SKP import: 3 lines; 0 new, 0 changed, 3 unchanged");

  auto list = RunCli({"--db", db, "skp", "list", "--year", "2025"});
  CHECK_THAT(list.out, Catch::Contains("butuh_perbaikan") &&
                           Catch::Contains("3 assessments; predicates: Sangat Baik 1, Baik 1, Butuh Perbaikan 1"));
  auto json = nlohmann::json::parse(RunCli({"--db", db, "skp", "list", "--json"}).out);
  REQUIRE(json.size() == 3);
  CHECK(json[0]["nama"] == "Ani");
  CHECK(json[0]["predikat"] == "sangat_baik");
  // The export of the table carries the derived predicate after the stored columns.
  auto exported = RunCli({"--db", db, "export", "skp_assessment"});
  REQUIRE(exported.exit_code == 0);
  CHECK(exported.out.find(",assessor_name,predicate") != std::string::npos);
  CHECK(exported.out.find(",sangat_baik") != std::string::npos);

  // A bad rating, a predikat the ratings do not give, an unknown NIP: every
  // line listed, nothing stored (Cici keeps Butuh Perbaikan).
  test::WriteFile(dir.File("bad.csv"), header + test::TestNip(3) + ";2025;Tahunan;Sesuai;Sesuai;\n" +
                                           test::TestNip(1) + ";2025;Tahunan;Istimewa;Sesuai;\n" +
                                           test::TestNip(2) + ";2025;Tahunan;Di Atas;Di Atas;Baik\n" +
                                           test::TestNip(40) + ";2025;Tahunan;Sesuai;Sesuai;\n");
  auto bad = RunCli({"--db", db, "skp", "import", dir.File("bad.csv")});
  CHECK(bad.exit_code == cli::kExitInvalid);
  CHECK_THAT(bad.err, Catch::Contains("bad.csv line 3: hasil kerja 'Istimewa' is not a rating"));
  CHECK_THAT(bad.err, Catch::Contains("bad.csv line 4: predikat 'Baik' does not follow from hasil kerja Di Atas "
                                      "Ekspektasi and perilaku kerja Di Atas Ekspektasi, which give Sangat Baik"));
  CHECK_THAT(bad.err, Catch::Contains("bad.csv line 5: NIP " + test::TestNip(40) + " is not registered"));
  CHECK_THAT(bad.err, Catch::Contains("3 of 4 lines of " + dir.File("bad.csv") + " are invalid; nothing was imported"));
  CHECK(RunCli({"--db", db, "skp", "list"}).out.find("Butuh Perbaikan 1") != std::string::npos);

  // One by hand, in Indonesian; then corrected.
  auto add = RunCli({"--db", db, "skp", "add", "--nip", test::TestNip(3), "--year", "2025", "--period", "TW 1",
                     "--hasil", "1", "--perilaku", "2"}, {{"LANG", "id_ID.UTF-8"}});
  INFO(add.err);
  CHECK(Trimmed(add.out) == "SKP 2025 Q1 Cici (" + test::TestNip(3) +
                                "): hasil kerja Di Atas Ekspektasi, perilaku kerja Sesuai Ekspektasi: predikat Baik");
  auto refused = RunCli({"--db", db, "skp", "add", "--nip", test::TestNip(3), "--year", "2025", "--hasil", "bagus",
                         "--perilaku", "2"}, {{"LANG", "id_ID.UTF-8"}});
  CHECK(refused.exit_code == cli::kExitInvalid);
  CHECK_THAT(refused.err, Catch::Contains("latih: galat: rating hasil kerja 'bagus' bukan rating"));
}

TEST_CASE("latih training cost sets the budget as Indonesians write rupiah and refuses decimals",
          "[client][cli][cost]") {
  TempDir dir;
  const std::string db = dir.File("c.db");
  REQUIRE(RunCli({"--db", db, "init", "--office", "Pejeruk"}).exit_code == 0);
  auto made = RunCli({"--db", db, "training", "add", "--title", "Bimtek", "--form", "4", "--competency", "teknis",
                      "--jp", "8", "--start", "2026-03-02", "--end", "2026-03-02", "--cost-planned", "5.000.000",
                      "--funding", "apbd_kota"});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  const std::string training = Trimmed(made.out);
  auto cost = RunCli({"--db", db, "training", "cost", training, "--actual", "Rp 4.750.000"});
  CHECK(Trimmed(cost.out) == "Bimtek: planned Rp 5.000.000, actual Rp 4.750.000, funding apbd_kota");
  auto list = nlohmann::json::parse(RunCli({"--db", db, "training", "list", "--json"}).out);
  CHECK(list[0]["cost_planned"] == 5000000);
  CHECK(list[0]["cost_actual"] == 4750000);
  CHECK(list[0]["funding_source"] == "apbd_kota");
  auto decimals = RunCli({"--db", db, "training", "cost", training, "--actual", "4.750.000,50"});
  CHECK(decimals.exit_code == cli::kExitInvalid);
  CHECK_THAT(decimals.err, Catch::Contains("actual cost '4.750.000,50' is not whole rupiah"));
  CHECK(RunCli({"--db", db, "training", "cost", training, "--planned=-5000"}).exit_code == cli::kExitInvalid);
  CHECK(RunCli({"--db", db, "training", "cost", training}).exit_code == cli::kExitInvalid);
  CHECK(RunCli({"--db", db, "training", "cost", training, "--funding", "dana desa"}).exit_code == cli::kExitInvalid);
  CHECK(RunCli({"--db", db, "training", "cost", "x", "--actual", "1"}).exit_code == cli::kExitNotFound);
  auto bad_email = RunCli({"--db", db, "employee", "add", "--nip", test::TestNip(1), "--name", "A", "--email", "a@"});
  CHECK(bad_email.exit_code == cli::kExitInvalid);
  CHECK_THAT(bad_email.err, Catch::Contains("e-mail 'a@' is not an address"));
}

}  // namespace
}  // namespace latih::client
