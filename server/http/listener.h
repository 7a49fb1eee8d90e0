// The HTTP listener: the only code in latih that knows cpprestsdk. It turns
// requests into server::HttpRequest, calls the handler, and sends the
// HttpResponse back; everything else (routing, auth, JSON) is the handler's.
//
// What it adds on the way (sync/PROTOCOL.md §6, README "Running a server"):
// - a request whose Content-Length exceeds max_body_bytes is answered 413
//   without calling the handler (cpprestsdk still reads the body: nginx in
//   front is the real guard, server/deploy/);
// - a body with Content-Encoding: gzip is inflated, at most max_body_bytes
//   (400 on corrupt gzip, 413 beyond the cap);
// - a response body of 1 KiB or more is gzip'd when the request accepts it;
// - one log line per request (logfmt) through `log`.
// Thread-safe: handlers run on cpprestsdk's thread pool.
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
  int64_t max_body_bytes = 16 * 1024 * 1024;
};

class Listener {
 public:
  virtual ~Listener() = default;
  // The port actually bound, and "http(s)://host:port".
  virtual int port() const = 0;
  virtual std::string url() const = 0;
  // Stops accepting and waits for in-flight handlers. Idempotent.
  virtual void Stop() = 0;
};

// Called after each response with one logfmt line (no trailing newline).
using LogSink = std::function<void(const std::string& line)>;

// Binds and starts listening. kInvalidArgument for a bad host, unreadable
// TLS files or a port in use (the message says which).
Result<std::unique_ptr<Listener>> StartListener(const ListenerConfig& config, Handler handler, LogSink log);

}  // namespace latih::server::http
