#include "sync/protocol_json.h"

#include "sync/domain/ids.h"
#include "sync/row_rules.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <climits>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>

namespace latih::sync {
namespace {

using nlohmann::json;

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

// ---------------------------------------------------------------- Encoding

// Writes JSON text straight into one string: building a DOM per row cost
// more than the rest of the round trip. The bytes are exactly what
// nlohmann's dump() of the same DOM gave: compact, and the keys of each
// object in std::map (alphabetical) order, which the callers below spell out.
class Writer {
 public:
  explicit Writer(size_t size_hint) { out_.reserve(size_hint); }

  // Punctuation and keys, as is.
  Writer& Raw(std::string_view text) {
    out_ += text;
    return *this;
  }
  Writer& Int(int64_t v) {
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
    return *this;
  }
  // Comma-separated, as in a version or a batch id.
  Writer& Ints(std::initializer_list<int64_t> values) {
    const char* sep = "";
    for (int64_t v : values) {
      Raw(sep).Int(v);
      sep = ",";
    }
    return *this;
  }
  Writer& Bool(bool v) { return Raw(v ? "true" : "false"); }
  // Printable ASCII without '"' or '\' (nearly every string we send) is
  // quoted as is. Anything else goes through nlohmann, so escaping and its
  // refusal of invalid UTF-8 (type_error 316) stay the library's.
  Writer& Str(std::string_view s) {
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return Raw(json(std::string(s)).dump());
    }
    out_ += '"';
    out_ += s;
    out_ += '"';
    return *this;
  }
  Writer& Val(const Value& v) {
    if (auto* i = std::get_if<int64_t>(&v)) return Int(*i);
    if (auto* d = std::get_if<double>(&v)) return Raw(json(*d).dump());  // shortest exact form; rare
    if (auto* s = std::get_if<std::string>(&v)) return Str(*s);
    return Raw("null");
  }

  std::string Take() && { return std::move(out_); }

 private:
  std::string out_;
};

// Enough room for the usual rows so that the string rarely grows: the
// punctuation and numbers of a row and of a cell, plus their text.
constexpr size_t kEnvelopeBytes = 256;
constexpr size_t kRowBytes = 64;
constexpr size_t kCellBytes = 8;
constexpr size_t kNonTextValueBytes = 24;

size_t SizeHint(const std::vector<RowChange>& rows) {
  size_t n = 0;
  for (const auto& r : rows) {
    n += kRowBytes + r.table.size() + r.id.size();
    for (const auto& c : r.cells) {
      const auto* s = std::get_if<std::string>(&c.value);
      n += kCellBytes + c.column.size() + (s ? s->size() : kNonTextValueBytes);
    }
  }
  return n;
}

// A row whose cells share one version and base (an insert, a one-shot
// edit) carries them once in "v"; its cells are then [column, value]. Most
// rows are like that, and it is most of the bytes on the wire.
void WriteRow(Writer& w, const RowChange& row) {
  bool shared = !row.cells.empty();
  for (const auto& c : row.cells) {
    shared &= c.version == row.cells[0].version && c.base == row.cells[0].base;
  }
  w.Raw(R"({"c":[)");
  for (size_t i = 0; i < row.cells.size(); ++i) {
    const WireCell& c = row.cells[i];
    w.Raw(i == 0 ? "[" : ",[").Str(c.column).Raw(",").Val(c.value);
    if (!shared) w.Raw(",").Ints({c.version.hlc, c.version.node, c.base.hlc, c.base.node});
    w.Raw("]");
  }
  w.Raw("]");
  // A natural-key row whose key cells travel with it leaves its id out: the
  // receiver derives it (a random-looking UUID is a third of the bytes).
  const auto derived = DerivedId(row);
  if (!derived || *derived != row.id) w.Raw(R"(,"id":)").Str(row.id);
  w.Raw(R"(,"t":)").Str(row.table);
  if (shared) {
    const WireCell& c = row.cells[0];
    w.Raw(R"(,"v":[)").Ints({c.version.hlc, c.version.node, c.base.hlc, c.base.node}).Raw("]");
  }
  w.Raw("}");
}

void WriteRows(Writer& w, const std::vector<RowChange>& rows) {
  w.Raw("[");
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) w.Raw(",");
    WriteRow(w, rows[i]);
  }
  w.Raw("]");
}

void WriteBatchId(Writer& w, const BatchId& id) { w.Raw("[").Ints({id.node, id.first_seq, id.last_seq}).Raw("]"); }

// ---------------------------------------------------------------- Decoding
//
// A SAX handler fills SyncRequest/SyncResponse as nlohmann's parser reads,
// with no DOM (which cost more than the parsing itself). It keeps a stack
// of the containers it is in; the value of an unknown field, or the rest of
// a value found faulty, is skipped by counting brackets, so no depth makes
// it recurse (nor does the parser).
//
// Faults are the ones the DOM decoder reported, whatever the order of the
// fields in the text: text that is not JSON wins over anything, then within
// an object its fields in the order of its table below, then array items in
// order. So a fault is recorded against the field it is in, ranked by that
// field's place in the nearest enclosing object (a row is checked as a
// whole, see RowFault), and the lowest rank wins when the object ends.
// Messages are spelled out only for a fault, never on the success path.
//
// A known field given twice is refused ("duplicate field"): nlohmann's DOM
// kept the last one, which let a message mean different things to different
// parsers. Unknown fields may repeat.
//
// An unsigned integer beyond int64 is refused ("is not an integer"); the DOM
// decoder wrapped it to a negative. So is a protocol, schema or pull.rows
// beyond int ("is out of range").

// What a value is expected to be.
enum class Kind : uint8_t {
  kIgnored,  // an unknown field's
  kInt,
  kText,
  kBool,
  // Objects.
  kRequest,
  kPushBatch,
  kPullRequest,
  kResponse,
  kPushAck,
  kPullBatch,
  kAppliedBatch,
  kRow,
  kRefusal,
  // Arrays.
  kBatchId,
  kRows,
  kVersion,  // a row's shared "v"
  kCells,
  kCell,
  kRefusals,
};

bool IsArray(Kind k) { return k >= Kind::kBatchId; }
bool IsObject(Kind k) { return k >= Kind::kRequest && !IsArray(k); }

// The known fields of all objects; "rows" is three of them.
enum class Field : uint8_t {
  kProtocol, kSchema, kNode, kOffice, kClientTime, kPushBatch, kPullRequest,  // SyncRequest
  kClient, kPending, kQuarantined, kBegin, kSession,                         // SyncRequest
  kBatchId, kPushRows,                                                       // PushBatch (and id: PushAck)
  kCursor, kMaxRows, kMaxBytes, kOwn,                                        // PullRequest
  kServerTime, kPushAck, kPullBatch, kServerWait, kAppliedBatch, kOpened,    // SyncResponse
  kAppliedLast, kAppliedHash, kAppliedRefused,                               // AppliedBatch
  kApplied, kClockAhead, kRefused, kSuperseded,                             // PushAck
  kPullRows, kLastSeq, kMore, kSnapshot,                                     // PullBatch
  kTable, kRowId, kCells, kVersion,                                          // RowChange
  kRefusalTable, kRefusalId, kRefusalColumn, kRefusalReason, kRefusalCode,   // Refusal
};

uint64_t Bit(Field f) { return uint64_t{1} << static_cast<int>(f); }

// The fields held in an int (protocol.h): a larger number is refused, not
// wrapped (4294967297 would read as protocol 1).
bool IsNarrow(Field f) { return f == Field::kProtocol || f == Field::kSchema || f == Field::kMaxRows; }

struct FieldSpec {
  std::string_view name;
  Field field;
  Kind kind;
  bool required;
};

// Each object's fields in the order the DOM decoder checked them: a fault
// in an earlier one is the one reported.
constexpr FieldSpec kRequestFields[] = {
    {"protocol", Field::kProtocol, Kind::kInt, true},     {"schema", Field::kSchema, Kind::kInt, true},
    {"node", Field::kNode, Kind::kInt, true},             {"office", Field::kOffice, Kind::kText, false},
    {"time", Field::kClientTime, Kind::kInt, true},       {"push", Field::kPushBatch, Kind::kPushBatch, false},
    {"pull", Field::kPullRequest, Kind::kPullRequest, false}, {"client", Field::kClient, Kind::kText, false},
    {"pending", Field::kPending, Kind::kInt, false},      {"quarantined", Field::kQuarantined, Kind::kInt, false},
    {"begin", Field::kBegin, Kind::kBool, false},         {"session", Field::kSession, Kind::kInt, false}};
constexpr FieldSpec kPushBatchFields[] = {{"id", Field::kBatchId, Kind::kBatchId, true},
                                          {"rows", Field::kPushRows, Kind::kRows, true}};
constexpr FieldSpec kPullRequestFields[] = {
    {"cursor", Field::kCursor, Kind::kInt, true}, {"rows", Field::kMaxRows, Kind::kInt, true},
    {"bytes", Field::kMaxBytes, Kind::kInt, true}, {"own", Field::kOwn, Kind::kBool, false}};
constexpr FieldSpec kResponseFields[] = {{"time", Field::kServerTime, Kind::kInt, true},
                                         {"push", Field::kPushAck, Kind::kPushAck, false},
                                         {"pull", Field::kPullBatch, Kind::kPullBatch, false},
                                         {"wait", Field::kServerWait, Kind::kInt, false},
                                         {"applied", Field::kAppliedBatch, Kind::kAppliedBatch, false},
                                         {"session", Field::kOpened, Kind::kInt, false}};
constexpr FieldSpec kAppliedBatchFields[] = {{"last", Field::kAppliedLast, Kind::kInt, true},
                                             {"hash", Field::kAppliedHash, Kind::kInt, true},
                                             {"refused", Field::kAppliedRefused, Kind::kRefusals, false}};
constexpr FieldSpec kPushAckFields[] = {
    {"id", Field::kBatchId, Kind::kBatchId, true}, {"applied", Field::kApplied, Kind::kBool, true},
    {"clock_ahead", Field::kClockAhead, Kind::kBool, false}, {"refused", Field::kRefused, Kind::kRefusals, false},
    {"superseded", Field::kSuperseded, Kind::kBool, false}};
constexpr FieldSpec kPullBatchFields[] = {
    {"rows", Field::kPullRows, Kind::kRows, true}, {"last", Field::kLastSeq, Kind::kInt, true},
    {"more", Field::kMore, Kind::kBool, true}, {"snapshot", Field::kSnapshot, Kind::kBool, false}};
// A row is checked as a whole when it ends (RowFault), not by this table.
constexpr FieldSpec kRowFields[] = {{"t", Field::kTable, Kind::kText, true},
                                    {"id", Field::kRowId, Kind::kText, false},
                                    {"c", Field::kCells, Kind::kCells, true},
                                    {"v", Field::kVersion, Kind::kVersion, false}};
constexpr FieldSpec kRefusalFields[] = {
    {"t", Field::kRefusalTable, Kind::kText, false}, {"id", Field::kRefusalId, Kind::kText, false},
    {"col", Field::kRefusalColumn, Kind::kText, false}, {"why", Field::kRefusalReason, Kind::kText, false},
    {"code", Field::kRefusalCode, Kind::kText, false}};

std::span<const FieldSpec> Fields(Kind k) {
  switch (k) {
    case Kind::kRequest: return kRequestFields;
    case Kind::kPushBatch: return kPushBatchFields;
    case Kind::kPullRequest: return kPullRequestFields;
    case Kind::kResponse: return kResponseFields;
    case Kind::kPushAck: return kPushAckFields;
    case Kind::kAppliedBatch: return kAppliedBatchFields;
    case Kind::kPullBatch: return kPullBatchFields;
    case Kind::kRow: return kRowFields;
    case Kind::kRefusal: return kRefusalFields;
    default: return {};
  }
}

// What "is not" a value of kind `k` says.
std::string_view Expected(Kind k) {
  switch (k) {
    case Kind::kInt: return "is not an integer";
    case Kind::kText: return "is not a string";
    case Kind::kBool: return "is not a boolean";
    case Kind::kBatchId: return "is not [node, first_seq, last_seq]";
    case Kind::kRows:
    case Kind::kRefusals: return "is not an array";
    default: return "is not an object";
  }
}

constexpr int kNoFault = INT_MAX;

// A container being read.
struct Frame {
  explicit Frame(Kind k) : kind(k) {}
  Kind kind;
  int rank = -1;              // objects: the current field's index in Fields(kind); -1 unknown
  long item = -1;             // arrays: the current item's index
  uint64_t seen = 0;          // objects: Bit(field) of each field found
  uint32_t bad_items = 0;     // batch id and "v": bit i, item i is not an integer
  int fault_rank = kNoFault;  // objects but rows: the rank of `fault`
  std::string fault;
};

// A scalar as the parser reported it.
struct Token {
  enum Type { kNull, kBool, kInt, kHugeInt, kReal, kText } type;
  int64_t i = 0;
  double d = 0;
  bool b = false;
  const std::string* s = nullptr;
};

// The current row's fields that are checked only when it ends: its "v" may
// come after its cells, and its faults are reported in a fixed order.
struct RowState {
  uint64_t bad = 0;  // Bit(field): present with the wrong type (shape, for "v")
  std::string_view duplicate;
  int64_t version[4] = {};
  long version_items = 0;
  uint32_t version_bad = 0;  // bit k: v[k] is not an integer
};

// A cell of the current row as read, before the row's checks.
struct PendingCell {
  WireCell cell;
  long items = -1;    // -1: the cell is not an array
  uint32_t bad = 0;   // bit k: item k has the wrong type
  bool huge = false;  // its value is an integer beyond int64
};

// Items of a cell: [column, value] or [column, value, hlc, node, base_hlc, base_node].
constexpr long kShortCell = 2;
constexpr long kFullCell = 6;

class Decoder final : public nlohmann::json_sax<json> {
 public:
  explicit Decoder(Kind root) : root_(root) { frames_.reserve(8); }

  // Returns the fault of the message, if any.
  std::optional<std::string> Parse(std::string_view text) {
    if (!json::sax_parse(text.begin(), text.end(), this)) return "body: is not valid JSON";
    return std::move(fault_);
  }
  SyncRequest& request() { return request_; }
  SyncResponse& response() { return response_; }

  // nlohmann::json_sax. Every event but a parse error lets the parser go
  // on, even after a fault: text broken further on is still "not JSON".
  bool null() override { return Scalar(Token{Token::kNull}); }
  bool boolean(bool v) override {
    Token t{Token::kBool};
    t.b = v;
    return Scalar(t);
  }
  bool number_integer(int64_t v) override {
    Token t{Token::kInt};
    t.i = v;
    return Scalar(t);
  }
  bool number_unsigned(uint64_t v) override {
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return Scalar(Token{Token::kHugeInt});
    return number_integer(static_cast<int64_t>(v));
  }
  bool number_float(double v, const std::string&) override {
    Token t{Token::kReal};
    t.d = v;
    return Scalar(t);
  }
  bool string(std::string& v) override {
    Token t{Token::kText};
    t.s = &v;
    return Scalar(t);
  }
  bool binary(json::binary_t&) override { return true; }  // never from JSON text
  bool start_object(size_t) override { return Open(/*object=*/true); }
  bool start_array(size_t) override { return Open(/*object=*/false); }
  bool key(std::string& name) override;
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool Scalar(const Token& t);
  bool Open(bool object);
  bool Close();
  void Enter(Kind kind);
  void Store(Field field, const Token& t);
  void IntItem(Frame& f, const Token* t);
  void CellItem(Frame& f, const Token* t);
  bool WrongType(Kind want, bool opening);
  bool Fault(std::string message, bool opening);
  bool NotAnObject(bool opening);
  std::string CloseFault(Frame& f);
  std::string RowFault(const Frame& f);
  std::string Where(size_t depth) const;
  std::string WhereIs(size_t depth) const { return depth == 0 ? "body" : Where(depth - 1); }

  Kind ChildKind(const Frame& f) const {
    switch (f.kind) {
      case Kind::kRows: return Kind::kRow;
      case Kind::kCells: return Kind::kCell;
      case Kind::kRefusals: return Kind::kRefusal;
      default: return f.rank < 0 ? Kind::kIgnored : Fields(f.kind)[f.rank].kind;
    }
  }
  RowChange& row() { return rows_->back(); }
  Refusal& refusal() { return refusals_->back(); }

  const Kind root_;
  std::vector<Frame> frames_;
  long skip_ = 0;  // open containers being skipped
  std::optional<std::string> fault_;
  SyncRequest request_;
  SyncResponse response_;
  // Where the rows and the batch id of the open push or pull go.
  std::vector<RowChange>* rows_ = nullptr;
  BatchId* batch_id_ = nullptr;
  // Where the refusals of the open push ack or applied batch go.
  std::vector<Refusal>* refusals_ = nullptr;
  RowState row_;
  // The current row's cells; reused, so that a row costs one allocation for
  // its cells, of their exact number.
  std::vector<PendingCell> cells_;
};

bool Decoder::key(std::string& name) {
  if (skip_ > 0) return true;
  Frame& f = frames_.back();
  const auto fields = Fields(f.kind);
  f.rank = -1;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name != name) continue;
    if (f.seen & Bit(fields[i].field)) {  // its value is skipped: rank stays -1
      if (f.kind == Kind::kRow) {
        if (row_.duplicate.empty()) row_.duplicate = fields[i].name;
      } else if (static_cast<int>(i) < f.fault_rank) {
        f.fault_rank = static_cast<int>(i);
        f.fault = WhereIs(frames_.size() - 1) + ": duplicate field '" + name + "'";
      }
      return true;
    }
    f.seen |= Bit(fields[i].field);
    f.rank = static_cast<int>(i);
    return true;
  }
  return true;
}

bool Decoder::Scalar(const Token& t) {
  if (skip_ > 0) return true;
  if (frames_.empty()) return NotAnObject(false);
  Frame& f = frames_.back();
  if (IsArray(f.kind)) ++f.item;
  switch (f.kind) {
    case Kind::kBatchId:
    case Kind::kVersion: IntItem(f, &t); return true;
    case Kind::kCell: CellItem(f, &t); return true;
    default: break;
  }
  const Kind want = ChildKind(f);
  if (want == Kind::kIgnored) return true;
  const bool fits = (want == Kind::kInt && t.type == Token::kInt) || (want == Kind::kText && t.type == Token::kText) ||
                    (want == Kind::kBool && t.type == Token::kBool);
  if (fits) {
    const Field field = Fields(f.kind)[f.rank].field;
    if (IsNarrow(field) && (t.i < INT_MIN || t.i > INT_MAX)) {
      return Fault(Where(frames_.size() - 1) + ": is out of range", false);
    }
    Store(field, t);
    return true;
  }
  if (want == Kind::kRefusals && t.type == Token::kNull) return true;  // no refusals, as the DOM decoder read it
  return WrongType(want, false);
}

bool Decoder::Open(bool object) {
  if (skip_ > 0) {
    ++skip_;
    return true;
  }
  if (frames_.empty()) {
    if (!object) return NotAnObject(true);
    Enter(root_);
    return true;
  }
  Frame& f = frames_.back();
  if (IsArray(f.kind)) ++f.item;
  switch (f.kind) {
    case Kind::kBatchId:
    case Kind::kVersion: IntItem(f, nullptr); return true;
    case Kind::kCell: CellItem(f, nullptr); return true;
    default: break;
  }
  const Kind want = ChildKind(f);
  if (want == Kind::kIgnored) {
    skip_ = 1;
    return true;
  }
  if (object ? IsObject(want) : IsArray(want)) {
    Enter(want);
    return true;
  }
  return WrongType(want, true);
}

void Decoder::Enter(Kind kind) {
  switch (kind) {
    case Kind::kPushBatch:
      rows_ = &request_.push.emplace().rows;
      batch_id_ = &request_.push->id;
      break;
    case Kind::kPullRequest: request_.pull.emplace(); break;
    case Kind::kPushAck:
      batch_id_ = &response_.push.emplace().id;
      refusals_ = &response_.push->refused;
      break;
    case Kind::kAppliedBatch: refusals_ = &response_.applied.emplace().refused; break;
    case Kind::kPullBatch: rows_ = &response_.pull.emplace().rows; break;
    case Kind::kRow:
      rows_->emplace_back();
      row_ = RowState{};
      cells_.clear();
      break;
    case Kind::kCell: cells_.emplace_back(); break;
    case Kind::kRefusal: refusals_->emplace_back(); break;
    default: break;
  }
  frames_.emplace_back(kind);
}

void Decoder::Store(Field field, const Token& t) {
  switch (field) {
    case Field::kProtocol: request_.protocol = static_cast<int>(t.i); break;
    case Field::kSchema: request_.schema = static_cast<int>(t.i); break;
    case Field::kNode: request_.node = t.i; break;
    case Field::kOffice: request_.office = *t.s; break;
    case Field::kClientTime: request_.client_time_ms = t.i; break;
    case Field::kClient: request_.client = *t.s; break;
    case Field::kPending: request_.pending = t.i; break;
    case Field::kQuarantined: request_.quarantined = t.i; break;
    case Field::kBegin: request_.begin = t.b; break;
    case Field::kSession: request_.session = t.i; break;
    case Field::kCursor: request_.pull->cursor = t.i; break;
    case Field::kMaxRows: request_.pull->max_rows = static_cast<int>(t.i); break;
    case Field::kMaxBytes: request_.pull->max_bytes = t.i; break;
    case Field::kOwn: request_.pull->own = t.b; break;
    case Field::kServerTime: response_.server_time_ms = t.i; break;
    case Field::kServerWait: response_.server_wait_ms = t.i; break;
    case Field::kOpened: response_.session = t.i; break;
    case Field::kAppliedLast: response_.applied->last_seq = t.i; break;
    case Field::kAppliedHash: response_.applied->hash = t.i; break;
    case Field::kApplied: response_.push->applied = t.b; break;
    case Field::kClockAhead: response_.push->clock_ahead = t.b; break;
    case Field::kSuperseded: response_.push->superseded = t.b; break;
    case Field::kLastSeq: response_.pull->last_seq = t.i; break;
    case Field::kMore: response_.pull->more = t.b; break;
    case Field::kSnapshot: response_.pull->snapshot_required = t.b; break;
    case Field::kTable: row().table = *t.s; break;
    case Field::kRowId: row().id = *t.s; break;
    case Field::kRefusalTable: refusal().table = *t.s; break;
    case Field::kRefusalId: refusal().id = *t.s; break;
    case Field::kRefusalColumn: refusal().column = *t.s; break;
    case Field::kRefusalReason: refusal().reason = *t.s; break;
    case Field::kRefusalCode: refusal().code = *t.s; break;
    default: break;  // objects and arrays
  }
}

// An item of a batch id or of a row's "v"; `t` is null for an object or
// array (skipped). Checked when the array ends: its length comes first.
void Decoder::IntItem(Frame& f, const Token* t) {
  if (!t) skip_ = 1;
  if (!t || t->type != Token::kInt) {
    if (f.item < 32) f.bad_items |= uint32_t{1} << f.item;
    return;
  }
  if (f.kind == Kind::kVersion) {
    if (f.item < 4) row_.version[f.item] = t->i;
    return;
  }
  switch (f.item) {
    case 0: batch_id_->node = t->i; break;
    case 1: batch_id_->first_seq = t->i; break;
    case 2: batch_id_->last_seq = t->i; break;
    default: break;
  }
}

// An item of a cell; `t` is null for an object or array (skipped). Checked
// when the row ends: whether [column, value] is allowed depends on its "v".
void Decoder::CellItem(Frame& f, const Token* t) {
  if (!t) skip_ = 1;
  if (f.item >= kFullCell) return;
  WireCell& cell = cells_.back().cell;
  const Token::Type type = t ? t->type : Token::kBool;  // a container is as wrong as a boolean
  bool ok = true;
  switch (f.item) {
    case 0:
      ok = type == Token::kText;
      if (ok) cell.column = *t->s;
      break;
    case 1:
      switch (type) {
        case Token::kNull: break;
        case Token::kInt: cell.value = t->i; break;
        case Token::kReal: cell.value = t->d; break;
        case Token::kText: cell.value.emplace<std::string>(*t->s); break;
        case Token::kHugeInt: cells_.back().huge = true; ok = false; break;
        case Token::kBool: ok = false; break;
      }
      break;
    default:
      ok = type == Token::kInt;
      if (!ok) break;
      switch (f.item) {
        case 2: cell.version.hlc = t->i; break;
        case 3: cell.version.node = t->i; break;
        case 4: cell.base.hlc = t->i; break;
        default: cell.base.node = t->i; break;
      }
  }
  if (!ok) cells_.back().bad |= uint32_t{1} << f.item;
}

// A value of the current field (or item) is not of kind `want`. A row keeps
// it for RowFault, a cell list notes a cell that is not an array; elsewhere
// it is a fault.
bool Decoder::WrongType(Kind want, bool opening) {
  Frame& f = frames_.back();
  if (f.kind == Kind::kRow || f.kind == Kind::kCells) {
    if (f.kind == Kind::kRow) {
      row_.bad |= Bit(Fields(f.kind)[f.rank].field);
    } else {
      cells_.emplace_back();
    }
    skip_ = opening ? 1 : 0;
    return true;
  }
  return Fault(Where(frames_.size() - 1) + ": " + std::string(Expected(want)), opening);
}

// Records `message` against the current field of the nearest object (not a
// row: rows keep theirs for RowFault) and skips the rest of that field's
// value (`opening`: a container has just opened there).
bool Decoder::Fault(std::string message, bool opening) {
  size_t owner = frames_.size() - 1;
  while (!IsObject(frames_[owner].kind) || frames_[owner].kind == Kind::kRow) --owner;
  Frame& f = frames_[owner];
  if (f.rank < f.fault_rank) {
    f.fault_rank = f.rank;
    f.fault = std::move(message);
  }
  skip_ = static_cast<long>(frames_.size() - 1 - owner) + (opening ? 1 : 0);
  frames_.erase(frames_.begin() + static_cast<long>(owner) + 1, frames_.end());
  return true;
}

// The top-level value is not an object: skip it (the rest must still parse).
bool Decoder::NotAnObject(bool opening) {
  fault_ = "body: is not a JSON object";
  skip_ = opening ? 1 : 0;
  return true;
}

bool Decoder::Close() {
  if (skip_ > 0) {
    --skip_;
    return true;
  }
  std::string fault = CloseFault(frames_.back());
  frames_.pop_back();
  if (fault.empty()) return true;
  if (frames_.empty()) {
    fault_ = std::move(fault);
    return true;
  }
  return Fault(std::move(fault), false);
}

// The fault of the container `f` (on top of the stack) now that it ends;
// empty if none.
std::string Decoder::CloseFault(Frame& f) {
  const size_t depth = frames_.size() - 1;
  switch (f.kind) {
    case Kind::kBatchId:
      if (f.item + 1 != 3) return WhereIs(depth) + ": " + std::string(Expected(Kind::kBatchId));
      for (int k = 0; k < 3; ++k) {
        if (f.bad_items & (1u << k)) return WhereIs(depth) + "[" + std::to_string(k) + "]: is not an integer";
      }
      return {};
    case Kind::kVersion:
      row_.version_items = f.item + 1;
      row_.version_bad = f.bad_items;
      return {};
    case Kind::kCell: cells_.back().items = f.item + 1; return {};
    case Kind::kRow: return RowFault(f);
    case Kind::kRows:
    case Kind::kCells:
    case Kind::kRefusals: return {};
    default: break;
  }
  const auto fields = Fields(f.kind);
  for (size_t i = 0; i < fields.size() && static_cast<int>(i) < f.fault_rank; ++i) {
    if (fields[i].required && !(f.seen & Bit(fields[i].field))) {
      return WhereIs(depth) + ": missing field '" + std::string(fields[i].name) + "'";
    }
  }
  return std::move(f.fault);
}

// The current row's fault, in the order the DOM decoder checked: t, id, c,
// v, then each cell; then its id is derived if it came without one.
std::string Decoder::RowFault(const Frame& f) {
  const std::string_view kShortCellShapes = "is not [column, value] or [column, value, hlc, node, base_hlc, base_node]";
  const std::string_view kFullCellShape = "is not [column, value, hlc, node, base_hlc, base_node]";
  const auto at = [&](const std::string& what) { return WhereIs(frames_.size() - 1) + what; };
  if (!row_.duplicate.empty()) return at(": duplicate field '" + std::string(row_.duplicate) + "'");
  if (!(f.seen & Bit(Field::kTable))) return at(": missing field 't'");
  if (row_.bad & Bit(Field::kTable)) return at(".t: is not a string");
  if (row_.bad & Bit(Field::kRowId)) return at(".id: is not a string");
  if (!(f.seen & Bit(Field::kCells))) return at(": missing field 'c'");
  if (row_.bad & Bit(Field::kCells)) return at(".c: is not an array");
  const bool shared = f.seen & Bit(Field::kVersion);
  if (shared) {
    if ((row_.bad & Bit(Field::kVersion)) || row_.version_items != 4) {
      return at(".v: is not [hlc, node, base_hlc, base_node]");
    }
    for (int k = 0; k < 4; ++k) {
      if (row_.version_bad & (1u << k)) return at(".v[" + std::to_string(k) + "]: is not an integer");
    }
  }
  for (size_t i = 0; i < cells_.size(); ++i) {
    PendingCell& c = cells_[i];
    const bool short_cell = shared && c.items == kShortCell;
    const auto cell_at = [&](const std::string& what) { return at(".c[" + std::to_string(i) + "]" + what); };
    if (!short_cell && c.items != kFullCell) {
      return cell_at(": " + std::string(shared ? kShortCellShapes : kFullCellShape));
    }
    for (long k = 0; k < c.items; ++k) {
      if (!(c.bad & (1u << k))) continue;
      const char* what = k == 0 ? "is not a string"
                         : k == 1 ? (c.huge ? "is an integer beyond 64 bits" : "value must be a string, a number or null")
                                  : "is not an integer";
      return cell_at("[" + std::to_string(k) + "]: " + what);
    }
    if (short_cell) {
      c.cell.version = Version{row_.version[0], row_.version[1]};
      c.cell.base = Version{row_.version[2], row_.version[3]};
    }
  }
  RowChange& r = row();
  r.cells.reserve(cells_.size());
  for (PendingCell& c : cells_) r.cells.push_back(std::move(c.cell));
  if (!(f.seen & Bit(Field::kRowId))) {
    auto derived = DerivedId(r);
    if (!derived) return at(": missing field 'id' (and no natural key to derive it from)");
    r.id = std::move(*derived);
  }
  return {};
}

// "push.rows[3].c": where the current field or item of frames_[depth] sits.
std::string Decoder::Where(size_t depth) const {
  std::string s;
  for (size_t k = 0; k <= depth; ++k) {
    const Frame& f = frames_[k];
    if (IsArray(f.kind)) {
      s += "[" + std::to_string(f.item) + "]";
    } else {
      if (k > 0) s += ".";
      s += Fields(f.kind)[f.rank].name;
    }
  }
  return s;
}

}  // namespace

// Keys in alphabetical order, as nlohmann's std::map wrote them.
std::string EncodeRequest(const SyncRequest& r) {
  Writer w(kEnvelopeBytes + (r.push ? SizeHint(r.push->rows) : 0));
  w.Raw("{");
  if (r.begin) w.Raw(R"("begin":true,)");
  if (!r.client.empty()) w.Raw(R"("client":)").Str(r.client).Raw(",");
  w.Raw(R"("node":)").Int(r.node).Raw(R"(,"office":)").Str(r.office);
  if (r.pending >= 0) w.Raw(R"(,"pending":)").Int(r.pending);
  w.Raw(R"(,"protocol":)").Int(r.protocol);
  if (r.pull) {
    w.Raw(R"(,"pull":{"bytes":)").Int(r.pull->max_bytes).Raw(R"(,"cursor":)").Int(r.pull->cursor);
    if (r.pull->own) w.Raw(R"(,"own":true)");
    w.Raw(R"(,"rows":)").Int(r.pull->max_rows).Raw("}");
  }
  if (r.push) {
    w.Raw(R"(,"push":{"id":)");
    WriteBatchId(w, r.push->id);
    w.Raw(R"(,"rows":)");
    WriteRows(w, r.push->rows);
    w.Raw("}");
  }
  if (r.quarantined >= 0) w.Raw(R"(,"quarantined":)").Int(r.quarantined);
  w.Raw(R"(,"schema":)").Int(r.schema);
  if (r.session > 0) w.Raw(R"(,"session":)").Int(r.session);
  w.Raw(R"(,"time":)").Int(r.client_time_ms).Raw("}");
  return std::move(w).Take();
}

namespace {

void WriteRefusals(Writer& w, const std::vector<Refusal>& refused) {
  w.Raw("[");
  for (size_t i = 0; i < refused.size(); ++i) {
    const Refusal& f = refused[i];
    w.Raw(i == 0 ? R"({"code":)" : R"(,{"code":)").Str(f.code).Raw(R"(,"col":)").Str(f.column);
    w.Raw(R"(,"id":)").Str(f.id).Raw(R"(,"t":)").Str(f.table).Raw(R"(,"why":)").Str(f.reason).Raw("}");
  }
  w.Raw("]");
}

}  // namespace

std::string EncodeResponse(const SyncResponse& r) {
  Writer w(kEnvelopeBytes + (r.pull ? SizeHint(r.pull->rows) : 0));
  w.Raw("{");
  if (r.applied) {
    w.Raw(R"("applied":{"hash":)").Int(r.applied->hash).Raw(R"(,"last":)").Int(r.applied->last_seq);
    w.Raw(R"(,"refused":)");
    WriteRefusals(w, r.applied->refused);
    w.Raw("},");
  }
  if (r.pull) {
    w.Raw(R"("pull":{"last":)").Int(r.pull->last_seq).Raw(R"(,"more":)").Bool(r.pull->more).Raw(R"(,"rows":)");
    WriteRows(w, r.pull->rows);
    w.Raw(R"(,"snapshot":)").Bool(r.pull->snapshot_required).Raw("},");
  }
  if (r.push) {
    w.Raw(R"("push":{"applied":)").Bool(r.push->applied).Raw(R"(,"clock_ahead":)").Bool(r.push->clock_ahead);
    w.Raw(R"(,"id":)");
    WriteBatchId(w, r.push->id);
    w.Raw(R"(,"refused":)");
    WriteRefusals(w, r.push->refused);
    if (r.push->superseded) w.Raw(R"(,"superseded":true)");
    w.Raw("},");
  }
  if (r.session > 0) w.Raw(R"("session":)").Int(r.session).Raw(",");
  w.Raw(R"("time":)").Int(r.server_time_ms);
  if (r.server_wait_ms > 0) w.Raw(R"(,"wait":)").Int(r.server_wait_ms);
  w.Raw("}");
  return std::move(w).Take();
}

Result<SyncRequest> DecodeRequest(std::string_view text) {
  Decoder d(Kind::kRequest);
  if (auto fault = d.Parse(text)) return Status::Invalid(std::move(*fault));
  return std::move(d.request());
}

Result<SyncResponse> DecodeResponse(std::string_view text) {
  Decoder d(Kind::kResponse);
  if (auto fault = d.Parse(text)) return Status::Invalid(std::move(*fault));
  return std::move(d.response());
}

}  // namespace latih::sync
