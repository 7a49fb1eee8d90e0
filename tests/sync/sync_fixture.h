// Shared set-up for the sync tests: a server replica with a workshop
// (training and sessions written by HR on the server) and helpers to write
// employees and attendance on any replica.
#pragma once

#include <string>
#include <vector>

#include "schema/migrations.h"
#include "sync/domain/ids.h"
#include "tests/support/sync_harness.h"

namespace latih::test {

inline constexpr int64_t kStartMs = 1772409600000;  // 2026-03-02T00:00Z
inline constexpr char kOffice[] = "52.71.01.1004";

// The client's migrations of wire schema 1 (those before 0011): a device
// of an older latih.
inline std::span<const schema::Migration> ClientSchema1() {
  const auto all = schema::ClientMigrations();
  size_t n = 0;
  while (n < all.size() && all[n].version < 11) ++n;
  return all.subspan(0, n);
}

inline std::string EmployeeId(const std::string& nip) { return domain::NaturalId("employee", {nip}); }

inline void PutEmployee(TestReplica& r, const std::string& nip, const std::string& name) {
  auto b = r.store().BeginWrite();
  REQUIRE_OK(b.status());
  const std::vector<sync::ColumnValue> cols = {{"nip", nip}, {"name", name}, {"office_id", std::string(kOffice)},
                                               {"employment_type", std::string("pns")}};
  REQUIRE_OK((*b)->Put("employee", EmployeeId(nip), cols).status());
  REQUIRE_OK((*b)->Commit());
}

inline std::string AttendanceId(const std::string& session, const std::string& nip) {
  return domain::NaturalId("attendance", {session, EmployeeId(nip)});
}

// Records attendance (creating the employee first if this replica lacks it).
inline void PutAttendance(TestReplica& r, const std::string& session, const std::string& nip,
                          const std::string& status) {
  auto b = r.store().BeginWrite();
  REQUIRE_OK(b.status());
  auto emp = (*b)->Get("employee", EmployeeId(nip));
  REQUIRE_OK(emp.status());
  if (!emp->has_value()) {
    const std::vector<sync::ColumnValue> e = {{"nip", nip}, {"name", "P " + nip.substr(15)},
                                              {"office_id", std::string(kOffice)},
                                              {"employment_type", std::string("pns")}};
    REQUIRE_OK((*b)->Put("employee", EmployeeId(nip), e).status());
  }
  const std::vector<sync::ColumnValue> cols = {
      {"session_id", session}, {"employee_id", EmployeeId(nip)}, {"office_id", std::string(kOffice)},
      {"status", status}, {"method", std::string("manual")}};
  REQUIRE_OK((*b)->Put("attendance", AttendanceId(session, nip), cols).status());
  REQUIRE_OK((*b)->Commit());
}

// HR creates a training with `n` sessions on the server; returns session ids.
inline std::vector<std::string> MakeWorkshop(TestReplica& server, int n) {
  auto b = server.store().BeginWrite();
  REQUIRE_OK(b.status());
  const std::string training = "01900000-0000-7000-8000-000000000001";
  const std::vector<sync::ColumnValue> t = {
      {"office_id", std::string(kOffice)}, {"title", std::string("Bimtek")}, {"form", int64_t{8}},
      {"route", std::string("klasikal")}, {"competency", std::string("teknis")}, {"jp", 8.0},
      {"minutes", int64_t{360}}, {"start_date", std::string("2026-03-02")}, {"end_date", std::string("2026-03-06")}};
  REQUIRE_OK((*b)->Put("training", training, t).status());
  std::vector<std::string> sessions;
  for (int i = 0; i < n; ++i) {
    const std::string id = "01900000-0000-7000-8000-0000000001" + std::to_string(10 + i);
    const std::vector<sync::ColumnValue> s = {{"training_id", training}, {"office_id", std::string(kOffice)},
                                              {"date", "2026-03-0" + std::to_string(2 + i % 5)}};
    REQUIRE_OK((*b)->Put("session", id, s).status());
    sessions.push_back(id);
  }
  REQUIRE_OK((*b)->Commit());
  return sessions;
}

inline std::string Cell(TestReplica& r, const std::string& table, const std::string& id,
                        const std::string& column) {
  auto row = r.store().Get(table, id);
  REQUIRE_OK(row.status());
  if (!row->has_value()) return "<absent>";
  const int i = r.store().catalog().Find(table)->ColumnIndex(column);
  return sync::ValueToText((*row)->values[i]);
}

inline int64_t CountConflicts(TestReplica& r) {
  auto s = r.store().db().PrepareOwned("SELECT count(*) FROM sync_conflict");
  REQUIRE_OK(s.status());
  REQUIRE(*(*s)->Step());
  return (*s)->ColumnInt(0);
}

}  // namespace latih::test
