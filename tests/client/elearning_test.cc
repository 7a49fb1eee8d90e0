// E-learning completions (client/lib/elearning.h): Moodle's course
// completion report and another LMS's layout through column names, matched
// by NIP, unmatched lines listed, all or nothing for errors, re-import
// idempotent, the JP credited in the year of each completion.
#include "client/lib/elearning.h"

#include <catch2/catch.hpp>

#include "sync/sqlite/reports.h"
#include "tests/support/sync_views.h"
#include "tests/support/test_support.h"

namespace latih::client {
namespace {

using test::TempDir;
using test::TestEnv;
using test::TestNip;

CsvTable Parse(const std::string& text) {
  auto t = ParseCsv(text, "moodle.csv");
  REQUIRE_OK(t.status());
  return *t;
}

struct Office {
  TempDir dir;
  TestEnv t;
  std::unique_ptr<OfficeDb> db = test::MakeOffice(dir.File("e.db"), t.env);
  Office() {
    for (int i = 1; i <= 3; ++i) {
      REQUIRE_OK(db->AddEmployee({TestNip(i), "Pegawai " + std::to_string(i), {}, {}, {}, {}}).status());
    }
  }
  int64_t Count(const std::string& sql) { return test::Count(db->store(), sql); }
  double Jp(int year, const std::string& nip) {
    auto rows = sync::sqlite::JpReport(db->store(), year, db->office_id(), db->policy());
    REQUIRE_OK(rows.status());
    for (const auto& r : *rows) {
      if (r.nip == nip) return r.jp;
    }
    FAIL("no JP row for " << nip);
    return -1;
  }
};

TEST_CASE("completion times are read as LMS exports write them", "[client][elearning]") {
  CHECK(ParseCompletionTime("2026-03-07") == "2026-03-07T00:00");
  CHECK(ParseCompletionTime("2026-03-07 10:15") == "2026-03-07T10:15");
  CHECK(ParseCompletionTime("2026-03-07T10:15:30") == "2026-03-07T10:15");
  CHECK(ParseCompletionTime("07/03/2026") == "2026-03-07T00:00");
  CHECK(ParseCompletionTime("7/3/26, 10:15") == "2026-03-07T10:15");
  CHECK(ParseCompletionTime("22/06/2016 12:00") == "2016-06-22T12:00");
  CHECK(ParseCompletionTime("Tuesday, 7 March 2026, 10:15 AM") == "2026-03-07T10:15");
  CHECK(ParseCompletionTime("Tuesday, 7 March 2026, 12:05 AM") == "2026-03-07T00:05");
  CHECK(ParseCompletionTime("Saturday, 7 November 2026, 1:30 PM") == "2026-11-07T13:30");
  CHECK(ParseCompletionTime("Selasa, 7 Maret 2026, 10.15") == "2026-03-07T10:15");
  CHECK(ParseCompletionTime("7 Agt 2026") == std::nullopt);  // three letters of neither language's name
  CHECK(ParseCompletionTime("7 Agu 2026") == "2026-08-07T00:00");
  CHECK(ParseCompletionTime("7 Dec 2026") == "2026-12-07T00:00");
  for (const char* bad : {"", "Completed", "31/02/2026", "2026-02-30", "07-03-2026", "7 Maret", "13:75",
                          "7/3/2026 25:00", "Tuesday, 7 March 2026, 13:15 PM", "1/2/3/4"}) {
    INFO(bad);
    CHECK(ParseCompletionTime(bad) == std::nullopt);
  }
}

TEST_CASE("a Moodle course completion report becomes e-learning training records with their JP",
          "[client][elearning]") {
  Office o;
  // Moodle's per-course report: no course or JP column; criteria columns
  // between the person and the completion; one not completed; a NIP not on
  // the roster; a student without an ID number.
  const std::string csv =
      "First name,Surname,ID number,Email address,\"Quiz - Completed\",Course complete\n"
      "Pegawai,Satu," + TestNip(1) + ",satu@mataramkota.go.id,Completed,\"Tuesday, 7 March 2026, 10:15 AM\"\n"
      "Pegawai,Dua," + TestNip(2) + ",dua@mataramkota.go.id,Completed,30/12/2025 09:00\n"
      "Pegawai,Tiga," + TestNip(3) + ",tiga@mataramkota.go.id,Not completed,\n"
      "Tamu,Lain," + TestNip(70) + ",tamu@x.id,Completed,2026-04-01\n"
      "Tanpa,NIP,,tanpa@x.id,Completed,2026-04-02\n";
  ElearningOptions opt;
  opt.course = "Etika Pelayanan Publik";
  opt.jp = 10;
  const auto before = test::Snapshot(o.db->store());
  const int64_t seq = test::MaxSeq(o.db->store());
  auto rep = ImportElearning(*o.db, Parse(csv), "moodle.csv", opt);
  REQUIRE_OK(rep.status());
  CHECK(rep->errors.empty());
  CHECK(rep->records == 5);
  CHECK(rep->completions == 2);
  CHECK(rep->created == 2);
  CHECK(rep->not_completed == 1);
  CHECK(rep->trainings == 1);
  REQUIRE(rep->unmatched.size() == 2);  // listed, never silently dropped
  CHECK(rep->unmatched[0].line == 5);
  CHECK(rep->unmatched[0].who == TestNip(70));
  CHECK_THAT(rep->unmatched[0].reason, Catch::Contains("not on this office's roster"));
  CHECK(rep->unmatched[1].line == 6);
  CHECK(rep->unmatched[1].who == "tanpa@x.id");
  CHECK(test::RequireEveryChangeLogged(o.db->store(), before, seq) > 0);

  // One training of this office, SIASN form 16 (E-Learning), non-klasikal,
  // spanning the completions; one session per year crediting the course's JP.
  CHECK(o.Count("SELECT count(*) FROM training WHERE form = 16 AND route = 'non_klasikal' AND jp = 10 "
                "AND title = 'Etika Pelayanan Publik' AND start_date = '2025-12-30' AND end_date = '2026-03-07' "
                "AND office_id = '" + o.db->office_id() + "'") == 1);
  CHECK(o.Count("SELECT count(*) FROM session WHERE jp = 10") == 2);
  CHECK(o.Count("SELECT count(*) FROM attendance WHERE status = 'hadir' AND checked_in_at = "
                "'2026-03-07T10:15:00'") == 1);
  CHECK(o.Jp(2026, TestNip(1)) == 10);
  CHECK(o.Jp(2025, TestNip(2)) == 10);  // completed in 2025: that year's JP
  CHECK(o.Jp(2026, TestNip(2)) == 0);

  // The same file again changes nothing.
  const int64_t seq_after = test::MaxSeq(o.db->store());
  auto again = ImportElearning(*o.db, Parse(csv), "moodle.csv", opt);
  REQUIRE_OK(again.status());
  CHECK(again->unchanged == 2);
  CHECK(again->created + again->updated == 0);
  CHECK(test::MaxSeq(o.db->store()) == seq_after);

  // A later report of the same course, with a new completion, adds to it.
  const std::string later = "ID number,Course complete\n" + TestNip(3) + ",15/05/2026 08:00\n";
  auto more = ImportElearning(*o.db, Parse(later), "moodle-mei.csv", opt);
  REQUIRE_OK(more.status());
  CHECK(more->created == 1);
  CHECK(o.Count("SELECT count(*) FROM training") == 1);
  CHECK(o.Count("SELECT count(*) FROM session") == 2);
  CHECK(o.Count("SELECT count(*) FROM training WHERE end_date = '2026-05-15' AND start_date = '2025-12-30'") == 1);
}

TEST_CASE("another LMS's layout imports through named columns, several courses in one file",
          "[client][elearning]") {
  Office o;
  const std::string csv = "NIP Pegawai;Judul Kursus;Tgl Lulus;Bobot JP\n" +
                          TestNip(1) + ";SPBE Dasar;2026-02-10;4\n" +
                          TestNip(2) + ";SPBE Dasar;2026-02-11;4\n" +
                          TestNip(1) + ";Arsip Digital;2026-03-01;2,5\n";
  ElearningOptions opt;
  opt.lms = "lms-bkpsdm";
  opt.competency = "manajerial";
  opt.columns = {{"nip", "NIP Pegawai"}, {"course", "Judul Kursus"}, {"completed", "Tgl Lulus"}, {"jp", "Bobot JP"}};
  auto rep = ImportElearning(*o.db, Parse(csv), "lms.csv", opt);
  REQUIRE_OK(rep.status());
  CHECK(rep->errors.empty());
  CHECK(rep->trainings == 2);
  CHECK(rep->completions == 3);
  CHECK(o.Count("SELECT count(*) FROM training WHERE competency = 'manajerial' AND form = 16") == 2);
  CHECK(o.Jp(2026, TestNip(1)) == 6.5);

  opt.columns = {{"pangkat", "X"}};
  CHECK(ImportElearning(*o.db, Parse(csv), "lms.csv", opt).status().code() == StatusCode::kInvalidArgument);
  opt.columns = {};  // the file's own headers are not Moodle's: the missing columns are named
  auto unmapped = ImportElearning(*o.db, Parse(csv), "lms.csv", opt);
  CHECK(unmapped.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(unmapped.status().message(), Catch::Contains("nip"));
}

TEST_CASE("an e-learning file with bad lines lists them and records nothing", "[client][elearning]") {
  Office o;
  ElearningOptions opt;
  opt.course = "Kursus A";
  opt.jp = 2;
  const std::string csv = "ID number,Course complete,JP\n" +
                          TestNip(1) + ",2026-02-10,\n" +        // fine
                          TestNip(2) + ",kemarin,\n" +            // not a date
                          TestNip(1) + ",2026-02-12,\n" +         // the same person twice
                          TestNip(3) + ",2026-02-12,200\n";       // JP out of range
  auto rep = ImportElearning(*o.db, Parse(csv), "bad.csv", opt);
  REQUIRE_OK(rep.status());
  REQUIRE(rep->errors.size() == 3);
  CHECK(rep->errors[0].line == 3);
  CHECK_THAT(rep->errors[0].message, Catch::Contains("kemarin"));
  CHECK(rep->errors[1].line == 4);
  CHECK(rep->errors[2].line == 5);
  CHECK_THAT(rep->errors[2].message, Catch::Contains("200"));
  CHECK(o.Count("SELECT count(*) FROM training") == 0);
  CHECK(o.Count("SELECT count(*) FROM attendance") == 0);

  ElearningOptions bare;  // no course column and no --course
  auto no_course = ImportElearning(*o.db, Parse("ID number,Course complete\n"), "x.csv", bare);
  CHECK(no_course.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(no_course.status().message(), Catch::Contains("--course"));
}

TEST_CASE("a completion without a usable NIP is matched by the one employee with its e-mail",
          "[client][elearning][email]") {
  Office o;
  auto email = [&](int n, const char* address) {
    EmployeeInput in{TestNip(n), {}, {}, {}, {}, {}, std::string(address)};
    REQUIRE_OK(o.db->UpdateEmployee(in).status());
  };
  email(1, "satu@mataramkota.go.id");
  email(2, "bersama@mataramkota.go.id");  // two people share an office address
  email(3, "bersama@mataramkota.go.id");
  const std::string csv = "ID number,Email address,Course complete\n"
                          ",Satu@MataramKota.go.id ,2026-03-01\n"       // matched, case ignored
                          ",bersama@mataramkota.go.id,2026-03-02\n"     // two employees: ambiguous
                          ",siapa@mataramkota.go.id,2026-03-03\n"       // nobody's
                          "123,satu@mataramkota.go.id,2026-03-04\n"     // a malformed NIP: the e-mail decides,
                          + TestNip(70) + ",satu@mataramkota.go.id,2026-03-05\n"  // a NIP not on the roster is not overridden
                          ",,2026-03-06\n";
  ElearningOptions opt;
  opt.course = "Etika";
  opt.jp = 4;
  auto rep = ImportElearning(*o.db, Parse(csv), "moodle.csv", opt);
  REQUIRE_OK(rep.status());
  // Line 5 is the same person and course as line 2: an error refusing the file.
  REQUIRE(rep->errors.size() == 1);
  CHECK(rep->errors[0].line == 5);

  const std::string fixed = "ID number,Email address,Course complete\n"
                            ",Satu@MataramKota.go.id ,2026-03-01\n"
                            ",bersama@mataramkota.go.id,2026-03-02\n"
                            ",siapa@mataramkota.go.id,2026-03-03\n"
                            + TestNip(70) + ",satu@mataramkota.go.id,2026-03-05\n"
                            ",,2026-03-06\n";
  rep = ImportElearning(*o.db, Parse(fixed), "moodle.csv", opt);
  REQUIRE_OK(rep.status());
  CHECK(rep->errors.empty());
  CHECK(rep->completions == 1);
  CHECK(o.Jp(2026, TestNip(1)) == 4);
  REQUIRE(rep->unmatched.size() == 4);  // listed, never dropped
  CHECK(rep->unmatched[0].line == 3);
  CHECK_THAT(rep->unmatched[0].reason, Catch::Contains("2 employees") && Catch::Contains(TestNip(2)) &&
                                           Catch::Contains(TestNip(3)));
  CHECK(rep->unmatched[1].line == 4);
  CHECK_THAT(rep->unmatched[1].reason, Catch::Contains("siapa@mataramkota.go.id"));
  CHECK(rep->unmatched[2].line == 5);
  CHECK_THAT(rep->unmatched[2].reason, Catch::Contains(TestNip(70)));
  CHECK(rep->unmatched[3].line == 6);
  CHECK_THAT(rep->unmatched[3].reason, Catch::Contains("no NIP and no e-mail"));

  // A file with an e-mail column and no NIP column at all.
  auto by_email = ImportElearning(*o.db, Parse("Email address,Course complete\nsatu@mataramkota.go.id,2026-03-01\n"),
                                  "moodle.csv", opt);
  REQUIRE_OK(by_email.status());
  CHECK(by_email->unchanged == 1);
  auto neither = ImportElearning(*o.db, Parse("Name,Course complete\nSatu,2026-03-01\n"), "moodle.csv", opt);
  CHECK(neither.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(neither.status().message(), Catch::Contains("nip"));
}

}  // namespace
}  // namespace latih::client
