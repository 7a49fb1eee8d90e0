// The 20-JP reminder list (sync/sqlite/reminders.h) on a seeded year: who
// is below the minimum, how much each still needs, and which trainings
// still to start this year would cover it.
#include "sync/sqlite/reminders.h"

#include <catch2/catch.hpp>

#include "client/lib/office_db.h"
#include "tests/support/test_support.h"

namespace latih::sync::sqlite {
namespace {

using client::OfficeDb;
using test::TempDir;
using test::TestEnv;
using test::TestNip;

struct Year2026 {
  TempDir dir;
  TestEnv t;
  std::unique_ptr<OfficeDb> db = test::MakeOffice(dir.File("r.db"), t.env);

  std::string Training(const std::string& title, double jp, const std::string& start,
                       std::optional<std::string> office = std::nullopt) {
    client::TrainingInput in{title, "4", "teknis", start, start, {}, {}, {}, {}, jp, {}};
    auto id = db->AddTraining(in);
    REQUIRE_OK(id.status());
    if (office) {  // a global training ("") or another office's, as a sync would bring it
      auto batch = db->store().BeginWrite();
      REQUIRE_OK(batch.status());
      const Value owner = office->empty() ? Value() : Value(*office);
      const ColumnValue cols[] = {{"office_id", owner}};
      REQUIRE_OK((*batch)->Put("training", *id, cols).status());
      REQUIRE_OK((*batch)->Commit());
    }
    return *id;
  }
  void Attended(const std::string& training, const std::string& date, const std::string& nip) {
    auto s = db->AddSession({training, date, std::string("08:00"), {}, {}, {}});
    REQUIRE_OK(s.status());
    client::AttendInput in;
    in.session_id = *s;
    in.nip = nip;
    REQUIRE_OK(db->Attend(in).status());
  }
  ReminderList Report(int year, const std::string& today) {
    auto jp = JpReport(db->store(), year, db->office_id(), db->policy());
    REQUIRE_OK(jp.status());
    auto r = ReminderReport(db->store(), year, today, *jp, db->policy());
    REQUIRE_OK(r.status());
    return *r;
  }
};

std::vector<std::string> Titles(const ReminderList& list, const Reminder& r) {
  std::vector<std::string> titles;
  for (size_t i : r.suggested) titles.push_back(list.upcoming[i].title);
  return titles;
}

TEST_CASE("the reminder list names the PNS below 20 JP, what they still need and the trainings that cover it",
          "[sync][reports][reminders]") {
  Year2026 y;
  const std::string ani = TestNip(1), budi = TestNip(2), citra = TestNip(3);
  const std::string dewi = "199505052022212004";  // PPPK: a cap, no minimum
  for (auto [nip, name] : {std::pair{ani, "Ani"}, {budi, "Budi"}, {citra, "Citra"}, {dewi, "Dewi"}}) {
    REQUIRE_OK(y.db->AddEmployee({nip, std::string(name), {}, {}, {}, {}}).status());
  }
  const std::string past = y.Training("Bimtek Arsip", 12, "2026-03-02");
  y.Attended(past, "2026-03-02", ani);    // Ani 12: needs 8
  const std::string big = y.Training("Diklat Pelayanan", 20, "2026-04-06");
  y.Attended(big, "2026-04-06", citra);   // Citra 20: meets the minimum
  // Still to come (today is 2026-06-01), in date order:
  y.Training("Webinar Etika", 2, "2026-06-01", "");                  // global, today: counts
  y.Training("Bimtek Kelurahan Lain", 30, "2026-06-05", "52.71.01.1005");  // another office's: never
  y.Training("Bimtek Kearsipan II", 8, "2026-06-10");                // this office's
  y.Training("Seminar SPBE", 6, "2026-09-14", "");                   // global
  y.Training("Diklat 2027", 40, "2027-01-11", "");                   // next year: not this year's JP
  y.Training("Sosialisasi Mei", 4, "2026-05-20");                    // already started

  const ReminderList list = y.Report(2026, "2026-06-01");
  REQUIRE(list.upcoming.size() == 4);
  CHECK(list.upcoming[0].title == "Webinar Etika");
  CHECK(list.upcoming[0].office_id.empty());
  CHECK(list.upcoming[3].title == "Seminar SPBE");
  REQUIRE(list.people.size() == 2);  // Ani and Budi; not Citra (20 JP), not Dewi (PPPK)

  const Reminder& a = list.people[0];
  CHECK(a.person.nip == ani);
  CHECK(a.jp_needed == 8);
  CHECK(Titles(list, a) == std::vector<std::string>{"Webinar Etika", "Bimtek Kearsipan II"});
  CHECK(a.jp_suggested == 10);
  CHECK(a.covered);

  const Reminder& b = list.people[1];
  CHECK(b.person.nip == budi);
  CHECK(b.jp_needed == 20);
  CHECK(Titles(list, b) == std::vector<std::string>{"Webinar Etika", "Bimtek Kearsipan II", "Seminar SPBE"});
  CHECK(b.jp_suggested == 16);
  CHECK_FALSE(b.covered);  // the year has not enough left: HR must plan more

  // Later in the year fewer trainings are left; a past year has none.
  const ReminderList october = y.Report(2026, "2026-10-01");
  CHECK(october.upcoming.empty());
  CHECK(october.people.size() == 2);
  CHECK(october.people[0].suggested.empty());
  const ReminderList past_year = y.Report(2025, "2026-06-01");
  CHECK(past_year.upcoming.empty());
  CHECK(past_year.people.size() == 4 - 1);  // everyone PNS had 0 JP in 2025

  auto jp = JpReport(y.db->store(), 2026, y.db->office_id(), y.db->policy());
  CHECK(ReminderReport(y.db->store(), 2026, "1 Juni", *jp, y.db->policy()).status().code() ==
        StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace latih::sync::sqlite
