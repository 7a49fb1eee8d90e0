#include "sync/domain/vocab.h"

#include <cassert>
#include <cctype>
#include <string>

namespace latih::domain {
namespace {

// An extra accepted spelling of `code`, beyond the code and the label.
struct Alias {
  std::string_view text;
  std::string_view code;
};

struct Vocabulary {
  std::string_view field;  // names the value in messages: "status"
  std::string_view what;   // "an attendance status"
  std::span<const VocabEntry> entries;
  std::span<const Alias> aliases;
};

constexpr VocabEntry kAttendance[] = {
    {"hadir", "Hadir"},
    {"terlambat", "Terlambat"},
    {"pulang_awal", "Pulang Awal"},
    {"izin", "Izin"},
    {"sakit", "Sakit"},
    {"dinas_luar", "Dinas Luar"},
    {"cuti", "Cuti"},
    {"alpa", "Alpa"},
};
constexpr Alias kAttendanceAliases[] = {
    {"h", "hadir"},
    {"tl", "terlambat"},
    {"tl1", "terlambat"},
    {"tl2", "terlambat"},
    {"tl3", "terlambat"},
    {"tl4", "terlambat"},
    {"psw", "pulang_awal"},
    {"psw1", "pulang_awal"},
    {"psw2", "pulang_awal"},
    {"psw3", "pulang_awal"},
    {"psw4", "pulang_awal"},
    {"pulang sebelum waktunya", "pulang_awal"},
    {"i", "izin"},
    {"s", "sakit"},
    {"dl", "dinas_luar"},
    {"c", "cuti"},
    {"ct", "cuti"},
    {"cb", "cuti"},
    {"cs", "cuti"},
    {"cm", "cuti"},
    {"cap", "cuti"},
    {"cltn", "cuti"},
    {"a", "alpa"},
    {"tk", "alpa"},
    {"tanpa keterangan", "alpa"},
};
constexpr std::string_view kAttendedCodes[] = {"hadir", "terlambat",
                                               "pulang_awal"};

constexpr VocabEntry kEvaluationKinds[] = {
    {"reaction", "Reaksi"},     {"pre_test", "Pre-test"},
    {"post_test", "Post-test"}, {"behaviour", "Perilaku"},
    {"result", "Hasil"},
};
constexpr Alias kEvaluationAliases[] = {
    {"pre", "pre_test"},       {"pretest", "pre_test"},   {"post", "post_test"},
    {"posttest", "post_test"}, {"behavior", "behaviour"},
};
struct KindLevel {
  std::string_view code;
  int level;
};
constexpr KindLevel kKirkpatrickLevels[] = {
    {"reaction", 1},  {"pre_test", 2}, {"post_test", 2},
    {"behaviour", 3}, {"result", 4},
};

constexpr VocabEntry kCompetencyTypes[] = {
    {"teknis", "Teknis"},
    {"manajerial", "Manajerial"},
    {"sosial_kultural", "Sosial Kultural"},
};
constexpr Alias kCompetencyAliases[] = {
    {"technical", "teknis"},
    {"managerial", "manajerial"},
    {"socio-cultural", "sosial_kultural"},
    {"sosiokultural", "sosial_kultural"},
};

constexpr VocabEntry kRoutes[] = {
    {"klasikal", "Klasikal"},
    {"non_klasikal", "Non-Klasikal"},
    {"pendidikan", "Pendidikan"},
};
constexpr Alias kRouteAliases[] = {{"nonklasikal", "non_klasikal"}};

// Who pays for a training (docs/REPORTS.md, "Cost"): the city's budget
// (APBD Kota Mataram), the province's (APBD Provinsi NTB), the state's
// (APBN, e.g. a ministry or LAN), a grant or sponsor, the employee, or
// nobody (a free course).
constexpr VocabEntry kFundingSources[] = {
    {"apbd_kota", "APBD Kota"},   {"apbd_provinsi", "APBD Provinsi"}, {"apbn", "APBN"},
    {"hibah", "Hibah/Sponsor"},   {"mandiri", "Biaya Sendiri"},       {"tanpa_biaya", "Tanpa Biaya"},
};
constexpr Alias kFundingAliases[] = {
    {"apbd", "apbd_kota"},   {"apbdkota", "apbd_kota"}, {"apbdprov", "apbd_provinsi"},
    {"sponsor", "hibah"},    {"grant", "hibah"},        {"sendiri", "mandiri"},        {"self", "mandiri"},
    {"gratis", "tanpa_biaya"}, {"free", "tanpa_biaya"}, {"none", "tanpa_biaya"},
};

constexpr VocabEntry kGenders[] = {{"l", "Laki-laki"}, {"p", "Perempuan"}};
constexpr Alias kGenderAliases[] = {
    {"m", "l"}, {"male", "l"},   {"pria", "l"},
    {"f", "p"}, {"female", "p"}, {"wanita", "p"},
};

// Stored codes are identifiers; the usual written forms are aliases.
constexpr VocabEntry kAgeBands[] = {
    {"lt20", "Di bawah 20 tahun"}, {"20_29", "20-29 tahun"},
    {"30_39", "30-39 tahun"},      {"40_49", "40-49 tahun"},
    {"50_59", "50-59 tahun"},      {"ge60", "60 tahun ke atas"},
};
constexpr Alias kAgeBandAliases[] = {
    {"<20", "lt20"}, {">=60", "ge60"}, {"60+", "ge60"}, {"\u226560", "ge60"}};

constexpr VocabEntry kEducation[] = {
    {"sd", "SD"},       {"smp", "SMP/SLTP"}, {"sma", "SMA/SLTA"},
    {"d1_d3", "D1-D3"}, {"d4_s1", "D4/S1"},  {"s2", "S2"},
    {"s3", "S3"},
};
constexpr Alias kEducationAliases[] = {
    {"mi", "sd"},    {"sltp", "smp"}, {"mts", "smp"},  {"slta", "sma"},
    {"smk", "sma"},  {"ma", "sma"},   {"d1", "d1_d3"}, {"d2", "d1_d3"},
    {"d3", "d1_d3"}, {"d4", "d4_s1"}, {"s1", "d4_s1"},
};

constexpr Vocabulary kAttendanceVocab = {"status", "an attendance status",
                                         kAttendance, kAttendanceAliases};
constexpr Vocabulary kEvaluationVocab = {"evaluation kind",
                                         "an evaluation kind", kEvaluationKinds,
                                         kEvaluationAliases};
constexpr Vocabulary kCompetencyVocab = {"competency type", "a competency type",
                                         kCompetencyTypes, kCompetencyAliases};
constexpr Vocabulary kRouteVocab = {"route", "a development route", kRoutes,
                                    kRouteAliases};
constexpr Vocabulary kFundingVocab = {"funding source", "a funding source", kFundingSources,
                                      kFundingAliases};
constexpr Vocabulary kGenderVocab = {"gender", "a gender", kGenders,
                                     kGenderAliases};
constexpr Vocabulary kAgeBandVocab = {"age band", "an age band", kAgeBands,
                                      kAgeBandAliases};
constexpr Vocabulary kEducationVocab = {"education", "an education level",
                                        kEducation, kEducationAliases};

// SIASN jenisDiklatId 1..25 (DOMAIN.md §9), index = id - 1.
constexpr std::string_view kFormLabels[kMaxForm] = {
    "Diklat Struktural",
    "Diklat Fungsional",
    "Diklat Teknis",
    "Workshop",
    "Pelatihan Manajerial",
    "Pelatihan Sosial Kultural",
    "Sosialisasi",
    "Bimbingan Teknis",
    "Seminar",
    "Magang",
    "Kursus",
    "Penataran",
    "Pengembangan Kompetensi dalam Bentuk Pelatihan Klasikal Lainnya",
    "Coaching",
    "Mentoring",
    "E-Learning",
    "Pelatihan Jarak Jauh",
    "Detasering (Secondment)",
    "Pembelajaran Alam Terbuka (Outbond)",
    "Patok Banding (Benchmarking)",
    "Pertukaran antara PNS dengan Pegawai Swasta/Badan Usaha Milik "
    "Negara/Badan Usaha Milik Daerah",
    "Belajar Mandiri (Self Development)",
    "Komunitas Belajar (Community of Practices)",
    "Bimbingan di Tempat Kerja",
    "Pengembangan Kompetensi dalam Bentuk Pelatihan Non-Klasikal Lainnya",
};
constexpr int kLastKlasikalForm = 13;
struct FormAlias {
  std::string_view text;
  int form_id;
};
constexpr FormAlias kFormAliases[] = {
    {"lokakarya", 4},
    {"bimtek", 8},
    {"klasikal lainnya", 13},
    {"pelatihan klasikal lainnya", 13},
    {"elearning", 16},
    {"outbound", 19},
    {"benchmark", 20},
    {"pertukaran pns", 21},
    {"non-klasikal lainnya", 25},
    {"nonklasikal lainnya", 25},
    {"pelatihan non-klasikal lainnya", 25},
    {"pelatihan nonklasikal lainnya", 25},
    // The SIASN reference spells it without the hyphen.
    {"pengembangan kompetensi dalam bentuk pelatihan nonklasikal lainnya", 25},
};
constexpr size_t kMaxFormIdDigits = 3;

bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '-' || c == '_';
}

// Comparison key: ASCII lower case, surrounding separators dropped, every run
// of spaces, '-' and '_' folded to one '_', and none kept next to '/'.
// "Pulang Awal", "pulang-awal" and "PULANG_AWAL" share the key "pulang_awal".
std::string Key(std::string_view text) {
  std::string key;
  bool pending_separator = false;
  for (char c : text) {
    if (IsSeparator(c)) {
      pending_separator = !key.empty() && key.back() != '/';
      continue;
    }
    if (pending_separator && c != '/') key.push_back('_');
    pending_separator = false;
    key.push_back(
        static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return key;
}

std::string ExpectedCodes(std::span<const VocabEntry> entries) {
  std::string list;
  for (const VocabEntry& e : entries) {
    if (!list.empty()) list += ", ";
    list += e.code;
  }
  return list;
}

Result<std::string> Parse(const Vocabulary& vocab, std::string_view text) {
  const std::string key = Key(text);
  if (!key.empty()) {
    for (const VocabEntry& e : vocab.entries) {
      if (Key(e.code) == key || Key(e.label) == key) return std::string(e.code);
    }
    for (const Alias& a : vocab.aliases) {
      if (Key(a.text) == key) return std::string(a.code);
    }
  }
  return Status::Invalid(std::string(vocab.field) + " '" + std::string(text) +
                         "' is not " + std::string(vocab.what) +
                         " (expected one of: " + ExpectedCodes(vocab.entries) +
                         ")");
}

bool ValidForm(int form_id) {
  return form_id >= kMinForm && form_id <= kMaxForm;
}

// True when `key` names `label`, its part before " (", or the part inside
// the parentheses ("Detasering", "Secondment").
bool MatchesFormLabel(std::string_view label, const std::string& key) {
  if (Key(label) == key) return true;
  const size_t open = label.find(" (");
  const size_t close = label.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos ||
      close < open) {
    return false;
  }
  const size_t inner = open + 2;
  return Key(label.substr(0, open)) == key ||
         Key(label.substr(inner, close - inner)) == key;
}

// Parses all-digit `text` as a form id; 0 when it is not one.
int FormIdFromDigits(std::string_view text) {
  if (text.empty() || text.size() > kMaxFormIdDigits) return 0;
  int id = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return 0;
    id = id * 10 + (c - '0');
  }
  return ValidForm(id) ? id : 0;
}

}  // namespace

std::span<const VocabEntry> AttendanceStatuses() { return kAttendance; }
Result<std::string> ParseAttendanceStatus(std::string_view text) {
  return Parse(kAttendanceVocab, text);
}
bool StatusCountsAsAttended(std::string_view code) {
  for (std::string_view c : kAttendedCodes) {
    if (c == code) return true;
  }
  return false;
}

std::span<const VocabEntry> EvaluationKinds() { return kEvaluationKinds; }
Result<std::string> ParseEvaluationKind(std::string_view text) {
  return Parse(kEvaluationVocab, text);
}
int KirkpatrickLevel(std::string_view kind_code) {
  for (const KindLevel& k : kKirkpatrickLevels) {
    if (k.code == kind_code) return k.level;
  }
  assert(false && "KirkpatrickLevel: not an evaluation kind code");
  return 0;
}

std::span<const VocabEntry> CompetencyTypes() { return kCompetencyTypes; }
Result<std::string> ParseCompetencyType(std::string_view text) {
  return Parse(kCompetencyVocab, text);
}

std::span<const VocabEntry> Routes() { return kRoutes; }
Result<std::string> ParseRoute(std::string_view text) {
  return Parse(kRouteVocab, text);
}

std::span<const VocabEntry> FundingSources() { return kFundingSources; }
Result<std::string> ParseFundingSource(std::string_view text) {
  return Parse(kFundingVocab, text);
}

std::string_view FormLabel(int form_id) {
  assert(ValidForm(form_id));
  if (!ValidForm(form_id)) return {};
  return kFormLabels[form_id - 1];
}

std::string_view DefaultRouteForForm(int form_id) {
  assert(ValidForm(form_id));
  return form_id <= kLastKlasikalForm ? kRoutes[0].code : kRoutes[1].code;
}

Result<int> ParseForm(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  const size_t last = text.find_last_not_of(" \t");
  const std::string_view trimmed = first == std::string_view::npos
                                       ? std::string_view()
                                       : text.substr(first, last - first + 1);
  if (const int id = FormIdFromDigits(trimmed); id != 0) return id;
  const std::string key = Key(trimmed);
  if (!key.empty()) {
    for (int id = kMinForm; id <= kMaxForm; ++id) {
      if (MatchesFormLabel(kFormLabels[id - 1], key)) return id;
    }
    for (const FormAlias& a : kFormAliases) {
      if (Key(a.text) == key) return a.form_id;
    }
  }
  return Status::Invalid("form '" + std::string(text) +
                         "' is not a SIASN jenisDiklatId (expected a number " +
                         std::to_string(kMinForm) + ".." +
                         std::to_string(kMaxForm) +
                         " or a label such as 'Workshop')");
}

std::span<const VocabEntry> Genders() { return kGenders; }
Result<std::string> ParseGender(std::string_view text) {
  return Parse(kGenderVocab, text);
}

std::span<const VocabEntry> AgeBands() { return kAgeBands; }
Result<std::string> ParseAgeBand(std::string_view text) {
  return Parse(kAgeBandVocab, text);
}

std::span<const VocabEntry> EducationLevels() { return kEducation; }
Result<std::string> ParseEducation(std::string_view text) {
  return Parse(kEducationVocab, text);
}

std::optional<VocabEntry> FindVocab(std::span<const VocabEntry> entries,
                                    std::string_view code) {
  for (const VocabEntry& e : entries) {
    if (e.code == code) return e;
  }
  return std::nullopt;
}

}  // namespace latih::domain
