// CSV imports of rosters and attendance lists. All-or-nothing: every line is
// checked first and every bad line is reported with its number; only a file
// without errors is written, in one transaction. Columns are found by header
// name, Indonesian or English, in any order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/lib/csv.h"
#include "client/lib/office_db.h"

namespace latih::client {

struct LineError {
  int line = 0;
  std::string message;  // names the field and the value
};

struct ImportReport {
  int records = 0;    // data lines read
  int created = 0;    // rows created
  int updated = 0;    // rows whose stored values changed
  int unchanged = 0;  // lines that matched what was stored
  int placeholders = 0;  // unknown NIPs registered for review (attendance)
  int skipped = 0;       // lines with nothing to record (scores: a NIP without any score)
  std::vector<LineError> errors;  // non-empty: nothing was written
};

// Roster columns: nip (required), nama/name, jabatan/position,
// golongan/rank, jenis/type, aktif/active (ya/tidak, 1/0, yes/no),
// email/e-mail/surel (trimmed and lower-cased, then checked).
// New NIPs need a name; known NIPs are updated with the file's non-empty
// values.
// Returns a report; a non-OK Status only for a file-level problem (missing
// columns, database errors). With report.errors non-empty nothing is stored.
Result<ImportReport> ImportRoster(OfficeDb& db, const CsvTable& table, const std::string& source);

// Attendance columns: nip (required), status/keterangan (default hadir),
// waktu/at/jam (optional check-in time), catatan/note, nama/name (used
// for placeholders with add_unknown). A NIP listed twice is an error.
Result<ImportReport> ImportAttendance(OfficeDb& db, const std::string& session_id,
                                      const CsvTable& table, const std::string& source,
                                      bool add_unknown);

// A training's scores from the facilitator's spreadsheet (docs/DESK.md,
// "Scores"): nip (required) and any of pre test, post test, reaksi
// (reaction), each 0..100; the reaction's aspects materi, fasilitator,
// sarana, jadwal (0..100; without a reaksi column or value, their mean is
// the reaction score); tanggal/date (the assessment date). An empty cell
// records nothing; a line with a NIP and no score is counted as skipped.
// An unknown NIP, a bad score or a NIP listed twice is an error of its line.
// created/updated/unchanged count scores, not lines. Re-importing the same
// file changes nothing (one evaluation per training, person and kind).
Result<ImportReport> ImportEvaluations(OfficeDb& db, const std::string& training_id, const CsvTable& table,
                                       const std::string& source);

// An e-Kinerja SKP export (docs/SKP.md): nip (required), tahun/year
// (required), periode/period (default tahunan; Q1, TW 1, triwulan I, 3,
// Maret...), hasil kerja and perilaku kerja (required: codes, labels,
// SIASN's 1..3), predikat (optional: it must be the predicate the two
// ratings give, else the line is refused naming both), tanggal penilaian,
// nip penilai, nama penilai. The NIP must be on the roster; a NIP, year and
// period twice in the file is an error of its line. Re-importing the same
// file changes nothing; a changed rating updates its row.
Result<ImportReport> ImportSkp(OfficeDb& db, const CsvTable& table, const std::string& source);

// A score 0..100 as people and spreadsheets write it: "85", "85.5", "85,5",
// "85%". kInvalidArgument naming the text otherwise.
Result<double> ParseScore(std::string_view text);

}  // namespace latih::client
