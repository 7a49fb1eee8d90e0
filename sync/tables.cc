#include "sync/tables.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "sync/utf8.h"

namespace latih::sync {

bool SameValue(const Value& a, const Value& b) {
  if (a.index() == b.index()) return a == b;
  auto as_double = [](const Value& v) -> std::optional<double> {
    if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    if (auto* d = std::get_if<double>(&v)) return *d;
    return std::nullopt;
  };
  auto da = as_double(a), db = as_double(b);
  return da && db && *da == *db;
}

double ValueToDouble(const Value& v) {
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return 0;
}

std::string ValueToText(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, res.ptr);
  }
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return "";
}

int TableDef::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

const TableDef* Catalog::Find(std::string_view table) const {
  for (const auto& t : tables_) {
    if (t.name == table) return &t;
  }
  return nullptr;
}

int Catalog::WireSchema() const {
  int schema = 1;
  for (const auto& t : tables_) {
    schema = std::max(schema, t.since);
    for (const auto& c : t.columns) schema = std::max(schema, c.since);
  }
  return schema;
}

Result<Value> CoerceValue(const TableDef& table, const ColumnDef& column, Value v) {
  auto where = [&] { return table.name + "." + column.name; };
  if (IsNull(v)) {
    if (column.not_null) return Status::Invalid(where() + " may not be empty");
    return v;
  }
  switch (column.type) {
    case ColumnType::kText:
      if (auto* s = std::get_if<std::string>(&v)) {
        LATIH_RETURN_IF_ERROR(CheckUtf8(*s, where()));
        return v;
      }
      break;
    case ColumnType::kInteger:
      if (std::holds_alternative<int64_t>(v)) return v;
      if (auto* d = std::get_if<double>(&v)) {
        if (std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) < 9.0e15) {
          return Value(static_cast<int64_t>(*d));
        }
      }
      break;
    case ColumnType::kReal:
      if (auto* d = std::get_if<double>(&v)) {
        if (std::isfinite(*d)) return v;
        return Status::Invalid(where() + " must be a finite number");
      }
      if (auto* i = std::get_if<int64_t>(&v)) return Value(static_cast<double>(*i));
      break;
  }
  return Status::Invalid(where() + ": value '" + ValueToText(v) + "' has the wrong type");
}

}  // namespace latih::sync
