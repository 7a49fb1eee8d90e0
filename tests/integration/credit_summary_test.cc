// CreditSummary (sync/sqlite/credit_summary.h) against the from-scratch
// reports, on a real server's database fed by a device through sync: after
// the first build and after each kind of change the summary must catch up
// from the change feed (new check-ins, a status change, a deleted check-in,
// a session's own JP set, a session moved to another year, a new session
// that changes every share) and answer exactly what a pass over attendance
// answers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "client/lib/office_db.h"
#include "sync/sqlite/credit_summary.h"
#include "sync/sqlite/reports.h"
#include "tests/support/server_process.h"
#include "tests/support/sync_views.h"

namespace latih::test {
namespace {

constexpr const char* kSelatan = "52.71.01.1004";

void Ok(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db});
  const CliResult r = RunCli(args);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

std::string First(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db});
  const CliResult r = RunCli(args);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, r.out.find('\n'));
}

// A change made on the device's store directly (what the CLI has no command
// for), then synced.
void Write(const std::string& db, const std::function<void(sync::sqlite::WriteBatch&)>& change) {
  auto office = client::OfficeDb::Open(db, sync::DefaultEnv());
  REQUIRE_OK(office.status());
  auto batch = (*office)->store().BeginWrite();
  REQUIRE_OK(batch.status());
  change(**batch);
  REQUIRE_OK((*batch)->Commit());
}

// The summary's answers equal the from-scratch ones, for every year and office.
void RequireSame(sync::sqlite::Store& s, sync::sqlite::CreditSummary& summary) {
  REQUIRE_OK(summary.Refresh(s).status());
  for (int year : {2025, 2026}) {
    for (const std::optional<std::string>& office : {std::optional<std::string>(), std::optional<std::string>(kSelatan)}) {
      INFO("year " << year << (office ? " office" : " city"));
      auto scratch = sync::sqlite::JpReport(s, year, office, {});
      auto fast = summary.Jp(s, year, office, {});
      REQUIRE_OK(scratch.status());
      REQUIRE_OK(fast.status());
      REQUIRE(scratch->size() == fast->size());
      for (size_t i = 0; i < scratch->size(); ++i) {
        INFO((*scratch)[i].nip);
        CHECK(std::fabs((*scratch)[i].jp - (*fast)[i].jp) < 1e-9);
        CHECK((*scratch)[i].sessions == (*fast)[i].sessions);
        CHECK((*scratch)[i].trainings == (*fast)[i].trainings);
        CHECK(std::fabs((*scratch)[i].jp_teknis - (*fast)[i].jp_teknis) < 1e-9);
        CHECK((*scratch)[i].standing == (*fast)[i].standing);
      }
      auto c1 = sync::sqlite::TrainingCredits(s, year, office);
      int64_t total = 0;
      auto c2 = summary.Credits(s, year, office, 0, 1 << 30, &total);
      REQUIRE_OK(c1.status());
      REQUIRE_OK(c2.status());
      REQUIRE(c1->size() == c2->size());
      CHECK(total == static_cast<int64_t>(c1->size()));
      // A page of it is the same slice.
      int64_t paged_total = 0;
      auto page = summary.Credits(s, year, office, 1, 2, &paged_total);
      REQUIRE_OK(page.status());
      CHECK(paged_total == total);
      REQUIRE(page->size() == static_cast<size_t>(std::clamp<int64_t>(total - 1, 0, 2)));
      for (size_t i = 0; i < page->size(); ++i) CHECK((*page)[i].training_id == (*c2)[1 + i].training_id);
      for (size_t i = 0; i < c1->size(); ++i) {
        CHECK((*c1)[i].employee_id == (*c2)[i].employee_id);
        CHECK((*c1)[i].training_id == (*c2)[i].training_id);
        CHECK(std::fabs((*c1)[i].jp - (*c2)[i].jp) < 1e-9);
        CHECK((*c1)[i].sessions_attended == (*c2)[i].sessions_attended);
        CHECK((*c1)[i].sessions == (*c2)[i].sessions);
      }
    }
  }
  std::vector<std::string> ids;
  {
    auto st = s.db().PrepareOwned("SELECT id FROM training ORDER BY id");
    REQUIRE_OK(st.status());
    while (true) {
      auto row = (*st)->Step();
      REQUIRE_OK(row.status());
      if (!*row) break;
      ids.push_back((*st)->ColumnText(0));
    }
  }
  std::unordered_map<std::string, std::pair<int, int>> attendance;
  summary.TrainingAttendance(attendance);
  auto a = sync::sqlite::TrainingSummaries(s, ids);
  auto b = sync::sqlite::TrainingSummaries(s, ids, &attendance);
  REQUIRE_OK(a.status());
  REQUIRE_OK(b.status());
  for (size_t i = 0; i < ids.size(); ++i) {
    INFO(ids[i]);
    CHECK((*a)[i].participants == (*b)[i].participants);
    CHECK((*a)[i].attended == (*b)[i].attended);
    CHECK((*a)[i].sessions == (*b)[i].sessions);
  }
}

}  // namespace

TEST_CASE("the credit summary catches up from the change feed and answers what a pass over attendance answers",
          "[backend][integration][server][reports]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  for (int i = 1; i <= 6; ++i) {
    Ok(a, {"employee", "add", "--nip", TestNip(i), "--name", "Pegawai " + std::to_string(i), "--type", "pns"});
  }
  const std::string t1 = First(a, {"training", "add", "--title", "Bimtek", "--form", "4", "--competency", "teknis",
                                   "--jp", "12", "--start", "2026-03-02", "--end", "2026-03-04"});
  const std::string t2 = First(a, {"training", "add", "--title", "Kursus", "--form", "11", "--competency",
                                   "manajerial", "--jp", "6", "--start", "2026-05-01", "--end", "2026-05-01"});
  const std::string s1 = First(a, {"session", "add", "--training", t1, "--date", "2026-03-02"});
  const std::string s2 = First(a, {"session", "add", "--training", t1, "--date", "2026-03-03"});
  const std::string s3 = First(a, {"session", "add", "--training", t2, "--date", "2026-05-01"});
  for (int i = 1; i <= 6; ++i) {
    Ok(a, {"attend", "--session", s1, "--nip", TestNip(i), "--status", i == 6 ? "izin" : "hadir"});
    if (i % 2) Ok(a, {"attend", "--session", s2, "--nip", TestNip(i)});
    if (i <= 3) Ok(a, {"attend", "--session", s3, "--nip", TestNip(i), "--status", "terlambat"});
  }
  Ok(a, {"sync"});
  auto s = OpenServerDb(server.db_path());
  sync::sqlite::CreditSummary summary;
  auto built = summary.Refresh(*s);
  REQUIRE_OK(built.status());
  CHECK(*built == 6);  // first use: everyone
  RequireSame(*s, summary);
  auto again = summary.Refresh(*s);
  REQUIRE_OK(again.status());
  CHECK(*again == 0);  // nothing changed: nothing read

  SECTION("new check-ins and a changed status") {
    Ok(a, {"attend", "--session", s2, "--nip", TestNip(2)});
    Ok(a, {"attend", "--session", s1, "--nip", TestNip(6), "--status", "hadir"});
    Ok(a, {"sync"});
    auto n = summary.Refresh(*s);
    REQUIRE_OK(n.status());
    CHECK(*n == 2);  // only the two employees touched
    RequireSame(*s, summary);
  }
  SECTION("a deleted check-in (its employee comes from the tombstone)") {
    auto office = client::OfficeDb::Open(a, sync::DefaultEnv());
    REQUIRE_OK(office.status());
    const std::string row = Text((*office)->store(), "SELECT a.id FROM attendance a JOIN employee e ON e.id = "
                                                      "a.employee_id WHERE e.nip = '" + TestNip(1) +
                                                      "' AND a.session_id = '" + s3 + "'");
    office->reset();
    Write(a, [&](sync::sqlite::WriteBatch& b) { REQUIRE_OK(b.Delete("attendance", row)); });
    Ok(a, {"sync"});
    auto n = summary.Refresh(*s);
    REQUIRE_OK(n.status());
    CHECK(*n == 1);
    RequireSame(*s, summary);
  }
  SECTION("a session's own JP, a session moved to another year, a new session changing every share") {
    Write(a, [&](sync::sqlite::WriteBatch& b) {
      const std::vector<sync::ColumnValue> jp = {{"jp", 5.0}};
      REQUIRE_OK(b.Put("session", s1, jp, sync::sqlite::PutMode::kUpdateOnly).status());
      const std::vector<sync::ColumnValue> date = {{"date", std::string("2025-12-30")}};
      REQUIRE_OK(b.Put("session", s3, date, sync::sqlite::PutMode::kUpdateOnly).status());
    });
    Ok(a, {"session", "add", "--training", t1, "--date", "2026-03-04"});
    Ok(a, {"sync"});
    RequireSame(*s, summary);
  }
}

}  // namespace latih::test
