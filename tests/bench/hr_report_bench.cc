// latih_hr_bench: the central HR reports (docs/REPORTS.md) on a city-sized
// server database, over HTTP from a real `latih-server`: by default 100,000
// employees in 100 kelurahan, 2,000 trainings and 5,000,000 attendance rows
// in 2026, with tests, reactions and SKM responses. Prints a Markdown table
// (first and best of --runs answers per report, answer size); issue 6's
// target is under 1 s per report. Exits non-zero only if a report fails.
//   latih_hr_bench [--employees N] [--attendance M] [--runs R] [--dir DIR] [--keep]
//                  [--feed [--sync [--pg postgresql://.../EMPTY_DB]]]
// The database is built with plain INSERTs (no change log: reports do not
// read it) and kept in DIR/hr.db for the next run when --keep is given.
// --feed also gives every row a change-log and feed_scope entry, as if the
// server had applied it from a device (a server's feed of that size);
// --sync then times, instead of the reports, an office device's syncs
// against it through the real `latih` CLI: its first sync (its office's
// rows) and 20 syncs with nothing new (issue 7: one round trip and
// milliseconds, whatever the database's size). --pg copies the database into
// that empty PostgreSQL database first (migrate-store, timed) and serves it
// from there.
#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "schema/migrations.h"
#include "sync/cell_versions.h"
#include "sync/hlc.h"
#include "sync/domain/ids.h"
#include "sync/env.h"
#include "sync/sqlite/store.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/workload.h"

namespace latih::bench {
namespace {

using sync::Value;
using sync::sqlite::Stmt;

constexpr int kOffices = 100;  // 10 kecamatan x 10 kelurahan
constexpr int kTrainings = 2000;
constexpr int kSkmPerOfficeQuarter = 50;

struct Args {
  int employees = 100'000;
  int64_t attendance = 5'000'000;
  int runs = 3;
  std::string dir;
  bool keep = false;
  bool feed = false, sync = false;
  std::string pg;
};

std::string OfficeId(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "52.71.%02d.%04d", 1 + i / 10, 1001 + i % 10);
  return buf;
}

Status Exec(sync::sqlite::Db& db, const std::string& sql) { return db.Exec(sql); }

// Fills a migrated server database; returns the attendance rows written.
Result<int64_t> Build(sync::sqlite::Store& store, const Args& a) {
  auto& db = store.db();
  LATIH_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; BEGIN"));
  LATIH_ASSIGN_OR_RETURN(Stmt* office, db.Prepare(
      "INSERT OR IGNORE INTO office(id, name, level, parent_id) VALUES (?1, ?2, ?3, ?4)"));
  for (int k = 0; k < 10; ++k) {
    char id[16];
    std::snprintf(id, sizeof id, "52.71.%02d", k + 1);
    office->Bind(1, id).Bind(2, "Kecamatan " + std::to_string(k + 1)).Bind(3, "kecamatan").Bind(4, "52.71");
    LATIH_RETURN_IF_ERROR(office->Run());
    office->Reset();
  }
  for (int i = 0; i < kOffices; ++i) {
    office->Bind(1, OfficeId(i)).Bind(2, "Kelurahan " + std::to_string(i + 1)).Bind(3, "kelurahan");
    office->Bind(4, OfficeId(i).substr(0, 8));
    LATIH_RETURN_IF_ERROR(office->Run());
    office->Reset();
  }
  LATIH_ASSIGN_OR_RETURN(Workload w, MakeWorkload(a.employees, kTrainings, 0));
  LATIH_ASSIGN_OR_RETURN(Stmt* emp, db.Prepare(
      "INSERT INTO employee(id, nip, name, office_id, employment_type) VALUES (?1, ?2, ?3, ?4, 'pns')"));
  for (int i = 0; i < a.employees; ++i) {
    emp->Bind(1, w.employee_ids[i]).Bind(2, w.nips[i]).Bind(3, "Pegawai " + std::to_string(i));
    emp->Bind(4, OfficeId(i % kOffices));
    LATIH_RETURN_IF_ERROR(emp->Run());
    emp->Reset();
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* tr, db.Prepare(
      "INSERT INTO training(id, office_id, title, form, route, competency, jp, minutes, organizer, start_date, "
      "end_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'BKPSDM Kota Mataram', ?9, ?10)"));
  for (size_t t = 0; t < w.trainings.size(); ++t) {
    const TrainingSpec& s = w.trainings[t];
    const bool global = t % 4 == 0;
    tr->Bind(1, s.id).Bind(2, global ? Value() : Value(OfficeId(static_cast<int>(t) % kOffices)));
    tr->Bind(3, "Pelatihan " + std::to_string(t)).Bind(4, int64_t{t % 3 == 0 ? 16 : 4});
    tr->Bind(5, t % 3 == 0 ? "non_klasikal" : "klasikal").Bind(6, s.competency).Bind(7, s.jp);
    tr->Bind(8, static_cast<int64_t>(s.jp * 45)).Bind(9, s.start_date).Bind(10, s.end_date);
    LATIH_RETURN_IF_ERROR(tr->Run());
    tr->Reset();
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* se, db.Prepare(
      "INSERT INTO session(id, training_id, office_id, date, jp) VALUES (?1, ?2, NULL, ?3, ?4)"));
  for (const auto& s : w.sessions) {
    se->Bind(1, s.id).Bind(2, w.trainings[s.training].id).Bind(3, s.date);
    se->Bind(4, s.jp ? Value(*s.jp) : Value());
    LATIH_RETURN_IF_ERROR(se->Run());
    se->Reset();
  }
  // Each training's participants: a contiguous slice of the staff, every
  // session; the slice size gives about the rows asked for.
  const int64_t per_session = std::max<int64_t>(1, a.attendance / static_cast<int64_t>(w.sessions.size()));
  LATIH_ASSIGN_OR_RETURN(Stmt* at, db.Prepare(
      "INSERT INTO attendance(id, session_id, employee_id, office_id, status, checked_in_at, method) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'csv')"));
  LATIH_ASSIGN_OR_RETURN(Stmt* ev, db.Prepare(
      "INSERT INTO evaluation(id, training_id, employee_id, office_id, kind, level, score, aspects) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  static constexpr const char* kStatus[] = {"hadir", "hadir", "hadir", "hadir", "hadir", "hadir", "terlambat",
                                            "pulang_awal", "izin", "sakit", "hadir", "alpa"};
  int64_t rows = 0;
  for (size_t s = 0; s < w.sessions.size(); ++s) {
    const int t = w.sessions[s].training;
    const int64_t first = (static_cast<int64_t>(t) * 7919) % a.employees;
    for (int64_t k = 0; k < per_session && rows < a.attendance; ++k) {
      const int e = static_cast<int>((first + k) % a.employees);
      at->Bind(1, domain::NaturalId("attendance", {w.sessions[s].id, w.employee_ids[e]}));
      at->Bind(2, w.sessions[s].id).Bind(3, w.employee_ids[e]).Bind(4, OfficeId(e % kOffices));
      at->Bind(5, kStatus[(e + s) % 12]).Bind(6, w.sessions[s].date + "T07:55:00");
      LATIH_RETURN_IF_ERROR(at->Run());
      at->Reset();
      ++rows;
    }
    // Every tenth training tests and asks its participants (once, at its first session).
    const bool first_session = s == 0 || w.sessions[s - 1].training != t;
    if (t % 10 != 0 || !first_session) continue;
    for (int64_t k = 0; k < per_session; ++k) {
      const int e = static_cast<int>((first + k) % a.employees);
      const struct {
        const char* kind;
        int level;
        double score;
      } evs[] = {{"pre_test", 2, 40.0 + e % 40}, {"post_test", 2, 60.0 + e % 40}, {"reaction", 1, 70.0 + e % 30}};
      for (const auto& x : evs) {
        ev->Bind(1, domain::NaturalId("evaluation", {w.trainings[t].id, w.employee_ids[e], x.kind}));
        ev->Bind(2, w.trainings[t].id).Bind(3, w.employee_ids[e]).Bind(4, OfficeId(e % kOffices));
        ev->Bind(5, x.kind).Bind(6, int64_t{x.level}).Bind(7, x.score);
        ev->Bind(8, std::string(x.kind) == "reaction" ? Value(R"({"materi":80,"fasilitator":90})") : Value());
        LATIH_RETURN_IF_ERROR(ev->Run());
        ev->Reset();
      }
    }
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* skm, db.Prepare(
      "INSERT INTO skm_response(id, office_id, period, u1, u2, u3, u4, u5, u6, u7, u8, u9) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  for (int o = 0; o < kOffices; ++o) {
    for (int q = 1; q <= 4; ++q) {
      const std::string period = "2026-Q" + std::to_string(q);
      for (int r = 0; r < kSkmPerOfficeQuarter; ++r) {
        skm->Bind(1, domain::NaturalId("skm_response", {OfficeId(o), period, std::to_string(r)}));
        skm->Bind(2, OfficeId(o)).Bind(3, period);
        for (int u = 0; u < 9; ++u) skm->Bind(4 + u, int64_t{1 + (o + q + r + u) % 4 / 2 + (r % 3 == 0 ? 2 : 1)});
        LATIH_RETURN_IF_ERROR(skm->Run());
        skm->Reset();
      }
    }
  }
  LATIH_RETURN_IF_ERROR(Exec(db, "COMMIT; PRAGMA synchronous=FULL; PRAGMA cache_size=-2000; ANALYZE"));
  return rows;
}

// Gives every row a change-log entry (every cell written by the server at
// one version) and a feed_scope entry (its office_id, '*' without one).
Result<int64_t> LogEverything(sync::sqlite::Store& store) {
  auto& db = store.db();
  LATIH_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; BEGIN"));
  LATIH_ASSIGN_OR_RETURN(Stmt* log, db.Prepare("INSERT INTO change_log(seq, row_id, tbl, cells) VALUES (?1, ?2, ?3, ?4)"));
  LATIH_ASSIGN_OR_RETURN(Stmt* scope, db.Prepare("INSERT INTO feed_scope(row_id, office, seq) VALUES (?1, ?2, ?3)"));
  const int64_t hlc0 = sync::HlcPack(sync::DefaultEnv().clock.NowUnixMs() - 86'400'000, 0);
  int64_t seq = 0;
  for (const auto& td : store.catalog().tables()) {
    const bool has_office = td.ColumnIndex("office_id") >= 0;
    LATIH_ASSIGN_OR_RETURN(auto rows, db.PrepareOwned("SELECT id, " + std::string(has_office ? "office_id" : "NULL") +
                                                      " FROM \"" + td.name + "\""));
    while (true) {
      LATIH_ASSIGN_OR_RETURN(bool row, rows->Step());
      if (!row) break;
      ++seq;
      const sync::Version v{hlc0 + (seq << 16), store.node_id()};
      std::vector<sync::CellVersion> cells(td.columns.size() + 1, sync::CellVersion{v, seq, {}});
      log->Bind(1, seq).Bind(2, rows->ColumnView(0)).Bind(3, td.name).BindBlob(4, sync::EncodeCellVersions(cells));
      LATIH_RETURN_IF_ERROR(log->Run());
      log->Reset();
      scope->Bind(1, rows->ColumnView(0)).Bind(2, rows->ColumnIsNull(1) ? std::string("*") : rows->ColumnText(1));
      scope->Bind(3, seq);
      LATIH_RETURN_IF_ERROR(scope->Run());
      scope->Reset();
    }
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* rep, db.Prepare("UPDATE replica SET last_seq = ?1, last_hlc = ?2"));
  rep->Bind(1, seq).Bind(2, hlc0 + (seq << 16));
  LATIH_RETURN_IF_ERROR(rep->Run());
  LATIH_RETURN_IF_ERROR(Exec(db, "COMMIT; PRAGMA synchronous=FULL; PRAGMA cache_size=-2000; ANALYZE"));
  return seq;
}

// `latih --db DB sync`: its wall time as it prints it (ms), and the requests.
Result<std::pair<double, int>> CliSync(const std::string& db) {
  LATIH_ASSIGN_OR_RETURN(std::string out, RunCapture({LATIH_CLI_PATH, "--db", db, "sync"}));
  const size_t req = out.find(" requests");
  const size_t ms = out.rfind(" ms");
  if (req == std::string::npos || ms == std::string::npos) return Status::Invalid("latih sync said: " + out);
  const size_t req_start = out.rfind(' ', req - 1) + 1;
  const size_t ms_start = out.rfind(' ', ms - 1) + 1;
  return std::make_pair(std::stod(out.substr(ms_start, ms - ms_start)),
                        std::stoi(out.substr(req_start, req - req_start)));
}

// The sync measures of --sync on the server database `target`.
int SyncBench(const std::string& target, const std::string& dir) {
  auto server = ServerChild::Start(LATIH_SERVER_PATH, target, dir + "/server.log");
  if (!server.ok()) return std::cerr << server.status().ToString() << "\n", 1;
  const std::string office = "52.71.01.1004";  // a kelurahan of the client's seed, 1 % of the city
  const std::string device = dir + "/device.db";
  std::filesystem::remove(device);
  auto token = RunCapture({LATIH_SERVER_PATH, "--db", target, "device", "enroll", "--office", office, "--name",
                           "Meja " + std::to_string(getpid())});
  if (!token.ok()) return std::cerr << token.status().ToString() << "\n", 1;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {LATIH_CLI_PATH, "--db", device, "init", "--office", office},
           {LATIH_CLI_PATH, "--db", device, "enroll", "--server", (*server)->url(), "--token",
            token->substr(0, token->find('\n'))}}) {
    auto done = RunCapture(args);
    if (!done.ok()) return std::cerr << done.status().ToString() << "\n", 1;
  }
  auto first = CliSync(device);
  if (!first.ok()) return std::cerr << first.status().ToString() << "\n", 1;
  std::cout << "first sync of a device of " << office << ": " << first->second << " requests, "
            << Millis(first->first / 1000) << "\n";
  std::vector<double> idle;
  int max_requests = 0;
  for (int i = 0; i < 20; ++i) {
    auto again = CliSync(device);
    if (!again.ok()) return std::cerr << again.status().ToString() << "\n", 1;
    idle.push_back(again->first / 1000);
    max_requests = std::max(max_requests, again->second);
  }
  std::cout << "up-to-date sync, 20 runs: p50 " << Millis(Quantile(idle, 0.5)) << ", max " << Millis(Quantile(idle, 1.0))
            << ", at most " << max_requests << " request(s) each (wall time of SyncClient::Sync as latih prints it)\n";
  auto rss = (*server)->PeakRssBytes();
  if (rss.ok()) std::cout << "server peak RSS: " << *rss / (1 << 20) << " MiB\n";
  return max_requests == 1 ? 0 : 1;
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// GET `url` with the bearer token; the status and body size; seconds in *took.
Result<std::pair<long, size_t>> Get(const std::string& url, const std::string& token, double* took) {
  CURL* curl = curl_easy_init();
  if (!curl) return Status::IOError("curl_easy_init");
  std::string body;
  curl_slist* headers = curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  const auto start = BenchClock::now();
  const CURLcode rc = curl_easy_perform(curl);
  *took = SecondsSince(start);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return Status::Unavailable(std::string("GET ") + url + ": " + curl_easy_strerror(rc));
  return std::make_pair(status, body.size());
}

int Run(const Args& a) {
  if (!a.dir.empty()) std::filesystem::create_directories(a.dir);
  auto work = WorkDir::Make(a.dir, a.keep);
  if (!work.ok()) return std::cerr << work.status().ToString() << "\n", 1;
  const std::string dir = work->path();
  const std::string db_path = dir + "/hr.db";  // kept in a --dir for the next run
  const bool reuse = std::filesystem::exists(db_path);
  {
    sync::sqlite::Store::Options o;
    o.migrations = schema::ServerMigrations();
    o.create = true;
    o.role = sync::sqlite::Store::Role::kServer;
    auto store = sync::sqlite::Store::Open(db_path, o, sync::DefaultEnv());
    if (!store.ok()) return std::cerr << store.status().ToString() << "\n", 1;
    if (!reuse) {
      const auto start = BenchClock::now();
      auto rows = Build(**store, a);
      if (!rows.ok()) return std::cerr << rows.status().ToString() << "\n", 1;
      std::cout << "built " << db_path << ": " << Thousands(a.employees) << " employees, " << Thousands(*rows)
                << " attendance rows in " << SecondsSince(start) << " s ("
                << std::filesystem::file_size(db_path) / (1 << 20) << " MiB)\n";
      if (a.feed) {
        const auto logged_at = BenchClock::now();
        auto logged = LogEverything(**store);
        if (!logged.ok()) return std::cerr << logged.status().ToString() << "\n", 1;
        std::cout << "logged " << Thousands(*logged) << " rows in the change feed in " << SecondsSince(logged_at)
                  << " s (" << std::filesystem::file_size(db_path) / (1 << 20) << " MiB)\n";
      }
    } else {
      std::cout << "reusing " << db_path << "\n";
    }
  }
  if (a.sync) {
    std::string target = db_path;
    if (!a.pg.empty()) {
      const auto start = BenchClock::now();
      auto moved = RunCapture({LATIH_SERVER_PATH, "migrate-store", "--from", db_path, "--to", a.pg});
      if (!moved.ok()) return std::cerr << moved.status().ToString() << "\n", 1;
      std::cout << "migrate-store to PostgreSQL: " << SecondsSince(start) << " s\n" << *moved;
      target = a.pg;
    }
    return SyncBench(target, dir);
  }
  auto token = RunCapture({LATIH_SERVER_PATH, "--db", db_path, "user", "add", "--role", "hr", "--name", "Bench HR"});
  if (!token.ok()) return std::cerr << token.status().ToString() << "\n", 1;
  const std::string hr = token->substr(0, token->find('\n'));
  auto server = ServerChild::Start(LATIH_SERVER_PATH, db_path, dir + "/server.log");
  if (!server.ok()) return std::cerr << server.status().ToString() << "\n", 1;
  // A training with tests (every tenth), and the first kelurahan.
  const std::string training = domain::NaturalId("training", {"bench", "10"});
  const std::string office = OfficeId(0);
  const std::vector<std::string> reports = {
      "offices", "jp?year=2026", "jp?year=2026&office=" + office, "jp?year=2026&format=csv",
      "trainings?year=2026", "trainings?year=2026&office=" + office, "trainings/" + training, "ikm",
      "ikm?period=2026-Q1", "freshness", "conflicts", "siasn?year=2026&office=" + office, "siasn?year=2026"};
  std::cout << "\n| report | first answer | best of " << a.runs << " | answer size |\n|---|---|---|---|\n";
  int failures = 0;
  for (const auto& r : reports) {
    double first = 0, best = 1e9;
    size_t bytes = 0;
    for (int i = 0; i < a.runs; ++i) {
      double took = 0;
      auto got = Get((*server)->url() + "/v1/reports/" + r, hr, &took);
      if (!got.ok() || got->first != 200) {
        std::cerr << r << ": " << (got.ok() ? "HTTP " + std::to_string(got->first) : got.status().ToString())
                  << "\n";
        ++failures;
        break;
      }
      if (i == 0) first = took;
      best = std::min(best, took);
      bytes = got->second;
    }
    std::cout << "| `" << r.substr(0, r.find("&office=") == std::string::npos ? r.size() : r.find("&office="))
              << (r.find("&office=") != std::string::npos ? "&office=…" : "") << "` | " << Millis(first) << " | "
              << Millis(best) << " | " << Thousands(static_cast<int64_t>(bytes)) << " B |\n";
  }
  auto rss = (*server)->PeakRssBytes();
  if (rss.ok()) std::cout << "\nserver peak RSS: " << *rss / (1 << 20) << " MiB\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace latih::bench

int main(int argc, char** argv) {
  latih::bench::Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--employees") a.employees = std::stoi(next());
    else if (arg == "--attendance") a.attendance = std::stoll(next());
    else if (arg == "--runs") a.runs = std::max(1, std::stoi(next()));
    else if (arg == "--dir") a.dir = next();
    else if (arg == "--keep") a.keep = true;
    else if (arg == "--feed") a.feed = true;
    else if (arg == "--sync") a.sync = true;
    else if (arg == "--pg") a.pg = next();
    else {
      std::cerr << "usage: latih_hr_bench [--employees N] [--attendance M] [--runs R] [--dir DIR] [--keep] "
                   "[--feed [--sync [--pg postgresql://...]]]\n";
      return 2;
    }
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  return latih::bench::Run(a);
}
