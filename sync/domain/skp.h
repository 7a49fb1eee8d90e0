// The annual performance assessment (SKP, PermenPAN-RB 6/2022;
// ../shared/DOMAIN.md §5): two ratings, hasil kerja and perilaku kerja, each
// above, as or below expectation, and the predicate derived from them by
// the regulation's matrix. The predicate is never typed by hand: it is
// always DeriveSkpPredicate of the two ratings. Pure; thread-safe.
#pragma once

#include <string_view>

#include "sync/status.h"

namespace latih::domain {

// The SIASN codes (skp22 hasilKinerjaNilai / PerilakuKerjaNilai): 1 above,
// 2 as expected, 3 below.
enum class SkpRating { kAbove = 1, kAsExpected = 2, kBelow = 3 };

// In the regulation's order, numbered as SIASN's kuadranKinerjaNilai
// (1 Sangat Baik ... 5 Sangat Kurang; inferred, DOMAIN.md §5).
enum class SkpPredicate { kSangatBaik = 1, kBaik = 2, kButuhPerbaikan = 3, kKurang = 4, kSangatKurang = 5 };

// The matrix (hasil × perilaku):
//   hasil above:  perilaku above Sangat Baik, as Baik, below Kurang
//   hasil as:     perilaku above Baik,        as Baik, below Kurang
//   hasil below:  perilaku above or as Butuh Perbaikan, below Sangat Kurang
SkpPredicate DeriveSkpPredicate(SkpRating hasil_kerja, SkpRating perilaku_kerja);

// The stored codes: "di_atas", "sesuai", "di_bawah"; and the labels "Di
// Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi".
std::string_view SkpRatingCode(SkpRating rating);
std::string_view SkpRatingLabel(SkpRating rating);
// Accepts the code, the label (any case, with or without "ekspektasi",
// "diatas"/"dibawah" written as one word), the SIASN number 1..3, and
// "above", "as expected", "below". kInvalidArgument naming `field` and the
// text otherwise.
Result<SkpRating> ParseSkpRating(std::string_view text, std::string_view field);

// The stored codes "sangat_baik", "baik", "butuh_perbaikan", "kurang",
// "sangat_kurang" and labels "Sangat Baik", "Baik", "Butuh Perbaikan",
// "Kurang/Misconduct", "Sangat Kurang".
std::string_view SkpPredicateCode(SkpPredicate predicate);
std::string_view SkpPredicateLabel(SkpPredicate predicate);

}  // namespace latih::domain
