// latih-fault-proxy: FaultProxy (fault_proxy.h) as a program, for trying
// latih on a bad link by hand or from scripts (README "Testing on a bad
// link"). Prints "listening on HOST:PORT" on its first stdout line; signals
// change the faults while it runs; prints its counters when it stops.
#include <signal.h>

#include <chrono>
#include <ctime>
#include <iostream>

#include <CLI/CLI.hpp>

#include "tests/tools/fault_proxy.h"

namespace {

using latih::test::Direction;
using latih::test::FaultProxy;

int64_t KbitToBytes(double kbit) { return static_cast<int64_t>(kbit * 1000 / 8); }

void PrintStats(const FaultProxy& proxy) {
  const latih::test::ProxyStats s = proxy.stats();
  std::cerr << "latih-fault-proxy: up=" << s.bytes_up << " down=" << s.bytes_down << " connections=" << s.connections
            << " refused=" << s.refused << " cuts=" << s.cuts << " resets=" << s.resets << " stalls=" << s.stalls
            << (proxy.stalled() ? " (stalled)" : "") << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A TCP proxy that makes a bad link between a client and a server (latih's bad-link tests).\n"
               "While it runs: SIGUSR1 stalls / un-stalls, SIGUSR2 takes the link down / up, SIGHUP resets\n"
               "every open connection; SIGINT or SIGTERM stop it. It prints its counters on each signal."};
  FaultProxy::Options o;
  double delay = 0, up_delay = -1, down_delay = -1;
  double rate = 0, up_rate = -1, down_rate = -1;
  int64_t cut_after = 0, stall_after = 0, reset_within = 64 * 1024;
  double reset_p = 0, run_for = 0;
  app.add_option("--target", o.target_port, "Port of the server to forward to")->required()->check(CLI::Range(1, 65535));
  app.add_option("--target-host", o.target_host, "IPv4 address of the server (default 127.0.0.1)");
  app.add_option("--listen", o.listen_port, "Port to listen on (default 0: a free one, printed)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--listen-host", o.listen_host, "IPv4 address to listen on (default 127.0.0.1)");
  app.add_option("--delay-ms", delay, "One-way delay of each chunk, both directions (RTT gains twice this)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--up-delay-ms", up_delay, "One-way delay client -> server (overrides --delay-ms)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--down-delay-ms", down_delay, "One-way delay server -> client (overrides --delay-ms)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--rate-kbit", rate, "Bandwidth each way, kbit/s (0: unlimited)")->check(CLI::NonNegativeNumber);
  app.add_option("--up-rate-kbit", up_rate, "Bandwidth client -> server, kbit/s")->check(CLI::NonNegativeNumber);
  app.add_option("--down-rate-kbit", down_rate, "Bandwidth server -> client, kbit/s")->check(CLI::NonNegativeNumber);
  app.add_option("--cut-after", cut_after,
                 "Reset each connection once it carried this many bytes, both directions counted (0: never)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--stall-after", stall_after,
                 "Stop forwarding (connections stay open) after this many bytes went down (0: never)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--reset-prob", reset_p, "Probability that a connection is reset at a random point")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--reset-within", reset_within, "--reset-prob: the point is below this many bytes (default 65536)")
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "Seed of the random resets (default 1)");
  app.add_option("--duration", run_for, "Stop after this many seconds (default 0: run until signalled)")
      ->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);

  // Blocked before the proxy thread starts, so that only sigtimedwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto started = FaultProxy::Start(o);
  if (!started.ok()) {
    std::cerr << "latih-fault-proxy: " << started.status().message() << "\n";
    return 1;
  }
  FaultProxy& proxy = **started;
  proxy.SetDelay(Direction::kUp, static_cast<int64_t>(up_delay >= 0 ? up_delay : delay));
  proxy.SetDelay(Direction::kDown, static_cast<int64_t>(down_delay >= 0 ? down_delay : delay));
  proxy.SetRate(Direction::kUp, KbitToBytes(up_rate >= 0 ? up_rate : rate));
  proxy.SetRate(Direction::kDown, KbitToBytes(down_rate >= 0 ? down_rate : rate));
  proxy.SetCutAfter(cut_after);
  if (stall_after > 0) proxy.StallAfter(stall_after);
  proxy.SetResetProbability(reset_p, reset_within);
  std::cout << "listening on " << proxy.url().substr(7) << " -> " << o.target_host << ":" << o.target_port
            << std::endl;

  bool down = false;
  const timespec tick{1, 0};
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(run_for);
  while (run_for == 0 || std::chrono::steady_clock::now() < end) {
    const int sig = sigtimedwait(&signals, nullptr, &tick);
    if (sig < 0) continue;  // a second passed (or EINTR)
    if (sig == SIGINT || sig == SIGTERM) break;
    if (sig == SIGUSR1) proxy.SetStalled(!proxy.stalled());
    if (sig == SIGUSR2) proxy.SetLinkDown(down = !down);
    if (sig == SIGHUP) proxy.ResetAll();
    PrintStats(proxy);
  }
  PrintStats(proxy);
  return 0;
}
