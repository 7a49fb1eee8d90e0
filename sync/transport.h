// How the engine talks to "the server", whatever carries it: HTTP in
// production (client/transport), an in-process loopback in tests.
// Implementations need not be thread-safe; one session uses one transport.
#pragma once

#include "sync/protocol.h"
#include "sync/status.h"

namespace latih::sync {

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one request and returns the server's response. A push in the
  // request is durably applied (or known as applied) when this returns OK.
  // kUnavailable: network failure, retryable (the request may or may not
  // have been applied: resending it is safe). kUnauthenticated,
  // kProtocolMismatch, kInvalidArgument: not retryable as is.
  virtual Result<SyncResponse> Exchange(const SyncRequest& request) = 0;
};

}  // namespace latih::sync
