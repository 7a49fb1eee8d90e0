// Hybrid logical clock (Kulkarni et al.): versions that follow physical time
// when clocks behave and stay monotonic when they do not. A timestamp packs
// physical milliseconds and a logical counter into one int64 so that SQLite
// can store and compare it as an INTEGER. Versions are ordered by
// (timestamp, node id); see sync/PROTOCOL.md for the clock rules.
// HybridClock is not thread-safe: one per write transaction.
#pragma once

#include <cstdint>

#include "sync/env.h"

namespace latih::sync {

inline constexpr int kHlcCounterBits = 16;
inline constexpr int64_t kHlcCounterMask = (int64_t{1} << kHlcCounterBits) - 1;

inline int64_t HlcPack(int64_t physical_ms, int64_t counter) {
  return (physical_ms << kHlcCounterBits) | (counter & kHlcCounterMask);
}
inline int64_t HlcPhysicalMs(int64_t hlc) { return hlc >> kHlcCounterBits; }
inline int64_t HlcCounter(int64_t hlc) { return hlc & kHlcCounterMask; }

// A cell version: the HLC timestamp of the write and the replica that made
// it. Total order: timestamp first, node id breaks ties, so every replica
// picks the same winner.
struct Version {
  int64_t hlc = 0;
  int64_t node = 0;
  friend auto operator<=>(const Version&, const Version&) = default;
};

// The device clock corrected by the offset measured against the server
// (PROTOCOL.md §3 rule 1). `base` must outlive this object.
class OffsetClock final : public Clock {
 public:
  OffsetClock(Clock& base, int64_t offset_ms) : base_(base), offset_ms_(offset_ms) {}
  int64_t NowUnixMs() override { return base_.NowUnixMs() + offset_ms_; }

 private:
  Clock& base_;
  int64_t offset_ms_;
};

class HybridClock {
 public:
  // `clock` must outlive this object. `last` is the highest timestamp this
  // replica has issued or observed (persisted across restarts).
  HybridClock(Clock& clock, int64_t last) : clock_(clock), last_(last) {}

  // A timestamp for a local write: greater than every timestamp issued or
  // observed so far, and equal to the physical clock when that is ahead.
  int64_t Tick();

  // Takes a remote timestamp into account so that later local writes order
  // after it. (Bounding how far a remote stamp may drag the clock forward is
  // the sync engine's job; see PROTOCOL.md.)
  void Observe(int64_t remote_hlc);

  int64_t last() const { return last_; }
  // Sets the last timestamp (after re-stamping pending writes).
  void Reset(int64_t last) { last_ = last; }

 private:
  Clock& clock_;
  int64_t last_;
};

}  // namespace latih::sync
