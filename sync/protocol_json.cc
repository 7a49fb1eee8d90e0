#include "sync/protocol_json.h"

#include "sync/domain/ids.h"
#include "sync/row_rules.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <utility>

namespace latih::sync {
namespace {

using nlohmann::json;

// Thrown only inside this file, caught at the two Decode entry points.
struct DecodeError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& where, const std::string& what) {
  throw DecodeError{where + ": " + what};
}

json ValueJson(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

int64_t Int(const json& j, const std::string& where) {
  if (!j.is_number_integer()) Fail(where, "is not an integer");
  return j.get<int64_t>();
}

const json& Field(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) Fail(where, std::string("missing field '") + key + "'");
  return *it;
}

std::string Text(const json& j, const std::string& where) {
  if (!j.is_string()) Fail(where, "is not a string");
  return j.get<std::string>();
}

// The id a natural-key row would have from its key cells, if they are all
// in the change; nullopt otherwise.
std::optional<std::string> DerivedId(const RowChange& row) {
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

// A row whose cells share one version and base (an insert, a one-shot
// edit) carries them once in "v"; its cells are then [column, value]. Most
// rows are like that, and it is most of the bytes on the wire.
json RowJson(const RowChange& row) {
  bool shared = !row.cells.empty();
  for (const auto& c : row.cells) {
    shared &= c.version == row.cells[0].version && c.base == row.cells[0].base;
  }
  json cells = json::array();
  for (const auto& c : row.cells) {
    if (shared) {
      cells.push_back(json::array({c.column, ValueJson(c.value)}));
    } else {
      cells.push_back(json::array({c.column, ValueJson(c.value), c.version.hlc, c.version.node, c.base.hlc,
                                   c.base.node}));
    }
  }
  // A natural-key row whose key cells travel with it leaves its id out: the
  // receiver derives it (a random-looking UUID is a third of the bytes).
  json j = {{"t", row.table}};
  const auto derived = DerivedId(row);
  if (!derived || *derived != row.id) j["id"] = row.id;
  if (shared) {
    const WireCell& c = row.cells[0];
    j["v"] = json::array({c.version.hlc, c.version.node, c.base.hlc, c.base.node});
  }
  j["c"] = std::move(cells);
  return j;
}

// Where a decoded value sits ("push.rows[3].c[1][0]"), spelled out only
// when something is wrong there: building it for every cell cost as much as
// parsing the cell.
struct Where {
  const std::string& base;  // "push.rows"
  size_t row;
  const char* field = nullptr;  // "t", "id", "v", "c"
  long cell = -1, item = -1;
  std::string str() const {
    std::string s = base + "[" + std::to_string(row) + "]";
    if (field) s += std::string(".") + field;
    if (cell >= 0) s += "[" + std::to_string(cell) + "]";
    if (item >= 0) s += "[" + std::to_string(item) + "]";
    return s;
  }
};

[[noreturn]] void Fail(const Where& where, const std::string& what) { Fail(where.str(), what); }

Where At(const Where& w, const char* field, long cell = -1, long item = -1) {
  return Where{w.base, w.row, field, cell, item};
}

int64_t Int(const json& j, const Where& where) {
  if (!j.is_number_integer()) Fail(where, "is not an integer");
  return j.get<int64_t>();
}

std::string Text(const json& j, const Where& where) {
  if (!j.is_string()) Fail(where, "is not a string");
  return j.get<std::string>();
}

Value JsonValue(const json& j, const Where& where) {
  if (j.is_null()) return Value();
  if (j.is_number_integer()) return j.get<int64_t>();
  if (j.is_number_float()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  Fail(where, "value must be a string, a number or null");
}

RowChange JsonRow(const json& j, const Where& where) {
  if (!j.is_object()) Fail(where, "is not an object");
  auto t = j.find("t");
  if (t == j.end()) Fail(where, "missing field 't'");
  RowChange row{Text(*t, At(where, "t")), "", {}};
  auto id = j.find("id");
  const bool has_id = id != j.end();
  if (has_id) row.id = Text(*id, At(where, "id"));
  auto cells_it = j.find("c");
  if (cells_it == j.end()) Fail(where, "missing field 'c'");
  const json& cells = *cells_it;
  if (!cells.is_array()) Fail(At(where, "c"), "is not an array");
  std::optional<std::pair<Version, Version>> shared;
  if (auto v = j.find("v"); v != j.end()) {
    if (!v->is_array() || v->size() != 4) Fail(At(where, "v"), "is not [hlc, node, base_hlc, base_node]");
    shared.emplace(Version{Int((*v)[0], At(where, "v", 0)), Int((*v)[1], At(where, "v", 1))},
                   Version{Int((*v)[2], At(where, "v", 2)), Int((*v)[3], At(where, "v", 3))});
  }
  row.cells.reserve(cells.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    const long ci = static_cast<long>(i);
    const json& c = cells[i];
    if (shared && c.is_array() && c.size() == 2) {
      row.cells.push_back(WireCell{Text(c[0], At(where, "c", ci, 0)), JsonValue(c[1], At(where, "c", ci, 1)),
                                   shared->first, shared->second});
      continue;
    }
    if (!c.is_array() || c.size() != 6) {
      Fail(At(where, "c", ci), shared ? "is not [column, value] or [column, value, hlc, node, base_hlc, base_node]"
                                      : "is not [column, value, hlc, node, base_hlc, base_node]");
    }
    row.cells.push_back(WireCell{Text(c[0], At(where, "c", ci, 0)), JsonValue(c[1], At(where, "c", ci, 1)),
                                 Version{Int(c[2], At(where, "c", ci, 2)), Int(c[3], At(where, "c", ci, 3))},
                                 Version{Int(c[4], At(where, "c", ci, 4)), Int(c[5], At(where, "c", ci, 5))}});
  }
  if (!has_id) {
    auto derived = DerivedId(row);
    if (!derived) Fail(where, "missing field 'id' (and no natural key to derive it from)");
    row.id = std::move(*derived);
  }
  return row;
}

json RowsJson(const std::vector<RowChange>& rows) {
  json out = json::array();
  for (const auto& r : rows) out.push_back(RowJson(r));
  return out;
}

std::vector<RowChange> JsonRows(const json& j, const std::string& where) {
  if (!j.is_array()) Fail(where, "is not an array");
  std::vector<RowChange> rows;
  rows.reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) rows.push_back(JsonRow(j[i], Where{where, i}));
  return rows;
}

json BatchIdJson(const BatchId& id) { return json::array({id.node, id.first_seq, id.last_seq}); }

BatchId JsonBatchId(const json& j, const std::string& where) {
  if (!j.is_array() || j.size() != 3) Fail(where, "is not [node, first_seq, last_seq]");
  return BatchId{Int(j[0], where + "[0]"), Int(j[1], where + "[1]"), Int(j[2], where + "[2]")};
}

json Parse(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) Fail("body", "is not valid JSON");
  if (!j.is_object()) Fail("body", "is not a JSON object");
  return j;
}

template <typename T, typename F>
Result<T> Guard(F&& decode) {
  try {
    return decode();
  } catch (const DecodeError& e) {
    return Status::Invalid(e.message);
  } catch (const json::exception& e) {
    return Status::Invalid(std::string("malformed message: ") + e.what());
  }
}

json RefusalsJson(const std::vector<Refusal>& refusals) {
  json out = json::array();
  for (const auto& f : refusals) {
    out.push_back({{"t", f.table}, {"id", f.id}, {"col", f.column}, {"why", f.reason}, {"code", f.code}});
  }
  return out;
}

std::vector<Refusal> JsonRefusals(const json& j, const std::string& where) {
  if (!j.is_array()) Fail(where, "is not an array");
  std::vector<Refusal> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const json& f = j[i];
    if (!f.is_object()) Fail(where + "[" + std::to_string(i) + "]", "is not an object");
    out.push_back(Refusal{f.value("t", ""), f.value("id", ""), f.value("col", ""), f.value("why", ""),
                          f.value("code", "invalid")});
  }
  return out;
}

}  // namespace

std::string EncodeRequest(const SyncRequest& r) {
  json j = {{"protocol", r.protocol}, {"schema", r.schema}, {"node", r.node}, {"office", r.office},
            {"time", r.client_time_ms}};
  if (r.push) j["push"] = {{"id", BatchIdJson(r.push->id)}, {"rows", RowsJson(r.push->rows)}};
  if (r.pull) {
    j["pull"] = {{"cursor", r.pull->cursor}, {"rows", r.pull->max_rows}, {"bytes", r.pull->max_bytes}};
    if (r.pull->own) j["pull"]["own"] = true;
  }
  return j.dump();
}

std::string EncodeResponse(const SyncResponse& r) {
  json j = {{"time", r.server_time_ms}};
  if (r.push) {
    j["push"] = {{"id", BatchIdJson(r.push->id)}, {"applied", r.push->applied},
                 {"clock_ahead", r.push->clock_ahead}, {"refused", RefusalsJson(r.push->refused)}};
  }
  if (r.pull) {
    j["pull"] = {{"rows", RowsJson(r.pull->rows)}, {"last", r.pull->last_seq}, {"more", r.pull->more},
                 {"snapshot", r.pull->snapshot_required}};
  }
  if (r.applied) {
    j["applied"] = {{"last", r.applied->last_seq}, {"hash", r.applied->hash},
                    {"refused", RefusalsJson(r.applied->refused)}};
  }
  return j.dump();
}

Result<SyncRequest> DecodeRequest(std::string_view text) {
  return Guard<SyncRequest>([&] {
    const json j = Parse(text);
    SyncRequest r;
    r.protocol = static_cast<int>(Int(Field(j, "protocol", "body"), "protocol"));
    r.schema = static_cast<int>(Int(Field(j, "schema", "body"), "schema"));
    r.node = Int(Field(j, "node", "body"), "node");
    r.office = j.contains("office") ? Text(j["office"], "office") : "";
    r.client_time_ms = Int(Field(j, "time", "body"), "time");
    if (j.contains("push")) {
      const json& p = j["push"];
      if (!p.is_object()) Fail("push", "is not an object");
      r.push = PushBatch{JsonBatchId(Field(p, "id", "push"), "push.id"), JsonRows(Field(p, "rows", "push"), "push.rows")};
    }
    if (j.contains("pull")) {
      const json& p = j["pull"];
      if (!p.is_object()) Fail("pull", "is not an object");
      r.pull = PullRequest{Int(Field(p, "cursor", "pull"), "pull.cursor"),
                           static_cast<int>(Int(Field(p, "rows", "pull"), "pull.rows")),
                           Int(Field(p, "bytes", "pull"), "pull.bytes"), false};
      if (auto own = p.find("own"); own != p.end()) {
        if (!own->is_boolean()) Fail("pull.own", "is not a boolean");
        r.pull->own = own->get<bool>();
      }
    }
    return r;
  });
}

Result<SyncResponse> DecodeResponse(std::string_view text) {
  return Guard<SyncResponse>([&] {
    const json j = Parse(text);
    SyncResponse r;
    r.server_time_ms = Int(Field(j, "time", "body"), "time");
    if (j.contains("push")) {
      const json& p = j["push"];
      PushAck ack;
      ack.id = JsonBatchId(Field(p, "id", "push"), "push.id");
      ack.applied = Field(p, "applied", "push").get<bool>();
      ack.clock_ahead = p.value("clock_ahead", false);
      ack.refused = JsonRefusals(p.value("refused", json::array()), "push.refused");
      r.push = std::move(ack);
    }
    if (j.contains("pull")) {
      const json& p = j["pull"];
      r.pull = PullBatch{JsonRows(Field(p, "rows", "pull"), "pull.rows"), Int(Field(p, "last", "pull"), "pull.last"),
                         Field(p, "more", "pull").get<bool>(), p.value("snapshot", false)};
    }
    if (j.contains("applied")) {
      const json& a = j["applied"];
      if (!a.is_object()) Fail("applied", "is not an object");
      r.applied = AppliedBatch{Int(Field(a, "last", "applied"), "applied.last"),
                               Int(Field(a, "hash", "applied"), "applied.hash"),
                               JsonRefusals(a.value("refused", json::array()), "applied.refused")};
    }
    return r;
  });
}

}  // namespace latih::sync
