// Regression (found by tests/fuzz/fuzz_rows): the change log is keyed by row
// id alone, and merging a peer's row read the versions under its id whatever
// table they belonged to. A pushed training row carrying the id of a session
// took the session's change-log entry over: the session's versions were
// lost and every pull reaching that entry failed ("change log entry ... is
// unreadable", HTTP 500 for every device). Such a row is now refused, one by
// one like any row that breaks a rule.
#include <catch2/catch.hpp>

#include "schema/migrations.h"
#include "sync/hlc.h"
#include "sync/sqlite/sync_store.h"
#include "tests/support/test_support.h"

namespace latih::test {

TEST_CASE("regression: a pushed row whose id is another table's row is refused, not merged into that row's versions",
          "[regress]") {
  TempDir dir;
  TestEnv env;
  sync::sqlite::Store::Options o;
  o.migrations = schema::ServerMigrations();
  o.create = true;
  o.role = sync::sqlite::Store::Role::kServer;
  auto opened = sync::sqlite::Store::Open(dir.File("server.db"), o, env.env);
  REQUIRE_OK(opened.status());
  sync::sqlite::Store& store = **opened;
  const std::string training = "01900000-0000-7000-8000-000000000001";
  const std::string session = "01900000-0000-7000-8000-000000000003";
  {
    auto b = store.BeginWrite();
    REQUIRE_OK(b.status());
    const std::vector<sync::ColumnValue> t = {
        {"office_id", std::string("52.71.01.1004")}, {"title", std::string("Workshop")}, {"form", int64_t{4}},
        {"route", std::string("klasikal")}, {"competency", std::string("teknis")}, {"jp", 8.0},
        {"minutes", int64_t{360}}, {"start_date", std::string("2026-03-02")}, {"end_date", std::string("2026-03-02")}};
    REQUIRE_OK((*b)->Put("training", training, t).status());
    const std::vector<sync::ColumnValue> s = {{"training_id", training}, {"date", std::string("2026-03-02")}};
    REQUIRE_OK((*b)->Put("session", session, s).status());
    REQUIRE_OK((*b)->Commit());
  }
  // The session's data and its change-log entry, as they must stay.
  auto session_state = [&] {
    auto q = store.db().PrepareOwned("SELECT tbl || ' ' || seq || ' ' || hex(cells) FROM change_log WHERE row_id = ?1");
    REQUIRE_OK(q.status());
    (*q)->Bind(1, session);
    auto row = (*q)->Step();
    REQUIRE_OK(row.status());
    REQUIRE(*row);
    return DumpTables(store) + (*q)->ColumnText(0);
  };
  const std::string before = session_state();
  // What the fuzzer sent, from central HR (no office guard).
  const sync::Options options;
  sync::sqlite::SyncServer server(store, env.clock, options);
  sync::SyncRequest push;
  push.schema = sync::kWireSchemaVersion;
  push.node = 7;
  const sync::Version v{sync::HlcPack(env.clock.NowUnixMs(), 0), 7};
  push.push = sync::PushBatch{{7, 1, 1}, {sync::RowChange{"training", session, {{"title", std::string("Diubah"), v, {}}}}}};
  auto answer = server.Handle(push);
  REQUIRE_OK(answer.status());
  REQUIRE(answer->push->refused.size() == 1);
  CHECK(answer->push->refused[0].code == "invalid");
  CHECK_THAT(answer->push->refused[0].reason, Catch::Contains("belongs to a row of session"));
  CHECK(session_state() == before);
  // The session still goes out whole in a pull.
  sync::SyncRequest pull;
  pull.schema = sync::kWireSchemaVersion;
  pull.node = 8;
  pull.pull = sync::PullRequest{0, 100, 1 << 20};
  auto pulled = server.Handle(pull);
  REQUIRE_OK(pulled.status());
  bool found = false;
  for (const auto& row : pulled->pull->rows) found |= row.table == "session" && row.id == session;
  CHECK(found);
}

}  // namespace latih::test
