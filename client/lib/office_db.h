// OfficeDb: everything an office device records, as one facade over the
// replicated store. It turns user input (NIPs, codes, dates as typed) into
// validated rows with the right ids and office, and refuses bad input with a
// message that names the field and the value. Every write goes through
// sync::sqlite::Store, so every change is logged for sync.
// One OfficeDb per thread; several processes may open the same file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/domain/jp_policy.h"
#include "sync/domain/skp.h"
#include "sync/env.h"
#include "sync/sqlite/store.h"

namespace latih::client {

struct EmployeeInput {
  std::string nip;
  std::optional<std::string> name, position, rank;
  std::optional<std::string> type;  // "PNS"/"PPPK"; must agree with the NIP
  std::optional<bool> active;
  // Trimmed and lower-cased before it is checked; "" removes a stored one.
  std::optional<std::string> email{};
};

struct EmployeeRecord {
  std::string id, nip, name, office_id, position, rank, type;
  bool active = true, needs_review = false;
  std::string email{};  // "" if none
};

struct TrainingInput {
  std::string title, form, competency, start_date, end_date;
  std::optional<std::string> route, organizer, certificate_no, scope;
  std::optional<double> jp;
  std::optional<int64_t> minutes;
  bool global = false;  // a central (BKPSDM) training: only central HR may create one
  std::optional<int64_t> cost_planned{}, cost_actual{};  // whole rupiah (ParseRupiah)
  std::optional<std::string> funding{};  // a funding source code or label (domain::ParseFundingSource)
};

// The budget of a training, set after it was added (`latih training cost`):
// only the given fields change.
struct TrainingCostInput {
  std::string training_id;
  std::optional<int64_t> planned, actual;
  std::optional<std::string> funding;
};

struct TrainingCost {
  std::string title;
  std::optional<int64_t> planned, actual;
  std::string funding;  // the code, "" if none
  bool changed = false;
};

struct SessionInput {
  std::string training_id, date;
  std::optional<std::string> start_time, end_time, location;
  std::optional<double> jp;
};

struct AttendInput {
  std::string session_id, nip;
  std::string status = "hadir";
  std::optional<std::string> at;  // "HH:MM[:SS]" on the session date, or "YYYY-MM-DDTHH:MM[:SS]"
  std::optional<int64_t> minutes_late;
  std::optional<std::string> note;
  std::string method = "manual";
  bool add_unknown = false;                 // register an unknown NIP for review
  std::optional<std::string> unknown_name;  // name for such a placeholder
};

struct AttendOutcome {
  std::string attendance_id, employee_name, status;
  bool created = false;            // false: an earlier record was updated or unchanged
  bool changed = false;
  bool placeholder_added = false;  // the NIP was registered for review
  std::optional<int64_t> minutes_late;
};

struct EvaluateInput {
  std::string training_id, nip, kind;
  double score = 0;
  std::optional<std::string> aspects;  // "materi=85,fasilitator=90" or a JSON object
  std::optional<std::string> assessed_on;
};

struct EvaluateOutcome {
  std::string evaluation_id;
  sync::sqlite::PutResult put;  // created, or the columns that changed
};

// An SKP assessment (docs/SKP.md) as typed or exported by e-Kinerja.
struct SkpInput {
  std::string nip;
  int year = 0;
  std::string period = "tahunan";  // as written: tahunan, Q1, TW 1, triwulan I, 3, Maret (ParseSkpPeriod)
  std::string hasil_kerja, perilaku_kerja;  // as written: a code, a label, SIASN's 1..3 (domain::ParseSkpRating)
  std::optional<std::string> assessed_on, assessor_nip, assessor_name;
};

struct SkpOutcome {
  std::string id, nip, name, period;
  domain::SkpRating hasil_kerja = domain::SkpRating::kAsExpected, perilaku_kerja = domain::SkpRating::kAsExpected;
  domain::SkpPredicate predicate = domain::SkpPredicate::kBaik;  // what the stored row's generated column says
  sync::sqlite::PutResult put;  // created, or the columns that changed
};

// One stored assessment, its predicate read from the generated column.
struct SkpEntry {
  std::string nip, name, period, hasil_kerja, perilaku_kerja, predicate;  // codes
  int64_t year = 0;
};

struct SurveyInput {
  std::string period;
  std::string scores;  // nine scores 1..4, "4,3,4,4,3,4,4,3,4"
  std::optional<std::string> gender, age_band, education, occupation, service, responded_on;
};

struct StatusInfo {
  std::string path, office_id, office_name;
  int schema_version = 0;
  int64_t node_id = 0;
  std::vector<std::pair<std::string, int64_t>> row_counts;  // per table
  int64_t pending_changes = 0;  // cells written here and not yet acknowledged by a server
  int64_t open_conflicts = 0;
  int64_t clock_offset_ms = 0;  // server time - device time, last measured
  std::string last_sync_at;     // "" if never
};

class OfficeDb {
 public:
  // Creates the database at `path` for the office named by `office` (a
  // Kemendagri code, a name or an alias, case-insensitive). Re-running on a
  // database of the same office is a no-op; another office is refused. A
  // well-formed kelurahan code (NN.NN.NN.NNNN) the database does not list
  // is taken as is: an office the server added later, whose row comes with
  // the first sync (enroll and sync before recording: the office's rows
  // reference it); enrollment refuses a code the server does not know.
  // `env` must outlive the OfficeDb.
  static Result<std::unique_ptr<OfficeDb>> Init(const std::string& path, const std::string& office,
                                                sync::Env& env);
  // Opens an initialized database. kNotFound when the file does not exist,
  // kInvalidArgument when it was never initialized with an office.
  static Result<std::unique_ptr<OfficeDb>> Open(const std::string& path, sync::Env& env);

  const std::string& office_id() const { return office_id_; }
  sync::sqlite::Store& store() { return *store_; }
  domain::JpPolicy policy() const { return policy_; }

  // Registers a new employee (kInvalidArgument if the NIP exists with other
  // data: use UpdateEmployee). Returns the stored record.
  Result<EmployeeRecord> AddEmployee(const EmployeeInput& in);
  // Changes the given fields of an existing employee. kNotFound if absent.
  Result<EmployeeRecord> UpdateEmployee(const EmployeeInput& in);
  Result<std::optional<EmployeeRecord>> FindEmployee(const std::string& nip);
  Result<std::vector<EmployeeRecord>> ListEmployees(bool include_inactive);
  // The employees of this office whose e-mail is `email` (case and
  // surrounding spaces ignored): none, one, or more when an address is
  // shared.
  Result<std::vector<EmployeeRecord>> FindEmployeesByEmail(std::string_view email);

  // Returns the new training's id. Route defaults from the form; JP and
  // minutes derive from each other with the minutes-per-JP setting.
  Result<std::string> AddTraining(const TrainingInput& in);
  Result<std::string> AddSession(const SessionInput& in);

  // Records (or corrects) one attendance. kNotFound for an unknown session,
  // or an unknown NIP without add_unknown.
  Result<AttendOutcome> Attend(const AttendInput& in);
  // Same inside the caller's batch (for imports).
  Result<AttendOutcome> Attend(sync::sqlite::WriteBatch& batch, const AttendInput& in);

  // Records (or corrects) one evaluation; returns its id. kNotFound for an
  // unknown training or NIP; kInvalidArgument for a bad kind, score,
  // aspects or date.
  Result<std::string> Evaluate(const EvaluateInput& in);
  // Same inside the caller's batch (for imports and the desk's undo).
  Result<EvaluateOutcome> Evaluate(sync::sqlite::WriteBatch& batch, const EvaluateInput& in);
  // Records (or corrects) the SKP of an employee of the roster for a year
  // and period: one row per (employee, year, period), so a later rating
  // updates it. Optional fields are written only when given. kNotFound for
  // an unknown NIP; kInvalidArgument naming the field for anything else.
  Result<SkpOutcome> RecordSkp(const SkpInput& in);
  // Same inside the caller's batch (for imports).
  Result<SkpOutcome> RecordSkp(sync::sqlite::WriteBatch& batch, const SkpInput& in);
  // This office's assessments (of `year`, else every year), by year, name,
  // NIP and period.
  Result<std::vector<SkpEntry>> ListSkp(std::optional<int> year);

  // Sets the cost and funding of one of this office's trainings. kNotFound
  // for an unknown training; kInvalidArgument for a central training (its
  // budget is BKPSDM's), a bad amount or funding source.
  Result<TrainingCost> SetTrainingCost(const TrainingCostInput& in);

  // Records one SKM response; returns its id.
  Result<std::string> AddSurvey(const SurveyInput& in);

  Result<StatusInfo> Status();
  // The device's local time now, "YYYY-MM-DDTHH:MM:SS" (as attendance
  // records it).
  Result<std::string> LocalTimestamp();

  // Upsert of an employee inside the caller's batch (used by the importer).
  Result<sync::sqlite::PutResult> PutEmployee(sync::sqlite::WriteBatch& batch, const EmployeeInput& in,
                                              bool must_exist, bool needs_review);

 private:
  OfficeDb(std::unique_ptr<sync::sqlite::Store> store, sync::Env& env)
      : store_(std::move(store)), env_(env) {}
  latih::Status LoadSettings();

  std::unique_ptr<sync::sqlite::Store> store_;
  sync::Env& env_;
  std::string office_id_;
  domain::JpPolicy policy_;
};

// Canonical office id for a code, name or alias; kNotFound listing the
// closest known offices otherwise.
Result<std::string> ResolveOffice(sync::sqlite::Store& store, const std::string& query);

// An amount of whole rupiah as people write it: "5000000", "5.000.000"
// (Indonesian thousands dots), "Rp 5.000.000", "Rp5.000.000,-", "5.000.000,00".
// kInvalidArgument naming `field` and the text for decimals, negatives,
// anything else, or more than Rp 100.000.000.000.
Result<int64_t> ParseRupiah(std::string_view text, std::string_view field);

// An SKP period as written ("tahunan", "Q2", "TW 2", "Triwulan II", "3",
// "03", "Maret", "March") as stored: "tahunan", "Q1".."Q4", "01".."12".
// "" is tahunan. kInvalidArgument naming the text otherwise.
Result<std::string> ParseSkpPeriod(std::string_view text);

// A predicate as e-Kinerja and people write it: the code, the label ("Sangat
// Baik", "Butuh Perbaikan", "Kurang/Misconduct"; any case), or SIASN's
// kuadranKinerjaNilai 1..5. kInvalidArgument naming the text otherwise.
Result<domain::SkpPredicate> ParseSkpPredicate(std::string_view text);

// Reads a row's column as text ("" for NULL). REQUIRES: the column exists.
std::string Cell(const sync::sqlite::Store& store, const sync::Row& row, std::string_view table,
                 std::string_view column);

}  // namespace latih::client
