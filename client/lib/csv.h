// CSV reading and writing for spreadsheet exports (rosters, attendance lists,
// scores) and for `--csv` output. Reads what office spreadsheets really
// produce: UTF-8 with or without a BOM, comma, semicolon or tab delimiters
// (detected from the header line), RFC 4180 quoting with "" escapes,
// delimiters and line breaks inside quotes, CRLF, LF or (old Mac) CR line ends.
// Pure functions over strings; thread-safe.
#pragma once

#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sync/status.h"

namespace latih::client {

struct CsvRecord {
  int line = 0;  // 1-based physical line on which the record starts
  std::vector<std::string> fields;
};

struct CsvTable {
  char delimiter = ',';
  std::vector<std::string> header;  // trimmed; BOM removed
  int header_line = 1;
  std::vector<CsvRecord> records;   // data records; blank lines skipped
};

// Parses `text` (the whole file). `source` names the file in messages.
// The first non-blank line is the header. Fields are kept as written except
// that surrounding spaces (and tabs, unless tab is the delimiter) outside
// quotes are trimmed. Header names are trimmed even when quoted.
// Returns kInvalidArgument for input that cannot be read as CSV at all, with
// the source and line in the message: an empty file or missing header, a
// quote that is never closed ("roster.csv line 7: quoted field opened here is
// never closed"), text after a closing quote, invalid UTF-8.
// A record whose field count differs from the header is NOT an error here:
// callers report it per line, together with their own validation.
Result<CsvTable> ParseCsv(std::string_view text, std::string_view source);

// Reads the file at `path` and parses it. kNotFound if it does not exist,
// kIOError if it cannot be read.
Result<CsvTable> ReadCsvFile(const std::string& path);

// One expected column: a canonical key and the header names that mean it
// (Indonesian and English); the key itself is accepted as a name too.
// Header matching ignores ASCII case and surrounding spaces, and treats ' ',
// '-' and '_' alike (a run of them counts as one).
struct CsvColumnSpec {
  std::string_view key;
  std::vector<std::string_view> names;
  bool required = false;
};

// The mapping from column keys to positions in one file's header.
class CsvColumns {
 public:
  // Maps `table.header` against `specs`. Returns kInvalidArgument listing
  // every required column that is missing and every column named twice
  // ("roster.csv line 1: missing column nip (also accepted: NIP Baru)").
  // Columns that match no spec are ignored.
  static Result<CsvColumns> Map(const CsvTable& table,
                                std::span<const CsvColumnSpec> specs,
                                std::string_view source);

  bool Has(std::string_view key) const;
  // The trimmed field of `record` for `key`; empty when the column is absent
  // or the record is short.
  std::string_view Get(const CsvRecord& record, std::string_view key) const;

 private:
  std::vector<std::pair<std::string, size_t>> index_;
};

// Writes one CSV row (comma-delimited, quoting fields that contain a comma,
// semicolon, tab, quote, CR or LF, that start or end with a space or start
// with a BOM, and a row's only field when it is empty), ending with "\n".
// ParseCsv reads such rows back unchanged, whatever delimiter it detects.
void WriteCsvRow(std::ostream& out, std::span<const std::string> fields);

// CSV injection: WriteCsvRow writes a cell that a spreadsheet would run as
// a formula (text, not a plain number, starting with =, +, -, @, tab or CR
// after any apostrophes) with one more leading "'", which spreadsheets show
// as text; ParseCsv removes exactly that "'", so every value written reads
// back unchanged (and a spreadsheet's own '-escaped cell reads as its text).
bool LooksLikeFormula(std::string_view text);
std::string DefuseFormula(std::string text);
std::string UndefuseFormula(std::string text);

}  // namespace latih::client
