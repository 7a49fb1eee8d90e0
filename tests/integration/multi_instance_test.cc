// Several latih-server instances on one PostgreSQL database (issue 7,
// sync/PROTOCOL.md §4 "Several server instances"): any device may reach any
// instance at any time, pushes and pulls run concurrently through both, and
// still no change is skipped by a pull cursor, applied twice or lost.
// PostgreSQL only ([pg]): ctest runs them as "pg: ..." with the throwaway
// cluster of the "pg" fixture (tests/CMakeLists.txt).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "client/lib/office_db.h"
#include "schema/migrations.h"
#include "sync/postgres/pg_db.h"
#include "sync/sqlite/sync_store.h"
#include "tests/support/server_process.h"
#include "tests/support/sync_views.h"

namespace latih::test {
namespace {

constexpr const char* kOffices[] = {"52.71.01.1004", "52.71.01.1005", "52.71.01.1006"};

struct Desk {
  std::string db, office;
};

// Offline work of one round: `n` new employees (NIPs from `first_nip`) and,
// when the device has it, an edit of the office's shared employee.
void RecordRound(const Desk& d, int first_nip, int n, const std::string& shared_nip, const std::string& position) {
  auto office = client::OfficeDb::Open(d.db, sync::DefaultEnv());
  REQUIRE_OK(office.status());
  for (int i = 0; i < n; ++i) {
    client::EmployeeInput e;
    e.nip = TestNip(first_nip + i);
    e.name = "Pegawai " + std::to_string(first_nip + i);
    e.type = "pns";
    REQUIRE_OK((*office)->AddEmployee(e).status());
  }
  auto shared = (*office)->FindEmployee(shared_nip);
  REQUIRE_OK(shared.status());
  if (*shared) {
    client::EmployeeInput e;
    e.nip = shared_nip;
    e.position = position;
    REQUIRE_OK((*office)->UpdateEmployee(e).status());
  }
}

// Runs `latih sync` on every desk at once; REQUIREs that each succeeds.
void SyncAllAtOnce(const std::vector<Desk>& desks) {
  std::vector<std::unique_ptr<BackgroundProgram>> running;
  for (const auto& d : desks) {
    running.push_back(std::make_unique<BackgroundProgram>(LATIH_CLI_PATH, std::vector<std::string>{"--db", d.db, "sync"}));
  }
  for (size_t i = 0; i < running.size(); ++i) {
    const int code = running[i]->Wait();
    INFO(desks[i].db << ": " << running[i]->Out() << running[i]->Err());
    REQUIRE(code == 0);
  }
}

int CountLines(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("instances starting together on an empty PostgreSQL database apply each migration once",
          "[pg][integration][server]") {
  REQUIRE(TestOnPostgres());
  const std::string url = CreateTestDatabase();
  std::vector<std::unique_ptr<BackgroundProgram>> starting;
  for (int i = 0; i < 4; ++i) {
    starting.push_back(std::make_unique<BackgroundProgram>(LATIH_SERVER_PATH,
                                                           std::vector<std::string>{"--db", url, "office", "list"}));
  }
  for (auto& p : starting) {
    const int code = p->Wait();
    INFO(p->Err());
    REQUIRE(code == 0);
    CHECK(p->Out().find("Ampenan Selatan") != std::string::npos);
  }
  {
    auto s = OpenServerDb(url);
    CHECK(Count(*s, "SELECT version FROM latih_schema") ==
          static_cast<int64_t>(schema::PostgresMigrations().size()));
    CHECK(Count(*s, "SELECT count(*) FROM sync_column") == Count(*s, "SELECT count(DISTINCT (tbl, col)) FROM sync_column"));
    CHECK(Count(*s, "SELECT count(*) FROM office") == 12);
  }
  DropTestDatabase(url);
}

TEST_CASE("two instances: concurrent pushes and pulls through either skip, duplicate and lose nothing",
          "[pg][integration][server]") {
  REQUIRE(TestOnPostgres());
  TempDir dir;
  // a serves on 4 store connections in parallel, b on one: requests
  // through the same instance race as those through two do.
  ServerProcess a(dir.File("server.db"), {"--store-connections", "4"});
  ServerProcess b(a.db_path());  // the same database
  const std::string urls[] = {a.url(), b.url()};

  std::vector<Desk> desks;
  for (int o = 0; o < 3; ++o) {
    for (int k = 0; k < 2; ++k) {
      const std::string name = "meja" + std::to_string(o) + std::to_string(k);
      desks.push_back({EnrolledDevice(a, dir, name + ".db", kOffices[o], "Meja " + std::to_string(o) + std::to_string(k)),
                       kOffices[o]});
    }
  }
  // Each office has one employee that both its desks keep editing.
  auto shared_nip = [](size_t desk) { return TestNip(90001 + static_cast<int>(desk / 2)); };
  for (size_t d = 0; d < desks.size(); d += 2) {
    auto office = client::OfficeDb::Open(desks[d].db, sync::DefaultEnv());
    REQUIRE_OK(office.status());
    client::EmployeeInput e;
    e.nip = shared_nip(d);
    e.name = "Pegawai Bersama";
    e.type = "pns";
    REQUIRE_OK((*office)->AddEmployee(e).status());
  }

  // Rounds of offline work, then every desk syncs at the same moment, each
  // through the instance (device + round) % 2: pushes of one office meet
  // pulls of the same rows on the other instance.
  constexpr int kRounds = 8, kPerRound = 6;
  for (int round = 0; round < kRounds; ++round) {
    for (size_t d = 0; d < desks.size(); ++d) {
      RecordRound(desks[d], 1 + static_cast<int>(d) * 1000 + round * kPerRound, kPerRound, shared_nip(d),
                  "Jabatan " + std::to_string(d) + "." + std::to_string(round));
      SetServerUrl(desks[d].db, urls[(d + round) % 2]);
    }
    SyncAllAtOnce(desks);
  }
  // Two quiet passes, each desk through the other instance than before.
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t d = 0; d < desks.size(); ++d) {
      SetServerUrl(desks[d].db, urls[(d + pass) % 2]);
      const CliResult r = RunCli({"--db", desks[d].db, "sync"});
      INFO(r.out << r.err);
      REQUIRE(r.exit_code == 0);
    }
  }

  auto server = OpenServerDb(a.db_path());
  // Nothing lost or duplicated: every employee once.
  CHECK(Count(*server, "SELECT count(*) FROM employee") ==
        static_cast<int64_t>(3 + desks.size() * kRounds * kPerRound));
  // Nothing skipped: every desk holds exactly what its office may see of
  // the server, the shared employees' last positions included.
  for (const auto& d : desks) {
    auto store = OpenClientDb(d.db);
    INFO(d.db);
    CHECK(DumpTables(*store) == OfficeView(*server, d.office));
  }
  // Exactly once across instances: per device, the audited batches'
  // ranges follow each other without overlap, and cover what was pushed.
  auto audit = server->db().PrepareOwned("SELECT node, first_seq, last_seq, rows FROM sync_audit ORDER BY node, first_seq");
  REQUIRE_OK(audit.status());
  int64_t node = 0, last = 0, batches = 0, rows = 0;
  while (true) {
    auto row = (*audit)->Step();
    REQUIRE_OK(row.status());
    if (!*row) break;
    if ((*audit)->ColumnInt(0) != node) {
      node = (*audit)->ColumnInt(0);
      last = 0;
    }
    INFO("node " << node << " batch " << (*audit)->ColumnInt(1) << ".." << (*audit)->ColumnInt(2));
    CHECK((*audit)->ColumnInt(1) > last);
    last = (*audit)->ColumnInt(2);
    ++batches;
    rows += (*audit)->ColumnInt(3);
  }
  CHECK(batches >= static_cast<int64_t>(desks.size()) * kRounds);
  CHECK(rows >= static_cast<int64_t>(desks.size() * kRounds * kPerRound));
  // Both instances took pushes.
  CHECK(CountLines(a.Log(), " push=") > 0);
  CHECK(CountLines(b.Log(), " push=") > 0);
}

TEST_CASE("a pull through one instance does not wait for a push held up on the other, and gets it once committed",
          "[pg][integration][server]") {
  REQUIRE(TestOnPostgres());
  TempDir dir;
  ServerProcess a(dir.File("server.db"));
  ServerProcess b(a.db_path());
  const std::string writer = EnrolledDevice(a, dir, "w.db", kOffices[0], "Meja Tulis");
  const std::string reader = EnrolledDevice(b, dir, "r.db", kOffices[0], "Meja Baca");
  REQUIRE(RunCli({"--db", reader, "sync"}).exit_code == 0);
  RecordRound({writer, kOffices[0]}, 1, 20, TestNip(999), "");

  // Another writer holds the write lock (a long push on a third instance).
  auto holder = sync::postgres::Connect(a.db_path());
  REQUIRE_OK(holder.status());
  REQUIRE_OK((*holder)->Exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(sync::postgres::kWriteLockKey) + ")"));
  BackgroundProgram push(LATIH_CLI_PATH, {"--db", writer, "sync"});
  REQUIRE(WaitForLockWaiters(a.db_path(), 1));  // the push is queued on the lock

  // The reader syncs through the other instance meanwhile: not blocked, and
  // nothing of the uncommitted push.
  const CliResult during = RunCli({"--db", reader, "sync"});
  INFO(during.out << during.err);
  REQUIRE(during.exit_code == 0);
  {
    auto store = OpenClientDb(reader);
    CHECK(Count(*store, "SELECT count(*) FROM employee") == 0);
  }

  REQUIRE_OK((*holder)->Exec("ROLLBACK"));
  const int pushed = push.Wait();
  INFO(push.Out() << push.Err());
  REQUIRE(pushed == 0);
  // The push committed after the reader's cursor moved: its next pull still
  // brings every row of it.
  REQUIRE(RunCli({"--db", reader, "sync"}).exit_code == 0);
  auto store = OpenClientDb(reader);
  CHECK(Count(*store, "SELECT count(*) FROM employee") == 20);
  auto server = OpenServerDb(a.db_path());
  CHECK(DumpTables(*store) == OfficeView(*server, kOffices[0]));
}

}  // namespace latih::test

namespace latih::test {

TEST_CASE("a device's new session and a push of its earlier one on another connection never interleave",
          "[pg][integration][server]") {
  // sync/PROTOCOL.md §4, "One session at a time": whichever of the two
  // takes the device's lock first, the push is either in the session's
  // `applied` or refused as superseded, never applied unseen.
  REQUIRE(TestOnPostgres());
  TempDir dir;
  ServerProcess instance(dir.File("server.db"));  // creates and migrates the database
  constexpr int64_t kNode = 0x1234567890LL;
  auto server = OpenServerDb(instance.db_path());
  sync::Options options;
  sync::sqlite::SyncServer hub(*server, sync::DefaultEnv().clock, options);
  auto other = sync::postgres::Connect(instance.db_path());  // the other connection
  REQUIRE_OK(other.status());
  sync::sqlite::Db& db = **other;

  SECTION("a push holding the lock: the session waits for it and names it as applied") {
    REQUIRE_OK(db.BeginWrite());
    REQUIRE_OK(db.LockKey(kNode));
    REQUIRE_OK(db.Exec("INSERT INTO applied_batch(node, last_seq, hash, refused, applied_at) VALUES (" +
                       std::to_string(kNode) + ", 41, 99, '[]', '2026-12-02T00:00:00.000Z')"));
    auto opening = std::async(std::launch::async, [&] { return server->OpenDeviceSession(kNode); });
    REQUIRE(WaitForLockWaiters(instance.db_path(), 1));
    REQUIRE_OK(db.Exec("COMMIT"));
    auto opened = opening.get();
    REQUIRE_OK(opened.status());
    CHECK(opened->session == 1);
    REQUIRE(opened->applied);
    CHECK(opened->applied->last_seq == 41);
  }

  SECTION("a session opening: the push waits for it and is refused as superseded") {
    auto first = server->OpenDeviceSession(kNode);
    REQUIRE_OK(first.status());
    REQUIRE_OK(db.BeginKeyed(kNode));  // the next session, opening on the other connection
    REQUIRE_OK(db.Exec("UPDATE device_session SET session = session + 1 WHERE node = " + std::to_string(kNode)));
    sync::SyncRequest push;
    push.schema = sync::kWireSchemaVersion;
    push.node = kNode;
    push.session = first->session;
    push.push = sync::PushBatch{sync::BatchId{kNode, 1, 1}, {}};
    auto pushing = std::async(std::launch::async, [&] { return hub.Handle(push); });
    REQUIRE(WaitForLockWaiters(instance.db_path(), 1));
    REQUIRE_OK(db.Exec("COMMIT"));
    auto answered = pushing.get();
    REQUIRE_OK(answered.status());
    CHECK(answered->push->superseded);
    CHECK_FALSE(answered->push->applied);
    CHECK(Count(*server, "SELECT count(*) FROM sync_audit WHERE node = " + std::to_string(kNode)) == 0);
  }
}

}  // namespace latih::test
