#include "sync/gzip.h"

#include <zlib.h>

namespace latih::sync {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header
constexpr int kAutoWindowBits = 15 + 32;  // accept gzip or zlib headers
constexpr size_t kChunk = 64 * 1024;

}  // namespace

std::string GzipCompress(std::string_view data, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);  // the bound guarantees one call suffices
  out.resize(rc == Z_STREAM_END ? zs.total_out : 0);
  deflateEnd(&zs);
  return out;
}

Result<std::string> GzipDecompress(std::string_view data, int64_t max_out) {
  z_stream zs{};
  if (inflateInit2(&zs, kAutoWindowBits) != Z_OK) return Status::IOError("zlib: inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    const size_t have = out.size();
    out.resize(have + kChunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + have);
    zs.avail_out = static_cast<uInt>(kChunk);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(have + (kChunk - zs.avail_out));
    if (static_cast<int64_t>(out.size()) > max_out) {
      inflateEnd(&zs);
      return Status::Invalid("body inflates beyond " + std::to_string(max_out) + " bytes");
    }
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK || (zs.avail_in == 0 && zs.avail_out != 0)) {
      const std::string why = zs.msg ? zs.msg : (zs.avail_in == 0 ? "truncated stream" : "error " + std::to_string(rc));
      inflateEnd(&zs);
      return Status::Invalid("body is not valid gzip: " + why);
    }
  }
  inflateEnd(&zs);
  return out;
}

bool LooksGzipped(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

}  // namespace latih::sync
