#include "sync/domain/nip.h"

#include <cassert>
#include <cctype>
#include <cstdio>
#include <string>

#include "sync/domain/placeholders.h"

namespace latih::domain {
namespace {

// Layout of the 18 digits (DOMAIN.md §3).
constexpr size_t kNipLength = 18;
constexpr size_t kBirthYearPos = 0;
constexpr size_t kBirthMonthPos = 4;
constexpr size_t kBirthDayPos = 6;
constexpr size_t kTmtYearPos = 8;
constexpr size_t kTmtMonthPos = 12;  // PNS: month; PPPK: marker + contracts
constexpr size_t kPppkMarkerPos = 12;
constexpr size_t kPppkContractsPos = 13;
constexpr size_t kGenderPos = 14;
constexpr size_t kSerialPos = 15;
constexpr size_t kYearDigits = 4;
constexpr size_t kTwoDigits = 2;
constexpr size_t kSerialDigits = 3;
// Display grouping: birth date · TMT · gender · serial.
constexpr size_t kDisplayGroup1 = 8;
constexpr size_t kDisplayGroup2 = 6;

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2099;
constexpr int kMonthsPerYear = 12;
constexpr int kPppkMarker = 2;
constexpr int kMinContracts = 1;
constexpr int kMaxContracts = 9;
constexpr int kMinAgeAtAppointment = 17;  // full years
constexpr int kGenderMale = 1;
constexpr int kGenderFemale = 2;
constexpr int kMinSerial = 1;
constexpr int kMaxSerial = 999;

// Value of the `count` decimal digits of `digits` starting at `pos`.
// REQUIRES: those characters are ASCII digits.
int DigitsValue(std::string_view digits, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    value = value * 10 + (digits[i] - '0');
  }
  return value;
}

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  constexpr int kDays[kMonthsPerYear] = {31, 28, 31, 30, 31, 30,
                                         31, 31, 30, 31, 30, 31};
  constexpr int kFebruary = 2;
  if (month == kFebruary && IsLeapYear(year)) return kDays[month - 1] + 1;
  return kDays[month - 1];
}

// "1980-02-30" or "2010-01" (day <= 0 omits the day).
std::string FormatDate(int year, int month, int day) {
  constexpr size_t kBufferSize = 48;  // room for three full-width ints
  char buf[kBufferSize];
  if (day > 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  }
  return buf;
}

Status NipError(std::string_view wording, std::initializer_list<std::string_view> args) {
  return Status::Invalid(FillPlaceholders(wording, args));
}

// The character at text[i], with all its UTF-8 bytes: a message quoting one
// byte of "Ñ" would not be UTF-8, and could not be sent as JSON.
std::string_view CharacterAt(std::string_view text, size_t i) {
  size_t end = i + 1;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  return text.substr(i, end - i);
}

// Strips spaces and checks that exactly 18 digits remain.
Status Normalize(std::string_view text, std::string* out, const NipWording& w) {
  out->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t') continue;
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return NipError(w.not_digit, {text, CharacterAt(text, i)});
    }
    out->push_back(c);
  }
  if (out->size() != kNipLength) {
    return NipError(w.digit_count, {text, std::to_string(out->size()),
                                    std::to_string(kNipLength)});
  }
  return Status::Ok();
}

Status CheckBirthDate(NipInfo& info, const NipWording& w) {
  const std::string& d = info.nip;
  info.birth_year = DigitsValue(d, kBirthYearPos, kYearDigits);
  info.birth_month = DigitsValue(d, kBirthMonthPos, kTwoDigits);
  info.birth_day = DigitsValue(d, kBirthDayPos, kTwoDigits);
  const std::string date =
      FormatDate(info.birth_year, info.birth_month, info.birth_day);
  if (info.birth_year < kMinYear || info.birth_year > kMaxYear) {
    return NipError(w.birth_year,
                    {info.nip, std::to_string(info.birth_year),
                     std::to_string(kMinYear), std::to_string(kMaxYear)});
  }
  if (info.birth_month < 1 || info.birth_month > kMonthsPerYear ||
      info.birth_day < 1 ||
      info.birth_day > DaysInMonth(info.birth_year, info.birth_month)) {
    return NipError(w.birth_date, {info.nip, date});
  }
  return Status::Ok();
}

// Digits 9-14: PNS TMT year+month, or PPPK year + marker + contract count.
Status CheckAppointment(NipInfo& info, const NipWording& w) {
  const std::string& d = info.nip;
  info.tmt_year = DigitsValue(d, kTmtYearPos, kYearDigits);
  const int month_field = DigitsValue(d, kTmtMonthPos, kTwoDigits);
  if (month_field >= 1 && month_field <= kMonthsPerYear) {
    info.type = EmploymentType::kPns;
    info.tmt_month = month_field;
    return Status::Ok();
  }
  const int marker = DigitsValue(d, kPppkMarkerPos, 1);
  const int contracts = DigitsValue(d, kPppkContractsPos, 1);
  if (marker == kPppkMarker) {
    if (contracts < kMinContracts || contracts > kMaxContracts) {
      return NipError(w.pppk_contracts, {info.nip, std::to_string(contracts)});
    }
    info.type = EmploymentType::kPppk;
    info.tmt_month = 0;
    info.pppk_contracts = contracts;
    return Status::Ok();
  }
  return NipError(w.tmt_month, {info.nip, d.substr(kTmtMonthPos, kTwoDigits)});
}

Status CheckAgeAtAppointment(const NipInfo& info, const NipWording& w) {
  const std::string born =
      FormatDate(info.birth_year, info.birth_month, info.birth_day);
  if (info.type == EmploymentType::kPns) {
    const int months = (info.tmt_year - info.birth_year) * kMonthsPerYear +
                       (info.tmt_month - info.birth_month);
    if (months >= kMinAgeAtAppointment * kMonthsPerYear) return Status::Ok();
    return NipError(w.pns_too_young,
                    {info.nip, FormatDate(info.tmt_year, info.tmt_month, 0),
                     born, std::to_string(kMinAgeAtAppointment)});
  }
  if (info.tmt_year - info.birth_year >= kMinAgeAtAppointment) {
    return Status::Ok();
  }
  return NipError(w.pppk_too_young,
                  {info.nip, std::to_string(info.tmt_year), born,
                   std::to_string(kMinAgeAtAppointment)});
}

Status CheckGenderAndSerial(NipInfo& info, const NipWording& w) {
  info.gender = DigitsValue(info.nip, kGenderPos, 1);
  if (info.gender != kGenderMale && info.gender != kGenderFemale) {
    return NipError(w.gender, {info.nip, std::to_string(info.gender)});
  }
  info.serial = DigitsValue(info.nip, kSerialPos, kSerialDigits);
  if (info.serial < kMinSerial || info.serial > kMaxSerial) {
    return NipError(w.serial, {info.nip, info.nip.substr(kSerialPos)});
  }
  return Status::Ok();
}

}  // namespace

std::string_view EmploymentTypeName(EmploymentType type) {
  return type == EmploymentType::kPppk ? "PPPK" : "PNS";
}

Result<EmploymentType> ParseEmploymentType(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  const size_t last = text.find_last_not_of(" \t");
  std::string upper;
  if (first != std::string_view::npos) {
    for (char c : text.substr(first, last - first + 1)) {
      upper.push_back(
          static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  if (upper == "PNS") return EmploymentType::kPns;
  if (upper == "PPPK") return EmploymentType::kPppk;
  return Status::Invalid("employment type '" + std::string(text) +
                         "' is not an employment type (expected one of: PNS, "
                         "PPPK)");
}

Result<NipInfo> ParseNip(std::string_view text, const NipWording& wording) {
  NipInfo info;
  LATIH_RETURN_IF_ERROR(Normalize(text, &info.nip, wording));
  LATIH_RETURN_IF_ERROR(CheckBirthDate(info, wording));
  LATIH_RETURN_IF_ERROR(CheckAppointment(info, wording));
  LATIH_RETURN_IF_ERROR(CheckAgeAtAppointment(info, wording));
  LATIH_RETURN_IF_ERROR(CheckGenderAndSerial(info, wording));
  return info;
}

std::string FormatNip(const NipInfo& info) {
  assert(info.nip.size() == kNipLength);
  if (info.nip.size() != kNipLength) return info.nip;
  // PNS and PPPK share the grouping 8 · 6 · 1 · 3.
  std::string out = info.nip.substr(0, kDisplayGroup1);
  out += ' ';
  out += info.nip.substr(kDisplayGroup1, kDisplayGroup2);
  out += ' ';
  out += info.nip.substr(kGenderPos, 1);
  out += ' ';
  out += info.nip.substr(kSerialPos, kSerialDigits);
  return out;
}

}  // namespace latih::domain
