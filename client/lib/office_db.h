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
#include "sync/env.h"
#include "sync/sqlite/store.h"

namespace latih::client {

struct EmployeeInput {
  std::string nip;
  std::optional<std::string> name, position, rank;
  std::optional<std::string> type;  // "PNS"/"PPPK"; must agree with the NIP
  std::optional<bool> active;
};

struct EmployeeRecord {
  std::string id, nip, name, office_id, position, rank, type;
  bool active = true, needs_review = false;
};

struct TrainingInput {
  std::string title, form, competency, start_date, end_date;
  std::optional<std::string> route, organizer, certificate_no, scope;
  std::optional<double> jp;
  std::optional<int64_t> minutes;
  bool global = false;  // a central (BKPSDM) training: only central HR may create one
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

// Reads a row's column as text ("" for NULL). REQUIRES: the column exists.
std::string Cell(const sync::sqlite::Store& store, const sync::Row& row, std::string_view table,
                 std::string_view column);

}  // namespace latih::client
