// NIP (PNS) and NI PPPK parsing and validation, as ../shared/DOMAIN.md §3
// describes them. Pure functions over strings; thread-safe.
// The NIP has no checksum: validation catches impossible numbers (bad dates,
// gender, serial), not typos that stay plausible.
#pragma once

#include <string>
#include <string_view>

#include "sync/status.h"

namespace latih::domain {

enum class EmploymentType { kPns, kPppk };

// "PNS" or "PPPK".
std::string_view EmploymentTypeName(EmploymentType type);
// Parses "PNS"/"PPPK" (any case, surrounding spaces ignored).
// Returns kInvalidArgument naming the value otherwise.
Result<EmploymentType> ParseEmploymentType(std::string_view text);

// The fields encoded in an 18-digit NIP or NI PPPK.
struct NipInfo {
  std::string nip;  // normalized: exactly 18 ASCII digits, no spaces
  EmploymentType type = EmploymentType::kPns;
  int birth_year = 0, birth_month = 0, birth_day = 0;
  // PNS: year and month of first appointment as CPNS (TMT).
  // PPPK: year of first appointment as calon PPPK; tmt_month is 0.
  int tmt_year = 0, tmt_month = 0;
  int pppk_contracts = 0;  // PPPK only: number of work contracts, 1..9
  int gender = 0;          // 1 = male, 2 = female
  int serial = 0;          // 1..999
};

// The wording of ParseNip's errors: templates whose {1}, {2}... it fills in
// (sync/domain/placeholders.h). English by default; the office client passes
// its catalog's Indonesian (client/lib/messages.h) so that sync/ never
// depends on client/. The views must outlive the call.
struct NipWording {
  // {1} the text given, {2} the character
  std::string_view not_digit = "NIP '{1}': character '{2}' is not a digit (a NIP has only digits)";
  // {1} the text given, {2} digits found, {3} digits expected
  std::string_view digit_count = "NIP '{1}': has {2} digits, expected {3}";
  // From here {1} is the NIP (18 digits).
  std::string_view birth_year = "NIP {1}: birth year {2} is outside {3}..{4}";  // {2} year, {3}..{4} range
  std::string_view birth_date = "NIP {1}: birth date {2} is not a real date";
  std::string_view pppk_contracts = "NIP {1}: PPPK contract count {2} is not 1..9";
  std::string_view tmt_month = "NIP {1}: TMT month {2} is not a month 01..12 (nor a PPPK marker 21..29)";
  // {2} TMT (YYYY-MM) or the appointment year, {3} birth date, {4} minimum age
  std::string_view pns_too_young = "NIP {1}: TMT {2} is before the holder (born {3}) was {4}";
  std::string_view pppk_too_young = "NIP {1}: appointment year {2} is before the holder (born {3}) was {4}";
  std::string_view gender = "NIP {1}: gender digit {2} is not 1 (male) or 2 (female)";
  std::string_view serial = "NIP {1}: serial {2} is not 001..999";
};

// Parses and validates `text` as a NIP (PNS) or NI PPPK.
// Spaces inside the number are ignored ("19801230 201001 2 005" is accepted).
// Rules: 18 digits; a real birth date (1900..2099); for PNS a TMT month
// 01..12; for PPPK digits 13-14 are "2" then the contract count 1..9 (that is
// how the two are told apart: a value above 12 there means PPPK); the first
// appointment at least 17 full years after birth (PNS: compared by month,
// PPPK: by year); gender digit 1 or 2; serial 001..999.
// Returns kInvalidArgument with a message that quotes the NIP and says which
// part is wrong, e.g. "NIP 198002302010011005: birth date 1980-02-30 is not a
// real date". `wording` words the message (English by default).
Result<NipInfo> ParseNip(std::string_view text, const NipWording& wording = {});

// Display form: PNS "19801230 201001 2 005", PPPK "20001231 202421 1 001".
// REQUIRES: info came from ParseNip.
std::string FormatNip(const NipInfo& info);

}  // namespace latih::domain
