// latih_load: many office devices syncing with one real latih-server at
// once (issue 5, "Load"). Each device is its own SQLite database and
// SyncClient (libcurl) on its own thread, spread over the ten Ampenan
// kelurahan. Every device records `changes` attendance records offline
// (plus its training, sessions and employees), then all push at once;
// then all sync again, which brings each device its office peers' rows.
//
// It prints throughput and p50/p99 sync latency of both rounds and the
// server's peak RSS, and exits non-zero unless: every change is on the
// server exactly once (rows each device created = rows of the batches the
// server audited for it), and every device holds exactly its office's
// view of the server.
//
//   latih_load [--devices N] [--changes M] [--offices O] [--dir DIR] [--keep]
//              [--db postgresql://.../EMPTY_DB [--instances K] [--store-connections C]]
//   defaults: 200 devices x 500 changes in Ampenan's 10 offices on an
//   SQLite server; ctest runs 20 x 50. --offices beyond 10 adds synthetic
//   kelurahan (52.71.01.2000 on) with `latih-server office add`: a
//   province has ~1 to 3 devices per office, where 10 offices make every
//   device pull the rows of a tenth of all the others. With --db the server's store is that (empty) PostgreSQL
//   database, and --instances K starts K servers on it, device i syncing
//   with server i % K (issue 7: 1,000 x 100 on (a) SQLite, (b) PostgreSQL,
//   (c) two instances on PostgreSQL; docs/BENCHMARKS.md).
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

#include "client/lib/office_db.h"
#include "client/lib/sync_client.h"
#include "schema/migrations.h"
#include "sync/env.h"
#include "sync/postgres/pg_db.h"
#include "sync/sqlite/scope.h"
#include "tests/bench/bench_util.h"

namespace latih::bench {
namespace {

constexpr const char* kOffices[] = {"52.71.01.1004", "52.71.01.1005", "52.71.01.1006", "52.71.01.1007",
                                    "52.71.01.1008", "52.71.01.1009", "52.71.01.1010", "52.71.01.1011",
                                    "52.71.01.1012", "52.71.01.1013"};
constexpr int kAmpenanOffices = sizeof kOffices / sizeof kOffices[0];
constexpr int kEmployeesPerDevice = 10;

struct LoadOptions {
  int devices = 200;
  int changes = 500;  // attendance records per device
  int offices = kAmpenanOffices;
  std::string dir;
  bool keep = false;
  std::string db;     // a postgresql:// URL; "" = an SQLite file in dir
  int instances = 1;  // servers on the one database (PostgreSQL only)
  int connections = 0;  // --store-connections of each server; 0: its default
};

Result<LoadOptions> Parse(int argc, char** argv) {
  LoadOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> Result<std::string> {
      if (i + 1 >= argc) return Status::Invalid(a + " needs a value");
      return std::string(argv[++i]);
    };
    if (a == "--store-connections") {
      LATIH_ASSIGN_OR_RETURN(std::string v, value());
      o.connections = std::atoi(v.c_str());
      if (o.connections <= 0 || o.connections > 64) return Status::Invalid(a + ": 1 to 64, not " + v);
    } else if (a == "--devices" || a == "--changes" || a == "--instances" || a == "--offices") {
      LATIH_ASSIGN_OR_RETURN(std::string v, value());
      const int n = std::atoi(v.c_str());
      if (n <= 0 || n > 100000) return Status::Invalid(a + ": not a positive count: " + v);
      (a == "--devices" ? o.devices : a == "--changes" ? o.changes : a == "--offices" ? o.offices : o.instances) = n;
    } else if (a == "--db") {
      LATIH_ASSIGN_OR_RETURN(o.db, value());
      if (!sync::postgres::IsPostgresUrl(o.db)) return Status::Invalid("--db takes a postgresql:// URL, not " + o.db);
    } else if (a == "--dir") {
      LATIH_ASSIGN_OR_RETURN(o.dir, value());
    } else if (a == "--keep") {
      o.keep = true;
    } else {
      return Status::Invalid("usage: latih_load [--devices N] [--changes M] [--offices O] [--dir DIR] [--keep] "
                             "[--db postgresql://... [--instances K] [--store-connections C]] (not " + a + ")");
    }
  }
  if (o.instances > 1 && o.db.empty()) return Status::Invalid("--instances needs --db postgresql://...");
  if (o.offices > kAmpenanOffices + 1000) return Status::Invalid("--offices: at most 1,010");
  return o;
}

// A distinct valid PNS NIP for each n < 27,972: born 1985-MM-DD, appointed
// 2010-03, male, serial 1..999.
std::string Nip(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "1985%02d%02d2010031%03d", 1 + (n / 999 / 28) % 12, 1 + (n / 999) % 28,
                1 + n % 999);
  return buf;
}

std::string Two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

struct Device {
  int index = 0;
  std::string office, path;
  std::unique_ptr<client::OfficeDb> db;
  int64_t rows_made = 0;  // rows of every table it created
};

// The device's offline work: a training, its employees, and sessions with
// everyone's attendance until `changes` records.
Status Record(Device& d, int changes) {
  client::TrainingInput t;
  t.title = "Bimtek layanan " + std::to_string(d.index);
  t.form = "4";
  t.competency = "teknis";
  t.start_date = "2026-01-01";
  t.end_date = "2026-12-28";
  t.jp = 40;
  LATIH_ASSIGN_OR_RETURN(std::string training, d.db->AddTraining(t));
  LATIH_ASSIGN_OR_RETURN(auto batch, d.db->store().BeginWrite());
  for (int e = 0; e < kEmployeesPerDevice; ++e) {
    client::EmployeeInput in;
    in.nip = Nip(d.index * kEmployeesPerDevice + e);
    in.name = "Pegawai " + std::to_string(d.index) + "-" + std::to_string(e);
    in.type = "pns";
    LATIH_RETURN_IF_ERROR(d.db->PutEmployee(*batch, in, false, false).status());
  }
  LATIH_RETURN_IF_ERROR(batch->Commit());
  d.rows_made = 1 + kEmployeesPerDevice;
  for (int done = 0, round = 0; done < changes; ++round) {
    client::SessionInput s;
    s.training_id = training;
    s.date = "2026-" + Two(1 + round / 28 % 12) + "-" + Two(1 + round % 28);
    s.start_time = Two(7 + round / 336 % 12) + ":00";
    LATIH_ASSIGN_OR_RETURN(std::string session, d.db->AddSession(s));
    ++d.rows_made;
    LATIH_ASSIGN_OR_RETURN(auto b, d.db->store().BeginWrite());
    for (int e = 0; e < kEmployeesPerDevice && done < changes; ++e, ++done) {
      client::AttendInput a;
      a.session_id = session;
      a.nip = Nip(d.index * kEmployeesPerDevice + e);
      LATIH_RETURN_IF_ERROR(d.db->Attend(*b, a).status());
      ++d.rows_made;
    }
    LATIH_RETURN_IF_ERROR(b->Commit());
  }
  return Status::Ok();
}

struct Round {
  double seconds = 0;
  std::vector<double> latency_s;
  int64_t pushed = 0, pulled = 0, requests = 0;
  int failures = 0;
  int retries = 0;  // attempts that failed kUnavailable without a Retry-After (a stall, a cut)
  int busy = 0;     // attempts the server turned away busy (503 with Retry-After)
  double busy_wait_s = 0;  // the Retry-After waits those asked for, summed
  std::string first_failure, first_retry, first_busy;
};

// A device whose attempt fails kUnavailable tries again as `latih sync
// --watch` does: after the server's Retry-After when it was turned away
// busy (as often as it takes, within kMaxBusy), at once after another
// failure (kAttempts in all). The latency counts from its first attempt.
constexpr int kAttempts = 5;
constexpr int kMaxBusy = 100;

// Every device syncs once, all at the same time, each on its own thread.
Round SyncAll(std::vector<Device>& devices) {
  Round r;
  std::mutex mu;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (auto& d : devices) {
    threads.emplace_back([&, dev = &d] {
      client::SyncClient sc(*dev->db, sync::DefaultEnv());
      // What every attempt delivered, the failed ones' completed round trips
      // included (a session cut after its push still delivered the push).
      int64_t pushed = 0, pulled = 0, requests = 0;
      auto attempt = [&] {
        sync::SyncProgress last;
        auto out = sc.Sync([&](const sync::SyncProgress& p, const client::WireStats&) { last = p; });
        if (out.ok()) {  // the report counts a session's only request too, which reports no progress
          last.rows_pushed = out->report.rows_pushed;
          last.rows_pulled = out->report.rows_pulled;
          last.round_trips = out->report.round_trips;
        }
        pushed += last.rows_pushed;
        pulled += last.rows_pulled;
        requests += last.round_trips;
        return out;
      };
      ++ready;
      while (!go.load()) std::this_thread::yield();
      const auto start = BenchClock::now();
      auto out = attempt();
      for (int failed = 0, busy = 0; !out.ok() && out.status().code() == StatusCode::kUnavailable;) {
        const int64_t wait_s = sc.retry_after_s();
        if (wait_s > 0 ? ++busy >= kMaxBusy : ++failed >= kAttempts) break;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (wait_s > 0) {
            if (r.busy++ == 0) r.first_busy = out.status().ToString();
            r.busy_wait_s += static_cast<double>(wait_s);
          } else if (r.retries++ == 0) {
            r.first_retry = out.status().ToString();
          }
        }
        std::this_thread::sleep_for(std::chrono::seconds(wait_s));
        out = attempt();
      }
      const double s = SecondsSince(start);
      std::lock_guard<std::mutex> lock(mu);
      r.pushed += pushed;
      r.pulled += pulled;
      r.requests += requests;
      if (!out.ok()) {
        if (r.failures++ == 0) r.first_failure = "device " + std::to_string(dev->index) + ": " + out.status().ToString();
        return;
      }
      r.latency_s.push_back(s);
    });
  }
  while (ready.load() < static_cast<int>(devices.size())) std::this_thread::yield();
  const auto start = BenchClock::now();
  go = true;
  for (auto& t : threads) t.join();
  r.seconds = SecondsSince(start);
  return r;
}

Result<std::unique_ptr<sync::sqlite::Store>> OpenServerStore(const std::string& path) {
  sync::sqlite::Store::Options o;
  o.migrations = schema::ServerMigrations();
  o.role = sync::sqlite::Store::Role::kServer;
  if (sync::postgres::IsPostgresUrl(path)) {
    o.migrations = schema::PostgresMigrations();
    LATIH_ASSIGN_OR_RETURN(auto db, sync::postgres::Connect(path));
    return sync::sqlite::Store::Open(std::move(db), o, sync::DefaultEnv());
  }
  return sync::sqlite::Store::Open(path, o, sync::DefaultEnv());
}

Result<int64_t> Count(sync::sqlite::Store& store, const std::string& sql) {
  LATIH_ASSIGN_OR_RETURN(auto s, store.db().PrepareOwned(sql));
  LATIH_RETURN_IF_ERROR(s->Step().status());
  return s->ColumnInt(0);
}

// Every row of every replicated table of `store`, selected once.
using AllRows = std::vector<std::pair<const sync::TableDef*, std::vector<sync::Row>>>;
Result<AllRows> SelectAll(sync::sqlite::Store& store) {
  AllRows all;
  for (const auto& td : store.catalog().tables()) {
    LATIH_ASSIGN_OR_RETURN(auto rows, store.Select(td.name, std::nullopt));
    all.emplace_back(&td, std::move(rows));
  }
  return all;
}

// The rows of `all` (of `store`) that `access` may read, as text.
Result<std::string> View(sync::sqlite::Store& store, const AllRows& all, const sync::sqlite::Access& access) {
  sync::sqlite::Scope scope(store, access);
  std::string out;
  for (const auto& [td, rows] : all) {
    for (const auto& r : rows) {
      LATIH_ASSIGN_OR_RETURN(bool visible, scope.MayRead(*td, r));
      if (!visible) continue;
      out += td->name + " " + r.id;
      for (const auto& v : r.values) out += "|" + sync::ValueToText(v);
      out += "\n";
    }
  }
  return out;
}

Result<std::string> View(sync::sqlite::Store& store, const sync::sqlite::Access& access) {
  LATIH_ASSIGN_OR_RETURN(AllRows all, SelectAll(store));
  return View(store, all, access);
}

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

void PrintRound(const char* name, const Round& r) {
  const int64_t rows = r.pushed + r.pulled;
  std::cout << "| " << name << " | " << Fmt("%.2f s", r.seconds) << " | " << Thousands(r.pushed) << " | "
            << Thousands(r.pulled) << " | " << Thousands(static_cast<int64_t>(rows / std::max(r.seconds, 1e-9)))
            << " rows/s | "
            << Thousands(r.requests) << " | "
            << (r.latency_s.empty() ? "-" : Fmt("%.0f ms", 1000 * Quantile(r.latency_s, 0.5))) << " | "
            << (r.latency_s.empty() ? "-" : Fmt("%.0f ms", 1000 * Quantile(r.latency_s, 0.99))) << " | "
            << r.busy << (r.busy ? Fmt(" (%.0f s asked)", r.busy_wait_s) : "") << " | " << r.retries << " | "
            << r.failures << " |\n";
}

Status Run(const LoadOptions& o) {
  // Each device holds a few files and a curl connection; 200 of them need
  // more than the default 1,024 descriptors.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  LATIH_ASSIGN_OR_RETURN(WorkDir dir, WorkDir::Make(o.dir, o.keep));
  const std::string server_db = o.db.empty() ? dir.FreshDb("load_server.db") : o.db;
  std::vector<std::unique_ptr<ServerChild>> servers;
  for (int k = 0; k < o.instances; ++k) {
    const std::string log_path = dir.FreshDb("load_server" + std::to_string(k) + ".log");
    std::vector<std::string> extra;
    if (o.connections > 0) extra = {"--store-connections", std::to_string(o.connections)};
    LATIH_ASSIGN_OR_RETURN(auto server, ServerChild::Start(LATIH_SERVER_PATH, server_db, log_path, extra));
    servers.push_back(std::move(server));
  }

  const auto setup = BenchClock::now();
  std::vector<std::string> offices(kOffices, kOffices + std::min(o.offices, kAmpenanOffices));
  for (int k = kAmpenanOffices; k < o.offices; ++k) {
    const std::string code = "52.71.01." + std::to_string(2000 + k - kAmpenanOffices);
    LATIH_RETURN_IF_ERROR(RunCapture({LATIH_SERVER_PATH, "--db", server_db, "office", "add", "--code", code,
                                      "--name", "Kelurahan " + std::to_string(k + 1)}).status());
    offices.push_back(code);
  }
  std::vector<Device> devices(o.devices);
  for (int i = 0; i < o.devices; ++i) {
    Device& d = devices[i];
    d.index = i;
    d.office = offices[i % offices.size()];
    d.path = dir.FreshDb("device_" + std::to_string(i) + ".db");
    LATIH_ASSIGN_OR_RETURN(std::string out, RunCapture({LATIH_SERVER_PATH, "--db", server_db, "device", "enroll",
                                                        "--office", d.office, "--name", "Meja " + std::to_string(i)}));
    const std::string token = out.substr(0, out.find('\n'));
    LATIH_ASSIGN_OR_RETURN(d.db, client::OfficeDb::Init(d.path, d.office, sync::DefaultEnv()));
    client::SyncClient sc(*d.db, sync::DefaultEnv());
    LATIH_RETURN_IF_ERROR(sc.Enroll(servers[i % o.instances]->url(), token, "").status().WithContext(
        "enroll device " + d.path));
    // A synthetic office is not in the built-in list: its row comes with a
    // first sync, which must precede the records that reference it.
    if (i % static_cast<int>(offices.size()) >= kAmpenanOffices) {
      LATIH_RETURN_IF_ERROR(sc.Sync().status().WithContext("first sync of device " + d.path));
    }
    LATIH_RETURN_IF_ERROR(Record(d, o.changes).WithContext("record on " + d.path));
  }
  std::cout << "latih_load: " << o.devices << " devices in " << offices.size() << " offices, " << o.changes
            << " attendance records each, " << o.instances << " server instance" << (o.instances > 1 ? "s" : "")
            << " on " << (o.db.empty() ? std::string("SQLite") : sync::postgres::RedactUrl(o.db))
            << ", set up in " << Fmt("%.1f s", SecondsSince(setup)) << "\n\n";

  const Round push = SyncAll(devices);
  const Round spread = SyncAll(devices);
  std::vector<int64_t> rss;
  for (const auto& server : servers) {
    LATIH_ASSIGN_OR_RETURN(int64_t bytes, server->PeakRssBytes());
    rss.push_back(bytes);
  }

  int64_t made = 0;
  for (const auto& d : devices) made += d.rows_made;
  std::cout << "| round (all devices at once) | wall | rows pushed | rows pulled | rows/s both ways | requests | "
               "p50 sync | p99 sync | turned away busy | other retried attempts | failed syncs |\n"
            << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  PrintRound("1. push the day (and pull the office peers' rows already there)", push);
  PrintRound("2. sync again: the peers' rows pushed after one's own pull", spread);
  std::cout << "\nserver peak RSS (VmHWM):";
  for (int64_t bytes : rss) std::cout << " " << Fmt("%.1f MiB", bytes / 1048576.0);
  std::cout << (rss.size() > 1 ? " (per instance)" : "") << "\n";
  for (const Round* r : {&push, &spread}) {
    if (r->busy) std::cout << "first busy answer: " << r->first_busy << "\n";
    if (r->retries) std::cout << "first retried attempt: " << r->first_retry << "\n";
  }

  // The checks.
  if (push.failures + spread.failures > 0) {
    return Status::Corruption(std::to_string(push.failures + spread.failures) + " syncs failed; first: " +
                              (push.failures ? push.first_failure : spread.first_failure));
  }
  for (auto& server : servers) LATIH_RETURN_IF_ERROR(server->Stop());
  LATIH_ASSIGN_OR_RETURN(auto store, OpenServerStore(server_db));
  LATIH_ASSIGN_OR_RETURN(int64_t attendance, Count(*store, "SELECT count(*) FROM attendance"));
  if (attendance != int64_t{o.devices} * o.changes) {
    return Status::Corruption("the server holds " + std::to_string(attendance) + " attendance records, not " +
                              std::to_string(int64_t{o.devices} * o.changes));
  }
  LATIH_ASSIGN_OR_RETURN(int64_t audited, Count(*store, "SELECT coalesce(sum(rows - refused), 0) FROM sync_audit"));
  if (audited != made || push.pushed != made) {
    return Status::Corruption("devices created " + std::to_string(made) + " rows, pushed " +
                              std::to_string(push.pushed) + "; the server applied " + std::to_string(audited) +
                              " in its audited batches (every change exactly once: all three equal)");
  }
  LATIH_ASSIGN_OR_RETURN(AllRows server_rows, SelectAll(*store));
  for (int k = 0; k < std::min<int>(o.devices, offices.size()); ++k) {
    LATIH_ASSIGN_OR_RETURN(std::string view, View(*store, server_rows, sync::sqlite::Access::Office(offices[k])));
    for (int i = k; i < o.devices; i += static_cast<int>(offices.size())) {
      LATIH_ASSIGN_OR_RETURN(std::string mine, View(devices[i].db->store(), sync::sqlite::Access::All()));
      if (mine != view) return Status::Corruption("device " + devices[i].path + " differs from its office's view");
    }
  }
  std::cout << "checked: " << Thousands(made) << " rows on the server exactly once (audit = created = pushed); "
            << o.devices << " devices equal to their office's view\n";
  return Status::Ok();
}

}  // namespace
}  // namespace latih::bench

int main(int argc, char** argv) {
  auto options = latih::bench::Parse(argc, argv);
  if (!options.ok()) {
    std::cerr << "latih_load: " << options.status().message() << "\n";
    return 2;
  }
  const latih::Status s = latih::bench::Run(*options);
  if (!s.ok()) {
    std::cerr << "latih_load: FAILED: " << s.ToString() << "\n";
    return 1;
  }
  return 0;
}
