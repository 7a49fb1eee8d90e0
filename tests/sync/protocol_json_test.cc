#include "sync/protocol_json.h"

#include <catch2/catch.hpp>

#include "sync/domain/ids.h"

namespace latih::sync {
namespace {

RowChange SampleRow() {
  return RowChange{"attendance", "0590dbe0-a53c-5cca-a7af-e9454e913d2c",
                   {{"", int64_t{1}, {116156670429167616, 7}, {}},
                    {"status", std::string("terlambat"), {116156670429167616, 7}, {116156600000000000, 3}},
                    {"minutes_late", Value(), {116156670429167616, 7}, {}},
                    {"jp", 6.5, {116156670429167616, 7}, {}},
                    {"note", std::string("ban bocor \xE2\x80\x94 \"terlambat\"\n"), {116156670429167616, 7}, {}}}};
}

TEST_CASE("a sync request survives encoding and decoding exactly", "[sync][protocol]") {
  SyncRequest r;
  r.schema = 3;
  r.node = 42;
  r.office = "52.71.01.1004";
  r.client_time_ms = 1772409600123;
  r.push = PushBatch{BatchId{42, 10, 25}, {SampleRow()}};
  r.pull = PullRequest{99, 500, 262144};
  auto back = DecodeRequest(EncodeRequest(r));
  REQUIRE(back.ok());
  CHECK(back->protocol == kProtocolVersion);
  CHECK(back->node == 42);
  CHECK(back->office == "52.71.01.1004");
  CHECK(back->client_time_ms == 1772409600123);
  REQUIRE(back->push);
  CHECK(back->push->id.last_seq == 25);
  REQUIRE(back->push->rows.size() == 1);
  const auto& cells = back->push->rows[0].cells;
  const auto& sent = r.push->rows[0].cells;
  REQUIRE(cells.size() == sent.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    CHECK(cells[i].column == sent[i].column);
    CHECK(cells[i].value == sent[i].value);  // types too: int stays int, 6.5 stays real, null stays null
    CHECK(cells[i].version == sent[i].version);
    CHECK(cells[i].base == sent[i].base);
  }
  REQUIRE(back->pull);
  CHECK(back->pull->cursor == 99);
  CHECK(back->pull->max_bytes == 262144);
}

TEST_CASE("a sync response survives encoding and decoding exactly", "[sync][protocol]") {
  SyncResponse r;
  r.server_time_ms = 1772409600999;
  r.push = PushAck{BatchId{42, 10, 25}, true, false, {Refusal{"employee", "x", "", "bad NIP"}}};
  r.pull = PullBatch{{SampleRow()}, 120, true, false};
  auto back = DecodeResponse(EncodeResponse(r));
  REQUIRE(back.ok());
  CHECK(back->server_time_ms == 1772409600999);
  CHECK(back->push->applied);
  REQUIRE(back->push->refused.size() == 1);
  CHECK(back->push->refused[0].reason == "bad NIP");
  CHECK(back->pull->last_seq == 120);
  CHECK(back->pull->more);
  CHECK(back->pull->rows[0].cells[1].value == Value(std::string("terlambat")));
}

TEST_CASE("malformed messages are refused with the place of the fault", "[sync][protocol]") {
  auto message = [](std::string_view text) { return DecodeRequest(text).status().message(); };
  CHECK_THAT(message("not json"), Catch::Contains("not valid JSON"));
  CHECK_THAT(message("[1,2]"), Catch::Contains("not a JSON object"));
  CHECK_THAT(message(R"({"schema":1,"node":1,"time":0})"), Catch::Contains("protocol"));
  CHECK_THAT(message(R"({"protocol":1,"schema":1,"node":"x","time":0})"), Catch::Contains("node"));
  const std::string bad_cell = R"({"protocol":1,"schema":1,"node":1,"time":0,"push":{"id":[1,1,2],)"
                               R"("rows":[{"t":"employee","id":"a","c":[["name","x","big",1,0,0]]}]}})";
  CHECK_THAT(message(bad_cell), Catch::Contains("push.rows[0].c[0][2]"));
  const std::string nested_value = R"({"protocol":1,"schema":1,"node":1,"time":0,"push":{"id":[1,1,2],)"
                                   R"("rows":[{"t":"employee","id":"a","c":[["name",{"x":1},1,1,0,0]]}]}})";
  CHECK_THAT(message(nested_value), Catch::Contains("value must be"));
  CHECK_FALSE(DecodeRequest(R"({"protocol":1e400,"schema":1,"node":1,"time":0})").ok());  // huge number
  CHECK_THAT(message(R"({"protocol":1.5,"schema":1,"node":1,"time":0})"), Catch::Contains("protocol"));
  CHECK(DecodeRequest(R"({"protocol":1,"schema":1,"node":1,"time":0,"extra":{"ignored":true}})").ok());
}

TEST_CASE("deeply nested input is refused without crashing", "[sync][protocol]") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_FALSE(DecodeRequest(deep).ok());
  const std::string deep_obj = R"({"protocol":1,"schema":1,"node":1,"time":0,"x":)" + deep + "}";
  CHECK(DecodeRequest(deep_obj).ok());  // unknown fields are ignored, however deep
}

}  // namespace
}  // namespace latih::sync

namespace latih::sync {

TEST_CASE("a row whose cells share a version sends it once; mixed rows keep per-cell versions", "[sync][protocol]") {
  const Version v{116156670429167616, 7}, base{116156600000000000, 3};
  RowChange shared{"employee", "e1", {{"", int64_t{1}, v, base}, {"name", std::string("Budi"), v, base}}};
  SyncRequest r;
  r.push = PushBatch{BatchId{7, 1, 2}, {shared, SampleRow()}};
  r.pull = PullRequest{5, 100, 4096, true};
  const std::string json = EncodeRequest(r);
  CHECK(json.find(R"("v":[116156670429167616,7,116156600000000000,3])") != std::string::npos);
  CHECK(json.find(R"(["name","Budi"])") != std::string::npos);
  auto back = DecodeRequest(json);
  REQUIRE(back.ok());
  REQUIRE(back->pull->own);
  for (size_t row = 0; row < 2; ++row) {
    const auto& got = back->push->rows[row].cells;
    const auto& sent = r.push->rows[row].cells;
    REQUIRE(got.size() == sent.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].version == sent[i].version);
      CHECK(got[i].base == sent[i].base);
    }
  }
  // A short cell without the row's "v" is a fault, located.
  auto bad = DecodeRequest(R"({"protocol":1,"schema":1,"node":7,"time":1,"push":{"id":[7,1,1],)"
                           R"("rows":[{"t":"employee","id":"e1","c":[["name","Budi"]]}]}})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("push.rows[0].c[0]") != std::string::npos);
}

TEST_CASE("refusals carry their code both ways", "[sync][protocol]") {
  SyncResponse r;
  r.push = PushAck{BatchId{7, 1, 1}, true, false, {Refusal{"employee", "e1", "", "office 52.71.01.1004's", "forbidden"}}};
  auto back = DecodeResponse(EncodeResponse(r));
  REQUIRE(back.ok());
  REQUIRE(back->push->refused.size() == 1);
  CHECK(back->push->refused[0].code == "forbidden");
  CHECK(back->push->refused[0].reason == "office 52.71.01.1004's");
}

}  // namespace latih::sync

namespace latih::sync {

TEST_CASE("a natural-key row whose key travels with it leaves its id out; the receiver derives it", "[sync][protocol]") {
  const std::string session = "01900000-0000-7000-8000-000000000111";
  const std::string employee = domain::NaturalId("employee", {"198501022010031002"});
  const std::string id = domain::NaturalId("attendance", {session, employee});
  const Version v{116156670429167616, 7};
  RowChange full{"attendance", id, {{"", int64_t{1}, v, {}}, {"session_id", session, v, {}},
                                    {"employee_id", employee, v, {}}, {"status", std::string("hadir"), v, {}}}};
  RowChange partial{"attendance", id, {{"status", std::string("izin"), v, {}}}};  // an edit: no key cells
  SyncRequest r;
  r.push = PushBatch{BatchId{7, 1, 2}, {full, partial}};
  const std::string json = EncodeRequest(r);
  CHECK(json.find(id) != std::string::npos);  // once: for the edit only
  CHECK(json.find(id) == json.rfind(id));
  auto back = DecodeRequest(json);
  REQUIRE(back.ok());
  CHECK(back->push->rows[0].id == id);
  CHECK(back->push->rows[1].id == id);
  // Without an id and without its key cells, a row is a located fault.
  auto bad = DecodeRequest(R"({"protocol":1,"schema":1,"node":7,"time":1,"push":{"id":[7,1,1],)"
                           R"("rows":[{"t":"attendance","v":[1,7,0,0],"c":[["status","hadir"]]}]}})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("push.rows[0]: missing field 'id'") != std::string::npos);
}

}  // namespace latih::sync

namespace latih::sync {

TEST_CASE("the batch a server applied last travels in its answer, refusals included", "[sync][protocol]") {
  SyncResponse r;
  r.applied = AppliedBatch{120, 0x7123456789abcdefLL, {Refusal{"employee", "e1", "", "Pejeruk's row", "forbidden"}}};
  auto back = DecodeResponse(EncodeResponse(r));
  REQUIRE(back.ok());
  REQUIRE(back->applied);
  CHECK(back->applied->last_seq == 120);
  CHECK(back->applied->hash == 0x7123456789abcdefLL);
  REQUIRE(back->applied->refused.size() == 1);
  CHECK(back->applied->refused[0].code == "forbidden");
  CHECK(back->applied->refused[0].reason == "Pejeruk's row");
  CHECK_FALSE(DecodeResponse(EncodeResponse(SyncResponse{}))->applied);  // an older server: none
  auto message = [](std::string_view text) { return DecodeResponse(text).status().message(); };
  CHECK_THAT(message(R"({"time":1,"applied":[120]})"), Catch::Contains("applied: is not an object"));
  CHECK_THAT(message(R"({"time":1,"applied":{"last":120}})"), Catch::Contains("hash"));
  CHECK_THAT(message(R"({"time":1,"applied":{"last":1,"hash":2,"refused":[7]}})"),
             Catch::Contains("applied.refused[0]: is not an object"));
}

}  // namespace latih::sync
