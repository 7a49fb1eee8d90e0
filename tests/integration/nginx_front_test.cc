// The nginx front of latih-server (server/deploy/nginx/), run for real: a
// NginxFixture built from the shipped files proxies to a tiny in-test
// upstream, and libcurl sends requests through it. Checks the body cap (413
// before the body reaches the server), pass-through of small and gzip'd
// bodies, TLS termination and nginx's own JSON error pages.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/nginx_fixture.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace latih::test {
namespace {

constexpr int64_t kMiB = 1024 * 1024;
constexpr const char* kToken = "Bearer dev7-secret-token-for-the-log-check";

// One request as the upstream received it.
struct Received {
  std::string request_line;                    // "POST /v1/sync HTTP/1.1"
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  // The header's value, or "" when absent. `name` in lower case.
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A minimal HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel), one
// connection at a time, in accept order, on its own thread: reads the
// headers (and counts the request then, even if its body never comes) and
// Content-Length body bytes, answers 200 {"ok":true} with Connection: close
// and closes (nginx then opens a new upstream connection for the next
// request). Thread-safe accessors.
class TestUpstream {
 public:
  TestUpstream() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(listen_fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(listen_fd_, 16) == 0);
    REQUIRE(getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    REQUIRE(pipe2(wake_, O_CLOEXEC) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TestUpstream() {
    (void)!write(wake_[1], "x", 1);
    thread_.join();
    close(listen_fd_);
    close(wake_[0]);
    close(wake_[1]);
  }
  TestUpstream(const TestUpstream&) = delete;
  TestUpstream& operator=(const TestUpstream&) = delete;

  int port() const { return port_; }
  // Requests whose headers reached this server.
  int requests() const { return requests_.load(); }
  // The last request received whole; set before its reply is sent.
  Received last() const {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

 private:
  void Serve() {
    for (;;) {
      pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
      if (fds[1].revents) return;
      if (!(fds[0].revents & POLLIN)) continue;
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      timeval tv{10, 0};  // a stuck peer cannot hang the test
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      Handle(fd);
      close(fd);
    }
  }

  void Handle(int fd) {
    std::string data;
    char buf[65536];
    size_t end;
    while ((end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      data.append(buf, static_cast<size_t>(n));
    }
    Received r;
    std::istringstream head(data.substr(0, end));
    std::string line;
    std::getline(head, r.request_line);
    if (!r.request_line.empty() && r.request_line.back() == '\r') r.request_line.pop_back();
    while (std::getline(head, line)) {
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon), value = line.substr(colon + 1);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      value.erase(0, value.find_first_not_of(' '));
      if (!value.empty() && value.back() == '\r') value.pop_back();
      r.headers[name] = value;
    }
    ++requests_;
    const size_t want = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    r.body = data.substr(end + 4);
    while (r.body.size() < want) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      r.body.append(buf, static_cast<size_t>(n));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_ = std::move(r);
    }
    const std::string reply =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
        "Connection: close\r\n\r\n{\"ok\":true}";
    (void)!send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
  }

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  Received last_;
  std::thread thread_;
};

struct Reply {
  CURLcode code = CURLE_OK;
  std::string error;
  long status = 0;
  std::string body;
  std::string headers;  // raw response header lines
  std::string content_type;
};

struct Request {
  std::string url;
  std::string body;
  bool chunked = false;     // Transfer-Encoding: chunked instead of Content-Length
  bool expect_100 = false;  // latih's client sends "Expect:" (none)
  std::string cainfo{};
  std::vector<std::string> headers{};
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct ChunkSource {
  const std::string* body;
  size_t at = 0;
};

size_t ReadChunk(char* buf, size_t size, size_t n, void* arg) {
  auto* src = static_cast<ChunkSource*>(arg);
  const size_t len = std::min(size * n, src->body->size() - src->at);
  std::copy_n(src->body->data() + src->at, len, buf);
  src->at += len;
  return len;
}

// POSTs `req` with libcurl (no retries, 60 s overall timeout).
Reply Post(const Request& req) {
  static const bool global_init = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  REQUIRE(global_init);
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  REQUIRE(curl);
  CURL* h = curl.get();
  Reply reply;
  char error[CURL_ERROR_SIZE] = {};
  ChunkSource source{&req.body};
  std::vector<std::string> lines = req.headers;
  lines.push_back("Content-Type: application/json");
  lines.push_back("Authorization: " + std::string(kToken));
  lines.push_back(req.expect_100 ? "Expect: 100-continue" : "Expect:");
  if (req.chunked) lines.push_back("Transfer-Encoding: chunked");
  curl_slist* list = nullptr;
  for (const auto& l : lines) list = curl_slist_append(list, l.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> list_owner(list, &curl_slist_free_all);
  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  if (req.chunked) {
    curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadChunk);
    curl_easy_setopt(h, CURLOPT_READDATA, &source);
  } else {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  if (!req.cainfo.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, req.cainfo.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, Collect);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &reply.headers);
  reply.code = curl_easy_perform(h);
  reply.error = error;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  char* type = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) reply.content_type = type;
  return reply;
}

// The error code of a body in the project's format
// {"error":{"code":"...","message":"..."}}, with a non-empty message.
std::string ErrorCode(const Reply& reply) {
  INFO("response body: " << reply.body);
  auto doc = nlohmann::json::parse(reply.body, nullptr, false);
  REQUIRE(doc.is_object());
  REQUIRE(doc["error"]["message"].is_string());
  CHECK_FALSE(doc["error"]["message"].get<std::string>().empty());
  REQUIRE(doc["error"]["code"].is_string());
  return doc["error"]["code"].get<std::string>();
}

// Runs `argv` (PATH lookup) and REQUIREs exit code 0, showing its output.
void RunTool(const std::vector<std::string>& argv, const std::string& out_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> copy = argv;
  std::vector<char*> args;
  for (auto& a : copy) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::ifstream out(out_path);
  INFO(argv[0] << " output:\n" << std::string(std::istreambuf_iterator<char>(out), {}));
  REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
}

}  // namespace

TEST_CASE("nginx passes a small POST to the server unchanged, with the forwarding headers", "[nginx][integration]") {
  TestUpstream upstream;
  NginxFixture nginx(upstream.port());
  // A gzip'd body is passed byte for byte: the server inflates it itself.
  const std::string body("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\x56\x00\x00\xff\xfe", 16);

  Reply reply = Post({.url = nginx.url() + "/v1/sync", .body = body, .headers = {"Content-Encoding: gzip"}});

  INFO(reply.error << "\n" << nginx.error_log_text());
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(reply.body == "{\"ok\":true}");
  REQUIRE(upstream.requests() == 1);
  const Received got = upstream.last();
  CHECK(got.request_line == "POST /v1/sync HTTP/1.1");  // upstream keepalive needs 1.1
  CHECK(got.body == body);
  CHECK(got.Header("content-encoding") == "gzip");
  CHECK(got.Header("content-length") == "16");
  CHECK(got.Header("x-forwarded-for") == "127.0.0.1");
  CHECK(got.Header("x-real-ip") == "127.0.0.1");
  CHECK(got.Header("x-forwarded-proto") == "http");
  CHECK(got.Header("authorization") == kToken);
  CHECK(got.headers.count("connection") == 0);  // upstream keepalive: no "Connection: close"
  // The access log (default combined format) holds neither the token nor the body.
  nginx.Stop();  // the line is written after the response
  const std::string log = nginx.access_log_text();
  CHECK(log.find("POST /v1/sync") != std::string::npos);
  CHECK(log.find("secret-token") == std::string::npos);
}

TEST_CASE("nginx reads a chunked upload whole and hands the server a Content-Length", "[nginx][integration]") {
  TestUpstream upstream;
  NginxFixture nginx(upstream.port());
  const std::string body(300 * 1024, 'c');  // beyond client_body_buffer_size: spills to a temp file

  Reply reply = Post({.url = nginx.url() + "/v1/sync", .body = body, .chunked = true});

  INFO(reply.error << "\n" << nginx.error_log_text());
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  REQUIRE(upstream.requests() == 1);
  const Received got = upstream.last();
  // proxy_request_buffering on: the body was complete before the server was
  // contacted, so nginx knows its length (unbuffered, it would stream chunks).
  CHECK(got.Header("content-length") == std::to_string(body.size()));
  CHECK(got.Header("transfer-encoding").empty());
  CHECK(got.body == body);
}

TEST_CASE("nginx passes a body of exactly 16 MiB, the server's own limit", "[nginx][integration]") {
  TestUpstream upstream;
  NginxFixture nginx(upstream.port());
  const std::string body(static_cast<size_t>(16 * kMiB), 'x');

  Reply reply = Post({.url = nginx.url() + "/v1/sync", .body = body});

  INFO(reply.error << "\n" << nginx.error_log_text());
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  REQUIRE(upstream.requests() == 1);
  CHECK(upstream.last().body.size() == body.size());
}

TEST_CASE("nginx refuses a 17 MiB body with a JSON 413 and the server never sees it", "[nginx][integration]") {
  TestUpstream upstream;
  NginxFixture nginx(upstream.port());
  Request req{.url = nginx.url() + "/v1/sync", .body = std::string(static_cast<size_t>(17 * kMiB), 'x')};
  SECTION("Content-Length, no Expect (as latih's client sends)") {}
  SECTION("Content-Length with Expect: 100-continue") { req.expect_100 = true; }
  SECTION("chunked, no length announced") { req.chunked = true; }

  Reply reply = Post(req);

  INFO(reply.error << "\n" << nginx.error_log_text());
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 413);
  CHECK(reply.content_type == "application/json");
  CHECK(ErrorCode(reply) == "too_large");
  // Had nginx passed any of it on, the server would have had that
  // connection before nginx answered, ahead of this probe in its queue.
  Reply probe = Post({.url = nginx.url() + "/v1/sync", .body = "{}"});
  REQUIRE(probe.status == 200);
  CHECK(upstream.requests() == 1);  // the probe alone
}

TEST_CASE("nginx terminates TLS: verified with the CA it works, without the CA verification fails",
          "[nginx][integration]") {
  TempDir tls;
  RunTool({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", tls.File("key.pem"), "-out",
           tls.File("cert.pem"), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
          tls.File("openssl.out"));
  TestUpstream upstream;
  NginxFixture nginx(upstream.port(), tls.File("cert.pem"), tls.File("key.pem"));
  REQUIRE(nginx.url().rfind("https://127.0.0.1:", 0) == 0);

  Reply ok = Post({.url = nginx.url() + "/v1/sync", .body = "{}", .cainfo = tls.File("cert.pem")});
  {
    INFO(ok.error << "\n" << nginx.error_log_text());
    REQUIRE(ok.code == CURLE_OK);
    CHECK(ok.status == 200);
    CHECK(upstream.requests() == 1);
    CHECK(upstream.last().Header("x-forwarded-proto") == "https");
    CHECK(ok.headers.find("Strict-Transport-Security: max-age=") != std::string::npos);
  }

  Reply refused = Post({.url = nginx.url() + "/v1/sync", .body = "{}"});  // system CAs only
  INFO(refused.error);
  CHECK(refused.code == CURLE_PEER_FAILED_VERIFICATION);
  CHECK(upstream.requests() == 1);
}

TEST_CASE("nginx answers 502 with a JSON error when the server is down", "[nginx][integration]") {
  // A bound socket that never listens: connections to its port are refused,
  // and no other process can take the port meanwhile.
  int held = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(held >= 0);
  std::unique_ptr<int, void (*)(int*)> closer(&held, [](int* fd) { close(*fd); });
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(bind(held, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(getsockname(held, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  NginxFixture nginx(ntohs(addr.sin_port));

  Reply reply = Post({.url = nginx.url() + "/v1/sync", .body = "{}"});

  INFO(reply.error << "\n" << nginx.error_log_text());
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 502);
  CHECK(reply.content_type == "application/json");
  CHECK(ErrorCode(reply) == "unavailable");
}

}  // namespace latih::test
