// The HTTP listener: the only code in latih that knows cpprestsdk. It turns
// requests into server::HttpRequest, calls the handler, and sends the
// HttpResponse back; everything else (routing, auth, JSON) is the handler's.
//
// What it adds on the way (sync/PROTOCOL.md §6, README "Running a server"):
// - a request whose Content-Length (or chunked body) exceeds max_body_bytes
//   is answered 413 without calling the handler (cpprestsdk still reads the
//   body: nginx in front is the real guard, server/deploy/);
// - a body with Content-Encoding: gzip is inflated, at most max_body_bytes
//   (400 on corrupt gzip, 413 beyond the cap);
// - a response body of 1 KiB or more is gzip'd when the request accepts it;
// - a handler that throws is answered 500; listener-made errors use the
//   project's body {"error":{"code":"too_large|bad_request|internal",...}};
// - one log line per request (logfmt) through `log`.
// Thread-safe: handlers run on cpprestsdk's thread pool, concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/core/http_types.h"
#include "sync/status.h"

namespace latih::server::http {

struct ListenerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;               // 0: pick a free port (read it back with port())
  std::string tls_cert_file;     // both set: HTTPS (PEM chain and key)
  std::string tls_key_file;
  int64_t max_body_bytes = 16 * 1024 * 1024;  // as received, and once inflated
  int workers = 0;  // threads running the handler; 0: one per core, at least 2
};

class Listener {
 public:
  // Stops (see Stop()).
  virtual ~Listener() = default;
  // The port actually bound (the free port picked for port 0), and
  // "http(s)://host:port" without a trailing slash.
  virtual int port() const = 0;
  virtual std::string url() const = 0;
  // Stops accepting, cuts open connections (a request still waiting for
  // its body gets nothing) and waits until every request that reached the
  // handler has been answered and logged: after it returns, neither the
  // handler nor the log sink is called again. Idempotent; never throws.
  // REQUIRES: not called from inside the handler or the log sink.
  virtual void Stop() = 0;
};

// Called after each response with one logfmt line (no trailing newline):
//   ts=2026-11-28T14:03:22.123Z method=POST path=/v1/sync status=200
//   in=<body bytes received> out=<body bytes sent> ms=<since the headers>
//   remote=<peer> [error=<why the handler failed>] [<handler's log_fields>]
// Never header values or bodies. Lines of concurrent or back-to-back
// requests may arrive in any order, from any of the listener's threads.
using LogSink = std::function<void(const std::string& line)>;

// Binds and starts listening on http://host:port/ (https:// when both TLS
// files are set: TLS 1.2 or later). Port 0 picks a free port. `handler`
// answers every method and path; `log` may be empty. Errors, all
// kInvalidArgument with a message naming the culprit: a bad host or port,
// an unreadable or invalid TLS file, a port in use ("cannot listen on
// 127.0.0.1:8080: address in use").
Result<std::unique_ptr<Listener>> StartListener(const ListenerConfig& config, Handler handler, LogSink log);

}  // namespace latih::server::http
