#include "tests/bench/bench_util.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace latih::bench {
namespace {

constexpr char kTempTemplate[] = "/tmp/latih_bench.XXXXXX";
constexpr int kExecFailedExit = 127;
constexpr int kServerStartTimeoutMs = 20000;
constexpr int kPollMs = 200;
constexpr int64_t kKiB = 1024;

std::vector<char*> ArgvOf(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  return args;
}

std::string CommandLine(const std::vector<std::string>& argv) {
  std::string cmd;
  for (const auto& a : argv) cmd += " " + a;
  return cmd;
}

// Forks and execs `argv` with stdout to `out_fd` and stderr to `err_fd`
// (-1: /dev/null). Returns the child's pid.
Result<pid_t> Spawn(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  std::vector<char*> args = ArgvOf(argv);
  const pid_t pid = fork();
  if (pid < 0) return Status::IOError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_WRONLY);
    dup2(out_fd >= 0 ? out_fd : null_fd, STDOUT_FILENO);
    dup2(err_fd >= 0 ? err_fd : null_fd, STDERR_FILENO);
    // latih speaks English whatever the machine's locale (what is parsed).
    for (const char* locale : {"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}) unsetenv(locale);
    execv(args[0], args.data());
    _exit(kExecFailedExit);
  }
  return pid;
}

}  // namespace

Result<Options> ParseOptions(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--quick") {
      opt.quick = true;
    } else if (arg == "--out" && has_value) {
      opt.out = argv[++i];
    } else if (arg == "--dir" && has_value) {
      opt.dir = argv[++i];
    } else if (arg == "--only" && has_value) {
      opt.only = argv[++i];
    } else if (arg == "--keep") {
      opt.keep = true;
    } else if (arg == "--help" || arg == "-h") {
      return Status::Invalid("usage");
    } else {
      return Status::Invalid("unknown or incomplete argument '" + arg + "'");
    }
  }
  if (!opt.only.empty() && opt.only != "write" && opt.only != "cli" && opt.only != "report" &&
      opt.only != "sync" && opt.only != "desk") {
    return Status::Invalid("--only takes write, cli, report, sync or desk, not '" + opt.only + "'");
  }
  return opt;
}

Result<WorkDir> WorkDir::Make(const std::string& given, bool keep) {
  if (!given.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(given, ec);
    if (ec || !std::filesystem::is_directory(given)) {
      return Status::IOError("cannot use directory " + given + ": " + ec.message());
    }
    return WorkDir(given, false, keep);
  }
  std::string tmpl = kTempTemplate;
  if (!mkdtemp(tmpl.data())) {
    return Status::IOError(std::string("mkdtemp: ") + std::strerror(errno));
  }
  return WorkDir(tmpl, true, keep);
}

WorkDir::WorkDir(WorkDir&& other) noexcept
    : path_(std::move(other.path_)),
      owned_(other.owned_),
      keep_(other.keep_),
      made_(std::move(other.made_)) {
  other.owned_ = false;
  other.made_.clear();
}

WorkDir::~WorkDir() {
  if (keep_) return;
  std::error_code ec;
  if (owned_) {
    std::filesystem::remove_all(path_, ec);
    return;
  }
  for (const auto& f : made_) std::filesystem::remove(f, ec);
}

std::string WorkDir::FreshDb(const std::string& name) {
  const std::string base = path_ + "/" + name;
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(base + suffix, ec);
    made_.push_back(base + suffix);
  }
  return base;
}

double SecondsSince(BenchClock::time_point start) {
  return std::chrono::duration<double>(BenchClock::now() - start).count();
}

double Quantile(std::vector<double> samples, double q) {
  std::sort(samples.begin(), samples.end());
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(samples.size())));
  return samples[std::clamp<size_t>(rank, 1, samples.size()) - 1];
}

Result<double> TimeProcess(const std::vector<std::string>& argv) {
  const auto start = BenchClock::now();
  LATIH_ASSIGN_OR_RETURN(const pid_t pid, Spawn(argv, -1, -1));
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) {
    return Status::IOError(std::string("waitpid: ") + std::strerror(errno));
  }
  const double seconds = SecondsSince(start);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::IOError("command failed (status " + std::to_string(status) + "):" + CommandLine(argv));
  }
  return seconds;
}

Result<std::string> RunCapture(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::IOError(std::string("pipe: ") + std::strerror(errno));
  auto pid = Spawn(argv, fds[1], -1);
  close(fds[1]);
  if (!pid.ok()) {
    close(fds[0]);
    return pid.status();
  }
  std::string out;
  char buf[4096];
  ssize_t n = 0;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  if (waitpid(*pid, &status, 0) != *pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::IOError("command failed (status " + std::to_string(status) + "):" + CommandLine(argv));
  }
  return out;
}

Result<std::unique_ptr<ServerChild>> ServerChild::Start(const std::string& binary, const std::string& db,
                                                        const std::string& log_path,
                                                        const std::vector<std::string>& extra) {
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) return Status::IOError("cannot open " + log_path + ": " + std::strerror(errno));
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    close(log_fd);
    return Status::IOError(std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<std::string> argv = {binary, "--db", db, "serve", "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto pid = Spawn(argv, fds[1], log_fd);
  close(fds[1]);
  close(log_fd);
  if (!pid.ok()) {
    close(fds[0]);
    return pid.status();
  }
  std::unique_ptr<ServerChild> child(new ServerChild(*pid));
  // "latih-server: listening on http://127.0.0.1:PORT (database ...)"
  std::string out;
  const auto deadline = BenchClock::now() + std::chrono::milliseconds(kServerStartTimeoutMs);
  while (out.find('\n') == std::string::npos && BenchClock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, kPollMs) <= 0) continue;
    char buf[512];
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);  // the server writes nothing more on stdout
  const std::string marker = "listening on ";
  const size_t at = out.find(marker);
  if (at == std::string::npos) {
    return Status::IOError("latih-server did not report its address (see " + log_path + "): " + out);
  }
  const std::string rest = out.substr(at + marker.size());
  child->url_ = rest.substr(0, rest.find_first_of(" \n"));
  return child;
}

ServerChild::~ServerChild() { (void)Stop(); }

Result<int64_t> ServerChild::PeakRssBytes() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(line.find_first_of("0123456789"))) * kKiB;
  }
  return Status::IOError("no VmHWM in /proc/" + std::to_string(pid_) + "/status");
}

Status ServerChild::Stop() {
  if (pid_ <= 0) return Status::Ok();
  const pid_t pid = pid_;
  pid_ = -1;
  if (kill(pid, SIGTERM) != 0) return Status::IOError(std::string("kill: ") + std::strerror(errno));
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return Status::IOError(std::string("waitpid: ") + std::strerror(errno));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::IOError("latih-server exited with status " + std::to_string(status));
  }
  return Status::Ok();
}

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Millis(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f ms", seconds * 1000);
  return buf;
}

std::string RowsPerSecond(int64_t rows, double seconds) {
  if (seconds <= 0) return "n/a";
  return Thousands(std::llround(static_cast<double>(rows) / seconds)) + " rows/s";
}

std::string Ratio(double seconds, double floor_seconds) {
  if (floor_seconds <= 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fx", seconds / floor_seconds);
  return buf;
}

std::string Report::Markdown() const {
  std::ostringstream out;
  out << "# latih_bench\n\n";
  for (const auto& f : facts_) out << "- " << f << "\n";
  out << "\n| measure | rows | seconds | rows/s or ms | vs floor |\n|---|---:|---:|---:|---:|\n";
  for (const auto& m : measures_) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.4f", m.seconds);
    out << "| " << m.name << " | " << (m.rows ? Thousands(m.rows) : "") << " | " << secs << " | "
        << m.rate << " | " << m.vs_floor << " |\n";
  }
  for (const auto& s : sections_) out << "\n" << s;
  if (!targets_.empty()) {
    out << "\nTargets:\n";
    for (const auto& t : targets_) out << "- " << t << "\n";
  }
  if (!notes_.empty()) {
    out << "\nNotes:\n";
    for (const auto& n : notes_) out << "- " << n << "\n";
  }
  return out.str();
}

}  // namespace latih::bench
