// Placeholder until the libcurl transport lands (same session).
#include "client/transport/curl_transport.h"

namespace latih::client {

struct CurlTransport::Impl {};
CurlTransport::CurlTransport(HttpOptions options) : options_(std::move(options)) {}
CurlTransport::~CurlTransport() = default;
Result<sync::SyncResponse> CurlTransport::Exchange(const sync::SyncRequest&) {
  return Status::Unavailable("the HTTP transport is not built yet");
}
Result<std::string> CurlTransport::PostJson(const std::string&, const std::string&) {
  return Status::Unavailable("the HTTP transport is not built yet");
}

}  // namespace latih::client
