// The versions of one row's cells, as the change log stores them: position 0
// is the row's existence cell, position i+1 the table's column i (catalog
// order). Each cell records the Version that wrote its current value, the
// base (the version its writer had seen, see sync/PROTOCOL.md §5) and the
// local seq at which it last changed. A cell never written has version {0,0}
// (older than any write). Encoded as 40 little-endian bytes per cell, so that
// columns added by later migrations simply extend the array. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sync/hlc.h"

namespace latih::sync {

struct CellVersion {
  Version version;  // {0, 0}: never written
  int64_t seq = 0;  // local feed position of the cell's last change
  Version base;     // the version the writer overwrote knowingly
};

inline constexpr size_t kCellVersionBytes = 40;

// Encodes `cells` (position 0 = existence).
std::string EncodeCellVersions(const std::vector<CellVersion>& cells);

// Decodes `blob` into exactly `count` cells; cells missing from a shorter
// blob (columns added later) are never-written cells. Returns false if the
// blob's length is not a multiple of 40 or it holds more than `count` cells.
bool DecodeCellVersions(std::string_view blob, size_t count, std::vector<CellVersion>* cells);

}  // namespace latih::sync
