// FaultProxy (tests/tools/fault_proxy.h) between a client socket and an
// echo server over real sockets on 127.0.0.1: every fault does what it
// says, counted to the byte. Time is asserted only as a lower bound (what
// a delay or a rate must at least cost), never as an upper one.
#include "tests/tools/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <thread>

namespace latih::test {
namespace {

using Clock = std::chrono::steady_clock;

// Echoes every connection back, one at a time, until destroyed.
class EchoServer {
 public:
  EchoServer() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    REQUIRE(listen(fd_, 16) == 0);
    REQUIRE(getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~EchoServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  int port() const { return port_; }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      char buf[8192];
      ssize_t n;
      while ((n = read(c, buf, sizeof buf)) > 0) {
        if (write(c, buf, static_cast<size_t>(n)) != n) break;
      }
      close(c);
    }
  }
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

std::string RandomBytes(size_t n) {
  std::mt19937_64 rng(7);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

struct Echoed {
  std::string data;
  bool reset = false;  // the connection ended with an error (RST), not EOF
};

// Sends `data` on `fd` (from a second thread, so that neither side's
// buffers fill up) and reads until `want` bytes came back, EOF or an error.
Echoed SendAndRead(int fd, const std::string& data, size_t want) {
  std::thread writer([fd, &data] {
    size_t at = 0;
    while (at < data.size()) {
      const ssize_t n = send(fd, data.data() + at, data.size() - at, MSG_NOSIGNAL);
      if (n <= 0) return;
      at += static_cast<size_t>(n);
    }
  });
  Echoed e;
  char buf[8192];
  while (e.data.size() < want) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {
      e.reset = n < 0;
      break;
    }
    e.data.append(buf, static_cast<size_t>(n));
  }
  writer.join();
  return e;
}

std::unique_ptr<FaultProxy> StartProxy(int target) {
  FaultProxy::Options o;
  o.target_port = target;
  auto p = FaultProxy::Start(o);
  INFO(p.status().ToString());
  REQUIRE(p.ok());
  return std::move(p).value();
}

// Waits for `cond` (at most 10 s): a condition with a deadline, not a
// guess of how long something takes.
template <typename Cond>
bool WaitFor(Cond cond) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!cond()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

TEST_CASE("bytes pass through the proxy unchanged both ways and are counted", "[tools][proxy]") {
  EchoServer echo;
  auto proxy = StartProxy(echo.port());
  const std::string data = RandomBytes(200'000);
  const int fd = Connect(proxy->port());
  const Echoed back = SendAndRead(fd, data, data.size());
  close(fd);
  REQUIRE(back.data == data);
  REQUIRE(WaitFor([&] { return proxy->open_connections() == 0; }));
  const ProxyStats s = proxy->stats();
  CHECK(s.bytes_up == 200'000);
  CHECK(s.bytes_down == 200'000);
  CHECK(s.connections == 1);
  CHECK(s.cuts + s.resets + s.refused == 0);
}

TEST_CASE("a one-way delay holds every chunk back at least that long, in order", "[tools][proxy]") {
  EchoServer echo;
  auto proxy = StartProxy(echo.port());
  proxy->SetDelay(Direction::kUp, 120);
  proxy->SetDelay(Direction::kDown, 80);
  const int fd = Connect(proxy->port());
  const auto start = Clock::now();
  // Written as many small pieces: each is delayed, none overtakes another.
  std::string data;
  for (int i = 0; i < 500; ++i) data += std::to_string(i) + ",";
  const Echoed back = SendAndRead(fd, data, data.size());
  const auto rtt = Clock::now() - start;
  close(fd);
  REQUIRE(back.data == data);
  CHECK(rtt >= std::chrono::milliseconds(200));
}

TEST_CASE("a rate limit makes a transfer take at least size / rate", "[tools][proxy]") {
  EchoServer echo;
  auto proxy = StartProxy(echo.port());
  proxy->SetRate(Direction::kDown, 100'000);
  const std::string data = RandomBytes(100'000);
  const int fd = Connect(proxy->port());
  const auto start = Clock::now();
  const Echoed back = SendAndRead(fd, data, data.size());
  const auto took = Clock::now() - start;
  close(fd);
  REQUIRE(back.data == data);
  // All but the bucket's burst (5,000 bytes at this rate) waits for tokens.
  CHECK(took >= std::chrono::milliseconds(940));
}

TEST_CASE("cut-after resets a connection once it carried exactly that many bytes", "[tools][proxy]") {
  EchoServer echo;
  auto proxy = StartProxy(echo.port());
  proxy->SetCutAfter(10'000);
  const int fd = Connect(proxy->port());
  const Echoed back = SendAndRead(fd, RandomBytes(30'000), 30'000);
  close(fd);
  CHECK(back.reset);
  REQUIRE(WaitFor([&] { return proxy->open_connections() == 0; }));
  const ProxyStats s = proxy->stats();
  CHECK(s.bytes_up + s.bytes_down == 10'000);
  CHECK(back.data.size() == static_cast<size_t>(s.bytes_down));
  CHECK(s.cuts == 1);
  // The next connection gets a fresh allowance.
  const int again = Connect(proxy->port());
  CHECK(SendAndRead(again, "hello", 5).data == "hello");
  close(again);
}

TEST_CASE("a stall keeps the connection open and forwards nothing until it is lifted", "[tools][proxy]") {
  EchoServer echo;
  auto proxy = StartProxy(echo.port());
  proxy->StallAfter(1'000);
  const std::string data = RandomBytes(5'000);
  const int fd = Connect(proxy->port());
  std::string got;
  std::thread reader([&] {
    char buf[4096];
    while (got.size() < data.size()) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) return;
      got.append(buf, static_cast<size_t>(n));
    }
  });
  REQUIRE(send(fd, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size()));
  REQUIRE(WaitFor([&] { return proxy->stalled(); }));
  CHECK(proxy->stats().bytes_down == 1'000);
  CHECK(proxy->stats().stalls == 1);
  CHECK(proxy->open_connections() == 1);
  proxy->SetStalled(false);
  reader.join();
  close(fd);
  CHECK(got == data);
  CHECK(proxy->stats().bytes_down == 5'000);
}

TEST_CASE("link down resets open connections and refuses new ones until it is up again", "[tools][proxy]") {
  EchoServer echo;
  auto proxy = StartProxy(echo.port());
  const int open = Connect(proxy->port());
  REQUIRE(SendAndRead(open, "ping", 4).data == "ping");
  proxy->SetLinkDown(true);
  CHECK(SendAndRead(open, "", 1).data.empty());  // cut off: reset, no more data
  close(open);
  const int refused = Connect(proxy->port());  // the kernel accepts; the proxy resets it
  CHECK(SendAndRead(refused, "ping", 4).data.empty());
  close(refused);
  REQUIRE(WaitFor([&] { return proxy->stats().refused == 1; }));
  CHECK(proxy->stats().resets == 1);
  proxy->SetLinkDown(false);
  const int again = Connect(proxy->port());
  CHECK(SendAndRead(again, "pong", 4).data == "pong");
  close(again);
}

TEST_CASE("random resets cut the chosen connections below the given byte count", "[tools][proxy]") {
  EchoServer echo;
  auto proxy = StartProxy(echo.port());
  proxy->SetResetProbability(1.0, 3'000);
  for (int i = 0; i < 3; ++i) {
    const int fd = Connect(proxy->port());
    const Echoed back = SendAndRead(fd, RandomBytes(10'000), 10'000);
    close(fd);
    CHECK(back.data.size() < 3'000);
  }
  REQUIRE(WaitFor([&] { return proxy->stats().resets == 3; }));
  proxy->SetResetProbability(0, 3'000);
  const int fd = Connect(proxy->port());
  CHECK(SendAndRead(fd, RandomBytes(10'000), 10'000).data.size() == 10'000);
  close(fd);
}

TEST_CASE("bad proxy options are refused with the reason", "[tools][proxy]") {
  FaultProxy::Options o;
  CHECK(FaultProxy::Start(o).status().message() == "target port 0 is not in 1..65535");
  o.target_port = 80;
  o.target_host = "localhost";
  CHECK(FaultProxy::Start(o).status().message() == "target host 'localhost' is not an IPv4 address");
  o.target_host = "127.0.0.1";
  o.listen_host = "10.0.0.300";
  CHECK(FaultProxy::Start(o).status().code() == StatusCode::kInvalidArgument);
}

}  // namespace latih::test
