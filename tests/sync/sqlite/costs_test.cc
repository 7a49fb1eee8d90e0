// What the training budget buys (sync/sqlite/costs.h): cost per participant
// and per JP credited, per training and summed by office, competency,
// route and funding source, on a seeded year.
#include "sync/sqlite/costs.h"

#include <catch2/catch.hpp>

#include "client/lib/office_db.h"
#include "tests/support/test_support.h"

namespace latih::sync::sqlite {
namespace {

using test::TestNip;

struct Year {
  test::TempDir dir;
  test::TestEnv t;
  std::unique_ptr<client::OfficeDb> db = test::MakeOffice(dir.File("c.db"), t.env);

  Year() {
    for (int i = 1; i <= 5; ++i) {
      REQUIRE_OK(db->AddEmployee({TestNip(i), "P" + std::to_string(i), {}, {}, {}, {}}).status());
    }
  }

  // A one-session training on `date` attended (hadir) by `who`, with the
  // costs given (absent: not recorded).
  std::string Training(const std::string& date, double jp, const std::string& competency, std::vector<int> who,
                       std::optional<int64_t> planned, std::optional<int64_t> actual,
                       std::optional<std::string> funding) {
    client::TrainingInput in;
    in.title = "T " + date;
    in.form = "4";
    in.competency = competency;
    in.start_date = in.end_date = date;
    in.jp = jp;
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
    auto b = db->store().BeginWrite();
    REQUIRE_OK(b.status());
    const std::vector<ColumnValue> cols = {{"cost_planned", planned ? Value(*planned) : Value()},
                                           {"cost_actual", actual ? Value(*actual) : Value()},
                                           {"funding_source", funding ? Value(*funding) : Value()}};
    REQUIRE_OK((*b)->Put("training", *training, cols).status());
    REQUIRE_OK((*b)->Commit());
    return *training;
  }
};

const CostLine& Find(const std::vector<CostLine>& lines, const std::string& key) {
  for (const auto& l : lines) {
    if (l.key == key) return l;
  }
  FAIL("no line " << key);
  return lines.front();
}

TEST_CASE("cost per participant and per JP credited count only trainings with an actual cost",
          "[sync][reports][costs]") {
  Year y;
  // 4 people x 8 JP for 8,000,000 of 10,000,000 planned: 2,000,000 a seat,
  // 250,000 a JP. The one marked alpa is no seat.
  const std::string t1 = y.Training("2026-03-02", 8, "teknis", {1, 2, 3, 4}, 10'000'000, 8'000'000, "apbd_kota");
  auto sessions = y.db->store().Select("session", std::nullopt);
  REQUIRE_OK(sessions.status());
  REQUIRE(sessions->size() == 1);
  client::AttendInput absent;
  absent.session_id = sessions->front().id;
  absent.nip = TestNip(5);
  absent.status = "alpa";
  REQUIRE_OK(y.db->Attend(absent).status());
  // Planned only: counted, never divided.
  y.Training("2026-04-01", 24, "teknis", {1}, 6'000'000, std::nullopt, std::nullopt);
  // Actual only: 2 seats, 8 JP, 1,000,000.
  y.Training("2026-05-05", 4, "manajerial", {1, 2}, std::nullopt, 1'000'000, "apbn");
  // No cost at all, and another year's: not in the report.
  y.Training("2026-06-06", 8, "teknis", {1, 2, 3}, std::nullopt, std::nullopt, std::nullopt);
  y.Training("2025-06-06", 8, "teknis", {1, 2, 3}, 1'000, 1'000, "apbn");

  auto report = CostsOfYear(y.db->store(), 2026, std::nullopt);
  REQUIRE_OK(report.status());
  REQUIRE(report->trainings.size() == 3);
  const CostLine& first = report->trainings[0];
  CHECK(first.key == t1);
  CHECK(first.participants == 4);
  CHECK(first.jp == 32);
  CHECK(first.per_participant == 2'000'000);
  CHECK(first.per_jp == 250'000);
  CHECK(first.realization == Approx(0.8));
  const CostLine& planned_only = report->trainings[1];
  CHECK(planned_only.participants == 1);
  CHECK(planned_only.with_actual == 0);
  CHECK_FALSE(planned_only.per_participant);
  CHECK_FALSE(planned_only.per_jp);
  CHECK_FALSE(planned_only.realization);

  const CostLine& total = report->total;
  CHECK(total.trainings == 3);
  CHECK(total.with_planned == 2);
  CHECK(total.with_actual == 2);
  CHECK(total.planned == 16'000'000);
  CHECK(total.actual == 9'000'000);
  CHECK(total.participants == 6);  // the planned-only training's seat is not among them
  CHECK(total.jp == 40);
  CHECK(total.per_participant == 1'500'000);
  CHECK(total.per_jp == 225'000);
  CHECK(total.realization == Approx(0.8));  // only the training with both costs

  CHECK(Find(report->by_competency, "teknis").actual == 8'000'000);
  CHECK(Find(report->by_competency, "teknis").trainings == 2);
  CHECK(Find(report->by_competency, "manajerial").per_jp == 125'000);
  CHECK(Find(report->by_funding, "").trainings == 1);
  CHECK(Find(report->by_funding, "apbn").per_participant == 500'000);
  CHECK(Find(report->by_route, "klasikal").actual == 9'000'000);
  REQUIRE(report->by_office.size() == 1);
  CHECK(report->by_office[0].key == y.db->office_id());

  auto other = CostsOfYear(y.db->store(), 2026, std::string("52.71.01.1005"));
  REQUIRE_OK(other.status());
  CHECK(other->trainings.empty());
  CHECK(other->total.trainings == 0);
  CHECK_FALSE(other->total.per_jp);
}

}  // namespace
}  // namespace latih::sync::sqlite
