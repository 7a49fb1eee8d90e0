#include "sync/domain/nip.h"

#include <catch2/catch.hpp>
#include <string>

namespace latih::domain {
namespace {

// Checks that `text` is refused as invalid and that the message contains
// every one of `parts` (the NIP and the name of the wrong part).
void RequireRefused(std::string_view text,
                    std::initializer_list<std::string_view> parts) {
  Result<NipInfo> r = ParseNip(text);
  INFO("input: " << text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  for (std::string_view part : parts) {
    INFO("message: " << r.status().message());
    CHECK(r.status().message().find(part) != std::string::npos);
  }
}

TEST_CASE("A PNS NIP is split into birth date, TMT, gender and serial",
          "[domain]") {
  Result<NipInfo> r = ParseNip("198012302010011005");
  REQUIRE(r.ok());
  CHECK(r->nip == "198012302010011005");
  CHECK(r->type == EmploymentType::kPns);
  CHECK(r->birth_year == 1980);
  CHECK(r->birth_month == 12);
  CHECK(r->birth_day == 30);
  CHECK(r->tmt_year == 2010);
  CHECK(r->tmt_month == 1);
  CHECK(r->pppk_contracts == 0);
  CHECK(r->gender == 1);
  CHECK(r->serial == 5);
}

TEST_CASE("Spaces inside and around a NIP are ignored", "[domain]") {
  Result<NipInfo> r = ParseNip(" 19801230 201001 1 005 ");
  REQUIRE(r.ok());
  CHECK(r->nip == "198012302010011005");
  CHECK(r->serial == 5);
}

TEST_CASE("An NI PPPK is recognised by the marker 2 after the year",
          "[domain]") {
  Result<NipInfo> r = ParseNip("200012312024211001");
  REQUIRE(r.ok());
  CHECK(r->type == EmploymentType::kPppk);
  CHECK(r->birth_year == 2000);
  CHECK(r->birth_month == 12);
  CHECK(r->birth_day == 31);
  CHECK(r->tmt_year == 2024);
  CHECK(r->tmt_month == 0);
  CHECK(r->pppk_contracts == 1);
  CHECK(r->gender == 1);
  CHECK(r->serial == 1);
}

TEST_CASE("A TMT month of 13 is refused, naming the NIP and the month",
          "[domain]") {
  RequireRefused("198012302010131005", {"198012302010131005", "TMT month 13"});
  RequireRefused("198012302010001005", {"198012302010001005", "TMT month 00"});
}

TEST_CASE("A PPPK contract count of 0 is refused", "[domain]") {
  RequireRefused("200012312024201001",
                 {"200012312024201001", "PPPK contract count 0"});
}

TEST_CASE("A birth date of 30 February is refused", "[domain]") {
  RequireRefused("198002302010011005",
                 {"198002302010011005", "birth date 1980-02-30"});
  RequireRefused("198013012010011005",
                 {"198013012010011005", "birth date 1980-13-01"});
}

TEST_CASE("A birth year outside 1900..2099 is refused", "[domain]") {
  RequireRefused("189912302010011005",
                 {"189912302010011005", "birth year 1899"});
}

TEST_CASE("29 February is a birth date only in leap years", "[domain]") {
  CHECK(ParseNip("198002292000011001").ok());
  CHECK(ParseNip("200002292020011001").ok());  // 2000 is a leap year
  RequireRefused("198102292000011001", {"birth date 1981-02-29"});
  RequireRefused("190002291920011001", {"birth date 1900-02-29"});
}

TEST_CASE("A gender digit other than 1 or 2 is refused", "[domain]") {
  RequireRefused("198012302010013005",
                 {"198012302010013005", "gender digit 3"});
  RequireRefused("198012302010010005", {"gender digit 0"});
  CHECK(ParseNip("198012302010012005")->gender == 2);
}

TEST_CASE("Serial 000 is refused and 999 accepted", "[domain]") {
  RequireRefused("198012302010011000", {"198012302010011000", "serial 000"});
  CHECK(ParseNip("198012302010011999")->serial == 999);
}

TEST_CASE("A NIP with the wrong number of digits is refused", "[domain]") {
  RequireRefused("19801230201001100", {"'19801230201001100'", "17 digits"});
  RequireRefused("1980123020100110050", {"19 digits"});
  RequireRefused("", {"0 digits"});
}

TEST_CASE("A NIP containing letters is refused", "[domain]") {
  RequireRefused("1980123020100110O5",
                 {"'1980123020100110O5'", "'O'", "not a digit"});
  RequireRefused("19801230-201001-1-005", {"'-'"});
}

TEST_CASE("A first appointment before the holder was 17 is refused",
          "[domain]") {
  // Born 1980-12: the PNS TMT may be 1997-12 at the earliest (by month).
  RequireRefused("198012301997111005",
                 {"198012301997111005", "TMT 1997-11", "1980-12-30"});
  CHECK(ParseNip("198012301997121005").ok());
  // PPPK compares years only: born 2000, appointed 2017 at the earliest.
  RequireRefused("200012312016211001",
                 {"200012312016211001", "appointment year 2016"});
  CHECK(ParseNip("200012312017211001").ok());
}

TEST_CASE("FormatNip groups the digits for display", "[domain]") {
  CHECK(FormatNip(*ParseNip("198012302010011005")) == "19801230 201001 1 005");
  CHECK(FormatNip(*ParseNip("200012312024211001")) == "20001231 202421 1 001");
  // Round trip: the display form parses back to the same number.
  CHECK(ParseNip(FormatNip(*ParseNip("198012302010012005")))->nip ==
        "198012302010012005");
}

TEST_CASE("A caller may word the errors itself: its templates get the values",
          "[domain]") {
  NipWording w;
  w.gender = "{1} / {2}";
  w.digit_count = "'{1}' {2}<{3}";
  CHECK(ParseNip("198012302010013005", w).status().message() ==
        "198012302010013005 / 3");
  CHECK(ParseNip("12 3", w).status().message() == "'12 3' 3<18");
  // The other problems keep the English default.
  CHECK(ParseNip("198002302010011005", w).status().message() ==
        "NIP 198002302010011005: birth date 1980-02-30 is not a real date");
}

TEST_CASE("Employment types parse in any case and have stable names",
          "[domain]") {
  CHECK(EmploymentTypeName(EmploymentType::kPns) == "PNS");
  CHECK(EmploymentTypeName(EmploymentType::kPppk) == "PPPK");
  CHECK(*ParseEmploymentType("pns") == EmploymentType::kPns);
  CHECK(*ParseEmploymentType("  PppK ") == EmploymentType::kPppk);
  Result<EmploymentType> bad = ParseEmploymentType("honorer");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  CHECK(bad.status().message().find("employment type 'honorer'") !=
        std::string::npos);
  CHECK_FALSE(ParseEmploymentType("").ok());
  CHECK_FALSE(ParseEmploymentType("P N S").ok());
}

}  // namespace
}  // namespace latih::domain
