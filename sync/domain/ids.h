// Row identities: every row id is a 128-bit UUID in its canonical lower-case
// text form. New rows get UUIDv7 (time-ordered, generated offline); rows that
// stand for a unique fact get a deterministic UUIDv5-style id derived from
// their natural key, so two replicas recording the same fact offline produce
// the same row. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace latih::domain {

// Canonical text ("0190c7a4-...") of a UUIDv7 built from `unix_ms` (48 bits)
// and 10 random bytes (74 bits are used; version and variant bits are set).
std::string UuidV7(int64_t unix_ms, const std::array<uint8_t, 10>& random);

// RFC 9562 UUIDv5: SHA-1 of the 16 namespace bytes followed by `name`,
// truncated to 128 bits with version 5 and the RFC variant set.
// REQUIRES: IsUuid(namespace_uuid).
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);

// True for 36-character canonical UUID text (8-4-4-4-12 hex, either case).
bool IsUuid(std::string_view text);

// The namespace of all latih natural-key ids. Never change it: every
// deterministic id ever issued depends on it.
inline constexpr std::string_view kLatihNamespace =
    "5b1f7c2e-8d3a-4e61-9a0b-6c4d2e8f1a37";

// Deterministic id of a row of `table` whose natural key is `key_parts`:
// UuidV5(kLatihNamespace, table + "\x1f" + part1 + "\x1f" + part2 ...).
// Callers pass normalized key parts (a normalized NIP, a canonical id).
std::string NaturalId(std::string_view table,
                      std::initializer_list<std::string_view> key_parts);

}  // namespace latih::domain
