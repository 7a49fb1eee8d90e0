#include "sync/domain/jp_policy.h"

namespace latih::domain {

JpStanding EvaluateJp(EmploymentType type, double jp, const JpPolicy& policy) {
  if (type == EmploymentType::kPppk) {
    return jp <= policy.pppk_cap_jp ? JpStanding::kWithinCap
                                    : JpStanding::kAboveCap;
  }
  return jp >= policy.pns_minimum_jp ? JpStanding::kMeetsMinimum
                                     : JpStanding::kBelowMinimum;
}

std::string_view JpStandingCode(JpStanding standing) {
  switch (standing) {
    case JpStanding::kMeetsMinimum:
      return "memenuhi";
    case JpStanding::kBelowMinimum:
      return "belum_memenuhi";
    case JpStanding::kWithinCap:
      return "dalam_batas";
    case JpStanding::kAboveCap:
      return "melebihi_batas";
  }
  return "unknown";
}

}  // namespace latih::domain
