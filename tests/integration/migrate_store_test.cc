// `latih-server migrate-store --from SQLITE --to postgresql://...` (issue 7,
// docs/DEPLOY.md): a working SQLite server's database moved into an empty
// PostgreSQL one; the devices then sync with a server on PostgreSQL and
// carry on where they were (nothing pulled or pushed again), their tokens
// still valid. PostgreSQL only ([pg]).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "client/lib/office_db.h"
#include "sync/domain/ids.h"
#include "tests/support/server_process.h"
#include "tests/support/sync_views.h"

namespace latih::test {
namespace {

constexpr const char* kSelatan = "52.71.01.1004";
constexpr const char* kTengah = "52.71.01.1005";

void AddEmployee(const std::string& db, int n, const std::string& position = "") {
  auto office = client::OfficeDb::Open(db, sync::DefaultEnv());
  REQUIRE_OK(office.status());
  client::EmployeeInput e;
  e.nip = TestNip(n);
  e.name = "Pegawai " + std::to_string(n);
  e.type = "pns";
  if (!position.empty()) e.position = position;
  REQUIRE_OK((*office)->AddEmployee(e).status());
}

void SetPosition(const std::string& db, int n, const std::string& position) {
  auto office = client::OfficeDb::Open(db, sync::DefaultEnv());
  REQUIRE_OK(office.status());
  client::EmployeeInput e;
  e.nip = TestNip(n);
  e.position = position;
  REQUIRE_OK((*office)->UpdateEmployee(e).status());
}

CliResult Sync(const std::string& db) {
  CliResult r = RunCli({"--db", db, "sync"});
  INFO(db << ": " << r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

// Everything a server keeps, as text, comparable across the two stores.
std::string Everything(sync::sqlite::Store& s) {
  const bool pg = s.db().dialect() == sync::sqlite::Dialect::kPostgres;
  std::string out = DumpTables(s);
  auto lines = [&](const std::string& sql) {
    auto q = s.db().PrepareOwned(sql);
    REQUIRE_OK(q.status());
    std::string text;
    while (true) {
      auto row = (*q)->Step();
      REQUIRE_OK(row.status());
      if (!*row) return text;
      text += (*q)->ColumnText(0) + "\n";
    }
  };
  out += lines(pg ? "SELECT row_id || ' ' || tbl || ' ' || seq || ' ' || upper(encode(cells, 'hex')) FROM change_log "
                    "ORDER BY seq"
                  : "SELECT row_id || ' ' || tbl || ' ' || seq || ' ' || hex(cells) FROM change_log ORDER BY seq");
  out += lines("SELECT row_id || ' ' || vals FROM deleted_row ORDER BY row_id");
  out += lines("SELECT id || ' ' || tbl || ' ' || row_id || ' ' || col || ' ' || coalesce(winner_value, '') || ' ' || "
               "coalesce(loser_value, '') || ' ' || winner_hlc || ' ' || loser_node FROM sync_conflict ORDER BY id");
  out += lines("SELECT node_id || ' ' || last_hlc || ' ' || last_seq FROM replica");
  out += lines("SELECT node || ' ' || last_seq || ' ' || hash || ' ' || refused FROM applied_batch ORDER BY node");
  out += lines("SELECT node || ' ' || cursor FROM device_cursor ORDER BY node");
  out += lines("SELECT id || ' ' || name || ' ' || role || ' ' || coalesce(token_hash, '') || ' ' || "
               "coalesce(node_id, 0) FROM credential ORDER BY id");
  out += lines("SELECT id || ' ' || node || ' ' || first_seq || ' ' || last_seq || ' ' || body_sha256 FROM sync_audit "
               "ORDER BY id");
  out += lines("SELECT credential_id || ' ' || coalesce(client, '') || ' ' || coalesce(pending, -1) FROM device_status "
               "ORDER BY credential_id");
  return out;
}

}  // namespace

TEST_CASE("migrate-store moves an SQLite server into PostgreSQL, and its devices carry on where they were",
          "[pg][integration][server]") {
  REQUIRE(TestOnPostgres());
  TempDir dir;
  const std::string sqlite_db = dir.File("server.db");
  std::string a1, a2, b1;
  {
    ServerProcess old(sqlite_db, {}, ServerProcess::Backend::kSqlite);
    a1 = EnrolledDevice(old, dir, "a1.db", kSelatan, "Meja 1");
    a2 = EnrolledDevice(old, dir, "a2.db", kSelatan, "Meja 2");
    b1 = EnrolledDevice(old, dir, "b1.db", kTengah, "Meja 1");
    REQUIRE(RunServerCli({"--db", sqlite_db, "user", "add", "--name", "BKPSDM", "--role", "hr"}).exit_code == 0);
    for (int i = 1; i <= 30; ++i) AddEmployee(a1, i);
    for (int i = 101; i <= 110; ++i) AddEmployee(b1, i);
    AddEmployee(a1, 500, "Staf");  // deleted below: a tombstone
    Sync(a1), Sync(b1), Sync(a2);
    {
      auto office = client::OfficeDb::Open(a1, sync::DefaultEnv());
      REQUIRE_OK(office.status());
      auto batch = (*office)->store().BeginWrite();
      REQUIRE_OK(batch.status());
      REQUIRE_OK((*batch)->Delete("employee", domain::NaturalId("employee", {TestNip(500)})));
      REQUIRE_OK((*batch)->Commit());
    }
    {  // Wire schema 2: an SKP (its predicate a generated column on both stores) and an e-mail.
      auto office = client::OfficeDb::Open(a1, sync::DefaultEnv());
      REQUIRE_OK(office.status());
      auto batch = (*office)->store().BeginWrite();
      REQUIRE_OK(batch.status());
      const std::string employee = domain::NaturalId("employee", {TestNip(2)});
      const std::vector<sync::ColumnValue> skp = {
          {"employee_id", employee},           {"office_id", std::string(kSelatan)},
          {"year", int64_t{2025}},             {"period", std::string("tahunan")},
          {"hasil_kerja", std::string("di_atas")}, {"perilaku_kerja", std::string("sesuai")}};
      REQUIRE_OK((*batch)->Put("skp_assessment", domain::NaturalId("skp_assessment", {employee, "2025", "tahunan"}),
                               skp).status());
      const std::vector<sync::ColumnValue> email = {{"email", std::string("pegawai2@mataramkota.go.id")}};
      REQUIRE_OK((*batch)->Put("employee", employee, email).status());
      REQUIRE_OK((*batch)->Commit());
    }
    // Both desks of Selatan edit one employee offline: a conflict.
    SetPosition(a1, 1, "Lurah");
    SetPosition(a2, 1, "Sekretaris Lurah");
    Sync(a1), Sync(a2), Sync(a1);
  }  // the SQLite server stops

  auto sqlite = OpenServerDb(sqlite_db);
  REQUIRE(Count(*sqlite, "SELECT count(*) FROM sync_conflict") >= 1);
  REQUIRE(Count(*sqlite, "SELECT count(*) FROM deleted_row") >= 1);
  const std::string before = Everything(*sqlite);

  const std::string url = CreateTestDatabase();
  const CliResult moved = RunServerCli({"migrate-store", "--from", sqlite_db, "--to", url});
  INFO(moved.out << moved.err);
  REQUIRE(moved.exit_code == 0);
  CHECK(moved.out.find("change_log\t") != std::string::npos);
  CHECK(moved.out.find("copied ") != std::string::npos);
  {
    auto pg = OpenServerDb(url);
    CHECK(Everything(*pg) == before);
    CHECK(Text(*pg, "SELECT predicate FROM skp_assessment") == "baik");
    CHECK(OfficeView(*pg, kSelatan) == OfficeView(*sqlite, kSelatan));
  }

  // Into a database that holds data: refused, and nothing changes there.
  const CliResult again = RunServerCli({"migrate-store", "--from", sqlite_db, "--to", url});
  CHECK(again.exit_code == 3);
  CHECK(again.err.find("already holds data") != std::string::npos);
  CHECK(RunServerCli({"migrate-store", "--from", dir.File("none.db"), "--to", url}).exit_code == 4);
  CHECK(RunServerCli({"migrate-store", "--from", sqlite_db, "--to", dir.File("x.db")}).exit_code == 3);

  // The devices move to a server on PostgreSQL: same tokens, same cursors.
  {
    ServerProcess moved_server(url);
    for (const auto& d : {a1, a2, b1}) {
      SetServerUrl(d, moved_server.url());
      const CliResult r = Sync(d);
      CHECK(r.out.find("sent 0 rows, received 0 rows") != std::string::npos);
    }
    AddEmployee(a2, 31);
    Sync(a2);
    const CliResult got = Sync(a1);
    CHECK(got.out.find("received 1 rows") != std::string::npos);
    // New credentials go on after the copied ids.
    REQUIRE(RunServerCli({"--db", url, "device", "enroll", "--office", kTengah, "--name", "Meja 2"}).exit_code == 0);
    const auto devices = nlohmann::json::parse(RunServerCli({"--db", url, "device", "list", "--json"}).out);
    REQUIRE(devices.size() == 4);
    CHECK(devices.back()["id"].get<int64_t>() == 5);  // 3 devices and the HR user before it
    auto pg = OpenServerDb(url);
    for (const auto& [d, office] : {std::pair{a1, kSelatan}, {a2, kSelatan}, {b1, kTengah}}) {
      auto store = OpenClientDb(d);
      INFO(d);
      CHECK(DumpTables(*store) == OfficeView(*pg, office));
    }
  }
  DropTestDatabase(url);
}

}  // namespace latih::test
