#include "sync/protocol.h"

namespace latih::sync {
namespace {

// Overhead of the JSON encoding (names, punctuation; a row's shared version
// once), measured on attendance batches: within 10 % of the real size, so
// that batches fill to their byte limit (an overestimate halves them).
constexpr int64_t kCellOverheadBytes = 8;
constexpr int64_t kRowOverheadBytes = 60;

}  // namespace

int64_t EncodedSize(const RowChange& row) {
  int64_t n = kRowOverheadBytes + static_cast<int64_t>(row.table.size() + row.id.size());
  for (const auto& c : row.cells) {
    n += kCellOverheadBytes + static_cast<int64_t>(c.column.size() + ValueToText(c.value).size());
  }
  return n;
}

}  // namespace latih::sync
