#include "tests/support/nginx_fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

extern char** environ;

namespace latih::test {
namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";
constexpr const char* kProxySnippet = LATIH_SOURCE_DIR "/server/deploy/nginx/latih-proxy.conf";
constexpr const char* kSiteFile = LATIH_SOURCE_DIR "/server/deploy/nginx/latih.conf";
constexpr const char* kShippedUpstream = "server 127.0.0.1:8080;";
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(10);
constexpr int kPollIntervalMs = 10;
constexpr int kBindAttempts = 5;

std::string ReadFileText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A line of the site file without its comment, trimmed. The shipped file has
// no '#' inside quotes.
std::string Code(const std::string& line) { return Trim(line.substr(0, line.find('#'))); }

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The directives the fixture takes from the shipped site file.
struct SiteParts {
  std::vector<std::string> http;    // limit_conn_zone lines and the upstream block
  std::vector<std::string> server;  // the HTTPS server's own directives (ssl_*, add_header)
  std::vector<std::string> tls;     // ... of which the TLS ones
};

// Splits the shipped latih.conf: top-level zone lines, the `upstream
// latih_backend` block with its port replaced, and the body of the first
// `server` block without listen/server_name/certificates/include (the
// fixture sets those).
SiteParts ReadSiteParts(int upstream_port) {
  std::istringstream in(ReadFileText(kSiteFile));
  SiteParts parts;
  std::string line, block;
  int depth = 0;
  bool seen_server = false, replaced = false;
  while (std::getline(in, line)) {
    std::string code = Code(line);
    if (depth == 0 && StartsWith(code, "limit_conn_zone ")) parts.http.push_back(code);
    if (depth == 0 && StartsWith(code, "upstream ")) block = "upstream";
    if (depth == 0 && StartsWith(code, "server ") && !seen_server) block = "server";
    if (block == "upstream") {
      auto at = code.find(kShippedUpstream);
      if (at != std::string::npos) {
        code.replace(at, std::string(kShippedUpstream).size(),
                     "server 127.0.0.1:" + std::to_string(upstream_port) + ";");
        replaced = true;
      }
      parts.http.push_back(code);
    } else if (block == "server" && depth == 1 && !code.empty() && code.find_first_of("{}") == std::string::npos &&
               !StartsWith(code, "listen ") && !StartsWith(code, "server_name ") &&
               !StartsWith(code, "ssl_certificate") && !StartsWith(code, "include ")) {
      (StartsWith(code, "ssl_") ? parts.tls : parts.server).push_back(code);
    }
    for (char c : code) depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    if (depth == 0 && !block.empty()) {
      seen_server = seen_server || block == "server";
      block.clear();
    }
  }
  INFO("shipped site file: " << kSiteFile);
  REQUIRE(replaced);  // the upstream block with "server 127.0.0.1:8080;"
  REQUIRE(seen_server);
  return parts;
}

// Reserves nothing: the port is free when this returns, and nginx binds it
// a moment later (a lost race is retried by the caller).
int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  REQUIRE(ok);
  return ntohs(addr.sin_port);
}

bool PortAccepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// Spawns `argv` in its own process group with stdout and stderr appended to
// `out_path` and a clean signal mask. Returns the pid, or -1.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  std::vector<std::string> copy = argv;
  for (auto& a : copy) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -1;
}

// waitpid without blocking, EINTR-safe: true once `pid` has exited.
bool Reaped(pid_t pid, int* status) {
  pid_t r;
  do r = waitpid(pid, status, WNOHANG);
  while (r < 0 && errno == EINTR);
  return r == pid || (r < 0 && errno == ECHILD);
}

std::string Describe(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace

NginxFixture::NginxFixture(int upstream_port, const std::string& tls_cert, const std::string& tls_key,
                           const std::map<std::string, std::string>& overrides)
    : upstream_port_(upstream_port), tls_cert_(tls_cert), tls_key_(tls_key), overrides_(overrides) {
  if (access(kNginx, X_OK) != 0) {
    FAIL(kNginx << " is missing: nginx is a test dependency (Debian package nginx-light; `make deps`)");
  }
  REQUIRE(tls_cert_.empty() == tls_key_.empty());
  try {
    for (int attempt = 1; attempt <= kBindAttempts; ++attempt) {
      port_ = FreeLoopbackPort();
      WriteConfig();
      if (attempt == 1) TestConfig();
      if (StartOnce()) return;
    }
    FAIL("nginx could not bind a free port in " << kBindAttempts << " attempts:\n" << error_log_text());
  } catch (...) {
    Stop();
    throw;
  }
}

NginxFixture::~NginxFixture() { Stop(); }

std::string NginxFixture::url() const {
  return std::string(tls_cert_.empty() ? "http" : "https") + "://127.0.0.1:" + std::to_string(port_);
}

std::string NginxFixture::error_log_text() const {
  return ReadFileText(dir_.File("error.log")) + ReadFileText(dir_.File("nginx.out"));
}

std::string NginxFixture::access_log_text() const { return ReadFileText(dir_.File("access.log")); }

void NginxFixture::WriteConfig() const {
  const SiteParts site = ReadSiteParts(upstream_port_);
  const std::string& d = dir_.path();
  std::ostringstream c;
  c << "# Generated by tests/support/nginx_fixture.cc for one test.\n"
    << "daemon off;\nmaster_process on;\nworker_processes 1;\n"
    // As root, workers would switch to `nobody`, who cannot enter the 0700
    // temporary directory.
    << (geteuid() == 0 ? "user root;\n" : "") << "pid " << d << "/nginx.pid;\n"
    << "error_log " << d << "/error.log info;\n"
    << "events { worker_connections 256; }\n"
    << "http {\n"
    << "  default_type application/octet-stream;\n"
    << "  access_log " << d << "/access.log;\n"
    << "  client_body_temp_path " << d << "/client_body;\n"
    << "  proxy_temp_path " << d << "/proxy;\n"
    << "  fastcgi_temp_path " << d << "/fastcgi;\n"
    << "  uwsgi_temp_path " << d << "/uwsgi;\n"
    << "  scgi_temp_path " << d << "/scgi;\n";
  for (const auto& line : site.http) c << "  " << line << "\n";
  c << "  server {\n"
    << "    listen 127.0.0.1:" << port_ << (tls_cert_.empty() ? "" : " ssl") << ";\n"
    << "    server_name localhost;\n";
  if (!tls_cert_.empty()) {
    c << "    ssl_certificate " << tls_cert_ << ";\n"
      << "    ssl_certificate_key " << tls_key_ << ";\n";
    for (const auto& line : site.tls) c << "    " << line << "\n";
  }
  for (const auto& line : site.server) c << "    " << line << "\n";
  c << "    include " << ProxySnippet() << ";\n"
    << "  }\n"
    << "}\n";
  WriteFile(conf_path(), c.str());
}

std::string NginxFixture::ProxySnippet() const {
  if (overrides_.empty()) return kProxySnippet;
  std::istringstream in(ReadFileText(kProxySnippet));
  std::ostringstream out;
  std::map<std::string, bool> found;
  std::string line;
  while (std::getline(in, line)) {
    const std::string code = Code(line);
    const std::string name = code.substr(0, code.find(' '));
    auto it = overrides_.find(name);
    if (it != overrides_.end() && !code.empty() && code.back() == ';') {
      line = name + " " + it->second + ";  # the test's (shipped: " + code + ")";
      found[name] = true;
    }
    out << line << "\n";
  }
  for (const auto& [name, value] : overrides_) {
    INFO("override of " << name << ": the shipped snippet " << kProxySnippet << " does not set it");
    REQUIRE(found[name]);
  }
  const std::string path = dir_.File("latih-proxy.conf");
  WriteFile(path, out.str());
  return path;
}

void NginxFixture::TestConfig() const {
  const std::string out = dir_.File("nginx-t.out");
  pid_t pid =
      Spawn({kNginx, "-t", "-q", "-p", dir_.path() + "/", "-c", conf_path(), "-e", dir_.File("nginx-t.log")}, out);
  REQUIRE(pid > 0);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  INFO("nginx -t on " << conf_path() << ":\n"
                      << ReadFileText(out) << ReadFileText(dir_.File("nginx-t.log")) << "\n--- config:\n"
                      << ReadFileText(conf_path()));
  REQUIRE(Describe(status) == "exit code 0");
}

bool NginxFixture::StartOnce() {
  std::remove(dir_.File("nginx.pid").c_str());
  pid_ =
      Spawn({kNginx, "-p", dir_.path() + "/", "-c", conf_path(), "-e", dir_.File("error.log")}, dir_.File("nginx.out"));
  if (pid_ <= 0) FAIL("cannot spawn " << kNginx << ": " << std::strerror(errno));
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (Reaped(pid_, &status)) {
      pid_ = -1;
      const std::string log = error_log_text();
      if (log.find("Address already in use") != std::string::npos) return false;
      FAIL("nginx exited at start (" << Describe(status) << "):\n" << log);
    }
    // nginx writes its pid file after binding its listening socket: both
    // checks together prove that the port is nginx's, not another process's.
    if (Trim(ReadFileText(dir_.File("nginx.pid"))) == std::to_string(pid_) && PortAccepts(port_)) return true;
    poll(nullptr, 0, kPollIntervalMs);
  }
  FAIL("nginx did not accept connections on 127.0.0.1:" << port_ << " within 10 s:\n" << error_log_text());
  return false;
}

void NginxFixture::Stop() noexcept {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);  // fast shutdown: the master stops its worker, then exits
  const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  int status = 0;
  while (!Reaped(pid_, &status)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid_, SIGKILL);  // its own process group: master and worker
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    poll(nullptr, 0, kPollIntervalMs);
  }
  pid_ = -1;
}

}  // namespace latih::test
