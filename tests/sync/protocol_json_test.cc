#include "sync/protocol_json.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <limits>
#include <optional>

#include "sync/domain/ids.h"
#include "sync/row_rules.h"

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

TEST_CASE("a row whose cells share a version sends it once, mixed rows keep per-cell versions", "[sync][protocol]") {
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

TEST_CASE("a natural-key row whose key travels with it leaves its id out and the receiver derives it", "[sync][protocol]") {
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

// The encoder writes JSON text directly; these pin it to the bytes of the
// nlohmann DOM encoder it replaced, kept here as the reference.
namespace latih::sync {
namespace {

using nlohmann::json;

std::optional<std::string> DomDerivedId(const RowChange& row) {
  const auto cols = NaturalKeyColumns(row.table);
  if (cols.empty()) return std::nullopt;
  std::string_view parts[3];
  for (size_t k = 0; k < cols.size(); ++k) {
    const WireCell* cell = nullptr;
    for (const auto& c : row.cells) {
      if (c.column == cols[k]) cell = &c;
    }
    if (!cell || !std::holds_alternative<std::string>(cell->value)) return std::nullopt;
    parts[k] = std::get<std::string>(cell->value);
  }
  switch (cols.size()) {
    case 1: return domain::NaturalId(row.table, {parts[0]});
    case 2: return domain::NaturalId(row.table, {parts[0], parts[1]});
    default: return domain::NaturalId(row.table, {parts[0], parts[1], parts[2]});
  }
}

json DomValue(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

json DomRows(const std::vector<RowChange>& rows) {
  json out = json::array();
  for (const auto& row : rows) {
    bool shared = !row.cells.empty();
    for (const auto& c : row.cells) shared &= c.version == row.cells[0].version && c.base == row.cells[0].base;
    json cells = json::array();
    for (const auto& c : row.cells) {
      if (shared) {
        cells.push_back(json::array({c.column, DomValue(c.value)}));
      } else {
        cells.push_back(json::array({c.column, DomValue(c.value), c.version.hlc, c.version.node, c.base.hlc, c.base.node}));
      }
    }
    json j = {{"t", row.table}};
    const auto derived = DomDerivedId(row);
    if (!derived || *derived != row.id) j["id"] = row.id;
    if (shared) {
      const WireCell& c = row.cells[0];
      j["v"] = json::array({c.version.hlc, c.version.node, c.base.hlc, c.base.node});
    }
    j["c"] = std::move(cells);
    out.push_back(std::move(j));
  }
  return out;
}

json DomBatchId(const BatchId& id) { return json::array({id.node, id.first_seq, id.last_seq}); }

std::string DomEncodeRequest(const SyncRequest& r) {
  json j = {{"protocol", r.protocol}, {"schema", r.schema}, {"node", r.node}, {"office", r.office},
            {"time", r.client_time_ms}};
  if (r.push) j["push"] = {{"id", DomBatchId(r.push->id)}, {"rows", DomRows(r.push->rows)}};
  if (r.pull) {
    j["pull"] = {{"cursor", r.pull->cursor}, {"rows", r.pull->max_rows}, {"bytes", r.pull->max_bytes}};
    if (r.pull->own) j["pull"]["own"] = true;
  }
  return j.dump();
}

std::string DomEncodeResponse(const SyncResponse& r) {
  json j = {{"time", r.server_time_ms}};
  if (r.push) {
    json refused = json::array();
    for (const auto& f : r.push->refused) {
      refused.push_back({{"t", f.table}, {"id", f.id}, {"col", f.column}, {"why", f.reason}, {"code", f.code}});
    }
    j["push"] = {{"id", DomBatchId(r.push->id)}, {"applied", r.push->applied},
                 {"clock_ahead", r.push->clock_ahead}, {"refused", std::move(refused)}};
  }
  if (r.pull) {
    j["pull"] = {{"rows", DomRows(r.pull->rows)}, {"last", r.pull->last_seq}, {"more", r.pull->more},
                 {"snapshot", r.pull->snapshot_required}};
  }
  return j.dump();
}

// Rows of every shape the encoder distinguishes.
std::vector<RowChange> VariedRows() {
  const Version v{116156670429167616, 7}, base{116156600000000000, 3};
  const std::string session = "01900000-0000-7000-8000-000000000111";
  const std::string employee = domain::NaturalId("employee", {"198501022010031002"});
  const std::string attendance = domain::NaturalId("attendance", {session, employee});
  const int64_t kMin = std::numeric_limits<int64_t>::min(), kMax = std::numeric_limits<int64_t>::max();
  return {
      SampleRow(),  // mixed versions, escapes and UTF-8
      {"employee", "e1", {{"", int64_t{1}, v, base}, {"name", std::string("Budi"), v, base}}},  // shared
      {"attendance", attendance, {{"session_id", session, v, {}}, {"employee_id", employee, v, {}}}},  // id left out
      {"attendance", "kept-id", {{"session_id", session, v, {}}, {"employee_id", employee, v, {}}}},  // id kept
      {"attendance", attendance, {{"session_id", session, v, {}}, {"status", std::string("izin"), v, {}}}},  // partial key
      {"attendance", attendance, {{"session_id", session, v, {}}, {"employee_id", int64_t{5}, v, {}}}},  // key not text
      {"employee", "e2", {}},  // no cells
      {"x", "", {{"", Value(), {kMin, kMax}, {kMax, kMin}}, {"n", int64_t{-1}, v, base}}},
      {"x", "\xC3\xA9t\xC3\xA9", {{"d", 0.1, v, v}, {"e", 1e300, v, v}, {"f", -0.0, v, v}, {"g", 3.0, v, v},
                                  {"h", 1.0 / 3, v, v}, {"i", std::numeric_limits<double>::quiet_NaN(), v, v}}},
      {"x", "ctl", {{"tab\there", std::string("\x01\x1f\x7f/\\\"\r\b\f"), v, {}},
                    {"\xF0\x9F\x98\x80", std::string("\xE2\x80\x94"), v, {}}, {"", std::string(), v, {}}}},
  };
}

TEST_CASE("a session's first request carries what the device says about itself, and only that one",
          "[sync][protocol]") {
  SyncRequest r;
  r.node = 7;
  r.client = "latih/0.1.0";
  r.pending = 12;
  r.quarantined = 0;
  const std::string encoded = EncodeRequest(r);
  CHECK(encoded.find(R"("client":"latih/0.1.0")") != std::string::npos);
  auto back = DecodeRequest(encoded);
  REQUIRE(back.ok());
  CHECK(back->client == "latih/0.1.0");
  CHECK(back->pending == 12);
  CHECK(back->quarantined == 0);
  // Not said: not sent, and read back as not said.
  SyncRequest plain;
  plain.node = 7;
  const std::string bare = EncodeRequest(plain);
  CHECK(bare.find("client") == std::string::npos);
  CHECK(bare.find("pending") == std::string::npos);
  auto plain_back = DecodeRequest(bare);
  REQUIRE(plain_back.ok());
  CHECK(plain_back->client.empty());
  CHECK(plain_back->pending == -1);
  CHECK(DecodeRequest(R"({"node":1,"protocol":1,"schema":1,"time":0,"pending":"many"})").status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("the encoder writes byte for byte what the DOM encoder wrote", "[sync][protocol]") {
  std::vector<SyncRequest> requests(5);
  requests[0].office = "52.71.01.1004";
  requests[1].push = PushBatch{BatchId{42, 10, 25}, VariedRows()};
  requests[1].pull = PullRequest{99, 500, 262144, false};
  requests[2].push = PushBatch{BatchId{-1, 0, std::numeric_limits<int64_t>::max()}, {}};  // empty rows list
  requests[2].pull = PullRequest{5, 100, 4096, true};
  requests[3] = {2, 3, -42, "Kantor \xE2\x80\x94 \"pusat\"", -1772409600123, std::nullopt, PullRequest{}, "", -1, -1};
  requests[4].push = PushBatch{BatchId{1, 1, 1}, {SampleRow()}};
  for (const auto& r : requests) {
    const std::string dom = DomEncodeRequest(r);
    const std::string direct = EncodeRequest(r);
    CHECK(direct == dom);
    CHECK(json::parse(direct) == json::parse(dom));
  }
  std::vector<SyncResponse> responses(4);
  responses[1].push = PushAck{BatchId{7, 1, 1}, true, true,
                              {Refusal{"employee", "e1", "", "office 52.71.01.1004's", "forbidden"},
                               Refusal{"x", "\xC3\xA9", "nip", "bad \"NIP\"\n"}}};
  responses[1].pull = PullBatch{VariedRows(), 120, true, false};
  responses[2].push = PushAck{BatchId{7, 1, 1}, false, false, {}};
  responses[2].pull = PullBatch{{}, 0, false, true};
  responses[3].server_time_ms = std::numeric_limits<int64_t>::min();
  responses[3].pull = PullBatch{{SampleRow()}, 1, false, false};
  for (const auto& r : responses) {
    const std::string dom = DomEncodeResponse(r);
    const std::string direct = EncodeResponse(r);
    CHECK(direct == dom);
    CHECK(json::parse(direct) == json::parse(dom));
  }
}

TEST_CASE("invalid UTF-8 is refused by the encoder as nlohmann refused it", "[sync][protocol]") {
  SyncRequest r;
  r.push = PushBatch{BatchId{1, 1, 1}, {RowChange{"x", "a", {{"name", std::string("ab\xFF"), {1, 1}, {}}}}}};
  std::string dom_error, direct_error;
  try {
    DomEncodeRequest(r);
  } catch (const json::type_error& e) {
    dom_error = e.what();
  }
  try {
    EncodeRequest(r);
  } catch (const json::type_error& e) {
    direct_error = e.what();
  }
  CHECK_THAT(direct_error, Catch::Contains("[json.exception.type_error.316]"));
  CHECK(direct_error == dom_error);
}

}  // namespace
}  // namespace latih::sync

// The decoder reads SAX events; these pin what a DOM gave for free.
namespace latih::sync {
namespace {

constexpr const char* kHead = R"("protocol":1,"schema":1,"node":7,"time":1)";

std::string Request(const std::string& push) {
  return std::string("{") + kHead + R"(,"push":{"id":[7,1,1],"rows":[)" + push + "]}}";
}

std::string Fault(std::string_view text) {
  auto r = DecodeRequest(text);
  return r.ok() ? "ok" : r.status().message();
}

TEST_CASE("the order of fields in an object does not matter", "[sync][protocol]") {
  const std::string session = "01900000-0000-7000-8000-000000000111";
  const std::string employee = domain::NaturalId("employee", {"198501022010031002"});
  // Cells before the shared version and the table, top-level fields after push.
  const std::string text = R"({"push":{"rows":[{"c":[["session_id",")" + session + R"("],["employee_id",")" +
                           employee + R"("],["status","hadir",9,9,8,8]],"v":[5,7,1,2],"t":"attendance"}],"id":[7,1,1]},)" +
                           R"("time":1,"node":7,"schema":1,"protocol":1})";
  auto back = DecodeRequest(text);
  REQUIRE(back.ok());
  const RowChange& row = back->push->rows[0];
  CHECK(row.id == domain::NaturalId("attendance", {session, employee}));  // derived once "t" was read
  REQUIRE(row.cells.size() == 3);
  CHECK(row.cells[0].version == Version{5, 7});
  CHECK(row.cells[1].base == Version{1, 2});
  CHECK(row.cells[2].version == Version{9, 9});  // a full cell keeps its own
  CHECK(row.cells[2].base == Version{8, 8});
}

TEST_CASE("faults are reported in a fixed order, whatever the order of the fields", "[sync][protocol]") {
  // A bad row comes first in the text, but the missing "time" is checked first.
  CHECK(Fault(R"({"push":{"id":[1,1,1],"rows":[{"t":"x","id":"a","c":[["n",1,"big",1,0,0]]}]},)"
              R"("protocol":1,"schema":1,"node":1})") == "body: missing field 'time'");
  CHECK(Fault(R"({"push":{"rows":[{"t":"x","id":"a","c":[["n",1,"big",1,0,0]]}],"id":[1,"x",1]},)" +
              std::string(kHead) + "}") == "push.id[1]: is not an integer");
  CHECK(Fault(Request(R"({"c":[["n",1,"big",1,0,0]],"id":"a","t":"x"})")) == "push.rows[0].c[0][2]: is not an integer");
  // Within a row: its shape before its cells, and "v" before any cell.
  CHECK(Fault(Request(R"({"c":[["n",{}]],"v":[1,2,3],"id":"a","t":"x"})")) ==
        "push.rows[0].v: is not [hlc, node, base_hlc, base_node]");
  CHECK(Fault(Request(R"({"c":[["n",{}]],"id":"a","t":"x"})")) ==
        "push.rows[0].c[0]: is not [column, value, hlc, node, base_hlc, base_node]");
  CHECK(Fault(Request(R"({"c":[["n",{}]],"v":[1,2,3,4],"id":"a","t":"x"})")) ==
        "push.rows[0].c[0][1]: value must be a string, a number or null");
  CHECK(Fault(Request(R"({"t":"x","id":"a","c":[]},{"t":5,"c":[]})")) == "push.rows[1].t: is not a string");
  // Text that is not JSON wins over a fault found before the text broke.
  CHECK(Fault(Request(R"({"t":"x","id":"a","c":[["n",1,"big",1,0,0]]})").substr(0, 100)) == "body: is not valid JSON");
  CHECK(Fault("[1,2") == "body: is not valid JSON");
  CHECK(Fault("[1,2]") == "body: is not a JSON object");
  CHECK(Fault("\"x\"") == "body: is not a JSON object");
}

TEST_CASE("a known field given twice is refused, unknown fields may repeat", "[sync][protocol]") {
  CHECK(Fault(std::string("{") + kHead + R"(,"node":8})") == "body: duplicate field 'node'");
  CHECK(Fault(Request(R"({"t":"x","id":"a","c":[],"c":[["n",1,1,1,0,0]]})")) == "push.rows[0]: duplicate field 'c'");
  CHECK(Fault(std::string("{") + kHead + R"(,"x":1,"x":[2]})") == "ok");
}

TEST_CASE("integers beyond int64 are refused, not wrapped", "[sync][protocol]") {
  CHECK(Fault(R"({"protocol":1,"schema":1,"node":18446744073709551615,"time":1})") == "node: is not an integer");
  CHECK(Fault(R"({"protocol":1,"schema":1,"node":9223372036854775807,"time":1})") == "ok");
  CHECK(Fault(Request(R"({"t":"x","id":"a","c":[["n",1,9223372036854775808,1,0,0]]})")) ==
        "push.rows[0].c[0][2]: is not an integer");
  CHECK(Fault(Request(R"({"t":"x","id":"a","c":[["n",18446744073709551615,1,1,0,0]]})")) ==
        "push.rows[0].c[0][1]: is an integer beyond 64 bits");
  auto low = DecodeRequest(Request(R"({"t":"x","id":"a","c":[["n",-9223372036854775808,1,1,0,0]]})"));
  REQUIRE(low.ok());
  CHECK(low->push->rows[0].cells[0].value == Value(std::numeric_limits<int64_t>::min()));
}

TEST_CASE("deep unknown values anywhere are skipped without recursing", "[sync][protocol]") {
  const std::string deep_array = std::string(100000, '[') + std::string(100000, ']');
  std::string deep_object;
  for (int i = 0; i < 100000; ++i) deep_object += R"({"a":)";
  deep_object += "1" + std::string(100000, '}');
  for (const std::string& deep : {deep_array, deep_object}) {
    CHECK(Fault(Request(R"({"t":"x","id":"a","zz":)" + deep + R"(,"c":[["n",1,1,1,0,0]]})")) == "ok");
    CHECK(Fault(Request(R"({"t":"x","id":"a","c":[["n",)" + deep + ",1,1,0,0]]}")) ==
          "push.rows[0].c[0][1]: value must be a string, a number or null");
    CHECK(Fault(std::string("{") + kHead + R"(,"pull":{"cursor":)" + deep + R"(,"rows":1,"bytes":1}})") ==
          "pull.cursor: is not an integer");
  }
  CHECK(Fault(std::string(100000, '{')) == "body: is not valid JSON");
}

TEST_CASE("a malformed response is refused with the place of the fault", "[sync][protocol]") {
  auto message = [](std::string_view text) {
    auto r = DecodeResponse(text);
    return r.ok() ? "ok" : r.status().message();
  };
  CHECK(message(R"({"time":1,"push":{"id":[1,1,1],"applied":1}})") == "push.applied: is not a boolean");
  CHECK(message(R"({"time":1,"push":{"id":[1,1,1],"applied":true,"refused":[{"t":"a"},{"t":2}]}})") ==
        "push.refused[1].t: is not a string");
  CHECK(message(R"({"time":1,"pull":{"rows":[],"last":1}})") == "pull: missing field 'more'");
  CHECK(message(R"({"time":1,"pull":{"rows":[{"t":"x","c":[["n",1,1,1,0,0]]}],"last":1,"more":false}})") ==
        "pull.rows[0]: missing field 'id' (and no natural key to derive it from)");
  auto back = DecodeResponse(R"({"time":1,"push":{"id":[1,1,1],"applied":true,"refused":null}})");
  REQUIRE(back.ok());
  CHECK(back->push->refused.empty());
  CHECK_FALSE(back->pull);
}

}  // namespace
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

TEST_CASE("the session fence's fields travel both ways and are left out when not said", "[sync][protocol]") {
  SyncRequest hello;
  hello.node = 7;
  hello.begin = true;
  auto hello_back = DecodeRequest(EncodeRequest(hello));
  REQUIRE(hello_back.ok());
  CHECK(hello_back->begin);
  CHECK(hello_back->session == 0);
  SyncRequest later;
  later.node = 7;
  later.session = 12;
  const std::string encoded = EncodeRequest(later);
  CHECK(encoded.find("begin") == std::string::npos);
  auto later_back = DecodeRequest(encoded);
  REQUIRE(later_back.ok());
  CHECK_FALSE(later_back->begin);
  CHECK(later_back->session == 12);
  CHECK(EncodeRequest(SyncRequest{}).find("session") == std::string::npos);  // an older client's shape

  SyncResponse opened;
  opened.session = 12;
  opened.push = PushAck{BatchId{7, 1, 5}, false, false, {}, true};
  auto back = DecodeResponse(EncodeResponse(opened));
  REQUIRE(back.ok());
  CHECK(back->session == 12);
  CHECK(back->push->superseded);
  CHECK_FALSE(back->push->applied);
  auto plain = DecodeResponse(EncodeResponse(SyncResponse{}));  // an older server: none of them
  REQUIRE(plain.ok());
  CHECK(plain->session == 0);
  CHECK(EncodeResponse(SyncResponse{}).find("session") == std::string::npos);
  CHECK_THAT(DecodeRequest(R"({"node":1,"protocol":1,"schema":1,"time":0,"begin":1})").status().message(),
             Catch::Contains("begin: is not a boolean"));
  CHECK_THAT(DecodeResponse(R"({"time":1,"session":"12"})").status().message(),
             Catch::Contains("session: is not an integer"));
}

}  // namespace latih::sync
