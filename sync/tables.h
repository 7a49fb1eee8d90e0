// The replicated tables as the engine sees them: a catalog of tables and
// columns (built from the database's sync_column table and declared column
// types), and Value, one cell's content. Rows are addressed by table name
// and id. Catalog is immutable after construction: thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sync/status.h"

namespace latih::sync {

// NULL, INTEGER, REAL or TEXT: the SQLite storage classes we use.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

inline bool IsNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }
// Equality as stored data: 4 and 4.0 are equal, NULL equals NULL.
bool SameValue(const Value& a, const Value& b);
// Text for messages and CSV: "" for NULL, shortest round-trip for REAL.
std::string ValueToText(const Value& v);
// An INTEGER or REAL as a double (a REAL column may hold 8 as 8); 0 for
// NULL and TEXT.
double ValueToDouble(const Value& v);

enum class ColumnType { kText, kInteger, kReal };

struct ColumnDef {
  std::string name;
  ColumnType type = ColumnType::kText;
  bool not_null = false;
  Value default_value;  // the column's SQL DEFAULT literal, NULL if none
  int64_t cid = 0;      // local catalog id (sync_column.cid)
  int since = 1;        // the wire schema it first appeared in (sync_column.since)
};

struct TableDef {
  std::string name;
  int64_t existence_cid = 0;        // the cid of the row's existence cell
  std::vector<ColumnDef> columns;   // every replicated column except id
  int since = 1;                    // the wire schema the table first appeared in

  // Index into `columns`, or -1.
  int ColumnIndex(std::string_view column) const;
  // The wire schema of the cell at change-log position `cell` (0: the
  // existence cell, i + 1: columns[i]); never older than the table's.
  int CellSince(size_t cell) const {
    return cell == 0 || cell > columns.size() ? since : std::max(since, columns[cell - 1].since);
  }
};

// One column and its new value, as passed to a write. An insert_only value
// is used only if the write creates the row (a default for new rows, e.g.
// the first check-in time); it never changes an existing row.
struct ColumnValue {
  std::string column;
  Value value;
  bool insert_only = false;
};

// A whole row, values parallel to TableDef::columns.
struct Row {
  std::string id;
  std::vector<Value> values;
};

class Catalog {
 public:
  Catalog() = default;
  explicit Catalog(std::vector<TableDef> tables) : tables_(std::move(tables)) {}

  // nullptr when `table` is not replicated.
  const TableDef* Find(std::string_view table) const;
  const std::vector<TableDef>& tables() const { return tables_; }
  // The wire schema these tables make (PROTOCOL.md §6): the newest `since`
  // of any table or column, 1 for a catalog without any.
  int WireSchema() const;

 private:
  std::vector<TableDef> tables_;
};

// Coerces `v` to the column's type (an integral REAL for INTEGER, an
// INTEGER for REAL) and checks NOT NULL and that text is well-formed UTF-8
// (stored text must always go out again as JSON). Returns kInvalidArgument
// naming the table, column and value when the value cannot be stored.
Result<Value> CoerceValue(const TableDef& table, const ColumnDef& column, Value v);

}  // namespace latih::sync
