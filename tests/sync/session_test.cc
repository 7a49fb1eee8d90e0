// One-shot sync sessions between client replicas and a server replica over
// the in-process loopback: convergence, exactly-once pushes, conflicts,
// deletes, and the clock rules of sync/PROTOCOL.md.
#include "sync/session.h"

#include <catch2/catch.hpp>

#include "sync/domain/ids.h"
#include "tests/support/sync_views.h"
#include "tests/sync/sync_fixture.h"

namespace latih::test {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kHourMs = 3600LL * 1000;

struct World {
  TempDir dir;
  sync::Options options;
  TestReplica server{dir.File("server.db"), true, 1000, kStartMs};
  sync::sqlite::SyncServer hub{server.store(), server.clock(), options};
  LoopbackTransport net{hub, server.clock()};
  TestReplica a{dir.File("a.db"), false, 1, kStartMs};
  TestReplica b{dir.File("b.db"), false, 2, kStartMs};
  std::vector<std::string> sessions = MakeWorkshop(server, 3);
  bool ready = InitialSync();

  bool InitialSync() {  // both offices receive the workshop
    Sync(a);
    Sync(b);
    return true;
  }

  sync::SyncReport Sync(TestReplica& r) {
    auto report = SyncOnce(r, net, options);
    REQUIRE_OK(report.status());
    return *report;
  }
  void Advance(int64_t ms) {
    for (auto* r : {&server, &a, &b}) r->clock().Advance(ms);
  }
  // Device a's `rows` changes reached the server in batches audited once
  // (no two overlap), a has nothing left to push, and b then converges.
  void RequireAppliedOnce(int64_t rows) {
    const std::string node = std::to_string(a.store().node_id());
    CHECK(Count(server.store(), "SELECT sum(rows) FROM sync_audit WHERE node = " + node) == rows);
    CHECK(Count(server.store(), "SELECT count(*) FROM sync_audit x JOIN sync_audit y ON x.id < y.id "
                                "AND x.node = y.node AND x.first_seq <= y.last_seq AND y.first_seq <= x.last_seq") == 0);
    CHECK(*a.store().CountLocalCells() == 0);
    Sync(b);
    RequireConverged();
  }
  void RequireConverged() {
    const std::string s = server.Dump();
    CHECK(a.Dump() == s);
    CHECK(b.Dump() == s);
  }
};

TEST_CASE("offline edits on two offices converge through the server", "[sync][session]") {
  World w;
  PutEmployee(w.a, TestNip(1), "Ani");
  PutAttendance(w.a, w.sessions[0], TestNip(1), "hadir");
  PutEmployee(w.b, TestNip(2), "Budi");
  w.Sync(w.a);
  w.Sync(w.b);
  w.Sync(w.a);
  w.RequireConverged();
  CHECK(Cell(w.b, "employee", EmployeeId(TestNip(1)), "name") == "Ani");
  CHECK(Cell(w.a, "employee", EmployeeId(TestNip(2)), "name") == "Budi");
  CHECK(*w.a.store().CountLocalCells() == 0);  // everything acknowledged
}

TEST_CASE("an up-to-date client syncs in one round trip", "[sync][session]") {
  World w;
  w.Sync(w.a);
  const auto report = w.Sync(w.a);
  CHECK(report.round_trips == 1);
  CHECK(report.rows_pushed == 0);
  CHECK(report.rows_pulled == 0);
}

TEST_CASE("a lost acknowledgement is made good by the next session and the server applies the batch once",
          "[sync][session]") {
  World w;
  w.Sync(w.a);
  PutEmployee(w.a, TestNip(3), "Citra");
  w.net.exchanges = 0;
  w.net.lose_response_at = 2;  // 1: hello, 2: the push
  auto cut = SyncOnce(w.a, w.net, w.options);
  CHECK(cut.status().code() == StatusCode::kUnavailable);
  CHECK(Cell(w.server, "employee", EmployeeId(TestNip(3)), "name") == "Citra");  // it was applied
  CHECK(*w.a.store().CountLocalCells() > 0);  // but not acknowledged
  w.net.lose_response_at = 0;
  SECTION("unchanged since, it is confirmed, not sent again") {
    const auto retry = w.Sync(w.a);
    CHECK(retry.rows_confirmed == 1);
    CHECK(retry.rows_pushed == 0);
  }
  SECTION("written again since, it is pushed again") {
    PutEmployee(w.a, TestNip(3), "Citra Dewi");
    const auto retry = w.Sync(w.a);
    CHECK(retry.rows_confirmed == 0);
    CHECK(retry.rows_pushed == 1);
    CHECK(Cell(w.server, "employee", EmployeeId(TestNip(3)), "name") == "Citra Dewi");
  }
  w.Sync(w.b);
  w.RequireConverged();
  CHECK(CountConflicts(w.server) == 0);
  CHECK(*w.a.store().CountLocalCells() == 0);
}

TEST_CASE("duplicated deliveries change nothing", "[sync][session]") {
  World w;
  w.net.duplicate_push = true;
  PutAttendance(w.a, w.sessions[1], TestNip(4), "izin");
  w.Sync(w.a);
  w.Sync(w.b);
  w.RequireConverged();
  CHECK(CountConflicts(w.server) == 0);
  CHECK(*w.server.store().CountRows("attendance") == 1);
}

TEST_CASE("concurrent edits: the later wins everywhere and the loser is recorded", "[sync][session]") {
  World w;
  PutEmployee(w.a, TestNip(5), "Dewi");
  w.Sync(w.a);
  w.Sync(w.b);
  PutEmployee(w.a, TestNip(5), "Dewi A");
  w.Advance(1000);
  PutEmployee(w.b, TestNip(5), "Dewi B");
  w.Sync(w.a);
  w.Sync(w.b);
  w.Sync(w.a);
  w.RequireConverged();
  CHECK(Cell(w.server, "employee", EmployeeId(TestNip(5)), "name") == "Dewi B");
  auto s = w.server.store().db().PrepareOwned("SELECT col, loser_value, winner_value FROM sync_conflict");
  REQUIRE(*(*s)->Step());
  CHECK((*s)->ColumnText(0) == "name");
  CHECK((*s)->ColumnText(1) == "\"Dewi A\"");
  CHECK((*s)->ColumnText(2) == "\"Dewi B\"");
}

TEST_CASE("two offices recording the same attendance make one row", "[sync][session]") {
  World w;
  w.Sync(w.a);
  w.Sync(w.b);
  PutAttendance(w.a, w.sessions[0], TestNip(6), "hadir");
  w.Advance(500);
  PutAttendance(w.b, w.sessions[0], TestNip(6), "terlambat");
  w.Sync(w.a);
  w.Sync(w.b);
  w.Sync(w.a);
  w.RequireConverged();
  CHECK(*w.server.store().CountRows("attendance") == 1);
  CHECK(*w.server.store().CountRows("employee") == 1);
  CHECK(Cell(w.a, "attendance", AttendanceId(w.sessions[0], TestNip(6)), "status") == "terlambat");
  CHECK(CountConflicts(w.server) >= 1);  // the differing status is kept as a loser
}

void DeleteAttendance(TestReplica& r, const std::string& id) {
  auto b = r.store().BeginWrite();
  REQUIRE_OK((*b)->Delete("attendance", id));
  REQUIRE_OK((*b)->Commit());
}

TEST_CASE("an edit made after a delete brings the row back, a stale edit does not", "[sync][session]") {
  World w;
  PutAttendance(w.a, w.sessions[0], TestNip(7), "hadir");
  w.Sync(w.a);
  w.Sync(w.b);
  const std::string id = AttendanceId(w.sessions[0], TestNip(7));
  SECTION("edit before the delete (stale): the row stays deleted") {
    PutAttendance(w.b, w.sessions[0], TestNip(7), "sakit");
    w.Advance(1000);
    DeleteAttendance(w.a, id);
    w.Sync(w.b);
    w.Sync(w.a);
    w.Sync(w.b);
    w.RequireConverged();
    CHECK(Cell(w.server, "attendance", id, "status") == "<absent>");
  }
  SECTION("edit after the delete: the row comes back with every column") {
    DeleteAttendance(w.a, id);
    w.Advance(1000);
    PutAttendance(w.b, w.sessions[0], TestNip(7), "izin");
    w.Sync(w.a);
    w.Sync(w.b);
    w.Sync(w.a);
    w.RequireConverged();
    CHECK(Cell(w.server, "attendance", id, "status") == "izin");
    CHECK(Cell(w.a, "attendance", id, "method") == "manual");
  }
}

TEST_CASE("a device clock three days fast does not win by its clock", "[sync][session][clock]") {
  World w;
  w.Sync(w.a);
  w.Sync(w.b);
  w.a.clock().Advance(3 * kDayMs);  // the office PC's clock is three days ahead
  PutEmployee(w.a, TestNip(8), "Fast");
  w.Advance(kHourMs);
  PutEmployee(w.b, TestNip(8), "Right");  // an hour later in real time
  const auto report = w.Sync(w.a);
  CHECK(report.clock_skewed);
  CHECK(report.rows_restamped >= 1);
  CHECK(report.clock_offset_ms < -2 * kDayMs);
  w.Sync(w.b);
  w.Sync(w.a);
  w.RequireConverged();
  CHECK(Cell(w.server, "employee", EmployeeId(TestNip(8)), "name") == "Right");
  // The server's clock was never dragged forward by the fast device.
  auto last = w.server.store().db().PrepareOwned("SELECT last_hlc FROM replica");
  REQUIRE(*(*last)->Step());
  CHECK(sync::HlcPhysicalMs((*last)->ColumnInt(0)) < w.server.clock().NowUnixMs() + w.options.max_ahead_ms);
}

TEST_CASE("a device clock two days slow does not lose by its clock", "[sync][session][clock]") {
  World w;
  w.Sync(w.a);
  w.Sync(w.b);
  PutEmployee(w.b, TestNip(9), "Earlier");
  w.Advance(kHourMs);
  w.a.clock().Advance(-2 * kDayMs);  // two days behind
  PutEmployee(w.a, TestNip(9), "Later");  // an hour later in real time
  w.Sync(w.b);
  w.Sync(w.a);
  w.Sync(w.b);
  w.RequireConverged();
  CHECK(Cell(w.server, "employee", EmployeeId(TestNip(9)), "name") == "Later");
}

TEST_CASE("versions too far ahead of the server are refused and re-stamped", "[sync][session][clock]") {
  World w;
  w.Sync(w.a);  // measures offset 0
  w.a.clock().Advance(7 * kDayMs);  // the clock jumps a week ahead between two syncs
  PutEmployee(w.a, TestNip(10), "Jump");
  // Lose the first answer so the stored offset is still 0 when pushing: the
  // server must refuse the far-future stamps itself.
  w.net.exchanges = 0;
  w.net.fail_at = 1;
  CHECK(SyncOnce(w.a, w.net, w.options).status().code() == StatusCode::kUnavailable);
  w.net.fail_at = 0;
  w.Sync(w.a);
  w.Sync(w.b);
  w.RequireConverged();
  CHECK(Cell(w.b, "employee", EmployeeId(TestNip(10)), "name") == "Jump");
}

}  // namespace
}  // namespace latih::test

namespace latih::test {
namespace {

TEST_CASE("a recorded conflict can be restored, and the restored value wins everywhere", "[sync][session]") {
  World w;
  PutEmployee(w.a, TestNip(11), "Eka");
  w.Sync(w.a);
  w.Sync(w.b);
  PutEmployee(w.a, TestNip(11), "Eka A");
  w.Advance(1000);
  PutEmployee(w.b, TestNip(11), "Eka B");
  w.Sync(w.a);
  w.Sync(w.b);
  auto conflicts = w.server.store().ListConflicts(false);
  REQUIRE_OK(conflicts.status());
  REQUIRE(conflicts->size() == 1);
  CHECK((*conflicts)[0].loser_value == "\"Eka A\"");
  // HR restores the loser on the server; it syncs back to both offices.
  w.Advance(1000);
  auto batch = w.server.store().BeginWrite();
  REQUIRE_OK((*batch)->ResolveConflict((*conflicts)[0].id, true));
  CHECK((*batch)->ResolveConflict((*conflicts)[0].id, true).code() == StatusCode::kInvalidArgument);
  REQUIRE_OK((*batch)->Commit());
  w.Sync(w.a);
  w.Sync(w.b);
  w.RequireConverged();
  CHECK(Cell(w.a, "employee", EmployeeId(TestNip(11)), "name") == "Eka A");
  CHECK(w.server.store().ListConflicts(false)->empty());
  CHECK(w.server.store().ListConflicts(true)->size() == 1);
}

TEST_CASE("several edits of one cell before a sync send only the latest value", "[sync][session]") {
  World w;
  for (const char* name : {"v1", "v2", "v3", "v4"}) {
    PutEmployee(w.a, TestNip(12), name);
    w.Advance(10);
  }
  sync::sqlite::SqliteSyncStore store(w.a.store());
  auto batch = store.NextPushBatch(w.options);
  REQUIRE_OK(batch.status());
  REQUIRE(batch->rows.size() == 1);
  int names = 0;
  for (const auto& c : batch->rows[0].cells) {
    if (c.column == "name") {
      ++names;
      CHECK(sync::ValueToText(c.value) == "v4");
    }
  }
  CHECK(names == 1);
}

TEST_CASE("rows pulled from the server are never pushed back", "[sync][session]") {
  World w;
  PutEmployee(w.a, TestNip(13), "Fajar");
  w.Sync(w.a);
  w.Sync(w.b);
  CHECK(Cell(w.b, "employee", EmployeeId(TestNip(13)), "name") == "Fajar");
  sync::sqlite::SqliteSyncStore store(w.b.store());
  auto batch = store.NextPushBatch(w.options);
  REQUIRE_OK(batch.status());
  CHECK(batch->rows.empty());
  CHECK(w.Sync(w.b).rows_pushed == 0);
}

}  // namespace
}  // namespace latih::test

namespace latih::test {
namespace {

int64_t CountSql(TestReplica& r, const std::string& sql) {
  auto s = r.store().db().PrepareOwned(sql);
  REQUIRE_OK(s.status());
  REQUIRE(*(*s)->Step());
  return (*s)->ColumnInt(0);
}

TEST_CASE("tombstones are purged once every active device has pulled past them", "[sync][compaction]") {
  World w;
  PutAttendance(w.a, w.sessions[0], TestNip(14), "hadir");
  w.Sync(w.a);
  w.Sync(w.b);
  DeleteAttendance(w.a, AttendanceId(w.sessions[0], TestNip(14)));
  w.Sync(w.a);
  CHECK(CountSql(w.server, "SELECT count(*) FROM deleted_row") == 1);
  CHECK(*w.hub.Compact(180) == 0);  // b has not seen the delete yet
  w.Sync(w.b);
  CHECK(*w.hub.Compact(180) == 0);  // b pulled it, but reports its new cursor only next time
  w.Sync(w.a);
  w.Sync(w.b);
  CHECK(*w.hub.Compact(180) == 0);  // everyone is past it, but the delete is not a week old
  w.Advance(8LL * 24 * 3600 * 1000);
  CHECK(*w.hub.Compact(180) == 1);
  CHECK(CountSql(w.server, "SELECT count(*) FROM deleted_row") == 0);
  CHECK(CountSql(w.server, "SELECT count(*) FROM change_log WHERE tbl = 'attendance'") == 0);
  PutEmployee(w.a, TestNip(15), "Gita");
  w.Sync(w.a);
  w.Sync(w.b);  // devices past the horizon go on normally
  w.RequireConverged();
}

TEST_CASE("a device back after the horizon takes a snapshot and keeps its unsent changes", "[sync][compaction]") {
  World w;
  PutAttendance(w.a, w.sessions[1], TestNip(16), "hadir");
  w.Sync(w.a);
  w.Sync(w.b);
  // b goes quiet for half a year and works offline; meanwhile a deletes a row.
  PutEmployee(w.b, TestNip(17), "Hana (offline)");
  DeleteAttendance(w.a, AttendanceId(w.sessions[1], TestNip(16)));
  w.Advance(200LL * 24 * 3600 * 1000);
  w.Sync(w.a);
  w.Sync(w.a);  // reports the cursor past its own delete
  CHECK(*w.hub.Compact(180) == 1);  // b is past retention: it no longer holds the horizon
  const auto report = w.Sync(w.b);
  CHECK(report.snapshot);
  CHECK(report.rows_removed == 1);   // the deleted attendance, gone without its tombstone
  CHECK(report.rows_pushed == 1);    // its own offline work went up first
  w.Sync(w.a);
  w.RequireConverged();
  CHECK(Cell(w.a, "employee", EmployeeId(TestNip(17)), "name") == "Hana (offline)");
  CHECK(Cell(w.b, "attendance", AttendanceId(w.sessions[1], TestNip(16)), "status") == "<absent>");
}

TEST_CASE("regression: a snapshot pulled in batches that stay below the purged seqs finishes", "[sync][compaction]") {
  // Before the fix the server answered snapshot_required again to the
  // snapshot's own second batch (its cursor, a few rows into the feed, was
  // below the purged seq): "the server asked for a second snapshot", at
  // every attempt. Found by the convergence test once devices were updated
  // to wire schema 2 (a snapshot) after a compaction.
  World w;
  w.options.max_batch_rows = w.options.min_batch_rows = w.options.max_batch_rows_limit = 1;
  for (int i = 20; i < 24; ++i) PutAttendance(w.a, w.sessions[1], TestNip(i), "hadir");
  w.Sync(w.a);
  w.Sync(w.b);
  DeleteAttendance(w.a, AttendanceId(w.sessions[1], TestNip(20)));
  w.Advance(200LL * 24 * 3600 * 1000);
  w.Sync(w.a);
  w.Sync(w.a);
  CHECK(*w.hub.Compact(180) == 1);
  const auto report = w.Sync(w.b);
  CHECK(report.snapshot);
  CHECK(report.rows_removed == 1);
  CHECK(report.round_trips > 4);  // one row a batch: many below the purged seq
  w.RequireConverged();
}

}  // namespace
}  // namespace latih::test

namespace latih::test {
namespace {

TEST_CASE("a client forgets its pushed tombstones after the retention", "[sync][compaction]") {
  World w;
  PutAttendance(w.a, w.sessions[2], TestNip(18), "hadir");
  w.Sync(w.a);
  DeleteAttendance(w.a, AttendanceId(w.sessions[2], TestNip(18)));
  w.Sync(w.a);
  CHECK(CountSql(w.a, "SELECT count(*) FROM deleted_row") == 1);
  w.Advance(181LL * 24 * 3600 * 1000);
  w.Sync(w.a);
  CHECK(CountSql(w.a, "SELECT count(*) FROM deleted_row") == 0);
  CHECK(CountSql(w.a, "SELECT count(*) FROM change_log WHERE tbl = 'attendance'") == 0);
  w.Sync(w.b);
  w.RequireConverged();
}

}  // namespace
}  // namespace latih::test

namespace latih::test {

TEST_CASE("a device that pulled a large backlog still pushes its next local change", "[sync][session]") {
  // Regression: the push scan stopped at its per-read bound (50,000 feed
  // entries) having found nothing of the device's own, and the session took
  // that for "nothing to push".
  TempDir dir;
  TestReplica server{dir.File("server.db"), true, 1000, kStartMs};
  TestReplica device{dir.File("d.db"), false, 1, kStartMs};
  sync::Options options;
  sync::sqlite::SyncServer hub{server.store(), server.clock(), options};
  LoopbackTransport net{hub, server.clock()};
  constexpr int kPulled = 60000;
  {
    auto b = server.store().BeginWrite(/*enforce_references=*/false);
    REQUIRE_OK(b.status());
    for (int i = 0; i < kPulled; ++i) {
      REQUIRE_OK((*b)->Put("skm_response", "01900000-0000-7000-8000-" + std::to_string(100000000000LL + i),
                           std::vector<sync::ColumnValue>{
                               {"office_id", std::string("52.71.01.1004")}, {"period", std::string("2026")},
                               {"u1", int64_t{4}}, {"u2", int64_t{4}}, {"u3", int64_t{4}}, {"u4", int64_t{4}},
                               {"u5", int64_t{4}}, {"u6", int64_t{4}}, {"u7", int64_t{4}}, {"u8", int64_t{4}},
                               {"u9", int64_t{4}}})
                     .status());
    }
    REQUIRE_OK((*b)->Commit());
  }
  auto first = SyncOnce(device, net, options);
  REQUIRE_OK(first.status());
  REQUIRE(first->rows_pulled == kPulled);
  PutEmployee(device, TestNip(7), "Baru");
  auto second = SyncOnce(device, net, options);
  REQUIRE_OK(second.status());
  CHECK(second->rows_pushed == 1);
  CHECK(*device.store().CountLocalCells() == 0);
  REQUIRE(server.store().Get("employee", domain::NaturalId("employee", {TestNip(7)}))->has_value());
}

}  // namespace latih::test

namespace latih::test {

TEST_CASE("regression: a batch larger than the link carries per connection was sent whole at every attempt, "
          "for ever", "[sync][session][regression]") {
  // A session started at 500 rows whatever the last one had managed, so a
  // link that cuts every connection after ~16 KB (bad_link_test scenario 2)
  // never carried the first batch of any attempt. Sessions now start at the
  // smallest batch and grow while round trips go well: every attempt gets
  // something through.
  World w;
  for (int i = 0; i < 400; ++i) PutEmployee(w.a, TestNip(100 + i), "Peserta " + std::to_string(i));
  w.net.cut_over_rows = 120;
  int64_t watermark = 0;
  int attempts = 0;
  for (bool done = false; !done;) {
    REQUIRE(++attempts <= 8);
    auto r = SyncOnce(w.a, w.net, w.options);
    done = r.ok();
    if (!done) REQUIRE(r.status().code() == StatusCode::kUnavailable);
    auto state = w.a.store().LoadSyncState();
    REQUIRE_OK(state.status());
    CHECK(state->push_watermark > watermark);  // every attempt, the last one included, moved it
    watermark = state->push_watermark;
  }
  w.net.ClearFaults();
  w.Sync(w.b);
  w.RequireConverged();
  CHECK(*w.server.store().CountRows("employee") == 400);
}

}  // namespace latih::test

namespace latih::test {

TEST_CASE("regression: a batch whose acknowledgement was cut was regrouped by the next session and applied again",
          "[sync][session][regression]") {
  // The next session sized its batches afresh, so the rows of the batch the
  // server had applied went out again in other batches, which the server
  // could not recognise as a resend: it applied them a second time (the same
  // seqs twice in sync_audit) and the link carried them twice
  // (bad_link_test scenario 2). The server now tells a session which batch of
  // the device it applied last; the device confirms it instead of sending it.
  World w;
  for (int i = 0; i < 300; ++i) PutEmployee(w.a, TestNip(100 + i), "Peserta " + std::to_string(i));
  w.net.exchanges = 0;
  w.net.lose_response_at = 3;  // 1: hello, 2: a batch of 50 rows, 3: one of 100, applied, its answer lost
  auto cut = SyncOnce(w.a, w.net, w.options);
  REQUIRE(cut.status().code() == StatusCode::kUnavailable);
  const std::string node = std::to_string(w.a.store().node_id());
  REQUIRE(Count(w.server.store(), "SELECT sum(rows) FROM sync_audit WHERE node = " + node) == 150);
  const auto retry = w.Sync(w.a);
  CHECK(retry.rows_confirmed == 100);
  CHECK(retry.rows_pushed == 150);  // only what the server lacked went out
  w.RequireAppliedOnce(300);
}

}  // namespace latih::test

namespace latih::test {

TEST_CASE("regression: a row refused in a batch whose acknowledgement was lost was taken as accepted",
          "[sync][session][regression]") {
  // A resend was acknowledged without the refusals of the first time (and a
  // batch confirmed from a session's `applied` had none either), so the
  // device moved its watermark past a refused row without quarantining it:
  // dropped silently. The server now keeps the refusals of each device's
  // last batch and answers them again.
  World w;
  w.net.peer.access = sync::sqlite::Access::Office(kOffice);
  PutEmployee(w.a, TestNip(5), "Pegawai Ampenan Selatan");
  {
    auto b = w.a.store().BeginWrite();
    REQUIRE_OK(b.status());
    const std::vector<sync::ColumnValue> other = {{"nip", TestNip(6)}, {"name", std::string("Pegawai Pejeruk")},
                                                  {"office_id", std::string("52.71.01.1006")},
                                                  {"employment_type", std::string("pns")}};
    REQUIRE_OK((*b)->Put("employee", EmployeeId(TestNip(6)), other).status());
    REQUIRE_OK((*b)->Commit());
  }
  SECTION("its acknowledgement lost, the next session confirms the batch with its refusal") {
    w.net.exchanges = 0;
    w.net.lose_response_at = 2;  // 1: hello, 2: the push
    REQUIRE(SyncOnce(w.a, w.net, w.options).status().code() == StatusCode::kUnavailable);
    const auto retry = w.Sync(w.a);
    CHECK(retry.rows_confirmed == 2);
    CHECK(retry.rows_refused == 1);
  }
  SECTION("delivered twice, the second answer carries the refusal too") {
    w.net.duplicate_push = true;
    const auto synced = w.Sync(w.a);
    CHECK(synced.rows_refused == 1);
  }
  CHECK(Count(w.a.store(), "SELECT count(*) FROM quarantine WHERE code = 'forbidden'") == 1);
  CHECK(*w.server.store().CountRows("employee") == 1);
  CHECK(*w.a.store().CountRows("employee") == 2);  // kept on the device, as written
}

}  // namespace latih::test

namespace latih::test {

TEST_CASE("regression: a push left in flight by a killed device was applied after its next session began, "
          "and again in that session's batches",
          "[sync][session][regression]") {
  // Found by the crash test on PostgreSQL with 4 store connections: the
  // device was killed with a push in flight; its next session's first
  // request was answered (with the batch applied before) on another
  // connection before that push committed, so the device regrouped the
  // same rows into other batches and the server applied them twice
  // (sync_audit counted them twice; the data stayed exact). The first
  // request now opens a session and a push of an older one is refused.
  World w;
  for (int i = 0; i < 300; ++i) PutEmployee(w.a, TestNip(100 + i), "Peserta " + std::to_string(i));
  w.net.exchanges = 0;
  w.net.hold_at = 3;  // 1: hello, 2: a batch of 50 rows, 3: one of 100, held in the network
  REQUIRE(SyncOnce(w.a, w.net, w.options).status().code() == StatusCode::kUnavailable);
  const std::string node = std::to_string(w.a.store().node_id());
  REQUIRE(Count(w.server.store(), "SELECT sum(rows) FROM sync_audit WHERE node = " + node) == 50);
  const auto next = w.Sync(w.a);  // the held push arrives just after its hello is answered
  REQUIRE(w.net.held_answer);
  REQUIRE_OK(w.net.held_answer->status());
  CHECK((*w.net.held_answer)->push->superseded);
  CHECK_FALSE((*w.net.held_answer)->push->applied);
  CHECK(next.rows_pushed == 250);
  w.RequireAppliedOnce(300);
}

TEST_CASE("a push of an older session is refused whole and one that names no session is not fenced",
          "[sync][session]") {
  World w;
  PutEmployee(w.a, TestNip(7), "Pegawai Tujuh");
  sync::sqlite::SqliteSyncStore store(w.a.store());
  auto batch = store.NextPushBatch(w.options);
  REQUIRE_OK(batch.status());
  REQUIRE(batch->rows.size() == 1);
  sync::SyncRequest begin;
  begin.schema = sync::kWireSchemaVersion;
  begin.node = w.a.store().node_id();
  begin.begin = true;
  auto first = w.hub.Handle(begin);
  REQUIRE_OK(first.status());
  auto second = w.hub.Handle(begin);
  REQUIRE_OK(second.status());
  REQUIRE(first->session > 0);
  CHECK(second->session == first->session + 1);
  const std::string audited = "SELECT count(*) FROM sync_audit WHERE node = " + std::to_string(begin.node);
  const int64_t before = Count(w.server.store(), audited);

  sync::SyncRequest push = begin;
  push.begin = false;
  push.push = *batch;
  push.session = first->session;
  auto stale = w.hub.Handle(push);
  REQUIRE_OK(stale.status());
  CHECK(stale->push->superseded);
  CHECK_FALSE(stale->push->applied);
  CHECK(Count(w.server.store(), audited) == before);
  CHECK(Count(w.server.store(), "SELECT count(*) FROM employee WHERE nip = '" + TestNip(7) + "'") == 0);

  push.session = second->session;
  auto current = w.hub.Handle(push);
  REQUIRE_OK(current.status());
  CHECK_FALSE(current->push->superseded);
  CHECK(current->push->applied);
  CHECK(Count(w.server.store(), audited) == before + 1);

  PutEmployee(w.a, TestNip(8), "Pegawai Delapan");  // an older client's push: no session, not fenced
  REQUIRE_OK(store.ConfirmPush(*batch, {}));
  auto older = store.NextPushBatch(w.options);
  REQUIRE_OK(older.status());
  push.push = *older;
  push.session = 0;
  auto unfenced = w.hub.Handle(push);
  REQUIRE_OK(unfenced.status());
  CHECK(unfenced->push->applied);

  push.session = -1;
  CHECK(w.hub.Handle(push).status().code() == StatusCode::kInvalidArgument);
}

}  // namespace latih::test
