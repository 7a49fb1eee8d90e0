#include "tests/tools/net_namespace.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <sstream>

namespace latih::test {
namespace {

constexpr char kPrefix[] = "latih_bl_";
constexpr char kTable[] = "latih_badlink";

struct Ran {
  int code = -1;
  std::string output;  // stdout and stderr together
};

// Runs argv (no shell) and waits; the child's output is collected.
Ran Run(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  std::vector<std::string> copy = argv;
  for (auto& a : copy) args.push_back(a.data());
  args.push_back(nullptr);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return {-1, std::strerror(errno)};
  const pid_t pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    return {-1, std::strerror(errno)};
  }
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(out[1], 2);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  Ran r;
  char buf[4096];
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0) r.output.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// The path of a system tool, or "" when it is not installed.
std::string Which(const std::string& tool) {
  for (const char* dir : {"/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"}) {
    const std::string path = dir + tool;
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Deletes the namespaces of earlier test processes that died before their
// destructor ran (a timeout, a crash).
void DeleteStale(const std::string& ip) {
  std::istringstream list(Run({ip, "netns", "list"}).output);
  std::string line;
  while (std::getline(list, line)) {
    const std::string name = line.substr(0, line.find(' '));
    if (name.rfind(kPrefix, 0) != 0) continue;
    const pid_t owner = static_cast<pid_t>(std::atoll(name.c_str() + sizeof kPrefix - 1));
    if (owner > 0 && kill(owner, 0) != 0 && errno == ESRCH) Run({ip, "netns", "del", name});
  }
}

}  // namespace

Result<std::unique_ptr<NetNamespace>> NetNamespace::Create() {
  if (geteuid() != 0) return Status::Unavailable("network namespaces need root");
  const std::string ip = Which("ip");
  if (ip.empty()) return Status::Unavailable("`ip` (iproute2) is not installed");
  DeleteStale(ip);
  static std::atomic<int> made{0};
  const std::string name = kPrefix + std::to_string(getpid()) + "_" + std::to_string(++made);
  const Ran added = Run({ip, "netns", "add", name});
  if (added.code != 0) return Status::Unavailable("`ip netns add` failed: " + Trim(added.output));
  std::unique_ptr<NetNamespace> ns(new NetNamespace(name));  // deleted again if a step below fails
  for (const std::vector<std::string>& step : {std::vector<std::string>{ip, "-n", name, "link", "set", "lo", "mtu", "1500"},
                                               std::vector<std::string>{ip, "-n", name, "link", "set", "lo", "up"}}) {
    const Ran r = Run(step);
    if (r.code != 0) return Status::Unavailable("`ip -n " + name + " link set lo` failed: " + Trim(r.output));
  }
  return ns;
}

NetNamespace::~NetNamespace() { Run({Which("ip"), "netns", "del", name_}); }

std::pair<std::string, std::vector<std::string>> NetNamespace::ExecArgs(const std::string& program,
                                                                        std::vector<std::string> args) const {
  args.insert(args.begin(), {"netns", "exec", name_, program});
  return {Which("ip"), std::move(args)};
}

Result<int> NetNamespace::Listen() const {
  const int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  const int there = open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
  auto done = [&](Result<int> r) {
    if (home >= 0) close(home);
    if (there >= 0) close(there);
    return r;
  };
  if (home < 0 || there < 0) return done(Status::IOError("cannot open the namespaces: " + std::string(std::strerror(errno))));
  if (setns(there, CLONE_NEWNET) != 0) return done(Status::IOError("setns: " + std::string(std::strerror(errno))));
  // Made inside: the socket stays in the namespace after the thread leaves.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && listen(fd, 64) == 0;
  const std::string why = ok ? "" : std::strerror(errno);
  if (setns(home, CLONE_NEWNET) != 0) {
    // This thread would stay inside: nothing after this could be trusted.
    std::abort();
  }
  if (!ok) {
    if (fd >= 0) close(fd);
    return done(Status::IOError("listening socket in " + name_ + ": " + why));
  }
  return done(fd);
}

Result<std::string> NetNamespace::AddLoss(int port, double percent) {
  const std::string nft = Which("nft");
  if (nft.empty()) return Status::Unavailable("nft (nftables) is not installed");
  // Per ten thousand, so that 0.5 % is expressible. The counters without
  // a verdict count what the link carried.
  const std::string below = std::to_string(static_cast<int>(percent * 100));
  const std::string p = std::to_string(port);
  std::string rules = std::string("add table inet ") + kTable + "; add chain inet " + kTable +
                      " out { type filter hook output priority 0; policy accept; }; ";
  for (const char* side : {"dport", "sport"}) {
    rules += std::string("add rule inet ") + kTable + " out tcp " + side + " " + p + " counter; ";
    rules += std::string("add rule inet ") + kTable + " out tcp " + side + " " + p + " numgen random mod 10000 < " +
             below + " counter drop; ";
  }
  const Ran r = Run({Which("ip"), "netns", "exec", name_, nft, rules});
  if (r.code != 0) return Status::Unavailable("nft refused the loss rule: " + Trim(r.output));
  return "nft numgen random drop " + std::to_string(percent).substr(0, 4) + "% each way on port " + p + " (netns " +
         name_ + " lo)";
}

Result<std::string> NetNamespace::AddRate(int64_t kbit) {
  // The burst must hold a whole packet (MTU 1500); 2 s of queue before
  // tail drop, like a congested cell's buffer.
  const Ran r = Run({Which("tc"), "-n", name_, "qdisc", "add", "dev", "lo", "root", "tbf", "rate",
                     std::to_string(kbit) + "kbit", "burst", "1600", "latency", "2s"});
  if (r.code != 0) return Status::Unavailable("tc refused the tbf qdisc: " + Trim(r.output));
  return "tbf " + std::to_string(kbit) + " kbit/s on netns " + name_ + " lo (shared by both directions)";
}

Result<NetNamespace::LossCount> NetNamespace::CountLoss() const {
  const Ran r = Run({Which("ip"), "netns", "exec", name_, Which("nft"), "list", "table", "inet", kTable});
  if (r.code != 0) return Status::IOError("nft list failed: " + Trim(r.output));
  LossCount c;
  std::istringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t at = line.find("counter packets ");
    if (at == std::string::npos) continue;
    const int64_t n = std::atoll(line.c_str() + at + 16);
    (line.find(" drop") != std::string::npos ? c.dropped : c.seen) += n;
  }
  return c;
}

}  // namespace latih::test
