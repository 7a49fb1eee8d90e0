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

// Parses and validates `text` as a NIP (PNS) or NI PPPK.
// Spaces inside the number are ignored ("19801230 201001 2 005" is accepted).
// Rules: 18 digits; a real birth date (1900..2099); for PNS a TMT month
// 01..12; for PPPK digits 13-14 are "2" then the contract count 1..9 (that is
// how the two are told apart: a value above 12 there means PPPK); the first
// appointment at least 17 full years after birth (PNS: compared by month,
// PPPK: by year); gender digit 1 or 2; serial 001..999.
// Returns kInvalidArgument with a message that quotes the NIP and says which
// part is wrong, e.g. "NIP 198002302010011005: birth date 1980-02-30 is not a
// real date".
Result<NipInfo> ParseNip(std::string_view text);

// Display form: PNS "19801230 201001 2 005", PPPK "20001231 202421 1 001".
// REQUIRES: info came from ParseNip.
std::string FormatNip(const NipInfo& info);

}  // namespace latih::domain
