// A real `latih-server serve` as a child process on 127.0.0.1 and a port
// it picks, for integration tests; and running the server's admin commands.
// Not thread-safe; one per test.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace latih::test {

// Runs the real `latih-server` binary with `args` (no shell).
CliResult RunServerCli(const std::vector<std::string>& args);

class ServerProcess {
 public:
  // Starts `latih-server --db <db> serve --listen 127.0.0.1:0 <extra...>`
  // and waits (at most 20 s) for its "listening on URL" line. REQUIREs success.
  explicit ServerProcess(std::string db_path, std::vector<std::string> extra_args = {});
  ~ServerProcess();  // SIGTERM, then wait
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& url() const { return url_; }
  const std::string& db_path() const { return db_path_; }
  int port() const { return port_; }
  // Everything the server logged (stderr) so far.
  std::string Log() const;
  // SIGKILL (a crash) and wait; Start() again afterwards. `same_port`
  // restarts on the previous port (clients keep their URL).
  void Kill();
  void Start(bool same_port = false);
  bool running() const { return pid_ > 0; }

 private:
  std::string db_path_;
  std::vector<std::string> extra_;
  TempDir dir_;
  pid_t pid_ = -1;
  std::string url_;
  int port_ = 0;
};

// A device database of `office` enrolled with `server` (device `name`),
// through the real CLI. Returns the database path.
std::string EnrolledDevice(const ServerProcess& server, const TempDir& dir, const std::string& file,
                           const std::string& office, const std::string& name);

}  // namespace latih::test
