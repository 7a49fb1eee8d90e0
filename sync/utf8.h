// Well-formed UTF-8 (Unicode Table 3-7: no overlong forms, no surrogates,
// nothing beyond U+10FFFF). Whatever a store keeps must go out again as
// JSON, whose encoder refuses anything else (nlohmann's type_error 316), so
// text is checked where it enters: every text value (CoerceValue, for local
// writes and peers' rows alike), the ids of local writes (peers' ids come
// from JSON), the server's device and user names. The CSV reader checks
// whole files. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "sync/status.h"

namespace latih::sync {

// The offset of the first byte that does not start a well-formed sequence;
// text.size() when all of `text` is well-formed.
size_t FirstInvalidUtf8(std::string_view text);

// OK for well-formed `text`; otherwise kInvalidArgument "<what> is not valid
// UTF-8 (byte 0xFF at offset 7)".
Status CheckUtf8(std::string_view text, std::string_view what);

}  // namespace latih::sync
