// The server's own HTTP request and response, independent of any HTTP
// library: handlers (server/core) are plain functions over these, and the
// adapter in server/http translates cpprestsdk's types to and from them, so
// replacing the HTTP library touches server/http alone. Plain values.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace latih::server {

struct HttpRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // "/v1/sync", without the query
  std::string query;                           // "a=1&b=2", undecoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;                            // already inflated when it came gzip'd
  int64_t wire_bytes = 0;                      // body bytes as received
  std::string remote;                          // peer address, for the log
  // When the body had arrived whole: from then on the time is the server's
  // (queueing behind other requests, then work), not the link's.
  std::chrono::steady_clock::time_point received_at = std::chrono::steady_clock::now();

  // The header's value, or "" when absent. `name` in lower case.
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // logfmt fields the handler adds to the request's log line
  // ("device=7 office=52.71.01.1004 push_rows=500"); never a secret.
  std::string log_fields;
};

// Called once per request, on one of the listener's threads, possibly
// concurrently: must be thread-safe.
using Handler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace latih::server
