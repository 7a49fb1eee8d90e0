#include "tests/bench/workload.h"

#include <cstdio>

#include "sync/domain/ids.h"
#include "sync/domain/nip.h"

namespace latih::bench {
namespace {

using sync::Value;
using sync::sqlite::Db;
using sync::sqlite::Stmt;

// NIP layout (PNS): birth YYYYMMDD, TMT YYYYMM, gender, serial. The index
// is encoded in serial, gender, TMT month and TMT-year offset, so numbers
// are unique; the birth date varies independently.
constexpr int kSerials = 999, kGenders = 2, kMonths = 12, kTmtOffsets = 11;
constexpr int kFirstBirthYear = 1970, kBirthYears = 26, kBirthDays = 28;
constexpr int kMinTmtAge = 20;

constexpr int kYear = 2026;
constexpr int kDaysInYear = 365;
constexpr int kMaxSessionsPerTraining = 10;
constexpr int kMinSessions = 2, kSessionSpread = 4;  // 2..5 sessions
constexpr double kJpPerSession = 4;
constexpr int kExplicitJpEvery = 3;  // every third session sets its own JP
constexpr int kMinutesPerJp = 45;
constexpr int kForm = 1;
constexpr char kBenchSalt[] = "bench";

// Attendance statuses in proportion (mostly present).
constexpr const char* kStatusMix[] = {
    "hadir", "hadir", "hadir", "hadir", "hadir", "hadir", "hadir", "hadir", "hadir", "hadir",
    "hadir", "hadir", "terlambat", "terlambat", "pulang_awal", "izin", "sakit", "dinas_luar",
    "cuti", "alpa"};
constexpr int kStatusMixSize = sizeof(kStatusMix) / sizeof(kStatusMix[0]);
constexpr char kOnTime[] = "07:55", kLate[] = "08:15";
constexpr int64_t kLateMinutes = 15;

constexpr const char* kCompetencies[] = {"teknis", "manajerial", "sosial_kultural"};

std::string DateOfDay(int day_of_year) {  // 0-based day in kYear (not a leap year)
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int month = 0;
  while (day_of_year >= kDays[month]) day_of_year -= kDays[month++];
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", kYear, month + 1, day_of_year + 1);
  return buf;
}

}  // namespace

Result<std::string> MakeNip(int index) {
  if (index < 0 || index >= kMaxNips) return Status::Invalid("NIP index out of range");
  const int serial = 1 + index % kSerials;
  const int gender = 1 + (index / kSerials) % kGenders;
  const int tmt_month = 1 + (index / (kSerials * kGenders)) % kMonths;
  const int tmt_offset = (index / (kSerials * kGenders * kMonths)) % kTmtOffsets;
  const int birth_year = kFirstBirthYear + index % kBirthYears;
  const int birth_month = 1 + (index / 7) % kMonths;
  const int birth_day = 1 + (index / 3) % kBirthDays;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%04d%02d%d%03d", birth_year, birth_month, birth_day,
                birth_year + kMinTmtAge + tmt_offset, tmt_month, gender, serial);
  auto parsed = domain::ParseNip(buf);
  if (!parsed.ok()) return parsed.status().WithContext("generated NIP #" + std::to_string(index));
  return std::string(buf);
}

Result<Workload> MakeWorkload(int employees, int trainings, int fixed_sessions) {
  Workload w;
  for (int i = 0; i < employees; ++i) {
    LATIH_ASSIGN_OR_RETURN(std::string nip, MakeNip(i));
    w.employee_ids.push_back(domain::NaturalId("employee", {nip}));
    w.nips.push_back(std::move(nip));
  }
  for (int t = 0; t < trainings; ++t) {
    const int n = fixed_sessions > 0 ? fixed_sessions : kMinSessions + t % kSessionSpread;
    if (n > kMaxSessionsPerTraining) return Status::Invalid("too many sessions per training");
    const int first_day = t * (kDaysInYear - kMaxSessionsPerTraining) / trainings;
    const std::string tn = std::to_string(t);
    w.trainings.push_back({domain::NaturalId("training", {kBenchSalt, tn}), kCompetencies[t % 3],
                           DateOfDay(first_day), DateOfDay(first_day + n - 1), kJpPerSession * n});
    for (int s = 0; s < n; ++s) {
      std::optional<double> jp;
      if ((t + s) % kExplicitJpEvery == 0) jp = kJpPerSession;
      w.sessions.push_back({domain::NaturalId("session", {kBenchSalt, tn, std::to_string(s)}), t,
                            DateOfDay(first_day + s), jp});
    }
  }
  return w;
}

AttendanceRow MakeAttendance(const Workload& w, int session, int employee, int mix) {
  AttendanceRow r;
  r.session = session;
  r.employee = employee;
  r.id = domain::NaturalId("attendance", {w.sessions[session].id, w.employee_ids[employee]});
  r.status = kStatusMix[mix % kStatusMixSize];
  const bool late = r.status == "terlambat";
  r.at = late ? kLate : kOnTime;
  r.checked_in_at = w.sessions[session].date + "T" + r.at + ":00";
  if (late) r.minutes_late = kLateMinutes;
  return r;
}

std::vector<AttendanceRow> AllAttendance(const Workload& w) {
  std::vector<AttendanceRow> rows;
  rows.reserve(w.sessions.size() * w.employee_ids.size());
  const int employees = static_cast<int>(w.employee_ids.size());
  for (int s = 0; s < static_cast<int>(w.sessions.size()); ++s) {
    for (int e = 0; e < employees; ++e) rows.push_back(MakeAttendance(w, s, e, s * 7 + e));
  }
  return rows;
}

Status InsertPrerequisites(Db& db, const Workload& w) {
  LATIH_ASSIGN_OR_RETURN(Stmt* emp, db.Prepare(
      "INSERT INTO employee(id, nip, name, office_id, position, rank, employment_type) "
      "VALUES (?1, ?2, ?3, ?4, 'Analis', 'III/a', 'pns')"));
  for (size_t i = 0; i < w.nips.size(); ++i) {
    emp->Bind(1, w.employee_ids[i]).Bind(2, w.nips[i]).Bind(3, "Pegawai " + std::to_string(i));
    emp->Bind(4, kBenchOffice);
    LATIH_RETURN_IF_ERROR(emp->Run());
    emp->Reset();
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* tr, db.Prepare(
      "INSERT INTO training(id, office_id, title, form, route, competency, jp, minutes, start_date, "
      "end_date) VALUES (?1, ?2, ?3, ?4, 'klasikal', ?5, ?6, ?7, ?8, ?9)"));
  for (size_t t = 0; t < w.trainings.size(); ++t) {
    const TrainingSpec& s = w.trainings[t];
    tr->Bind(1, s.id).Bind(2, kBenchOffice).Bind(3, "Pelatihan " + std::to_string(t));
    tr->Bind(4, int64_t{kForm}).Bind(5, s.competency).Bind(6, Value(s.jp));
    tr->Bind(7, static_cast<int64_t>(s.jp * kMinutesPerJp)).Bind(8, s.start_date).Bind(9, s.end_date);
    LATIH_RETURN_IF_ERROR(tr->Run());
    tr->Reset();
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* se, db.Prepare(
      "INSERT INTO session(id, training_id, office_id, date, start_time, end_time, jp) "
      "VALUES (?1, ?2, ?3, ?4, '08:00', '12:00', ?5)"));
  for (const SessionSpec& s : w.sessions) {
    se->Bind(1, s.id).Bind(2, w.trainings[s.training].id).Bind(3, kBenchOffice).Bind(4, s.date);
    se->Bind(5, s.jp ? Value(*s.jp) : Value());
    LATIH_RETURN_IF_ERROR(se->Run());
    se->Reset();
  }
  return Status::Ok();
}

Status AttendanceInserter::Insert(const AttendanceRow& row, const char* method) {
  if (!stmt_) {
    LATIH_ASSIGN_OR_RETURN(stmt_, db_.Prepare(
        "INSERT INTO attendance(id, session_id, employee_id, office_id, status, minutes_late, "
        "checked_in_at, method, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)"));
  }
  Stmt* s = stmt_;
  s->Bind(1, row.id).Bind(2, w_.sessions[row.session].id).Bind(3, w_.employee_ids[row.employee]);
  s->Bind(4, kBenchOffice).Bind(5, row.status);
  s->Bind(6, row.minutes_late ? Value(*row.minutes_late) : Value());
  s->Bind(7, row.checked_in_at).Bind(8, method);
  Status st = s->Run();
  s->Reset();
  return st;
}

Result<int64_t> QueryCount(Db& db, const std::string& sql) {
  LATIH_ASSIGN_OR_RETURN(auto s, db.PrepareOwned(sql));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::Corruption("no result from: " + sql);
  return s->ColumnInt(0);
}

Result<int64_t> CountAttendanceLog(Db& db) {
  // Cell versions logged for attendance rows (40 bytes each, 9 per new row).
  return QueryCount(db, "SELECT coalesce(sum(length(cells)), 0) / 40 FROM change_log WHERE tbl = 'attendance'");
}

}  // namespace latih::bench
