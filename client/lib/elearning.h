// E-learning completions (issue 9, docs/ELEARNING.md): an LMS's course
// completion export (Moodle's course completion report is the common case)
// turned into training records of the non-klasikal route, SIASN form 16
// (E-Learning), each completion crediting the course's JP. Columns are found
// by header name (Moodle's English and Indonesian headers, and latih's own),
// or named with `columns` for other LMS layouts. Deterministic ids: the
// same file imported twice changes nothing.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/lib/csv.h"
#include "client/lib/importers.h"
#include "client/lib/office_db.h"

namespace latih::client {

struct ElearningOptions {
  std::string lms = "moodle";  // part of each course's identity
  // For a file without a course column (Moodle's per-course report): the
  // course's title; else the file's column wins where it is not empty.
  std::optional<std::string> course;
  std::optional<double> jp;          // the same for the course's JP
  std::string competency = "teknis";  // teknis, manajerial, sosial_kultural
  // Column overrides, key = header: nip, email, name, course, jp, completed.
  std::vector<std::pair<std::string, std::string>> columns;
};

struct ElearningReport {
  int records = 0;        // data lines
  int completions = 0;    // completions recorded (matched, with a date)
  int created = 0, updated = 0, unchanged = 0;  // their attendance records
  int not_completed = 0;  // lines without a completion: nothing to record
  int trainings = 0;      // courses in the file
  struct Unmatched {
    int line = 0;
    std::string who;     // the line's NIP, e-mail or name, as written
    std::string reason;  // why nobody on the roster matches
  };
  // Completions of nobody on this office's roster: listed, never recorded.
  std::vector<Unmatched> unmatched;
  std::vector<LineError> errors;  // non-empty: nothing was written
};

// Imports `table` as completions on `db`. Each course is one training of
// this office (form 16, route non_klasikal, the course's JP), its dates
// spanning the completions; each calendar year of completions is one
// session of it crediting the course's JP; each completion is attendance
// "hadir" at its completion time. A person is matched by NIP (the LMS's ID
// number or username holding it), or, on a line without a well-formed NIP,
// by an e-mail that exactly one employee of the roster has (case ignored);
// an unknown or shared e-mail is listed as unmatched. A file needs a NIP
// column, an e-mail column, or both. All or nothing for errors (a bad date or
// JP, no course or JP for a line, a person completing one course twice in
// the file); unmatched lines are listed and the rest is imported. Returns a
// non-OK Status only for a file-level problem (a missing column,
// `options` wrong, database errors).
Result<ElearningReport> ImportElearning(OfficeDb& db, const CsvTable& table, const std::string& source,
                                        const ElearningOptions& options);

// A completion time as LMS exports write it, as "YYYY-MM-DDTHH:MM" (00:00
// when only the date is given): ISO (2026-03-07, 2026-03-07 10:15),
// day/month/year (07/03/2026, 7/3/26, 07/03/26, 10:15 or 10.15), and the
// long form in English or Indonesian ("Tuesday, 7 March 2026, 10:15 AM",
// "Selasa, 7 Maret 2026, 10.15"). nullopt for anything else.
std::optional<std::string> ParseCompletionTime(std::string_view text);

}  // namespace latih::client
