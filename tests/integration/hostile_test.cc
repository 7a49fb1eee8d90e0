// Hostile and broken input against a live latih-server (issue 5), sent
// directly and through the shipped nginx front: missing, wrong and revoked
// tokens; another office's rows; SQL injection strings in every text field;
// invalid UTF-8, deep nesting, huge numbers, wrong types; oversized bodies,
// truncated gzip, a gzip bomb; slow-loris connections. Each case gets its
// documented answer (sync/PROTOCOL.md §4 and §10: the status and the JSON
// error body, or a per-row refusal), nothing stored changes, and GET /healthz
// answers after every case. Requests are raw bytes over POSIX sockets, so
// each is exactly what its case says.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client/lib/sync_client.h"
#include "schema/migrations.h"
#include "sync/domain/ids.h"
#include "sync/gzip.h"
#include "sync/hlc.h"
#include "sync/protocol_json.h"
#include "tests/support/http_harness.h"
#include "tests/support/nginx_fixture.h"
#include "tests/support/server_process.h"
#include "tests/support/sync_views.h"

namespace latih::test {
namespace {

constexpr const char* kSelatan = "52.71.01.1004";
constexpr const char* kPejeruk = "52.71.01.1006";
constexpr size_t kMaxBody = 16 * 1024 * 1024;  // the server's and nginx's shipped limit

std::unique_ptr<sync::sqlite::Store> OpenDb(const std::string& path, bool server) {
  if (server) return OpenServerDb(path);  // SQLite or PostgreSQL (TestOnPostgres)
  sync::sqlite::Store::Options o;
  o.migrations = server ? schema::ServerMigrations() : schema::ClientMigrations();
  o.role = server ? sync::sqlite::Store::Role::kServer : sync::sqlite::Store::Role::kClient;
  auto s = sync::sqlite::Store::Open(path, o, sync::DefaultEnv());
  REQUIRE_OK(s.status());
  return std::move(s).value();
}

std::string Query(sync::sqlite::Store& store, const std::string& sql) {
  auto s = store.db().PrepareOwned(sql);
  REQUIRE_OK(s.status());
  std::string out;
  for (;;) {
    auto row = (*s)->Step();
    REQUIRE_OK(row.status());
    if (!*row) return out;
    out += (*s)->ColumnText(0) + "\n";
  }
}

// What a request could change on the server: every replicated row, the
// change log, conflicts, the audit trail of pushes, the batches applied,
// the credentials and the schema itself.
struct Stored {
  std::string tables, log, schema, credentials;
  int64_t conflicts = 0, audit = 0;
};

Stored ReadStored(const std::string& db) {
  auto s = OpenDb(db, true);
  Stored out;
  out.tables = DumpTables(*s);
  const bool pg = s->db().dialect() == sync::sqlite::Dialect::kPostgres;
  out.log = Query(*s, pg ? "SELECT row_id || ' ' || seq || ' ' || encode(cells, 'hex') FROM change_log ORDER BY seq"
                         : "SELECT row_id || ' ' || seq || ' ' || hex(cells) FROM change_log ORDER BY seq");
  out.schema = Query(*s, pg ? "SELECT table_name || ' ' || column_name || ' ' || data_type || ' ' || "
                              "coalesce(column_default, '') FROM information_schema.columns "
                              "WHERE table_schema = current_schema() ORDER BY 1"
                            : "SELECT sql FROM sqlite_schema ORDER BY name");
  out.credentials = Query(*s, "SELECT id || ' ' || coalesce(token_hash, '') || ' ' || coalesce(revoked_at, '') "
                              "FROM credential ORDER BY id");
  out.conflicts = std::stoll(Query(*s, "SELECT count(*) FROM sync_conflict"));
  out.audit = std::stoll(Query(*s, "SELECT count(*) FROM sync_audit"));
  return out;
}

// The replicated data, the log and the credentials are as before; `audited`
// pushes were added to the audit trail.
void RequireUnchanged(const Stored& before, const Stored& after, int64_t audited = 0) {
  CHECK(after.tables == before.tables);
  CHECK(after.log == before.log);
  CHECK(after.schema == before.schema);
  CHECK(after.credentials == before.credentials);
  CHECK(after.conflicts == before.conflicts);
  CHECK(after.audit == before.audit + audited);
}

// An enrolled office device as raw requests see it.
struct Device {
  std::string db, token, office;
  int64_t node = 0;
};

Device Enrolled(const ServerProcess& server, const TempDir& dir, const std::string& file, const std::string& office,
                const std::string& name) {
  Device d{EnrolledDevice(server, dir, file, office, name), "", office};
  auto store = OpenDb(d.db, false);
  d.token = Query(*store, "SELECT token FROM server_link");
  d.token.pop_back();  // the newline
  d.node = store->node_id();
  return d;
}

// Syncs `device` in-process (libcurl to the server it enrolled with).
void Sync(const Device& device) {
  auto db = client::OfficeDb::Open(device.db, sync::DefaultEnv());
  REQUIRE_OK(db.status());
  client::SyncClient sc(**db, sync::DefaultEnv());
  REQUIRE_OK(sc.Sync().status());
}

// A live server holding both offices' data: a1 and a2 of Ampenan Selatan
// and b1 of Pejeruk have synced; a1 recorded an employee, a training, a
// session and an attendance, b1 an employee.
struct World {
  TempDir dir;
  ServerProcess server{dir.File("server.db")};
  Device a1 = Enrolled(server, dir, "a1.db", kSelatan, "Meja 1");
  Device a2 = Enrolled(server, dir, "a2.db", kSelatan, "Meja 2");
  Device b1 = Enrolled(server, dir, "b1.db", kPejeruk, "Meja 1");
  std::string employee_a, employee_a2, employee_b, training, session;

  World() {
    auto db = client::OfficeDb::Open(a1.db, sync::DefaultEnv());
    REQUIRE_OK(db.status());
    client::EmployeeInput e{TestNip(1), "Lalu M. Zaini", "Lurah", "III/d", "pns", std::nullopt};
    auto added = (*db)->AddEmployee(e);
    REQUIRE_OK(added.status());
    employee_a = added->id;
    auto added2 = (*db)->AddEmployee({TestNip(3), "Baiq Rahmawati", {}, {}, "pns", std::nullopt});
    REQUIRE_OK(added2.status());
    employee_a2 = added2->id;
    client::TrainingInput t;
    t.title = "Workshop Pelayanan Publik";
    t.form = "4";
    t.competency = "teknis";
    t.start_date = t.end_date = "2026-03-02";
    t.jp = 8;
    auto tr = (*db)->AddTraining(t);
    REQUIRE_OK(tr.status());
    training = *tr;
    auto s = (*db)->AddSession(client::SessionInput{training, "2026-03-02", {}, {}, {}, {}});
    REQUIRE_OK(s.status());
    session = *s;
    client::AttendInput in;
    in.session_id = session;
    in.nip = TestNip(1);
    REQUIRE_OK((*db)->Attend(in).status());
    db->reset();
    Sync(a1);
    auto b = client::OfficeDb::Open(b1.db, sync::DefaultEnv());
    REQUIRE_OK(b.status());
    auto added_b = (*b)->AddEmployee({TestNip(2), "Baiq Nurul Aini", {}, {}, "pns", std::nullopt});
    REQUIRE_OK(added_b.status());
    employee_b = added_b->id;
    b->reset();
    Sync(b1);
    Sync(a2);
  }
};

// The two ways in: straight to latih-server, and through the shipped nginx.
struct Front {
  const char* name;
  int port;
};

std::string Post(const std::string& path, const std::string& authorization, const std::string& body,
                 std::vector<std::pair<std::string, std::string>> headers = {}, bool chunked = false) {
  headers.emplace_back("Content-Type", "application/json");
  if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
  return RequestBytes("POST", path, headers, body, chunked);
}

std::string Bearer(const Device& d) { return "Bearer " + d.token; }

// The start of a request object from `d`, open for more fields.
std::string Head(const Device& d, const std::string& office) {
  return R"({"protocol":1,"schema":1,"node":)" + std::to_string(d.node) + R"(,"office":")" + office +
         R"(","time":)" + std::to_string(sync::SystemClock().NowUnixMs());
}
std::string Head(const Device& d) { return Head(d, d.office); }
std::string Probe(const Device& d) { return Head(d) + R"(,"pull":{"cursor":0,"rows":0,"bytes":0}})"; }

// GET /healthz answers 200 {"status":"ok",...}.
void RequireHealthy(int port) {
  const RawResponse r = RawHttp(port, RequestBytes("GET", "/healthz", {}, ""));
  INFO("GET /healthz on port " << port << ": " << r.status << " " << r.body);
  REQUIRE(r.status == 200);
  REQUIRE(nlohmann::json::parse(r.body, nullptr, false).value("status", "") == "ok");
}

// The code of a JSON error body {"error":{"code":...,"message":...}}; the
// message must not be empty.
std::string ErrorCode(const RawResponse& r, std::string* message = nullptr) {
  INFO("status " << r.status << ", body: " << r.body);
  REQUIRE(r.headers.count("content-type"));
  CHECK(r.headers.at("content-type").rfind("application/json", 0) == 0);
  const auto doc = nlohmann::json::parse(r.body, nullptr, false);
  REQUIRE(doc.is_object());
  REQUIRE(doc.contains("error"));
  REQUIRE(doc["error"]["code"].is_string());
  REQUIRE(doc["error"]["message"].is_string());
  CHECK_FALSE(doc["error"]["message"].get<std::string>().empty());
  if (message) *message = doc["error"]["message"].get<std::string>();
  return doc["error"]["code"].get<std::string>();
}

// `request` sent to `front` gets `status` with error `code` and a message
// containing `says`; nothing stored changes; /healthz answers afterwards,
// at the front and at the server itself.
RawResponse ExpectRefused(const World& w, const Front& front, const std::string& what, const std::string& request,
                          int status, const std::string& code, const std::string& says = "") {
  INFO(front.name << ": " << what);
  const Stored before = ReadStored(w.server.db_path());
  const RawResponse r = RawHttp(front.port, request);
  REQUIRE(r.status == status);
  std::string message;
  CHECK(ErrorCode(r, &message) == code);
  CHECK_THAT(message, Catch::Contains(says));
  RequireUnchanged(before, ReadStored(w.server.db_path()));
  RequireHealthy(front.port);
  RequireHealthy(w.server.port());
  return r;
}

// A push from `d` of `rows` (batch ids unique per call).
std::string PushBody(const Device& d, const std::string& office, std::vector<sync::RowChange> rows) {
  static int64_t batch = 1000;
  sync::SyncRequest r;
  r.schema = sync::kWireSchemaVersion;
  r.node = d.node;
  r.office = office;
  r.client_time_ms = sync::SystemClock().NowUnixMs();
  r.push = sync::PushBatch{{d.node, batch, batch + static_cast<int64_t>(rows.size())}, std::move(rows)};
  batch += 1000;
  return sync::EncodeRequest(r);
}

// A row change by `d` now: every cell at one fresh version.
sync::RowChange Change(const Device& d, std::string table, std::string id,
                       std::vector<std::pair<std::string, sync::Value>> cells) {
  static int64_t counter = 0;
  const sync::Version v{sync::HlcPack(sync::SystemClock().NowUnixMs() - 1000, ++counter % 60000), d.node};
  sync::RowChange row{std::move(table), std::move(id), {}};
  for (auto& [column, value] : cells) row.cells.push_back({column, std::move(value), v, {}});
  return row;
}

// The answer to a push: 200 with a push acknowledgement.
sync::PushAck PushAnswer(const RawResponse& r) {
  INFO("push answered " << r.status << ": " << r.body);
  REQUIRE(r.status == 200);
  auto decoded = sync::DecodeResponse(r.body);
  REQUIRE_OK(decoded.status());
  REQUIRE(decoded->push);
  REQUIRE(decoded->push->applied);
  return *decoded->push;
}

}  // namespace

TEST_CASE("hostile: requests without a valid credential get 401 and another device's get 403, changing nothing",
          "[backend][integration][hostile]") {
  World w;
  const Device r1 = Enrolled(w.server, w.dir, "r1.db", kSelatan, "Meja Hilang");
  const auto devices = nlohmann::json::parse(RunServerCli({"--db", w.server.db_path(), "device", "list", "--json"}).out);
  for (const auto& d : devices) {
    if (d["name"] == "Meja Hilang") {
      REQUIRE(RunServerCli({"--db", w.server.db_path(), "device", "revoke", std::to_string(d["id"].get<int64_t>())})
                  .exit_code == 0);
    }
  }
  const CliResult pending =
      RunServerCli({"--db", w.server.db_path(), "device", "enroll", "--office", kSelatan, "--name", "Meja Baru"});
  REQUIRE(pending.exit_code == 0);
  const std::string enrollment_token = pending.out.substr(0, pending.out.find('\n'));
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  NginxFixture nginx(w.server.port());

  for (const Front& f : {Front{"direct", w.server.port()}, Front{"nginx", nginx.port()}}) {
    const struct {
      const char* what;
      std::string authorization, says;
    } cases[] = {
        {"no Authorization header", "", "missing bearer token"},
        {"an empty bearer token", "Bearer", "missing bearer token"},
        {"another scheme", "Basic bWVqYToxMjM0", "missing bearer token"},
        {"a wrong token", "Bearer lt_" + std::string(64, 'a'), "unknown token"},
        {"an enrollment token not yet exchanged", "Bearer " + enrollment_token, "enrollment token"},
        {"a revoked token", Bearer(r1), "revoked"},
    };
    for (const auto& c : cases) {
      const RawResponse r = ExpectRefused(w, f, c.what, Post("/v1/sync", c.authorization, Probe(w.a1)), 401,
                                          "unauthenticated", c.says);
      CHECK(r.headers.count("www-authenticate") == 1);
    }
    // Who asks comes first: a stranger's body is not even parsed.
    ExpectRefused(w, f, "no token and a 100,000-deep body", Post("/v1/sync", "", deep), 401, "unauthenticated");
    ExpectRefused(w, f, "enrollment without a token",
                  Post("/v1/enroll", "", R"({"node":4242,"office":"52.71.01.1004"})"), 401, "unauthenticated");
    ExpectRefused(w, f, "a1's token for b1's database", Post("/v1/sync", Bearer(w.a1), Probe(w.b1)), 403, "forbidden",
                  "another device database");
    ExpectRefused(w, f, "a1's token claiming Pejeruk", Post("/v1/sync", Bearer(w.a1), Head(w.a1, kPejeruk) + "}"), 403,
                  "forbidden", "enrolled for office 52.71.01.1004");
  }
}

TEST_CASE("hostile: another office's rows are refused one by one as forbidden and nothing is stored",
          "[backend][integration][hostile]") {
  World w;
  NginxFixture nginx(w.server.port());
  int nip = 70;
  for (const Front& f : {Front{"direct", w.server.port()}, Front{"nginx", nginx.port()}}) {
    INFO(f.name);
    const std::string new_nip = TestNip(++nip);
    std::vector<sync::RowChange> rows = {
        // Selatan's employee, renamed by a Pejeruk desk.
        Change(w.b1, "employee", w.employee_a, {{"name", std::string("Diambil Alih")}}),
        // A new employee registered for Selatan by a Pejeruk desk.
        Change(w.b1, "employee", domain::NaturalId("employee", {new_nip}),
               {{"", int64_t{1}}, {"nip", new_nip}, {"name", std::string("Titipan")}, {"office_id", kSelatan},
                {"employment_type", std::string("pns")}}),
        // Reference data, written by central HR only.
        Change(w.b1, "office", "52.71", {{"name", std::string("Kota Lain")}}),
        // Pejeruk's own employee moved into Selatan.
        Change(w.b1, "employee", w.employee_b, {{"office_id", kSelatan}}),
    };
    const Stored before = ReadStored(w.server.db_path());
    const sync::PushAck ack =
        PushAnswer(RawHttp(f.port, Post("/v1/sync", Bearer(w.b1), PushBody(w.b1, kPejeruk, rows))));
    REQUIRE(ack.refused.size() == rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      INFO("row " << i << ": " << ack.refused[i].reason);
      CHECK(ack.refused[i].id == rows[i].id);
      CHECK(ack.refused[i].code == "forbidden");
      CHECK_THAT(ack.refused[i].reason, Catch::Contains("may not write"));
    }
    RequireUnchanged(before, ReadStored(w.server.db_path()), /*audited=*/1);
    RequireHealthy(f.port);
  }
}

}  // namespace latih::test

// SQL injection strings in every text field.
namespace latih::test {
namespace {

// Strings that would break a query built by pasting text (none holds a NUL:
// TEXT values never do). At most 40 bytes, the shortest text limit (rank).
const std::string kInjections[] = {
    "Robert'); DROP TABLE employee;--",
    "' OR '1'='1",
    "\"; ATTACH DATABASE 'x.db' AS x;--",
    "1; DELETE FROM change_log WHERE 1=1",
    "x'||(SELECT sqlite_version())||'",
    "50% _off_ \\' \\\" \\\\ \\n %s%n",
    "\xC3\x91o\xC3\xB1o \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80",  // Ñoño — 日本 😀
    " \t spaces, a tab and\na newline ",
};

// What happens to an injection string in each text column (and id) of
// each replicated table. Free text must come back byte for byte; a value
// a rule constrains (codes, dates, ids, the office that owns the row) is
// refused by the rules, never executed; references to rows the server has
// not seen may be either (PROTOCOL.md §2: merged rows may reference rows
// not received yet).
enum class Fate { kStored, kRefused, kEither };
const std::map<std::string, Fate> kTextFields = {
    {"office.id", Fate::kRefused},           {"office.name", Fate::kStored},
    {"office.level", Fate::kRefused},        {"office.parent_id", Fate::kEither},
    {"office.aliases", Fate::kRefused},      {"office.bps_code", Fate::kRefused},
    {"employee.id", Fate::kRefused},         {"employee.nip", Fate::kRefused},
    {"employee.name", Fate::kStored},        {"employee.office_id", Fate::kRefused},
    {"employee.position", Fate::kStored},    {"employee.rank", Fate::kStored},
    {"employee.employment_type", Fate::kRefused}, {"employee.email", Fate::kRefused},
    {"training.funding_source", Fate::kRefused},
    {"training.id", Fate::kRefused},         {"training.office_id", Fate::kRefused},
    {"training.title", Fate::kStored},       {"training.route", Fate::kRefused},
    {"training.competency", Fate::kRefused}, {"training.organizer", Fate::kStored},
    {"training.start_date", Fate::kRefused}, {"training.end_date", Fate::kRefused},
    {"training.certificate_no", Fate::kStored}, {"training.scope", Fate::kRefused},
    {"session.id", Fate::kRefused},          {"session.training_id", Fate::kEither},
    {"session.office_id", Fate::kRefused},   {"session.date", Fate::kRefused},
    {"session.start_time", Fate::kRefused},  {"session.end_time", Fate::kRefused},
    {"session.location", Fate::kStored},
    {"attendance.id", Fate::kRefused},       {"attendance.session_id", Fate::kEither},
    {"attendance.employee_id", Fate::kEither}, {"attendance.office_id", Fate::kEither},
    {"attendance.status", Fate::kRefused},   {"attendance.checked_in_at", Fate::kStored},
    {"attendance.method", Fate::kRefused},   {"attendance.note", Fate::kStored},
    {"evaluation.id", Fate::kRefused},       {"evaluation.training_id", Fate::kEither},
    {"evaluation.employee_id", Fate::kEither}, {"evaluation.office_id", Fate::kRefused},
    {"evaluation.kind", Fate::kRefused},     {"evaluation.aspects", Fate::kRefused},
    {"evaluation.assessed_on", Fate::kRefused},
    {"skm_response.id", Fate::kRefused},     {"skm_response.office_id", Fate::kRefused},
    {"skm_response.period", Fate::kRefused}, {"skm_response.gender", Fate::kRefused},
    {"skm_response.age_band", Fate::kRefused}, {"skm_response.education", Fate::kRefused},
    {"skm_response.occupation", Fate::kStored}, {"skm_response.service", Fate::kStored},
    {"skm_response.responded_on", Fate::kRefused},
    {"skp_assessment.id", Fate::kRefused},   {"skp_assessment.employee_id", Fate::kEither},
    // The row belongs to the employee's office as the server knows it; the
    // office it names is what its writer believed (as attendance's).
    {"skp_assessment.office_id", Fate::kEither}, {"skp_assessment.period", Fate::kRefused},
    {"skp_assessment.hasil_kerja", Fate::kRefused}, {"skp_assessment.perilaku_kerja", Fate::kRefused},
    {"skp_assessment.assessed_on", Fate::kRefused}, {"skp_assessment.assessor_nip", Fate::kRefused},
    {"skp_assessment.assessor_name", Fate::kStored},
};

// A valid new row of `table` (values by column, "id" unless derived from a
// natural key): the `n`th of its table, about `employee` (of Selatan) where
// a row is about one.
std::map<std::string, sync::Value> BaseRow(const World& w, const std::string& table, int n,
                                           const std::string& employee) {
  // Unique across tables too: the change log is keyed by row id.
  const size_t table_no = std::string_view("office employee training session attendance evaluation").find(table);
  char uuid[40];
  std::snprintf(uuid, sizeof uuid, "01900000-0000-7000-8%03zx-%012x", table_no % 0x1000, static_cast<unsigned>(n));
  if (table == "office") {
    return {{"id", "52.71.01." + std::to_string(2000 + n)}, {"name", "Kantor Uji " + std::to_string(n)},
            {"level", std::string("kelurahan")}, {"parent_id", std::string("52.71.01")}, {"aliases", std::string("[]")}};
  }
  if (table == "employee") {
    return {{"nip", TestNip(100 + n)}, {"name", std::string("Pegawai Uji")}, {"office_id", kSelatan},
            {"employment_type", std::string("pns")}, {"active", int64_t{1}}, {"needs_review", int64_t{0}}};
  }
  if (table == "training") {
    return {{"id", std::string(uuid)}, {"office_id", kSelatan}, {"title", std::string("Bimtek")},
            {"form", int64_t{4}}, {"route", std::string("klasikal")}, {"competency", std::string("teknis")},
            {"jp", 8.0}, {"minutes", int64_t{360}}, {"start_date", std::string("2026-03-02")},
            {"end_date", std::string("2026-03-02")}, {"scope", std::string("nasional")}};
  }
  if (table == "session") {
    return {{"id", std::string(uuid)}, {"training_id", w.training}, {"office_id", kSelatan},
            {"date", std::string("2026-03-02")}};
  }
  if (table == "attendance") {  // a session not known here: its id is unique
    return {{"session_id", std::string(uuid)}, {"employee_id", employee}, {"office_id", kSelatan},
            {"status", std::string("hadir")}, {"method", std::string("manual")}};
  }
  if (table == "evaluation") {
    return {{"training_id", std::string(uuid)}, {"employee_id", employee}, {"office_id", kSelatan},
            {"kind", std::string("reaction")}, {"level", int64_t{1}}, {"score", 80.0}};
  }
  if (table == "skp_assessment") {  // the nth (year, period) of the employee
    static const char* kPeriods[] = {"tahunan", "Q1", "Q2", "Q3", "Q4", "01", "02", "03", "04", "05", "06",
                                     "07", "08", "09", "10", "11", "12"};
    return {{"employee_id", employee}, {"office_id", kSelatan}, {"year", int64_t{2022 + n % 78}},
            {"period", std::string(kPeriods[(n / 78) % 17])}, {"hasil_kerja", std::string("sesuai")},
            {"perilaku_kerja", std::string("di_atas")}};
  }
  std::map<std::string, sync::Value> skm = {
      {"id", std::string(uuid)}, {"office_id", kSelatan}, {"period", std::string("2026-S1")}};
  for (int u = 1; u <= 9; ++u) skm["u" + std::to_string(u)] = int64_t{4};
  return skm;
}

// The id of a row: given, or derived from its natural key.
std::string RowId(const std::string& table, const std::map<std::string, sync::Value>& v) {
  auto text = [&](const char* c) { return std::get<std::string>(v.at(c)); };
  if (v.count("id")) return text("id");
  if (table == "employee") return domain::NaturalId(table, {text("nip")});
  if (table == "attendance") return domain::NaturalId(table, {text("session_id"), text("employee_id")});
  if (table == "skp_assessment") {
    return domain::NaturalId(table, {text("employee_id"), sync::ValueToText(v.at("year")), text("period")});
  }
  return domain::NaturalId(table, {text("training_id"), text("employee_id"), text("kind")});
}

struct Planted {
  std::string table, id, column, value;
  Fate fate;
};

}  // namespace

TEST_CASE("hostile: SQL injection strings in every text field are refused by the rules or stored as plain text, "
          "and another device of the office pulls them back byte for byte", "[backend][integration][hostile]") {
  World w;
  const CliResult hr = RunServerCli({"--db", w.server.db_path(), "user", "add", "--name", "BKPSDM", "--role", "hr"});
  REQUIRE(hr.exit_code == 0);
  Device central{"", hr.out.substr(0, hr.out.find('\n')), "", 777000001};
  REQUIRE(RawHttp(w.server.port(), Post("/v1/enroll", Bearer(central), R"({"node":777000001})")).status == 200);
  NginxFixture nginx(w.server.port());
  auto server = OpenDb(w.server.db_path(), true);
  // Every text column of the catalog is listed: a new one must be classified.
  for (const auto& td : server->catalog().tables()) {
    CHECK(kTextFields.count(td.name + ".id"));
    for (const auto& c : td.columns) {
      if (c.type == sync::ColumnType::kText) CHECK(kTextFields.count(td.name + "." + c.name));
    }
  }
  std::map<std::string, int> made;  // rows made per table
  for (const Front& f : {Front{"direct", w.server.port()}, Front{"nginx", nginx.port()}}) {
    INFO(f.name);
    // Each pass about another employee: rows keyed by an injected session or
    // training id and the employee are new in each pass.
    const std::string& employee = f.port == nginx.port() ? w.employee_a2 : w.employee_a;
    std::vector<Planted> planted;
    std::vector<sync::RowChange> office_rows, device_rows;
    for (const auto& [field, fate] : kTextFields) {
      const std::string table = field.substr(0, field.find('.')), column = field.substr(field.find('.') + 1);
      for (const std::string& s : kInjections) {
        auto values = BaseRow(w, table, ++made[table], employee);
        values[column] = s;
        const std::string id = RowId(table, values);
        values.erase("id");
        std::vector<std::pair<std::string, sync::Value>> cells = {{"", int64_t{1}}};
        cells.insert(cells.end(), values.begin(), values.end());
        const Device& by = table == "office" ? central : w.a1;
        (table == "office" ? office_rows : device_rows).push_back(Change(by, table, id, cells));
        planted.push_back({table, id, column, s, fate});
      }
    }
    const Stored before = ReadStored(w.server.db_path());
    const CellSnapshot cells_before = Snapshot(*server);
    std::map<std::string, sync::Refusal> refused;
    for (const auto& [by, rows] : {std::pair{&central, &office_rows}, std::pair{&w.a1, &device_rows}}) {
      const RawResponse r = RawHttp(f.port, Post("/v1/sync", Bearer(*by), PushBody(*by, by->office, *rows)));
      INFO(w.server.Log());
      const sync::PushAck ack = PushAnswer(r);
      for (const auto& refusal : ack.refused) refused[refusal.id] = refusal;
    }
    RequireHealthy(f.port);
    // Nothing that was there changed, no table went.
    const Stored after = ReadStored(w.server.db_path());
    CHECK(after.schema == before.schema);
    CHECK(after.credentials == before.credentials);
    const CellSnapshot cells_after = Snapshot(*server);
    for (const auto& [cell, value] : cells_before) {
      INFO(cell);
      REQUIRE(cells_after.count(cell));
      CHECK(cells_after.at(cell) == value);
    }
    Sync(w.a2);
    auto a2 = OpenDb(w.a2.db, false);
    for (const Planted& p : planted) {
      INFO(p.table << "." << p.column << " = '" << p.value << "'");
      auto on_server = server->Get(p.table, p.id);
      REQUIRE_OK(on_server.status());
      if (refused.count(p.id)) {
        CHECK(p.fate != Fate::kStored);
        CHECK((refused[p.id].code == "invalid" || refused[p.id].code == "forbidden"));
        CHECK_FALSE(refused[p.id].reason.empty());
        CHECK_FALSE(on_server->has_value());
        continue;
      }
      CHECK(p.fate != Fate::kRefused);
      const sync::TableDef* td = server->catalog().Find(p.table);
      auto pulled = a2->Get(p.table, p.id);
      REQUIRE_OK(pulled.status());
      REQUIRE(on_server->has_value());
      REQUIRE(pulled->has_value());
      const sync::Value expected = p.value;
      if (p.column == "id") continue;
      CHECK((*on_server)->values[td->ColumnIndex(p.column)] == expected);
      CHECK((*pulled)->values[td->ColumnIndex(p.column)] == expected);
    }
  }
}

}  // namespace latih::test

// Malformed and oversized bodies.
namespace latih::test {

TEST_CASE("hostile: invalid UTF-8, deep nesting, huge numbers and wrong types get 400 naming the fault",
          "[backend][integration][hostile]") {
  World w;
  NginxFixture nginx(w.server.port());
  const std::string head = Head(w.a1);
  const std::string push_head = head + R"(,"push":{"id":[)" + std::to_string(w.a1.node) + R"(,1,1],"rows":[)";
  // A row of a1's own employee with one cell; `value` as JSON text.
  auto cell_push = [&](const std::string& column, const std::string& value) {
    return push_head + R"({"t":"employee","id":")" + w.employee_a + R"(","c":[[")" + column + "\"," + value +
           ",1," + std::to_string(w.a1.node) + ",0,0]]}]}}";
  };
  const struct {
    const char* what;
    std::string body, says;
  } cases[] = {
      // Invalid UTF-8 anywhere in the text: JSON must be UTF-8.
      {"0xC3 0x28 in a value", cell_push("name", "\"Zaini \xC3\x28\""), "body: is not valid JSON"},
      {"a lone continuation byte", cell_push("name", "\"\xA0\xA1\""), "body: is not valid JSON"},
      {"an overlong '/'", cell_push("name", "\"\xC0\xAF\""), "body: is not valid JSON"},
      {"a UTF-16 surrogate", cell_push("name", "\"\xED\xA0\x80\""), "body: is not valid JSON"},
      {"0xFF", head + ",\"office\xFF\":1}", "body: is not valid JSON"},
      {"a sequence cut short", head + R"(,"zz":")" + "\xE2\x82" + "\"}", "body: is not valid JSON"},
      {"an escaped lone surrogate", cell_push("name", R"("\ud800")"), "body: is not valid JSON"},
      // Deep nesting: 100,000 levels, read without recursion.
      {"100,000 nested arrays", std::string(100000, '[') + std::string(100000, ']'), "body: is not a JSON object"},
      {"100,000 nested objects as the push", [&] {
         std::string b = head + R"(,"push":)";
         for (int i = 0; i < 100000; ++i) b += R"({"a":)";
         return b + "1" + std::string(100000, '}') + "}";
       }(), "push: missing field 'id'"},
      {"100,000 arrays never closed", head + R"(,"zz":)" + std::string(100000, '['), "body: is not valid JSON"},
      // Huge numbers.
      {"time 1e400", R"({"protocol":1,"schema":1,"node":1,"time":1e400})", "body: is not valid JSON"},
      {"node 2^64", R"({"protocol":1,"schema":1,"node":18446744073709551616,"time":1})", "node: is not an integer"},
      {"time -2^63-1", R"({"protocol":1,"schema":1,"node":1,"time":-9223372036854775809})", "time: is not an integer"},
      {"protocol 2^32+1", R"({"protocol":4294967297,"schema":1,"node":1,"time":1})", "protocol: is out of range"},
      {"pull.rows 2^32+500", head + R"(,"pull":{"cursor":0,"rows":4294967796,"bytes":1}})", "pull.rows: is out of range"},
      {"a batch id of 2^64-1", head + R"(,"push":{"id":[1,1,18446744073709551615],"rows":[]}})",
       "push.id[2]: is not an integer"},
      {"a cell value of 2^64-1", cell_push("active", "18446744073709551615"), "is an integer beyond 64 bits"},
      {"a cell value of 1e400", cell_push("active", "1e400"), "body: is not valid JSON"},
      // Wrong types.
      {"protocol as a string", R"({"protocol":"1","schema":1,"node":1,"time":1})", "protocol: is not an integer"},
      {"push as an array", head + R"(,"push":[]})", "push: is not an object"},
      {"rows as an object", head + R"(,"push":{"id":[1,1,1],"rows":{}}})", "push.rows: is not an array"},
      {"a table name as a number", push_head + R"({"t":5,"id":"x","c":[]}]}})", "push.rows[0].t: is not a string"},
      {"a cell value true", cell_push("name", "true"), "push.rows[0].c[0][1]: value must be"},
      {"a version as a string", push_head + R"({"t":"employee","id":"x","c":[["name","n","1",1,0,0]]}]}})",
       "push.rows[0].c[0][2]: is not an integer"},
      {"own as a number", head + R"(,"pull":{"cursor":0,"rows":1,"bytes":1,"own":1}})", "pull.own: is not a boolean"},
      {"a body of null", "null", "body: is not a JSON object"},
      {"an empty body", "", "body: is not valid JSON"},
  };
  for (const Front& f : {Front{"direct", w.server.port()}, Front{"nginx", nginx.port()}}) {
    for (const auto& c : cases) {
      ExpectRefused(w, f, c.what, Post("/v1/sync", Bearer(w.a1), c.body), 400, "bad_request", c.says);
    }
    // 2^64 is a real in JSON: a valid message whose value no column can
    // hold. Refused per row (PROTOCOL.md §4), the batch audited. (Another
    // batch id per pass: the same batch again would be a resend.)
    std::string huge = cell_push("active", "18446744073709551616");
    huge.replace(huge.find(",1,1]"), 5, f.port == nginx.port() ? ",2,2]" : ",3,3]");
    const Stored before = ReadStored(w.server.db_path());
    const sync::PushAck ack = PushAnswer(RawHttp(f.port, Post("/v1/sync", Bearer(w.a1), huge)));
    REQUIRE(ack.refused.size() == 1);
    CHECK(ack.refused[0].code == "invalid");
    CHECK_THAT(ack.refused[0].reason, Catch::Contains("employee.active"));
    RequireUnchanged(before, ReadStored(w.server.db_path()), /*audited=*/1);
    RequireHealthy(f.port);
  }
}

TEST_CASE("hostile: oversized bodies and gzip bombs get 413, broken gzip 400, directly and through nginx",
          "[backend][integration][hostile]") {
  World w;
  NginxFixture nginx(w.server.port());
  const std::string auth = Bearer(w.a1);
  const std::string gzip = sync::GzipCompress(Probe(w.a1));
  const std::string bomb = sync::GzipCompress(Head(w.a1) + R"(,"zz":")" + std::string(kMaxBody, 'a') + "\"}");
  REQUIRE(bomb.size() < kMaxBody / 100);
  const std::vector<std::pair<std::string, std::string>> gzipped = {{"Content-Encoding", "gzip"}};
  for (const Front& f : {Front{"direct", w.server.port()}, Front{"nginx", nginx.port()}}) {
    ExpectRefused(w, f, "a body one byte over 16 MiB", Post("/v1/sync", auth, std::string(kMaxBody + 1, ' ')), 413,
                  "too_large");
    ExpectRefused(w, f, "a chunked body one byte over 16 MiB",
                  Post("/v1/sync", auth, std::string(kMaxBody + 1, ' '), {}, /*chunked=*/true), 413, "too_large");
    ExpectRefused(w, f, "a gzip bomb", Post("/v1/sync", auth, bomb, gzipped), 413, "too_large", "inflates beyond");
    ExpectRefused(w, f, "gzip cut in half", Post("/v1/sync", auth, gzip.substr(0, gzip.size() / 2), gzipped), 400,
                  "bad_request");
    ExpectRefused(w, f, "gzip without its last 4 bytes", Post("/v1/sync", auth, gzip.substr(0, gzip.size() - 4),
                                                              gzipped), 400, "bad_request");
    ExpectRefused(w, f, "a gzip header and garbage", Post("/v1/sync", auth, "\x1f\x8b\x08garbage", gzipped), 400,
                  "bad_request");
    ExpectRefused(w, f, "an encoding the server does not speak",
                  Post("/v1/sync", auth, Probe(w.a1), {{"Content-Encoding", "br"}}), 400, "bad_request", "br");
    ExpectRefused(w, f, "invalid UTF-8 inside gzip",
                  Post("/v1/sync", auth, sync::GzipCompress(Head(w.a1) + ",\"x\":\"\xC3\x28\"}"), gzipped), 400,
                  "bad_request", "not valid JSON");
  }
}

}  // namespace latih::test

// Slow-loris connections.
namespace latih::test {
namespace {

// A TCP connection to 127.0.0.1 that sends what it is told and nothing
// more; closed on destruction.
class SlowClient {
 public:
  explicit SlowClient(int port) : fd_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~SlowClient() { close(fd_); }
  SlowClient(const SlowClient&) = delete;
  SlowClient& operator=(const SlowClient&) = delete;

  void Send(const std::string& bytes) {
    REQUIRE(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
  }
  // True while the peer has neither answered nor closed.
  bool Waiting() {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, 0) == 0;
  }
  // Waits (at most `limit`) until the peer closes; what it sent before.
  // False if it was still open at the deadline.
  bool WaitClosed(std::chrono::seconds limit, std::string* received) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;  // EOF or reset
      received->append(buf, static_cast<size_t>(n));
    }
    return false;
  }

 private:
  int fd_;
};

// Requests to /v1/sync the server's handler has seen (its metrics).
int64_t HandledSyncs(int server_port) {
  const std::string m = RawHttp(server_port, RequestBytes("GET", "/metrics", {}, "")).body;
  int64_t n = 0;
  const std::string key = "latih_http_requests_total{route=\"/v1/sync\"";
  for (size_t at = m.find(key); at != std::string::npos; at = m.find(key, at + 1)) {
    n += std::stoll(m.substr(m.find("} ", at) + 2));
  }
  return n;
}

}  // namespace

TEST_CASE("hostile: slow-loris connections straight to the server do not stop it serving everyone else",
          "[backend][integration][hostile]") {
  World w;
  const int port = w.server.port();
  const Stored before = ReadStored(w.server.db_path());
  const std::string head = "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + Bearer(w.a1) + "\r\n";
  std::vector<std::unique_ptr<SlowClient>> slow;
  for (int i = 0; i < 32; ++i) slow.push_back(std::make_unique<SlowClient>(port));
  // Headers byte by byte on every connection, never finished; the server
  // answers others between the bytes.
  for (size_t k = 0; k < head.size(); ++k) {
    for (auto& c : slow) c->Send(head.substr(k, 1));
    if (k % 32 == 0) RequireHealthy(port);
  }
  // Complete headers, then 10 of the 1,000 body bytes announced.
  SlowClient slow_body(port);
  slow_body.Send(head + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + Probe(w.a1).substr(0, 10));
  RequireHealthy(port);
  Sync(w.a2);  // a whole sync session meanwhile
  RequireHealthy(port);
  for (auto& c : slow) CHECK(c->Waiting());  // held, not answered
  CHECK(slow_body.Waiting());
  slow.clear();
  RequireHealthy(port);
  const Stored after = ReadStored(w.server.db_path());
  CHECK(after.tables == before.tables);
  CHECK(after.log == before.log);
  CHECK(after.audit == before.audit);
}

TEST_CASE("hostile: nginx cuts slow-loris connections at its timeouts and the server never sees them",
          "[backend][integration][hostile][nginx]") {
  World w;
  // The shipped 60 s and 120 s, shortened for the test.
  NginxFixture nginx(w.server.port(), "", "", {{"client_header_timeout", "2s"}, {"client_body_timeout", "2s"}});
  const int64_t handled = HandledSyncs(w.server.port());
  SlowClient slow_head(nginx.port());
  slow_head.Send("POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + Bearer(w.a1) + "\r\nX-Slow: ");
  SlowClient slow_body(nginx.port());
  slow_body.Send(Post("/v1/sync", Bearer(w.a1), std::string(1000, ' '), {{"Content-Length", "1000"}}).substr(0, 300));
  RequireHealthy(nginx.port());  // others are served meanwhile
  for (SlowClient* c : {&slow_head, &slow_body}) {
    std::string answer;
    REQUIRE(c->WaitClosed(std::chrono::seconds(30), &answer));
    CHECK(answer.empty());  // nginx closes a timed-out request without an answer
  }
  CHECK(HandledSyncs(w.server.port()) == handled);
  RequireHealthy(nginx.port());
  RequireHealthy(w.server.port());
  // nginx logs both as timed out (408), each once the request is complete.
  nginx.Stop();
  const std::string log = nginx.access_log_text();
  size_t timed_out = 0;
  for (size_t at = log.find("\"POST /v1/sync HTTP/1.1\" 408 "); at != std::string::npos;
       at = log.find("\"POST /v1/sync HTTP/1.1\" 408 ", at + 1)) {
    ++timed_out;
  }
  CHECK(timed_out == 2);
}

}  // namespace latih::test
