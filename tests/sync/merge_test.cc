#include "sync/merge.h"

#include <catch2/catch.hpp>

namespace latih::sync {
namespace {

const Version kNone{};
const Version kA1{100, 1}, kA2{200, 1}, kB1{150, 2}, kB2{300, 2};

TEST_CASE("the higher version wins, the node id breaks a tie", "[sync][merge]") {
  CHECK(DecideMerge({kA1, kNone}, {kB1, kNone}).take_remote);
  CHECK_FALSE(DecideMerge({kB1, kNone}, {kA1, kNone}).take_remote);
  CHECK(DecideMerge({Version{100, 1}, kNone}, {Version{100, 2}, kNone}).take_remote);
  CHECK_FALSE(DecideMerge({Version{100, 2}, kNone}, {Version{100, 1}, kNone}).take_remote);
}

TEST_CASE("the decision is the same whichever side merges", "[sync][merge]") {
  for (const auto& [x, y] : {std::pair{kA1, kB1}, {kA2, kB1}, {kB2, kA2}, {kA1, kA2}}) {
    const bool x_wins_at_y = DecideMerge({y, kNone}, {x, kNone}).take_remote;
    const bool x_wins_at_x = !DecideMerge({x, kNone}, {y, kNone}).take_remote;
    CHECK(x_wins_at_y == x_wins_at_x);
  }
}

TEST_CASE("a duplicate delivery changes nothing and is no conflict", "[sync][merge]") {
  const auto d = DecideMerge({kA1, kNone}, {kA1, kNone});
  CHECK_FALSE(d.take_remote);
  CHECK_FALSE(d.concurrent);
}

TEST_CASE("an informed overwrite is not a conflict, in either direction", "[sync][merge]") {
  // B wrote having seen A1.
  CHECK_FALSE(DecideMerge({kA1, kNone}, {kB1, kA1}).concurrent);
  // The local value was written having seen the (older) remote one.
  const auto stale = DecideMerge({kB1, kA1}, {kA1, kNone});
  CHECK_FALSE(stale.take_remote);
  CHECK_FALSE(stale.concurrent);
}

TEST_CASE("writes from different nodes that did not see each other are concurrent", "[sync][merge]") {
  const auto d = DecideMerge({kA1, kNone}, {kB1, kNone});
  CHECK(d.take_remote);
  CHECK(d.concurrent);
  const auto lose = DecideMerge({kB2, kA1}, {kA2, kA1});  // both edited A1
  CHECK_FALSE(lose.take_remote);
  CHECK(lose.concurrent);
}

TEST_CASE("one node's own sequence and never-written cells are no conflict", "[sync][merge]") {
  CHECK_FALSE(DecideMerge({kA1, kNone}, {kA2, kNone}).concurrent);
  CHECK_FALSE(DecideMerge({kA2, kNone}, {kA1, kNone}).concurrent);
  CHECK_FALSE(DecideMerge({kNone, kNone}, {kB1, kNone}).concurrent);
}

}  // namespace
}  // namespace latih::sync
