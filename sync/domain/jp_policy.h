// The annual JP rules (../shared/DOMAIN.md §1): PNS must reach a minimum
// (20 JP), PPPK development is capped (24 JP) and anything above is flagged.
// The numbers are [M]-confidence policy, so they live in a struct, not in
// code. Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "sync/domain/nip.h"

namespace latih::domain {

struct JpPolicy {
  double pns_minimum_jp = 20;  // per calendar year
  double pppk_cap_jp = 24;     // per contract year (approximated by calendar year)
  int minutes_per_jp = 45;     // default length of one JP
};

enum class JpStanding {
  kMeetsMinimum,  // PNS at or above the minimum
  kBelowMinimum,  // PNS below the minimum
  kWithinCap,     // PPPK at or below the cap
  kAboveCap,      // PPPK above the cap (flagged, not refused)
};

JpStanding EvaluateJp(EmploymentType type, double jp, const JpPolicy& policy);
// "memenuhi", "belum_memenuhi", "dalam_batas", "melebihi_batas".
std::string_view JpStandingCode(JpStanding standing);

}  // namespace latih::domain
