// Deterministic benchmark data for latih_bench: valid unique NIPs, a set of
// employees, trainings and sessions with fixed ids, and plain (prepared,
// unlogged) INSERTs of them into a migrated latih database. Used to build
// the prerequisites of every measure and the large report database.
// Plain functions and values; single-threaded like the Db they write to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/sqlite/db.h"
#include "sync/status.h"
#include "sync/tables.h"

namespace latih::bench {

// The office every benchmark employee belongs to (passed to OfficeDb::Init).
inline constexpr char kBenchOffice[] = "52.71.01.1004";

// NIP number `index` (0-based): 18 digits of a PNS NIP, unique per index up
// to kMaxNips, checked with domain::ParseNip. kInvalidArgument if the
// generated number does not parse (a bug in the generator).
inline constexpr int kMaxNips = 999 * 2 * 12 * 11;
Result<std::string> MakeNip(int index);

struct TrainingSpec {
  std::string id;  // NaturalId("training", {"bench", index})
  std::string competency, start_date, end_date;
  double jp = 0;
};

struct SessionSpec {
  std::string id;  // NaturalId("session", {"bench", training index, session index})
  int training = 0;  // index into Workload::trainings
  std::string date;
  std::optional<double> jp;  // nullopt: an equal share of the training's rest
};

// Employees, trainings and sessions with their ids, all in kBenchOffice.
struct Workload {
  std::vector<std::string> nips;          // employee i
  std::vector<std::string> employee_ids;  // NaturalId("employee", {nip})
  std::vector<TrainingSpec> trainings;
  std::vector<SessionSpec> sessions;      // grouped by training
};

// `employees` employees and `trainings` trainings in 2026; training t has
// sessions_of(t) sessions on consecutive days, some with an explicit JP.
// `fixed_sessions` > 0 gives every training exactly that many sessions;
// 0 uses 2..5 by training index.
Result<Workload> MakeWorkload(int employees, int trainings, int fixed_sessions);

// One attendance row with the exact column values every write path stores.
struct AttendanceRow {
  std::string id;  // NaturalId("attendance", {session id, employee id})
  int session = 0, employee = 0;
  std::string status, checked_in_at;  // "YYYY-MM-DDTHH:MM:SS"
  std::optional<int64_t> minutes_late;  // set for terlambat only
  std::string at;  // the check-in clock time as typed ("08:05")
};

// The row of `employee` in `session`, its status chosen from `mix` (0..n).
AttendanceRow MakeAttendance(const Workload& w, int session, int employee, int mix);

// Every employee in every session, session by session: sessions × employees rows.
std::vector<AttendanceRow> AllAttendance(const Workload& w);

// Plain prepared INSERTs of the employees, trainings and sessions (no change
// log). REQUIRES: called inside a transaction for speed (not for
// correctness). Errors: SQLite's, e.g. kInvalidArgument on a constraint.
Status InsertPrerequisites(sync::sqlite::Db& db, const Workload& w);

// Prepared plain attendance INSERT; `method` is "manual" for the write-path
// measures, "csv" for the report database.
class AttendanceInserter {
 public:
  // REQUIRES: `db` and `w` outlive this object.
  AttendanceInserter(sync::sqlite::Db& db, const Workload& w) : db_(db), w_(w) {}
  Status Insert(const AttendanceRow& row, const char* method);

 private:
  sync::sqlite::Db& db_;
  const Workload& w_;
  sync::sqlite::Stmt* stmt_ = nullptr;  // prepared on first use; owned by db_
};

// SELECT count(*) of `sql` (a full query returning one integer).
Result<int64_t> QueryCount(sync::sqlite::Db& db, const std::string& sql);

// Change-log entries whose cid belongs to table attendance.
Result<int64_t> CountAttendanceLog(sync::sqlite::Db& db);

// Number of columns logged per new attendance row: 8 columns + existence.
inline constexpr int64_t kLogEntriesPerNewRow = 9;

}  // namespace latih::bench
