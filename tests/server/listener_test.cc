// The cpprestsdk listener over real sockets on 127.0.0.1, driven by a raw
// HTTP client (tests/support/http_harness.h) so that requests the real
// transport never sends (corrupt gzip, chunked, lying lengths) are covered.
#include "server/http/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <catch2/catch.hpp>
#include <mutex>
#include <nlohmann/json.hpp>

#include "sync/gzip.h"
#include "tests/support/http_harness.h"
#include "tests/support/test_support.h"

namespace latih::server::http {
namespace {

using test::RawHttp;
using test::RequestBytes;

// A listener on a free port whose handler records what it saw.
struct Fixture {
  explicit Fixture(int64_t max_body = 16 * 1024 * 1024, Handler h = nullptr) {
    ListenerConfig config;
    config.port = 0;
    config.max_body_bytes = max_body;
    if (!h) h = [](const HttpRequest&) { return HttpResponse{200, "application/json", "{\"ok\":true}", {}, ""}; };
    auto started = StartListener(
        config,
        [this, h](const HttpRequest& r) {
          ++calls;
          std::lock_guard<std::mutex> lock(mu);
          seen = r;
          return h(r);
        },
        logs.Sink());
    INFO(started.status().ToString());
    REQUIRE(started.ok());
    listener = std::move(started).value();
  }
  HttpRequest Seen() {
    std::lock_guard<std::mutex> lock(mu);
    return seen;
  }
  std::atomic<int> calls{0};
  std::mutex mu;
  HttpRequest seen;
  test::LogCollector logs;
  std::unique_ptr<Listener> listener;  // last: stopped before the rest goes
};

std::string ErrorCode(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

TEST_CASE("a request reaches the handler translated, and the answer comes back", "[server][listener]") {
  Fixture f(16 * 1024 * 1024, [](const HttpRequest& r) {
    HttpResponse resp{201, "text/plain", "hello " + r.body, {{"X-Reply", "yes"}}, "device=7"};
    return resp;
  });
  CHECK(f.listener->port() > 0);
  CHECK(f.listener->url() == "http://127.0.0.1:" + std::to_string(f.listener->port()));
  auto resp = RawHttp(f.listener->port(),
                      RequestBytes("PUT", "/v1/things?a=1&b=%20x", {{"X-Custom-Header", "Value"}}, "world"));
  CHECK(resp.status == 201);
  CHECK(resp.body == "hello world");
  CHECK(resp.headers["x-reply"] == "yes");
  CHECK(resp.headers["content-type"] == "text/plain");
  const HttpRequest seen = f.Seen();
  CHECK(seen.method == "PUT");
  CHECK(seen.path == "/v1/things");
  CHECK(seen.query == "a=1&b=%20x");
  CHECK(seen.Header("x-custom-header") == "Value");
  CHECK(seen.remote == "127.0.0.1");
  CHECK(seen.wire_bytes == 5);
  f.listener->Stop();  // waits for the log line, written after the reply
  const auto lines = f.logs.Lines();
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::StartsWith("ts=20") && Catch::Contains(" method=PUT path=/v1/things status=201 in=5 ") &&
                           Catch::Contains(" remote=127.0.0.1 device=7") && Catch::Contains(" ms="));
}

TEST_CASE("binary bodies pass through untouched both ways", "[server][listener]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  Fixture f(1 << 20, [](const HttpRequest& r) { return HttpResponse{200, "application/octet-stream", r.body, {}, ""}; });
  auto resp = RawHttp(f.listener->port(), RequestBytes("POST", "/echo", {}, bytes));
  CHECK(resp.status == 200);
  CHECK(resp.body == bytes);
  CHECK(f.Seen().body == bytes);
}

TEST_CASE("a gzip'd request is inflated for the handler", "[server][listener]") {
  Fixture f;
  const std::string json = "{\"rows\":[" + std::string(5000, ' ') + "]}";
  const std::string gz = sync::GzipCompress(json);
  auto resp = RawHttp(f.listener->port(), RequestBytes("POST", "/v1/sync", {{"Content-Encoding", "gzip"}}, gz));
  CHECK(resp.status == 200);
  CHECK(f.Seen().body == json);
  CHECK(f.Seen().wire_bytes == static_cast<int64_t>(gz.size()));
}

TEST_CASE("oversize, bomb, chunked and corrupt bodies never reach the handler", "[server][listener]") {
  Fixture f(1024 * 1024);
  const int port = f.listener->port();
  SECTION("a Content-Length beyond the limit is 413") {
    auto resp = RawHttp(port, RequestBytes("POST", "/v1/sync", {}, std::string(1024 * 1024 + 1, 'x')));
    CHECK(resp.status == 413);
    CHECK(ErrorCode(resp.body) == "too_large");
    CHECK_THAT(resp.body, Catch::Contains("request body of 1048577 bytes exceeds the limit of 1048576"));
  }
  SECTION("a chunked body beyond the limit is 413") {
    auto resp = RawHttp(port, RequestBytes("POST", "/v1/sync", {}, std::string(1024 * 1024 + 10, 'x'), true));
    CHECK(resp.status == 413);
    CHECK(ErrorCode(resp.body) == "too_large");
  }
  SECTION("a gzip bomb is 413") {
    const std::string bomb = sync::GzipCompress(std::string(50 * 1024 * 1024, '\0'), 9);
    auto resp = RawHttp(port, RequestBytes("POST", "/v1/sync", {{"Content-Encoding", "gzip"}}, bomb));
    CHECK(resp.status == 413);
    CHECK(ErrorCode(resp.body) == "too_large");
  }
  SECTION("corrupt gzip is 400") {
    std::string gz = sync::GzipCompress(std::string(4000, 'a'));
    gz.resize(gz.size() / 2);
    auto resp = RawHttp(port, RequestBytes("POST", "/v1/sync", {{"Content-Encoding", "gzip"}}, gz));
    CHECK(resp.status == 400);
    CHECK(ErrorCode(resp.body) == "bad_request");
  }
  SECTION("an unknown Content-Encoding is 400") {
    auto resp = RawHttp(port, RequestBytes("POST", "/v1/sync", {{"Content-Encoding", "br"}}, "xx"));
    CHECK(resp.status == 400);
  }
  CHECK(f.calls == 0);
  f.listener->Stop();
  const auto lines = f.logs.Lines();
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::Contains("method=POST path=/v1/sync status=4"));
}

TEST_CASE("a handler that throws gets a 500 in the error format", "[server][listener]") {
  Fixture f(1 << 20, [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
  auto resp = RawHttp(f.listener->port(), RequestBytes("GET", "/x", {}, ""));
  CHECK(resp.status == 500);
  CHECK(ErrorCode(resp.body) == "internal");
  // The listener survives it.
  CHECK(RawHttp(f.listener->port(), RequestBytes("GET", "/x", {}, "")).status == 500);
  f.listener->Stop();
  CHECK_THAT(f.logs.Lines().at(0), Catch::Contains("status=500") && Catch::Contains("error=boom"));
}

TEST_CASE("answers of 1 KiB or more are gzip'd for clients that accept it", "[server][listener]") {
  Fixture f(1 << 20, [](const HttpRequest& r) {
    return HttpResponse{200, "application/json", std::string(r.path == "/big" ? 5000 : 1023, 'z'), {}, ""};
  });
  const int port = f.listener->port();
  auto big = RawHttp(port, RequestBytes("GET", "/big", {{"Accept-Encoding", "deflate, gzip"}}, ""));
  CHECK(big.headers["content-encoding"] == "gzip");
  CHECK(big.headers["vary"] == "Accept-Encoding");
  CHECK(big.headers["content-type"] == "application/json");
  auto inflated = sync::GzipDecompress(big.body, 1 << 20);
  REQUIRE(inflated.ok());
  CHECK(*inflated == std::string(5000, 'z'));
  auto small = RawHttp(port, RequestBytes("GET", "/small", {{"Accept-Encoding", "gzip"}}, ""));
  CHECK(small.headers.count("content-encoding") == 0);
  CHECK(small.body.size() == 1023);
  auto plain = RawHttp(port, RequestBytes("GET", "/big", {}, ""));
  CHECK(plain.headers.count("content-encoding") == 0);
  CHECK(plain.body.size() == 5000);
  f.listener->Stop();
  CHECK_THAT(f.logs.Find("path=/big"), Catch::Contains(" out=" + std::to_string(big.body.size()) + " "));
}

TEST_CASE("two port-0 listeners in one process both work", "[server][listener]") {
  Fixture a, b;
  CHECK(a.listener->port() != b.listener->port());
  CHECK(RawHttp(a.listener->port(), RequestBytes("GET", "/a", {}, "")).status == 200);
  CHECK(RawHttp(b.listener->port(), RequestBytes("GET", "/b", {}, "")).status == 200);
  a.listener->Stop();
  CHECK(RawHttp(b.listener->port(), RequestBytes("GET", "/b", {}, "")).status == 200);
  CHECK(a.calls == 1);
  CHECK(b.calls == 2);
}

TEST_CASE("a child process does not inherit the listening socket", "[server][listener]") {
  Fixture f;
  test::TempDir dir;
  // cpprestsdk leaves its listening socket inheritable; the listener fixes it.
  REQUIRE(std::system(("ls -l /proc/self/fd/ > " + dir.File("fds.txt")).c_str()) == 0);
  std::ifstream in(dir.File("fds.txt"));
  const std::string fds((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  INFO(fds);
  CHECK(fds.find("socket:") == std::string::npos);
}

TEST_CASE("Stop closes the port and is idempotent", "[server][listener]") {
  Fixture f;
  const int port = f.listener->port();
  f.listener->Stop();
  f.listener->Stop();
  CHECK(RawHttp(port, RequestBytes("GET", "/", {}, "")).status == 0);
}

TEST_CASE("Stop does not wait for a body that never ends", "[server][listener]") {
  Fixture f;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(f.listener->port()));
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string partial = RequestBytes("POST", "/slow", {{"Content-Length", "100000"}}, "only this much");
  REQUIRE(send(fd, partial.data(), partial.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(partial.size()));
  // A whole request on another connection: by its answer the first one is
  // (most likely) parked in flight, waiting for its body.
  CHECK(RawHttp(f.listener->port(), RequestBytes("GET", "/", {}, "")).status == 200);
  f.listener->Stop();  // must cut the parked request, not wait for it
  close(fd);
  CHECK(f.calls == 1);
}

TEST_CASE("a port in use and unreadable TLS files are refused clearly", "[server][listener]") {
  auto ok = [](const HttpRequest&) { return HttpResponse{}; };
  SECTION("a port held by another socket") {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    REQUIRE(listen(fd, 1) == 0);
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    ListenerConfig config;
    config.port = ntohs(addr.sin_port);
    auto r = StartListener(config, ok, nullptr);
    close(fd);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(r.status().message() == "cannot listen on 127.0.0.1:" + std::to_string(config.port) + ": address in use");
  }
  SECTION("a port held by one of our listeners") {
    Fixture f;
    ListenerConfig config;
    config.port = f.listener->port();
    auto r = StartListener(config, ok, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::EndsWith("address in use"));
    CHECK(RawHttp(f.listener->port(), RequestBytes("GET", "/", {}, "")).status == 200);  // unharmed
  }
  SECTION("TLS files") {
    test::TempDir dir;
    ListenerConfig config;
    config.port = 0;
    config.tls_cert_file = dir.File("missing-cert.pem");
    config.tls_key_file = dir.File("key.pem");
    auto r = StartListener(config, ok, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains(config.tls_cert_file));
    test::WriteFile(config.tls_cert_file, "not a certificate\n");
    test::WriteFile(config.tls_key_file, "not a key\n");
    r = StartListener(config, ok, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("cannot load the TLS certificate"));
  }
}

}  // namespace
}  // namespace latih::server::http
