#include "client/lib/importers.h"

#include <catch2/catch.hpp>

#include "tests/support/sync_views.h"
#include "tests/support/test_support.h"

namespace latih::client {
namespace {

using test::TempDir;
using test::TestEnv;

CsvTable Parse(const std::string& text) {
  auto t = ParseCsv(text, "t.csv");
  REQUIRE_OK(t.status());
  return *t;
}

// An office with three employees and a one-day workshop.
struct Workshop {
  TempDir dir;
  TestEnv t;
  std::unique_ptr<OfficeDb> db = test::MakeOffice(dir.File("a.db"), t.env);
  std::string training;

  Workshop() {
    for (int i = 1; i <= 3; ++i) REQUIRE_OK(db->AddEmployee({test::TestNip(i), "P", {}, {}, {}, {}}).status());
    TrainingInput tin{"W", "4", "teknis", "2026-03-02", "2026-03-02", {}, {}, {}, {}, 8.0, {}};
    auto made = db->AddTraining(tin);
    REQUIRE_OK(made.status());
    training = *made;
  }
};

TEST_CASE("a roster exported by Indonesian Excel imports by header name", "[client][import]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("a.db"), t.env);
  const std::string csv = "\xEF\xBB\xBF" "Nama;Golongan;NIP;Jabatan\r\n"
                          "\"Ani, S.Sos\";III/a;" + test::TestNip(1) + ";Lurah\r\n"
                          "Budi;II/c;" + test::TestNip(2) + ";\r\n";
  auto rep = ImportRoster(*db, Parse(csv), "t.csv");
  REQUIRE_OK(rep.status());
  CHECK(rep->errors.empty());
  CHECK(rep->created == 2);
  auto ani = db->FindEmployee(test::TestNip(1));
  CHECK((*ani)->name == "Ani, S.Sos");
  CHECK((*ani)->rank == "III/a");
  CHECK((*ani)->position == "Lurah");
  // Importing the same file again changes nothing.
  auto again = ImportRoster(*db, Parse(csv), "t.csv");
  CHECK(again->unchanged == 2);
  CHECK(again->created + again->updated == 0);
}

TEST_CASE("a roster with bad lines lists every one of them and imports nothing", "[client][import]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("a.db"), t.env);
  const std::string csv = "nip,name,type\n" +
                          test::TestNip(1) + ",Ani,PNS\n" +          // line 2 ok
                          "198013302010011005,Bad Month,PNS\n" +      // line 3: month 13
                          test::TestNip(2) + ",,\n" +                 // line 4: no name
                          test::TestNip(3) + ",Cici,PPPK\n" +         // line 5: type mismatch
                          test::TestNip(1) + ",Ani again,PNS\n" +     // line 6: duplicate
                          test::TestNip(4) + ",Dedi,PNS,extra\n";     // line 7: too many fields
  auto rep = ImportRoster(*db, Parse(csv), "t.csv");
  REQUIRE_OK(rep.status());
  REQUIRE(rep->errors.size() == 5);
  CHECK(rep->errors[0].line == 3);
  CHECK_THAT(rep->errors[0].message, Catch::Contains("198013302010011005"));
  CHECK(rep->errors[1].line == 4);
  CHECK_THAT(rep->errors[1].message, Catch::Contains("nama"));
  CHECK(rep->errors[2].line == 5);
  CHECK_THAT(rep->errors[2].message, Catch::Contains("PPPK"));
  CHECK(rep->errors[3].line == 6);
  CHECK_THAT(rep->errors[3].message, Catch::Contains("more than once"));
  CHECK(rep->errors[4].line == 7);
  CHECK(*db->store().CountRows("employee") == 0);
  CHECK(test::MaxSeq(db->store()) == 0);
}

TEST_CASE("a roster's e-mail column is trimmed and lower-cased, and a bad address refuses its line",
          "[client][import][email]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("a.db"), t.env);
  const std::string csv = "nip;nama;E-mail\n" + test::TestNip(1) + ";Ani; Ani@MataramKota.go.id \n" +
                          test::TestNip(2) + ";Budi;\n";
  auto rep = ImportRoster(*db, Parse(csv), "t.csv");
  REQUIRE_OK(rep.status());
  CHECK(rep->errors.empty());
  CHECK((*db->FindEmployee(test::TestNip(1)))->email == "ani@mataramkota.go.id");
  CHECK((*db->FindEmployee(test::TestNip(2)))->email.empty());
  CHECK(ImportRoster(*db, Parse(csv), "t.csv")->unchanged == 2);

  const std::string bad = "nip,surel\n" + test::TestNip(2) + ",budi@x.id\n" + test::TestNip(1) + ",ani(at)x.id\n";
  auto refused = ImportRoster(*db, Parse(bad), "t.csv");
  REQUIRE_OK(refused.status());
  REQUIRE(refused->errors.size() == 1);
  CHECK(refused->errors[0].line == 3);
  CHECK_THAT(refused->errors[0].message, Catch::Contains("ani(at)x.id"));
  CHECK((*db->FindEmployee(test::TestNip(2)))->email.empty());  // nothing was imported
}

TEST_CASE("a roster without a NIP column is refused as a whole", "[client][import]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("a.db"), t.env);
  auto rep = ImportRoster(*db, Parse("nama,jabatan\nAni,Lurah\n"), "t.csv");
  CHECK(rep.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(rep.status().message(), Catch::Contains("nip"));
}

TEST_CASE("an attendance list imports all-or-nothing and logs every change", "[client][import][changelog]") {
  Workshop w;
  auto& db = w.db;
  auto session = db->AddSession({w.training, "2026-03-02", std::string("08:00"), {}, {}, {}});
  REQUIRE_OK(session.status());
  const std::string bad = "NIP;Keterangan;Waktu\n" + test::TestNip(1) + ";hadir;07:58\n" + test::TestNip(2) +
                          ";hadirr;\n" + test::TestNip(9) + ";hadir;\n" + test::TestNip(3) + ";terlambat;25:00\n";
  auto rep = ImportAttendance(*db, *session, Parse(bad), "t.csv", false);
  REQUIRE_OK(rep.status());
  REQUIRE(rep->errors.size() == 3);
  CHECK(rep->errors[0].line == 3);
  CHECK_THAT(rep->errors[0].message, Catch::Contains("hadirr"));
  CHECK(rep->errors[1].line == 4);
  CHECK_THAT(rep->errors[1].message, Catch::Contains("not registered"));
  CHECK(rep->errors[2].line == 5);
  CHECK_THAT(rep->errors[2].message, Catch::Contains("25:00"));
  CHECK(*db->store().CountRows("attendance") == 0);

  const auto before = test::Snapshot(db->store());
  const int64_t seq = test::MaxSeq(db->store());
  const std::string good = "nip,status,waktu\n" + test::TestNip(1) + ",hadir,07:58\n" + test::TestNip(2) +
                           ",TL,08:10\n" + test::TestNip(9) + ",izin,\n";
  auto ok = ImportAttendance(*db, *session, Parse(good), "t.csv", true);
  REQUIRE_OK(ok.status());
  CHECK(ok->errors.empty());
  CHECK(ok->created == 3);
  CHECK(ok->placeholders == 1);
  CHECK(test::RequireEveryChangeLogged(db->store(), before, seq) > 0);
}

TEST_CASE("a score sheet imports by header name, and importing it again changes nothing",
          "[client][import][scores]") {
  Workshop w;
  auto& db = w.db;
  const std::string* tr = &w.training;
  // English headers, a reaction given as such (its aspects kept), a
  // percentage, a date.
  const std::string csv = "Pre-Test,Post Test,Reaction,Material,NIP,Date\n"
                          "40,75%,88,90," + test::TestNip(1) + ",2026-03-02\n"
                          ",,,," + test::TestNip(2) + ",\n"
                          "50.5,,,," + test::TestNip(3) + ",\n";
  const auto before = test::Snapshot(db->store());
  const int64_t seq = test::MaxSeq(db->store());
  auto rep = ImportEvaluations(*db, *tr, Parse(csv), "t.csv");
  REQUIRE_OK(rep.status());
  CHECK(rep->errors.empty());
  CHECK(rep->records == 3);
  CHECK(rep->created == 4);
  CHECK(rep->skipped == 1);
  CHECK(test::RequireEveryChangeLogged(db->store(), before, seq) > 0);
  CHECK(test::Count(db->store(), "SELECT count(*) FROM evaluation WHERE kind = 'reaction' AND score = 88 AND "
                                 "json_extract(aspects, '$.materi') = 90 AND assessed_on = '2026-03-02'") == 1);
  CHECK(test::Count(db->store(), "SELECT count(*) FROM evaluation WHERE kind = 'post_test' AND score = 75") == 1);
  CHECK(test::Count(db->store(), "SELECT count(*) FROM evaluation WHERE kind = 'pre_test' AND score = 50.5") == 1);

  const int64_t seq_after = test::MaxSeq(db->store());
  auto again = ImportEvaluations(*db, *tr, Parse(csv), "t.csv");
  REQUIRE_OK(again.status());
  CHECK(again->unchanged == 4);
  CHECK(again->created + again->updated == 0);
  CHECK(test::MaxSeq(db->store()) == seq_after);  // nothing logged: nothing to sync

  // A corrected score updates that one evaluation.
  const std::string fixed = "nip;post test\n" + test::TestNip(1) + ";77\n";
  auto corrected = ImportEvaluations(*db, *tr, Parse(fixed), "t.csv");
  REQUIRE_OK(corrected.status());
  CHECK(corrected->updated == 1);

  CHECK(ImportEvaluations(*db, "no-such-training", Parse(fixed), "t.csv").status().code() ==
        StatusCode::kNotFound);
  auto no_nip = ImportEvaluations(*db, *tr, Parse("nama,post\nA,70\n"), "t.csv");
  CHECK(no_nip.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("scores are read as people write them, and refused with the text otherwise", "[client][import][scores]") {
  CHECK(*ParseScore("85") == 85);
  CHECK(*ParseScore(" 85,5 ") == 85.5);
  CHECK(*ParseScore("85.25") == 85.25);
  CHECK(*ParseScore("100%") == 100);
  CHECK(*ParseScore("0") == 0);
  for (const char* bad : {"", ".", "100.5", "-1", "1e2", "85,5,1", "8 5", "delapan", "85.5.1", "nan"}) {
    INFO(bad);
    auto r = ParseScore(bad);
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains(std::string("'") + bad + "'"));
  }
}

}  // namespace
}  // namespace latih::client
