// latih_bench: the benchmark program (see tests/bench/measures.h). This file
// holds main() and measures 1-3: the same attendance rows written by plain
// prepared INSERTs (the floor), through WriteBatch::Put and through
// OfficeDb::Attend, each in one transaction into a fresh database.
#include <malloc.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>

#include "client/lib/office_db.h"
#include "schema/migrations.h"
#include "sync/env.h"
#include "sync/sqlite/store.h"
#include "sync/sqlite/sync_store.h"
#include "tests/bench/measures.h"
#include "tests/bench/workload.h"

namespace latih::bench {
namespace {

using sync::ColumnValue;
using sync::Value;
using sync::sqlite::Db;
using sync::sqlite::Store;
using sync::sqlite::Transaction;

constexpr int64_t kStoreTargetRowsPerSecond = 50000;

Status InsertPrerequisitesInTxn(Db& db, const Workload& w) {
  LATIH_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  LATIH_RETURN_IF_ERROR(InsertPrerequisites(db, w));
  return txn->Commit();
}

// Folds every stored attendance row (all columns) into one hash, so the
// three paths can be shown to have stored identical data.
Result<size_t> AttendanceFingerprint(Db& db) {
  LATIH_ASSIGN_OR_RETURN(auto s, db.PrepareOwned(
      "SELECT id || '|' || session_id || '|' || employee_id || '|' || office_id || '|' || status "
      "|| '|' || coalesce(minutes_late, '-') || '|' || coalesce(checked_in_at, '-') || '|' || method "
      "|| '|' || coalesce(note, '-') FROM attendance ORDER BY id"));
  size_t h = 0;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    h = h * 1000003 ^ std::hash<std::string>{}(s->ColumnText(0));
  }
  return h;
}

// Checks the row count, the attendance change-log entries and the content.
Status Verify(Db& db, const std::string& what, int64_t rows, int64_t log_entries, size_t fingerprint) {
  LATIH_ASSIGN_OR_RETURN(int64_t n, QueryCount(db, "SELECT count(*) FROM attendance"));
  if (n != rows) {
    return Status::Corruption(what + ": attendance has " + std::to_string(n) + " rows, expected " +
                              std::to_string(rows));
  }
  LATIH_ASSIGN_OR_RETURN(int64_t log, CountAttendanceLog(db));
  if (log != log_entries) {
    return Status::Corruption(what + ": change_log has " + std::to_string(log) +
                              " attendance entries, expected " + std::to_string(log_entries));
  }
  LATIH_ASSIGN_OR_RETURN(size_t fp, AttendanceFingerprint(db));
  if (fp != fingerprint) return Status::Corruption(what + ": stored rows differ from the floor's");
  return Status::Ok();
}

Result<double> TimeStorePath(Store& store, const Workload& w, const std::vector<AttendanceRow>& rows) {
  const auto start = BenchClock::now();
  LATIH_ASSIGN_OR_RETURN(auto batch, store.BeginWrite());
  for (const auto& row : rows) {
    const ColumnValue cols[] = {
        {"session_id", w.sessions[row.session].id},
        {"employee_id", w.employee_ids[row.employee]},
        {"office_id", std::string(kBenchOffice)},
        {"status", row.status},
        {"minutes_late", row.minutes_late ? Value(*row.minutes_late) : Value()},
        {"checked_in_at", row.checked_in_at},
        {"method", std::string("manual")},
        {"note", Value()}};
    LATIH_ASSIGN_OR_RETURN(auto put, batch->Put("attendance", row.id, cols));
    if (!put.created) return Status::Corruption("Put did not create attendance " + row.id);
  }
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return SecondsSince(start);
}

// The same rows arriving from a peer (a pull), merged through the sync
// store in batches of `batch_rows` rows, one transaction each.
Result<double> TimeApplyPath(Store& store, const Workload& w, const std::vector<AttendanceRow>& rows,
                             size_t batch_rows) {
  constexpr int64_t kPeerNode = 77;
  const int64_t hlc = sync::HlcPack(sync::DefaultEnv().clock.NowUnixMs() - 60000, 0);
  std::vector<sync::PullBatch> batches;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i % batch_rows == 0) batches.emplace_back();
    const auto& row = rows[i];
    const sync::Version v{hlc + static_cast<int64_t>(i), kPeerNode};
    sync::RowChange change{"attendance", row.id, {}};
    auto cell = [&](const char* col, Value value) { change.cells.push_back({col, std::move(value), v, {}}); };
    cell("", int64_t{1});
    cell("session_id", w.sessions[row.session].id);
    cell("employee_id", w.employee_ids[row.employee]);
    cell("office_id", std::string(kBenchOffice));
    cell("status", row.status);
    cell("minutes_late", row.minutes_late ? Value(*row.minutes_late) : Value());
    cell("checked_in_at", row.checked_in_at);
    cell("method", std::string("manual"));
    cell("note", Value());
    batches.back().rows.push_back(std::move(change));
    batches.back().last_seq = static_cast<int64_t>(i) + 1;
  }
  sync::sqlite::SqliteSyncStore replica(store);
  const auto start = BenchClock::now();
  for (const auto& b : batches) {
    LATIH_ASSIGN_OR_RETURN(int changed, replica.ApplyPull(b));
    if (changed != static_cast<int>(b.rows.size())) return Status::Corruption("a pulled row did not apply");
  }
  return SecondsSince(start);
}

Result<double> TimeDomainPath(client::OfficeDb& office, const Workload& w,
                              const std::vector<AttendanceRow>& rows) {
  std::vector<client::AttendInput> inputs;
  inputs.reserve(rows.size());
  for (const auto& row : rows) {
    client::AttendInput in;
    in.session_id = w.sessions[row.session].id;
    in.nip = w.nips[row.employee];
    in.status = row.status;
    in.at = row.at;
    in.minutes_late = row.minutes_late;
    inputs.push_back(std::move(in));
  }
  const auto start = BenchClock::now();
  LATIH_ASSIGN_OR_RETURN(auto batch, office.store().BeginWrite());
  for (const auto& in : inputs) {
    LATIH_ASSIGN_OR_RETURN(auto out, office.Attend(*batch, in));
    if (!out.created) return Status::Corruption("Attend did not create " + out.attendance_id);
  }
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return SecondsSince(start);
}

}  // namespace

Result<std::unique_ptr<Store>> FreshStore(WorkDir& dir, const std::string& name, const Workload& w) {
  LATIH_ASSIGN_OR_RETURN(auto store, Store::Open(dir.FreshDb(name), {schema::ClientMigrations(), true},
                                                 sync::DefaultEnv()));
  LATIH_RETURN_IF_ERROR(InsertPrerequisitesInTxn(store->db(), w));
  return store;
}

Result<double> TimeFloor(Db& db, const Workload& w, const std::vector<AttendanceRow>& rows) {
  const auto start = BenchClock::now();
  LATIH_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  AttendanceInserter inserter(db, w);
  for (const auto& row : rows) LATIH_RETURN_IF_ERROR(inserter.Insert(row, "manual"));
  LATIH_RETURN_IF_ERROR(txn->Commit());
  return SecondsSince(start);
}

Status RunWritePaths(const Sizes& sizes, WorkDir& dir, Report& report) {
  LATIH_ASSIGN_OR_RETURN(Workload w, MakeWorkload(sizes.write_employees, sizes.write_trainings,
                                                  sizes.write_sessions_per_training));
  const std::vector<AttendanceRow> rows = AllAttendance(w);
  const auto n = static_cast<int64_t>(rows.size());
  const int64_t log_entries = n * kLogEntriesPerNewRow;

  LATIH_ASSIGN_OR_RETURN(auto floor_store, FreshStore(dir, "floor.db", w));
  LATIH_ASSIGN_OR_RETURN(double floor, TimeFloor(floor_store->db(), w, rows));
  LATIH_ASSIGN_OR_RETURN(size_t fingerprint, AttendanceFingerprint(floor_store->db()));
  LATIH_RETURN_IF_ERROR(Verify(floor_store->db(), "floor", n, 0, fingerprint));
  floor_store.reset();
  report.Add({"1. SQLite floor: prepared INSERT attendance, 1 txn", n, floor, RowsPerSecond(n, floor),
              "1.00x"});
  std::cerr << "floor: " << floor << " s\n";

  LATIH_ASSIGN_OR_RETURN(auto store, FreshStore(dir, "store.db", w));
  LATIH_ASSIGN_OR_RETURN(double put, TimeStorePath(*store, w, rows));
  LATIH_RETURN_IF_ERROR(Verify(store->db(), "store path", n, log_entries, fingerprint));
  store.reset();
  report.Add({"2. Store path: WriteBatch::Put, 1 txn", n, put, RowsPerSecond(n, put),
              Ratio(put, floor)});
  std::cerr << "store path: " << put << " s\n";

  for (size_t batch_rows : {rows.size(), size_t{500}}) {
    LATIH_ASSIGN_OR_RETURN(auto replica, FreshStore(dir, "apply.db", w));
    LATIH_ASSIGN_OR_RETURN(double apply, TimeApplyPath(*replica, w, rows, batch_rows));
    LATIH_RETURN_IF_ERROR(Verify(replica->db(), "apply path", n, log_entries, fingerprint));
    replica.reset();
    const std::string what = batch_rows == rows.size() ? "1 txn" : "batches of 500 rows, 1 txn each";
    report.Add({"2b. Sync apply: pulled rows merged (SqliteSyncStore::ApplyPull), " + what, n, apply,
                RowsPerSecond(n, apply), Ratio(apply, floor)});
    if (batch_rows == rows.size()) {
      const double share = floor / apply;
      report.AddTarget("sync apply >= 40% of the floor's rate: " + std::string(share >= 0.4 ? "MET" : "MISSED") +
                       " (" + std::to_string(static_cast<int>(share * 100)) + "%)");
    }
  }

  LATIH_ASSIGN_OR_RETURN(auto office, client::OfficeDb::Init(dir.FreshDb("domain.db"), kBenchOffice,
                                                             sync::DefaultEnv()));
  LATIH_RETURN_IF_ERROR(InsertPrerequisitesInTxn(office->store().db(), w));
  LATIH_ASSIGN_OR_RETURN(double attend, TimeDomainPath(*office, w, rows));
  LATIH_RETURN_IF_ERROR(Verify(office->store().db(), "domain path", n, log_entries, fingerprint));
  office.reset();
  report.Add({"3. Domain path: OfficeDb::Attend(WriteBatch&), 1 txn", n, attend,
              RowsPerSecond(n, attend), Ratio(attend, floor)});
  std::cerr << "domain path: " << attend << " s\n";

  const double store_rate = static_cast<double>(n) / put;
  report.AddTarget("store path >= " + Thousands(kStoreTargetRowsPerSecond) + " rows/s: " +
                   (store_rate >= kStoreTargetRowsPerSecond ? "MET" : "MISSED") + " (" +
                   RowsPerSecond(n, put) + ")");
  report.AddNote("measures 1-3 store identical attendance rows (checked by fingerprint); 2 and 3 "
                 "log " + Thousands(log_entries) + " change_log entries (9 per row), checked");
  return Status::Ok();
}

namespace {

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

void AddMachineFacts(Report& report, const Options& opt, const WorkDir& dir) {
  report.AddFact("mode: " + std::string(opt.quick ? "--quick (sizes 10x smaller)" : "full"));
  report.AddFact("nproc: " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) + " (" + CpuModel() + ")");
  report.AddFact("SQLite: " + std::string(sqlite3_libversion()));
#ifdef NDEBUG
  report.AddFact("build: NDEBUG (asserts off)");
#else
  report.AddFact("build: asserts on");
#endif
  report.AddFact("databases in: " + dir.path());
  report.AddFact(std::string("latih CLI: ") + LATIH_CLI_PATH);
  report.AddFact(std::string("latih-server: ") + LATIH_SERVER_PATH);
}

int Main(int argc, char** argv) {
  auto opt = ParseOptions(argc, argv);
  if (!opt.ok()) {
    std::cerr << (opt.status().message() == "usage" ? "" : "latih_bench: " + opt.status().message() + "\n")
              << "usage: latih_bench [--quick] [--out FILE.md] [--dir DIR] [--only write|cli|report|sync|desk] "
                 "[--keep]\n";
    return 2;
  }
  auto dir = WorkDir::Make(opt->dir, opt->keep);
  if (!dir.ok()) {
    std::cerr << "latih_bench: " << dir.status().ToString() << "\n";
    return 1;
  }
  Report report;
  AddMachineFacts(report, *opt, *dir);
  const Sizes& sizes = opt->quick ? kQuickSizes : kFullSizes;
  const auto start = BenchClock::now();
  struct Group {
    const char* name;
    Status (*run)(const Sizes&, WorkDir&, Report&);
  };
  for (const Group& g : {Group{"write", RunWritePaths}, Group{"cli", RunCliAttend},
                         Group{"report", RunReportJp}, Group{"sync", RunSyncHttp}, Group{"desk", RunDeskCheckIns}}) {
    if (!opt->only.empty() && opt->only != g.name) continue;
    // Settle the machine: flush the previous group's dirty pages (their
    // write-back otherwise slows every fsync of the next group) and return
    // freed heap to the OS (a big parent makes each fork slower).
    ::sync();
    malloc_trim(0);
    Status st = g.run(sizes, *dir, report);
    if (!st.ok()) {
      std::cerr << "latih_bench: FAILED: " << st.ToString() << "\n";
      return 1;
    }
  }
  char total[64];
  std::snprintf(total, sizeof total, "whole run: %.1f s", SecondsSince(start));
  report.AddNote(total);
  report.AddNote("before each group of measures: sync() and malloc_trim(0), untimed");
  const std::string md = report.Markdown();
  std::cout << md;
  if (!opt->out.empty()) {
    std::ofstream out(opt->out);
    out << md;
    if (!out.flush()) {
      std::cerr << "latih_bench: cannot write " << opt->out << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace latih::bench

int main(int argc, char** argv) {
  try {
    return latih::bench::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "latih_bench: internal error: " << e.what() << "\n";
    return 1;
  }
}
