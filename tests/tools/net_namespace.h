// NetNamespace: a throwaway Linux network namespace whose loopback is the
// lossy, slow hop of the bad-link tests (this kernel has no netem): random
// packet loss by an nftables rule and a rate limit by a tbf qdisc. The tests
// run the `latih` client inside it (ExecArgs) and make the FaultProxy's
// listening socket there (Listen); the proxy's other side and the server
// stay outside, so only the client <-> proxy hop is shaped.
// Needs root, iproute2 and nftables (for loss); Create says why it cannot
// when it cannot. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sync/status.h"

namespace latih::test {

class NetNamespace {
 public:
  // Creates namespace latih_bl_<pid>_<n> with its loopback up at MTU 1500
  // (a real link's, so that loss and tbf act on packets of a real size),
  // first deleting those left behind by test processes that are gone.
  // kUnavailable, with the reason, when this machine does not allow it (not
  // root, no `ip`, `ip netns add` refused).
  static Result<std::unique_ptr<NetNamespace>> Create();
  ~NetNamespace();  // ip netns del: its rules and qdiscs go with it
  NetNamespace(const NetNamespace&) = delete;
  NetNamespace& operator=(const NetNamespace&) = delete;

  const std::string& name() const { return name_; }
  // The program and arguments that run `program args...` inside the
  // namespace (`ip netns exec NAME program args...`).
  std::pair<std::string, std::vector<std::string>> ExecArgs(const std::string& program,
                                                            std::vector<std::string> args) const;
  // A listening TCP socket on 127.0.0.1 (a free port) inside the namespace,
  // made by the calling thread, which is moved in and back. The caller owns
  // it. kIOError if a step fails.
  Result<int> Listen() const;
  // Drops `percent` % of the TCP packets to and from `port` at random, each
  // direction (nft `numgen random` in the output hook). Returns a
  // description of the rule; kUnavailable when nft is missing or refused.
  Result<std::string> AddLoss(int port, double percent);
  // Limits the namespace's loopback to `kbit` kbit/s with tbf (both
  // directions share it: fine for request-then-response traffic). Returns
  // a description; kUnavailable when tc refused.
  Result<std::string> AddRate(int64_t kbit);

  struct LossCount {
    int64_t seen = 0;     // packets to or from the port
    int64_t dropped = 0;  // of which the rule dropped
  };
  // What the AddLoss rule did so far. REQUIRES: AddLoss succeeded.
  Result<LossCount> CountLoss() const;

 private:
  explicit NetNamespace(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

}  // namespace latih::test
