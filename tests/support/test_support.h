// Shared test helpers: temporary directories, a controllable clock and id
// source, opening test databases, running the real CLI binary, and
// REQUIRE_OK. Not thread-safe; one per test.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/lib/office_db.h"
#include "sync/env.h"
#include "sync/sqlite/store.h"

namespace latih::test {

#define REQUIRE_OK(expr)                                   \
  do {                                                     \
    const ::latih::Status require_ok_s_ = (expr);          \
    INFO(require_ok_s_.ToString());                        \
    REQUIRE(require_ok_s_.ok());                           \
  } while (0)

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir();
  // Under `base` instead ("/dev/shm" for tests that fsync a lot and test
  // logic, not durability).
  explicit TempDir(const std::string& base);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A clock that only moves when told to.
class FakeClock final : public sync::Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1772409600000) : now_(start_ms) {}  // 2026-03-02T00:00Z
  int64_t NowUnixMs() override { return now_; }
  void Advance(int64_t ms) { now_ += ms; }
  void Set(int64_t ms) { now_ = ms; }

 private:
  int64_t now_;
};

// Deterministic ids: UUIDv7 from the clock and a counter; node ids counted.
class SeqIdSource final : public sync::IdSource {
 public:
  explicit SeqIdSource(sync::Clock& clock, int64_t first_node = 1) : clock_(clock), next_node_(first_node) {}
  std::string NewRowId() override;
  int64_t NewNodeId() override { return next_node_++; }

 private:
  sync::Clock& clock_;
  uint64_t counter_ = 0;
  int64_t next_node_;
};

// A FakeClock + SeqIdSource pair bundled as an Env.
struct TestEnv {
  explicit TestEnv(int64_t first_node = 1) : ids(clock, first_node), env{clock, ids} {}
  FakeClock clock;
  SeqIdSource ids;
  sync::Env env;
};

// Creates an office database at `path` for `office`.
std::unique_ptr<client::OfficeDb> MakeOffice(const std::string& path, sync::Env& env,
                                             const std::string& office = "52.71.01.1004");

// Writes `text` to `path`.
void WriteFile(const std::string& path, const std::string& text);

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

// Environment variables set (NAME, VALUE) in a child process.
using EnvVars = std::vector<std::pair<std::string, std::string>>;

// Runs the real `latih` binary with `args` (no shell), LATIH_DB unset and
// `env` set. It speaks English unless `env` sets LANG, LC_MESSAGES or LC_ALL.
CliResult RunCli(const std::vector<std::string>& args, const EnvVars& env = {});
// Runs `binary` with `args` (no shell), LATIH_DB, LATIH_SERVER_DB and the
// locale variables (LC_ALL, LC_MESSAGES, LANG, LANGUAGE) unset and `env` set.
CliResult RunProgram(const std::string& binary, const std::vector<std::string>& args, const EnvVars& env = {});

// `binary` with `args` (no shell, LATIH_DB, LATIH_SERVER_DB and the locale
// variables unset)
// running in the background, its stdout and stderr going to files: for a
// long-running command such as `latih sync --watch`. The destructor kills
// it (SIGKILL) if it still runs.
class BackgroundProgram {
 public:
  BackgroundProgram(const std::string& binary, const std::vector<std::string>& args);
  ~BackgroundProgram();
  BackgroundProgram(const BackgroundProgram&) = delete;
  BackgroundProgram& operator=(const BackgroundProgram&) = delete;
  // What it wrote so far.
  std::string Out() const;
  std::string Err() const;
  // Sends `signal` and waits for it to end; returns its exit code (128 +
  // the signal if a signal ended it).
  int Stop(int signal);
  // Waits for it to end by itself; returns its exit code as Stop's.
  int Wait();
  // Sends `signal` and waits at most `seconds` for it to end: its exit code
  // as Stop's, or -1 when it did not end in time (it is then SIGKILLed).
  int StopWithin(int signal, double seconds);

 private:
  TempDir io_;
  int pid_ = -1;
};

// A valid PNS NIP, distinct for each n >= 1; for n = 1..999 its serial is n.
std::string TestNip(int n);

// Every row of every replicated table, as text, for equality checks.
std::string DumpTables(sync::sqlite::Store& store);

// Every replicated cell (table, id, column) -> value text, plus each row's
// existence ("" column).
using CellSnapshot = std::map<std::string, std::string>;
CellSnapshot Snapshot(sync::sqlite::Store& store);
int64_t MaxSeq(sync::sqlite::Store& store);

// Change-log completeness: every cell that differs between `before` and
// now (new, changed or gone) has a change-log entry with seq > before_seq
// written by this replica. Returns the number of changed cells.
int RequireEveryChangeLogged(sync::sqlite::Store& store, const CellSnapshot& before, int64_t before_seq);

}  // namespace latih::test
