#include "sync/domain/vocab.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

namespace latih::domain {
namespace {

// The parsed code, or "ERROR: <message>" so a failed CHECK shows why.
std::string Parsed(const Result<std::string>& r) {
  return r.ok() ? r.value() : "ERROR: " + r.status().message();
}

// REQUIREs that `r` failed with kInvalidArgument and returns its message.
template <typename T>
std::string RefusalMessage(const Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  return r.status().message();
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("Attendance statuses parse from codes, labels and short codes",
          "[domain]") {
  CHECK(AttendanceStatuses().size() == 8);
  CHECK(Parsed(ParseAttendanceStatus("hadir")) == "hadir");
  CHECK(Parsed(ParseAttendanceStatus("HADIR")) == "hadir");
  CHECK(Parsed(ParseAttendanceStatus(" Pulang Awal ")) == "pulang_awal");
  CHECK(Parsed(ParseAttendanceStatus("pulang-awal")) == "pulang_awal");
  CHECK(Parsed(ParseAttendanceStatus("Dinas Luar")) == "dinas_luar");
  CHECK(Parsed(ParseAttendanceStatus("H")) == "hadir");
  CHECK(Parsed(ParseAttendanceStatus("TL")) == "terlambat");
  CHECK(Parsed(ParseAttendanceStatus("tl3")) == "terlambat");
  CHECK(Parsed(ParseAttendanceStatus("PSW")) == "pulang_awal");
  CHECK(Parsed(ParseAttendanceStatus("I")) == "izin");
  CHECK(Parsed(ParseAttendanceStatus("S")) == "sakit");
  CHECK(Parsed(ParseAttendanceStatus("DL")) == "dinas_luar");
  CHECK(Parsed(ParseAttendanceStatus("C")) == "cuti");
  CHECK(Parsed(ParseAttendanceStatus("A")) == "alpa");
  CHECK(Parsed(ParseAttendanceStatus("TK")) == "alpa");
  CHECK(Parsed(ParseAttendanceStatus("Tanpa Keterangan")) == "alpa");
}

TEST_CASE(
    "An unknown attendance status is refused with field, value and "
    "choices",
    "[domain]") {
  CHECK(RefusalMessage(ParseAttendanceStatus("hadirr")) ==
        "status 'hadirr' is not an attendance status (expected one of: hadir, "
        "terlambat, pulang_awal, izin, sakit, dinas_luar, cuti, alpa)");
  CHECK(Contains(RefusalMessage(ParseAttendanceStatus("")), "status ''"));
}

TEST_CASE("Only hadir, terlambat and pulang_awal credit JP", "[domain]") {
  CHECK(StatusCountsAsAttended("hadir"));
  CHECK(StatusCountsAsAttended("terlambat"));
  CHECK(StatusCountsAsAttended("pulang_awal"));
  for (std::string_view code :
       {"izin", "sakit", "dinas_luar", "cuti", "alpa", "", "HADIR"}) {
    INFO(code);
    CHECK_FALSE(StatusCountsAsAttended(code));
  }
}

TEST_CASE("Evaluation kinds parse with aliases and map to Kirkpatrick levels",
          "[domain]") {
  CHECK(EvaluationKinds().size() == 5);
  CHECK(Parsed(ParseEvaluationKind("reaction")) == "reaction");
  CHECK(Parsed(ParseEvaluationKind("Reaksi")) == "reaction");
  CHECK(Parsed(ParseEvaluationKind("pre")) == "pre_test");
  CHECK(Parsed(ParseEvaluationKind("Pre-Test")) == "pre_test");
  CHECK(Parsed(ParseEvaluationKind("POST")) == "post_test");
  CHECK(Parsed(ParseEvaluationKind("perilaku")) == "behaviour");
  CHECK(Parsed(ParseEvaluationKind("behavior")) == "behaviour");
  CHECK(Parsed(ParseEvaluationKind("Hasil")) == "result");
  CHECK(KirkpatrickLevel("reaction") == 1);
  CHECK(KirkpatrickLevel("pre_test") == 2);
  CHECK(KirkpatrickLevel("post_test") == 2);
  CHECK(KirkpatrickLevel("behaviour") == 3);
  CHECK(KirkpatrickLevel("result") == 4);
  CHECK(Contains(RefusalMessage(ParseEvaluationKind("level5")),
                 "evaluation kind 'level5'"));
}

TEST_CASE("Competency types accept English and separator variants",
          "[domain]") {
  CHECK(CompetencyTypes().size() == 3);
  CHECK(Parsed(ParseCompetencyType("TEKNIS")) == "teknis");
  CHECK(Parsed(ParseCompetencyType("technical")) == "teknis");
  CHECK(Parsed(ParseCompetencyType("Managerial")) == "manajerial");
  CHECK(Parsed(ParseCompetencyType("Sosial Kultural")) == "sosial_kultural");
  CHECK(Parsed(ParseCompetencyType("sosial-kultural")) == "sosial_kultural");
  CHECK(Parsed(ParseCompetencyType("socio-cultural")) == "sosial_kultural");
  const std::string msg = RefusalMessage(ParseCompetencyType("pemerintahan"));
  CHECK(Contains(msg, "competency type 'pemerintahan'"));
  CHECK(Contains(msg, "teknis, manajerial, sosial_kultural"));
}

TEST_CASE("Routes accept the spellings of non-klasikal", "[domain]") {
  CHECK(Parsed(ParseRoute("KLASIKAL")) == "klasikal");
  CHECK(Parsed(ParseRoute("nonklasikal")) == "non_klasikal");
  CHECK(Parsed(ParseRoute("non-klasikal")) == "non_klasikal");
  CHECK(Parsed(ParseRoute("Non Klasikal")) == "non_klasikal");
  CHECK(Parsed(ParseRoute("pendidikan")) == "pendidikan");
  CHECK(Contains(RefusalMessage(ParseRoute("daring")), "route 'daring'"));
}

TEST_CASE("All 25 SIASN forms have distinct labels that parse back",
          "[domain]") {
  std::set<std::string_view> labels;
  for (int id = kMinForm; id <= kMaxForm; ++id) {
    const std::string_view label = FormLabel(id);
    INFO(id << " " << label);
    CHECK_FALSE(label.empty());
    labels.insert(label);
    Result<int> parsed = ParseForm(label);
    REQUIRE(parsed.ok());
    CHECK(*parsed == id);
    CHECK(*ParseForm(std::to_string(id)) == id);
  }
  CHECK(labels.size() == 25);
  CHECK(FormLabel(1) == "Diklat Struktural");
  CHECK(FormLabel(4) == "Workshop");
  CHECK(FormLabel(14) == "Coaching");
  CHECK(FormLabel(22) == "Belajar Mandiri (Self Development)");
}

TEST_CASE("Forms parse from numbers, labels in any case and label parts",
          "[domain]") {
  CHECK(*ParseForm(" 4 ") == 4);
  CHECK(*ParseForm("workshop") == 4);
  CHECK(*ParseForm("BIMBINGAN TEKNIS") == 8);
  CHECK(*ParseForm("e-learning") == 16);
  CHECK(*ParseForm("Detasering") == 18);
  CHECK(*ParseForm("secondment") == 18);
  CHECK(*ParseForm("benchmarking") == 20);
  // The SIASN reference spelling, with its stray space after a slash.
  CHECK(*ParseForm("Pertukaran Antara Pns Dengan Pegawai Swasta/Badan Usaha "
                   "Milik Negara/ Badan Usaha Milik Daerah") == 21);
  CHECK(*ParseForm("Pengembangan Kompetensi Dalam Bentuk Pelatihan "
                   "Nonklasikal Lainnya") == 25);
}

TEST_CASE("Unknown forms are refused naming the value", "[domain]") {
  for (std::string_view bad : {"0", "26", "999", "-1", "abc", "", "4.5"}) {
    INFO(bad);
    const std::string msg = RefusalMessage(ParseForm(bad));
    CHECK(Contains(msg, "form '" + std::string(bad) + "'"));
    CHECK(Contains(msg, "1..25"));
  }
}

TEST_CASE("Forms 1..13 default to klasikal and 14..25 to non_klasikal",
          "[domain]") {
  CHECK(DefaultRouteForForm(1) == "klasikal");
  CHECK(DefaultRouteForForm(13) == "klasikal");
  CHECK(DefaultRouteForForm(14) == "non_klasikal");
  CHECK(DefaultRouteForForm(25) == "non_klasikal");
}

TEST_CASE("SKM respondent genders accept Indonesian and English forms",
          "[domain]") {
  CHECK(Parsed(ParseGender("L")) == "l");
  CHECK(Parsed(ParseGender("laki-laki")) == "l");
  CHECK(Parsed(ParseGender("M")) == "l");
  CHECK(Parsed(ParseGender("male")) == "l");
  CHECK(Parsed(ParseGender("P")) == "p");
  CHECK(Parsed(ParseGender("Perempuan")) == "p");
  CHECK(Parsed(ParseGender("F")) == "p");
  CHECK(Parsed(ParseGender("FEMALE")) == "p");
  CHECK(Contains(RefusalMessage(ParseGender("x")), "gender 'x'"));
}

TEST_CASE("SKM age bands parse, including 60+", "[domain]") {
  CHECK(AgeBands().size() == 6);
  CHECK(Parsed(ParseAgeBand("<20")) == "lt20");
  CHECK(Parsed(ParseAgeBand("30-39")) == "30_39");
  CHECK(Parsed(ParseAgeBand(">=60")) == "ge60");
  CHECK(Parsed(ParseAgeBand("60+")) == "ge60");
  CHECK(Parsed(ParseAgeBand("60 Tahun ke Atas")) == "ge60");
  CHECK(Contains(RefusalMessage(ParseAgeBand("15")), "age band '15'"));
}

TEST_CASE("SKM education levels accept the old school names", "[domain]") {
  CHECK(EducationLevels().size() == 7);
  CHECK(Parsed(ParseEducation("SD")) == "sd");
  CHECK(Parsed(ParseEducation("SLTP")) == "smp");
  CHECK(Parsed(ParseEducation("SLTA")) == "sma");
  CHECK(Parsed(ParseEducation("SMA/SLTA")) == "sma");
  CHECK(Parsed(ParseEducation("D3")) == "d1_d3");
  CHECK(Parsed(ParseEducation("S1")) == "d4_s1");
  CHECK(Parsed(ParseEducation("d4/s1")) == "d4_s1");
  CHECK(Parsed(ParseEducation("s3")) == "s3");
  CHECK(Contains(RefusalMessage(ParseEducation("tk")), "education 'tk'"));
}

TEST_CASE("FindVocab looks a stored code up", "[domain]") {
  const auto izin = FindVocab(AttendanceStatuses(), "izin");
  REQUIRE(izin.has_value());
  CHECK(izin->label == "Izin");
  CHECK(FindVocab(Routes(), "non_klasikal")->label == "Non-Klasikal");
  CHECK_FALSE(FindVocab(AttendanceStatuses(), "Izin").has_value());
  CHECK_FALSE(FindVocab(Genders(), "x").has_value());
}

}  // namespace
}  // namespace latih::domain
