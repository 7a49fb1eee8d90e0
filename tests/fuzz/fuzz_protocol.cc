// libFuzzer target: the sync protocol's JSON decoder (sync/protocol_json.h),
// which reads whatever a stranger sends the server and whatever a server
// sends a device. For any bytes, DecodeRequest and DecodeResponse return a
// message or a located fault, never throw or crash. A message that decodes
//  - says what the text says: nlohmann's DOM, an independent reader, gives
//    the same fields (so nothing is wrapped, truncated or invented), and
//  - survives a round trip: encoding it and decoding that gives it back.
#include <nlohmann/json.hpp>

#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#include "sync/domain/ids.h"
#include "sync/protocol_json.h"
#include "sync/row_rules.h"
#include "tests/fuzz/fuzz_check.h"

namespace latih::sync {
namespace {

using nlohmann::json;
using fuzz::Fail;

// ------------------------------------------- A canonical text of a message
// Every field, in a fixed order, with its type: equal texts, equal messages.

std::string Int(int64_t v) { return std::to_string(v); }
std::string Text(std::string_view s) { return std::to_string(s.size()) + ":" + std::string(s) + ";"; }

std::string Real(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", d);  // exact, and -0.0 is not 0.0
  return buf;
}

std::string Val(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return "i" + Int(*i);
  if (auto* d = std::get_if<double>(&v)) return "d" + Real(*d);
  if (auto* s = std::get_if<std::string>(&v)) return "s" + Text(*s);
  return "null";
}

std::string Ver(const Version& v) { return "(" + Int(v.hlc) + "," + Int(v.node) + ")"; }

std::string Rows(const std::vector<RowChange>& rows) {
  std::string out = "rows[";
  for (const auto& r : rows) {
    out += "{" + Text(r.table) + Text(r.id);
    for (const auto& c : r.cells) out += "[" + Text(c.column) + Val(c.value) + Ver(c.version) + Ver(c.base) + "]";
    out += "}";
  }
  return out + "]";
}

std::string Batch(const BatchId& id) { return "id(" + Int(id.node) + "," + Int(id.first_seq) + "," + Int(id.last_seq) + ")"; }

std::string Canonical(const SyncRequest& r) {
  std::string out = "protocol " + Int(r.protocol) + " schema " + Int(r.schema) + " node " + Int(r.node) +
                    " office " + Text(r.office) + " time " + Int(r.client_time_ms);
  if (r.push) out += " push " + Batch(r.push->id) + Rows(r.push->rows);
  if (r.pull) {
    out += " pull " + Int(r.pull->cursor) + "," + Int(r.pull->max_rows) + "," + Int(r.pull->max_bytes) + "," +
           (r.pull->own ? "own" : "-");
  }
  return out;
}

std::string Canonical(const SyncResponse& r) {
  std::string out = "time " + Int(r.server_time_ms);
  if (r.push) {
    out += " push " + Batch(r.push->id) + (r.push->applied ? " applied" : " -") + (r.push->clock_ahead ? " ahead" : " -");
    for (const auto& f : r.push->refused) {
      out += " refused{" + Text(f.table) + Text(f.id) + Text(f.column) + Text(f.reason) + Text(f.code) + "}";
    }
  }
  if (r.pull) {
    out += " pull " + Rows(r.pull->rows) + Int(r.pull->last_seq) + (r.pull->more ? " more" : " -") +
           (r.pull->snapshot_required ? " snapshot" : " -");
  }
  return out;
}

// ------------------------------------------ The same, read from a DOM
// Only for text the decoder accepted: a shape it should have refused is
// itself a broken property.

int64_t DomInt(const json& j, const char* what) {
  if (j.is_number_unsigned()) {
    if (j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      Fail(std::string(what) + ": an integer beyond int64 was decoded");
    }
    return static_cast<int64_t>(j.get<uint64_t>());
  }
  if (j.is_number_integer()) return j.get<int64_t>();
  Fail(std::string(what) + ": decoded although not an integer: " + j.dump());
}

std::string DomText(const json& j, const char* what) {
  if (!j.is_string()) Fail(std::string(what) + ": decoded although not a string: " + j.dump());
  return j.get<std::string>();
}

bool DomBool(const json& j, const char* what) {
  if (!j.is_boolean()) Fail(std::string(what) + ": decoded although not a boolean: " + j.dump());
  return j.get<bool>();
}

Value DomValue(const json& j) {
  if (j.is_null()) return Value();
  if (j.is_number_float()) return j.get<double>();
  if (j.is_number()) return DomInt(j, "cell value");
  return DomText(j, "cell value");
}

Version DomVersion(const json& a, size_t at) { return {DomInt(a.at(at), "version"), DomInt(a.at(at + 1), "version")}; }

// The rows as Rows() writes them, with ids derived as PROTOCOL.md §6 says.
std::string DomRows(const json& rows) {
  if (rows.is_null()) return "rows[]";
  std::vector<RowChange> out;
  for (const json& r : rows) {
    RowChange row{DomText(r.at("t"), "t"), "", {}};
    const bool shared = r.contains("v");
    for (const json& c : r.at("c")) {
      const bool short_cell = shared && c.size() == 2;
      const json& v = short_cell ? r.at("v") : c;
      const size_t at = short_cell ? 0 : 2;
      row.cells.push_back({DomText(c.at(0), "column"), DomValue(c.at(1)), DomVersion(v, at), DomVersion(v, at + 2)});
    }
    if (r.contains("id")) {
      row.id = DomText(r.at("id"), "id");
    } else {
      // A key column given twice: its last cell counts.
      const auto key = NaturalKeyColumns(row.table);
      std::vector<std::string> parts;
      for (auto col : key) {
        const Value* last = nullptr;
        for (const auto& c : row.cells) {
          if (c.column == col) last = &c.value;
        }
        if (!last || !std::holds_alternative<std::string>(*last)) Fail("a row without an id or its key was decoded");
        parts.push_back(std::get<std::string>(*last));
      }
      if (key.empty()) Fail("a row without an id and without a natural key was decoded");
      switch (parts.size()) {
        case 1: row.id = domain::NaturalId(row.table, {parts[0]}); break;
        case 2: row.id = domain::NaturalId(row.table, {parts[0], parts[1]}); break;
        default: row.id = domain::NaturalId(row.table, {parts[0], parts[1], parts[2]}); break;
      }
    }
    out.push_back(std::move(row));
  }
  return Rows(out);
}

std::string DomBatch(const json& id) {
  if (id.size() != 3) Fail("a batch id of " + std::to_string(id.size()) + " items was decoded");
  return Batch({DomInt(id[0], "id"), DomInt(id[1], "id"), DomInt(id[2], "id")});
}

std::string DomRequest(const json& d) {
  std::string out = "protocol " + Int(DomInt(d.at("protocol"), "protocol")) + " schema " +
                    Int(DomInt(d.at("schema"), "schema")) + " node " + Int(DomInt(d.at("node"), "node")) + " office " +
                    Text(d.contains("office") ? DomText(d.at("office"), "office") : "") + " time " +
                    Int(DomInt(d.at("time"), "time"));
  if (d.contains("push")) out += " push " + DomBatch(d.at("push").at("id")) + DomRows(d.at("push").at("rows"));
  if (d.contains("pull")) {
    const json& p = d.at("pull");
    out += " pull " + Int(DomInt(p.at("cursor"), "cursor")) + "," + Int(DomInt(p.at("rows"), "rows")) + "," +
           Int(DomInt(p.at("bytes"), "bytes")) + "," + (p.contains("own") && DomBool(p.at("own"), "own") ? "own" : "-");
  }
  return out;
}

std::string DomResponse(const json& d) {
  std::string out = "time " + Int(DomInt(d.at("time"), "time"));
  if (d.contains("push")) {
    const json& p = d.at("push");
    out += " push " + DomBatch(p.at("id")) + (DomBool(p.at("applied"), "applied") ? " applied" : " -") +
           (p.contains("clock_ahead") && DomBool(p.at("clock_ahead"), "clock_ahead") ? " ahead" : " -");
    if (p.contains("refused") && !p.at("refused").is_null()) {
      for (const json& f : p.at("refused")) {
        auto field = [&f](const char* k, const char* fallback) {
          return Text(f.contains(k) ? DomText(f.at(k), k) : fallback);
        };
        out += " refused{" + field("t", "") + field("id", "") + field("col", "") + field("why", "") +
               field("code", "invalid") + "}";
      }
    }
  }
  if (d.contains("pull")) {
    const json& p = d.at("pull");
    out += " pull " + DomRows(p.at("rows")) + Int(DomInt(p.at("last"), "last")) +
           (DomBool(p.at("more"), "more") ? " more" : " -") +
           (p.contains("snapshot") && DomBool(p.at("snapshot"), "snapshot") ? " snapshot" : " -");
  }
  return out;
}

// ------------------------------------------------------------- Properties

template <typename Message>
void CheckDecoded(std::string_view text, const Message& m, std::string (*dom_reader)(const json&),
                  std::string (*encode)(const Message&), Result<Message> (*decode)(std::string_view)) {
  const std::string got = Canonical(m);
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(doc.is_object(), "decoded text that nlohmann's DOM parser refuses");
  const std::string says = dom_reader(doc);
  FUZZ_CHECK(got == says, "the decoded message is not what the text says\n decoded: " + got + "\n the text: " + says);
  const std::string wire = encode(m);
  auto back = decode(wire);
  FUZZ_CHECK(back.ok(), "its encoding does not decode: " + back.status().ToString() + "\n encoding: " + wire);
  const std::string again = Canonical(*back);
  FUZZ_CHECK(again == got, "the round trip changed it\n before: " + got + "\n after:  " + again);
}

template <typename Message>
void CheckRefused(const Result<Message>& r) {
  FUZZ_CHECK(r.status().code() == StatusCode::kInvalidArgument, "refused with " + r.status().ToString());
  FUZZ_CHECK(!r.status().message().empty(), std::string("a refusal without a message"));
}

}  // namespace
}  // namespace latih::sync

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace latih::sync;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto request = DecodeRequest(text); request.ok()) {
    CheckDecoded<SyncRequest>(text, *request, DomRequest, EncodeRequest, DecodeRequest);
  } else {
    CheckRefused(request);
  }
  if (auto response = DecodeResponse(text); response.ok()) {
    CheckDecoded<SyncResponse>(text, *response, DomResponse, EncodeResponse, DecodeResponse);
  } else {
    CheckRefused(response);
  }
  return 0;
}
