// latih enroll / sync / status: the device's link with the central server.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "client/cli/cli_context.h"
#include "client/lib/sync_client.h"

namespace latih::client::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnStop(int) { g_stop = 1; }

int SyncExitCode(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied: return kExitAuth;
    case StatusCode::kUnavailable: return kExitUnreachable;
    case StatusCode::kProtocolMismatch: return kExitVersion;
    default: return ExitCodeFor(s);
  }
}

std::string Kb(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, bytes < 10240 ? "%.1f KB" : "%.0f KB", bytes / 1024.0);
  return buf;
}

std::string Summary(const SyncOutcome& o) {
  const auto& r = o.report;
  std::string line = "sinkron selesai: kirim " + std::to_string(r.rows_pushed) + " baris";
  if (r.rows_refused) line += " (" + std::to_string(r.rows_refused) + " ditolak)";
  line += ", terima " + std::to_string(r.rows_pulled) + " baris, " + std::to_string(r.round_trips) +
          " permintaan, naik " + Kb(o.wire.bytes_up) + ", turun " + Kb(o.wire.bytes_down) + ", " +
          std::to_string(o.elapsed_ms) + " ms";
  if (r.snapshot) line += ", snapshot (" + std::to_string(r.rows_removed) + " baris dihapus)";
  // PROTOCOL.md §3 rule 2: unpushed writes moved to the server's time.
  if (r.rows_restamped) line += ", versi " + std::to_string(r.rows_restamped) + " baris disesuaikan ke jam server";
  if (r.clock_skewed) line += "; PERINGATAN: jam perangkat selisih " + std::to_string(r.clock_offset_ms / 1000) + " detik";
  return line;
}

void PrintRefused(const sync::SyncReport& r) {
  for (const auto& f : r.refused) {
    std::cerr << "ditolak server (" << f.code << "): " << f.table << " " << f.id << ": " << f.reason << "\n";
  }
}

// One attempt, with a progress line on a terminal. Returns the exit code.
int RunOnce(SyncClient& client, bool quiet) {
  const bool tty = ::isatty(STDERR_FILENO) && !quiet;
  auto progress = [tty](const sync::SyncProgress& p, const WireStats& w) {
    if (!tty) return;
    std::cerr << "\r\033[K" << "sinkron: kirim " << p.rows_pushed << " baris (" << Kb(w.bytes_up) << ")  terima "
              << p.rows_pulled << " baris (" << Kb(w.bytes_down) << ")  " << p.round_trips << " permintaan"
              << std::flush;
  };
  auto outcome = client.Sync(progress);
  if (tty) std::cerr << "\r\033[K" << std::flush;
  if (!outcome.ok()) {
    std::cerr << "latih: sync failed: " << outcome.status().message() << "\n";
    return SyncExitCode(outcome.status());
  }
  std::cout << Summary(*outcome) << std::endl;
  PrintRefused(outcome->report);
  return outcome->report.rows_refused > 0 ? kExitSyncPartial : kExitOk;
}

// Sleeps up to `seconds`, waking early on a stop signal.
void Nap(double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!g_stop && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::string Age(std::chrono::steady_clock::time_point since) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - since).count();
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  return std::to_string(s / 3600) + " h";
}

// sync --watch: sync whenever there is something to sync (local changes
// at once, the server's every `poll` seconds); on failure retry with
// exponential backoff and full jitter, and say how long it has been failing.
int Watch(SyncClient& client, double poll, double max_backoff) {
  std::signal(SIGINT, OnStop);
  std::signal(SIGTERM, OnStop);
  client.set_stop_flag(&g_stop);  // a stalled request must not hold up the stop
  std::mt19937_64 rng(std::random_device{}());
  int failures = 0;
  auto failing_since = std::chrono::steady_clock::now();
  auto last_attempt = std::chrono::steady_clock::now() - std::chrono::hours(1);
  while (!g_stop) {
    auto pending = client.HasPending();
    const bool due = std::chrono::steady_clock::now() - last_attempt >= std::chrono::duration<double>(poll);
    if (failures == 0 && !due && pending.ok() && !*pending) {
      Nap(1.0);
      continue;
    }
    last_attempt = std::chrono::steady_clock::now();
    const int code = RunOnce(client, true);
    if (code == kExitOk || code == kExitSyncPartial) {
      // Said also when a stop came during this sync: it did succeed.
      if (failures > 0) std::cerr << "latih: sync works again after " << Age(failing_since) << "\n";
      failures = 0;
      continue;
    }
    if (g_stop) break;
    if (code == kExitAuth || code == kExitVersion || code == kExitNotFound) {
      std::cerr << "latih: sync stopped: this needs a person (see the error above)\n";
      return code;
    }
    if (failures++ == 0) failing_since = std::chrono::steady_clock::now();
    const double cap = std::min(max_backoff, 5.0 * (1 << std::min(failures, 10)));
    // A busy server's Retry-After comes first: it spreads the devices it
    // turned away over the time it needs (PROTOCOL.md §10, "A busy server").
    const double wait = std::max(std::uniform_real_distribution<double>(cap / 2, cap)(rng),
                                 static_cast<double>(client.retry_after_s()));
    std::cerr << "latih: sync failing for " << Age(failing_since) << " (" << failures
              << " attempts); next try in " << static_cast<int>(wait) << " s\n";
    Nap(wait);
  }
  return kExitOk;
}

}  // namespace

void AddSyncCommands(CLI::App& app, CliContext& ctx) {
  static std::string server, token, cacert;
  auto* enroll = app.add_subcommand("enroll", "Enroll this database with the central server (once per device)");
  enroll->add_option("--server", server, "Server URL, e.g. https://latih.example.go.id")->required();
  enroll->add_option("--token", token, "Enrollment token from 'latih-server device enroll'")->required();
  enroll->add_option("--cacert", cacert, "CA certificate of a server with a private certificate");
  enroll->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    SyncClient client(**db, sync::DefaultEnv());
    auto out = client.Enroll(server, token, cacert);
    if (!out.ok()) {
      std::cerr << "latih: error: " << out.status().message() << "\n";
      return void(ctx.exit_code = SyncExitCode(out.status()));
    }
    std::cout << "terdaftar: perangkat '" << out->name << "'" << (out->office.empty() ? "" : " kantor " + out->office)
              << " pada " << server << "\n";
  });

  static bool watch = false;
  static double poll = 60, max_backoff = 600;
  static int64_t stall_timeout = 60;
  auto* sync_cmd = app.add_subcommand("sync", "Send local changes to the server and receive the office's news");
  sync_cmd->add_flag("--watch", watch, "Keep syncing: at once when something changes here, every --poll seconds "
                                       "for the server's news, retrying with backoff when the server is unreachable");
  sync_cmd->add_option("--poll", poll, "--watch: seconds between syncs when nothing changes here (default 60)");
  sync_cmd->add_option("--max-backoff", max_backoff, "--watch: longest wait between failed attempts, s (default 600)");
  sync_cmd
      ->add_option("--stall-timeout", stall_timeout,
                   "Give up a transfer that moves less than 16 bytes/s for this many seconds: a stalled link "
                   "(exit 9; --watch retries) (default 60)")
      ->check(CLI::Range(int64_t{1}, int64_t{3600}));
  sync_cmd->footer("Exit codes: 0 synced; 7 synced but some changes refused (quarantined, see latih status); "
                   "8 credentials or server certificate refused; 9 server unreachable (nothing lost, try again); 10 update latih.");
  sync_cmd->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    SyncClient client(**db, sync::DefaultEnv());
    client.set_stall_timeout_s(stall_timeout);
    ctx.exit_code = watch ? Watch(client, poll, max_backoff) : RunOnce(client, false);
  });

  auto* status = app.add_subcommand("status", "Show the database, pending changes, the server and the last sync");
  AddFormatFlags(*status, ctx);
  status->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto st = (*db)->Status();
    if (!st.ok()) return void(ctx.exit_code = ctx.Fail(st.status()));
    SyncClient client(**db, sync::DefaultEnv());
    auto health = client.Health();
    if (!health.ok()) return void(ctx.exit_code = ctx.Fail(health.status()));
    Table t = StatusTable(*st);
    auto add = [&t](const std::string& k, sync::Value v) { t.rows.push_back({k, std::move(v)}); };
    add("server", health->link ? health->link->url : std::string("belum terdaftar (latih enroll)"));
    if (health->link) add("perangkat", health->link->device_name);
    add("sinkron_berhasil_terakhir", health->last_ok_at.empty() ? std::string("belum pernah") : health->last_ok_at);
    if (health->failures > 0) {
      add("sinkron_gagal", std::to_string(health->failures) + "x sejak/terakhir " + health->last_error_at + ": " +
                               health->last_error);
    }
    add("perubahan_dikarantina", static_cast<int64_t>(health->quarantined.size()));
    for (const auto& q : health->quarantined) {
      add("karantina", q.table + " " + q.row_id + " (" + q.code + ", " + q.refused_at + "): " + q.reason);
    }
    Render(t, ctx.format(), std::cout);
  });
}

}  // namespace latih::client::cli
