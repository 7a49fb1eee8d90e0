// Measure 6: `sync` over real HTTP on loopback. For each size N, a real
// latih-server child process on a fresh database (port 0) and two devices
// of kBenchOffice enrolled with it: client A records N attendance rows (and
// the employees, trainings and sessions they need) through the store and
// pushes them with SyncClient::Sync(); client B, empty, pulls everything;
// then B syncs once more with nothing new. Beside it: the raw SQLite insert
// floor of the same rows (measure 1) and the size of the same rows as a
// gzip'd plain JSON array. The server's per-request log (`ms=`, `push=`,
// `pull=`) splits each sync's wall time into server and client time.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "client/lib/office_db.h"
#include "client/lib/sync_client.h"
#include "sync/env.h"
#include "sync/gzip.h"
#include "tests/bench/measures.h"
#include "tests/bench/workload.h"

namespace latih::bench {
namespace {

using sync::ColumnValue;
using sync::Value;
using sync::sqlite::PutMode;

constexpr double kTargetRecordsPerSecond = 30000;
constexpr double kTargetWireBytesPerRecord = 45;
constexpr int64_t kUpToDateMaxBytes = 1024;
constexpr int kTrainings = 10, kSessionsPerTraining = 10;  // 100 sessions, N / 100 employees
constexpr int kGzipLevel = 6;
constexpr int kMinutesPerJp = 45, kForm = 1;
constexpr int kLogWaitMs = 2000;  // the server logs a request just after answering it
constexpr double kMiB = 1024.0 * 1024.0;

// The server's log lines for /v1/sync requests of one sync.
struct ServerLog {
  int64_t requests = 0, ms = 0, max_ms = 0, rows = 0, max_rows = 0;
};

// The integer after " key=" in `line`, or 0.
int64_t Field(const std::string& line, const std::string& key) {
  const size_t at = line.find(" " + key + "=");
  return at == std::string::npos ? 0 : std::atoll(line.c_str() + at + key.size() + 2);
}

// Reads the complete /v1/sync lines after byte *offset of `path` and moves
// *offset past them. `rows` sums push= and pull= (rows in either direction).
ServerLog ReadServerLog(const std::string& path, int64_t* offset) {
  ServerLog log;
  std::ifstream in(path);
  in.seekg(*offset);
  std::string line;
  while (std::getline(in, line) && !in.eof()) {
    *offset += static_cast<int64_t>(line.size()) + 1;
    if (line.find(" path=/v1/sync ") == std::string::npos) continue;
    const int64_t ms = Field(line, "ms"), rows = Field(line, "push") + Field(line, "pull");
    ++log.requests;
    log.ms += ms;
    log.max_ms = std::max(log.max_ms, ms);
    log.rows += rows;
    log.max_rows = std::max(log.max_rows, rows);
  }
  return log;
}

struct TimedSync {
  double seconds = 0;
  client::SyncOutcome out;
  ServerLog server;
};

Result<TimedSync> RunSync(client::OfficeDb& office, const std::string& log_path, int64_t* log_offset) {
  client::SyncClient sync_client(office, sync::DefaultEnv());
  TimedSync t;
  const auto start = BenchClock::now();
  LATIH_ASSIGN_OR_RETURN(t.out, sync_client.Sync());
  t.seconds = SecondsSince(start);
  const auto deadline = BenchClock::now() + std::chrono::milliseconds(kLogWaitMs);
  while (true) {
    const ServerLog more = ReadServerLog(log_path, log_offset);
    t.server.requests += more.requests;
    t.server.ms += more.ms;
    t.server.max_ms = std::max(t.server.max_ms, more.max_ms);
    t.server.rows += more.rows;
    t.server.max_rows = std::max(t.server.max_rows, more.max_rows);
    if (t.server.requests >= t.out.wire.requests || BenchClock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return t;
}

// Client A's data, written as local changes (logged for the push) in one
// transaction: the same rows InsertPrerequisites and the floor insert.
Status RecordLocally(sync::sqlite::Store& store, const Workload& w, const std::vector<AttendanceRow>& rows) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store.BeginWrite());
  auto put = [&](const char* table, const std::string& id, std::vector<ColumnValue> cols) {
    return batch->Put(table, id, cols, PutMode::kInsertOnly).status();
  };
  const std::string office = kBenchOffice;
  for (size_t i = 0; i < w.nips.size(); ++i) {
    LATIH_RETURN_IF_ERROR(put("employee", w.employee_ids[i],
                              {{"nip", w.nips[i]}, {"name", "Pegawai " + std::to_string(i)}, {"office_id", office},
                               {"position", "Analis"}, {"rank", "III/a"}, {"employment_type", "pns"}}));
  }
  for (size_t t = 0; t < w.trainings.size(); ++t) {
    const TrainingSpec& s = w.trainings[t];
    LATIH_RETURN_IF_ERROR(put("training", s.id,
                              {{"office_id", office}, {"title", "Pelatihan " + std::to_string(t)},
                               {"form", int64_t{kForm}}, {"route", "klasikal"}, {"competency", s.competency},
                               {"jp", s.jp}, {"minutes", static_cast<int64_t>(s.jp * kMinutesPerJp)},
                               {"start_date", s.start_date}, {"end_date", s.end_date}}));
  }
  for (const SessionSpec& s : w.sessions) {
    LATIH_RETURN_IF_ERROR(put("session", s.id,
                              {{"training_id", w.trainings[s.training].id}, {"office_id", office},
                               {"date", s.date}, {"start_time", "08:00"}, {"end_time", "12:00"},
                               {"jp", s.jp ? Value(*s.jp) : Value()}}));
  }
  for (const auto& r : rows) {
    LATIH_RETURN_IF_ERROR(put("attendance", r.id,
                              {{"session_id", w.sessions[r.session].id}, {"employee_id", w.employee_ids[r.employee]},
                               {"office_id", office}, {"status", r.status},
                               {"minutes_late", r.minutes_late ? Value(*r.minutes_late) : Value()},
                               {"checked_in_at", r.checked_in_at}, {"method", "manual"}, {"note", Value()}}));
  }
  return batch->Commit();
}

// A fresh device database enrolled with the server through SyncClient::Enroll.
Result<std::unique_ptr<client::OfficeDb>> EnrolledDevice(const std::string& path, const std::string& url,
                                                        const std::string& token) {
  LATIH_ASSIGN_OR_RETURN(auto office, client::OfficeDb::Init(path, kBenchOffice, sync::DefaultEnv()));
  client::SyncClient sync_client(*office, sync::DefaultEnv());
  LATIH_RETURN_IF_ERROR(sync_client.Enroll(url, token, "").status());
  return office;
}

// The admin command's one-time enrollment token for a new device.
Result<std::string> NewDeviceToken(const std::string& server_db, const std::string& name) {
  LATIH_ASSIGN_OR_RETURN(std::string out, RunCapture({LATIH_SERVER_PATH, "--db", server_db, "device", "enroll",
                                                      "--office", kBenchOffice, "--name", name}));
  return out.substr(0, out.find('\n'));
}

// The attendance rows as a plain JSON array of objects: {raw bytes, gzip'd bytes}.
std::pair<int64_t, int64_t> PlainJsonBytes(const Workload& w, const std::vector<AttendanceRow>& rows) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& r : rows) {
    array.push_back({{"id", r.id}, {"session_id", w.sessions[r.session].id},
                     {"employee_id", w.employee_ids[r.employee]}, {"office_id", kBenchOffice},
                     {"status", r.status}, {"checked_in_at", r.checked_in_at}, {"method", "manual"}});
  }
  const std::string raw = array.dump();
  return {static_cast<int64_t>(raw.size()), static_cast<int64_t>(sync::GzipCompress(raw, kGzipLevel).size())};
}

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}
std::string PerRecord(int64_t bytes, int64_t n) { return Format("%.1f", static_cast<double>(bytes) / n); }
std::string Mib(int64_t bytes) { return Format("%.1f MiB", static_cast<double>(bytes) / kMiB); }
std::string Met(bool met) { return met ? "MET" : "MISSED"; }

// "420 ms in 12 requests (35 %), largest 2,000 rows, slowest 90 ms": the
// server's time, its share of the sync's wall time, its biggest and slowest
// request.
std::string ServerShare(const TimedSync& t) {
  return Thousands(t.server.ms) + " ms in " + Thousands(t.server.requests) +
         (t.server.requests == 1 ? " request (" : " requests (") +
         Format("%.0f", 100.0 * t.server.ms / 1000.0 / t.seconds) + " %), largest " +
         Thousands(t.server.max_rows) + " rows, slowest " + Thousands(t.server.max_ms) + " ms";
}

Status CheckCount(client::OfficeDb& office, const char* table, int64_t expected) {
  LATIH_ASSIGN_OR_RETURN(int64_t n, office.store().CountRows(table));
  if (n != expected) {
    return Status::Corruption(std::string("client B has ") + std::to_string(n) + " " + table + " rows after the " +
                              "pull, expected " + std::to_string(expected));
  }
  return Status::Ok();
}

// One size: the rows of the wire table, and the main table's lines.
Status RunOneSize(int n_target, WorkDir& dir, Report& report, std::string& table) {
  const int employees = n_target / (kTrainings * kSessionsPerTraining);
  LATIH_ASSIGN_OR_RETURN(Workload w, MakeWorkload(employees, kTrainings, kSessionsPerTraining));
  const std::vector<AttendanceRow> rows = AllAttendance(w);
  const auto n = static_cast<int64_t>(rows.size());
  const int64_t total_rows = n + static_cast<int64_t>(w.nips.size() + w.trainings.size() + w.sessions.size());
  const std::string tag = "N=" + Thousands(n);
  const std::string suffix = "_" + std::to_string(n);

  // The floor and the plain-JSON comparison (untimed besides the floor).
  LATIH_ASSIGN_OR_RETURN(auto floor_store, FreshStore(dir, "sync_floor" + suffix + ".db", w));
  LATIH_ASSIGN_OR_RETURN(double floor, TimeFloor(floor_store->db(), w, rows));
  floor_store.reset();
  const auto [json_raw, json_gzip] = PlainJsonBytes(w, rows);

  // The server, two devices, A's data.
  const std::string server_db = dir.FreshDb("sync_server" + suffix + ".db");
  const std::string log_path = dir.FreshDb("sync_server" + suffix + ".log");
  LATIH_ASSIGN_OR_RETURN(std::string token_a, NewDeviceToken(server_db, "Meja A"));
  LATIH_ASSIGN_OR_RETURN(std::string token_b, NewDeviceToken(server_db, "Meja B"));
  LATIH_ASSIGN_OR_RETURN(auto server, ServerChild::Start(LATIH_SERVER_PATH, server_db, log_path));
  LATIH_ASSIGN_OR_RETURN(auto a, EnrolledDevice(dir.FreshDb("sync_a" + suffix + ".db"), server->url(), token_a));
  LATIH_ASSIGN_OR_RETURN(auto b, EnrolledDevice(dir.FreshDb("sync_b" + suffix + ".db"), server->url(), token_b));
  LATIH_RETURN_IF_ERROR(RecordLocally(a->store(), w, rows));
  int64_t log_offset = 0;
  (void)ReadServerLog(log_path, &log_offset);  // skip the enrollments

  LATIH_ASSIGN_OR_RETURN(TimedSync push, RunSync(*a, log_path, &log_offset));
  LATIH_ASSIGN_OR_RETURN(int64_t rss_push, server->PeakRssBytes());
  if (push.out.report.rows_pushed != total_rows || push.out.report.rows_refused != 0) {
    return Status::Corruption("client A pushed " + std::to_string(push.out.report.rows_pushed) + " rows (" +
                              std::to_string(push.out.report.rows_refused) + " refused), expected " +
                              std::to_string(total_rows));
  }
  std::cerr << "sync " << tag << " push: " << push.seconds << " s\n";
  LATIH_ASSIGN_OR_RETURN(TimedSync pull, RunSync(*b, log_path, &log_offset));
  std::cerr << "sync " << tag << " pull: " << pull.seconds << " s\n";
  LATIH_RETURN_IF_ERROR(CheckCount(*b, "attendance", n));
  LATIH_RETURN_IF_ERROR(CheckCount(*b, "employee", static_cast<int64_t>(w.nips.size())));
  LATIH_RETURN_IF_ERROR(CheckCount(*b, "session", static_cast<int64_t>(w.sessions.size())));
  LATIH_ASSIGN_OR_RETURN(TimedSync idle, RunSync(*b, log_path, &log_offset));
  // A's update to wire schema 2 (schema/client/0012_client_repull.sql does
  // just this): a snapshot that pulls every row again, A's own included.
  LATIH_RETURN_IF_ERROR(a->store().db().Exec(
      "UPDATE snapshot_state SET active = 1; DELETE FROM snapshot_seen; UPDATE replica SET pull_cursor = 0"));
  LATIH_ASSIGN_OR_RETURN(TimedSync repull, RunSync(*a, log_path, &log_offset));
  if (!repull.out.report.snapshot || repull.out.report.rows_removed != 0 ||
      repull.out.report.rows_pulled < total_rows) {
    return Status::Corruption("client A's update re-pull: snapshot " + std::to_string(repull.out.report.snapshot) +
                              ", " + std::to_string(repull.out.report.rows_pulled) + " rows pulled (expected at least " +
                              std::to_string(total_rows) + "), " + std::to_string(repull.out.report.rows_removed) +
                              " removed");
  }
  std::cerr << "sync " << tag << " update re-pull: " << repull.seconds << " s\n";
  LATIH_ASSIGN_OR_RETURN(int64_t rss_end, server->PeakRssBytes());
  LATIH_RETURN_IF_ERROR(server->Stop());

  // Main table: rates against the floor.
  report.Add({"6. sync push, client A -> server over HTTP, " + tag, n, push.seconds, RowsPerSecond(n, push.seconds),
              Ratio(push.seconds, floor)});
  report.Add({"6. sync pull, server -> client B over HTTP, " + tag, n, pull.seconds, RowsPerSecond(n, pull.seconds),
              Ratio(pull.seconds, floor)});
  report.Add({"6. floor: prepared INSERT of the same attendance rows, 1 txn, " + tag, n, floor,
              RowsPerSecond(n, floor), "1.00x"});
  report.Add({"6. up-to-date sync of client B (nothing new), " + tag, 0, idle.seconds, Millis(idle.seconds), ""});

  // Wire table.
  const client::WireStats& up = push.out.wire;
  const client::WireStats& down = pull.out.wire;
  const client::WireStats& none = idle.out.wire;
  table += "| " + tag + " | push A -> server | " + RowsPerSecond(n, push.seconds) + " | " +
           Thousands(push.out.report.rows_pushed) + " | " + Thousands(up.requests) + " | " +
           PerRecord(up.bytes_up, n) + " | " + PerRecord(up.raw_bytes_up, n) + " | " + ServerShare(push) + " | " +
           Mib(rss_push) + " |\n";
  table += "| " + tag + " | pull server -> B | " + RowsPerSecond(n, pull.seconds) + " | " +
           Thousands(pull.out.report.rows_pulled) + " | " + Thousands(down.requests) + " | " +
           PerRecord(down.bytes_down, n) + " | " + PerRecord(down.raw_bytes_down, n) + " | " + ServerShare(pull) +
           " | " + Mib(rss_end) + " |\n";
  table += "| " + tag + " | floor: raw SQLite INSERT | " + RowsPerSecond(n, floor) + " | " + Thousands(n) +
           " | | | | | |\n";
  table += "| " + tag + " | plain JSON array of the rows, gzip -6 | | " + Thousands(n) + " | | " +
           PerRecord(json_gzip, n) + " | " + PerRecord(json_raw, n) + " | | |\n";
  const client::WireStats& again = repull.out.wire;
  table += "| " + tag + " | A's update to wire schema 2: its rows again (snapshot) | " +
           RowsPerSecond(n, repull.seconds) + " | " + Thousands(repull.out.report.rows_pulled) + " | " +
           Thousands(again.requests) + " | " + PerRecord(again.bytes_down, n) + " | " +
           PerRecord(again.raw_bytes_down, n) + " | " + ServerShare(repull) + " | |\n";
  table += "| " + tag + " | up-to-date sync of B | " + Millis(idle.seconds) + " | " +
           Thousands(idle.out.report.rows_pulled) + " | " + Thousands(none.requests) + " | up " +
           Thousands(none.bytes_up) + " B, down " + Thousands(none.bytes_down) + " B | up " +
           Thousands(none.raw_bytes_up) + " B, down " + Thousands(none.raw_bytes_down) + " B | " +
           ServerShare(idle) + " | |\n";

  // Targets and the other direction's bytes.
  const double push_rate = n / push.seconds, pull_rate = n / pull.seconds;
  const double push_bpr = static_cast<double>(up.bytes_up) / n, pull_bpr = static_cast<double>(down.bytes_down) / n;
  report.AddTarget(tag + ": push >= 30,000 records/s: " + Met(push_rate >= kTargetRecordsPerSecond) + " (" +
                   RowsPerSecond(n, push.seconds) + "); pull: " + Met(pull_rate >= kTargetRecordsPerSecond) + " (" +
                   RowsPerSecond(n, pull.seconds) + ")");
  report.AddTarget(tag + ": <= 45 wire bytes per attendance record: push " +
                   Met(push_bpr <= kTargetWireBytesPerRecord) + " (" + PerRecord(up.bytes_up, n) + " B), pull " +
                   Met(pull_bpr <= kTargetWireBytesPerRecord) + " (" + PerRecord(down.bytes_down, n) + " B)");
  report.AddTarget(tag + ": up-to-date sync in 1 round trip, < 1 KiB each way: " +
                   Met(none.requests == 1 && none.bytes_up < kUpToDateMaxBytes &&
                       none.bytes_down < kUpToDateMaxBytes) +
                   " (" + Thousands(none.requests) + " request, up " + Thousands(none.bytes_up) + " B, down " +
                   Thousands(none.bytes_down) + " B)");
  report.AddNote("measure 6, " + tag + ": push also received " + Thousands(up.bytes_down) + " B (raw " +
                 Thousands(up.raw_bytes_down) + "), pull sent " + Thousands(down.bytes_up) + " B (raw " +
                 Thousands(down.raw_bytes_up) + "); client side of the wall time (encode, gzip, HTTP, store): push " +
                 Thousands(std::llround(push.seconds * 1000) - push.server.ms) + " ms, pull " +
                 Thousands(std::llround(pull.seconds * 1000) - pull.server.ms) + " ms");
  return Status::Ok();
}

}  // namespace

Status RunSyncHttp(const Sizes& sizes, WorkDir& dir, Report& report) {
  std::string table =
      "Sync over HTTP on loopback (measure 6): per attendance record; a real latih-server child process\n\n"
      "| N | sync | records/s | rows (all tables) | HTTP requests | wire bytes / record | raw JSON bytes / record "
      "| server time (its log) | server peak RSS (VmHWM) |\n|---|---|---:|---:|---:|---:|---:|---|---:|\n";
  for (int n : sizes.sync_changes) {
    if (n <= 0 || n % (kTrainings * kSessionsPerTraining) != 0) return Status::Invalid("bad sync size");
    LATIH_RETURN_IF_ERROR(RunOneSize(n, dir, report, table));
  }
  report.AddSection(table);
  report.AddNote("measure 6: " + std::to_string(kTrainings) + " trainings x " + std::to_string(kSessionsPerTraining) +
                 " sessions, N / 100 employees, all of office " + kBenchOffice +
                 "; records/s = attendance rows / wall time of SyncClient::Sync(), whose push also carries the "
                 "employees, trainings and sessions; wire bytes are gzip'd HTTP bodies");
  return Status::Ok();
}

}  // namespace latih::bench
