// The closed vocabularies of the domain (../shared/DOMAIN.md §1, §2, §6, §8,
// §9): attendance statuses, evaluation kinds, competency types, routes, SIASN
// training forms, SKM respondent profile values. Each has a stable lower-case
// code stored in the database and sent on the wire, plus an Indonesian label.
// Parse functions accept the code or the label in any case and return
// kInvalidArgument naming the field and the value otherwise. Thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sync/status.h"

namespace latih::domain {

struct VocabEntry {
  std::string_view code;   // stored form, e.g. "pulang_awal"
  std::string_view label;  // Indonesian label, e.g. "Pulang Awal"
};

// Attendance status: hadir, terlambat, pulang_awal, izin, sakit, dinas_luar,
// cuti, alpa. Also accepts the short codes H, TL, PSW, I, S, DL, C, A/TK.
std::span<const VocabEntry> AttendanceStatuses();
Result<std::string> ParseAttendanceStatus(std::string_view text);
// True for the statuses that credit JP: hadir, terlambat, pulang_awal.
bool StatusCountsAsAttended(std::string_view code);

// Evaluation kinds and their Kirkpatrick level: reaction 1, pre_test 2,
// post_test 2, behaviour 3, result 4. Accepts "pre", "post", "reaksi",
// "perilaku", "hasil" and "behavior" as well.
std::span<const VocabEntry> EvaluationKinds();
Result<std::string> ParseEvaluationKind(std::string_view text);
int KirkpatrickLevel(std::string_view kind_code);  // REQUIRES: a valid code

// Competency type: teknis, manajerial, sosial_kultural (accepts "sosial
// kultural", "sosial-kultural", "technical", "managerial", "socio-cultural").
std::span<const VocabEntry> CompetencyTypes();
Result<std::string> ParseCompetencyType(std::string_view text);

// Route: klasikal, non_klasikal, pendidikan (accepts "nonklasikal",
// "non-klasikal", "non klasikal").
std::span<const VocabEntry> Routes();
Result<std::string> ParseRoute(std::string_view text);

// Funding source of a training: apbd_kota, apbd_provinsi, apbn, hibah,
// mandiri, tanpa_biaya (accepts "APBD", "sponsor", "sendiri", "gratis",
// "free" ...).
std::span<const VocabEntry> FundingSources();
Result<std::string> ParseFundingSource(std::string_view text);

// SIASN jenisDiklatId 1..25 with its label; the default route of a form is
// klasikal for 1..13 and non_klasikal for 14..25.
inline constexpr int kMinForm = 1, kMaxForm = 25;
std::string_view FormLabel(int form_id);         // REQUIRES: valid id
std::string_view DefaultRouteForForm(int form_id);  // REQUIRES: valid id
// Parses "4" or a label ("Workshop", case-insensitive).
Result<int> ParseForm(std::string_view text);

// SKM respondent profile. gender: l (laki-laki) / p (perempuan), also "L",
// "P", "M", "F", "male", "female". Age band codes: lt20, 20_29, 30_39,
// 40_49, 50_59, ge60 (accepts "<20", "20-29", ">=60", "60+"). Education: sd, smp, sma, d1_d3,
// d4_s1, s2, s3 (accepts "SLTP", "SLTA", "D3", "S1", ...).
std::span<const VocabEntry> Genders();
Result<std::string> ParseGender(std::string_view text);
std::span<const VocabEntry> AgeBands();
Result<std::string> ParseAgeBand(std::string_view text);
std::span<const VocabEntry> EducationLevels();
Result<std::string> ParseEducation(std::string_view text);

// Looks `code` up in `entries`; nullopt when absent.
std::optional<VocabEntry> FindVocab(std::span<const VocabEntry> entries,
                                    std::string_view code);

}  // namespace latih::domain
