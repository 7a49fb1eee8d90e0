// Credentials as strings: random bearer tokens and the hash that is all the
// server keeps of them. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace latih::server {

// A fresh token: "lt_" and 43 base64url characters (256 random bits from
// the OS CSPRNG). The prefix makes a leaked token easy to grep for.
std::string NewToken();

// Lower-case hex SHA-256 of `token`. Tokens carry 256 random bits, so a
// plain hash cannot be brute-forced; no salt or slow KDF is needed.
std::string HashToken(std::string_view token);

// Lower-case hex SHA-256 of arbitrary bytes (request bodies, for the audit).
std::string Sha256Hex(std::string_view bytes);

}  // namespace latih::server
