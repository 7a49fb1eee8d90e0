#include "sync/domain/ids.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

namespace latih::domain {
namespace {

constexpr std::string_view kDnsNamespace =
    "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

// The 48-bit timestamp in the first 12 hex digits of a UUIDv7.
int64_t TimestampOf(const std::string& uuid) {
  std::string hex = uuid.substr(0, 8) + uuid.substr(9, 4);
  return static_cast<int64_t>(std::stoull(hex, nullptr, 16));
}

TEST_CASE("UuidV5 matches the RFC 9562 test vector", "[domain]") {
  CHECK(UuidV5(kDnsNamespace, "www.example.com") ==
        "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  // The namespace may be written in upper case.
  CHECK(UuidV5("6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "www.example.com") ==
        "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST_CASE("UuidV5 sets version 5 and the RFC variant", "[domain]") {
  const std::string id = UuidV5(kDnsNamespace, "latih");
  REQUIRE(IsUuid(id));
  CHECK(id[14] == '5');
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);
}

TEST_CASE("UuidV7 matches the RFC 9562 example layout", "[domain]") {
  // RFC 9562 appendix A.6: unix_ts_ms 0x017F22E279B0, rand_a 0xCC3,
  // rand_b 0x18C4DC0C0C07398F.
  const std::array<uint8_t, 10> random = {0x0C, 0xC3, 0x18, 0xC4, 0xDC,
                                          0x0C, 0x0C, 0x07, 0x39, 0x8F};
  CHECK(UuidV7(0x017F22E279B0, random) ==
        "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
}

TEST_CASE(
    "UuidV7 sets the version nibble and variant bits whatever the "
    "random bytes",
    "[domain]") {
  std::array<uint8_t, 10> ones;
  ones.fill(0xFF);
  std::array<uint8_t, 10> zeros{};
  const std::string a = UuidV7(1, ones);
  const std::string b = UuidV7(1, zeros);
  REQUIRE(IsUuid(a));
  REQUIRE(IsUuid(b));
  CHECK(a == "00000000-0001-7fff-bfff-ffffffffffff");
  CHECK(b == "00000000-0001-7000-8000-000000000000");
}

TEST_CASE("The UuidV7 timestamp prefix round-trips and orders ids by time",
          "[domain]") {
  const std::array<uint8_t, 10> random = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const int64_t now_ms = 1735689600123;  // 2025-01-01T00:00:00.123Z
  const std::string id = UuidV7(now_ms, random);
  CHECK(TimestampOf(id) == now_ms);
  const int64_t max_ms = (int64_t{1} << 48) - 1;
  CHECK(TimestampOf(UuidV7(max_ms, random)) == max_ms);
  CHECK(TimestampOf(UuidV7(0, random)) == 0);
  CHECK(UuidV7(now_ms, random) < UuidV7(now_ms + 1, random));
}

TEST_CASE("IsUuid accepts only canonical 8-4-4-4-12 hex text", "[domain]") {
  CHECK(IsUuid("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
  CHECK(IsUuid("2ED6657D-E927-568B-95E1-2665A8AEA6A2"));
  CHECK(IsUuid(kLatihNamespace));
  CHECK_FALSE(IsUuid(""));
  CHECK_FALSE(IsUuid("2ed6657de927568b95e12665a8aea6a2"));
  CHECK_FALSE(IsUuid("2ed6657d-e927-568b-95e1-2665a8aea6a"));
  CHECK_FALSE(IsUuid("2ed6657d-e927-568b-95e1-2665a8aea6a2a"));
  CHECK_FALSE(IsUuid("2ed6657d-e927-568b-95e12-665a8aea6a2"));
  CHECK_FALSE(IsUuid("2ed6657g-e927-568b-95e1-2665a8aea6a2"));
  CHECK_FALSE(IsUuid("{ed6657d-e927-568b-95e1-2665a8aea6a}"));
}

TEST_CASE("NaturalId is deterministic and a version-5 UUID", "[domain]") {
  const std::string a = NaturalId("employee", {"198012302010011005"});
  CHECK(a == NaturalId("employee", {"198012302010011005"}));
  REQUIRE(IsUuid(a));
  CHECK(a[14] == '5');
  CHECK(a == UuidV5(kLatihNamespace,
                    "employee\x1f"
                    "198012302010011005"));
}

TEST_CASE("NaturalId differs across tables, keys and key splits", "[domain]") {
  const std::string base = NaturalId("attendance", {"a", "bc"});
  CHECK(base != NaturalId("enrollment", {"a", "bc"}));
  CHECK(base != NaturalId("attendance", {"a", "bd"}));
  CHECK(base != NaturalId("attendance", {"ab", "c"}));
  CHECK(base != NaturalId("attendance", {"abc"}));
  CHECK(base != NaturalId("attendance", {"a", "bc", ""}));
  CHECK(NaturalId("t", {}) != NaturalId("t", {""}));
}

}  // namespace
}  // namespace latih::domain
