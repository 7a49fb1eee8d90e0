// NginxFixture: a real nginx, started as a child process for one test, in
// front of an upstream on 127.0.0.1. Its site is generated from the SHIPPED
// deploy files (server/deploy/nginx/): the snippet latih-proxy.conf is
// included unchanged (or a copy with a test's shorter timeouts), and the connection-limit zone and the upstream block
// are copied from latih.conf (the upstream's port replaced), so the test
// exercises what an operator installs. Used by tests/integration/.
// Not thread-safe; one per test.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

#include "tests/support/test_support.h"

namespace latih::test {

class NginxFixture {
 public:
  // Starts nginx proxying to 127.0.0.1:`upstream_port` and listening on a
  // free port of 127.0.0.1, over TLS when both `tls_cert` and `tls_key`
  // (PEM files) are given. Returns once the port accepts connections.
  // FAILs the test (Catch2) when /usr/sbin/nginx is missing (nginx-light is
  // a declared test dependency), when `nginx -t` rejects the generated
  // configuration, or when nginx does not come up within 10 s; the message
  // holds nginx's error log.
  //
  // `overrides` (directive -> value) replaces the values of directives of
  // the shipped snippet in a copy of it, for a test that cannot wait for a
  // shipped timeout ({"client_header_timeout", "2s"}); each must be a
  // directive the snippet sets (FAILs otherwise, so that the test follows
  // the shipped file).
  explicit NginxFixture(int upstream_port, const std::string& tls_cert = "", const std::string& tls_key = "",
                        const std::map<std::string, std::string>& overrides = {});
  // Stop(), then removes nginx's directory. Never throws.
  ~NginxFixture();
  NginxFixture(const NginxFixture&) = delete;
  NginxFixture& operator=(const NginxFixture&) = delete;

  // "http://127.0.0.1:<port>" or "https://127.0.0.1:<port>".
  std::string url() const;
  int port() const { return port_; }
  // The generated configuration file and its directory (nginx's prefix).
  std::string conf_path() const { return dir_.File("nginx.conf"); }
  const std::string& prefix() const { return dir_.path(); }
  // nginx's error log and access log so far, for diagnostics. nginx writes
  // a request's access-log line after sending the response: Stop() first to
  // read every line.
  std::string error_log_text() const;
  std::string access_log_text() const;

  // Stops nginx (SIGTERM, then SIGKILL after 10 s) and waits for it; its
  // directory and logs stay until destruction. Idempotent, never throws.
  void Stop() noexcept;

 private:
  // Writes nginx.conf for `port_`; FAILs on unreadable shipped files.
  void WriteConfig() const;
  // The snippet to include: the shipped one, or a copy with overrides_.
  std::string ProxySnippet() const;
  // Runs `nginx -t` on the generated file; FAILs with its output.
  void TestConfig() const;
  // Spawns nginx and waits until it serves `port_`. Returns false if nginx
  // exited because the port was taken meanwhile (the caller retries with
  // another port); FAILs on any other failure.
  bool StartOnce();

  TempDir dir_;
  int upstream_port_;
  std::string tls_cert_, tls_key_;
  std::map<std::string, std::string> overrides_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace latih::test
