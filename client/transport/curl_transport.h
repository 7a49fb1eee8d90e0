// The client's HTTP transport: sync::Transport over libcurl (the only
// client code that includes curl). One POST per round trip to
// <server>/v1/sync, JSON gzip'd both ways, bearer token, TLS verified.
// Keeps one connection open across round trips (keep-alive). Not
// thread-safe: one per session (a sync::Transport is used by one session at
// a time).
#pragma once

#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sync/protocol.h"
#include "sync/status.h"
#include "sync/transport.h"

namespace latih::client {

struct HttpOptions {
  std::string server_url;     // "https://latih.example.go.id" (no trailing path)
  std::string token;          // bearer token; never logged
  std::string cacert_file;    // a private CA bundle; empty: the system's
  bool insecure_no_verify = false;  // tests only: skip TLS verification
  int64_t connect_timeout_ms = 20'000;
  // A transfer slower than low_speed_bytes per second for low_speed_time_s
  // is abandoned as stalled (kUnavailable) instead of hanging for ever.
  // curl measures the speed over the last ~5 s, upload included, so a link
  // that stops dead right after the request is abandoned up to ~6 s later
  // than low_speed_time_s.
  int64_t low_speed_bytes = 16;
  int64_t low_speed_time_s = 60;
  int64_t max_response_bytes = 64 * 1024 * 1024;  // inflated
  // Set non-zero (from a signal handler) to abandon the request in flight
  // within about a second (kUnavailable, "stopped"); curl would otherwise
  // sit out a stalled transfer. Must outlive the transport.
  const volatile std::sig_atomic_t* stop = nullptr;
};

// Bytes on the wire and requests made, cumulative over the transport's life.
struct WireStats {
  int64_t requests = 0;
  int64_t bytes_up = 0;        // request bodies as sent (gzip'd)
  int64_t bytes_down = 0;      // response bodies as received (gzip'd)
  int64_t raw_bytes_up = 0;    // the same, before compression
  int64_t raw_bytes_down = 0;
};

// Progress of the current request: bytes sent/received so far of the totals
// known (0 when unknown). Called from inside the transfer, on the caller's
// thread.
using ProgressFn = std::function<void(int64_t up_now, int64_t up_total, int64_t down_now, int64_t down_total)>;

class CurlTransport final : public sync::Transport {
 public:
  explicit CurlTransport(HttpOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // sync::Transport: POSTs the request (JSON, gzip'd) to <server>/v1/sync
  // and decodes the answer. Errors:
  // - kUnavailable: cannot resolve or connect, timeout, stalled transfer
  //   (low_speed_*; the message says "the transfer stalled"), cut
  //   connection, empty reply, HTTP 408, 429 or 5xx
  //   (retryable);
  // - kUnauthenticated (401, or the server's TLS certificate could not be
  //   verified: the message points to --cacert), kPermissionDenied (403),
  //   kProtocolMismatch (409: protocol_mismatch or schema_mismatch);
  // - kInvalidArgument: 400/404/413/422 and other statuses, a response
  //   beyond max_response_bytes, or one that does not decode ("server sent
  //   an unreadable response: ...");
  // - kIOError: a local failure.
  // HTTP errors read "server: <the body's error.message> (HTTP <status>)".
  // No message ever contains the token.
  Result<sync::SyncResponse> Exchange(const sync::SyncRequest& request) override;

  // POSTs `json_body` (gzip'd) to <server><path> ("/v1/enroll") with the
  // same headers, and returns the response body, inflated, on 200. Errors
  // as for Exchange.
  Result<std::string> PostJson(const std::string& path, const std::string& json_body);

  // Called during every later transfer; see ProgressFn. Exceptions it
  // throws are swallowed.
  void set_progress(ProgressFn fn) { progress_ = std::move(fn); }
  const WireStats& stats() const { return stats_; }
  // The Retry-After (seconds) of the last answer when it was 429 or 503
  // (a busy server asks the device to come back then); 0 otherwise.
  int64_t retry_after_s() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  HttpOptions options_;
  ProgressFn progress_;
  WireStats stats_;
};

}  // namespace latih::client
