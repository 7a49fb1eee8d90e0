// The libcurl transport against the real cpprestsdk listener over real
// sockets on 127.0.0.1 (no mocks): round trips, gzip both ways, the mapping
// of HTTP and network failures to Status codes, TLS verification.
#include "client/transport/curl_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>

#include "server/http/listener.h"
#include "sync/protocol_json.h"
#include "tests/support/http_harness.h"
#include "tests/support/test_support.h"
#include "tests/tools/fault_proxy.h"

namespace latih::client {
namespace {

using server::HttpRequest;
using server::HttpResponse;

constexpr char kToken[] = "secret-token-xyz";

// `n` rows with random ids and notes (they compress, but not to nothing).
sync::SyncRequest SampleRequest(int n) {
  std::mt19937_64 rng(42);
  sync::SyncRequest r;
  r.node = 7;
  r.office = "52.71.01.1004";
  r.push = sync::PushBatch{{7, 1, n}, {}};
  for (int i = 0; i < n; ++i) {
    const sync::Version v{116156670429167616 + i, 7};
    r.push->rows.push_back({"attendance", std::to_string(rng()),
                            {{"", int64_t{1}, v, {}}, {"note", "catatan " + std::to_string(rng()), v, {}}}});
  }
  r.pull = sync::PullRequest{0, 500, 262144};
  return r;
}

HttpResponse Error(int status, const std::string& code, const std::string& message) {
  return {status, "application/json",
          nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump(), {}, ""};
}

// A sync server over the real listener: checks the token, decodes the
// request and echoes its pushed rows as the pull batch. `reply_status` other
// than 200 makes it answer that status with an error body instead.
struct Server {
  explicit Server(int64_t max_body = 16 * 1024 * 1024, const std::string& cert_dir = "") {
    server::http::ListenerConfig config;
    config.port = 0;
    config.max_body_bytes = max_body;
    if (!cert_dir.empty()) {
      config.tls_cert_file = cert_dir + "/cert.pem";
      config.tls_key_file = cert_dir + "/key.pem";
    }
    auto started = server::http::StartListener(config, [this](const HttpRequest& r) { return Handle(r); }, logs.Sink());
    INFO(started.status().ToString());
    REQUIRE(started.ok());
    listener = std::move(started).value();
  }

  HttpResponse Handle(const HttpRequest& r) {
    ++calls;
    {
      std::lock_guard<std::mutex> lock(mu);
      seen_body_bytes = static_cast<int64_t>(r.body.size());
      seen_wire_bytes = r.wire_bytes;
    }
    if (r.Header("authorization") != std::string("Bearer ") + kToken) return Error(401, "unauthenticated", "bad token");
    switch (reply_status.load()) {
      case 200: break;
      case 401: return Error(401, "unauthenticated", "token revoked");
      case 403: return Error(403, "forbidden", "office 52.71.01.1004 is not yours");
      case 409: return Error(409, "protocol_mismatch", "protocol 1 is not spoken here");
      case 422: return Error(422, "invalid", "push.rows[0]: bad NIP");
      case 500: throw std::runtime_error("database is on fire");
      case 502: return {502, "text/html", "<html>Bad Gateway " + std::string(500, '.') + "</html>", {}, ""};
      case 999: return {200, "application/json", "{\"time\": \"yesterday\"}", {}, ""};
      default: {  // a busy server asks to be left alone for a while
        HttpResponse e = Error(reply_status, "unavailable", "try later");
        e.headers.emplace_back("Retry-After", reply_status == 504 ? "not-a-number" : "17");
        return e;
      }
    }
    if (r.path == "/v1/enroll") return {200, "application/json", "{\"enrolled\":" + r.body + "}", {}, ""};
    auto request = sync::DecodeRequest(r.body);
    if (!request.ok()) return Error(400, "bad_request", request.status().message());
    sync::SyncResponse resp;
    resp.server_time_ms = 1772409600999;
    resp.pull = sync::PullBatch{request->push ? request->push->rows : std::vector<sync::RowChange>{}, 99, false, false};
    return {200, "application/json", sync::EncodeResponse(resp), {}, "push_rows=" + std::to_string(resp.pull->rows.size())};
  }

  HttpOptions Options() const {
    HttpOptions o;
    o.server_url = listener->url();
    o.token = kToken;
    o.connect_timeout_ms = 20000;  // the default: a TLS handshake under ASan on a busy machine takes seconds
    o.low_speed_time_s = 10;
    return o;
  }

  std::atomic<int> calls{0};
  std::atomic<int> reply_status{200};
  std::mutex mu;
  int64_t seen_body_bytes = 0, seen_wire_bytes = 0;
  test::LogCollector logs;
  std::unique_ptr<server::http::Listener> listener;  // last: stopped first
};

TEST_CASE("an exchange goes over real HTTP, gzip'd both ways", "[client][transport]") {
  Server server;
  CurlTransport transport(server.Options());
  std::atomic<int> progress_calls{0};
  transport.set_progress([&](int64_t, int64_t, int64_t, int64_t) { ++progress_calls; });
  const sync::SyncRequest request = SampleRequest(300);
  auto resp = transport.Exchange(request);
  REQUIRE_OK(resp.status());
  CHECK(resp->server_time_ms == 1772409600999);
  REQUIRE(resp->pull);
  REQUIRE(resp->pull->rows.size() == 300);
  CHECK(resp->pull->rows[299].id == request.push->rows[299].id);
  CHECK(resp->pull->rows[299].cells[1].value == request.push->rows[299].cells[1].value);
  const WireStats& s = transport.stats();
  CHECK(s.requests == 1);
  CHECK(s.raw_bytes_up == static_cast<int64_t>(sync::EncodeRequest(request).size()));
  CHECK(s.bytes_up < s.raw_bytes_up / 2);
  CHECK(s.bytes_down < s.raw_bytes_down / 2);
  CHECK(server.seen_body_bytes == s.raw_bytes_up);  // the handler saw it inflated
  CHECK(server.seen_wire_bytes == s.bytes_up);
  CHECK(progress_calls > 0);
  const int64_t first_up = s.bytes_up;
  // A second round trip on the same transport (and connection).
  REQUIRE_OK(transport.Exchange(SampleRequest(1)).status());
  CHECK(transport.stats().requests == 2);
  auto pj = transport.PostJson("/v1/enroll", "{\"node\":7}");
  REQUIRE_OK(pj.status());
  CHECK(*pj == "{\"enrolled\":{\"node\":7}}");
  server.listener->Stop();  // waits for the log lines, written after each reply
  CHECK_THAT(server.logs.Find("push_rows=300"), Catch::Contains("method=POST path=/v1/sync status=200 in=" +
                                                                std::to_string(first_up) + " "));
}

TEST_CASE("HTTP errors map to Status codes with the server's message", "[client][transport]") {
  Server server;
  CurlTransport transport(server.Options());
  auto code_of = [&](int status) {
    server.reply_status = status;
    auto r = transport.Exchange(SampleRequest(2));
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), !Catch::Contains(kToken));
    return r.status();
  };
  Status s = code_of(401);
  CHECK(s.code() == StatusCode::kUnauthenticated);
  CHECK(s.message() == "server: token revoked (HTTP 401)");
  CHECK(code_of(403).code() == StatusCode::kPermissionDenied);
  s = code_of(409);
  CHECK(s.code() == StatusCode::kProtocolMismatch);
  CHECK(s.message() == "server: protocol 1 is not spoken here (HTTP 409)");
  CHECK(code_of(422).code() == StatusCode::kInvalidArgument);
  for (int status : {429, 503, 504}) {
    CHECK(code_of(status).code() == StatusCode::kUnavailable);
    // Retry-After in seconds, kept for the caller's next attempt; an
    // unreadable one counts as none.
    CHECK(transport.retry_after_s() == (status == 504 ? 0 : 17));
  }
  server.reply_status = 200;
  REQUIRE_OK(transport.Exchange(SampleRequest(1)).status());
  CHECK(transport.retry_after_s() == 0);  // only the last answer's
  s = code_of(500);  // the handler threw
  CHECK(s.code() == StatusCode::kUnavailable);
  CHECK_THAT(s.message(), Catch::EndsWith("(HTTP 500)") && !Catch::Contains("fire"));
  s = code_of(502);  // not our format: an excerpt of the body
  CHECK(s.code() == StatusCode::kUnavailable);
  CHECK_THAT(s.message(), Catch::StartsWith("server: <html>Bad Gateway"));
  CHECK(s.message().size() < 240);
  s = code_of(999);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Catch::StartsWith("server sent an unreadable response: "));
  server.listener->Stop();
  for (const std::string& line : server.logs.Lines()) CHECK_THAT(line, !Catch::Contains(kToken));
  CHECK(server.logs.Lines().size() == 11);
}

TEST_CASE("a wrong token is kUnauthenticated", "[client][transport]") {
  Server server;
  HttpOptions options = server.Options();
  options.token = "wrong-token-abc";
  CurlTransport transport(options);
  auto r = transport.Exchange(SampleRequest(1));
  CHECK(r.status().code() == StatusCode::kUnauthenticated);
  CHECK(r.status().message() == "server: bad token (HTTP 401)");
}

TEST_CASE("bodies beyond the server's limit are refused before the handler", "[client][transport]") {
  Server server(64 * 1024);
  CurlTransport transport(server.Options());
  SECTION("a Content-Length beyond the limit") {
    auto r = transport.Exchange(SampleRequest(8000));
    REQUIRE(transport.stats().bytes_up > 64 * 1024);
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains("exceeds the limit of 65536") && Catch::EndsWith("(HTTP 413)"));
  }
  SECTION("a gzip bomb") {
    auto r = transport.PostJson("/v1/sync", std::string(50 * 1024 * 1024, '\0'));
    REQUIRE(transport.stats().bytes_up < 64 * 1024);
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains("inflates beyond the limit") && Catch::EndsWith("(HTTP 413)"));
  }
  CHECK(server.calls == 0);
}

TEST_CASE("an unreachable server is kUnavailable", "[client][transport]") {
  std::string url;
  {
    Server gone;
    url = gone.listener->url();
  }  // stopped: the port is closed now
  HttpOptions options;
  options.server_url = url;
  options.token = kToken;
  CurlTransport transport(options);
  auto r = transport.Exchange(SampleRequest(1));
  CHECK(r.status().code() == StatusCode::kUnavailable);
  CHECK(r.status().IsRetryable());
  CHECK_THAT(r.status().message(), Catch::StartsWith("cannot reach " + url + "/v1/sync: "));
}

TEST_CASE("a server that never answers is abandoned as kUnavailable", "[client][transport]") {
  // A socket that listens but never accepts: the kernel completes the TCP
  // handshake and buffers the request; no byte ever comes back.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
  REQUIRE(listen(fd, 4) == 0);
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  HttpOptions options;
  options.server_url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  options.token = kToken;
  // curl averages the speed over the last ~5 s, upload included: a limit
  // above what the request itself sent makes the stall count from the
  // start, so it is abandoned after 1 s rather than ~6 s.
  options.low_speed_bytes = 100'000;
  options.low_speed_time_s = 1;
  CurlTransport transport(options);
  auto r = transport.Exchange(SampleRequest(1));
  close(fd);
  CHECK(r.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(r.status().message(), Catch::StartsWith("cannot reach " + options.server_url + "/v1/sync: "));
}

TEST_CASE("a server that stops answering mid-response is abandoned, and the message says the transfer stalled",
          "[client][transport]") {
  // Regression (bad_link_test scenario 3): the stall was reported only as
  // curl's "Operation too slow", and only after 60 s, with no way to say less.
  Server server;
  test::FaultProxy::Options po;
  po.target_port = std::stoi(server.listener->url().substr(server.listener->url().rfind(':') + 1));
  auto proxy = test::FaultProxy::Start(po);
  REQUIRE_OK(proxy.status());
  HttpOptions options = server.Options();
  options.server_url = (*proxy)->url();
  options.low_speed_time_s = 1;
  CurlTransport transport(options);
  // The second round trip of a session, on the kept-alive connection.
  REQUIRE_OK(transport.Exchange(SampleRequest(10)).status());
  const int64_t down = (*proxy)->stats().bytes_down;
  (*proxy)->StallAfter(300);  // inside the answer: its headers and a little of the body
  auto r = transport.Exchange(SampleRequest(2000));
  CHECK((*proxy)->stalled());
  CHECK((*proxy)->stats().bytes_down == down + 300);
  CHECK((*proxy)->stats().connections == 1);
  CHECK(r.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(r.status().message(),
             Catch::StartsWith("cannot reach " + options.server_url + "/v1/sync: the transfer stalled"));
  // The link comes back: the next exchange goes through.
  (*proxy)->SetStalled(false);
  REQUIRE_OK(transport.Exchange(SampleRequest(2000)).status());
}

TEST_CASE("HTTPS is verified against --cacert and refused without it", "[client][transport][tls]") {
  test::TempDir dir;
  REQUIRE(test::MakeSelfSignedCert(dir.path()));
  Server server(16 * 1024 * 1024, dir.path());
  REQUIRE_THAT(server.listener->url(), Catch::StartsWith("https://127.0.0.1:"));
  HttpOptions options = server.Options();
  {
    CurlTransport unverified(options);
    auto r = unverified.Exchange(SampleRequest(1));
    CHECK(r.status().code() == StatusCode::kUnauthenticated);
    CHECK_THAT(r.status().message(), Catch::Contains("--cacert") && !Catch::Contains(kToken));
  }
  options.cacert_file = dir.File("cert.pem");
  CurlTransport verified(options);
  auto r = verified.Exchange(SampleRequest(50));
  REQUIRE_OK(r.status());
  CHECK(r->pull->rows.size() == 50);
  CHECK(server.calls == 1);
}

}  // namespace
}  // namespace latih::client
