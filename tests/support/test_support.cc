// For Catch::TestEventListenerBase (EnglishMessages below).
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "tests/support/test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "client/lib/messages.h"
#include "sync/domain/ids.h"

namespace latih::test {

TempDir::TempDir() : TempDir([] {
  const char* base = std::getenv("TMPDIR");
  return std::string(base && *base ? base : "/tmp");
}()) {}

TempDir::TempDir(const std::string& base) {
  std::string tmpl = base + "/latih-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string SeqIdSource::NewRowId() {
  std::array<uint8_t, 10> random{};
  uint64_t c = ++counter_;
  for (int i = 0; i < 8; ++i) random[9 - i] = static_cast<uint8_t>(c >> (8 * i));
  return domain::UuidV7(clock_.NowUnixMs(), random);
}

std::unique_ptr<client::OfficeDb> MakeOffice(const std::string& path, sync::Env& env,
                                             const std::string& office) {
  auto db = client::OfficeDb::Init(path, office, env);
  INFO(db.status().ToString());
  REQUIRE(db.ok());
  return std::move(db).value();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  REQUIRE(f.good());
}

namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

std::string ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  std::string out = ReadAll(fd);
  close(fd);
  return out;
}

// Starts `binary` with `args` (no shell), stdout and stderr to the files.
pid_t Spawn(const std::string& binary, const std::vector<std::string>& args, const std::string& out_path,
            const std::string& err_path, const EnvVars& env = {}) {
  std::vector<char*> argv;
  std::string bin = binary;
  argv.push_back(bin.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(err, 2);
    unsetenv("LATIH_DB");
    unsetenv("LATIH_SERVER_DB");
    // The language of the machine running the tests must not change what
    // latih says: English unless `env` asks for another (client/lib/messages.h).
    for (const char* locale : {"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}) unsetenv(locale);
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

CliResult RunCli(const std::vector<std::string>& args, const EnvVars& env) {
  return RunProgram(LATIH_CLI_PATH, args, env);
}

CliResult RunProgram(const std::string& binary, const std::vector<std::string>& args, const EnvVars& env) {
  TempDir io;
  const pid_t pid = Spawn(binary, args, io.File("out"), io.File("err"), env);
  int status = 0;
  waitpid(pid, &status, 0);
  CliResult r;
  r.exit_code = ExitCode(status);
  r.out = ReadFile(io.File("out"));
  r.err = ReadFile(io.File("err"));
  return r;
}

BackgroundProgram::BackgroundProgram(const std::string& binary, const std::vector<std::string>& args)
    : pid_(Spawn(binary, args, io_.File("out"), io_.File("err"))) {}

BackgroundProgram::~BackgroundProgram() {
  if (pid_ > 0) Stop(SIGKILL);
}

std::string BackgroundProgram::Out() const { return ReadFile(io_.File("out")); }
std::string BackgroundProgram::Err() const { return ReadFile(io_.File("err")); }

int BackgroundProgram::Stop(int signal) {
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return ExitCode(status);
}

int BackgroundProgram::Wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return ExitCode(status);
}

int BackgroundProgram::StopWithin(int signal, double seconds) {
  kill(pid_, signal);
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= until) {
      Stop(SIGKILL);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  return ExitCode(status);
}

std::string TestNip(int n) {
  // Born 1985-01-DD, male. n = 1..999: first appointed 2010-03, serial n;
  // each further 999 a month later (serials are 001..999, never 000).
  const int serial = 1 + (n - 1) % 999, block = 2 + (n - 1) / 999;
  char buf[32];
  std::snprintf(buf, sizeof buf, "198501%02d%04d%02d1%03d", 1 + (n % 28), 2010 + block / 12, 1 + block % 12, serial);
  return buf;
}

std::string DumpTables(sync::sqlite::Store& store) {
  std::ostringstream out;
  for (const auto& td : store.catalog().tables()) {
    auto rows = store.Select(td.name, std::nullopt);
    REQUIRE(rows.ok());
    for (const auto& r : *rows) {
      out << td.name << " " << r.id;
      for (const auto& v : r.values) out << "|" << sync::ValueToText(v);
      out << "\n";
    }
  }
  return out.str();
}

CellSnapshot Snapshot(sync::sqlite::Store& store) {
  CellSnapshot snap;
  for (const auto& td : store.catalog().tables()) {
    auto rows = store.Select(td.name, std::nullopt);
    REQUIRE(rows.ok());
    for (const auto& r : *rows) {
      snap[td.name + "\x1f" + r.id + "\x1f"] = "exists";
      for (size_t i = 0; i < td.columns.size(); ++i) {
        snap[td.name + "\x1f" + r.id + "\x1f" + td.columns[i].name] =
            std::to_string(r.values[i].index()) + ":" + sync::ValueToText(r.values[i]);
      }
    }
  }
  return snap;
}

int64_t MaxSeq(sync::sqlite::Store& store) {
  auto changes = store.ChangesSince(0, 1 << 30);
  REQUIRE(changes.ok());
  return changes->empty() ? 0 : changes->back().seq;
}

int RequireEveryChangeLogged(sync::sqlite::Store& store, const CellSnapshot& before, int64_t before_seq) {
  const CellSnapshot after = Snapshot(store);
  auto changes = store.ChangesSince(before_seq, 1 << 30);
  REQUIRE(changes.ok());
  std::set<std::string> logged;
  for (const auto& c : *changes) {
    if (c.version.node == store.node_id()) logged.insert(c.table + "\x1f" + c.row_id + "\x1f" + c.column);
  }
  int changed = 0;
  auto check = [&](const std::string& key) {
    ++changed;
    std::string table = key.substr(0, key.find('\x1f'));
    std::string rest = key.substr(table.size() + 1);
    std::string id = rest.substr(0, rest.find('\x1f'));
    bool row_gone = !after.count(table + "\x1f" + id + "\x1f");
    // A deleted row keeps only its tombstone (existence cell) in the log.
    std::string expect = row_gone ? table + "\x1f" + id + "\x1f" : key;
    INFO("changed cell without a change-log entry: " << key);
    REQUIRE(logged.count(expect) == 1);
  };
  for (const auto& [key, value] : after) {
    auto it = before.find(key);
    if (it == before.end() || it->second != value) check(key);
  }
  for (const auto& [key, value] : before) {
    if (!after.count(key)) check(key);
  }
  return changed;
}

// In-process tests read the catalog in English, whatever a test before them
// chose (the CLI in a child process gets no locale: see Spawn).
struct EnglishMessages : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(const Catch::TestCaseInfo&) override { client::SetLanguage(client::Language::kEnglish); }
};
CATCH_REGISTER_LISTENER(EnglishMessages)

}  // namespace latih::test
