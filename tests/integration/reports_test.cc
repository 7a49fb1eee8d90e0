// The central HR reports (issue 6, docs/REPORTS.md) against a real
// `latih-server` fed by real office devices through sync: each report
// answers what the offices' own `latih report` says for the same data, in
// JSON and in CSV; access is HR's only; HR's conflict decision becomes a
// normal change that syncs back to the offices.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sync/domain/ids.h"
#include "tests/support/http_harness.h"
#include "tests/support/server_process.h"
#include "tests/support/sync_views.h"

namespace latih::test {
namespace {

using nlohmann::json;

constexpr const char* kSelatan = "52.71.01.1004";
constexpr const char* kTengah = "52.71.01.1005";
constexpr const char* kPejeruk = "52.71.01.1006";

std::string Ok(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db});
  const CliResult r = RunCli(args);
  INFO("latih " << args[2] << ": " << r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, r.out.find('\n'));
}

json OkJson(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db});
  args.push_back("--json");
  const CliResult r = RunCli(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

std::string HrToken(const ServerProcess& server) {
  const CliResult r = RunServerCli({"--db", server.db_path(), "user", "add", "--role", "hr", "--name", "Bu Rina"});
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, r.out.find('\n'));
}

RawResponse Get(const ServerProcess& server, const std::string& target, const std::string& token) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return RawHttp(server.port(), RequestBytes("GET", target, headers, ""));
}

json GetJson(const ServerProcess& server, const std::string& target, const std::string& token) {
  const RawResponse r = Get(server, target, token);
  INFO(target << ": " << r.status << " " << r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

RawResponse Post(const ServerProcess& server, const std::string& target, const std::string& token,
                 const std::string& body) {
  return RawHttp(server.port(), RequestBytes("POST", target,
                                             {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                                             body));
}

// A valid NI PPPK (first contract, 2024), distinct for each n 1..999.
std::string PppkNip(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "19900101202421%d%03d", 1 + n % 2, n);
  return buf;
}

bool Near(double a, double b) { return std::fabs(a - b) < 0.006; }

// One office's workshop recorded on its device: `people` employees (the
// last one PPPK), a two-session training, attendance, tests, reactions and
// SKM responses. Returns the training id.
std::string RecordOffice(const std::string& db, int first, int people, const std::string& title) {
  for (int i = 0; i < people; ++i) {
    const bool pppk = i == people - 1;
    Ok(db, {"employee", "add", "--nip", pppk ? PppkNip(first + i) : TestNip(first + i), "--name",
            "Pegawai " + std::to_string(first + i), "--type", pppk ? "pppk" : "pns"});
  }
  const std::string training = Ok(db, {"training", "add", "--title", title, "--form", "4", "--competency", "teknis",
                                        "--jp", "12", "--start", "2026-03-02", "--end", "2026-03-03",
                                        "--organizer", "BKPSDM Kota Mataram"});
  const std::string day1 = Ok(db, {"session", "add", "--training", training, "--date", "2026-03-02"});
  const std::string day2 = Ok(db, {"session", "add", "--training", training, "--date", "2026-03-03"});
  for (int i = 0; i < people; ++i) {
    const std::string nip = i == people - 1 ? PppkNip(first + i) : TestNip(first + i);
    Ok(db, {"attend", "--session", day1, "--nip", nip, "--status", i % 3 == 2 ? "izin" : "hadir"});
    if (i % 2 == 0) Ok(db, {"attend", "--session", day2, "--nip", nip, "--status", "terlambat"});
    Ok(db, {"evaluate", "--training", training, "--nip", nip, "--kind", "pre_test", "--score",
            std::to_string(50 + 3 * i)});
    if (i > 0) {
      Ok(db, {"evaluate", "--training", training, "--nip", nip, "--kind", "post_test", "--score",
              std::to_string(70 + 2 * i)});
    }
    Ok(db, {"evaluate", "--training", training, "--nip", nip, "--kind", "reaction", "--score", "80", "--aspects",
            "materi=" + std::to_string(70 + i) + ",fasilitator=90"});
    if (i == 1) {  // a follow-up months later: behaviour at work (level 3) and results (level 4)
      Ok(db, {"evaluate", "--training", training, "--nip", nip, "--kind", "behaviour", "--score", "75"});
      Ok(db, {"evaluate", "--training", training, "--nip", nip, "--kind", "result", "--score", "68"});
    }
  }
  for (int i = 0; i < people; ++i) {
    Ok(db, {"survey", "add", "--period", "2026-S1", "--scores",
            i % 2 ? "4,3,4,4,3,4,4,3,4" : "3,3,3,4,2,3,4,3,3"});
  }
  return training;
}

}  // namespace

TEST_CASE("the HR reports answer what the offices' own reports say, in JSON and CSV, to HR only",
          "[backend][integration][server][reports]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  const std::string b = EnrolledDevice(server, dir, "b.db", kTengah, "Meja 1");
  const std::string ta = RecordOffice(a, 1, 5, "Bimtek Pelayanan Publik");
  const std::string tb = RecordOffice(b, 101, 4, "Workshop Arsip");
  // A name a spreadsheet would run as a formula, and one with a comma.
  Ok(a, {"employee", "add", "--nip", TestNip(50), "--name", "=HYPERLINK(\"http://x\")", "--type", "pns"});
  Ok(b, {"employee", "add", "--nip", TestNip(150), "--name", "Siti, S.Pd", "--type", "pns"});
  Ok(a, {"sync"});
  Ok(b, {"sync"});
  Ok(a, {"sync"});
  const std::string hr = HrToken(server);

  SECTION("access: HR only, errors say what is wrong") {
    CHECK(Get(server, "/v1/reports/jp", "").status == 401);
    CHECK(Get(server, "/v1/reports/jp", "lt_not_a_token").status == 401);
    const std::string device = Text(*OpenClientDb(a), "SELECT token FROM server_link");
    const RawResponse forbidden = Get(server, "/v1/reports/jp", device);
    CHECK(forbidden.status == 403);
    CHECK(forbidden.body.find("central HR") != std::string::npos);
    CHECK(Get(server, "/v1/reports/nothing", hr).status == 404);
    CHECK(Get(server, "/v1/reports/trainings/no-such-id", hr).status == 404);
    const RawResponse bad_year = Get(server, "/v1/reports/jp?year=20x6", hr);
    CHECK(bad_year.status == 400);
    CHECK(bad_year.body.find("20x6") != std::string::npos);
    CHECK(Get(server, "/v1/reports/jp?office=99.99", hr).status == 400);
    CHECK(Get(server, "/v1/reports/jp?format=xml", hr).status == 400);
    CHECK(Get(server, "/v1/reports/jp?year=2026&year=2027", hr).status == 400);
    CHECK(Get(server, "/v1/reports/ikm?period=%ZZ", hr).status == 400);
    CHECK(Post(server, "/v1/reports/jp", hr, "{}").status == 405);
    CHECK(Get(server, "/healthz", "").status == 200);
  }

  SECTION("JP compliance equals each office's latih report jp") {
    const json rep = GetJson(server, "/v1/reports/jp?year=2026", hr);
    CHECK(rep["minimum_jp"] == 20);
    std::map<std::string, json> by_nip;
    for (const auto& e : rep["employees"]) by_nip[e["nip"]] = e;
    for (const std::string& db : {a, b}) {
      const json local = OkJson(db, {"report", "jp", "--year", "2026"});
      REQUIRE(local.size() >= 5);
      for (const auto& l : local) {
        INFO(l.dump());
        REQUIRE(by_nip.count(l["nip"]) == 1);
        const json& e = by_nip[l["nip"]];
        CHECK(Near(e["jp"].get<double>(), l["jp"].get<double>()));
        CHECK(e["standing"] == l["status"]);
        CHECK(e["sessions"] == l["sesi"]);
        CHECK(Near(e["jp_teknis"].get<double>(), l["jp_teknis"].get<double>()));
      }
    }
    CHECK(by_nip.size() == 11);
    // The office summary adds up the employees.
    const json selatan = GetJson(server, "/v1/reports/jp?year=2026&office=52.71.01.1004", hr);
    REQUIRE(selatan["offices"].size() == 1);
    const json& o = selatan["offices"][0];
    double total = 0;
    int below = 0;
    for (const auto& e : selatan["employees"]) {
      total += e["jp"].get<double>();
      below += e["standing"] == "belum_memenuhi";
      CHECK(e["office_id"] == kSelatan);
      CHECK(Near(e["jp_needed"].get<double>(),
                 e["type"] == "pns" ? std::max(0.0, 20 - e["jp"].get<double>()) : 0.0));
    }
    CHECK(o["employees"] == 6);
    CHECK(o["pppk"] == 1);
    CHECK(o["below_minimum"] == below);
    CHECK(Near(o["total_jp"].get<double>(), total));
    CHECK(Near(o["jp_klasikal"].get<double>(), total));
  }

  SECTION("trainings: attendance and pre/post equal the office's reports") {
    const json rep = GetJson(server, "/v1/reports/trainings?year=2026", hr);
    REQUIRE(rep["trainings"].size() == 2);
    for (const auto& [db, id] : {std::pair{a, ta}, std::pair{b, tb}}) {
      const json detail = GetJson(server, "/v1/reports/trainings/" + id, hr);
      // The list (set-based) and the detail (per training, the client's code) agree.
      for (const auto& listed : rep["trainings"]) {
        if (listed["training_id"] != id) continue;
        CHECK(listed["sessions"] == detail["sessions"].size());  // the detail lists them
        CHECK(listed["n_behaviour"] == 1);
        CHECK(listed["mean_behaviour"] == 75);
        CHECK(listed["n_result"] == 1);
        for (const char* f : {"participants", "attended", "attendance_rate", "n_pre", "n_post",
                              "n_paired", "mean_pre", "mean_post", "gain", "normalized_gain", "n_reaction",
                              "mean_reaction", "n_behaviour", "mean_behaviour", "n_result", "mean_result"}) {
          INFO(f);
          CHECK(listed[f] == detail[f]);
        }
      }
      const json att = OkJson(db, {"report", "attendance", "--training", id});
      REQUIRE(detail["sessions"].size() == att.size());
      for (size_t i = 0; i < att.size(); ++i) {
        CHECK(detail["sessions"][i]["attended"] == att[i]["hadir_total"]);
        CHECK(detail["sessions"][i]["izin"] == att[i]["izin"]);
        CHECK(Near(detail["sessions"][i]["rate"].get<double>() * 100, att[i]["persen_hadir"].get<double>()));
      }
      std::map<std::string, double> ev;
      for (const auto& m : OkJson(db, {"report", "evaluation", "--training", id})) {
        if (m["nilai"].is_number()) ev[m["ukuran"]] = m["nilai"].get<double>();
      }
      CHECK(Near(detail["mean_pre"].get<double>(), ev.at("pre_test_rata2")));
      CHECK(Near(detail["mean_post"].get<double>(), ev.at("post_test_rata2")));
      CHECK(Near(detail["gain"].get<double>(), ev.at("gain")));
      CHECK(std::fabs(detail["normalized_gain"].get<double>() - ev.at("normalized_gain")) < 0.0001);
      CHECK(detail["reaction_aspects"].size() == 2);
      REQUIRE(detail["by_office"].size() == 1);
    }
  }

  SECTION("IKM equals each office's latih report ikm, and the CSV carries the nine NRR") {
    const json rep = GetJson(server, "/v1/reports/ikm?period=2026-S1", hr);
    REQUIRE(rep["rows"].size() == 2);
    for (const std::string& db : {a, b}) {
      const json local = OkJson(db, {"report", "ikm", "--period", "2026-S1"});
      REQUIRE(local.size() == 1);
      bool found = false;
      for (const auto& row : rep["rows"]) {
        if (row["office_id"] != local[0]["kantor"]) continue;
        found = true;
        CHECK(Near(row["ikm"].get<double>(), local[0]["ikm"].get<double>()));
        CHECK(row["category"] == local[0]["mutu"]);
        CHECK(Near(row["nrr"][4].get<double>(), local[0]["nrr_u5"].get<double>()));
      }
      CHECK(found);
    }
    CHECK(GetJson(server, "/v1/reports/ikm", hr)["rows"].size() == 2);  // the trend: one period so far
    const RawResponse csv = Get(server, "/v1/reports/ikm?period=2026-S1&format=csv", hr);
    REQUIRE(csv.status == 200);
    CHECK(csv.body.rfind("\xEF\xBB\xBFoffice_id,office_name,period,respondents,nrr_1,", 0) == 0);
  }

  SECTION("CSV: every row, a header, formulas defused, commas quoted") {
    const RawResponse csv = Get(server, "/v1/reports/jp?year=2026&format=csv", hr);
    REQUIRE(csv.status == 200);
    CHECK(csv.headers.at("content-type").find("text/csv") == 0);
    CHECK(csv.headers.at("content-disposition").find("jp-2026.csv") != std::string::npos);
    size_t lines = 0;
    for (char c : csv.body) lines += c == '\n';
    CHECK(lines == 1 + 11);
    CHECK(csv.body.find(",'=HYPERLINK(\"\"http://x\"\")\",") == std::string::npos);  // not quoted oddly
    CHECK(csv.body.find("\"'=HYPERLINK(\"\"http://x\"\")\"") != std::string::npos);
    CHECK(csv.body.find("\"Siti, S.Pd\"") != std::string::npos);
    const RawResponse offices = Get(server, "/v1/reports/jp?year=2026&format=csv&table=offices", hr);
    CHECK(offices.body.find("office_id,office_name,employees") != std::string::npos);
    CHECK(Get(server, "/v1/reports/jp?format=csv&table=nope", hr).status == 400);
  }

  SECTION("lists of people are paged: offset, limit and the total in the head") {
    const json all = GetJson(server, "/v1/reports/jp?year=2026", hr);
    CHECK(all["total"] == 11);
    const json page = GetJson(server, "/v1/reports/jp?year=2026&offset=2&limit=3", hr);
    CHECK(page["total"] == 11);
    REQUIRE(page["employees"].size() == 3);
    for (int i = 0; i < 3; ++i) CHECK(page["employees"][i] == all["employees"][2 + i]);
    CHECK(page["offices"] == all["offices"]);  // summaries cover everyone
    const json tail = GetJson(server, "/v1/reports/siasn?year=2026&offset=8", hr);
    CHECK(tail["total"] == 9);
    CHECK(tail["records"].size() == 1);
    CHECK(Get(server, "/v1/reports/jp?limit=0", hr).status == 400);
    CHECK(Get(server, "/v1/reports/jp?limit=100001", hr).status == 400);
    CHECK(Get(server, "/v1/reports/siasn?offset=-1", hr).status == 400);
    CHECK(Get(server, "/v1/reports/siasn?limit=25001", hr).status == 400);
    CHECK(GetJson(server, "/v1/reports/siasn", hr)["limit"] == 25000);
  }

  SECTION("SIASN export: one record per person per attended training, SIASN's fields and dates") {
    const json rep = GetJson(server, "/v1/reports/siasn?year=2026", hr);
    // Everyone attended day 1 or day 2 except nobody: 9 people, one training each.
    REQUIRE(rep["records"].size() == 9);
    for (const auto& r : rep["records"]) {
      INFO(r.dump());
      CHECK(r["tanggalKursus"] == "02-03-2026");
      CHECK(r["tanggalSelesaiKursus"] == "03-03-2026");
      CHECK(r["jenisDiklatId"] == 4);
      CHECK(r["jumlahJam"] == r["jp"]);
      CHECK(r["jumlahJam"].get<int>() > 0);
      CHECK(r["jumlahJam"].get<int>() <= 12);
      CHECK(r["institusiPenyelenggara"] == "BKPSDM Kota Mataram");
      CHECK(r["nip"].get<std::string>().size() == 18);
    }
    // Equal to the JP report: the credited JP of each person, whole.
    const json jp = GetJson(server, "/v1/reports/jp?year=2026", hr);
    std::map<std::string, double> credited;
    for (const auto& e : jp["employees"]) credited[e["nip"]] = e["jp"].get<double>();
    for (const auto& r : rep["records"]) CHECK(r["jp"].get<int>() == std::llround(credited[r["nip"]]));
    CHECK(GetJson(server, "/v1/reports/siasn?year=2026&office=52.71.01.1005", hr)["records"].size() == 4);
  }

  SECTION("freshness: each device's last sync, program and pending changes; offices without a device are silent") {
    Ok(b, {"employee", "update", "--nip", TestNip(101), "--position", "Kasi Pemerintahan"});
    Ok(b, {"employee", "update", "--nip", TestNip(102), "--position", "Staf"});
    Ok(b, {"sync"});
    const json rep = GetJson(server, "/v1/reports/freshness?silent_days=3", hr);
    REQUIRE(rep["devices"].size() == 2);
    for (const auto& d : rep["devices"]) {
      INFO(d.dump());
      CHECK(d["client_version"] == "latih/" LATIH_VERSION);
      CHECK(d["silent"] == false);
      CHECK(d["last_sync_at"].is_string());
      CHECK(d["quarantined"] == 0);
      CHECK(d["pending_changes"] == (d["office_id"] == kTengah ? 2 : 0));
    }
    bool pejeruk = false;
    for (const auto& o : rep["offices"]) {
      if (o["office_id"] != kPejeruk) continue;
      pejeruk = true;
      CHECK(o["devices"] == 0);
      CHECK(o["silent"] == true);
    }
    CHECK(pejeruk);
  }
}

TEST_CASE("HR keeps the losing value of a conflict: it becomes a normal change that syncs back to the office",
          "[backend][integration][server][reports]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  const std::string b = EnrolledDevice(server, dir, "b.db", kSelatan, "Meja 2");
  Ok(a, {"employee", "add", "--nip", TestNip(7), "--name", "Siti Aminah", "--type", "pns"});
  Ok(a, {"employee", "add", "--nip", TestNip(8), "--name", "Budi", "--type", "pns"});
  Ok(a, {"sync"});
  Ok(b, {"sync"});
  // Both desks edit the same names offline; b syncs last and wins.
  Ok(a, {"employee", "update", "--nip", TestNip(7), "--name", "Siti Aminah, S.Pd"});
  Ok(a, {"employee", "update", "--nip", TestNip(8), "--name", "Budi Santoso"});
  Ok(b, {"employee", "update", "--nip", TestNip(7), "--name", "Siti Aminah S.Pd."});
  Ok(b, {"employee", "update", "--nip", TestNip(8), "--name", "Budi S."});
  Ok(a, {"sync"});
  Ok(b, {"sync"});
  const std::string hr = HrToken(server);
  const json list = GetJson(server, "/v1/reports/conflicts", hr);
  REQUIRE(list["conflicts"].size() == 2);
  json siti;
  for (const auto& c : list["conflicts"]) {
    if (c["label"].get<std::string>().find("Siti") != std::string::npos) siti = c;
  }
  REQUIRE(siti.is_object());
  CHECK(siti["column"] == "name");
  CHECK(siti["office_id"] == kSelatan);
  CHECK(siti["current_value"] == siti["winner_value"]);
  CHECK(siti["winner_origin"].get<std::string>().find("Meja") != std::string::npos);
  const std::string loser = siti["loser_value"];
  const std::string id = std::to_string(siti["id"].get<int64_t>());

  CHECK(Post(server, "/v1/reports/conflicts/" + id + "/resolve", hr, R"({"keep":"both"})").status == 400);
  const RawResponse kept = Post(server, "/v1/reports/conflicts/" + id + "/resolve", hr, R"({"keep":"loser"})");
  INFO(kept.body);
  REQUIRE(kept.status == 200);
  CHECK(json::parse(kept.body)["current_value"] == loser);
  CHECK(Post(server, "/v1/reports/conflicts/" + id + "/resolve", hr, R"({"keep":"loser"})").status == 400);
  CHECK(Post(server, "/v1/reports/conflicts/999999/resolve", hr, R"({"keep":"winner"})").status == 404);
  CHECK(GetJson(server, "/v1/reports/conflicts", hr)["conflicts"].size() == 1);
  CHECK(GetJson(server, "/v1/reports/conflicts?status=all", hr)["conflicts"].size() == 2);
  // HR's choice reaches both desks by sync.
  Ok(a, {"sync"});
  Ok(b, {"sync"});
  for (const std::string& db : {a, b}) {
    CHECK(Text(*OpenClientDb(db), "SELECT name FROM employee WHERE nip = '" + TestNip(7) + "'") == loser);
  }

  // The other conflict: a desk edits the name again before HR decides.
  json budi = GetJson(server, "/v1/reports/conflicts", hr)["conflicts"][0];
  Ok(a, {"employee", "update", "--nip", TestNip(8), "--name", "Budi Santoso, S.E."});
  Ok(a, {"sync"});
  const RawResponse stale =
      Post(server, "/v1/reports/conflicts/" + std::to_string(budi["id"].get<int64_t>()) + "/resolve", hr,
           R"({"keep":"loser"})");
  INFO(stale.body);
  CHECK(stale.status == 409);
  CHECK(stale.body.find("Budi Santoso, S.E.") != std::string::npos);
  CHECK(Text(*OpenServerDb(server.db_path()), "SELECT name FROM employee WHERE nip = '" + TestNip(8) + "'") ==
        "Budi Santoso, S.E.");
}

TEST_CASE("the reminder list names each office's PNS below 20 JP and the trainings still open to them",
          "[backend][integration][server][reports][reminders]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  const std::string b = EnrolledDevice(server, dir, "b.db", kTengah, "Meja 1");
  RecordOffice(a, 1, 3, "Bimtek Pelayanan Publik");  // 12 JP at most: every PNS is below 20
  RecordOffice(b, 101, 2, "Workshop Arsip");
  Ok(a, {"training", "add", "--title", "Bimtek Kearsipan II", "--form", "4", "--competency", "teknis", "--jp", "8",
         "--start", "2026-11-02", "--end", "2026-11-02"});
  Ok(a, {"sync"});
  Ok(b, {"sync"});
  const std::string hr = HrToken(server);

  const json rep = GetJson(server, "/v1/reports/reminders?year=2026&today=2026-10-01", hr);
  CHECK(rep["today"] == "2026-10-01");
  CHECK(rep["minimum_jp"] == 20);
  REQUIRE(rep["upcoming"].size() == 1);
  CHECK(rep["upcoming"][0]["title"] == "Bimtek Kearsipan II");
  CHECK(rep["upcoming"][0]["office_id"] == kSelatan);
  const json jp = GetJson(server, "/v1/reports/jp?year=2026", hr);
  std::map<std::string, double> jp_of;
  for (const auto& e : jp["employees"]) {
    if (e["type"] == "pns") jp_of[e["nip"]] = e["jp"].get<double>();
  }
  REQUIRE(rep["people"].size() == jp_of.size());  // every PNS (2 + 1), no PPPK
  CHECK(rep["total"] == jp_of.size());
  for (const auto& p : rep["people"]) {
    INFO(p.dump());
    CHECK(Near(p["jp_needed"].get<double>(), 20 - jp_of.at(p["nip"])));
    if (p["office_id"] == kSelatan) {  // their office's training, not enough alone
      CHECK(p["suggested"] == "Bimtek Kearsipan II");
      CHECK(p["jp_suggested"] == 8);
      CHECK(p["covered"] == (p["jp_needed"].get<double>() <= 8));
    } else {  // nothing open to Tengah's people
      CHECK(p["suggested"] == "");
      CHECK(p["covered"] == false);
    }
  }
  REQUIRE(rep["offices"].size() == 2);
  CHECK(rep["offices"][0]["office_id"] == kSelatan);
  CHECK(rep["offices"][0]["below_minimum"] == 2);

  // One office; a later date leaves nothing to suggest; CSV of the people.
  const json tengah = GetJson(server, "/v1/reports/reminders?year=2026&today=2026-10-01&office=" +
                                          std::string(kTengah), hr);
  CHECK(tengah["people"].size() == 1);
  CHECK(GetJson(server, "/v1/reports/reminders?year=2026&today=2026-11-03", hr)["upcoming"].empty());
  const RawResponse csv = Get(server, "/v1/reports/reminders?year=2026&today=2026-10-01&format=csv", hr);
  REQUIRE(csv.status == 200);
  CHECK(csv.body.find("nip,name,office_id,office_name,jp,jp_needed,suggested,jp_suggested,covered") !=
        std::string::npos);
  CHECK(csv.body.find("Bimtek Kearsipan II") != std::string::npos);

  const RawResponse bad = Get(server, "/v1/reports/reminders?today=1-10-2026", hr);
  CHECK(bad.status == 400);
  CHECK(bad.body.find("1-10-2026") != std::string::npos);
  CHECK(Get(server, "/v1/reports/reminders", "").status == 401);
}

TEST_CASE("the cost report divides what a training cost by the seats and the JP it credited, and impact counts SKP predicates",
          "[backend][integration][server][reports][costs]") {
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  const std::string a = EnrolledDevice(server, dir, "a.db", kSelatan, "Meja 1");
  // 12 JP over two sessions: the first two people 12 + 6, the PPPK 6 (izin
  // on day 1, late on day 2): 3 seats, 24 JP.
  const std::string training = RecordOffice(a, 1, 3, "Bimtek Pelayanan Publik");
  {
    auto device = OpenClientDb(a);
    auto b = device->BeginWrite();
    REQUIRE_OK(b.status());
    const std::vector<sync::ColumnValue> costs = {{"cost_planned", int64_t{3'000'000}},
                                                  {"cost_actual", int64_t{2'400'000}},
                                                  {"funding_source", std::string("apbd_kota")}};
    REQUIRE_OK((*b)->Put("training", training, costs).status());
    const std::string employee = domain::NaturalId("employee", {TestNip(1)});
    const std::vector<sync::ColumnValue> skp = {
        {"employee_id", employee},          {"office_id", std::string(kSelatan)},
        {"year", int64_t{2026}},            {"period", std::string("tahunan")},
        {"hasil_kerja", std::string("di_atas")}, {"perilaku_kerja", std::string("di_atas")}};
    REQUIRE_OK((*b)->Put("skp_assessment", domain::NaturalId("skp_assessment", {employee, "2026", "tahunan"}), skp)
                   .status());
    REQUIRE_OK((*b)->Commit());
  }
  Ok(a, {"sync"});
  const std::string hr = HrToken(server);

  const json costs = GetJson(server, "/v1/reports/costs?year=2026", hr);
  REQUIRE(costs["trainings"].size() == 1);
  const json& t = costs["trainings"][0];
  CHECK(t["training_id"] == training);
  CHECK(t["funding_source"] == "apbd_kota");
  CHECK(t["participants"] == 3);
  CHECK(t["jp"] == 24);
  CHECK(t["per_participant"] == 800000);
  CHECK(t["per_jp"] == 100000);
  CHECK(t["realization"] == 0.8);
  CHECK(costs["total"]["actual"] == 2400000);
  REQUIRE(costs["by_office"].size() == 1);
  CHECK(costs["by_office"][0]["office_id"] == kSelatan);
  CHECK(costs["by_competency"][0]["competency"] == "teknis");
  CHECK(costs["by_route"][0]["per_jp"] == 100000);
  const RawResponse csv = Get(server, "/v1/reports/costs?year=2026&format=csv&table=by_funding", hr);
  REQUIRE(csv.status == 200);
  CHECK(csv.body.find("apbd_kota,1,1,3000000,2400000,0.8,3,24,800000,100000") != std::string::npos);
  CHECK(GetJson(server, "/v1/reports/costs?year=2025", hr)["trainings"].empty());

  const json impact = GetJson(server, "/v1/reports/impact?year=2026&years=1", hr);
  bool seen = false;
  for (const auto& y : impact["years"]) {
    if (y["office_id"] != kSelatan) continue;
    seen = true;
    CHECK(y["skp_assessed"] == 1);
    CHECK(y["skp_sangat_baik"] == 1);
    CHECK(y["skp_baik"] == 0);
  }
  CHECK(seen);
  CHECK(Get(server, "/v1/reports/costs", "").status == 401);
}

}  // namespace latih::test
