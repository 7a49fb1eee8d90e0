#include "sync/cell_versions.h"

namespace latih::sync {
namespace {

void PutInt(std::string& out, int64_t v) {
  const uint64_t u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}

int64_t GetInt(const char* p) {
  uint64_t u = 0;
  for (int i = 7; i >= 0; --i) u = (u << 8) | static_cast<uint8_t>(p[i]);
  return static_cast<int64_t>(u);
}

}  // namespace

std::string EncodeCellVersions(const std::vector<CellVersion>& cells) {
  std::string out;
  out.reserve(cells.size() * kCellVersionBytes);
  for (const auto& c : cells) {
    PutInt(out, c.version.hlc);
    PutInt(out, c.version.node);
    PutInt(out, c.seq);
    PutInt(out, c.base.hlc);
    PutInt(out, c.base.node);
  }
  return out;
}

bool DecodeCellVersions(std::string_view blob, size_t count, std::vector<CellVersion>* cells) {
  if (blob.size() % kCellVersionBytes != 0 || blob.size() / kCellVersionBytes > count) return false;
  cells->assign(count, CellVersion{});
  for (size_t i = 0; i < blob.size() / kCellVersionBytes; ++i) {
    const char* p = blob.data() + i * kCellVersionBytes;
    (*cells)[i] = CellVersion{Version{GetInt(p), GetInt(p + 8)}, GetInt(p + 16),
                              Version{GetInt(p + 24), GetInt(p + 32)}};
  }
  return true;
}

}  // namespace latih::sync
