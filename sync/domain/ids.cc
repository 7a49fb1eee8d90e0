#include "sync/domain/ids.h"

#include <openssl/evp.h>

#include <cassert>
#include <cstdlib>
#include <string>

namespace latih::domain {
namespace {

using UuidBytes = std::array<uint8_t, 16>;

constexpr size_t kUuidTextLength = 36;
constexpr size_t kHyphenPositions[] = {8, 13, 18, 23};
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kKeySeparator = '\x1f';  // ASCII unit separator

// RFC 9562 bit layout.
constexpr size_t kVersionByte = 6;
constexpr size_t kVariantByte = 8;
constexpr uint8_t kLowNibble = 0x0f;
constexpr int kNibbleBits = 4;
constexpr uint8_t kVersionMask = kLowNibble;  // clears the version nibble
constexpr uint8_t kVariantMask = 0x3f;        // keeps the low six bits
constexpr uint8_t kVariantRfc = 0x80;         // 10xx xxxx
constexpr uint8_t kVersion5 = 0x50;
constexpr uint8_t kVersion7 = 0x70;
constexpr int kTimestampBytes = 6;  // 48-bit big-endian unix_ms
constexpr int64_t kMaxTimestamp = (int64_t{1} << 48) - 1;
constexpr int kBitsPerByte = 8;

bool IsHyphenPosition(size_t i) {
  for (size_t p : kHyphenPositions) {
    if (p == i) return true;
  }
  return false;
}

int HexValue(char c) {
  constexpr int kTen = 10;  // value of hex digit 'a'
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + kTen;
  if (c >= 'A' && c <= 'F') return c - 'A' + kTen;
  return -1;
}

// REQUIRES: IsUuid(text).
UuidBytes ParseUuid(std::string_view text) {
  UuidBytes bytes{};
  size_t out = 0;
  bool high = true;
  for (size_t i = 0; i < text.size() && out < bytes.size(); ++i) {
    if (IsHyphenPosition(i)) continue;
    const int v = HexValue(text[i]);
    const uint8_t nibble = static_cast<uint8_t>(v < 0 ? 0 : v);
    if (high) {
      bytes[out] = static_cast<uint8_t>(nibble << kNibbleBits);
    } else {
      bytes[out++] |= nibble;
    }
    high = !high;
  }
  return bytes;
}

std::string FormatUuid(const UuidBytes& bytes) {
  std::string text;
  text.reserve(kUuidTextLength);
  for (uint8_t b : bytes) {
    if (IsHyphenPosition(text.size())) text.push_back('-');
    text.push_back(kHexDigits[b >> kNibbleBits]);
    text.push_back(kHexDigits[b & kLowNibble]);
  }
  return text;
}

void SetVersionAndVariant(UuidBytes& bytes, uint8_t version) {
  bytes[kVersionByte] =
      static_cast<uint8_t>((bytes[kVersionByte] & kVersionMask) | version);
  bytes[kVariantByte] =
      static_cast<uint8_t>((bytes[kVariantByte] & kVariantMask) | kVariantRfc);
}

}  // namespace

std::string UuidV7(int64_t unix_ms, const std::array<uint8_t, 10>& random) {
  assert(unix_ms >= 0 && unix_ms <= kMaxTimestamp);
  const uint64_t ts =
      static_cast<uint64_t>(unix_ms) & static_cast<uint64_t>(kMaxTimestamp);
  UuidBytes bytes{};
  for (int i = 0; i < kTimestampBytes; ++i) {
    const int shift = (kTimestampBytes - 1 - i) * kBitsPerByte;
    bytes[i] = static_cast<uint8_t>(ts >> shift);
  }
  // rand_a (12 bits) = low nibble of random[0] + random[1];
  // rand_b (62 bits) = low six bits of random[2] + random[3..9].
  for (size_t i = 0; i < random.size(); ++i) {
    bytes[kTimestampBytes + i] = random[i];
  }
  SetVersionAndVariant(bytes, kVersion7);
  return FormatUuid(bytes);
}

std::string UuidV5(std::string_view namespace_uuid, std::string_view name) {
  assert(IsUuid(namespace_uuid));
  const UuidBytes ns = ParseUuid(namespace_uuid);
  std::string input(ns.begin(), ns.end());
  input.append(name);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  // Fetched once: OpenSSL 3's implicit fetch inside EVP_sha1() costs more
  // than the hash itself. Never freed (process lifetime).
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  if (sha1 == nullptr ||
      EVP_Digest(input.data(), input.size(), digest, &digest_len, sha1, nullptr) != 1 ||
      digest_len < sizeof(UuidBytes)) {
    // Only an allocation failure inside OpenSSL gets here. A wrong id would
    // silently split rows across replicas, so there is no safe fallback.
    std::abort();
  }
  UuidBytes bytes{};
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = digest[i];
  SetVersionAndVariant(bytes, kVersion5);
  return FormatUuid(bytes);
}

bool IsUuid(std::string_view text) {
  if (text.size() != kUuidTextLength) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsHyphenPosition(i)) {
      if (text[i] != '-') return false;
    } else if (HexValue(text[i]) < 0) {
      return false;
    }
  }
  return true;
}

std::string NaturalId(std::string_view table,
                      std::initializer_list<std::string_view> key_parts) {
  std::string name(table);
  for (std::string_view part : key_parts) {
    name.push_back(kKeySeparator);
    name.append(part);
  }
  return UuidV5(kLatihNamespace, name);
}

}  // namespace latih::domain
