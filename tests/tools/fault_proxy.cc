#include "tests/tools/fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <system_error>
#include <thread>
#include <vector>

namespace latih::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kReadSize = 16 * 1024;
// A direction of a connection stops reading while this much waits in it:
// the sender then meets a full link, as it would on a real one.
constexpr size_t kMaxQueued = 256 * 1024;
// Under a rate limit, writes wait for at least this many tokens (or the
// rest of a chunk): no storm of one-byte writes.
constexpr int64_t kQuantum = 512;
// The token bucket holds 1/kBurstDivisor s of the rate, at least kMinBurst.
constexpr int64_t kBurstDivisor = 20;
constexpr int64_t kMinBurst = 1500;
// The longest poll() wait (a setter also wakes the thread at once).
constexpr int kMaxWaitMs = 100;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// Closes `fd` with SO_LINGER 0: the peer gets a RST, not a FIN.
void ResetFd(int fd) {
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

struct Chunk {
  Clock::time_point due;
  std::string data;  // empty: the sender shut down its side (end of stream)
};

// One direction of one connection.
struct Flow {
  int from = -1, to = -1;
  std::deque<Chunk> queue;
  size_t queued = 0;  // bytes in `queue` not yet written
  size_t offset = 0;  // bytes of queue.front() already written
  bool read_eof = false;
  bool done = false;     // the end of stream was passed on
  bool blocked = false;  // the last write would block: wait for POLLOUT
  Clock::time_point last_due;
};

struct Conn {
  int client = -1, server = -1;
  bool connecting = true;  // the connection to the target is in progress
  Flow flow[2];            // indexed by Direction
  int64_t carried = 0;     // bytes forwarded, both directions
  int64_t reset_at = -1;   // the reset probability picked this one: reset at this many bytes
  bool dead = false;
};

struct Bucket {
  double tokens = 0;
  Clock::time_point last{};
  void Refill(Clock::time_point now, int64_t rate) {
    const double burst = static_cast<double>(std::max(kMinBurst, rate / kBurstDivisor));
    if (last == Clock::time_point{}) tokens = burst;
    tokens = std::min(burst, tokens + std::chrono::duration<double>(now - last).count() * static_cast<double>(rate));
    last = now;
  }
};

int Index(Direction d) { return d == Direction::kUp ? 0 : 1; }

}  // namespace

struct FaultProxy::Impl {
  sockaddr_in target{};
  int listen_fd = -1;
  int wake[2] = {-1, -1};
  std::string listen_address;
  std::thread thread;
  std::atomic<bool> stop{false};

  // Guarded by mu: the settings and everything the thread does between two
  // poll() calls (it holds mu except while it waits).
  mutable std::mutex mu;
  int64_t delay_ms[2] = {0, 0};
  int64_t rate[2] = {0, 0};
  int64_t cut_after = 0;
  bool stalled = false;
  int64_t stall_after = -1;  // down bytes left before stalling; -1: not armed
  bool link_down = false;
  bool reset_all = false;
  double reset_p = 0;
  int64_t reset_within = 0;
  ProxyStats stats;
  std::vector<Conn> conns;
  Bucket buckets[2];
  std::mt19937_64 rng;

  ~Impl();
  void Wake() const {
    const char b = 1;
    (void)!write(wake[1], &b, 1);
  }
  void Run();
  int WaitMs(Clock::time_point now) const;
  void Accept();
  void Abort(Conn& c);
  void Read(Conn& c, int d, Clock::time_point now);
  void Pump(Conn& c, int d, Clock::time_point now);
  void FinishConnect(Conn& c);
};

FaultProxy::Impl::~Impl() {
  for (Conn& c : conns) {
    if (!c.dead) Abort(c);
  }
  if (listen_fd >= 0) close(listen_fd);
  for (int fd : wake) {
    if (fd >= 0) close(fd);
  }
}

void FaultProxy::Impl::Abort(Conn& c) {
  ResetFd(c.client);
  ResetFd(c.server);
  c.dead = true;
}

void FaultProxy::Impl::Accept() {
  while (true) {
    const int client = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) return;  // EAGAIN, or an error the next poll() reports again
    ++stats.connections;
    const int server = link_down ? -1 : socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const bool started = server >= 0 && (connect(server, reinterpret_cast<const sockaddr*>(&target), sizeof target) == 0 ||
                                         errno == EINPROGRESS);
    if (!started) {
      if (server >= 0) close(server);
      ResetFd(client);
      ++stats.refused;
      continue;
    }
    const int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Conn c;
    c.client = client;
    c.server = server;
    c.flow[0].from = c.flow[1].to = client;
    c.flow[0].to = c.flow[1].from = server;
    if (reset_p > 0 && reset_within > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < reset_p) {
      c.reset_at = std::uniform_int_distribution<int64_t>(0, reset_within - 1)(rng);
    }
    conns.push_back(std::move(c));
  }
}

void FaultProxy::Impl::FinishConnect(Conn& c) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(c.server, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
    Abort(c);  // the target refused: the client sees a reset
    ++stats.refused;
    return;
  }
  c.connecting = false;
}

void FaultProxy::Impl::Read(Conn& c, int d, Clock::time_point now) {
  Flow& f = c.flow[d];
  if (c.dead || f.read_eof || f.queued >= kMaxQueued) return;
  char buf[kReadSize];
  const ssize_t n = recv(f.from, buf, std::min(kReadSize, kMaxQueued - f.queued), 0);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) Abort(c);  // pass a reset on
    return;
  }
  // Order is kept even when the delay was shortened meanwhile.
  const Clock::time_point due = std::max(now + std::chrono::milliseconds(delay_ms[d]), f.last_due);
  f.last_due = due;
  f.queue.push_back(Chunk{due, std::string(buf, static_cast<size_t>(n))});
  f.queued += static_cast<size_t>(n);
  if (n == 0) f.read_eof = true;
}

void FaultProxy::Impl::Pump(Conn& c, int d, Clock::time_point now) {
  Flow& f = c.flow[d];
  if (c.dead || c.connecting || stalled || f.blocked) return;
  while (!f.queue.empty() && f.queue.front().due <= now) {
    Chunk& chunk = f.queue.front();
    if (chunk.data.empty()) {
      shutdown(f.to, SHUT_WR);
      f.done = true;
      f.queue.pop_front();
      continue;
    }
    int64_t n = static_cast<int64_t>(chunk.data.size() - f.offset);
    if (rate[d] > 0) {
      const int64_t tokens = static_cast<int64_t>(buckets[d].tokens);
      if (tokens < std::min(n, kQuantum)) return;
      n = std::min(n, tokens);
    }
    if (cut_after > 0) n = std::min(n, cut_after - c.carried);
    if (c.reset_at >= 0) n = std::min(n, c.reset_at - c.carried);
    if (d == 1 && stall_after >= 0) n = std::min(n, stall_after);
    ssize_t w = 0;
    if (n > 0) {
      w = send(f.to, chunk.data.data() + f.offset, static_cast<size_t>(n), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          f.blocked = true;
          return;
        }
        Abort(c);
        return;
      }
      f.offset += static_cast<size_t>(w);
      f.queued -= static_cast<size_t>(w);
      c.carried += w;
      (d == 0 ? stats.bytes_up : stats.bytes_down) += w;
      buckets[d].tokens -= static_cast<double>(w);
      if (d == 1 && stall_after >= 0) stall_after -= w;
      if (f.offset == chunk.data.size()) {
        f.queue.pop_front();
        f.offset = 0;
      }
    }
    if (cut_after > 0 && c.carried >= cut_after) {
      Abort(c);
      ++stats.cuts;
      return;
    }
    if (c.reset_at >= 0 && c.carried >= c.reset_at) {
      Abort(c);
      ++stats.resets;
      return;
    }
    if (d == 1 && stall_after == 0) {
      stalled = true;
      stall_after = -1;
      ++stats.stalls;
      return;
    }
    if (w < n) {  // the socket buffer is full
      f.blocked = true;
      return;
    }
  }
}

int FaultProxy::Impl::WaitMs(Clock::time_point now) const {
  if (stalled) return kMaxWaitMs;
  auto wait = std::chrono::milliseconds(kMaxWaitMs);
  auto consider = [&](Clock::duration d) {
    // Rounded up: waking a little early would spin until the time comes.
    wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(std::max(d, Clock::duration(0))));
  };
  for (const Conn& c : conns) {
    if (c.connecting) continue;
    for (int d = 0; d < 2; ++d) {
      const Flow& f = c.flow[d];
      if (f.blocked || f.queue.empty()) continue;
      const Chunk& chunk = f.queue.front();
      if (chunk.due > now) {
        consider(chunk.due - now);
      } else if (rate[d] > 0) {
        const auto need = static_cast<double>(
            std::min<int64_t>(static_cast<int64_t>(chunk.data.size() - f.offset), kQuantum));
        const double s = std::max(need - buckets[d].tokens, 1.0) / static_cast<double>(rate[d]);
        consider(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)));
      } else {
        consider(Clock::duration(0));
      }
    }
  }
  return static_cast<int>(wait.count());
}

void FaultProxy::Impl::Run() {
  std::vector<pollfd> fds;
  std::unique_lock<std::mutex> lock(mu);
  while (!stop) {
    auto now = Clock::now();
    if (reset_all || link_down) {
      for (Conn& c : conns) {
        if (c.dead) continue;
        Abort(c);
        ++stats.resets;
      }
      reset_all = false;
    }
    for (int d = 0; d < 2; ++d) buckets[d].Refill(now, rate[d]);
    for (Conn& c : conns) {
      for (int d = 0; d < 2; ++d) Pump(c, d, now);
      if (!c.dead && c.flow[0].done && c.flow[1].done) {
        close(c.client);
        close(c.server);
        c.dead = true;
      }
    }
    std::erase_if(conns, [](const Conn& c) { return c.dead; });

    fds.assign({{wake[0], POLLIN, 0}, {listen_fd, POLLIN, 0}});
    for (const Conn& c : conns) {
      auto wants = [](const Flow& in, const Flow& out) {
        short ev = 0;
        if (!in.read_eof && in.queued < kMaxQueued) ev |= POLLIN;
        if (out.blocked) ev |= POLLOUT;
        return ev;
      };
      const short client_ev = wants(c.flow[0], c.flow[1]);
      const short server_ev = c.connecting ? short{POLLOUT} : wants(c.flow[1], c.flow[0]);
      // A negative fd is skipped by poll(): nothing wanted, no busy wake-ups
      // from a hung-up socket whose queue is full.
      fds.push_back({client_ev ? c.client : -1, client_ev, 0});
      fds.push_back({server_ev ? c.server : -1, server_ev, 0});
    }
    const int wait = WaitMs(now);
    lock.unlock();
    const int ready = poll(fds.data(), fds.size(), wait);
    lock.lock();
    if (ready <= 0) continue;
    char drain[64];
    while (read(wake[0], drain, sizeof drain) > 0) {
    }
    now = Clock::now();
    for (size_t i = 0; i < conns.size(); ++i) {
      Conn& c = conns[i];
      const short client_rev = fds[2 + 2 * i].revents, server_rev = fds[3 + 2 * i].revents;
      if (c.connecting && server_rev != 0) FinishConnect(c);
      if (client_rev & POLLOUT) c.flow[1].blocked = false;
      if (!c.connecting && (server_rev & POLLOUT)) c.flow[0].blocked = false;
      if (client_rev & (POLLIN | POLLHUP | POLLERR)) Read(c, 0, now);
      if (!c.connecting && (server_rev & (POLLIN | POLLHUP | POLLERR))) Read(c, 1, now);
    }
    if (fds[1].revents & POLLIN) Accept();
  }
}

FaultProxy::FaultProxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

FaultProxy::~FaultProxy() {
  impl_->stop = true;
  impl_->Wake();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<std::unique_ptr<FaultProxy>> FaultProxy::Start(Options options) {
  auto impl = std::make_unique<Impl>();
  impl->listen_fd = options.listen_fd;  // owned from here on
  impl->rng.seed(options.seed);
  if (options.target_port <= 0 || options.target_port > 65535) {
    return Status::Invalid("target port " + std::to_string(options.target_port) + " is not in 1..65535");
  }
  impl->target.sin_family = AF_INET;
  impl->target.sin_port = htons(static_cast<uint16_t>(options.target_port));
  if (inet_pton(AF_INET, options.target_host.c_str(), &impl->target.sin_addr) != 1) {
    return Status::Invalid("target host '" + options.target_host + "' is not an IPv4 address");
  }
  if (impl->listen_fd < 0) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    if (options.listen_port < 0 || options.listen_port > 65535) {
      return Status::Invalid("listen port " + std::to_string(options.listen_port) + " is not in 0..65535");
    }
    addr.sin_port = htons(static_cast<uint16_t>(options.listen_port));
    if (inet_pton(AF_INET, options.listen_host.c_str(), &addr.sin_addr) != 1) {
      return Status::Invalid("listen host '" + options.listen_host + "' is not an IPv4 address");
    }
    impl->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (impl->listen_fd < 0) return Status::IOError(Errno("socket"));
    const int one = 1;
    setsockopt(impl->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(impl->listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return Status::IOError(Errno("bind " + options.listen_host + ":" + std::to_string(options.listen_port)));
    }
    if (listen(impl->listen_fd, 64) != 0) return Status::IOError(Errno("listen"));
  }
  const int flags = fcntl(impl->listen_fd, F_GETFL);
  if (flags < 0 || fcntl(impl->listen_fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return Status::IOError(Errno("listening socket"));
  }
  sockaddr_in bound{};
  socklen_t len = sizeof bound;
  if (getsockname(impl->listen_fd, reinterpret_cast<sockaddr*>(&bound), &len) != 0 || bound.sin_family != AF_INET) {
    return Status::Invalid("the listening socket is not an IPv4 TCP socket");
  }
  char host[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &bound.sin_addr, host, sizeof host);
  impl->listen_address = host;
  if (pipe2(impl->wake, O_NONBLOCK | O_CLOEXEC) != 0) return Status::IOError(Errno("pipe"));
  std::unique_ptr<FaultProxy> proxy(new FaultProxy(std::move(impl)));
  proxy->port_ = ntohs(bound.sin_port);
  try {
    proxy->impl_->thread = std::thread([p = proxy->impl_.get()] { p->Run(); });
  } catch (const std::system_error& e) {
    return Status::IOError(std::string("cannot start the proxy thread: ") + e.what());
  }
  return proxy;
}

std::string FaultProxy::url() const { return "http://" + impl_->listen_address + ":" + std::to_string(port_); }

void FaultProxy::SetDelay(Direction d, int64_t ms) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->delay_ms[Index(d)] = std::max<int64_t>(ms, 0);
  impl_->Wake();
}

void FaultProxy::SetRate(Direction d, int64_t bytes_per_s) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->rate[Index(d)] = std::max<int64_t>(bytes_per_s, 0);
  impl_->Wake();
}

void FaultProxy::SetCutAfter(int64_t bytes) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->cut_after = std::max<int64_t>(bytes, 0);
  impl_->Wake();
}

void FaultProxy::SetStalled(bool stalled) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->stalled = stalled;
  if (!stalled) impl_->stall_after = -1;
  impl_->Wake();
}

void FaultProxy::StallAfter(int64_t down_bytes) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (down_bytes <= 0) {
    impl_->stalled = true;
    ++impl_->stats.stalls;
  } else {
    impl_->stall_after = down_bytes;
  }
  impl_->Wake();
}

void FaultProxy::SetLinkDown(bool down) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->link_down = down;
  impl_->Wake();
}

void FaultProxy::ResetAll() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->reset_all = true;
  impl_->Wake();
}

void FaultProxy::SetResetProbability(double p, int64_t within_bytes) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->reset_p = std::clamp(p, 0.0, 1.0);
  impl_->reset_within = std::max<int64_t>(within_bytes, 0);
  impl_->Wake();
}

ProxyStats FaultProxy::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stats;
}

bool FaultProxy::stalled() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stalled;
}

int FaultProxy::open_connections() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return static_cast<int>(impl_->conns.size());
}

}  // namespace latih::test
