// Office scoping (sync/sqlite/scope.h, PROTOCOL.md §9) on a real server
// store: who owns which row, who may read and write it.
#include "sync/sqlite/scope.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "sync/domain/ids.h"
#include "sync/hlc.h"
#include "tests/support/sync_harness.h"

namespace latih::test {
namespace {

using sync::sqlite::Access;
using sync::sqlite::Scope;

constexpr const char* kA = "52.71.01.1004";
constexpr const char* kB = "52.71.01.1006";
constexpr const char* kTGlobal = "01900000-0000-7000-8000-0000000000a1";
constexpr const char* kTA = "01900000-0000-7000-8000-0000000000a2";
constexpr const char* kSGlobal = "01900000-0000-7000-8000-0000000000b1";
constexpr const char* kSA = "01900000-0000-7000-8000-0000000000b2";
std::string EmployeeB() { return domain::NaturalId("employee", {TestNip(1)}); }
std::string AttendanceId() { return domain::NaturalId("attendance", {kSGlobal, EmployeeB()}); }

void Put(TestReplica& r, const std::string& table, const std::string& id, std::vector<sync::ColumnValue> values) {
  auto b = r.store().BeginWrite(/*enforce_references=*/false);
  REQUIRE_OK(b.status());
  REQUIRE_OK((*b)->Put(table, id, values).status());
  REQUIRE_OK((*b)->Commit());
}

sync::Row Row(TestReplica& r, const std::string& table, const std::string& id) {
  auto row = r.store().Get(table, id);
  REQUIRE_OK(row.status());
  REQUIRE(row->has_value());
  return **row;
}

const sync::TableDef& Def(TestReplica& r, const char* table) { return *r.store().catalog().Find(table); }

struct World {
  TempDir dir;
  TestReplica server{dir.File("s.db"), true, 1000, 1772409600000};
  World() {
    const std::vector<sync::ColumnValue> training = {
        {"title", std::string("T")}, {"form", int64_t{4}}, {"route", std::string("klasikal")},
        {"competency", std::string("teknis")}, {"jp", 8.0}, {"minutes", int64_t{360}},
        {"start_date", std::string("2026-03-02")}, {"end_date", std::string("2026-03-02")}};
    auto global = training;
    global.push_back({"office_id", sync::Value()});
    Put(server, "training", kTGlobal, global);
    auto local = training;
    local.push_back({"office_id", std::string(kA)});
    Put(server, "training", kTA, local);
    Put(server, "session", kSGlobal, {{"training_id", std::string(kTGlobal)}, {"office_id", std::string(kA)},
                                                 {"date", std::string("2026-03-02")}});
    Put(server, "session", kSA, {{"training_id", std::string(kTA)}, {"office_id", std::string(kA)},
                                   {"date", std::string("2026-03-02")}});
    Put(server, "employee", EmployeeB(), {{"nip", TestNip(1)}, {"name", std::string("Wulan")},
                                    {"office_id", std::string(kB)}, {"employment_type", std::string("pns")}});
  }
};

}  // namespace

TEST_CASE("a device reads its office's rows and shared reference data, nothing else", "[sync][scope]") {
  World w;
  Scope a(w.server.store(), Access::Office(kA)), b(w.server.store(), Access::Office(kB));
  auto reads = [&](Scope& s, const char* table, const std::string& id) {
    auto r = s.MayRead(Def(w.server, table), Row(w.server, table, id));
    REQUIRE_OK(r.status());
    return *r;
  };
  CHECK(reads(b, "office", kA));
  CHECK(reads(b, "training", kTGlobal));
  CHECK_FALSE(reads(b, "training", kTA));
  CHECK(reads(b, "session", kSGlobal));  // a session of a global training: everyone attends
  CHECK_FALSE(reads(b, "session", kSA));
  CHECK(reads(b, "employee", EmployeeB()));
  CHECK_FALSE(reads(a, "employee", EmployeeB()));
  Scope hr(w.server.store(), Access::All());
  CHECK(reads(hr, "employee", EmployeeB()));
}

TEST_CASE("attendance belongs to the employee's office and the session's host", "[sync][scope]") {
  World w;
  // The host desk (A) believed the visitor was its own: office_id says A.
  Put(w.server, "attendance", AttendanceId(), {{"session_id", std::string(kSGlobal)}, {"employee_id", std::string(EmployeeB())},
                                      {"office_id", std::string(kA)}, {"status", std::string("hadir")},
                                      {"method", std::string("manual")}});
  Scope a(w.server.store(), Access::Office(kA)), b(w.server.store(), Access::Office(kB));
  const sync::Row row = Row(w.server, "attendance", AttendanceId());
  auto owners = a.OwnersOf(Def(w.server, "attendance"), row);
  REQUIRE_OK(owners.status());
  CHECK(owners->Has(kA));
  CHECK(owners->Has(kB));  // from the employee row, whatever office_id says
  CHECK(*b.MayRead(Def(w.server, "attendance"), row));
  REQUIRE_OK(b.MayWrite(Def(w.server, "attendance"), &row, row));
  Scope other(w.server.store(), Access::Office("52.71.01.1009"));
  CHECK_FALSE(*other.MayRead(Def(w.server, "attendance"), row));
}

TEST_CASE("an SKP belongs to the employee's office, whatever office its writer named", "[sync][scope][skp]") {
  World w;
  const std::string id = domain::NaturalId("skp_assessment", {EmployeeB(), "2025", "tahunan"});
  // A's desk records an SKP of B's employee and names its own office.
  Put(w.server, "skp_assessment", id, {{"employee_id", EmployeeB()}, {"office_id", std::string(kA)},
                                       {"year", int64_t{2025}}, {"period", std::string("tahunan")},
                                       {"hasil_kerja", std::string("sesuai")},
                                       {"perilaku_kerja", std::string("sesuai")}});
  Scope a(w.server.store(), Access::Office(kA)), b(w.server.store(), Access::Office(kB));
  const sync::Row row = Row(w.server, "skp_assessment", id);
  auto owners = a.OwnersOf(Def(w.server, "skp_assessment"), row);
  REQUIRE_OK(owners.status());
  CHECK(owners->offices == std::vector<std::string>{kB});
  CHECK(*b.MayRead(Def(w.server, "skp_assessment"), row));
  CHECK_FALSE(*a.MayRead(Def(w.server, "skp_assessment"), row));
  CHECK(a.MayWrite(Def(w.server, "skp_assessment"), nullptr, row).code() == StatusCode::kPermissionDenied);
  REQUIRE_OK(b.MayWrite(Def(w.server, "skp_assessment"), &row, row));
}

TEST_CASE("a device may not write another office's row, move a row away, or write central data", "[sync][scope]") {
  World w;
  Scope a(w.server.store(), Access::Office(kA));
  const sync::Row employee = Row(w.server, "employee", EmployeeB());
  const Status taken = a.MayWrite(Def(w.server, "employee"), &employee, employee);
  CHECK(taken.code() == StatusCode::kPermissionDenied);
  CHECK(taken.message().find(kB) != std::string::npos);  // names the owner
  // Moving its own training to another office is refused too.
  sync::Row training = Row(w.server, "training", kTA);
  sync::Row moved = training;
  moved.values[Def(w.server, "training").ColumnIndex("office_id")] = std::string(kB);
  CHECK(a.MayWrite(Def(w.server, "training"), &training, moved).code() == StatusCode::kPermissionDenied);
  REQUIRE_OK(a.MayWrite(Def(w.server, "training"), &training, training));
  const sync::Row global = Row(w.server, "training", kTGlobal);
  CHECK(a.MayWrite(Def(w.server, "training"), &global, global).code() == StatusCode::kPermissionDenied);
  const sync::Row office = Row(w.server, "office", kA);
  CHECK(a.MayWrite(Def(w.server, "office"), &office, office).code() == StatusCode::kPermissionDenied);
  Scope hr(w.server.store(), Access::All());
  REQUIRE_OK(hr.MayWrite(Def(w.server, "training"), &global, global));
}

}  // namespace latih::test

namespace latih::test {

TEST_CASE("a refused row in a pushed batch leaves nothing behind: no value, no version, no conflict", "[sync][scope]") {
  // TryApplyRow refuses without a savepoint: every check comes before the
  // first write, conflicts included.
  World w;
  const sync::Row before = Row(w.server, "employee", EmployeeB());
  auto versions_before = w.server.store().ChangesSince(0, 1 << 30);
  REQUIRE_OK(versions_before.status());
  const sync::Version v{sync::HlcPack(1772409700000, 0), 77};  // concurrent with the server's write
  auto push = [&](const sync::RowChange& row, const sync::sqlite::RowGuard* guard) {
    auto b = w.server.store().BeginWrite(/*enforce_references=*/false);
    REQUIRE_OK(b.status());
    Status refused = Status::Ok();
    REQUIRE_OK((*b)->TryApplyRow(row, &refused, guard).status());
    REQUIRE_OK((*b)->Commit());
    return refused;
  };
  // A concurrent name (a conflict if it landed) with a NIP that breaks the rules.
  const sync::RowChange invalid{"employee", EmployeeB(),
                                {{"name", std::string("Lain"), v, {}}, {"nip", std::string("123"), v, {}}}};
  CHECK(push(invalid, nullptr).code() == StatusCode::kInvalidArgument);
  // The same concurrent name from another office's device.
  Scope a(w.server.store(), Access::Office(kA));
  const sync::sqlite::RowGuard guard = [&a](const sync::TableDef& td, const sync::Row* b, const sync::Row& after) {
    return a.MayWrite(td, b, after);
  };
  const sync::RowChange foreign{"employee", EmployeeB(), {{"name", std::string("Lain"), v, {}}}};
  CHECK(push(foreign, &guard).code() == StatusCode::kPermissionDenied);
  CHECK(Row(w.server, "employee", EmployeeB()).values == before.values);
  auto versions_after = w.server.store().ChangesSince(0, 1 << 30);
  REQUIRE_OK(versions_after.status());
  CHECK(versions_after->size() == versions_before->size());
  auto conflicts = w.server.store().ListConflicts(true);
  REQUIRE_OK(conflicts.status());
  CHECK(conflicts->empty());
  // And the same change from HR lands, with its conflict recorded.
  CHECK(push(foreign, nullptr).ok());
  CHECK(w.server.store().ListConflicts(true)->size() == 1);
}

// What a pull of `office` reads of the server's feed (row ids, in feed
// order): through feed_scope's index, or by passing over the whole feed.
std::vector<std::string> Pulled(TestReplica& server, const std::string& office, bool indexed) {
  Scope scope(server.store(), Access::Office(office));
  sync::sqlite::Store::FeedFilter filter;
  filter.visible = [&scope](const sync::TableDef& td, const sync::Row& row) { return scope.MayRead(td, row); };
  if (indexed) filter.office = office;
  std::vector<std::string> ids;
  int64_t cursor = 0, last = 0;
  bool more = true;
  while (more) {
    auto rows = server.store().ReadChanges(cursor, filter, 2, 1 << 20, &last, &more);
    REQUIRE_OK(rows.status());
    for (const auto& r : *rows) ids.push_back(r.id);
    REQUIRE(last >= cursor);
    cursor = last;
  }
  auto end = server.store().ChangesSince(0, 1 << 30);
  REQUIRE_OK(end.status());
  CHECK(cursor == (end->empty() ? 0 : end->back().seq));  // the read ends at the feed's end
  return ids;
}

TEST_CASE("a pull read by feed_scope's index brings each office what a pass over the whole feed brings",
          "[sync][scope]") {
  World w;
  // Written before its session and employee are known here (a visitor's
  // attendance from a host desk, arriving first): its owners are not known
  // at its commit, so the index leaves it to every office's scope check.
  const std::string visitor = domain::NaturalId("employee", {TestNip(2)});
  const std::string late_session = "01900000-0000-7000-8000-0000000000b3";
  const std::string early = domain::NaturalId("attendance", {late_session, visitor});
  Put(w.server, "attendance", early, {{"session_id", late_session}, {"employee_id", visitor},
                                      {"office_id", std::string(kA)}, {"status", std::string("hadir")},
                                      {"method", std::string("manual")}});
  Put(w.server, "session", late_session, {{"training_id", std::string(kTA)}, {"office_id", std::string(kA)},
                                          {"date", std::string("2026-03-03")}});
  Put(w.server, "employee", visitor, {{"nip", TestNip(2)}, {"name", std::string("Tamu")},
                                      {"office_id", std::string(kB)}, {"employment_type", std::string("pns")}});
  Put(w.server, "attendance", AttendanceId(), {{"session_id", std::string(kSGlobal)}, {"employee_id", EmployeeB()},
                                               {"office_id", std::string(kA)}, {"status", std::string("hadir")},
                                               {"method", std::string("manual")}});
  for (const char* office : {kA, kB, "52.71.01.1009"}) {
    INFO(office);
    const auto indexed = Pulled(w.server, office, true);
    CHECK(indexed == Pulled(w.server, office, false));
    CHECK_FALSE(indexed.empty());
  }
  const auto b = Pulled(w.server, kB, true);
  CHECK(std::find(b.begin(), b.end(), early) != b.end());  // the visitor's office gets it
  CHECK(std::find(b.begin(), b.end(), std::string(kTA)) == b.end());  // not A's own training
  const auto other = Pulled(w.server, "52.71.01.1009", true);
  CHECK(std::find(other.begin(), other.end(), early) == other.end());
}

}  // namespace latih::test
