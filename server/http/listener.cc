// Placeholder until the cpprestsdk adapter lands (same session).
#include "server/http/listener.h"

namespace latih::server::http {

Result<std::unique_ptr<Listener>> StartListener(const ListenerConfig&, Handler, LogSink) {
  return Status::Unavailable("the HTTP listener is not built yet");
}

}  // namespace latih::server::http
