#include "sync/gzip.h"

#include <catch2/catch.hpp>

#include <random>

namespace latih::sync {
namespace {

// Text that compresses like a sync batch: repetitive JSON with some noise.
std::string SampleJson(int rows) {
  std::mt19937 rng(7);
  std::string s = "{\"rows\":[";
  for (int i = 0; i < rows; ++i) {
    s += "{\"t\":\"attendance\",\"id\":\"" + std::to_string(rng()) + "\",\"c\":[[\"status\",\"hadir\"," +
         std::to_string(rng() % 100000) + "]]},";
  }
  return s + "]}";
}

TEST_CASE("gzip round trips text, binary and empty input", "[sync][gzip]") {
  const std::string json = SampleJson(500);
  std::string binary;
  for (int i = 0; i < 70000; ++i) binary += static_cast<char>((i * 7919) & 0xff);
  for (const std::string& data : {json, binary, std::string(), std::string("\0\x1f\x8b", 3)}) {
    const std::string gz = GzipCompress(data);
    REQUIRE(LooksGzipped(gz));
    auto back = GzipDecompress(gz, static_cast<int64_t>(data.size()) + 1);
    REQUIRE(back.ok());
    CHECK(*back == data);
  }
  CHECK(GzipCompress(json).size() < json.size() / 3);
  CHECK(GzipCompress(json, 1).size() >= GzipCompress(json, 9).size());
}

TEST_CASE("the inflate cap is inclusive", "[sync][gzip]") {
  const std::string data(100000, 'x');
  const std::string gz = GzipCompress(data);
  CHECK(GzipDecompress(gz, 100000).ok());  // the cap is inclusive
  auto over = GzipDecompress(gz, 99999);
  REQUIRE_FALSE(over.ok());
  CHECK(over.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a gzip bomb stops at the cap instead of filling memory", "[sync][gzip]") {
  const std::string zeros(50 * 1024 * 1024, '\0');
  const std::string bomb = GzipCompress(zeros, 9);
  REQUIRE(bomb.size() < 100 * 1024);  // about a thousandfold
  auto r = GzipDecompress(bomb, 1024 * 1024);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Catch::Contains("inflates beyond 1048576 bytes"));
}

TEST_CASE("corrupt or truncated gzip is refused with the reason", "[sync][gzip]") {
  const std::string gz = GzipCompress(SampleJson(50));
  SECTION("not gzip at all") {
    auto r = GzipDecompress("{\"plain\":\"json\"}", 1 << 20);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains("not valid gzip"));
  }
  SECTION("truncated") {
    auto r = GzipDecompress(gz.substr(0, gz.size() / 2), 1 << 20);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("not valid gzip"));
  }
  SECTION("a flipped byte in the middle") {
    std::string bad = gz;
    bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x55);
    auto r = GzipDecompress(bad, 1 << 20);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
  }
  SECTION("empty input") {
    CHECK_FALSE(GzipDecompress("", 1 << 20).ok());
  }
  CHECK_FALSE(LooksGzipped("{}"));
  CHECK_FALSE(LooksGzipped(""));
}

}  // namespace
}  // namespace latih::sync
