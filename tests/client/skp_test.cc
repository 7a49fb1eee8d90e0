// SKP on the device (docs/SKP.md): periods and predicates as e-Kinerja and
// people write them, one row per employee, year and period whose predicate
// the schema derives, and the e-Kinerja import: all or nothing, every bad
// line listed, re-import unchanged, a changed rating updating its row.
#include <catch2/catch.hpp>

#include "client/lib/importers.h"
#include "tests/support/sync_views.h"
#include "tests/support/test_support.h"

namespace latih::client {
namespace {

using test::TempDir;
using test::TestEnv;
using test::TestNip;

CsvTable Parse(const std::string& text) {
  auto t = ParseCsv(text, "skp.csv");
  REQUIRE_OK(t.status());
  return *t;
}

struct Office {
  TempDir dir;
  TestEnv t;
  std::unique_ptr<OfficeDb> db = test::MakeOffice(dir.File("s.db"), t.env);
  Office() {
    for (int i = 1; i <= 4; ++i) {
      REQUIRE_OK(db->AddEmployee({TestNip(i), "Pegawai " + std::to_string(i), {}, {}, {}, {}}).status());
    }
  }
  int64_t Count(const std::string& sql) { return test::Count(db->store(), sql); }
  std::string PredicateOf(int nip, int year, const std::string& period = "tahunan") {
    auto rows = db->ListSkp(year);
    REQUIRE_OK(rows.status());
    for (const auto& r : *rows) {
      if (r.nip == TestNip(nip) && r.period == period) return r.predicate;
    }
    return "";
  }
};

TEST_CASE("skp periods are read as e-Kinerja and people write them", "[client][skp]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "tahunan"}, {"Tahunan", "tahunan"}, {"Q2", "Q2"}, {"TW 3", "Q3"}, {"tw-4", "Q4"},
      {"Triwulan 1", "Q1"}, {"Triwulan II", "Q2"}, {"3", "03"}, {"03", "03"}, {"12", "12"},
      {"Maret", "03"}, {"agustus", "08"}, {"Dec", "12"}, {"bulan 7", "07"}};
  for (const auto& c : cases) {
    INFO(c.first);
    auto p = ParseSkpPeriod(c.first);
    REQUIRE_OK(p.status());
    CHECK(*p == c.second);
  }
  for (const char* bad : {"Q5", "13", "0", "triwulan", "2025", "semester 1"}) {
    INFO(bad);
    CHECK(ParseSkpPeriod(bad).status().code() == StatusCode::kInvalidArgument);
  }
  CHECK(*ParseSkpPredicate("Sangat Baik") == domain::SkpPredicate::kSangatBaik);
  CHECK(*ParseSkpPredicate("butuh_perbaikan") == domain::SkpPredicate::kButuhPerbaikan);
  CHECK(*ParseSkpPredicate("Kurang/Misconduct") == domain::SkpPredicate::kKurang);
  CHECK(*ParseSkpPredicate("misconduct") == domain::SkpPredicate::kKurang);
  CHECK(*ParseSkpPredicate("5") == domain::SkpPredicate::kSangatKurang);
  CHECK_THAT(ParseSkpPredicate("Istimewa").status().message(), Catch::Contains("Istimewa"));
}

TEST_CASE("latih skp add stores the ratings and reads the predicate the schema derives", "[client][skp]") {
  Office o;
  SkpInput in{TestNip(1), 2025, "tahunan", "Di Atas Ekspektasi", "diatas", "2026-01-15", TestNip(4), "Kepala"};
  const auto before = test::Snapshot(o.db->store());
  const int64_t seq = test::MaxSeq(o.db->store());
  auto out = o.db->RecordSkp(in);
  REQUIRE_OK(out.status());
  CHECK(out->put.created);
  CHECK(out->predicate == domain::SkpPredicate::kSangatBaik);
  CHECK(test::RequireEveryChangeLogged(o.db->store(), before, seq) > 0);
  CHECK(o.PredicateOf(1, 2025) == "sangat_baik");
  CHECK(o.Count("SELECT count(*) FROM skp_assessment WHERE office_id = '" + o.db->office_id() +
                "' AND assessor_nip = '" + TestNip(4) + "' AND assessed_on = '2026-01-15'") == 1);

  // The same again: unchanged. A lower rating: the same row, a new predicate.
  CHECK(o.db->RecordSkp(in)->put.changed.empty());
  in.perilaku_kerja = "3";  // SIASN: below expectation
  auto lower = o.db->RecordSkp(in);
  REQUIRE_OK(lower.status());
  CHECK_FALSE(lower->put.created);
  CHECK(lower->put.changed == std::vector<std::string>{"perilaku_kerja"});
  CHECK(o.PredicateOf(1, 2025) == "kurang");
  CHECK(o.Count("SELECT count(*) FROM skp_assessment") == 1);

  // Refusals name the field and the value.
  SkpInput bad{TestNip(2), 2025, "tahunan", "luar biasa", "sesuai", {}, {}, {}};
  CHECK_THAT(o.db->RecordSkp(bad).status().message(), Catch::Contains("hasil kerja") && Catch::Contains("luar biasa"));
  bad.hasil_kerja = "sesuai";
  bad.year = 2021;
  CHECK_THAT(o.db->RecordSkp(bad).status().message(), Catch::Contains("2021"));
  bad.year = 2025;
  bad.period = "Q7";
  CHECK_THAT(o.db->RecordSkp(bad).status().message(), Catch::Contains("Q7"));
  bad.period = "Q1";
  bad.assessed_on = "2025-02-30";
  CHECK_THAT(o.db->RecordSkp(bad).status().message(), Catch::Contains("2025-02-30"));
  bad.assessed_on.reset();
  bad.nip = TestNip(40);
  CHECK(o.db->RecordSkp(bad).status().code() == StatusCode::kNotFound);
}

TEST_CASE("an e-Kinerja skp export imports by header name and again changes nothing", "[client][skp][import]") {
  Office o;
  const std::string csv = "No;NIP Pegawai;Nama;Tahun;Periode;Rating Hasil Kerja;Rating Perilaku Kerja;"
                          "Predikat Kinerja;Tanggal Penilaian;NIP Penilai;Nama Penilai\n"
                          "1;" + TestNip(1) + ";Pegawai 1;2025;Tahunan;Di Atas Ekspektasi;Di Atas Ekspektasi;"
                          "Sangat Baik;2026-01-10;" + TestNip(4) + ";Lurah\n"
                          "2;" + TestNip(2) + ";Pegawai 2;2025;;Sesuai Ekspektasi;Di Atas Ekspektasi;Baik;;;\n"
                          "3;" + TestNip(3) + ";Pegawai 3;2025;Tahunan;Di Bawah Ekspektasi;Sesuai Ekspektasi;;;;\n"
                          "4;" + TestNip(3) + ";Pegawai 3;2025;TW 4;Sesuai Ekspektasi;Sesuai Ekspektasi;Baik;;;\n";
  auto rep = ImportSkp(*o.db, Parse(csv), "skp.csv");
  REQUIRE_OK(rep.status());
  CHECK(rep->errors.empty());
  CHECK(rep->records == 4);
  CHECK(rep->created == 4);
  CHECK(o.PredicateOf(1, 2025) == "sangat_baik");
  CHECK(o.PredicateOf(2, 2025) == "baik");
  CHECK(o.PredicateOf(3, 2025) == "butuh_perbaikan");
  CHECK(o.PredicateOf(3, 2025, "Q4") == "baik");

  const int64_t seq = test::MaxSeq(o.db->store());
  auto again = ImportSkp(*o.db, Parse(csv), "skp.csv");
  REQUIRE_OK(again.status());
  CHECK(again->unchanged == 4);
  CHECK(again->created + again->updated == 0);
  CHECK(test::MaxSeq(o.db->store()) == seq);

  // A corrected export: the changed rating updates its row.
  const std::string corrected = "nip,tahun,hasil kerja,perilaku kerja\n" + TestNip(3) + ",2025,sesuai,sesuai\n";
  auto fix = ImportSkp(*o.db, Parse(corrected), "skp2.csv");
  REQUIRE_OK(fix.status());
  CHECK(fix->updated == 1);
  CHECK(o.PredicateOf(3, 2025) == "baik");
  CHECK(o.Count("SELECT count(*) FROM skp_assessment") == 4);
}

TEST_CASE("an skp file with bad lines lists every one and imports nothing", "[client][skp][import]") {
  Office o;
  const std::string csv = "nip,tahun,periode,hasil kerja,perilaku kerja,predikat\n" +
                          TestNip(1) + ",2025,tahunan,di atas,di atas,Sangat Baik\n" +  // line 2: fine
                          TestNip(2) + ",2025,tahunan,luar biasa,sesuai,\n" +           // 3: bad rating
                          TestNip(3) + ",2025,tahunan,di atas,di atas,Baik\n" +          // 4: predikat mismatch
                          TestNip(40) + ",2025,tahunan,sesuai,sesuai,\n" +               // 5: not on the roster
                          TestNip(1) + ",2025,Tahunan,sesuai,sesuai,\n" +                // 6: twice
                          TestNip(4) + ",dua ribu,tahunan,sesuai,sesuai,\n" +            // 7: year
                          TestNip(4) + ",2025,Q9,sesuai,sesuai,\n" +                      // 8: period
                          TestNip(4) + ",2025,Q1,sesuai,sesuai,Istimewa\n";               // 9: no such predicate
  auto rep = ImportSkp(*o.db, Parse(csv), "skp.csv");
  REQUIRE_OK(rep.status());
  REQUIRE(rep->errors.size() == 7);
  CHECK(rep->errors[0].line == 3);
  CHECK_THAT(rep->errors[0].message, Catch::Contains("luar biasa"));
  CHECK(rep->errors[1].line == 4);
  CHECK_THAT(rep->errors[1].message, Catch::Contains("'Baik'") && Catch::Contains("Di Atas Ekspektasi") &&
                                         Catch::Contains("Sangat Baik"));
  CHECK(rep->errors[2].line == 5);
  CHECK_THAT(rep->errors[2].message, Catch::Contains(TestNip(40)));
  CHECK(rep->errors[3].line == 6);
  CHECK(rep->errors[4].line == 7);
  CHECK_THAT(rep->errors[4].message, Catch::Contains("dua ribu"));
  CHECK(rep->errors[5].line == 8);
  CHECK(rep->errors[6].line == 9);
  CHECK(o.Count("SELECT count(*) FROM skp_assessment") == 0);

  auto missing = ImportSkp(*o.db, Parse("nip,tahun,hasil kerja\n"), "skp.csv");
  CHECK(missing.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(missing.status().message(), Catch::Contains("perilaku"));
}

}  // namespace
}  // namespace latih::client
