// Helpers for the tests of the HTTP adapters (tests/server/listener_test.cc,
// tests/client/curl_transport_test.cc): a raw HTTP/1.1 client over a plain
// socket (for requests the real transport never sends: corrupt gzip,
// chunked bodies, lying Content-Length), a thread-safe log collector and a
// self-signed certificate made with the openssl CLI. Depends on nothing of
// latih. LogCollector is thread-safe; the functions are too.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace latih::test {

struct RawResponse {
  int status = 0;                              // 0: no answer (refused, cut, timed out)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;                            // as received
};

// Bytes of one HTTP/1.1 request with `Connection: close` and, unless
// `chunked`, a Content-Length of `body`'s size (when `headers` has none).
std::string RequestBytes(const std::string& method, const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         const std::string& body, bool chunked = false);

// Sends `request` to 127.0.0.1:`port` and reads the answer to EOF (at most
// 10 s; then status 0).
RawResponse RawHttp(int port, const std::string& request);

// Collects log lines from any thread.
class LogCollector {
 public:
  std::function<void(const std::string&)> Sink() {
    return [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.push_back(line);
    };
  }
  std::vector<std::string> Lines() {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }
  // The first line containing `needle`, or "". (Lines of consecutive
  // requests may come in either order: each is written after its reply.)
  std::string Find(const std::string& needle) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& line : lines_) {
      if (line.find(needle) != std::string::npos) return line;
    }
    return "";
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

// Writes a self-signed certificate for 127.0.0.1 (CN and IP SAN) and its
// key into `dir` as cert.pem and key.pem. False if openssl failed.
bool MakeSelfSignedCert(const std::string& dir);

}  // namespace latih::test
