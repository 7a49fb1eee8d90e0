#include "sync/domain/skp.h"

#include <string>

namespace latih::domain {
namespace {

// Lower case, '_', '-' and runs of spaces made one space, trimmed.
std::string Normalize(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    if (c == ' ' || c == '_' || c == '-' || c == '\t') {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += ' ';
    gap = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace

SkpPredicate DeriveSkpPredicate(SkpRating hasil_kerja, SkpRating perilaku_kerja) {
  if (hasil_kerja == SkpRating::kBelow) {
    return perilaku_kerja == SkpRating::kBelow ? SkpPredicate::kSangatKurang : SkpPredicate::kButuhPerbaikan;
  }
  if (perilaku_kerja == SkpRating::kBelow) return SkpPredicate::kKurang;
  if (hasil_kerja == SkpRating::kAbove && perilaku_kerja == SkpRating::kAbove) return SkpPredicate::kSangatBaik;
  return SkpPredicate::kBaik;
}

std::string_view SkpRatingCode(SkpRating rating) {
  switch (rating) {
    case SkpRating::kAbove: return "di_atas";
    case SkpRating::kAsExpected: return "sesuai";
    case SkpRating::kBelow: break;
  }
  return "di_bawah";
}

std::string_view SkpRatingLabel(SkpRating rating) {
  switch (rating) {
    case SkpRating::kAbove: return "Di Atas Ekspektasi";
    case SkpRating::kAsExpected: return "Sesuai Ekspektasi";
    case SkpRating::kBelow: break;
  }
  return "Di Bawah Ekspektasi";
}

Result<SkpRating> ParseSkpRating(std::string_view text, std::string_view field) {
  std::string t = Normalize(text);
  constexpr std::string_view kSuffix = " ekspektasi";
  if (t.size() > kSuffix.size() && t.compare(t.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    t.resize(t.size() - kSuffix.size());
  }
  if (t == "di atas" || t == "diatas" || t == "1" || t == "above" || t == "above expectation") {
    return SkpRating::kAbove;
  }
  if (t == "sesuai" || t == "2" || t == "as expected" || t == "meets expectation") return SkpRating::kAsExpected;
  if (t == "di bawah" || t == "dibawah" || t == "3" || t == "below" || t == "below expectation") {
    return SkpRating::kBelow;
  }
  return Status::Invalid(std::string(field) + " '" + std::string(text) +
                         "' is not di atas, sesuai or di bawah ekspektasi (1, 2, 3)");
}

std::string_view SkpPredicateCode(SkpPredicate predicate) {
  switch (predicate) {
    case SkpPredicate::kSangatBaik: return "sangat_baik";
    case SkpPredicate::kBaik: return "baik";
    case SkpPredicate::kButuhPerbaikan: return "butuh_perbaikan";
    case SkpPredicate::kKurang: return "kurang";
    case SkpPredicate::kSangatKurang: break;
  }
  return "sangat_kurang";
}

std::string_view SkpPredicateLabel(SkpPredicate predicate) {
  switch (predicate) {
    case SkpPredicate::kSangatBaik: return "Sangat Baik";
    case SkpPredicate::kBaik: return "Baik";
    case SkpPredicate::kButuhPerbaikan: return "Butuh Perbaikan";
    case SkpPredicate::kKurang: return "Kurang/Misconduct";
    case SkpPredicate::kSangatKurang: break;
  }
  return "Sangat Kurang";
}

}  // namespace latih::domain
