// The server and the wire end to end (issue 4): a real `latih-server`
// process on 127.0.0.1, real device databases, the real `latih` CLI and
// the libcurl transport. Each test states the property it checks.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "client/lib/sync_client.h"
#include "client/transport/curl_transport.h"
#include "schema/migrations.h"
#include "sync/gzip.h"
#include "sync/hlc.h"
#include "sync/protocol_json.h"
#include "sync/sqlite/scope.h"
#include "sync/sqlite/sync_store.h"
#include "tests/support/http_harness.h"
#include "tests/support/nginx_fixture.h"
#include "tests/support/server_process.h"
#include "tests/support/sync_views.h"

namespace latih::test {
namespace {

constexpr const char* kSelatan = "52.71.01.1004";
constexpr const char* kPejeruk = "52.71.01.1006";

CliResult Cli(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db});
  return RunCli(args);
}

// Runs a CLI command that must succeed; returns its first stdout line.
std::string Ok(const std::string& db, std::vector<std::string> args) {
  const CliResult r = Cli(db, args);
  INFO("latih " << args[0] << ": " << r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, r.out.find('\n'));
}

std::string DeviceToken(const std::string& db) {
  auto store = OpenClientDb(db);
  return Text(*store, "SELECT token FROM server_link");
}

// A workshop recorded offline on a device: a training, a session, `n`
// employees and their attendance. Returns the session id.
std::string RecordWorkshop(const std::string& db, int first_nip, int n, const std::string& status) {
  const std::string training = Ok(db, {"training", "add", "--title", "Workshop " + std::to_string(first_nip),
                                       "--form", "4", "--competency", "teknis", "--jp", "8", "--start",
                                       "2026-03-02", "--end", "2026-03-02"});
  const std::string session = Ok(db, {"session", "add", "--training", training, "--date", "2026-03-02"});
  for (int i = 0; i < n; ++i) {
    const std::string nip = TestNip(first_nip + i);
    Ok(db, {"employee", "add", "--nip", nip, "--name", "Pegawai " + std::to_string(first_nip + i), "--type", "pns"});
    Ok(db, {"attend", "--session", session, "--nip", nip, "--status", status});
  }
  return session;
}

// Syncs `db` in-process in 40-row batches and kills `server` once the
// session has made `round_trips` round trips; the sync must then fail as
// unreachable (a cut in the middle of a session).
void SyncCutAfter(client::OfficeDb& db, ServerProcess& server, int round_trips) {
  sync::Options small;
  small.max_batch_rows = small.min_batch_rows = small.max_batch_rows_limit = 40;
  client::SyncClient sc(db, sync::DefaultEnv(), small);
  bool killed = false;
  auto cut = sc.Sync([&](const sync::SyncProgress& p, const client::WireStats&) {
    if (p.round_trips == round_trips && !killed) {
      server.Kill();
      killed = true;
    }
  });
  REQUIRE(killed);
  REQUIRE(cut.status().code() == StatusCode::kUnavailable);
}

}  // namespace

TEST_CASE("offline edits on three devices of two offices end identical on every replica allowed to see them",
          "[backend][integration][server]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a1 = EnrolledDevice(server, dir, "a1.db", kSelatan, "Meja 1");
  const std::string a2 = EnrolledDevice(server, dir, "a2.db", kSelatan, "Meja 2");
  const std::string b1 = EnrolledDevice(server, dir, "b1.db", kPejeruk, "Meja 1");
  // Offline: each device records its own workshop.
  RecordWorkshop(a1, 10, 5, "hadir");
  RecordWorkshop(a2, 20, 4, "terlambat");
  RecordWorkshop(b1, 30, 6, "hadir");
  for (int round = 0; round < 2; ++round) {
    for (const auto& db : {a1, a2, b1}) Ok(db, {"sync"});
  }
  // An edit on one Selatan device of a row the other created reaches both.
  Ok(a2, {"employee", "update", "--nip", TestNip(10), "--name", "Nama Baru"});
  Ok(a2, {"sync"});
  Ok(a1, {"sync"});

  auto s = OpenServerDb(server.db_path());
  auto da1 = OpenClientDb(a1), da2 = OpenClientDb(a2), db1 = OpenClientDb(b1);
  REQUIRE(DumpTables(*da1) == DumpTables(*da2));
  REQUIRE(DumpTables(*da1) == OfficeView(*s, kSelatan));
  REQUIRE(DumpTables(*db1) == OfficeView(*s, kPejeruk));
  REQUIRE(DumpTables(*da1).find("Nama Baru") != std::string::npos);
  REQUIRE(Count(*s, "SELECT count(*) FROM attendance") == 15);
  REQUIRE(Count(*s, "SELECT count(*) FROM employee") == 15);
  // Office scoping: Pejeruk never received a Selatan employee, nor the reverse.
  REQUIRE(Count(*db1, "SELECT count(*) FROM employee WHERE office_id <> '52.71.01.1006'") == 0);
  REQUIRE(Count(*da1, "SELECT count(*) FROM employee WHERE office_id <> '52.71.01.1004'") == 0);
  // Every applied batch is in the append-only audit, with who sent it.
  REQUIRE(Count(*s, "SELECT count(*) FROM sync_audit WHERE credential_id = 0") == 0);
  REQUIRE(Count(*s, "SELECT count(DISTINCT credential_id) FROM sync_audit") == 3);
  REQUIRE_FALSE(s->db().Exec("DELETE FROM sync_audit").ok());
  // The log names devices and counts, never a token.
  REQUIRE(server.Log().find(DeviceToken(a1)) == std::string::npos);
  REQUIRE(server.Log().find("push=") != std::string::npos);
}

TEST_CASE("two offices recording the same attendance make one row and a recorded conflict", "[backend][integration][server]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string hr_token =
      RunServerCli({"--db", server.db_path(), "user", "add", "--name", "BKPSDM", "--role", "hr"}).out;
  const std::string hr = dir.File("hr.db");
  Ok(hr, {"init", "--office", "52.71"});
  Ok(hr, {"enroll", "--server", server.url(), "--token", hr_token.substr(0, hr_token.find('\n'))});
  const std::string host = EnrolledDevice(server, dir, "host.db", kSelatan, "Meja 1");
  const std::string home = EnrolledDevice(server, dir, "home.db", kPejeruk, "Meja 1");
  // Central HR creates a global workshop; Selatan hosts a session of it.
  const std::string training = Ok(hr, {"training", "add", "--global", "--title", "Bimtek SIASN", "--form", "4",
                                       "--competency", "teknis", "--jp", "8", "--start", "2026-03-02", "--end",
                                       "2026-03-02"});
  Ok(hr, {"sync"});
  Ok(host, {"sync"});
  const std::string session = Ok(host, {"session", "add", "--training", training, "--date", "2026-03-02"});
  Ok(host, {"sync"});
  // A Pejeruk employee attends; her office records her as excused...
  Ok(home, {"sync"});
  const std::string nip = TestNip(77);
  Ok(home, {"employee", "add", "--nip", nip, "--name", "Wulan", "--type", "pns"});
  Ok(home, {"attend", "--session", session, "--nip", nip, "--status", "izin"});
  Ok(home, {"sync"});
  // ...while the host's desk, offline, checked her in as present.
  Ok(host, {"attend", "--session", session, "--nip", nip, "--status", "hadir", "--add-unknown", "--name", "Wulan"});
  const CliResult hosted = Cli(host, {"sync"});
  INFO(hosted.out << hosted.err);
  REQUIRE(hosted.exit_code == 7);  // partly refused: the placeholder employee is Pejeruk's
  REQUIRE(hosted.err.find("forbidden") != std::string::npos);
  Ok(home, {"sync"});

  auto s = OpenServerDb(server.db_path());
  REQUIRE(Count(*s, "SELECT count(*) FROM attendance") == 1);
  REQUIRE(Count(*s, "SELECT count(*) FROM sync_conflict WHERE tbl = 'attendance' AND col = 'status'") == 1);
  REQUIRE(Count(*s, "SELECT count(*) FROM employee WHERE office_id = '52.71.01.1006'") == 1);
  // Both offices see the same attendance row; the host keeps its refused
  // placeholder in quarantine, shown by latih status.
  auto dh = OpenClientDb(host), dm = OpenClientDb(home);
  const char* q = "SELECT count(*) FROM attendance";
  REQUIRE(Count(*dh, q) == 1);
  REQUIRE(Count(*dm, q) == 1);
  REQUIRE(Text(*dh, "SELECT status FROM attendance") == Text(*dm, "SELECT status FROM attendance"));
  REQUIRE(Count(*dh, "SELECT count(*) FROM quarantine WHERE tbl = 'employee' AND code = 'forbidden'") == 1);
  const CliResult status = Cli(host, {"status"});
  REQUIRE(status.out.find("perubahan_dikarantina      1") != std::string::npos);
  // Central HR reads everything: every office's rows reach its database.
  Ok(hr, {"sync"});
  auto dhr = OpenClientDb(hr);
  REQUIRE(Count(*dhr, "SELECT count(*) FROM employee WHERE office_id = '52.71.01.1006'") == 1);
  REQUIRE(Count(*dhr, "SELECT count(*) FROM session") == 1);
  REQUIRE(Count(*dhr, "SELECT count(*) FROM attendance") == 1);
}

TEST_CASE("over HTTPS the device verifies the server with --cacert, and a new office reaches every device",
          "[backend][integration][server]") {
  TempDir dir;
  REQUIRE(MakeSelfSignedCert(dir.path()));
  ServerProcess server(dir.File("server.db"),
                       {"--tls-cert", dir.File("cert.pem"), "--tls-key", dir.File("key.pem")});
  REQUIRE(server.url().rfind("https://", 0) == 0);
  const std::string a = dir.File("a.db");
  Ok(a, {"init", "--office", kSelatan});
  const std::string token =
      RunServerCli({"--db", server.db_path(), "device", "enroll", "--office", kSelatan, "--name", "Meja 1"}).out;
  const std::string t = token.substr(0, token.find('\n'));
  // Without the private CA the certificate is refused, and the token is not spent.
  const CliResult unverified = Cli(a, {"enroll", "--server", server.url(), "--token", t});
  REQUIRE(unverified.exit_code == 8);
  REQUIRE(unverified.err.find("--cacert") != std::string::npos);
  Ok(a, {"enroll", "--server", server.url(), "--token", t, "--cacert", dir.File("cert.pem")});
  REQUIRE(RunServerCli({"--db", server.db_path(), "office", "add", "--code", "52.71.01.1014", "--name",
                        "Kelurahan Baru"}).exit_code == 0);
  Ok(a, {"sync"});
  REQUIRE(Count(*OpenClientDb(a), "SELECT count(*) FROM office WHERE id = '52.71.01.1014'") == 1);
  // The new office's first device: its code is not in the built-in list, so
  // init takes it as is; enroll and sync bring its row, then it records.
  const std::string b = dir.File("b.db");
  const CliResult init = Cli(b, {"init", "--office", "52.71.01.1014"});
  REQUIRE(init.exit_code == 0);
  CHECK_THAT(init.out, Catch::Contains("latih enroll"));
  const std::string tb = RunServerCli({"--db", server.db_path(), "device", "enroll", "--office", "52.71.01.1014",
                                       "--name", "Meja 1"}).out;
  Ok(b, {"enroll", "--server", server.url(), "--token", tb.substr(0, tb.find('\n')), "--cacert", dir.File("cert.pem")});
  Ok(b, {"sync"});
  CHECK(Count(*OpenClientDb(b), "SELECT count(*) FROM office WHERE id = '52.71.01.1014'") == 1);
  RecordWorkshop(b, 900, 2, "hadir");
  Ok(b, {"sync"});
  auto central = OpenServerDb(server.db_path());
  CHECK(Count(*central, "SELECT count(*) FROM attendance WHERE office_id = '52.71.01.1014'") == 2);
}

TEST_CASE("several store connections are refused on SQLite, before the server listens", "[integration][server]") {
  TempDir dir;
  const CliResult r = RunServerCli({"--db", dir.File("server.db"), "serve", "--listen", "127.0.0.1:0",
                                    "--store-connections", "2"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("--store-connections above 1 needs PostgreSQL"));
  CHECK(r.out.find("listening") == std::string::npos);
}

TEST_CASE("the same batch sent twice is applied once", "[backend][integration][server]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  RecordWorkshop(a, 10, 3, "hadir");
  auto store = OpenClientDb(a);
  sync::sqlite::SqliteSyncStore local(*store);
  auto state = local.LoadState();
  REQUIRE_OK(state.status());
  auto batch = local.NextPushBatch(sync::Options{});
  REQUIRE_OK(batch.status());
  client::HttpOptions http;
  http.server_url = server.url();
  http.token = DeviceToken(a);
  client::CurlTransport transport(http);
  sync::SyncRequest request;
  request.schema = state->schema;
  request.node = state->node;
  request.office = state->office;
  request.push = *batch;
  auto first = transport.Exchange(request);
  REQUIRE_OK(first.status());
  REQUIRE(first->push->applied);
  auto again = transport.Exchange(request);  // a retry after a lost answer
  REQUIRE_OK(again.status());
  REQUIRE_FALSE(again->push->applied);
  auto s = OpenServerDb(server.db_path());
  REQUIRE(Count(*s, "SELECT count(*) FROM sync_audit") == 1);
  REQUIRE(Count(*s, "SELECT count(*) FROM attendance") == 3);
}

TEST_CASE("a server killed between and during syncs loses nothing and duplicates nothing", "[backend][integration][server]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  const std::string b = EnrolledDevice(server, dir, "b.db", kSelatan, "Meja 2");
  RecordWorkshop(a, 10, 3, "hadir");
  Ok(a, {"sync"});
  // Between syncs: the server is gone; the device says so and keeps its data.
  server.Kill();
  RecordWorkshop(a, 20, 3, "hadir");
  const CliResult down = Cli(a, {"sync"});
  REQUIRE(down.exit_code == 9);
  REQUIRE(Cli(a, {"status"}).out.find("sinkron_gagal") != std::string::npos);
  server.Start(/*same_port=*/true);
  // During a sync: a big backlog in small batches; the server dies after the
  // third round trip, mid-session.
  {
    auto db = client::OfficeDb::Open(a, sync::DefaultEnv());
    REQUIRE_OK(db.status());
    auto batch = (*db)->store().BeginWrite();
    REQUIRE_OK(batch.status());
    for (int i = 0; i < 300; ++i) {
      client::EmployeeInput e;
      e.nip = TestNip(100 + i);
      e.name = "Pegawai " + std::to_string(i);
      e.type = "pns";
      REQUIRE_OK((*db)->PutEmployee(**batch, e, false, false).status());
    }
    REQUIRE_OK((*batch)->Commit());
    SyncCutAfter(**db, server, 3);
  }
  server.Start(/*same_port=*/true);
  Ok(a, {"sync"});
  // An initial pull cut half-way resumes where it stopped, not from zero.
  int64_t kept = 0;
  {
    auto db = client::OfficeDb::Open(b, sync::DefaultEnv());
    REQUIRE_OK(db.status());
    SyncCutAfter(**db, server, 4);
    auto state = (*db)->store().LoadSyncState();
    REQUIRE_OK(state.status());
    REQUIRE(state->pull_cursor > 0);
    kept = *(*db)->store().CountRows("employee");
    REQUIRE(kept >= 80);  // the batches applied before the cut stay
  }
  server.Start(/*same_port=*/true);
  const CliResult resumed = Cli(b, {"sync"});
  INFO(resumed.out << resumed.err);
  REQUIRE(resumed.exit_code == 0);
  // It received only what it lacked: "received N rows" with N well below the
  // 316 rows Selatan's devices see.
  const auto at = resumed.out.find("received ");
  REQUIRE(at != std::string::npos);
  const int64_t received = std::stoll(resumed.out.substr(at + 9));
  REQUIRE(received <= 316 - kept);
  auto s = OpenServerDb(server.db_path());
  auto da = OpenClientDb(a), dbb = OpenClientDb(b);
  REQUIRE(Count(*s, "SELECT count(*) FROM employee") == 306);
  REQUIRE(Count(*s, "SELECT count(*) FROM attendance") == 6);
  REQUIRE(DumpTables(*da) == DumpTables(*dbb));
  REQUIRE(DumpTables(*da) == OfficeView(*s, kSelatan));
  REQUIRE(*da->CountLocalCells() == 0);
}

TEST_CASE("a write to another office's row is refused per change, quarantined, never lost", "[backend][integration][server]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  const std::string b = EnrolledDevice(server, dir, "b.db", kPejeruk, "Meja 1");
  Ok(a, {"employee", "add", "--nip", TestNip(5), "--name", "Asli", "--type", "pns"});
  Ok(a, {"sync"});
  // Pejeruk registers the same NIP (the same row, owned by Selatan) plus one of its own.
  Ok(b, {"employee", "add", "--nip", TestNip(5), "--name", "Salah Kantor", "--type", "pns"});
  Ok(b, {"employee", "add", "--nip", TestNip(6), "--name", "Milik Pejeruk", "--type", "pns"});
  const CliResult r = Cli(b, {"sync"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 7);
  REQUIRE(r.err.find("52.71.01.1004") != std::string::npos);  // the reason names the owner
  auto s = OpenServerDb(server.db_path());
  REQUIRE(Text(*s, "SELECT name FROM employee WHERE nip = '" + TestNip(5) + "'") == "Asli");
  REQUIRE(Count(*s, "SELECT count(*) FROM employee WHERE nip = '" + TestNip(6) + "'") == 1);
  // Kept on the device, listed, and shown by latih status.
  auto db = OpenClientDb(b);
  REQUIRE(Count(*db, "SELECT count(*) FROM employee WHERE name = 'Salah Kantor'") == 1);
  REQUIRE(Count(*db, "SELECT count(*) FROM quarantine WHERE code = 'forbidden'") == 1);
  REQUIRE(Cli(b, {"status"}).out.find("karantina") != std::string::npos);
  // A request claiming another office is refused whole with 403.
  client::HttpOptions http;
  http.server_url = server.url();
  http.token = DeviceToken(b);
  client::CurlTransport transport(http);
  sync::SyncRequest req;
  req.schema = sync::kWireSchemaVersion;
  req.node = db->node_id();
  req.office = kSelatan;
  req.pull = sync::PullRequest{0, 10, 65536};
  REQUIRE(transport.Exchange(req).status().code() == StatusCode::kPermissionDenied);
}

TEST_CASE("missing, wrong and revoked tokens get 401 and change nothing", "[backend][integration][server]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  Ok(a, {"employee", "add", "--nip", TestNip(5), "--name", "Asli", "--type", "pns"});
  const std::string list = RunServerCli({"--db", server.db_path(), "device", "list", "--json"}).out;
  const auto devices = nlohmann::json::parse(list);
  REQUIRE(devices.size() == 1);
  REQUIRE(RunServerCli({"--db", server.db_path(), "device", "revoke",
                        std::to_string(devices[0]["id"].get<int64_t>())}).exit_code == 0);
  const CliResult r = Cli(a, {"sync"});
  REQUIRE(r.exit_code == 8);
  REQUIRE(r.err.find("revoked") != std::string::npos);
  const std::string body = sync::EncodeRequest(sync::SyncRequest{});
  for (const std::string& auth : {std::string(), std::string("Bearer lt_wrong")}) {
    std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
    if (!auth.empty()) headers.emplace_back("Authorization", auth);
    const RawResponse resp = RawHttp(server.port(), RequestBytes("POST", "/v1/sync", headers, body));
    REQUIRE(resp.status == 401);
    REQUIRE(resp.body.find("unauthenticated") != std::string::npos);
  }
  auto s = OpenServerDb(server.db_path());
  REQUIRE(Count(*s, "SELECT count(*) FROM employee") == 0);
}

TEST_CASE("bad requests get a 4xx naming the fault, and the server keeps serving", "[backend][integration][server]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"), {"--max-body-bytes", "100000"});
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  auto store = OpenClientDb(a);
  const std::string auth = "Bearer " + DeviceToken(a);
  auto post = [&](const std::string& body) {
    return RawHttp(server.port(), RequestBytes("POST", "/v1/sync",
                                               {{"Content-Type", "application/json"}, {"Authorization", auth}}, body));
  };
  const std::string head = R"({"protocol":1,"schema":1,"node":)" + std::to_string(store->node_id()) +
                           R"(,"office":"52.71.01.1004","time":1,)";
  REQUIRE(post("{not json").status == 400);
  const RawResponse wrong_type = post(head + R"("push":{"id":[1,1,"x"],"rows":[]}})");
  REQUIRE(wrong_type.status == 400);
  REQUIRE(wrong_type.body.find("push.id[2]") != std::string::npos);
  const RawResponse unknown = post(head + R"("push":{"id":[)" + std::to_string(store->node_id()) +
                                   R"(,1,1],"rows":[{"t":"gaji","id":"x","c":[]}]}})");
  REQUIRE(unknown.status == 400);
  REQUIRE(unknown.body.find("unknown table 'gaji'") != std::string::npos);
  const RawResponse old = post(R"({"protocol":0,"schema":1,"node":1,"time":1})");
  REQUIRE(old.status == 409);
  REQUIRE(old.body.find("update latih") != std::string::npos);
  // Wire schemas (PROTOCOL.md §6): 1 and 2 are served, a newer one waits
  // for the server's update.
  const std::string node = std::to_string(store->node_id());
  for (const char* schema : {"1", "2"}) {
    INFO("schema " << schema);
    const RawResponse served = post(R"({"protocol":1,"schema":)" + std::string(schema) + R"(,"node":)" + node +
                                    R"(,"office":"52.71.01.1004","time":1,"pull":{"cursor":0,"rows":10,"bytes":65536}})");
    CHECK(served.status == 200);
  }
  const RawResponse newer = post(R"({"protocol":1,"schema":3,"node":)" + node +
                                 R"(,"office":"52.71.01.1004","time":1,"pull":{"cursor":0,"rows":10,"bytes":65536}})");
  REQUIRE(newer.status == 409);
  CHECK(newer.body.find("schema_mismatch") != std::string::npos);
  CHECK(newer.body.find("update latih on the server") != std::string::npos);
  REQUIRE(post(std::string(200000, ' ')).status == 413);
  // A value that breaks a rule is refused per change with the reason; the
  // rest of the batch applies.
  const std::string row = R"({"t":"employee","id":"e1","v":[1,)" + std::to_string(store->node_id()) +
                          R"(,0,0],"c":[["",1],["nip","123"],["name","X"],["office_id","52.71.01.1004"],)"
                          R"(["employment_type","pns"],["active",1],["needs_review",0]]})";
  const RawResponse bad_nip = post(head + R"("push":{"id":[)" + std::to_string(store->node_id()) +
                                   R"(,1,1],"rows":[)" + row + "]}}");
  REQUIRE(bad_nip.status == 200);
  REQUIRE(bad_nip.body.find("invalid") != std::string::npos);
  REQUIRE(RawHttp(server.port(), RequestBytes("GET", "/healthz", {}, "")).status == 200);
  REQUIRE(RawHttp(server.port(), RequestBytes("GET", "/metrics", {}, "")).body.find("latih_http_requests_total") !=
          std::string::npos);
}

}  // namespace latih::test

namespace latih::test {
namespace {

// A device clock that runs `skew_ms` off the real one.
class SkewedClock final : public sync::Clock {
 public:
  explicit SkewedClock(int64_t skew_ms) : skew_ms_(skew_ms) {}
  int64_t NowUnixMs() override { return real_.NowUnixMs() + skew_ms_; }

 private:
  sync::SystemClock real_;
  int64_t skew_ms_;
};

}  // namespace

TEST_CASE("a device clock three days fast neither wins later edits nor drags the server's clock",
          "[backend][integration][server]") {
  constexpr int64_t kDayMs = 24LL * 3600 * 1000;
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string fast = EnrolledDevice(server, dir, "fast.db", kSelatan, "Meja 1");
  const std::string normal = EnrolledDevice(server, dir, "normal.db", kSelatan, "Meja 2");
  SkewedClock clock(3 * kDayMs);
  sync::RandomIdSource ids(clock);
  sync::Env env{clock, ids};
  {
    auto db = client::OfficeDb::Open(fast, env);
    REQUIRE_OK(db.status());
    client::EmployeeInput e;
    e.nip = TestNip(5);
    e.name = "Dari Jam Cepat";
    e.type = "pns";
    REQUIRE_OK((*db)->AddEmployee(e).status());
    client::SyncClient sc(**db, env);
    auto out = sc.Sync();
    REQUIRE_OK(out.status());
    REQUIRE(out->report.clock_skewed);
    REQUIRE(out->report.clock_offset_ms < -3 * kDayMs + 60000);
  }
  // A later edit (by real time) on a device with a good clock wins.
  Ok(normal, {"sync"});
  Ok(normal, {"employee", "update", "--nip", TestNip(5), "--name", "Suntingan Belakangan"});
  Ok(normal, {"sync"});
  {
    auto db = client::OfficeDb::Open(fast, env);
    REQUIRE_OK(db.status());
    client::SyncClient sc(**db, env);
    REQUIRE_OK(sc.Sync().status());
  }
  auto s = OpenServerDb(server.db_path());
  REQUIRE(Text(*s, "SELECT name FROM employee") == "Suntingan Belakangan");
  REQUIRE(Text(*OpenClientDb(fast), "SELECT name FROM employee") == "Suntingan Belakangan");
  // No version on the server is beyond its clock's bound.
  const int64_t bound = sync::SystemClock().NowUnixMs() + sync::Options{}.max_ahead_ms;
  auto all = s->ChangesSince(0, 1 << 30);
  REQUIRE_OK(all.status());
  for (const auto& c : *all) REQUIRE(sync::HlcPhysicalMs(c.version.hlc) <= bound);
}

TEST_CASE("sync through the shipped nginx front: an oversized body is refused there, never reaching the server",
          "[backend][integration][server][nginx]") {
  TempDir dir;
  // The server alone would take 64 MiB: only nginx can refuse 17 MiB here.
  ServerProcess server(dir.File("server.db"), {"--max-body-bytes", "67108864"});
  NginxFixture nginx(server.port());
  // Requests the server's handlers saw (counted before each reply is sent).
  auto handled = [&server] {
    const std::string m = RawHttp(server.port(), RequestBytes("GET", "/metrics", {}, "")).body;
    int64_t n = 0;
    for (size_t at = m.find("latih_http_requests_total{route=\"/v1/sync\""); at != std::string::npos;
         at = m.find("latih_http_requests_total{route=\"/v1/sync\"", at + 1)) {
      n += std::stoll(m.substr(m.find("} ", at) + 2));
    }
    return n;
  };
  const std::string a = dir.File("a.db");
  Ok(a, {"init", "--office", kSelatan});
  const std::string token =
      RunServerCli({"--db", server.db_path(), "device", "enroll", "--office", kSelatan, "--name", "Meja 1"}).out;
  Ok(a, {"enroll", "--server", nginx.url(), "--token", token.substr(0, token.find('\n'))});
  RecordWorkshop(a, 10, 3, "hadir");
  Ok(a, {"sync"});
  auto s = OpenServerDb(server.db_path());
  REQUIRE(Count(*s, "SELECT count(*) FROM attendance") == 3);
  const int64_t before = handled();
  // 17 MiB as sent (incompressible, so a gzip'd body would be as large).
  std::string big(17 * 1024 * 1024, '\0');
  uint64_t x = 88172645463325252ULL;
  for (auto& ch : big) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    ch = static_cast<char>(x);
  }
  const RawResponse r = RawHttp(nginx.port(), RequestBytes("POST", "/v1/sync",
                                                           {{"Content-Type", "application/json"},
                                                            {"Authorization", "Bearer " + DeviceToken(a)}},
                                                           big));
  REQUIRE(r.status == 413);
  REQUIRE(r.body.find("too_large") != std::string::npos);
  REQUIRE(handled() == before);  // the server never saw it
  Ok(a, {"sync"});               // and keeps serving through nginx
  REQUIRE(handled() == before + 1);
}

}  // namespace latih::test
