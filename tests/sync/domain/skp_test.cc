// The SKP predicate matrix (../shared/DOMAIN.md §5), all nine combinations,
// and the ratings as spreadsheets and e-Kinerja exports write them.
#include "sync/domain/skp.h"

#include <catch2/catch.hpp>

namespace latih::domain {
namespace {

using R = SkpRating;
using P = SkpPredicate;

TEST_CASE("the SKP predicate follows the matrix for all nine combinations of the two ratings", "[domain][skp]") {
  struct Case {
    R hasil, perilaku;
    P predicate;
  };
  const Case cases[] = {
      {R::kAbove, R::kAbove, P::kSangatBaik},          {R::kAbove, R::kAsExpected, P::kBaik},
      {R::kAbove, R::kBelow, P::kKurang},              {R::kAsExpected, R::kAbove, P::kBaik},
      {R::kAsExpected, R::kAsExpected, P::kBaik},      {R::kAsExpected, R::kBelow, P::kKurang},
      {R::kBelow, R::kAbove, P::kButuhPerbaikan},      {R::kBelow, R::kAsExpected, P::kButuhPerbaikan},
      {R::kBelow, R::kBelow, P::kSangatKurang},
  };
  for (const Case& c : cases) {
    INFO(SkpRatingCode(c.hasil) << " x " << SkpRatingCode(c.perilaku));
    CHECK(DeriveSkpPredicate(c.hasil, c.perilaku) == c.predicate);
  }
  CHECK(SkpPredicateCode(P::kButuhPerbaikan) == "butuh_perbaikan");
  CHECK(SkpPredicateLabel(P::kKurang) == "Kurang/Misconduct");
  CHECK(static_cast<int>(P::kSangatKurang) == 5);  // SIASN's kuadran numbering
}

TEST_CASE("SKP ratings are read as codes, labels, SIASN numbers or English", "[domain][skp]") {
  for (const char* text : {"di_atas", "Di Atas Ekspektasi", "DIATAS", "1", "above", " di-atas  ekspektasi "}) {
    INFO(text);
    auto r = ParseSkpRating(text, "hasil kerja");
    REQUIRE(r.ok());
    CHECK(*r == R::kAbove);
  }
  for (const char* text : {"sesuai", "Sesuai Ekspektasi", "2", "as expected"}) {
    INFO(text);
    CHECK(*ParseSkpRating(text, "hasil kerja") == R::kAsExpected);
  }
  for (const char* text : {"di_bawah", "Di Bawah Ekspektasi", "dibawah", "3", "below"}) {
    INFO(text);
    CHECK(*ParseSkpRating(text, "perilaku kerja") == R::kBelow);
  }
  for (const char* text : {"", "baik", "4", "ekspektasi", "sangat baik"}) {
    INFO(text);
    auto r = ParseSkpRating(text, "perilaku kerja");
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains("perilaku kerja '" + std::string(text) + "'"));
  }
  for (R r : {R::kAbove, R::kAsExpected, R::kBelow}) {
    CHECK(*ParseSkpRating(SkpRatingCode(r), "x") == r);
    CHECK(*ParseSkpRating(SkpRatingLabel(r), "x") == r);
  }
}

}  // namespace
}  // namespace latih::domain
