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

// The server backend under test. By default SQLite files. With
// LATIH_TEST_PG=DIR, where tests/tools/pg_throwaway.sh started a cluster
// (ctest's "pg" fixture does; its URL is in DIR/url), each ServerProcess
// given a file path gets a fresh PostgreSQL database instead, dropped when
// it ends: the same test then runs against PostgreSQL.
bool TestOnPostgres();
// A new empty database of that cluster; returns its URL. REQUIREs success.
std::string CreateTestDatabase();
void DropTestDatabase(const std::string& url);
// Polls (at most 30 s) until at least `n` connections to the PostgreSQL
// database at `url` wait for an advisory lock: a push queued on the write
// lock, a session opening on its device's lock. False if none did in time.
bool WaitForLockWaiters(const std::string& url, int n);

class ServerProcess {
 public:
  // Starts `latih-server --db <db> serve --listen 127.0.0.1:0 <extra...>`
  // and waits (at most 20 s) for its "listening on URL" line. REQUIREs success.
  // Under TestOnPostgres() a file path is replaced by a fresh database (see
  // above); a postgres:// URL (another instance's db_path()) is shared.
  // kSqlite keeps `db_path` an SQLite file even then (migrate-store's source).
  enum class Backend { kUnderTest, kSqlite };
  explicit ServerProcess(std::string db_path, std::vector<std::string> extra_args = {},
                         Backend backend = Backend::kUnderTest);
  ~ServerProcess();  // SIGTERM, then wait; drops the database it created
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
  bool owns_database_ = false;  // a PostgreSQL database created for this server
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
