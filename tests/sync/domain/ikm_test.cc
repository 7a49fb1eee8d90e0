#include "sync/domain/ikm.h"

#include <catch2/catch.hpp>

namespace latih::domain {
namespace {

// Totals for `n` respondents whose nine unsur sums add up to `total`, spread
// as evenly as possible (the first unsur get the remainder).
SkmTotals Spread(int64_t n, int64_t total) {
  SkmTotals t;
  t.respondents = n;
  for (int i = 0; i < kSkmUnsurCount; ++i) {
    t.sums[i] = total / kSkmUnsurCount + (i < total % kSkmUnsurCount ? 1 : 0);
  }
  return t;
}

TEST_CASE("A worked example of ten respondents gives IKM 85.56, B",
          "[domain]") {
  // 10 respondents; Σ score per unsur U1..U9:
  //   36 33 31 38 35 32 37 30 36          (Σ = 308)
  // NRR = sum / 10:
  //   3.6 3.3 3.1 3.8 3.5 3.2 3.7 3.0 3.6 (Σ NRR = 30.8)
  // mean NRR = 30.8 / 9 = 3.42222...
  // IKM = 25 × 3.42222... = 85.5555... → 85.56 (category B: 76.61..88.30)
  // Integer form: ikm_centi = round(2500 × 308 / 90) = round(8555.55...) = 8556
  // Legacy 0.111 weight: 25 × 30.8 × 0.111 = 85.47
  SkmTotals t;
  t.respondents = 10;
  t.sums = {36, 33, 31, 38, 35, 32, 37, 30, 36};
  const IkmResult r = ComputeIkm(t);
  CHECK(r.respondents == 10);
  CHECK(r.nrr[0] == Approx(3.6));
  CHECK(r.nrr[3] == Approx(3.8));
  CHECK(r.nrr[7] == Approx(3.0));
  CHECK(r.nrr_mean == Approx(30.8 / 9));
  CHECK(r.ikm_centi == 8556);
  CHECK(r.ikm == Approx(85.56));
  CHECK(r.category == 'B');
  CHECK(r.category_label == "Baik");
  CHECK(r.ikm_legacy_0111 == Approx(85.47));
  // The legacy variant is for reconciliation only and differs from the exact.
  CHECK(r.ikm - r.ikm_legacy_0111 == Approx(0.09));
}

TEST_CASE("IKM 88.31 is A and 88.30 is B", "[domain]") {
  // 2500 × 763 / (9 × 24) = 8831.02 → 8831
  const IkmResult a = ComputeIkm(Spread(24, 763));
  CHECK(a.ikm_centi == 8831);
  CHECK(a.category == 'A');
  CHECK(a.category_label == "Sangat Baik");
  // 2500 × 604 / (9 × 19) = 8830.41 → 8830
  const IkmResult b = ComputeIkm(Spread(19, 604));
  CHECK(b.ikm_centi == 8830);
  CHECK(b.category == 'B');
}

TEST_CASE("IKM 76.61 is B and 76.60 is C", "[domain]") {
  // 2500 × 524 / (9 × 19) = 7660.82 → 7661
  const IkmResult b = ComputeIkm(Spread(19, 524));
  CHECK(b.ikm_centi == 7661);
  CHECK(b.category == 'B');
  // 2500 × 717 / (9 × 26) = 7660.26 → 7660
  const IkmResult c = ComputeIkm(Spread(26, 717));
  CHECK(c.ikm_centi == 7660);
  CHECK(c.category == 'C');
  CHECK(c.category_label == "Kurang Baik");
}

TEST_CASE("IKM 65.00 is C and 64.99 is D", "[domain]") {
  // 2500 × 117 / (9 × 5) = 6500 exactly
  const IkmResult c = ComputeIkm(Spread(5, 117));
  CHECK(c.ikm_centi == 6500);
  CHECK(c.category == 'C');
  // 2500 × 889 / (9 × 38) = 6498.54 → 6499
  const IkmResult d = ComputeIkm(Spread(38, 889));
  CHECK(d.ikm_centi == 6499);
  CHECK(d.category == 'D');
  CHECK(d.category_label == "Tidak Baik");
}

TEST_CASE("An IKM exactly halfway between two hundredths rounds up",
          "[domain]") {
  // 8 respondents, every unsur sum 9: 2500 × 81 / 72 = 2812.5 exactly.
  // Half up gives 28.13; banker's rounding or truncation would give 28.12.
  const IkmResult r = ComputeIkm(Spread(8, 81));
  CHECK(r.ikm_centi == 2813);
  CHECK(r.ikm == Approx(28.13));
}

TEST_CASE("All answers 4 give 100.00, A", "[domain]") {
  const IkmResult r = ComputeIkm(Spread(7, 4 * 7 * kSkmUnsurCount));
  CHECK(r.ikm_centi == 10000);
  CHECK(r.ikm == Approx(100.0));
  CHECK(r.nrr_mean == Approx(4.0));
  CHECK(r.category == 'A');
  // 25 × 36 × 0.111 = 99.90: the legacy weight never reaches 100.
  CHECK(r.ikm_legacy_0111 == Approx(99.90));
}

TEST_CASE("All answers 1 give 25.00, D", "[domain]") {
  const IkmResult r = ComputeIkm(Spread(3, 3 * kSkmUnsurCount));
  CHECK(r.ikm_centi == 2500);
  CHECK(r.ikm == Approx(25.0));
  CHECK(r.category == 'D');
  // 25 × 9 × 0.111 = 24.975 → 24.98 (half up, in integers).
  CHECK(r.ikm_legacy_0111 == Approx(24.98));
}

TEST_CASE("IkmCategory classifies on the hundredths", "[domain]") {
  CHECK(IkmCategory(10000) == 'A');
  CHECK(IkmCategory(8831) == 'A');
  CHECK(IkmCategory(8830) == 'B');
  CHECK(IkmCategory(7661) == 'B');
  CHECK(IkmCategory(7660) == 'C');
  CHECK(IkmCategory(6500) == 'C');
  CHECK(IkmCategory(6499) == 'D');
  CHECK(IkmCategory(2500) == 'D');
  CHECK(IkmCategoryLabel('A') == "Sangat Baik");
  CHECK(IkmCategoryLabel('B') == "Baik");
  CHECK(IkmCategoryLabel('C') == "Kurang Baik");
  CHECK(IkmCategoryLabel('D') == "Tidak Baik");
}

TEST_CASE("The nine unsur are named in regulation order", "[domain]") {
  CHECK(SkmUnsurName(0) == "Persyaratan");
  CHECK(SkmUnsurName(3) == "Biaya/Tarif");
  CHECK(SkmUnsurName(7) == "Penanganan Pengaduan, Saran dan Masukan");
  CHECK(SkmUnsurName(8) == "Sarana dan Prasarana");
}

}  // namespace
}  // namespace latih::domain
