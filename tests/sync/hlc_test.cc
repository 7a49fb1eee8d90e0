#include "sync/hlc.h"

#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

namespace latih::sync {
namespace {

TEST_CASE("HLC ticks follow the wall clock when it moves forward", "[sync][hlc]") {
  test::FakeClock clock(1000);
  HybridClock hlc(clock, 0);
  const int64_t a = hlc.Tick();
  CHECK(HlcPhysicalMs(a) == 1000);
  CHECK(HlcCounter(a) == 0);
  clock.Advance(5);
  const int64_t b = hlc.Tick();
  CHECK(HlcPhysicalMs(b) == 1005);
  CHECK(HlcCounter(b) == 0);
}

TEST_CASE("HLC ticks within one millisecond bump the counter", "[sync][hlc]") {
  test::FakeClock clock(1000);
  HybridClock hlc(clock, 0);
  int64_t prev = hlc.Tick();
  for (int i = 1; i <= 100; ++i) {
    const int64_t t = hlc.Tick();
    CHECK(t > prev);
    CHECK(HlcPhysicalMs(t) == 1000);
    CHECK(HlcCounter(t) == i);
    prev = t;
  }
}

TEST_CASE("HLC stays monotonic when the wall clock jumps backwards", "[sync][hlc]") {
  test::FakeClock clock(5'000'000);
  HybridClock hlc(clock, 0);
  const int64_t before = hlc.Tick();
  clock.Set(1'000);  // the PC clock was reset to the distant past
  const int64_t after = hlc.Tick();
  CHECK(after > before);
  CHECK(HlcPhysicalMs(after) == 5'000'000);  // the physical part does not go back
}

TEST_CASE("HLC restarts above the persisted last timestamp", "[sync][hlc]") {
  test::FakeClock clock(1000);
  const int64_t persisted = HlcPack(9000, 7);
  HybridClock hlc(clock, persisted);
  CHECK(hlc.Tick() == HlcPack(9000, 8));
}

TEST_CASE("HLC observing a remote timestamp orders later local ticks after it", "[sync][hlc]") {
  test::FakeClock clock(1000);
  HybridClock hlc(clock, 0);
  const int64_t remote = HlcPack(2000, 3);
  hlc.Observe(remote);
  CHECK(hlc.Tick() > remote);
  hlc.Observe(HlcPack(10, 0));  // an older remote stamp changes nothing
  CHECK(hlc.last() == HlcPack(2000, 4));
}

TEST_CASE("a full counter carries into the millisecond and stays ordered", "[sync][hlc]") {
  test::FakeClock clock(1000);
  HybridClock hlc(clock, HlcPack(1000, kHlcCounterMask));
  const int64_t t = hlc.Tick();
  CHECK(t > HlcPack(1000, kHlcCounterMask));
  CHECK(HlcPhysicalMs(t) == 1001);
}

TEST_CASE("versions order by timestamp, then node id", "[sync][hlc]") {
  CHECK(Version{5, 9} < Version{6, 1});
  CHECK(Version{5, 1} < Version{5, 2});
  CHECK(Version{5, 2} == Version{5, 2});
}

}  // namespace
}  // namespace latih::sync
