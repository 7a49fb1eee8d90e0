// Desk: the attendance desk of one session (issue 8, docs/DESK.md). It
// holds the session's roster in memory, finds people as the clerk types
// (NIP digits or any part of a name), records check-ins through OfficeDb
// (committed before the call returns, so whatever the screen shows as done
// survives a power cut), undoes the desk's own check-ins, and keeps live
// counts. The terminal screen (client/cli/desk_screen.cc) is a thin view of
// it; tests drive it directly. Not thread-safe; borrows the OfficeDb, which
// must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/lib/importers.h"
#include "client/lib/office_db.h"

namespace latih::client {

// The scores a desk records at the end of a session (Kirkpatrick levels 1
// and 2): the training's pre-test, post-test and reaction, 0..100.
enum class ScoreKind { kPostTest, kPreTest, kReaction };
std::string_view ScoreKindCode(ScoreKind kind);  // "post_test", "pre_test", "reaction"

struct DeskScores {
  std::optional<double> pre_test, post_test, reaction;  // nullopt: none recorded
  const std::optional<double>& Of(ScoreKind kind) const;
};

// One person on the desk's roster and where they stand for this session.
struct DeskPerson {
  std::string employee_id, nip, name, office_id;
  std::string status;         // this session's attendance status ("hadir", ...); "" not yet recorded
  std::string checked_in_at;  // as recorded, local "YYYY-MM-DDTHH:MM:SS"; "" none
  std::optional<int64_t> minutes_late;
  bool needs_review = false;  // registered at a desk, not yet confirmed by the office's roster
  std::string folded;         // the name folded for search (FoldForSearch)
  DeskScores scores;          // the training's scores (Desk only; LoadRoster leaves them empty)
};

struct DeskCounts {
  int present = 0;   // hadir, terlambat, pulang_awal (they count as attended)
  int excused = 0;   // any other status recorded (izin, sakit, dinas_luar, cuti, alpa)
  int not_yet = 0;   // on the roster, nothing recorded
  int total = 0;     // the roster
};

// What a check-in did.
struct DeskCheckIn {
  enum class Kind {
    kRecorded,        // a new record
    kChanged,         // an earlier record of this session got another status
    kAlreadyPresent,  // recorded before with this status: nothing written (a second check-in)
  };
  Kind kind = Kind::kRecorded;
  DeskPerson person;                // as it stands now
  std::string previous_status;      // kChanged, kAlreadyPresent: the status recorded before
  std::string previous_at;          // its time
  bool walk_in = false;             // registered at this check-in (needs review)
};

class Desk {
 public:
  // The desk of session `session_id`. Its roster: the active employees of
  // the session's host office (the training's office if the session names
  // none, this device's office for a global training), and everyone with
  // a record in any session of the training (walk-ins and other offices'
  // participants). kNotFound for an unknown session.
  static Result<std::unique_ptr<Desk>> Open(OfficeDb& db, const std::string& session_id);

  const std::string& session_id() const { return session_id_; }
  const std::string& training_title() const { return training_title_; }
  const std::string& date() const { return date_; }
  const std::string& start_time() const { return start_time_; }  // "HH:MM"; "" not set
  const std::vector<DeskPerson>& roster() const { return roster_; }

  // The roster people whose NIP or name matches `query`, best first, at
  // most `limit`. A query of digits (spaces ignored) matches NIPs that
  // contain it, an exact NIP first, then NIPs that start with it. Any other
  // query matches names that contain each of its words, folded (case,
  // accents and punctuation ignored), those where every word starts a word
  // of the name first; then by name. An empty query matches nobody.
  std::vector<const DeskPerson*> Search(std::string_view query, size_t limit) const;
  // The roster person whose NIP is `nip` (spaces ignored), or nullptr.
  const DeskPerson* FindNip(std::string_view nip) const;

  // Records `status` ("hadir", "terlambat", ... or an alias, see
  // domain::ParseAttendanceStatus) for the person with NIP `nip`, at the
  // device's time now; "terlambat" gets its minutes from the session's
  // start when the session is today. `method` is "manual" (picked from the
  // search) or "qr" (a whole NIP entered, as a scanner types it). A person
  // already recorded with the same status is not recorded again
  // (kAlreadyPresent); another status replaces it only with `allow_change`
  // (else kAlreadyPresent too, with the status found). kNotFound for a NIP
  // that is neither on the roster nor registered (see CheckInWalkIn);
  // kInvalidArgument for a malformed NIP or status.
  Result<DeskCheckIn> CheckIn(std::string_view nip, std::string_view status, std::string_view method,
                              bool allow_change);
  // Registers an unknown NIP as a walk-in (flagged for review, under
  // `name`, the office's) and checks them in as CheckIn does.
  Result<DeskCheckIn> CheckInWalkIn(std::string_view nip, std::string_view name, std::string_view status,
                                    std::string_view method);

  // Undoes the last check-in of this desk not yet undone: a new record is
  // deleted, a changed one gets its earlier values back (both as ordinary
  // changes that sync). A walk-in's registration stays (for review).
  // Returns the person as they stand after, or nullopt when there is
  // nothing to undo.
  Result<std::optional<DeskPerson>> Undo();
  bool CanUndo() const { return !undo_.empty(); }

  DeskCounts Counts() const;

  // Records the training's `kind` score for the person with NIP `nip` from
  // what the clerk typed (docs/DESK.md, "Scores"): one score 0..100 ("85",
  // "85,5"); for a reaction also its four aspects, materi fasilitator sarana
  // jadwal, as four scores separated by spaces (the reaction score is their
  // mean). The assessment date is the device's today. Committed before it
  // returns; undone by Undo like a check-in. Returns the person as they
  // stand after. kInvalidArgument for a score that is not 0..100 or a
  // malformed NIP; kNotFound for an unregistered NIP.
  Result<DeskPerson> RecordScore(std::string_view nip, ScoreKind kind, std::string_view typed);
  // Imports the training's scores from the facilitator's CSV at `path`
  // (ImportEvaluations: all or nothing) and shows them on the roster. The
  // import is not undoable from the desk (re-import a corrected file).
  Result<ImportReport> ImportScores(const std::string& path);

 private:
  struct Undoable {
    std::string table, row_id, employee_id;  // an attendance or evaluation row
    std::optional<sync::Row> before;         // nullopt: the record was new
  };

  Desk(OfficeDb& db, std::string session_id) : db_(db), session_id_(std::move(session_id)) {}
  Status Load();
  DeskPerson* Find(std::string_view employee_id);
  Result<DeskCheckIn> Record(const std::string& nip, std::string_view status, std::string_view method,
                             bool allow_change, std::optional<std::string> walk_in_name);
  Status Refresh(DeskPerson& person);
  Status LoadScores();  // every roster person's scores of the training

  OfficeDb& db_;
  std::string session_id_, training_id_, training_title_, date_, start_time_, host_office_;
  std::vector<DeskPerson> roster_;
  std::vector<Undoable> undo_;
};

// The people of a training's desk and cards (docs/DESK.md, "The roster"):
// the active employees of `office` and everyone with a record in any
// session of `training_id`, by name. With a `session_id`, each one's record
// of that session (status, time, minutes late); with "", none.
Result<std::vector<DeskPerson>> LoadRoster(OfficeDb& db, const std::string& training_id, const std::string& office,
                                           const std::string& session_id);

// `text` lower-cased, Latin accents removed (é → e), apostrophes dropped,
// every run of anything else but letters and digits made one space,
// trimmed: "Ma'ruf  AMIN, S.Sos" → "maruf amin s sos". Pure; thread-safe.
std::string FoldForSearch(std::string_view text);

}  // namespace latih::client
