// gzip for the wire (sync/PROTOCOL.md §6): request and response bodies are
// gzip-compressed over 2G links. Used by both transports (client/transport,
// server/http); kept out of sync_core so the engine itself links no zlib.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sync/status.h"

namespace latih::sync {

// gzip (RFC 1952) of `data` at compression `level` (1 fast .. 9 small; 6 is
// zlib's default and the best trade-off measured for sync batches).
std::string GzipCompress(std::string_view data, int level = 6);

// Inflates a gzip or zlib stream. Refuses (kInvalidArgument, "request body
// inflates beyond N bytes") once the output would exceed `max_out`: a small
// compressed body may expand a thousandfold (a zip bomb). Corrupt or
// truncated input is kInvalidArgument naming the zlib error.
Result<std::string> GzipDecompress(std::string_view data, int64_t max_out);

// True when `data` starts with the gzip magic bytes.
bool LooksGzipped(std::string_view data);

}  // namespace latih::sync
