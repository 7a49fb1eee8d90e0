// The cpprestsdk adapter behind server/http/listener.h: the only translation
// unit of latih that includes cpprestsdk. Traps of the Linux (asio) listener
// it works around, measured in /work/shared/STACK-NOTES.md §2:
// - gzip request bodies arrive compressed: inflated here, capped;
// - no body size limit: refused here (413), though cpprestsdk still reads
//   the body before the reply goes out;
// - port 0 cannot be read back, and two listeners on the same "host:port"
//   key break each other: a free port is reserved with a plain socket and
//   the ports our listeners hold are tracked process-wide;
// - the listening socket is inherited by children: FD_CLOEXEC is set;
// - a pplx task whose exception is never observed raises SIGTRAP: every
//   task is observed, and nothing is thrown into pplx;
// - handlers that block cpprestsdk's pool threads (on the store's lock)
//   stall the reading of every other request, so a busy server cannot tell
//   its queue from a slow link: handlers run on workers of our own, and
//   the pool threads only read.
#include "server/http/listener.h"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cpprest/http_listener.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <deque>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "server/http/ports.h"
#include "sync/gzip.h"

namespace latih::server::http {
namespace {

namespace wh = web::http;
namespace wl = web::http::experimental::listener;
using Clock = std::chrono::steady_clock;

// A response body at least this large is gzip'd when the request accepts it.
constexpr size_t kGzipMinBytes = 1024;
// Attempts at binding a reserved free port (another process may take it
// between the reservation and the bind).
constexpr int kFreePortAttempts = 20;
// Longest exception text put on a log line.
constexpr size_t kMaxLoggedError = 200;

// Ports held by this process's listeners. cpprestsdk keys listeners by
// "host:port": a second open() on a held key fails AND closes the socket of
// the first listener, so that open() must never be attempted.
std::mutex g_ports_mu;
std::set<int> g_ports;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// {"error":{"code":...,"message":...}}, the project's error body.
std::string ErrorBody(const std::string& code, const std::string& message) {
  const nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = ErrorBody(code, message);
  return r;
}

HttpResponse TooLarge(int64_t size, int64_t limit) {
  return ErrorResponse(413, "too_large",
                       "request body of " + std::to_string(size) + " bytes exceeds the limit of " +
                           std::to_string(limit));
}

// "2026-11-28T14:03:22.123Z", now, UTC.
std::string NowIso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

// A logfmt value: quoted (with " and \ escaped) when it holds a space, a
// quote, '=' or a control character; "" when empty.
std::string LogValue(const std::string& v) {
  bool plain = !v.empty();
  for (unsigned char c : v) plain = plain && c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
  if (plain) return v;
  std::string out = "\"";
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += (c < ' ' || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  return out + "\"";
}

// The state a request needs, shared with in-flight requests so that it
// outlives a Listener destroyed while cpprestsdk still finishes one.
struct Shared {
  ListenerConfig config;
  Handler handler;
  LogSink log;
  std::mutex mu;  // guards the four below
  std::condition_variable idle;
  int in_flight = 0;
  // Requests read whole, waiting for a worker (their handler and reply).
  std::deque<std::function<void()>> ready;
  std::condition_variable work;
  bool stopping = false;
  std::vector<std::thread> workers;  // started and joined by the listener

  void Post(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ready.push_back(std::move(task));
    }
    work.notify_one();
  }
  void Work() {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      work.wait(lock, [this] { return stopping || !ready.empty(); });
      if (ready.empty()) return;  // stopping, and nothing left
      std::function<void()> task = std::move(ready.front());
      ready.pop_front();
      lock.unlock();
      task();  // never throws (Handle and Reply catch everything)
      task = nullptr;  // its request leaves the in-flight count before the lock is taken again
      lock.lock();
    }
  }
};

// Counts a request as in flight for its lifetime.
class InFlight {
 public:
  explicit InFlight(std::shared_ptr<Shared> s) : s_(std::move(s)) {
    std::lock_guard<std::mutex> lock(s_->mu);
    ++s_->in_flight;
  }
  ~InFlight() {
    std::lock_guard<std::mutex> lock(s_->mu);
    if (--s_->in_flight == 0) s_->idle.notify_all();
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  Shared& shared() { return *s_; }

 private:
  std::shared_ptr<Shared> s_;
};

// Everything about one request between its headers and its log line.
struct RequestState {
  explicit RequestState(std::shared_ptr<Shared> s) : guard(std::move(s)) {}
  InFlight guard;
  Clock::time_point start = Clock::now();
  HttpRequest request;
  std::string error;  // for the log: why the handler failed
};

// Our request from cpprestsdk's, without the body.
HttpRequest Translate(const wh::http_request& req) {
  HttpRequest r;
  r.method = req.method();
  const web::uri& uri = req.request_uri();
  r.path = uri.path();
  r.query = uri.query();
  for (const auto& [name, value] : req.headers()) r.headers[Lower(name)] = value;
  r.remote = req.remote_address();
  return r;
}

// The declared Content-Length, or -1 when absent or unreadable.
int64_t DeclaredLength(const HttpRequest& r) {
  const std::string v = r.Header("content-length");
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 18) return -1;
  return std::stoll(v);
}

// Checks and inflates the body received (exch.request.body, raw), then runs
// the handler. Never throws.
HttpResponse Handle(RequestState& exch) {
  Shared& s = exch.guard.shared();
  HttpRequest& r = exch.request;
  const int64_t limit = s.config.max_body_bytes;
  if (r.wire_bytes > limit) return TooLarge(r.wire_bytes, limit);
  const std::string encoding = Lower(r.Header("content-encoding"));
  if (encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate") {
    Result<std::string> inflated = sync::GzipDecompress(r.body, limit);
    if (!inflated.ok()) {
      const std::string& why = inflated.status().message();
      if (why.find("inflates beyond") != std::string::npos) {
        return ErrorResponse(413, "too_large",
                             "request body inflates beyond the limit of " + std::to_string(limit) + " bytes");
      }
      return ErrorResponse(400, "bad_request", "request " + why);
    }
    r.body = std::move(inflated).value();
  } else if (!encoding.empty() && encoding != "identity") {
    return ErrorResponse(400, "bad_request", "unsupported Content-Encoding: " + encoding);
  }
  try {
    return s.handler(r);
  } catch (const std::exception& e) {
    exch.error = e.what();
  } catch (...) {
    exch.error = "unknown exception";
  }
  return ErrorResponse(500, "internal", "the server failed to handle the request");
}

bool AcceptsGzip(const HttpRequest& r) { return Lower(r.Header("accept-encoding")).find("gzip") != std::string::npos; }

// Sends `resp` for `req` and writes the log line. Never throws.
void Reply(wh::http_request& req, RequestState& exch, HttpResponse resp) {
  int64_t out_bytes = 0;
  try {
    wh::http_response out(static_cast<wh::status_code>(resp.status));
    bool encoded = false;
    for (const auto& [name, value] : resp.headers) {
      out.headers().add(name, value);
      encoded = encoded || Lower(name) == "content-encoding";
    }
    std::string body = std::move(resp.body);
    if (!encoded && body.size() >= kGzipMinBytes && AcceptsGzip(exch.request)) {
      body = sync::GzipCompress(body);
      out.headers().add("Content-Encoding", "gzip");
      out.headers().add("Vary", "Accept-Encoding");
    }
    out.headers().set_content_type(resp.content_type);  // before set_body, which defaults it
    out_bytes = static_cast<int64_t>(body.size());
    out.set_body(std::vector<unsigned char>(body.begin(), body.end()));
    req.reply(out).then([](pplx::task<void> t) {
      try {
        t.get();
      } catch (...) {  // the connection is gone: nothing left to tell anyone
      }
    });
  } catch (const std::exception& e) {
    if (exch.error.empty()) exch.error = std::string("reply failed: ") + e.what();
  }
  Shared& s = exch.guard.shared();
  if (!s.log) return;
  const HttpRequest& r = exch.request;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - exch.start).count();
  std::string line = "ts=" + NowIso8601() + " method=" + LogValue(r.method) + " path=" + LogValue(r.path) +
                     " status=" + std::to_string(resp.status) + " in=" + std::to_string(r.wire_bytes) +
                     " out=" + std::to_string(out_bytes) + " ms=" + std::to_string(ms) +
                     " remote=" + LogValue(r.remote);
  if (!exch.error.empty()) line += " error=" + LogValue(exch.error.substr(0, kMaxLoggedError));
  if (!resp.log_fields.empty()) line += " " + resp.log_fields;
  try {
    s.log(line);
  } catch (...) {  // a failing log sink must not take the listener down
  }
}

// The support() callback: runs on cpprestsdk's threads once the headers are
// in; the body is awaited in a continuation so no pool thread blocks on it.
void OnRequest(const std::shared_ptr<Shared>& shared, wh::http_request req) {
  std::shared_ptr<RequestState> exch;
  try {
    exch = std::make_shared<RequestState>(shared);
    exch->request = Translate(req);
    const int64_t declared = DeclaredLength(exch->request);
    if (declared > shared->config.max_body_bytes) {
      exch->request.wire_bytes = declared;
      Reply(req, *exch, TooLarge(declared, shared->config.max_body_bytes));
      return;
    }
    req.extract_vector().then([req, exch](pplx::task<std::vector<unsigned char>> body) mutable {
      try {
        std::vector<unsigned char> bytes = body.get();
        exch->request.wire_bytes = static_cast<int64_t>(bytes.size());
        exch->request.body.assign(bytes.begin(), bytes.end());
      } catch (const std::exception& e) {
        exch->error = std::string("reading the body failed: ") + e.what();
        Reply(req, *exch, ErrorResponse(400, "bad_request", "the request body could not be read"));
        return;
      }
      exch->request.received_at = Clock::now();
      exch->guard.shared().Post([req, exch]() mutable { Reply(req, *exch, Handle(*exch)); });
    });
  } catch (const std::exception& e) {
    if (!exch) return;  // out of memory before anything started: cpprestsdk answers 500
    exch->error = e.what();
    Reply(req, *exch, ErrorResponse(500, "internal", "the server failed to handle the request"));
  }
}

// kInvalidArgument naming `path` unless it can be opened for reading.
Status CheckReadable(const std::string& path, const char* what) {
  std::ifstream f(path, std::ios::binary);
  if (!f.is_open() || f.peek() == std::ifstream::traits_type::eof()) {
    return Status::Invalid(std::string("cannot read the TLS ") + what + " file " + path +
                           (f.is_open() ? ": it is empty" : ": " + std::string(std::strerror(errno))));
  }
  return Status::Ok();
}

// Modern TLS only (1.2 and later), with the PEM chain and key. Throws
// boost::system::system_error on a bad file (cpprestsdk catches that one
// per connection; StartListener checks the files first).
void ConfigureTls(boost::asio::ssl::context& ctx, const std::string& cert, const std::string& key) {
  namespace ssl = boost::asio::ssl;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  ctx.use_certificate_chain_file(cert);
  ctx.use_private_key_file(key, ssl::context::pem);
}

Status CheckTls(const ListenerConfig& c) {
  if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
    return Status::Invalid("TLS needs both a certificate file and a key file");
  }
  if (c.tls_cert_file.empty()) return Status::Ok();
  LATIH_RETURN_IF_ERROR(CheckReadable(c.tls_cert_file, "certificate"));
  LATIH_RETURN_IF_ERROR(CheckReadable(c.tls_key_file, "key"));
  try {
    boost::asio::ssl::context probe(boost::asio::ssl::context::tls_server);
    ConfigureTls(probe, c.tls_cert_file, c.tls_key_file);
  } catch (const std::exception& e) {
    return Status::Invalid("cannot load the TLS certificate " + c.tls_cert_file + " and key " + c.tls_key_file +
                           ": " + e.what());
  }
  return Status::Ok();
}

// "address in use" for "bind: Address already in use", and so on.
std::string BindError(const std::string& what) {
  if (what.find("Address already in use") != std::string::npos) return "address in use";
  if (what.find("Cannot assign requested address") != std::string::npos) return "not an address of this machine";
  if (what.find("Permission denied") != std::string::npos) return "permission denied";
  return what;
}

class CppRestListener final : public Listener {
 public:
  CppRestListener(std::unique_ptr<wl::http_listener> listener, std::shared_ptr<Shared> shared, int port,
                  std::string url)
      : listener_(std::move(listener)), shared_(std::move(shared)), port_(port), url_(std::move(url)) {}
  ~CppRestListener() override { Stop(); }
  CppRestListener(const CppRestListener&) = delete;
  CppRestListener& operator=(const CppRestListener&) = delete;

  int port() const override { return port_; }
  std::string url() const override { return url_; }

  void Stop() override {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    try {
      listener_->close().wait();
    } catch (...) {  // a listener broken by cpprestsdk itself: nothing to close
    }
    listener_.reset();
    {
      std::unique_lock<std::mutex> wait(shared_->mu);
      shared_->idle.wait(wait, [this] { return shared_->in_flight == 0; });
      shared_->stopping = true;
    }
    shared_->work.notify_all();
    for (auto& t : shared_->workers) t.join();
    std::lock_guard<std::mutex> ports(g_ports_mu);
    g_ports.erase(port_);
  }

 private:
  std::unique_ptr<wl::http_listener> listener_;
  std::shared_ptr<Shared> shared_;
  const int port_;
  const std::string url_;
  std::mutex stop_mu_;
  bool stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<Listener>> StartListener(const ListenerConfig& config, Handler handler, LogSink log) {
  if (!handler) return Status::Invalid("no request handler");
  if (config.host.empty() || config.host.find_first_of("/?#@[] ") != std::string::npos) {
    return Status::Invalid("bad listen host \"" + config.host + "\"");
  }
  if (config.port < 0 || config.port > 65535) {
    return Status::Invalid("bad listen port " + std::to_string(config.port));
  }
  if (config.max_body_bytes <= 0) return Status::Invalid("max_body_bytes must be positive");
  LATIH_RETURN_IF_ERROR(CheckTls(config));

  const bool tls = !config.tls_cert_file.empty();
  wl::http_listener_config cfg;
  if (tls) {
    cfg.set_ssl_context_callback([cert = config.tls_cert_file, key = config.tls_key_file](
                                     boost::asio::ssl::context& ctx) { ConfigureTls(ctx, cert, key); });
  }
  auto shared = std::make_shared<Shared>();
  shared->config = config;
  shared->handler = std::move(handler);
  shared->log = std::move(log);
  const int workers = config.workers > 0 ? config.workers
                                         : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  for (int i = 0; i < workers; ++i) shared->workers.emplace_back([raw = shared.get()] { raw->Work(); });
  // Joins the workers on every way out below but success (the listener does then).
  struct JoinOnFailure {
    Shared& s;
    bool armed = true;
    ~JoinOnFailure() {
      if (!armed) return;
      {
        std::lock_guard<std::mutex> lock(s.mu);
        s.stopping = true;
      }
      s.work.notify_all();
      for (auto& t : s.workers) t.join();
    }
  } join_on_failure{*shared};
  const std::string host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;

  std::lock_guard<std::mutex> lock(g_ports_mu);
  std::string last_error = "no free port found";
  const int attempts = config.port == 0 ? kFreePortAttempts : 1;
  for (int i = 0; i < attempts; ++i) {
    const int port = config.port != 0 ? config.port : ReserveFreePort(config.host);
    const std::string where = config.host + ":" + std::to_string(port);
    if (port == 0) continue;
    if (g_ports.count(port)) {  // ours already: open() would break that listener
      if (config.port != 0) return Status::Invalid("cannot listen on " + where + ": address in use");
      continue;
    }
    const std::string url = (tls ? "https://" : "http://") + host + ":" + std::to_string(port);
    try {
      auto listener = std::make_unique<wl::http_listener>(web::uri(url + "/"), cfg);
      listener->support([shared](wh::http_request req) { OnRequest(shared, std::move(req)); });
      listener->open().wait();
      SetCloexecOnListeningSocket(port);
      g_ports.insert(port);
      join_on_failure.armed = false;
      return std::unique_ptr<Listener>(
          std::make_unique<CppRestListener>(std::move(listener), shared, port, url));
    } catch (const std::exception& e) {
      last_error = BindError(e.what());
      if (config.port != 0 || last_error != "address in use") {
        return Status::Invalid("cannot listen on " + where + ": " + last_error);
      }
    }
  }
  return Status::Invalid("cannot listen on " + config.host + ": " + last_error + " (after " +
                         std::to_string(attempts) + " attempts)");
}

}  // namespace latih::server::http
