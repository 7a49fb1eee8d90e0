// Programme impact (sync/sqlite/impact.h): JP per employee and the IKM of
// each year, per office and for the city, on seeded years.
#include "sync/sqlite/impact.h"

#include <catch2/catch.hpp>

#include "client/lib/office_db.h"
#include "sync/domain/ids.h"
#include "tests/support/test_support.h"

namespace latih::sync::sqlite {
namespace {

using test::TestNip;

TEST_CASE("impact puts each year's JP per employee next to that year's IKM", "[sync][reports][impact]") {
  test::TempDir dir;
  test::TestEnv t;
  auto db = test::MakeOffice(dir.File("i.db"), t.env);
  for (int i = 1; i <= 4; ++i) REQUIRE_OK(db->AddEmployee({TestNip(i), "P" + std::to_string(i), {}, {}, {}, {}}).status());
  auto attend = [&](const std::string& date, double jp, std::vector<int> who) {
    client::TrainingInput in{"T " + date, "4", "teknis", date, date, {}, {}, {}, {}, jp, {}};
    auto training = db->AddTraining(in);
    REQUIRE_OK(training.status());
    auto session = db->AddSession({*training, date, std::string("08:00"), {}, {}, {}});
    REQUIRE_OK(session.status());
    for (int n : who) {
      client::AttendInput a;
      a.session_id = *session;
      a.nip = TestNip(n);
      REQUIRE_OK(db->Attend(a).status());
    }
  };
  attend("2025-05-05", 8, {1, 2});        // 2025: 16 JP over 4 employees, nobody at 20
  attend("2026-02-02", 24, {1, 2, 3});    // 2026: 72 JP, three at 20 or more
  // SKM: two semesters of 2026 pool into the year; 2025 has none.
  REQUIRE_OK(db->AddSurvey({"2026-S1", "4,4,4,4,4,4,4,4,4", {}, {}, {}, {}, {}, {}}).status());
  REQUIRE_OK(db->AddSurvey({"2026-S2", "2,2,2,2,2,2,2,2,2", {}, {}, {}, {}, {}, {}}).status());
  REQUIRE_OK(db->AddSurvey({"2027-01", "1,1,1,1,1,1,1,1,1", {}, {}, {}, {}, {}, {}}).status());  // out of range

  const JpOfYear jp = [&](int year) { return JpReport(db->store(), year, std::nullopt, db->policy()); };
  auto rows = ImpactByYear(db->store(), 2025, 2026, std::nullopt, jp);
  REQUIRE_OK(rows.status());
  REQUIRE(rows->size() == 4);  // the office and the city, for each year
  const ImpactYear& y2025 = (*rows)[0];
  CHECK(y2025.office_id == db->office_id());
  CHECK(y2025.year == 2025);
  CHECK(y2025.employees == 4);
  CHECK(y2025.total_jp == 16);
  CHECK(y2025.pns_meeting == 0);
  CHECK_FALSE(y2025.ikm);
  CHECK((*rows)[1].office_id.empty());  // the city's row follows
  const ImpactYear& y2026 = (*rows)[2];
  CHECK(y2026.total_jp == 72);
  CHECK(y2026.pns == 4);
  CHECK(y2026.pns_meeting == 3);
  REQUIRE(y2026.ikm);
  CHECK(y2026.ikm->respondents == 2);
  CHECK(y2026.ikm->ikm_centi == 7500);  // mean score 3 of 4 on every unsur: 75.00
  REQUIRE((*rows)[3].ikm);
  CHECK((*rows)[3].ikm->ikm_centi == 7500);

  auto one = ImpactByYear(db->store(), 2026, 2026, db->office_id(), jp);
  REQUIRE_OK(one.status());
  REQUIRE(one->size() == 1);  // no city row for one office
  auto other = ImpactByYear(db->store(), 2026, 2026, std::string("52.71.01.1005"), jp);
  REQUIRE_OK(other.status());
  CHECK(other->empty());
}

TEST_CASE("impact counts each year's annual SKP predicates by the employee's office", "[sync][reports][impact][skp]") {
  test::TempDir dir;
  test::TestEnv t;
  auto db = test::MakeOffice(dir.File("s.db"), t.env);
  for (int i = 1; i <= 4; ++i) REQUIRE_OK(db->AddEmployee({TestNip(i), "P" + std::to_string(i), {}, {}, {}, {}}).status());
  auto skp = [&](int n, int year, const std::string& period, const std::string& hasil, const std::string& perilaku) {
    const std::string employee = domain::NaturalId("employee", {TestNip(n)});
    auto b = db->store().BeginWrite();
    REQUIRE_OK(b.status());
    const std::vector<ColumnValue> cols = {{"employee_id", employee}, {"office_id", db->office_id()},
                                           {"year", int64_t{year}},   {"period", period},
                                           {"hasil_kerja", hasil},     {"perilaku_kerja", perilaku}};
    REQUIRE_OK((*b)->Put("skp_assessment", domain::NaturalId("skp_assessment", {employee, std::to_string(year), period}),
                         cols).status());
    REQUIRE_OK((*b)->Commit());
  };
  skp(1, 2026, "tahunan", "di_atas", "di_atas");    // sangat baik
  skp(2, 2026, "tahunan", "sesuai", "sesuai");      // baik
  skp(3, 2026, "tahunan", "di_bawah", "di_bawah");  // sangat kurang
  skp(4, 2026, "Q1", "di_bawah", "sesuai");         // periodic: not counted
  skp(4, 2025, "tahunan", "di_bawah", "sesuai");    // butuh perbaikan, in 2025
  const JpOfYear jp = [&](int year) { return JpReport(db->store(), year, std::nullopt, db->policy()); };
  auto rows = ImpactByYear(db->store(), 2025, 2026, std::nullopt, jp);
  REQUIRE_OK(rows.status());
  REQUIRE(rows->size() == 4);
  CHECK((*rows)[0].skp_assessed == 1);
  CHECK((*rows)[0].skp[2] == 1);
  const ImpactYear& office = (*rows)[2];
  CHECK(office.skp_assessed == 3);
  CHECK(office.skp == std::array<int, 5>{1, 1, 0, 0, 1});
  CHECK((*rows)[3].skp == office.skp);  // the city
}

}  // namespace
}  // namespace latih::sync::sqlite
