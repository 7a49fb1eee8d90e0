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
  using std::to_string;
  const auto& r = o.report;
  std::string line = Say(Msg::kSyncDone, {to_string(r.rows_pushed)});
  if (r.rows_refused) line += Say(Msg::kSyncRefusedCount, {to_string(r.rows_refused)});
  line += Say(Msg::kSyncDoneRest, {to_string(r.rows_pulled), to_string(r.round_trips), Kb(o.wire.bytes_up),
                                   Kb(o.wire.bytes_down), to_string(o.elapsed_ms)});
  if (r.snapshot) line += Say(Msg::kSyncSnapshot, {to_string(r.rows_removed)});
  // PROTOCOL.md §3 rule 2: unpushed writes moved to the server's time.
  if (r.rows_restamped) line += Say(Msg::kSyncRestamped, {to_string(r.rows_restamped)});
  if (r.clock_skewed) line += Say(Msg::kSyncClockSkew, {to_string(r.clock_offset_ms / 1000)});
  return line;
}

void PrintRefused(const sync::SyncReport& r) {
  for (const auto& f : r.refused) {
    std::cerr << Say(Msg::kSyncRefusedRow, {f.code, f.table, f.id, f.reason}) << "\n";
  }
}

// One attempt, with a progress line on a terminal. Returns the exit code.
int RunOnce(SyncClient& client, bool quiet) {
  const bool tty = ::isatty(STDERR_FILENO) && !quiet;
  auto progress = [tty](const sync::SyncProgress& p, const WireStats& w) {
    if (!tty) return;
    std::cerr << "\r\033[K"
              << Say(Msg::kSyncProgress, {std::to_string(p.rows_pushed), Kb(w.bytes_up), std::to_string(p.rows_pulled),
                                          Kb(w.bytes_down), std::to_string(p.round_trips)})
              << std::flush;
  };
  auto outcome = client.Sync(progress);
  if (tty) std::cerr << "\r\033[K" << std::flush;
  if (!outcome.ok()) {
    std::cerr << Say(Msg::kSyncFailed, {outcome.status().message()}) << "\n";
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
  if (s < 120) return Say(Msg::kSeconds, {std::to_string(s)});
  if (s < 7200) return Say(Msg::kMinutes, {std::to_string(s / 60)});
  return Say(Msg::kHours, {std::to_string(s / 3600)});
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
      if (failures > 0) std::cerr << Say(Msg::kSyncWorksAgain, {Age(failing_since)}) << "\n";
      failures = 0;
      continue;
    }
    if (g_stop) break;
    if (code == kExitAuth || code == kExitVersion || code == kExitNotFound) {
      std::cerr << Say(Msg::kSyncNeedsPerson) << "\n";
      return code;
    }
    if (failures++ == 0) failing_since = std::chrono::steady_clock::now();
    const double cap = std::min(max_backoff, 5.0 * (1 << std::min(failures, 10)));
    // A busy server's Retry-After comes first: it spreads the devices it
    // turned away over the time it needs (PROTOCOL.md §10, "A busy server").
    const double wait = std::max(std::uniform_real_distribution<double>(cap / 2, cap)(rng),
                                 static_cast<double>(client.retry_after_s()));
    std::cerr << Say(Msg::kSyncFailing, {Age(failing_since), std::to_string(failures),
                                          std::to_string(static_cast<int>(wait))})
              << "\n";
    Nap(wait);
  }
  return kExitOk;
}

}  // namespace

void AddSyncCommands(CLI::App& app, CliContext& ctx) {
  static std::string server, token, cacert;
  auto* enroll = app.add_subcommand("enroll", Help(Msg::kHelpEnroll));
  enroll->add_option("--server", server, Help(Msg::kHelpServer))->required();
  enroll->add_option("--token", token, Help(Msg::kHelpToken))->required();
  enroll->add_option("--cacert", cacert, Help(Msg::kHelpCacert));
  enroll->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    SyncClient client(**db, sync::DefaultEnv());
    auto out = client.Enroll(server, token, cacert);
    if (!out.ok()) {
      std::cerr << Say(Msg::kCliError, {out.status().message()}) << "\n";
      return void(ctx.exit_code = SyncExitCode(out.status()));
    }
    const std::string office = out->office.empty() ? "" : Say(Msg::kEnrolledOffice, {out->office});
    std::cout << Say(Msg::kEnrolled, {out->name, office, server}) << "\n";
  });

  static bool watch = false;
  static double poll = 60, max_backoff = 600;
  static int64_t stall_timeout = 60;
  auto* sync_cmd = app.add_subcommand("sync", Help(Msg::kHelpSync));
  sync_cmd->add_flag("--watch", watch, Help(Msg::kHelpWatch));
  sync_cmd->add_option("--poll", poll, Help(Msg::kHelpPoll));
  sync_cmd->add_option("--max-backoff", max_backoff, Help(Msg::kHelpMaxBackoff));
  sync_cmd
      ->add_option("--stall-timeout", stall_timeout,
                   Help(Msg::kHelpStallTimeout))
      ->check(CLI::Range(int64_t{1}, int64_t{3600}));
  sync_cmd->footer(Help(Msg::kHelpSyncFooter));
  sync_cmd->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    SyncClient client(**db, sync::DefaultEnv());
    client.set_stall_timeout_s(stall_timeout);
    ctx.exit_code = watch ? Watch(client, poll, max_backoff) : RunOnce(client, false);
  });

  auto* status = app.add_subcommand("status", Help(Msg::kHelpStatus));
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
    add("server", health->link ? health->link->url : Help(Msg::kStatusNotEnrolled));
    if (health->link) add("perangkat", health->link->device_name);
    add("sinkron_berhasil_terakhir", health->last_ok_at.empty() ? Help(Msg::kStatusNever) : health->last_ok_at);
    if (health->failures > 0) {
      add("sinkron_gagal", Say(Msg::kStatusFailures, {std::to_string(health->failures), health->last_error_at,
                                                       health->last_error}));
    }
    add("perubahan_dikarantina", static_cast<int64_t>(health->quarantined.size()));
    for (const auto& q : health->quarantined) {
      add("karantina", q.table + " " + q.row_id + " (" + q.code + ", " + q.refused_at + "): " + q.reason);
    }
    Render(t, ctx.format(), std::cout);
  });
}

}  // namespace latih::client::cli
