// Shared plumbing of latih_bench (tests/bench/): command-line options, the
// temporary directory, wall-clock timing, child-process timing and the
// Markdown result table. Single-threaded program; nothing here is
// thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sync/status.h"

namespace latih::bench {

// Parsed command line:
//   latih_bench [--quick] [--out FILE] [--dir DIR] [--only write|cli|report|sync|desk] [--keep]
struct Options {
  bool quick = false;
  std::string out;   // "" = print only
  std::string dir;   // "" = a fresh mkdtemp under /tmp, removed at the end
  std::string only;  // "" = every measure; else one group (for profiling)
  bool keep = false;  // keep the databases (for inspecting or profiling them)
};

// Parses argv. kInvalidArgument naming the bad argument (or "usage" for
// --help, which the caller reports as a usage message).
Result<Options> ParseOptions(int argc, char** argv);

// A working directory for the databases. When created here (mkdtemp), it
// is removed recursively by the destructor; a directory given with --dir
// is kept, only the files this program made are removed.
class WorkDir {
 public:
  // Creates the directory (or checks the given one exists).
  // kIOError when it cannot be created.
  // With `keep`, nothing is removed at the end.
  static Result<WorkDir> Make(const std::string& given, bool keep);
  WorkDir(WorkDir&& other) noexcept;
  WorkDir& operator=(WorkDir&&) = delete;
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir();

  // A path for a fresh database `name` in the directory; any earlier file of
  // that name (and its -wal/-shm) is deleted first.
  std::string FreshDb(const std::string& name);
  const std::string& path() const { return path_; }

 private:
  WorkDir(std::string path, bool owned, bool keep)
      : path_(std::move(path)), owned_(owned), keep_(keep) {}
  std::string path_;
  bool owned_ = false;
  bool keep_ = false;
  std::vector<std::string> made_;
};

using BenchClock = std::chrono::steady_clock;

// Seconds elapsed since `start` on the steady clock.
double SecondsSince(BenchClock::time_point start);

// The q-quantile (0..1, nearest rank) of `samples`. REQUIRES: non-empty.
double Quantile(std::vector<double> samples, double q);
inline double Median(std::vector<double> samples) { return Quantile(std::move(samples), 0.5); }

// Forks, execs `argv[0]` (a path) with stdout/stderr to /dev/null, waits,
// and returns the wall time of fork+exec+waitpid in seconds. kIOError when
// the process cannot be started or does not exit with status 0.
Result<double> TimeProcess(const std::vector<std::string>& argv);

// Forks, execs `argv[0]` (a path) with stderr to /dev/null, waits, and
// returns what it printed on stdout. kIOError when the process cannot be
// started or does not exit with status 0.
Result<std::string> RunCapture(const std::vector<std::string>& argv);

// A `latih-server serve` child process on 127.0.0.1 and a port it picks.
class ServerChild {
 public:
  // Starts `binary --db <db> serve --listen 127.0.0.1:0` with its stderr
  // (one logfmt line per request) appended to `log_path`, and waits at most
  // 20 s for its "listening on URL" line. kIOError if it does not come.
  // `extra`: more `serve` options.
  static Result<std::unique_ptr<ServerChild>> Start(const std::string& binary, const std::string& db,
                                                    const std::string& log_path,
                                                    const std::vector<std::string>& extra = {});
  ~ServerChild();  // Stop(), its outcome ignored
  ServerChild(const ServerChild&) = delete;
  ServerChild& operator=(const ServerChild&) = delete;

  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"
  // Peak resident set size of the running server (VmHWM), in bytes.
  Result<int64_t> PeakRssBytes() const;
  // SIGTERM and waitpid. kIOError when it had already died or exits non-zero.
  Status Stop();

 private:
  explicit ServerChild(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  std::string url_;
};

// One line of the result table.
struct Measure {
  std::string name;
  int64_t rows = 0;
  double seconds = 0;
  std::string rate;      // "123,456 rows/s" or "4.2 ms"
  std::string vs_floor;  // "1.00x", "7.3x floor time", ...
};

// "1,234,567".
std::string Thousands(int64_t n);
// "4.20 ms" with two decimals.
std::string Millis(double seconds);
// "123,456 rows/s".
std::string RowsPerSecond(int64_t rows, double seconds);
// "7.3x" (ratio of `seconds` to `floor_seconds`).
std::string Ratio(double seconds, double floor_seconds);

// The results of the whole run, printed as one Markdown document.
class Report {
 public:
  void AddFact(std::string fact) { facts_.push_back(std::move(fact)); }
  void Add(Measure m) { measures_.push_back(std::move(m)); }
  // A verdict line shown under the table ("store path >= 50,000 rows/s: met").
  void AddTarget(std::string line) { targets_.push_back(std::move(line)); }
  void AddNote(std::string line) { notes_.push_back(std::move(line)); }
  // A block of Markdown (e.g. a second table) printed after the table.
  void AddSection(std::string markdown) { sections_.push_back(std::move(markdown)); }
  std::string Markdown() const;

 private:
  std::vector<std::string> facts_, targets_, notes_, sections_;
  std::vector<Measure> measures_;
};

}  // namespace latih::bench
