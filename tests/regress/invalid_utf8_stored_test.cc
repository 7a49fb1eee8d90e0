// Regression (found while checking, for the hostile-input suite of issue 5,
// whether invalid UTF-8 can reach a store): text that was not UTF-8 entered
// a store by every path but JSON: a name
// typed in a Latin-1 terminal (`latih employee add`), `latih-server office
// add --name`, device and user names. What is stored must go out again as
// JSON, whose encoder refuses it (nlohmann's type_error 316): `latih sync` on
// that device then died with "internal error" at every attempt, and one
// office name made every device's pull fail with HTTP 500. Text is now
// refused where it enters (sync/utf8.h).
#include <catch2/catch.hpp>

#include "schema/migrations.h"
#include "server/core/credentials.h"
#include "sync/domain/ids.h"
#include "sync/protocol_json.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace latih::test {
namespace {

const std::string kNotUtf8 = "Zaini \xC3\x28";  // 0xC3 must be followed by 0x80..0xBF

}  // namespace

TEST_CASE("regression: text that is not UTF-8 is refused where it enters a store, so no sync fails encoding it",
          "[regress]") {
  TempDir dir;
  TestEnv env;
  auto office = MakeOffice(dir.File("a.db"), env.env);
  // A local write: the value, and an id.
  auto batch = office->store().BeginWrite();
  REQUIRE_OK(batch.status());
  const std::string nip = TestNip(5);
  const std::vector<sync::ColumnValue> employee = {
      {"nip", nip}, {"name", kNotUtf8}, {"office_id", std::string("52.71.01.1004")},
      {"employment_type", std::string("pns")}};
  auto put = (*batch)->Put("employee", domain::NaturalId("employee", {nip}), employee);
  REQUIRE(put.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(put.status().message(), Catch::Contains("employee.name is not valid UTF-8 (byte 0xC3 at offset 6)"));
  const std::vector<sync::ColumnValue> name = {{"name", std::string("Kantor")}};
  auto bad_id = (*batch)->Put("office", "52.71.01.\xFF", name);
  REQUIRE(bad_id.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(bad_id.status().message(), Catch::Contains("office id is not valid UTF-8"));
  batch->reset();
  // A peer's row (as a server applies a push): refused one by one.
  sync::sqlite::Store::Options o;
  o.migrations = schema::ServerMigrations();
  o.create = true;
  o.role = sync::sqlite::Store::Role::kServer;
  auto server = sync::sqlite::Store::Open(dir.File("server.db"), o, env.env);
  REQUIRE_OK(server.status());
  auto apply = (*server)->BeginWrite(/*enforce_references=*/false);
  REQUIRE_OK(apply.status());
  sync::RowChange row{"office", "52.71.01.1004", {{"name", kNotUtf8, {1, 7}, {}}}};
  Status refused = Status::Ok();
  REQUIRE_OK((*apply)->TryApplyRow(row, &refused).status());
  CHECK(refused.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(refused.message(), Catch::Contains("office.name is not valid UTF-8"));
  // Names of devices and users (they appear in JSON answers and listings).
  server::Credentials credentials(**server);
  CHECK(credentials.AddDevice("52.71.01.1004", kNotUtf8).status().code() == StatusCode::kInvalidArgument);
  CHECK(credentials.AddUser(kNotUtf8, "hr").status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("regression: the CLIs refuse text that is not UTF-8 with exit 3 instead of storing it", "[regress]") {
  TempDir dir;
  const std::string db = dir.File("a.db"), server_db = dir.File("server.db");
  REQUIRE(RunCli({"--db", db, "init", "--office", "52.71.01.1004"}).exit_code == 0);
  const CliResult add = RunCli({"--db", db, "employee", "add", "--nip", TestNip(5), "--name", kNotUtf8, "--type", "pns"});
  CHECK(add.exit_code == 3);
  CHECK_THAT(add.err, Catch::Contains("UTF-8"));
  const CliResult office =
      RunServerCli({"--db", server_db, "office", "add", "--code", "52.71.01.1099", "--name", "Kantor \xFF"});
  CHECK(office.exit_code == 3);
  CHECK_THAT(office.err, Catch::Contains("UTF-8"));
  CHECK(RunServerCli({"--db", server_db, "device", "enroll", "--office", "52.71.01.1004", "--name", kNotUtf8})
            .exit_code == 3);
  CHECK(RunServerCli({"--db", server_db, "user", "add", "--name", kNotUtf8, "--role", "hr"}).exit_code == 3);
  // Nothing went in: the office list, JSON like a pull, encodes without it.
  const CliResult list = RunServerCli({"--db", server_db, "office", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find("52.71.01.1099") == std::string::npos);
}

}  // namespace latih::test
