// The JSON encoding of the sync messages (sync/PROTOCOL.md §6), for the HTTP
// transport. The only sync/ file that includes nlohmann; domain headers never
// expose json. Compact on purpose (short keys, cells as arrays): it is sent
// over 2G links. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "sync/protocol.h"
#include "sync/status.h"

namespace latih::sync {

std::string EncodeRequest(const SyncRequest& request);
std::string EncodeResponse(const SyncResponse& response);

// Decode untrusted input. kInvalidArgument names what is wrong and where
// ("push.rows[3].c[1]: version is not an integer"); unknown fields are
// ignored. Never throws.
Result<SyncRequest> DecodeRequest(std::string_view json);
Result<SyncResponse> DecodeResponse(std::string_view json);

}  // namespace latih::sync
