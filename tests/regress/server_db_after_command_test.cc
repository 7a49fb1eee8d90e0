// Regression (found while writing docs/DEPLOY.md's PostgreSQL part): the
// shipped unit server/deploy/latih-server.service runs `latih-server serve
// --db PATH ...`, and `--db` after the command was a usage error (exit 2):
// the unit could not start. `--db` now goes before or after the command.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/support/server_process.h"

namespace latih::test {

TEST_CASE("regression: latih-server takes --db after the command too, as the shipped unit passes it", "[regress]") {
  TempDir dir;
  const std::string db = dir.File("server.db");
  const CliResult listed = RunServerCli({"office", "list", "--db", db});
  INFO(listed.err);
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find("Ampenan Selatan") != std::string::npos);
  CHECK(std::filesystem::exists(db));  // that database, not the default one
  const CliResult enrolled = RunServerCli({"device", "enroll", "--office", "52.71.01.1004", "--name", "Meja", "--db", db});
  INFO(enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  const CliResult devices = RunServerCli({"--db", db, "device", "list"});
  CHECK(devices.out.find("Meja") != std::string::npos);
  // A mistyped option is still refused.
  CHECK(RunServerCli({"office", "list", "--dbb", db}).exit_code == 2);
}

}  // namespace latih::test
