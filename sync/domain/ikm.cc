#include "sync/domain/ikm.h"

#include <cassert>

namespace latih::domain {
namespace {

constexpr std::string_view kUnsurNames[kSkmUnsurCount] = {
    "Persyaratan",
    "Sistem, Mekanisme, dan Prosedur",
    "Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Penanganan Pengaduan, Saran dan Masukan",
    "Sarana dan Prasarana",
};

[[maybe_unused]] constexpr int kMinScore = 1;  // used by assert() only
[[maybe_unused]] constexpr int kMaxScore = 4;
// IKM = kIkmScale × mean(NRR); ikm_centi carries two decimals.
constexpr int64_t kIkmScale = 25;
constexpr int64_t kCenti = 100;
constexpr double kCentiDouble = 100.0;
// The legacy template weight 0.111 = kLegacyWeightMilli / 1000.
constexpr int64_t kLegacyWeightMilli = 111;
constexpr int64_t kMilli = 1000;

// Category thresholds on ikm_centi (DOMAIN.md §4).
constexpr int64_t kMinCentiA = 8831;
constexpr int64_t kMinCentiB = 7661;
constexpr int64_t kMinCentiC = 6500;

// round-half-up(numerator / denominator) for numerator >= 0, denominator > 0.
int64_t DivideRoundHalfUp(int64_t numerator, int64_t denominator) {
  return (2 * numerator + denominator) / (2 * denominator);
}

}  // namespace

std::string_view SkmUnsurName(int index) {
  assert(index >= 0 && index < kSkmUnsurCount);
  if (index < 0 || index >= kSkmUnsurCount) return {};
  return kUnsurNames[index];
}

IkmResult ComputeIkm(const SkmTotals& totals) {
  const int64_t n = totals.respondents;
  assert(n > 0);
  IkmResult result;
  result.respondents = n;
  if (n <= 0) {
    result.category_label = IkmCategoryLabel(result.category);
    return result;
  }
  int64_t total = 0;
  for (int i = 0; i < kSkmUnsurCount; ++i) {
    assert(totals.sums[i] >= kMinScore * n && totals.sums[i] <= kMaxScore * n);
    total += totals.sums[i];
    result.nrr[i] =
        static_cast<double>(totals.sums[i]) / static_cast<double>(n);
  }
  result.nrr_mean =
      static_cast<double>(total) / static_cast<double>(kSkmUnsurCount * n);
  // IKM × 100 = 25 × 100 × Σ sums / (9 × n), rounded half up once.
  result.ikm_centi =
      DivideRoundHalfUp(kIkmScale * kCenti * total, kSkmUnsurCount * n);
  result.ikm = static_cast<double>(result.ikm_centi) / kCentiDouble;
  result.category = IkmCategory(result.ikm_centi);
  result.category_label = IkmCategoryLabel(result.category);
  // Legacy: 25 × Σ NRR_i × 0.111 = 25 × 0.111 × Σ sums / n, also ×100.
  const int64_t legacy_centi = DivideRoundHalfUp(
      kIkmScale * kLegacyWeightMilli * kCenti * total, kMilli * n);
  result.ikm_legacy_0111 = static_cast<double>(legacy_centi) / kCentiDouble;
  return result;
}

char IkmCategory(int64_t ikm_centi) {
  if (ikm_centi >= kMinCentiA) return 'A';
  if (ikm_centi >= kMinCentiB) return 'B';
  if (ikm_centi >= kMinCentiC) return 'C';
  return 'D';
}

std::string_view IkmCategoryLabel(char category) {
  switch (category) {
    case 'A':
      return "Sangat Baik";
    case 'B':
      return "Baik";
    case 'C':
      return "Kurang Baik";
    case 'D':
      return "Tidak Baik";
    default:
      return {};
  }
}

}  // namespace latih::domain
