// The public-satisfaction index (IKM) of PermenPAN-RB 14/2017, computed as
// ../shared/DOMAIN.md §4 says: exact 1/9 weights, integer arithmetic, one
// rounding (half up) at the end to two decimals, category on the rounded
// value. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace latih::domain {

inline constexpr int kSkmUnsurCount = 9;

// The nine unsur in regulation order (U1 Persyaratan ... U9 Sarana dan
// Prasarana), Bahasa Indonesia names.
std::string_view SkmUnsurName(int index);  // REQUIRES: 0 <= index < 9

// Sums over the responses of one office and period. Every response answers
// all nine unsur with a score 1..4.
struct SkmTotals {
  int64_t respondents = 0;
  std::array<int64_t, kSkmUnsurCount> sums{};  // Σ score per unsur
};

struct IkmResult {
  int64_t respondents = 0;
  std::array<double, kSkmUnsurCount> nrr{};  // Σ score / respondents, unrounded
  double nrr_mean = 0;        // mean of the nine NRR, unrounded
  int64_t ikm_centi = 0;      // IKM × 100, rounded half up once (9148 = 91.48)
  double ikm = 0;             // ikm_centi / 100.0
  char category = 'D';        // 'A'..'D' from ikm_centi
  std::string_view category_label;  // "Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik"
  // The legacy template variant some BKPSDM spreadsheets use (weight 0.111
  // instead of 1/9), for reconciliation only: 25 × Σ NRR_i × 0.111, rounded
  // to two decimals.
  double ikm_legacy_0111 = 0;
};

// Computes the IKM. REQUIRES: totals.respondents > 0 and every sum within
// [respondents, 4 × respondents].
IkmResult ComputeIkm(const SkmTotals& totals);

// Category of an IKM given ×100 (8831 and above 'A', 7661 'B', 6500 'C',
// below 'D').
char IkmCategory(int64_t ikm_centi);
std::string_view IkmCategoryLabel(char category);

}  // namespace latih::domain
