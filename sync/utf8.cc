#include "sync/utf8.h"

#include <string>

namespace latih::sync {
namespace {

// The length of the well-formed UTF-8 sequence at text[pos], or 0.
size_t Utf8SequenceLength(std::string_view text, size_t pos) {
  const auto byte = [&](size_t k) -> unsigned {
    return pos + k < text.size() ? static_cast<unsigned char>(text[pos + k]) : 0;
  };
  const unsigned b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 < 0xC2 || b0 > 0xF4) return 0;
  const size_t length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
  unsigned lo = 0x80, hi = 0xBF;  // the range allowed for the second byte
  if (b0 == 0xE0) lo = 0xA0;      // overlong
  if (b0 == 0xED) hi = 0x9F;      // surrogates
  if (b0 == 0xF0) lo = 0x90;      // overlong
  if (b0 == 0xF4) hi = 0x8F;      // beyond U+10FFFF
  for (size_t k = 1; k < length; ++k) {
    if (byte(k) < lo || byte(k) > hi) return 0;
    lo = 0x80, hi = 0xBF;
  }
  return length;
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t length = Utf8SequenceLength(text, pos);
    if (length == 0) break;
    pos += length;
  }
  return pos;
}

Status CheckUtf8(std::string_view text, std::string_view what) {
  const size_t pos = FirstInvalidUtf8(text);
  if (pos == text.size()) return Status::Ok();
  constexpr std::string_view kHex = "0123456789ABCDEF";
  const auto bad = static_cast<unsigned char>(text[pos]);
  return Status::Invalid(std::string(what) + " is not valid UTF-8 (byte 0x" + kHex[bad >> 4] + kHex[bad & 0xF] +
                         " at offset " + std::to_string(pos) + ")");
}

}  // namespace latih::sync
