// libFuzzer target: the CSV reader (client/lib/csv.h) and the importers
// (client/lib/importers.h) on whatever an office spreadsheet might hold.
// The first byte picks the import (bit 0: roster or attendance; bit 1: add
// unknown NIPs), the rest is the file. The office database (/tmp, one per
// process) holds employees, a training and a session; it is restored from
// its template after an import that stored something, so every input meets
// the same data.
//
// Properties: ParseCsv returns a table or a located refusal; a table
// written back with WriteCsvRow parses to the same header and fields (as
// csv.h promises); an import is all-or-nothing: with any line refused,
// nothing is stored; its only errors are the documented ones.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "client/lib/csv.h"
#include "client/lib/importers.h"
#include "client/lib/office_db.h"
#include "sync/domain/ids.h"
#include "tests/fuzz/fuzz_check.h"

namespace latih::client {
namespace {

constexpr int64_t kNowMs = 1772438400000;  // 2026-03-02T08:00:00Z, the session's day

class FixedClock final : public sync::Clock {
 public:
  int64_t NowUnixMs() override { return kNowMs; }
};

class CountingIds final : public sync::IdSource {
 public:
  std::string NewRowId() override {
    ++n_;
    return domain::UuidV7(kNowMs, {0, 0, 0, 0, 0, 0, static_cast<uint8_t>(n_ >> 16), static_cast<uint8_t>(n_ >> 8),
                                   static_cast<uint8_t>(n_), 0});
  }
  int64_t NewNodeId() override { return 2000; }

 private:
  uint32_t n_ = 0;
};

void Fail(const std::string& what) { fuzz::Fail("fuzz_csv set-up: " + what); }

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Fail(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

// The office database every input meets, and the template it is reset from.
class Fixture {
 public:
  Fixture() {
    char tmpl[] = "/tmp/latih-fuzz-csv.XXXXXX";
    if (!mkdtemp(tmpl)) Fail("cannot create a temporary directory");
    dir_ = tmpl;
    {
      auto db = Must(OfficeDb::Init(dir_ + "/template.db", "52.71.01.1004", env_), "init");
      for (const char* nip : {"197804122003121004", "198305222009042002", "198811032015031001"}) {
        EmployeeInput e;
        e.nip = nip;
        e.name = std::string("Pegawai ") + nip;
        Must(db->AddEmployee(e), "employee");
      }
      TrainingInput t;
      t.title = "Workshop Pelayanan Publik";
      t.form = "4";
      t.competency = "teknis";
      t.start_date = t.end_date = "2026-03-02";
      t.jp = 8;
      SessionInput s;
      s.training_id = Must(db->AddTraining(t), "training");
      s.date = "2026-03-02";
      session_id_ = Must(db->AddSession(s), "session");
    }  // closed: the template is its file and its WAL
    Reset();
  }
  ~Fixture() {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  OfficeDb& db() { return *db_; }
  const std::string& session_id() const { return session_id_; }

  void Reset() {
    db_.reset();
    const std::string work = dir_ + "/work.db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(work + suffix);
    for (const char* suffix : {"", "-wal"}) {
      if (std::filesystem::exists(dir_ + "/template.db" + suffix)) {
        std::filesystem::copy_file(dir_ + "/template.db" + suffix, work + suffix);
      }
    }
    db_ = Must(OfficeDb::Open(work, env_), "open");
  }

 private:
  FixedClock clock_;
  CountingIds ids_;
  sync::Env env_{clock_, ids_};
  std::string dir_, session_id_;
  std::unique_ptr<OfficeDb> db_;
};

Fixture& TheFixture() {
  static Fixture f;
  return f;
}

int64_t LastSeq(OfficeDb& db) {
  auto s = db.store().db().PrepareOwned("SELECT last_seq FROM replica");
  FUZZ_CHECK(s.ok(), s.status().ToString());
  auto row = (*s)->Step();
  FUZZ_CHECK(row.ok() && *row, std::string("no replica row"));
  return (*s)->ColumnInt(0);
}

std::string Fields(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += "[" + f + "]";
  return out;
}

// csv.h: "ParseCsv reads such rows back unchanged, whatever delimiter it
// detects" (header names come back trimmed, as ParseCsv gave them).
void CheckWrittenBack(const CsvTable& table) {
  std::ostringstream out;
  WriteCsvRow(out, table.header);
  for (const auto& r : table.records) WriteCsvRow(out, r.fields);
  auto back = ParseCsv(out.str(), "written.csv");
  FUZZ_CHECK(back.ok(), "a table written back does not parse: " + back.status().ToString() + "\n" + out.str());
  FUZZ_CHECK(Fields(back->header) == Fields(table.header),
             "header " + Fields(table.header) + " came back as " + Fields(back->header));
  FUZZ_CHECK(back->records.size() == table.records.size(),
             std::to_string(table.records.size()) + " records came back as " + std::to_string(back->records.size()) +
                 "\n" + out.str());
  for (size_t i = 0; i < table.records.size(); ++i) {
    FUZZ_CHECK(Fields(back->records[i].fields) == Fields(table.records[i].fields),
               "record " + Fields(table.records[i].fields) + " came back as " + Fields(back->records[i].fields));
  }
}

void Import(uint8_t mode, const CsvTable& table) {
  Fixture& f = TheFixture();
  const int64_t before = LastSeq(f.db());
  const bool roster = (mode & 1) == 0;
  auto report = roster ? ImportRoster(f.db(), table, "fuzz.csv")
                       : ImportAttendance(f.db(), f.session_id(), table, "fuzz.csv", (mode & 2) != 0);
  const bool stored = LastSeq(f.db()) != before;
  if (!report.ok()) {
    // A file-level refusal: missing or doubled columns.
    FUZZ_CHECK(report.status().code() == StatusCode::kInvalidArgument, report.status().ToString());
    FUZZ_CHECK(!stored, "a refused file stored something: " + report.status().ToString());
    return;
  }
  for (const auto& e : report->errors) {
    FUZZ_CHECK(e.line >= 1 && !e.message.empty(), "an error without a line or a message: " + e.message);
  }
  FUZZ_CHECK(report->errors.empty() || !stored, "a file with refused lines stored something: " +
                                                    report->errors[0].message);
  if (stored) f.Reset();
}

}  // namespace
}  // namespace latih::client

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace latih::client;
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto table = ParseCsv(text, "fuzz.csv");
  if (!table.ok()) {
    FUZZ_CHECK(table.status().code() == latih::StatusCode::kInvalidArgument, table.status().ToString());
    FUZZ_CHECK(table.status().message().starts_with("fuzz.csv line "), "unlocated: " + table.status().message());
    return 0;
  }
  CheckWrittenBack(*table);
  Import(data[0], *table);
  return 0;
}
