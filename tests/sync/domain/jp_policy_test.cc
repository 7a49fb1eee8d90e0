#include "sync/domain/jp_policy.h"

#include <catch2/catch.hpp>

namespace latih::domain {
namespace {

TEST_CASE("A PNS meets the JP minimum at 20 and not at 19.5", "[domain]") {
  const JpPolicy policy;
  CHECK(EvaluateJp(EmploymentType::kPns, 19.5, policy) ==
        JpStanding::kBelowMinimum);
  CHECK(EvaluateJp(EmploymentType::kPns, 20, policy) ==
        JpStanding::kMeetsMinimum);
  CHECK(EvaluateJp(EmploymentType::kPns, 0, policy) ==
        JpStanding::kBelowMinimum);
  CHECK(EvaluateJp(EmploymentType::kPns, 120, policy) ==
        JpStanding::kMeetsMinimum);
}

TEST_CASE("PPPK JP is within the cap at 24 and flagged at 24.5", "[domain]") {
  const JpPolicy policy;
  CHECK(EvaluateJp(EmploymentType::kPppk, 24, policy) ==
        JpStanding::kWithinCap);
  CHECK(EvaluateJp(EmploymentType::kPppk, 24.5, policy) ==
        JpStanding::kAboveCap);
  // A cap, not a minimum: zero JP is within it.
  CHECK(EvaluateJp(EmploymentType::kPppk, 0, policy) == JpStanding::kWithinCap);
}

TEST_CASE("The JP thresholds come from the policy, not from code", "[domain]") {
  JpPolicy policy;
  policy.pns_minimum_jp = 10;
  policy.pppk_cap_jp = 30;
  CHECK(EvaluateJp(EmploymentType::kPns, 10, policy) ==
        JpStanding::kMeetsMinimum);
  CHECK(EvaluateJp(EmploymentType::kPppk, 30, policy) ==
        JpStanding::kWithinCap);
  CHECK(EvaluateJp(EmploymentType::kPppk, 30.5, policy) ==
        JpStanding::kAboveCap);
}

TEST_CASE("The default policy is 20 JP minimum, 24 JP cap, 45 minutes a JP",
          "[domain]") {
  const JpPolicy policy;
  CHECK(policy.pns_minimum_jp == Approx(20));
  CHECK(policy.pppk_cap_jp == Approx(24));
  CHECK(policy.minutes_per_jp == 45);
}

TEST_CASE("Every JP standing has a stable code", "[domain]") {
  CHECK(JpStandingCode(JpStanding::kMeetsMinimum) == "memenuhi");
  CHECK(JpStandingCode(JpStanding::kBelowMinimum) == "belum_memenuhi");
  CHECK(JpStandingCode(JpStanding::kWithinCap) == "dalam_batas");
  CHECK(JpStandingCode(JpStanding::kAboveCap) == "melebihi_batas");
}

}  // namespace
}  // namespace latih::domain
