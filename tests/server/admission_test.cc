// Load shedding (Api::Shed; sync/PROTOCOL.md §10, "A busy server"): a sync
// request that waited past --max-queue-wait for its turn is answered 503
// busy with a Retry-After before it touches the store, and the device's
// next attempt delivers everything. A real office database syncs with the
// Api in process; each request is handed over as if its body had arrived
// `age` ago, which is what the listener's queue does to it under load.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "client/lib/office_db.h"
#include "schema/migrations.h"
#include "server/core/api.h"
#include "sync/protocol_json.h"
#include "sync/session.h"
#include "sync/sqlite/sync_store.h"
#include "tests/support/sync_views.h"
#include "tests/support/test_support.h"

namespace latih::server {
namespace {

using test::Count;

constexpr char kOffice[] = "52.71.01.1004";

// The device's side of the wire: an HttpRequest to the Api, and its answer
// as the HTTP transport would map it (503: kUnavailable, retryable).
class ApiTransport final : public sync::Transport {
 public:
  ApiTransport(Api& api, std::string token) : api_(api), token_(std::move(token)) {}

  Result<sync::SyncResponse> Exchange(const sync::SyncRequest& request) override {
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/sync";
    r.headers["authorization"] = "Bearer " + token_;
    r.body = sync::EncodeRequest(request);
    r.received_at = std::chrono::steady_clock::now() - age;
    last = api_.Handle(r);
    if (last.status == 503) return Status::Unavailable(last.body);
    if (last.status != 200) return Status::Invalid(last.body);
    return sync::DecodeResponse(last.body);
  }

  std::chrono::milliseconds age{0};  // how long the request has waited for its turn
  HttpResponse last;

 private:
  Api& api_;
  std::string token_;
};

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

client::TrainingInput Training(const std::string& title) {
  client::TrainingInput t;
  t.title = title;
  t.form = "4";
  t.competency = "teknis";
  t.start_date = "2026-03-02";
  t.end_date = "2026-03-03";
  t.jp = 8;
  return t;
}

}  // namespace

TEST_CASE("a sync request that waited past --max-queue-wait is answered busy, and the next attempt delivers it",
          "[server][admission]") {
  test::TempDir dir;
  test::TestEnv env;
  sync::sqlite::Store::Options so;
  so.migrations = schema::ServerMigrations();
  so.role = sync::sqlite::Store::Role::kServer;
  so.create = true;
  auto server_store = sync::sqlite::Store::Open(dir.File("server.db"), so, env.env);
  REQUIRE_OK(server_store.status());
  sync::sqlite::Store& server = **server_store;
  const sync::Options options;
  Api api(server, env.clock, options);
  REQUIRE(kDefaultMaxQueueWaitMs == 20'000);

  auto device = test::MakeOffice(dir.File("device.db"), env.env, kOffice);
  Credentials credentials(server);
  auto enrollment = credentials.AddDevice(kOffice, "Meja 1");
  REQUIRE_OK(enrollment.status());
  auto enrolled = credentials.Enroll(*enrollment, device->store().node_id(), kOffice);
  REQUIRE_OK(enrolled.status());
  REQUIRE_OK(device->AddTraining(Training("Bimtek pelayanan prima")).status());

  ApiTransport transport(api, enrolled->token);
  sync::sqlite::SqliteSyncStore store(device->store());
  auto sync_once = [&] { return sync::SyncSession(store, transport, env.clock, options).Run(); };

  // 25 s in the queue: turned away before the store sees it.
  transport.age = std::chrono::seconds(25);
  auto busy = sync_once();
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.status().code() == StatusCode::kUnavailable);
  CHECK(transport.last.status == 503);
  CHECK_THAT(transport.last.body, Catch::Contains("\"code\":\"busy\"") && Catch::Contains("waited 25 s"));
  const std::string retry_after = HeaderOf(transport.last, "Retry-After");
  REQUIRE_FALSE(retry_after.empty());
  // Spread over [waited, 2 x waited], whole seconds.
  CHECK(std::stoll(retry_after) >= 25);
  CHECK(std::stoll(retry_after) <= 51);
  CHECK(Count(server, "SELECT count(*) FROM training") == 0);
  CHECK(Count(server, "SELECT count(*) FROM sync_audit") == 0);
  CHECK(Count(server, "SELECT count(*) FROM device_cursor") == 0);
  // Still the device's to send.
  CHECK(Count(device->store(), "SELECT count(*) FROM change_log WHERE seq > (SELECT push_watermark FROM replica)") > 0);
  CHECK_THAT(api.metrics().Render(0), Catch::Contains("latih_sync_shed_total 1\n"));

  // Its next attempt, served in time: the training arrives, once.
  transport.age = std::chrono::seconds(19);
  auto served = sync_once();
  REQUIRE_OK(served.status());
  CHECK(served->rows_pushed == 1);
  CHECK(Count(server, "SELECT count(*) FROM training") == 1);
  CHECK(Count(server, "SELECT count(*) FROM sync_audit") == 1);
  CHECK(HeaderOf(transport.last, "Retry-After").empty());

  // --max-queue-wait 0: never shed, however long the wait.
  api.set_max_queue_wait_ms(0);
  REQUIRE_OK(device->AddTraining(Training("Bimtek arsip")).status());
  transport.age = std::chrono::hours(1);
  auto unshed = sync_once();
  REQUIRE_OK(unshed.status());
  CHECK(Count(server, "SELECT count(*) FROM training") == 2);
  CHECK_THAT(api.metrics().Render(0), Catch::Contains("latih_sync_shed_total 1\n"));
}

}  // namespace latih::server
