#include "server/core/store_copy.h"

#include <algorithm>
#include <map>
#include <set>

namespace latih::server {
namespace {

using sync::Value;
using sync::sqlite::Db;
using sync::sqlite::Dialect;
using sync::sqlite::Stmt;

// Parents before children (the target's foreign keys are checked at once);
// tables not named here follow, by name.
constexpr const char* kOrder[] = {"office", "credential", "device_status"};
// Rows every new database is seeded with, replaced by the source's.
constexpr const char* kSeeded[] = {"device_status", "credential", "office", "replica", "compaction"};
// Not copied: each side's own catalog (compared instead) and schema version.
constexpr const char* kSkipped[] = {"sync_column", "latih_schema"};
// Rows per INSERT: few round trips, well under PostgreSQL's 65,535 parameters.
constexpr int kRowsPerInsert = 200;

struct Column {
  std::string name;
  bool bytes = false;  // bytea on the target
};

Result<std::vector<std::string>> Strings(Db& db, const std::string& sql) {
  LATIH_ASSIGN_OR_RETURN(auto s, db.PrepareOwned(sql));
  std::vector<std::string> out;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    out.push_back(s->ColumnText(0));
  }
}

Result<int64_t> Number(Db& db, const std::string& sql) {
  LATIH_ASSIGN_OR_RETURN(auto s, db.PrepareOwned(sql));
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->ColumnInt(0) : 0;
}

Result<std::vector<std::string>> Tables(Db& db) {
  if (db.dialect() == Dialect::kSqlite) {
    return Strings(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  }
  return Strings(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                     "AND table_type = 'BASE TABLE' ORDER BY table_name");
}

// The target's columns of `table`, in its order, and whether each is bytea.
// Generated columns (skp_assessment.predicate) are left out: the target
// derives them, and refuses a value for them.
Result<std::vector<Column>> TargetColumns(Db& db, const std::string& table) {
  LATIH_ASSIGN_OR_RETURN(auto s, db.PrepareOwned(
      "SELECT column_name, data_type = 'bytea' FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name = ?1 AND is_generated = 'NEVER' "
      "ORDER BY ordinal_position"));
  s->Bind(1, table);
  std::vector<Column> out;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    out.push_back({s->ColumnText(0), s->ColumnInt(1) != 0});
  }
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

std::string InsertSql(const std::string& table, const std::vector<Column>& cols, int rows) {
  std::string sql = "INSERT INTO " + Quoted(table) + "(";
  for (size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + Quoted(cols[i].name);
  sql += ") VALUES ";
  int n = 0;
  for (int r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (size_t i = 0; i < cols.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(++n);
    sql += ")";
  }
  return sql;
}

// Copies every row of `table`; returns how many.
Result<int64_t> CopyTable(Db& from, Db& to, const std::string& table, const std::vector<Column>& cols) {
  std::string select = "SELECT ";
  for (size_t i = 0; i < cols.size(); ++i) select += (i ? ", " : "") + Quoted(cols[i].name);
  LATIH_ASSIGN_OR_RETURN(auto read, from.PrepareOwned(select + " FROM " + Quoted(table)));
  std::vector<std::vector<Value>> pending;
  int64_t copied = 0;
  auto flush = [&]() -> Status {
    if (pending.empty()) return Status::Ok();
    const int rows = static_cast<int>(pending.size());
    std::unique_ptr<Stmt> owned;
    Stmt* insert = nullptr;
    if (rows == kRowsPerInsert) {
      LATIH_ASSIGN_OR_RETURN(insert, to.Prepare(InsertSql(table, cols, rows)));
    } else {
      LATIH_ASSIGN_OR_RETURN(owned, to.PrepareOwned(InsertSql(table, cols, rows)));
      insert = owned.get();
    }
    int n = 0;
    for (const auto& row : pending) {
      for (size_t i = 0; i < cols.size(); ++i) {
        ++n;
        if (cols[i].bytes && std::holds_alternative<std::string>(row[i])) {
          insert->BindBlob(n, std::get<std::string>(row[i]));
        } else {
          insert->Bind(n, row[i]);
        }
      }
    }
    LATIH_RETURN_IF_ERROR(insert->Run().WithContext("copying " + table));
    copied += rows;
    pending.clear();
    return Status::Ok();
  };
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, read->Step());
    if (!row) break;
    std::vector<Value>& values = pending.emplace_back();
    for (size_t i = 0; i < cols.size(); ++i) {
      values.push_back(cols[i].bytes ? Value(std::string(read->ColumnBlob(static_cast<int>(i))))
                                     : read->Column(static_cast<int>(i)));
    }
    if (static_cast<int>(pending.size()) == kRowsPerInsert) LATIH_RETURN_IF_ERROR(flush());
  }
  LATIH_RETURN_IF_ERROR(flush());
  return copied;
}

}  // namespace

Result<std::vector<CopiedTable>> CopyStore(sync::sqlite::Store& from, sync::sqlite::Store& to,
                                           const std::function<void(const CopiedTable&)>& progress) {
  Db& src = from.db();
  Db& dst = to.db();
  if (dst.dialect() != Dialect::kPostgres) return Status::Invalid("the target of migrate-store must be PostgreSQL");
  // The same catalog, column for column: cell versions are stored by
  // position in it.
  const std::string catalog = "SELECT tbl || '.' || col FROM sync_column ORDER BY cid";
  LATIH_ASSIGN_OR_RETURN(auto src_catalog, Strings(src, catalog));
  LATIH_ASSIGN_OR_RETURN(auto dst_catalog, Strings(dst, catalog));
  if (src_catalog != dst_catalog) {
    return Status::Invalid("the two databases replicate different columns (" + std::to_string(src_catalog.size()) +
                           " and " + std::to_string(dst_catalog.size()) + "); use latih-server of the same version");
  }

  // One snapshot of the source (a server still running on it would not be
  // seen half-way), one transaction on the target.
  LATIH_ASSIGN_OR_RETURN(auto snapshot, sync::sqlite::ReadTransaction::Begin(src));
  LATIH_ASSIGN_OR_RETURN(auto txn, sync::sqlite::Transaction::Begin(dst));
  for (const char* t : {"change_log", "credential", "sync_audit", "employee", "attendance"}) {
    LATIH_ASSIGN_OR_RETURN(int64_t n, Number(dst, std::string("SELECT count(*) FROM ") + t));
    if (n > 0) {
      return Status::Invalid(dst.path() + " already holds data (" + std::to_string(n) + " rows in " + t +
                             "); migrate-store copies into an empty database only");
    }
  }
  LATIH_ASSIGN_OR_RETURN(auto src_tables, Tables(src));
  LATIH_ASSIGN_OR_RETURN(auto dst_tables, Tables(dst));
  auto skipped = [](const std::string& t) {
    return std::find(std::begin(kSkipped), std::end(kSkipped), t) != std::end(kSkipped);
  };
  std::erase_if(src_tables, skipped);
  std::erase_if(dst_tables, skipped);
  if (src_tables != dst_tables) {
    std::string only;
    for (const auto& t : src_tables) {
      if (std::find(dst_tables.begin(), dst_tables.end(), t) == dst_tables.end()) only += " " + t;
    }
    return Status::Invalid("the source has tables the target lacks, or the other way round:" +
                           (only.empty() ? std::string(" (target only)") : only) +
                           "; use latih-server of the same version");
  }
  // Copy order: parents first.
  std::vector<std::string> order;
  for (const char* t : kOrder) order.push_back(t);
  for (const auto& t : src_tables) {
    if (std::find(order.begin(), order.end(), t) == order.end()) order.push_back(t);
  }
  for (const char* t : kSeeded) LATIH_RETURN_IF_ERROR(dst.Exec(std::string("DELETE FROM ") + t));

  std::vector<CopiedTable> out;
  for (const auto& table : order) {
    LATIH_ASSIGN_OR_RETURN(auto cols, TargetColumns(dst, table));
    LATIH_ASSIGN_OR_RETURN(int64_t rows, CopyTable(src, dst, table, cols));
    LATIH_ASSIGN_OR_RETURN(int64_t there, Number(dst, "SELECT count(*) FROM " + Quoted(table)));
    LATIH_ASSIGN_OR_RETURN(int64_t here, Number(src, "SELECT count(*) FROM " + Quoted(table)));
    if (there != here || rows != here) {
      return Status::Corruption(table + ": " + std::to_string(here) + " rows in the source, " +
                                std::to_string(there) + " in the target after copying");
    }
    out.push_back({table, rows});
    if (progress) progress(out.back());
  }
  // Identity columns go on after the copied ids.
  LATIH_ASSIGN_OR_RETURN(auto identities, Strings(dst,
      "SELECT table_name || '.' || column_name FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY 1"));
  for (const auto& qualified : identities) {
    const std::string table = qualified.substr(0, qualified.find('.'));
    const std::string column = qualified.substr(qualified.find('.') + 1);
    LATIH_RETURN_IF_ERROR(dst.Exec("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'), " +
                                   "(SELECT coalesce(max(" + Quoted(column) + "), 0) + 1 FROM " + Quoted(table) +
                                   "), false)"));
  }
  LATIH_RETURN_IF_ERROR(txn->Commit());
  return out;
}

}  // namespace latih::server
