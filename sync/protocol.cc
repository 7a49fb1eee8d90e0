#include "sync/protocol.h"

namespace latih::sync {
namespace {

// Per-cell overhead of the JSON encoding (names, versions, punctuation).
constexpr int64_t kCellOverheadBytes = 64;
constexpr int64_t kRowOverheadBytes = 48;

}  // namespace

int64_t EncodedSize(const RowChange& row) {
  int64_t n = kRowOverheadBytes + static_cast<int64_t>(row.table.size() + row.id.size());
  for (const auto& c : row.cells) {
    n += kCellOverheadBytes + static_cast<int64_t>(c.column.size() + ValueToText(c.value).size());
  }
  return n;
}

}  // namespace latih::sync
