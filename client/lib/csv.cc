#include "client/lib/csv.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <unordered_map>
#include <utility>

#include "client/lib/messages.h"
#include "sync/utf8.h"

namespace latih::client {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";
constexpr char kQuote = '"';
constexpr std::string_view kBlanks = " \t";  // trimmed around fields
// Delimiter candidates in tie-break order: the first wins a tie.
constexpr std::array<char, 3> kDelimiters = {',', ';', '\t'};
constexpr char kOutputDelimiter = ',';
// Characters that force WriteCsvRow to quote a field, so that ParseCsv reads
// the field back unchanged whichever delimiter it detects.
constexpr std::string_view kCharsNeedingQuotes = ",;\t\"\r\n";
constexpr std::string_view kHexDigits = "0123456789ABCDEF";
constexpr int kMaxLine = std::numeric_limits<int>::max();

// "FILE line N: problem".
std::string Where(std::string_view source, int line, std::string_view problem) {
  return Say(Msg::kFileLine, {source, std::to_string(line), problem});
}

bool IsLineBreak(char c) { return c == '\n' || c == '\r'; }

// True if text[pos] ends a physical line: LF, or a CR not followed by LF
// (the LF of a CRLF ends it instead). Lone CR is an old-Mac line end.
bool EndsLine(std::string_view text, size_t pos) {
  return text[pos] == '\n' || (text[pos] == '\r' && (pos + 1 >= text.size() ||
                                                     text[pos + 1] != '\n'));
}

int LineAt(std::string_view text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && line < kMaxLine; ++i) {
    line += EndsLine(text, i) ? 1 : 0;
  }
  return line;
}

Status ValidateUtf8(std::string_view text, std::string_view source) {
  const size_t pos = sync::FirstInvalidUtf8(text);
  if (pos == text.size()) return Status::Ok();
  const auto bad = static_cast<unsigned char>(text[pos]);
  const char hex[] = {kHexDigits[bad >> 4], kHexDigits[bad & 0xF], '\0'};
  return Status::Invalid(
      Where(source, LineAt(text, pos), Say(Msg::kCsvBadUtf8, {hex})));
}

// Counts the candidate delimiters outside quotes on the line starting at
// `text` (a quoted line break does not end it) and returns the most frequent.
char DetectDelimiter(std::string_view text) {
  std::array<size_t, kDelimiters.size()> counts{};
  bool in_quotes = false;
  bool at_field_start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      const bool escape =
          c == kQuote && i + 1 < text.size() && text[i + 1] == kQuote;
      in_quotes = c != kQuote || escape;
      i += escape ? 1 : 0;
      continue;
    }
    if (IsLineBreak(c)) break;
    const auto* found = std::find(kDelimiters.begin(), kDelimiters.end(), c);
    const bool is_delimiter = found != kDelimiters.end();
    if (is_delimiter) ++counts[found - kDelimiters.begin()];
    in_quotes = c == kQuote && at_field_start;  // opens only at a field start
    if (is_delimiter || c != ' ') at_field_start = is_delimiter;
  }
  // max_element returns the first maximum, which is the tie-break order.
  return kDelimiters[std::max_element(counts.begin(), counts.end()) -
                     counts.begin()];
}

// A single forward pass over the text; every byte is visited a bounded number
// of times, so parsing is linear.
class Parser {
 public:
  Parser(std::string_view text, std::string_view source)
      : text_(text), source_(source) {}

  int line() const { return line_; }
  std::string_view rest() const { return text_.substr(pos_); }
  void set_delimiter(char delimiter) { delimiter_ = delimiter; }

  // Skips lines holding only blanks. Returns false at the end of the text.
  bool SkipBlankLines() {
    while (pos_ < text_.size()) {
      size_t p = pos_;
      while (p < text_.size() && IsBlank(text_[p])) ++p;
      if (p < text_.size() && !IsLineBreak(text_[p])) return true;
      pos_ = p;
      ConsumeLineBreak();
    }
    return false;
  }

  // Parses one record starting at the current position.
  Status ParseRecord(std::vector<std::string>* fields) {
    fields->clear();
    while (true) {
      SkipBlanks();
      std::string& field = fields->emplace_back();
      if (At(kQuote)) {
        LATIH_RETURN_IF_ERROR(ParseQuoted(&field));
        SkipBlanks();
        if (pos_ < text_.size() && !At(delimiter_) &&
            !IsLineBreak(text_[pos_])) {
          return Status::Invalid(
              Where(source_, line_, Say(Msg::kCsvTextAfterQuote)));
        }
      } else {
        ParseUnquoted(&field);
      }
      if (!At(delimiter_)) break;
      ++pos_;
    }
    ConsumeLineBreak();
    return Status::Ok();
  }

 private:
  bool IsBlank(char c) const {
    return (c == ' ' || c == '\t') && c != delimiter_;
  }
  bool At(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  void SkipBlanks() {
    while (pos_ < text_.size() && IsBlank(text_[pos_])) ++pos_;
  }

  void NextLine() {
    if (line_ < kMaxLine) ++line_;
  }

  void ConsumeLineBreak() {
    if (pos_ >= text_.size()) return;
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    NextLine();
  }

  // REQUIRES: text_[pos_] is not blank and starts no quoted field.
  void ParseUnquoted(std::string* out) {
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != delimiter_ &&
           !IsLineBreak(text_[pos_])) {
      ++pos_;
    }
    size_t end = pos_;
    while (end > start && IsBlank(text_[end - 1])) --end;
    out->assign(text_.substr(start, end - start));
  }

  // REQUIRES: text_[pos_] is the opening quote.
  Status ParseQuoted(std::string* out) {
    const int opening_line = line_;
    size_t chunk = ++pos_;
    while (pos_ < text_.size()) {
      if (text_[pos_] == kQuote) {
        out->append(text_.substr(chunk, pos_ - chunk));
        ++pos_;
        if (pos_ >= text_.size() || text_[pos_] != kQuote) return Status::Ok();
        out->push_back(kQuote);  // "" is an escaped quote
        chunk = ++pos_;
        continue;
      }
      if (EndsLine(text_, pos_)) NextLine();
      ++pos_;
    }
    return Status::Invalid(
        Where(source_, opening_line, Say(Msg::kCsvQuoteNotClosed)));
  }

  std::string_view text_;
  std::string_view source_;
  size_t pos_ = 0;
  int line_ = 1;
  char delimiter_ = '\0';  // none yet: before the header, tabs are blanks
};

std::string_view TrimBlanks(std::string_view s) {
  s.remove_prefix(std::min(s.find_first_not_of(kBlanks), s.size()));
  s.remove_suffix(s.size() - (s.find_last_not_of(kBlanks) + 1));
  return s;
}

// Lower-cases ASCII, trims, and turns every run of ' ', '-', '_', tab or
// no-break space into one ' '.
std::string NormalizeColumnName(std::string_view name) {
  std::string out;
  bool pending_separator = false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool no_break_space = name.substr(i).starts_with(kNoBreakSpace);
    if (no_break_space || c == ' ' || c == '-' || c == '_' || c == '\t') {
      pending_separator = true;
      if (no_break_space) ++i;
      continue;
    }
    if (pending_separator && !out.empty()) out.push_back(' ');
    pending_separator = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::string MissingColumnMessage(const CsvColumnSpec& spec) {
  std::string out = Say(Msg::kCsvMissingColumn, {spec.key});
  std::string also;
  const std::string key = NormalizeColumnName(spec.key);
  for (std::string_view name : spec.names) {
    if (NormalizeColumnName(name) == key) continue;
    also += (also.empty() ? "" : ", ") + std::string(name);
  }
  return also.empty() ? out : out + Say(Msg::kCsvAlsoAccepted, {also});
}

std::string DuplicateColumnMessage(const CsvColumnSpec& spec,
                                   const std::vector<std::string>& header,
                                   const std::vector<size_t>& positions) {
  std::string out = Say(Msg::kCsvColumnTwice, {spec.key});
  for (size_t i = 0; i < positions.size(); ++i) {
    out += (i == 0 ? " " : ", ") +
           Say(Msg::kCsvColumnAt,
               {header[positions[i]], std::to_string(positions[i] + 1)});
  }
  return out;
}

}  // namespace

Result<CsvTable> ParseCsv(std::string_view text, std::string_view source) {
  while (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  LATIH_RETURN_IF_ERROR(ValidateUtf8(text, source));

  Parser parser(text, source);
  if (!parser.SkipBlankLines()) {
    return Status::Invalid(
        Where(source, parser.line(), Say(Msg::kCsvEmpty)));
  }
  CsvTable table;
  table.header_line = parser.line();
  table.delimiter = DetectDelimiter(parser.rest());
  parser.set_delimiter(table.delimiter);
  LATIH_RETURN_IF_ERROR(parser.ParseRecord(&table.header));
  for (std::string& name : table.header) {  // trimmed, without a stray BOM
    std::string_view v = TrimBlanks(name);
    while (v.starts_with(kUtf8Bom)) v = TrimBlanks(v.substr(kUtf8Bom.size()));
    name = UndefuseFormula(std::string(v));
  }

  while (parser.SkipBlankLines()) {
    CsvRecord record;
    record.line = parser.line();
    LATIH_RETURN_IF_ERROR(parser.ParseRecord(&record.fields));
    for (std::string& field : record.fields) field = UndefuseFormula(std::move(field));
    table.records.push_back(std::move(record));
  }
  return table;
}

Result<CsvTable> ReadCsvFile(const std::string& path) {
  std::error_code ec;
  const auto file_status = std::filesystem::status(path, ec);
  if (file_status.type() == std::filesystem::file_type::not_found) {
    return Status::NotFound(Say(Msg::kFileNotFound, {path}));
  }
  if (ec) return Status::IOError(path + ": " + ec.message());
  if (std::filesystem::is_directory(file_status)) {
    return Status::IOError(Say(Msg::kFileIsDirectory, {path}));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::IOError(
        Say(Msg::kFileCannotOpen, {path, std::strerror(errno)}));
  }
  std::string text{std::istreambuf_iterator<char>(in),
                   std::istreambuf_iterator<char>()};
  if (in.bad()) return Status::IOError(Say(Msg::kFileReadFailed, {path}));
  return ParseCsv(text, path);
}

Result<CsvColumns> CsvColumns::Map(const CsvTable& table,
                                   std::span<const CsvColumnSpec> specs,
                                   std::string_view source) {
  // Normalized name -> index of the first spec accepting it (key or alias).
  std::unordered_map<std::string, size_t> spec_of_name;
  for (size_t s = 0; s < specs.size(); ++s) {
    spec_of_name.try_emplace(NormalizeColumnName(specs[s].key), s);
    for (std::string_view name : specs[s].names) {
      spec_of_name.try_emplace(NormalizeColumnName(name), s);
    }
  }
  std::vector<std::vector<size_t>> positions(specs.size());
  for (size_t column = 0; column < table.header.size(); ++column) {
    const auto it =
        spec_of_name.find(NormalizeColumnName(table.header[column]));
    if (it != spec_of_name.end()) positions[it->second].push_back(column);
  }

  std::string problems;
  CsvColumns columns;
  for (size_t s = 0; s < specs.size(); ++s) {
    std::string problem;
    if (positions[s].empty() && specs[s].required) {
      problem = MissingColumnMessage(specs[s]);
    } else if (positions[s].size() > 1) {
      problem = DuplicateColumnMessage(specs[s], table.header, positions[s]);
    } else if (positions[s].size() == 1) {
      columns.index_.emplace_back(std::string(specs[s].key), positions[s][0]);
    }
    if (problem.empty()) continue;
    problems += (problems.empty() ? "" : "; ") + problem;
  }
  if (!problems.empty()) {
    return Status::Invalid(Where(source, table.header_line, problems));
  }
  return columns;
}

bool CsvColumns::Has(std::string_view key) const {
  return std::any_of(index_.begin(), index_.end(),
                     [&](const auto& entry) { return entry.first == key; });
}

std::string_view CsvColumns::Get(const CsvRecord& record,
                                 std::string_view key) const {
  for (const auto& [k, position] : index_) {
    if (k == key && position < record.fields.size()) {
      return TrimBlanks(record.fields[position]);
    }
  }
  return {};
}

namespace {

// "-5", "+62.5", "1e3": what a spreadsheet reads as a number, not a formula.
bool IsPlainNumber(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  bool digits = false;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, digits = true;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, digits = true;
  }
  if (digits && i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    bool exp = false;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, exp = true;
    if (!exp) return false;
  }
  return digits && i == t.size();
}

}  // namespace

bool LooksLikeFormula(std::string_view text) {
  if (IsPlainNumber(text)) return false;
  const size_t start = text.find_first_not_of('\'');  // '=x is defused already: ''=x keeps it so
  if (start == std::string_view::npos) return false;
  const char c = text[start];
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

std::string DefuseFormula(std::string text) {
  if (LooksLikeFormula(text)) text.insert(0, 1, '\'');
  return text;
}

std::string UndefuseFormula(std::string text) {
  if (text.size() > 1 && text[0] == '\'' && LooksLikeFormula(std::string_view(text).substr(1))) text.erase(0, 1);
  return text;
}

void WriteCsvRow(std::ostream& out, std::span<const std::string> fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string field = DefuseFormula(fields[i]);
    if (i > 0) out << kOutputDelimiter;
    const bool needs_quotes =
        field.find_first_of(kCharsNeedingQuotes) != std::string::npos ||
        (!field.empty() && (field.front() == ' ' || field.back() == ' ')) ||
        field.starts_with(kUtf8Bom) ||          // else a reader strips it
        (field.empty() && fields.size() == 1);  // else the line is blank
    if (!needs_quotes) {
      out << field;
      continue;
    }
    out << kQuote;
    for (char c : field) {
      if (c == kQuote) out << kQuote;
      out << c;
    }
    out << kQuote;
  }
  out << '\n';
}

}  // namespace latih::client
