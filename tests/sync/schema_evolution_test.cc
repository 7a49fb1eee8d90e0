// Wire schema evolution (sync/PROTOCOL.md §6, "Schema evolution"): a server
// of wire schema 2 serves a device still on schema 1, leaving out of its
// pulls what that schema lacks and keeping what it cannot send; the device,
// once updated, fetches what it skipped in one resumable snapshot that
// removes nothing it still needs.
#include <catch2/catch.hpp>

#include "schema/migrations.h"
#include "sync/domain/ids.h"
#include "sync/domain/skp.h"
#include "tests/support/sync_views.h"
#include "tests/sync/sync_fixture.h"

namespace latih::test {
namespace {

constexpr char kTraining[] = "01900000-0000-7000-8000-000000000001";  // MakeWorkshop's
constexpr char kOtherOffice[] = "52.71.01.1005";

void Put(TestReplica& r, const std::string& table, const std::string& id, std::vector<sync::ColumnValue> cols) {
  auto b = r.store().BeginWrite();
  REQUIRE_OK(b.status());
  REQUIRE_OK((*b)->Put(table, id, cols).status());
  REQUIRE_OK((*b)->Commit());
}

std::string SkpId(const std::string& nip, int year) {
  return domain::NaturalId("skp_assessment", {EmployeeId(nip), std::to_string(year), "tahunan"});
}

void PutSkp(TestReplica& r, const std::string& nip, int year, const std::string& hasil, const std::string& perilaku) {
  Put(r, "skp_assessment", SkpId(nip, year),
      {{"employee_id", EmployeeId(nip)}, {"office_id", std::string(kOffice)}, {"year", int64_t{year}},
       {"period", std::string("tahunan")}, {"hasil_kerja", hasil}, {"perilaku_kerja", perilaku}});
}

std::string Text(TestReplica& r, const std::string& sql) {
  auto s = r.store().db().PrepareOwned(sql);
  REQUIRE_OK(s.status());
  auto row = (*s)->Step();
  REQUIRE_OK(row.status());
  return *row ? (*s)->ColumnText(0) : "<none>";
}

struct World {
  TempDir dir;
  sync::Options options;
  TestReplica server{dir.File("server.db"), true, 1000, kStartMs};
  sync::sqlite::SyncServer hub{server.store(), server.clock(), options};
  LoopbackTransport net{hub, server.clock()};
  TestReplica old_device{dir.File("old.db"), false, 1, kStartMs, ClientSchema1()};
  TestReplica new_device{dir.File("new.db"), false, 2, kStartMs};

  sync::SyncReport Sync(TestReplica& r) {
    auto report = SyncOnce(r, net, options);
    REQUIRE_OK(report.status());
    return *report;
  }
};

TEST_CASE("a device of wire schema 1 is served without what schema 2 added and fetches it once updated",
          "[sync][schema]") {
  World w;
  REQUIRE(w.old_device.store().catalog().WireSchema() == 1);
  REQUIRE(w.new_device.store().catalog().WireSchema() == 2);
  REQUIRE(w.server.store().catalog().WireSchema() == sync::kWireSchemaVersion);
  const auto sessions = MakeWorkshop(w.server, 2);
  // HR records the workshop's budget; an updated device of the same office
  // records an e-mail address and an SKP.
  Put(w.server, "training", kTraining,
      {{"cost_planned", int64_t{5'000'000}}, {"cost_actual", int64_t{4'500'000}},
       {"funding_source", std::string("apbd_kota")}});
  PutEmployee(w.new_device, TestNip(1), "Ani");
  Put(w.new_device, "employee", EmployeeId(TestNip(1)), {{"email", std::string("ani@mataram.go.id")}});
  PutSkp(w.new_device, TestNip(1), 2025, "di_atas", "di_atas");
  w.Sync(w.new_device);

  // What the server sends a schema-1 device: no new table, no new column.
  sync::SyncRequest probe;
  probe.schema = 1;
  probe.node = w.old_device.store().node_id();
  probe.office = kOffice;
  probe.pull = sync::PullRequest{0, 1000, 1 << 20};
  auto answer = w.hub.Handle(probe, w.net.peer);
  REQUIRE_OK(answer.status());
  REQUIRE(answer->pull);
  int employees = 0, trainings = 0;
  for (const auto& row : answer->pull->rows) {
    INFO(row.table << " " << row.id);
    CHECK(row.table != "skp_assessment");
    for (const auto& cell : row.cells) {
      CHECK(cell.column != "email");
      CHECK(cell.column.rfind("cost_", 0) != 0);
      CHECK(cell.column != "funding_source");
    }
    employees += row.table == "employee";
    trainings += row.table == "training";
  }
  CHECK(employees == 1);
  CHECK(trainings == 1);
  // The same pull for schema 2 carries them.
  probe.schema = 2;
  answer = w.hub.Handle(probe, w.net.peer);
  REQUIRE_OK(answer.status());
  int skp = 0;
  for (const auto& row : answer->pull->rows) skp += row.table == "skp_assessment";
  CHECK(skp == 1);

  // The old device syncs: it gets the rows of its schema and its edits
  // reach the server without touching what it cannot see.
  w.Sync(w.old_device);
  CHECK(Cell(w.old_device, "employee", EmployeeId(TestNip(1)), "name") == "Ani");
  CHECK(w.old_device.store().catalog().Find("skp_assessment") == nullptr);
  Put(w.old_device, "employee", EmployeeId(TestNip(1)), {{"name", std::string("Ani Lestari")}});
  PutAttendance(w.old_device, sessions[0], TestNip(1), "hadir");
  w.Sync(w.old_device);
  CHECK(Cell(w.server, "employee", EmployeeId(TestNip(1)), "name") == "Ani Lestari");
  CHECK(Cell(w.server, "employee", EmployeeId(TestNip(1)), "email") == "ani@mataram.go.id");
  CHECK(Cell(w.server, "training", kTraining, "cost_actual") == "4500000");

  // Before the update: a change not pushed yet, and a row the server
  // refused (pushed while the device was taken for another office's).
  PutEmployee(w.old_device, TestNip(3), "Citra");
  w.net.peer.access = sync::sqlite::Access::Office(kOtherOffice);
  const auto refused = w.Sync(w.old_device);
  CHECK(refused.rows_refused == 1);
  w.net.peer.access = sync::sqlite::Access::All();
  PutAttendance(w.old_device, sessions[1], TestNip(1), "terlambat");

  // The update: the migration asks for a snapshot from the start.
  w.old_device.Upgrade();
  REQUIRE(w.old_device.store().catalog().WireSchema() == 2);
  CHECK(*w.old_device.store().SnapshotPending());
  const auto report = w.Sync(w.old_device);
  CHECK(report.snapshot);
  CHECK(report.rows_removed == 0);
  CHECK_FALSE(*w.old_device.store().SnapshotPending());
  CHECK(Cell(w.old_device, "employee", EmployeeId(TestNip(1)), "email") == "ani@mataram.go.id");
  CHECK(Cell(w.old_device, "training", kTraining, "cost_actual") == "4500000");
  CHECK(Cell(w.old_device, "training", kTraining, "funding_source") == "apbd_kota");
  CHECK(Text(w.old_device, "SELECT predicate FROM skp_assessment") == "sangat_baik");
  // The unpushed check-in reached the server; the refused row stayed here.
  CHECK(Cell(w.server, "attendance", AttendanceId(sessions[1], TestNip(1)), "status") == "terlambat");
  CHECK(Cell(w.old_device, "employee", EmployeeId(TestNip(3)), "name") == "Citra");
  CHECK(Cell(w.server, "employee", EmployeeId(TestNip(3)), "name") == "<absent>");
  // Once: the next session is an ordinary one.
  const auto next = w.Sync(w.old_device);
  CHECK_FALSE(next.snapshot);
  CHECK(next.round_trips == 1);
  w.Sync(w.new_device);
  CHECK(Cell(w.new_device, "attendance", AttendanceId(sessions[1], TestNip(1)), "status") == "terlambat");
  CHECK(Cell(w.new_device, "employee", EmployeeId(TestNip(1)), "name") == "Ani Lestari");
}

TEST_CASE("an updated device whose rows are all its own keeps every one through the snapshot", "[sync][schema]") {
  // Nothing on the server but this device's rows: a probe that left out
  // our own cells would find nothing to pull, end the snapshot at once and
  // remove everything we pushed.
  World w;
  PutEmployee(w.old_device, TestNip(1), "Ani");
  PutEmployee(w.old_device, TestNip(2), "Budi");
  w.Sync(w.old_device);
  w.old_device.Upgrade();
  const auto report = w.Sync(w.old_device);
  CHECK(report.snapshot);
  CHECK(report.rows_removed == 0);
  CHECK(Cell(w.old_device, "employee", EmployeeId(TestNip(1)), "name") == "Ani");
  CHECK(Cell(w.old_device, "employee", EmployeeId(TestNip(2)), "name") == "Budi");
}

TEST_CASE("a snapshot cut off midway goes on from its cursor in the next session", "[sync][schema]") {
  World w;
  w.options.max_batch_rows = w.options.min_batch_rows = w.options.max_batch_rows_limit = 2;
  const auto sessions = MakeWorkshop(w.server, 3);
  w.Sync(w.old_device);
  for (int i = 1; i <= 4; ++i) PutAttendance(w.old_device, sessions[0], TestNip(i), "hadir");
  w.Sync(w.old_device);
  w.old_device.Upgrade();
  w.net.fail_at = w.net.exchanges + 3;  // the hello and one pull get through
  CHECK_FALSE(SyncOnce(w.old_device, w.net, w.options).ok());
  auto state = w.old_device.store().LoadSyncState();
  REQUIRE_OK(state.status());
  CHECK(state->pull_cursor > 0);
  CHECK(*w.old_device.store().SnapshotPending());
  const auto report = w.Sync(w.old_device);
  CHECK(report.snapshot);
  CHECK(report.rows_removed == 0);
  CHECK(report.rows_pulled < 4 + 4 + 1 + 3);  // from where it stopped, not from the start
  CHECK_FALSE(*w.old_device.store().SnapshotPending());
  for (int i = 1; i <= 4; ++i) {
    CHECK(Cell(w.old_device, "attendance", AttendanceId(sessions[0], TestNip(i)), "status") == "hadir");
  }
  CHECK(w.old_device.Dump() == w.server.Dump());
}

TEST_CASE("a device of a wire schema the server does not serve is refused with what to update", "[sync][schema]") {
  World w;
  sync::SyncRequest request;
  request.node = 7;
  request.office = kOffice;
  request.pull = sync::PullRequest{0, 10, 1 << 16};
  request.schema = sync::kWireSchemaVersion + 1;
  auto newer = w.hub.Handle(request, w.net.peer);
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.status().code() == StatusCode::kProtocolMismatch);
  CHECK_THAT(newer.status().message(), Catch::Contains("update latih on the server"));
  request.schema = sync::kMinWireSchemaVersion - 1;
  auto older = w.hub.Handle(request, w.net.peer);
  REQUIRE_FALSE(older.ok());
  CHECK_THAT(older.status().message(), Catch::Contains("update latih on the device"));
}

TEST_CASE("the stored SKP predicate is the matrix's for all nine ratings, SQLite and the domain rule alike",
          "[sync][schema][skp]") {
  World w;
  PutEmployee(w.server, TestNip(1), "Ani");
  const domain::SkpRating ratings[] = {domain::SkpRating::kAbove, domain::SkpRating::kAsExpected,
                                       domain::SkpRating::kBelow};
  int year = 2022;
  for (auto hasil : ratings) {
    for (auto perilaku : ratings) {
      PutSkp(w.server, TestNip(1), year, std::string(domain::SkpRatingCode(hasil)),
             std::string(domain::SkpRatingCode(perilaku)));
      INFO(domain::SkpRatingCode(hasil) << " x " << domain::SkpRatingCode(perilaku));
      CHECK(Text(w.server, "SELECT predicate FROM skp_assessment WHERE year = " + std::to_string(year)) ==
            domain::SkpPredicateCode(domain::DeriveSkpPredicate(hasil, perilaku)));
      ++year;
    }
  }
  // A rating edited later moves the predicate with it (it is never stored).
  Put(w.server, "skp_assessment", SkpId(TestNip(1), 2022), {{"perilaku_kerja", std::string("di_bawah")}});
  CHECK(Text(w.server, "SELECT predicate FROM skp_assessment WHERE year = 2022") == "kurang");
}

}  // namespace
}  // namespace latih::test
