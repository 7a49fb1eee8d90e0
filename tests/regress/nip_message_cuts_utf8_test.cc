// Regression (found by the hostile request suite's SQL-injection strings):
// a NIP refused for a non-digit quoted that character as one byte, so "Ñ"
// became a lone 0xC3 and the refusal's reason was not UTF-8. The server's
// answer to the push could then not be encoded (nlohmann's type_error 316):
// HTTP 500 for the whole batch, again at every retry, so the device's sync
// stalled behind one mistyped NIP. The message now quotes whole characters.
#include <catch2/catch.hpp>

#include "schema/migrations.h"
#include "sync/domain/ids.h"
#include "sync/domain/nip.h"
#include "sync/hlc.h"
#include "sync/protocol_json.h"
#include "sync/sqlite/sync_store.h"
#include "sync/utf8.h"
#include "tests/support/test_support.h"

namespace latih::test {

TEST_CASE("regression: a NIP with a non-ASCII character is refused quoting the whole character, so the answer "
          "encodes", "[regress]") {
  const std::string nip = "19780412 \xC3\x91 200312 1 004";  // "Ñ" typed in the middle
  auto parsed = domain::ParseNip(nip);
  REQUIRE(parsed.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(parsed.status().message(), Catch::Contains("character '\xC3\x91' is not a digit"));
  REQUIRE_OK(sync::CheckUtf8(parsed.status().message(), "the message"));

  // The same NIP pushed to a server: one row refused, the answer encodes.
  TempDir dir;
  TestEnv env;
  sync::sqlite::Store::Options o;
  o.migrations = schema::ServerMigrations();
  o.create = true;
  o.role = sync::sqlite::Store::Role::kServer;
  auto store = sync::sqlite::Store::Open(dir.File("server.db"), o, env.env);
  REQUIRE_OK(store.status());
  const sync::Options options;
  sync::sqlite::SyncServer server(**store, env.clock, options);
  const sync::Version v{sync::HlcPack(env.clock.NowUnixMs(), 0), 7};
  sync::SyncRequest push;
  push.schema = sync::kWireSchemaVersion;
  push.node = 7;
  push.push = sync::PushBatch{
      {7, 1, 1},
      {sync::RowChange{"employee", domain::NaturalId("employee", {nip}),
                       {{"", int64_t{1}, v, {}}, {"nip", nip, v, {}}, {"name", std::string("Zaini"), v, {}},
                        {"office_id", std::string("52.71.01.1004"), v, {}},
                        {"employment_type", std::string("pns"), v, {}}}}}};
  auto answer = server.Handle(push);
  REQUIRE_OK(answer.status());
  REQUIRE(answer->push->refused.size() == 1);
  std::string wire;
  REQUIRE_NOTHROW(wire = sync::EncodeResponse(*answer));
  auto back = sync::DecodeResponse(wire);
  REQUIRE_OK(back.status());
  CHECK_THAT(back->push->refused[0].reason, Catch::Contains("'\xC3\x91'"));
}

}  // namespace latih::test
