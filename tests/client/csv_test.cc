#include "client/lib/csv.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace latih::client {
namespace {

constexpr std::string_view kSource = "roster.csv";

CsvTable MustParse(std::string_view text) {
  Result<CsvTable> result = ParseCsv(text, kSource);
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return std::move(result).value();
}

Status MustFail(std::string_view text) {
  Result<CsvTable> result = ParseCsv(text, kSource);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == StatusCode::kInvalidArgument);
  return result.status();
}

using Fields = std::vector<std::string>;

std::string WriteRows(const std::vector<Fields>& rows) {
  std::ostringstream out;
  for (const Fields& row : rows) WriteCsvRow(out, row);
  return out.str();
}

// The roster columns used by the mapping tests.
std::vector<CsvColumnSpec> RosterSpecs() {
  return {
      {"nip", {"NIP", "NIP Baru"}, true},
      {"name", {"Nama", "Nama Lengkap", "Full Name"}, true},
      {"birth_date", {"Tanggal Lahir", "Date of Birth"}, false},
  };
}

TEST_CASE("A semicolon file with a BOM from Indonesian Excel is read",
          "[client][csv]") {
  const CsvTable table = MustParse(
      "\xEF\xBB\xBFNIP;Nama;Unit\r\n"
      "198001012005011001;Budi, S.Kom;Keuangan\r\n");
  CHECK(table.delimiter == ';');
  CHECK(table.header == Fields{"NIP", "Nama", "Unit"});
  CHECK(table.header_line == 1);
  REQUIRE(table.records.size() == 1);
  CHECK(table.records[0].line == 2);
  CHECK(table.records[0].fields ==
        Fields{"198001012005011001", "Budi, S.Kom", "Keuangan"});
}

TEST_CASE("A BOM before a quoted header or after blank lines is removed",
          "[client][csv]") {
  const CsvTable quoted = MustParse("\xEF\xBB\xBF\"Nama, lengkap\",NIP\n");
  CHECK(quoted.header == Fields{"Nama, lengkap", "NIP"});
  const CsvTable late = MustParse("\n\xEF\xBB\xBF NIP ;Nama\n1;Budi\n");
  CHECK(late.header == Fields{"NIP", "Nama"});
  CHECK(late.header_line == 2);
  CHECK(late.delimiter == ';');
}

TEST_CASE("Comma and tab files are detected from the header", "[client][csv]") {
  const CsvTable comma = MustParse("nip, nama ,unit\n1, Budi ,Keu\n");
  CHECK(comma.delimiter == ',');
  CHECK(comma.header == Fields{"nip", "nama", "unit"});
  CHECK(comma.records[0].fields == Fields{"1", "Budi", "Keu"});

  const CsvTable tab = MustParse("nip\tnama\tunit\n1\tBudi, S.Kom; Sekda\t\n");
  CHECK(tab.delimiter == '\t');
  CHECK(tab.records[0].fields == Fields{"1", "Budi, S.Kom; Sekda", ""});
}

TEST_CASE("Delimiter ties prefer comma then semicolon and quotes hide them",
          "[client][csv]") {
  CHECK(MustParse("a,b;c\n").delimiter == ',');
  CHECK(MustParse("a;b\tc\n").delimiter == ';');
  CHECK(MustParse("\"a;b;c\",d\n").delimiter == ',');
  CHECK(MustParse("\"x,\"\"y\"\",z\";b\n").delimiter == ';');
  CHECK(MustParse("single\n1\n").delimiter == ',');
}

TEST_CASE("Quoted fields keep delimiters, escaped quotes and spaces",
          "[client][csv]") {
  const CsvTable table = MustParse(
      "a,b,c\n"
      "\"x,y\", \"say \"\"hi\"\"\" ,\"  padded  \"\n");
  REQUIRE(table.records.size() == 1);
  CHECK(table.records[0].fields == Fields{"x,y", "say \"hi\"", "  padded  "});
  // A quote that does not open a field is kept as written.
  CHECK(MustParse("a,b\n5'6\" tall,x\n").records[0].fields ==
        Fields{"5'6\" tall", "x"});
}

TEST_CASE("A quoted line break spans lines and later lines stay numbered",
          "[client][csv]") {
  const CsvTable table = MustParse(
      "nip,alamat\n"
      "1,\"Jl. Merdeka 1\n"
      "Jakarta\"\n"
      "2,\"a\r\nb\r\nc\"\r\n"
      "3,x\n");
  REQUIRE(table.records.size() == 3);
  CHECK(table.records[0].line == 2);
  CHECK(table.records[0].fields[1] == "Jl. Merdeka 1\nJakarta");
  CHECK(table.records[1].line == 4);
  CHECK(table.records[1].fields[1] == "a\r\nb\r\nc");
  CHECK(table.records[2].line == 7);
}

TEST_CASE("CRLF and lone CR line ends leave no CR in fields", "[client][csv]") {
  const CsvTable crlf = MustParse("a,b\r\n1,2\r\n3,4\r\n");
  REQUIRE(crlf.records.size() == 2);
  CHECK(crlf.header == Fields{"a", "b"});
  CHECK(crlf.records[1].fields == Fields{"3", "4"});
  CHECK(crlf.records[1].line == 3);

  const CsvTable cr = MustParse("a,b\r1,2\r3,4");
  REQUIRE(cr.records.size() == 2);
  CHECK(cr.records[1].fields == Fields{"3", "4"});
  CHECK(cr.records[1].line == 3);
}

TEST_CASE("Blank lines are skipped but still counted", "[client][csv]") {
  const CsvTable table = MustParse("\n  \r\na,b\n\n1,2\n \t \n3,4\n\n\n");
  CHECK(table.header_line == 3);
  REQUIRE(table.records.size() == 2);
  CHECK(table.records[0].line == 5);
  CHECK(table.records[1].line == 7);
}

TEST_CASE("In a tab file a line of tabs is a record of empty fields",
          "[client][csv]") {
  const CsvTable table = MustParse("a\tb\n\t\n");
  REQUIRE(table.records.size() == 1);
  CHECK(table.records[0].fields == Fields{"", ""});
}

TEST_CASE("An unterminated quote names the line where it opened",
          "[client][csv]") {
  const Status status = MustFail("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
  CHECK_THAT(status.message(), Catch::Contains("roster.csv line 3:") &&
                                   Catch::Contains("never closed"));
}

TEST_CASE("Text after a closing quote is an error with its line",
          "[client][csv]") {
  const Status status = MustFail("a,b\n1,2\n\"ab\"c,3\n");
  CHECK_THAT(status.message(), Catch::Contains("roster.csv line 3:") &&
                                   Catch::Contains("closing quote"));
  const Status spanning = MustFail("a,b\n\"x\ny\"z,1\n");
  CHECK_THAT(spanning.message(), Catch::Contains("line 3:"));
}

TEST_CASE("Invalid UTF-8 is rejected with its line", "[client][csv]") {
  const std::vector<std::string> bad = {
      "\xE9",              // Latin-1 e-acute, as Excel "CSV" writes it
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong '/'
      "\xF0\x80\x80\xAF",  // overlong '/'
      "\xED\xA0\x80",      // UTF-16 surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\x80",              // lone continuation byte
      "\xFF",
      "\xE2\x82",  // truncated euro sign at the end of the file
  };
  for (const std::string& bytes : bad) {
    INFO("bytes " << bytes.size());
    const Status status = MustFail("a,b\n1,2\n\n3,\"x" + bytes);
    CHECK_THAT(status.message(), Catch::Contains("roster.csv line 4:") &&
                                     Catch::Contains("UTF-8"));
  }
  const Status utf16 = MustFail(std::string("\xFF\xFEN\0,\0", 6));
  CHECK_THAT(utf16.message(), Catch::Contains("line 1:"));
}

TEST_CASE("Valid multi-byte UTF-8 is accepted", "[client][csv]") {
  const CsvTable table = MustParse(
      "nama,catatan\n"
      "Zoë,\xE2\x82\xAC 5 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBF\xBF\n");
  CHECK(table.records[0].fields[0] == "Zoë");
  CHECK(table.records[0].fields[1] ==
        "\xE2\x82\xAC 5 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBF\xBF");
}

TEST_CASE("An empty or blank file has no header and is an error",
          "[client][csv]") {
  CHECK_THAT(MustFail("").message(), Catch::Contains("roster.csv line 1:"));
  CHECK_THAT(MustFail("\xEF\xBB\xBF").message(), Catch::Contains("empty"));
  CHECK_THAT(MustFail("\n \n\t\n").message(), Catch::Contains("line 4:"));
}

TEST_CASE("A header-only file has zero records and is not an error",
          "[client][csv]") {
  CHECK(MustParse("nip,nama").records.empty());
  CHECK(MustParse("nip,nama\r\n\r\n").records.empty());
}

TEST_CASE("Short and long records are kept with their own field count",
          "[client][csv]") {
  const CsvTable table = MustParse("a,b,c\n1\n1,2,3,4\n1,2,\n");
  REQUIRE(table.records.size() == 3);
  CHECK(table.records[0].fields == Fields{"1"});
  CHECK(table.records[1].fields == Fields{"1", "2", "3", "4"});
  CHECK(table.records[2].fields == Fields{"1", "2", ""});
}

TEST_CASE("Columns map by Indonesian or English alias in any order and case",
          "[client][csv]") {
  const CsvTable table = MustParse(
      " full_name ; TANGGAL-LAHIR;Unit; nip  baru\n"
      "Budi;1980-01-01;Keu;198001012005011001\n"
      "Ani\n");
  Result<CsvColumns> columns = CsvColumns::Map(table, RosterSpecs(), kSource);
  INFO(columns.status().ToString());
  REQUIRE(columns.ok());
  CHECK(columns->Has("nip"));
  CHECK(columns->Has("birth_date"));
  CHECK_FALSE(columns->Has("unit"));
  CHECK(columns->Get(table.records[0], "nip") == "198001012005011001");
  CHECK(columns->Get(table.records[0], "name") == "Budi");
  CHECK(columns->Get(table.records[0], "birth_date") == "1980-01-01");
  CHECK(columns->Get(table.records[0], "unknown").empty());
  // A short record: the missing fields read as empty.
  CHECK(columns->Get(table.records[1], "name") == "Ani");
  CHECK(columns->Get(table.records[1], "nip").empty());
}

TEST_CASE("An optional column may be absent and the key itself matches",
          "[client][csv]") {
  const CsvTable table = MustParse("NAME,Nip\nBudi,1\n");
  Result<CsvColumns> columns = CsvColumns::Map(table, RosterSpecs(), kSource);
  REQUIRE(columns.ok());
  CHECK_FALSE(columns->Has("birth_date"));
  CHECK(columns->Get(table.records[0], "birth_date").empty());
  CHECK(columns->Get(table.records[0], "nip") == "1");
}

TEST_CASE("Get trims a quoted field", "[client][csv]") {
  const CsvTable table = MustParse("nip,nama\n\" 7 \",\"  Budi\"\n");
  Result<CsvColumns> columns = CsvColumns::Map(table, RosterSpecs(), kSource);
  REQUIRE(columns.ok());
  CHECK(table.records[0].fields[0] == " 7 ");
  CHECK(columns->Get(table.records[0], "nip") == "7");
  CHECK(columns->Get(table.records[0], "name") == "Budi");
}

TEST_CASE("Every missing required column is listed in one message",
          "[client][csv]") {
  const CsvTable table = MustParse("\n\nUnit,Jabatan\n");
  Result<CsvColumns> columns = CsvColumns::Map(table, RosterSpecs(), kSource);
  REQUIRE_FALSE(columns.ok());
  CHECK(columns.status().code() == StatusCode::kInvalidArgument);
  const std::string& message = columns.status().message();
  CHECK_THAT(message, Catch::StartsWith("roster.csv line 3: "));
  CHECK_THAT(message,
             Catch::Contains("missing column nip (also accepted: NIP Baru)"));
  CHECK_THAT(message,
             Catch::Contains("missing column name (also accepted: Nama, "
                             "Nama Lengkap, Full Name)"));
  CHECK_THAT(message, !Catch::Contains("birth_date"));
}

TEST_CASE("A column named twice is reported with the missing ones",
          "[client][csv]") {
  const CsvTable table = MustParse("NIP,Unit,nip_baru\n");
  Result<CsvColumns> columns = CsvColumns::Map(table, RosterSpecs(), kSource);
  REQUIRE_FALSE(columns.ok());
  const std::string& message = columns.status().message();
  CHECK_THAT(message, Catch::Contains("column nip is named more than once: "
                                      "\"NIP\" (column 1), \"nip_baru\" "
                                      "(column 3)"));
  CHECK_THAT(message, Catch::Contains("missing column name"));
}

TEST_CASE("WriteCsvRow quotes only the fields that need it", "[client][csv]") {
  CHECK(WriteRows({{"a", "b c", ""}}) == "a,b c,\n");
  CHECK(WriteRows({{"x,y", "say \"hi\"", "two\nlines"}}) ==
        "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
  CHECK(WriteRows({{" lead", "trail ", "a;b", "t\tb", "cr\r"}}) ==
        "\" lead\",\"trail \",\"a;b\",\"t\tb\",\"cr\r\"\n");
  CHECK(WriteRows({Fields{""}}) == "\"\"\n");
  CHECK(WriteRows({Fields{"\xEF\xBB\xBFx", "y"}}) == "\"\xEF\xBB\xBFx\",y\n");
  CHECK(WriteRows({Fields{}}) == "\n");
}

TEST_CASE("a cell a spreadsheet would run as a formula is written as text and reads back unchanged",
          "[client][csv]") {
  // Spreadsheets show a '-prefixed cell as text: the formula never runs.
  CHECK(WriteRows({{"=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "Budi"}}) ==
        "\"'=HYPERLINK(\"\"http://x\"\")\",'+1+1,'-2+3,'@SUM(A1),Budi\n");
  // Numbers stay numbers; an apostrophe that is the value's own survives.
  CHECK(WriteRows({{"-5", "+62.5", "1e3", "'", "'=x", "O'Neil"}}) == "-5,+62.5,1e3,',''=x,O'Neil\n");
  const std::vector<Fields> rows = {{"a", "b", "c", "d", "e", "f"},
                                    {"=1+1", "-x", "'=x", "''+y", "-5", "\t=tab"}};
  const CsvTable table = MustParse(WriteRows(rows));
  REQUIRE(table.records.size() == 1);
  CHECK(table.records[0].fields == rows[1]);
  // A cell a person escaped in a spreadsheet reads as its text.
  CHECK(MustParse("nama\n'=Budi\n").records[0].fields[0] == "=Budi");
}

TEST_CASE("Rows written by WriteCsvRow parse back unchanged", "[client][csv]") {
  const std::vector<Fields> rows = {
      {"nip", "nama", "alamat"},
      {"1", "Budi, S.Kom", "Jl. \"Merdeka\"\r\nJakarta"},
      {""},
      {"", ""},
      {"  spaced  ", "semi;colon", "tab\there"},
      {"\"", "\"\"", ",\n"},
  };
  const CsvTable table = MustParse(WriteRows(rows));
  CHECK(table.header == rows[0]);
  REQUIRE(table.records.size() == rows.size() - 1);
  for (size_t i = 1; i < rows.size(); ++i) {
    CHECK(table.records[i - 1].fields == rows[i]);
  }
  CHECK(table.records[1].line == 4);  // row 1 spans lines 2-3
  CHECK(table.records[2].line == 5);
}

TEST_CASE("Random rows of tricky fields round-trip exactly", "[client][csv]") {
  constexpr unsigned kSeed = 20240611;
  constexpr int kRows = 200;
  constexpr int kMaxFields = 6;
  constexpr int kMaxPieces = 5;
  std::vector<std::string> pieces = {"a",    "Z",  "7",  " ",  ",",
                                     ";",    "'",  "=",  "\t", "\"",
                                     "\"\"", "\r", "\n", "é",  "\r\n"};
  pieces.push_back("\xE2\x82\xAC");      // euro sign
  pieces.push_back("\xF0\x9F\x98\x80");  // emoji, 4 bytes
  pieces.push_back("\xC2\xA0");          // no-break space
  std::mt19937 rng(kSeed);
  auto uniform = [&rng](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  std::vector<Fields> rows = {{"c1", "c2", "c3"}};
  for (int r = 0; r < kRows; ++r) {
    Fields row(uniform(1, kMaxFields));
    for (std::string& field : row) {
      const int count = uniform(0, kMaxPieces);
      for (int p = 0; p < count; ++p) {
        field += pieces[uniform(0, static_cast<int>(pieces.size()) - 1)];
      }
    }
    rows.push_back(std::move(row));
  }
  INFO("seed " << kSeed);
  const CsvTable table = MustParse(WriteRows(rows));
  REQUIRE(table.records.size() == rows.size() - 1);
  for (size_t i = 1; i < rows.size(); ++i) {
    INFO("row " << i);
    CHECK(table.records[i - 1].fields == rows[i]);
  }
}

TEST_CASE("Random bytes never crash the reader", "[client][csv]") {
  constexpr unsigned kSeed = 7;
  constexpr int kInputs = 2000;
  constexpr int kMaxLength = 64;
  const std::string alphabet = "a ,;\t\"\r\n\xEF\xBB\xBF\xC3\xA9\x80\xFF";
  std::mt19937 rng(kSeed);
  for (int i = 0; i < kInputs; ++i) {
    std::string input(rng() % kMaxLength, ' ');
    for (char& c : input) c = alphabet[rng() % alphabet.size()];
    Result<CsvTable> result = ParseCsv(input, kSource);
    if (!result.ok()) {
      CHECK(result.status().code() == StatusCode::kInvalidArgument);
    }
  }
}

TEST_CASE("Pathological inputs parse in linear time", "[client][csv]") {
  constexpr size_t kSize = 2'000'000;
  const auto start = std::chrono::steady_clock::now();
  CHECK(ParseCsv(std::string(kSize, '"'), kSource).ok());  // "" escapes
  CHECK_FALSE(ParseCsv("a\n" + std::string(kSize + 1, '"'), kSource).ok());
  CHECK(ParseCsv("a\n" + std::string(kSize, ','), kSource).ok());
  CHECK(ParseCsv(std::string(kSize, '\n') + "a", kSource).ok());
  CHECK(ParseCsv("a\n" + std::string(kSize, ' ') + "x", kSource).ok());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::seconds(20));
}

TEST_CASE("ReadCsvFile reads a file and reports a missing one",
          "[client][csv]") {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("latih_csv_test_" + std::to_string(std::random_device{}()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "\xEF\xBB\xBFNIP;Nama\r\n1;Budi\r\n";
  }
  Result<CsvTable> table = ReadCsvFile(path.string());
  std::filesystem::remove(path);
  INFO(table.status().ToString());
  REQUIRE(table.ok());
  CHECK(table->records.at(0).fields == Fields{"1", "Budi"});

  Result<CsvTable> missing = ReadCsvFile(path.string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
}

}  // namespace
}  // namespace latih::client
