#include "sync/hlc.h"

#include <algorithm>

namespace latih::sync {

int64_t HybridClock::Tick() {
  const int64_t physical = HlcPack(clock_.NowUnixMs(), 0);
  // Either the wall clock moved past everything seen (take it, counter 0) or
  // it did not (keep the last physical part and bump the counter; a full
  // counter carries into the millisecond, which stays ordered).
  last_ = std::max(physical, last_ + 1);
  return last_;
}

void HybridClock::Observe(int64_t remote_hlc) { last_ = std::max(last_, remote_hlc); }

}  // namespace latih::sync
