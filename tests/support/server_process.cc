#include "tests/support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sync/postgres/pg_db.h"

namespace latih::test {
namespace {

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

CliResult RunServerCli(const std::vector<std::string>& args) { return RunProgram(LATIH_SERVER_PATH, args); }

bool TestOnPostgres() {
  const char* dir = std::getenv("LATIH_TEST_PG");
  return dir != nullptr && *dir != '\0';
}

namespace {

// The cluster's maintenance URL (.../postgres).
std::string ClusterUrl() {
  REQUIRE(TestOnPostgres());
  std::ifstream f(std::string(std::getenv("LATIH_TEST_PG")) + "/url");
  std::string url;
  std::getline(f, url);
  INFO("LATIH_TEST_PG=" << std::getenv("LATIH_TEST_PG") << " has no url file: start the cluster with "
                        "tests/tools/pg_throwaway.sh start DIR");
  REQUIRE(sync::postgres::IsPostgresUrl(url));
  return url;
}

void AdminExec(const std::string& sql) {
  auto db = sync::postgres::Connect(ClusterUrl());
  REQUIRE_OK(db.status());
  REQUIRE_OK((*db)->Exec(sql));
}

}  // namespace

std::string CreateTestDatabase() {
  static std::atomic<int> counter{0};
  const std::string name = "latih_t" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  AdminExec("CREATE DATABASE " + name);
  const std::string cluster = ClusterUrl();
  return cluster.substr(0, cluster.rfind('/') + 1) + name;
}

void DropTestDatabase(const std::string& url) {
  const std::string name = url.substr(url.rfind('/') + 1);
  AdminExec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

bool WaitForLockWaiters(const std::string& url, int n) {
  auto watcher = sync::postgres::Connect(url);
  REQUIRE_OK(watcher.status());
  for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       std::chrono::steady_clock::now() < until;) {
    auto q = (*watcher)->PrepareOwned("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
    REQUIRE_OK(q.status());
    REQUIRE_OK((*q)->Step().status());
    if ((*q)->ColumnInt(0) >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

ServerProcess::ServerProcess(std::string db_path, std::vector<std::string> extra_args, Backend backend)
    : db_path_(std::move(db_path)), extra_(std::move(extra_args)) {
  if (backend == Backend::kUnderTest && TestOnPostgres() && !sync::postgres::IsPostgresUrl(db_path_)) {
    db_path_ = CreateTestDatabase();
    owns_database_ = true;
  }
  Start();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (owns_database_) {
    auto db = sync::postgres::Connect(ClusterUrl());
    if (db.ok()) (void)(*db)->Exec("DROP DATABASE IF EXISTS " + db_path_.substr(db_path_.rfind('/') + 1) +
                                   " WITH (FORCE)");
  }
}

void ServerProcess::Kill() {
  REQUIRE(pid_ > 0);
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ServerProcess::Log() const {
  std::ifstream f(dir_.File("server.log"));
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void ServerProcess::Start(bool same_port) {
  REQUIRE(pid_ <= 0);
  int pipefd[2];
  REQUIRE(pipe(pipefd) == 0);
  const std::string listen = "127.0.0.1:" + std::to_string(same_port ? port_ : 0);
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    close(pipefd[0]);
    dup2(pipefd[1], 1);
    int err = open(dir_.File("server.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(err, 2);
    std::vector<std::string> args = {LATIH_SERVER_PATH, "--db", db_path_, "serve", "--listen", listen};
    args.insert(args.end(), extra_.begin(), extra_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipefd[1]);
  // Wait for "latih-server: listening on URL (...)"; bounded, not a timing assumption.
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (out.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{pipefd[0], POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[512];
    const ssize_t n = read(pipefd[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(pipefd[0]);
  INFO("server output: " << out << "\nserver log: " << Log());
  const std::string marker = "listening on ";
  const auto at = out.find(marker);
  REQUIRE(at != std::string::npos);
  // The backend under test is the one the server says it opened.
  const bool opened_postgres = out.find("(database postgres") != std::string::npos;
  REQUIRE(opened_postgres == sync::postgres::IsPostgresUrl(db_path_));
  url_ = FirstLine(out.substr(at + marker.size()));
  url_ = url_.substr(0, url_.find(' '));
  port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
}

std::string EnrolledDevice(const ServerProcess& server, const TempDir& dir, const std::string& file,
                           const std::string& office, const std::string& name) {
  const std::string db = dir.File(file);
  const CliResult init = RunCli({"--db", db, "init", "--office", office});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  const CliResult made = RunServerCli({"--db", server.db_path(), "device", "enroll", "--office", office, "--name", name});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  const std::string token = FirstLine(made.out);
  REQUIRE(token.rfind("lt_", 0) == 0);
  const CliResult enrolled = RunCli({"--db", db, "enroll", "--server", server.url(), "--token", token});
  INFO(enrolled.out << enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  return db;
}

}  // namespace latih::test
