// libcurl behind client/transport/curl_transport.h: the only code of latih
// that includes <curl/curl.h>. Bodies are gzip'd here and inflated here
// (not by CURLOPT_ACCEPT_ENCODING) so that the stats count wire bytes.
#include "client/transport/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <csignal>
#include <mutex>
#include <nlohmann/json.hpp>
#include <utility>

#include "sync/gzip.h"
#include "sync/protocol_json.h"

namespace latih::client {
namespace {

constexpr char kUserAgent[] = "latih/" LATIH_VERSION;
constexpr char kSyncPath[] = "/v1/sync";
// Longest piece of an unreadable error body quoted in a message.
constexpr size_t kMaxExcerpt = 200;

// What one POST brought back.
struct Reply {
  long status = 0;
  std::string body;              // as received (gzip'd or not)
  std::string content_encoding;  // lower case
  bool too_large = false;        // the body passed the cap: transfer cut
  int64_t retry_after_s = 0;     // Retry-After in seconds; 0: none, or an HTTP-date
};

struct Receiver {
  Reply* reply;
  int64_t cap;
};

size_t OnBody(char* data, size_t size, size_t n, void* userp) {
  auto* rx = static_cast<Receiver*>(userp);
  const size_t bytes = size * n;
  if (static_cast<int64_t>(rx->reply->body.size() + bytes) > rx->cap) {
    rx->reply->too_large = true;
    return 0;  // CURLE_WRITE_ERROR
  }
  try {
    rx->reply->body.append(data, bytes);
  } catch (...) {
    return 0;
  }
  return bytes;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Keeps the Content-Encoding of the last response (a new status line starts
// a new response).
size_t OnHeader(char* data, size_t size, size_t n, void* userp) {
  auto* reply = static_cast<Reply*>(userp);
  const size_t bytes = size * n;
  try {
    const std::string line(data, bytes);
    if (line.rfind("HTTP/", 0) == 0) {
      reply->content_encoding.clear();
      reply->retry_after_s = 0;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) return bytes;
    const std::string name = Lower(line.substr(0, colon));
    const size_t b = line.find_first_not_of(" \t", colon + 1);
    const size_t e = line.find_last_not_of(" \t\r\n");
    const std::string value = b == std::string::npos || e < b ? "" : line.substr(b, e - b + 1);
    if (name == "content-encoding") reply->content_encoding = Lower(value);
    // delta-seconds only (RFC 9110 §10.2.3); a day at most, whatever is sent.
    if (name == "retry-after" && !value.empty() && value.size() <= 9 &&
        value.find_first_not_of("0123456789") == std::string::npos) {
      reply->retry_after_s = std::min<int64_t>(std::stoll(value), 86400);
    }
  } catch (...) {
    return 0;
  }
  return bytes;
}

// What a transfer's progress callback sees.
struct ProgressHook {
  ProgressFn* fn = nullptr;                      // may be empty
  const volatile std::sig_atomic_t* stop = nullptr;  // may be null
};

// curl calls it at least once a second, also while nothing moves.
int OnProgress(void* clientp, curl_off_t dl_total, curl_off_t dl_now, curl_off_t ul_total, curl_off_t ul_now) {
  auto* hook = static_cast<ProgressHook*>(clientp);
  if (hook->stop != nullptr && *hook->stop != 0) return 1;  // CURLE_ABORTED_BY_CALLBACK
  if (hook->fn != nullptr && *hook->fn) {
    try {
      (*hook->fn)(ul_now, ul_total, dl_now, dl_total);
    } catch (...) {  // a failing progress display must not break the sync
    }
  }
  return 0;
}

// Owns a curl_slist.
struct HeaderList {
  curl_slist* list = nullptr;
  HeaderList() = default;
  ~HeaderList() { curl_slist_free_all(list); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  void Add(const std::string& h) {
    if (curl_slist* next = curl_slist_append(list, h.c_str())) list = next;
  }
};

bool IsTlsVerifyError(CURLcode rc) {
  return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_ISSUER_ERROR ||
         rc == CURLE_SSL_CRL_BADFILE || rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

bool IsNetworkError(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_SSL_CONNECT_ERROR:  // the handshake was cut or refused
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_AGAIN:
      return true;
    default:
      return false;
  }
}

// The Status of a transfer that failed in curl (no HTTP status to map).
// `sending`: the request was (being) sent, so a timeout is the stall
// detector (low_speed_*), not the connect timeout.
Status TransferError(CURLcode rc, const std::string& url, const char* errbuf, const Reply& reply, int64_t cap,
                     bool sending) {
  const std::string why = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
  if (reply.too_large) {
    return Status::Invalid("server sent a response larger than " + std::to_string(cap) + " bytes");
  }
  if (rc == CURLE_ABORTED_BY_CALLBACK) return Status::Unavailable("the request to " + url + " was stopped");
  if (rc == CURLE_OPERATION_TIMEDOUT && sending) {
    return Status::Unavailable("cannot reach " + url + ": the transfer stalled, timed out: " + why);
  }
  if (IsNetworkError(rc)) return Status::Unavailable("cannot reach " + url + ": " + why);
  if (IsTlsVerifyError(rc)) {
    // The server failed to authenticate itself: like a refused token, a
    // person must act (exit 8), retrying will not help.
    return Status::Unauthenticated("cannot verify the TLS certificate of " + url + ": " + why +
                           " (pass the server's CA certificate with --cacert FILE)");
  }
  if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) {
    return Status::Invalid("bad server URL " + url + ": " + why);
  }
  return Status::IOError("request to " + url + " failed: " + why);
}

// The server's error message from a {"error":{"message":...}} body, or a
// printable excerpt of the body.
std::string ServerMessage(const std::string& body) {
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    const auto& e = j["error"];
    if (e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
  }
  std::string excerpt = body.substr(0, kMaxExcerpt);
  for (char& c : excerpt) {
    if (static_cast<unsigned char>(c) < ' ') c = ' ';
  }
  return excerpt.empty() ? "no details" : excerpt;
}

// The Status of a non-200 answer.
Status HttpError(long status, const std::string& body) {
  const std::string m = "server: " + ServerMessage(body) + " (HTTP " + std::to_string(status) + ")";
  switch (status) {
    case 401:
      return Status::Unauthenticated(m);
    case 403:
      return Status::PermissionDenied(m);
    case 409:
      return Status::ProtocolMismatch(m);
    case 408:
    case 429:
      return Status::Unavailable(m);
    default:
      return status >= 500 && status <= 599 ? Status::Unavailable(m) : Status::Invalid(m);
  }
}

// `s` with every occurrence of `secret` masked: a server or a proxy may echo
// the Authorization header back in an error body.
Status Redact(Status s, const std::string& secret) {
  if (s.ok() || secret.empty()) return s;
  std::string m = s.message();
  for (size_t at = m.find(secret); at != std::string::npos; at = m.find(secret, at)) m.replace(at, secret.size(), "***");
  return Status(s.code(), std::move(m));
}

std::once_flag g_curl_init;

}  // namespace

// One easy handle for the transport's life: curl keeps the connection open
// between round trips (keep-alive) and reuses it.
struct CurlTransport::Impl {
  CURL* easy = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {};
  int64_t retry_after_s = 0;  // of the last answer: see CurlTransport::retry_after_s
  ~Impl() {
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
  // Sets every option of one POST of `gz` to `url`; the pointers must stay
  // valid until the transfer ends.
  void SetOptions(const HttpOptions& options, ProgressHook* hook, const std::string& url, const std::string& gz,
                  curl_slist* headers, Reply* reply, Receiver* rx);
  // One POST of `json_body` to <server><path>: PostJson without the
  // redaction of the token. Counts into `stats`.
  Result<std::string> Post(const HttpOptions& options, ProgressFn& progress, WireStats& stats,
                           const std::string& path, const std::string& json_body);
};

CurlTransport::CurlTransport(HttpOptions options) : impl_(std::make_unique<Impl>()), options_(std::move(options)) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  impl_->easy = curl_easy_init();
  while (!options_.server_url.empty() && options_.server_url.back() == '/') options_.server_url.pop_back();
}

CurlTransport::~CurlTransport() = default;

Result<sync::SyncResponse> CurlTransport::Exchange(const sync::SyncRequest& request) {
  LATIH_ASSIGN_OR_RETURN(std::string body, PostJson(kSyncPath, sync::EncodeRequest(request)));
  Result<sync::SyncResponse> response = sync::DecodeResponse(body);
  if (!response.ok()) {
    return Status::Invalid("server sent an unreadable response: " + response.status().message());
  }
  return response;
}

int64_t CurlTransport::retry_after_s() const { return impl_->retry_after_s; }

Result<std::string> CurlTransport::PostJson(const std::string& path, const std::string& json_body) {
  Result<std::string> body = impl_->Post(options_, progress_, stats_, path, json_body);
  if (!body.ok()) return Redact(body.status(), options_.token);
  return body;
}

void CurlTransport::Impl::SetOptions(const HttpOptions& options, ProgressHook* hook, const std::string& url,
                                     const std::string& gz, curl_slist* headers, Reply* reply, Receiver* rx) {
  curl_easy_reset(easy);  // keeps the live connections
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, gz.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(gz.size()));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, rx);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, reply);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(options.low_speed_bytes));
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.low_speed_time_s));
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options.insecure_no_verify ? 0L : 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options.insecure_no_verify ? 0L : 2L);
  if (!options.cacert_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options.cacert_file.c_str());
  if ((hook->fn != nullptr && *hook->fn) || hook->stop != nullptr) {
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, hook);
  }
}

Result<std::string> CurlTransport::Impl::Post(const HttpOptions& options, ProgressFn& progress, WireStats& stats,
                                              const std::string& path, const std::string& json_body) {
  if (easy == nullptr) return Status::IOError("libcurl could not create a handle");
  const std::string url = options.server_url + path;
  const std::string gz = sync::GzipCompress(json_body);
  if (gz.empty()) return Status::IOError("gzip of the request body failed");

  HeaderList headers;
  headers.Add("Content-Type: application/json");
  headers.Add("Content-Encoding: gzip");
  headers.Add("Accept-Encoding: gzip");
  headers.Add("Authorization: Bearer " + options.token);
  headers.Add("Expect:");  // cpprestsdk ignores 100-continue: curl would wait a second
  Reply reply;
  Receiver rx{&reply, options.max_response_bytes};
  errbuf[0] = '\0';

  ProgressHook hook{&progress, options.stop};
  SetOptions(options, &hook, url, gz, headers.list, &reply, &rx);

  retry_after_s = 0;
  const CURLcode rc = curl_easy_perform(easy);
  curl_off_t sent = 0;
  curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &sent);
  ++stats.requests;
  stats.bytes_up += sent;
  stats.bytes_down += static_cast<int64_t>(reply.body.size());
  if (sent == static_cast<curl_off_t>(gz.size())) stats.raw_bytes_up += static_cast<int64_t>(json_body.size());
  if (rc != CURLE_OK) return TransferError(rc, url, errbuf, reply, options.max_response_bytes, sent > 0);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
  retry_after_s = reply.status == 429 || reply.status == 503 ? reply.retry_after_s : 0;

  std::string body = std::move(reply.body);
  if (reply.content_encoding == "gzip" || reply.content_encoding == "x-gzip") {
    Result<std::string> inflated = sync::GzipDecompress(body, options.max_response_bytes);
    if (!inflated.ok()) {
      return Status::Invalid("server sent an unreadable response: " + inflated.status().message() + " (HTTP " +
                             std::to_string(reply.status) + ")");
    }
    body = std::move(inflated).value();
  }
  stats.raw_bytes_down += static_cast<int64_t>(body.size());
  if (reply.status != 200) return HttpError(reply.status, body);
  return body;
}

}  // namespace latih::client
