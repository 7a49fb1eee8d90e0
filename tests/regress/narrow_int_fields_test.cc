// Regression (found by the hostile request suite's huge numbers, and flagged
// by tests/fuzz/fuzz_protocol's comparison with nlohmann's DOM): protocol,
// schema and pull.rows are ints, and the decoder cast the 64-bit number it
// read to int: "protocol": 4294967297 was accepted as protocol 1, "rows":
// 4294967796 as 500. Such numbers are now refused with the place.
#include <catch2/catch.hpp>

#include "sync/protocol_json.h"

namespace latih::sync {

TEST_CASE("regression: protocol, schema and pull.rows beyond 32 bits are refused, not wrapped", "[regress]") {
  auto fault = [](const std::string& text) {
    auto r = DecodeRequest(text);
    return r.ok() ? "ok" : r.status().message();
  };
  CHECK(fault(R"({"protocol":4294967297,"schema":1,"node":1,"time":1})") == "protocol: is out of range");
  CHECK(fault(R"({"protocol":1,"schema":-4294967295,"node":1,"time":1})") == "schema: is out of range");
  CHECK(fault(R"({"protocol":1,"schema":1,"node":1,"time":1,"pull":{"cursor":0,"rows":4294967796,"bytes":1}})") ==
        "pull.rows: is out of range");
  auto widest = DecodeRequest(R"({"protocol":1,"schema":1,"node":1,"time":1,"pull":{"cursor":0,"rows":2147483647,)"
                              R"("bytes":1}})");
  REQUIRE(widest.ok());
  CHECK(widest->pull->max_rows == 2147483647);
}

}  // namespace latih::sync
