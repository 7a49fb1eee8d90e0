// Regression (found by the bad-link scenario 3): `latih sync --watch`
// stopped with SIGTERM (systemd, a clerk's Ctrl-C) while its request sat on
// a stalled link kept waiting in curl until the stall timeout (60 s by
// default, up to an hour with --stall-timeout) before it noticed: systemd
// would SIGKILL it first. The stop flag now reaches curl's progress
// callback, which curl calls about once a second even while nothing moves.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <thread>

#include "tests/support/server_process.h"
#include "tests/support/sync_views.h"
#include "tests/tools/fault_proxy.h"

namespace latih::test {

TEST_CASE("regression: latih sync --watch stops at once on SIGTERM while its request is stalled", "[backend][regress]") {
  constexpr const char* kSelatan = "52.71.01.1004";
  TempDir dir;
  ServerProcess server(dir.File("server.db"));
  FaultProxy::Options po;
  po.target_port = server.port();
  auto proxy = FaultProxy::Start(po);
  REQUIRE_OK(proxy.status());
  const std::string db = dir.File("a.db");
  REQUIRE(RunCli({"--db", db, "init", "--office", kSelatan}).exit_code == 0);
  const CliResult made =
      RunServerCli({"--db", server.db_path(), "device", "enroll", "--office", kSelatan, "--name", "Meja 1"});
  REQUIRE(made.exit_code == 0);
  const std::string token = made.out.substr(0, made.out.find('\n'));
  REQUIRE(RunCli({"--db", db, "enroll", "--server", (*proxy)->url(), "--token", token}).exit_code == 0);
  REQUIRE(RunCli({"--db", db, "employee", "add", "--nip", TestNip(1), "--name", "Pegawai Satu", "--type", "pns"})
              .exit_code == 0);

  // The link stalls: the watcher's request goes out and no answer comes.
  (*proxy)->SetStalled(true);
  const int64_t down_before = (*proxy)->stats().bytes_down;
  BackgroundProgram watch(LATIH_CLI_PATH, {"--db", db, "sync", "--watch", "--stall-timeout", "3600"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((*proxy)->open_connections() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE((*proxy)->open_connections() > 0);
  REQUIRE((*proxy)->stats().bytes_down == down_before);

  // Before the fix it sat out --stall-timeout (an hour); 30 s is plenty
  // for curl's once-a-second callback.
  const int code = watch.StopWithin(SIGTERM, 30);
  INFO(watch.Err());
  REQUIRE(code == 0);

  // Nothing was lost: once the link moves, the change arrives.
  (*proxy)->SetStalled(false);
  const CliResult synced = RunCli({"--db", db, "sync"});
  INFO(synced.out << synced.err);
  REQUIRE(synced.exit_code == 0);
  REQUIRE(Count(*OpenServerDb(server.db_path()), "SELECT count(*) FROM employee WHERE nip = '" + TestNip(1) + "'") ==
          1);
}

}  // namespace latih::test
