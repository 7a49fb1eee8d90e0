// FaultProxy: a user-space TCP proxy that puts a bad link between a client
// and a server, for the bad-link tests (tests/integration/bad_link_test.cc)
// and the `latih-fault-proxy` program (fault_proxy_main.cc). Per direction
// it delays every chunk (keeping order) and limits the rate; on demand it
// stalls, resets connections, cuts each connection after N bytes, or takes
// the link down. POSIX sockets, poll() and one thread; IPv4 only.
// Thread-safe: the setters and stats() may be called from any thread while
// the proxy runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sync/status.h"

namespace latih::test {

enum class Direction { kUp, kDown };  // up: client -> server; down: server -> client

struct ProxyStats {
  int64_t bytes_up = 0;     // forwarded client -> server
  int64_t bytes_down = 0;   // forwarded server -> client
  int64_t connections = 0;  // accepted, refused ones included
  int64_t refused = 0;      // reset at accept: the link was down or the target refused
  int64_t cuts = 0;         // connections reset by SetCutAfter
  int64_t resets = 0;       // connections reset by ResetAll, SetLinkDown or the reset probability
  int64_t stalls = 0;       // times a StallAfter trigger fired
};

class FaultProxy {
 public:
  struct Options {
    int target_port = 0;                    // REQUIRED
    std::string target_host = "127.0.0.1";  // dotted IPv4
    std::string listen_host = "127.0.0.1";
    int listen_port = 0;  // 0: a free port
    // A listening socket to adopt instead of making one (e.g. one made
    // inside a network namespace, tests/tools/net_namespace.h). Owned from
    // Start on, even when Start fails.
    int listen_fd = -1;
    uint64_t seed = 1;  // of the reset probability's random numbers
  };

  // Listens and starts forwarding on its own thread, with no faults set.
  // kInvalidArgument for a bad address or port, kIOError when the socket
  // or the thread cannot be made.
  static Result<std::unique_ptr<FaultProxy>> Start(Options options);
  ~FaultProxy();  // stops the thread, closes every socket (connections are reset)
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  // "http://<listen host>:<port>"
  std::string url() const;

  // One-way latency: every chunk read from one side is written to the other
  // `ms` later, in order (so the round trip gains about twice the delay).
  void SetDelay(Direction d, int64_t ms);
  // Bandwidth of the link in `d` (shared by all connections), a token
  // bucket with a burst of about 1/20 s (at least 1,500 bytes). 0: unlimited.
  void SetRate(Direction d, int64_t bytes_per_s);
  // Each connection is reset (RST to both ends) once it has carried `bytes`,
  // both directions counted together; the last chunk is split so that it
  // carries exactly that many. 0: never.
  void SetCutAfter(int64_t bytes);
  // Stops forwarding in both directions while keeping every connection
  // open (what arrives is queued), until SetStalled(false).
  void SetStalled(bool stalled);
  // Stalls (as SetStalled(true)) once `down_bytes` more bytes have gone
  // down, counted over all connections from now: a server that stops
  // answering mid-response. Replaces an earlier trigger not yet fired.
  void StallAfter(int64_t down_bytes);
  // Down: every open connection is reset and new ones are reset as soon as
  // they are accepted. Up: connections are forwarded again.
  void SetLinkDown(bool down);
  // Resets every open connection now.
  void ResetAll();
  // Each new connection, with probability `p`, is reset after a uniformly
  // random number of bytes below `within_bytes` (both directions counted).
  void SetResetProbability(double p, int64_t within_bytes);

  ProxyStats stats() const;
  bool stalled() const;
  int open_connections() const;

 private:
  struct Impl;
  explicit FaultProxy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace latih::test
