#include "sync/sqlite/migrator.h"

#include <cassert>
#include <string>

namespace latih::sync::sqlite {
namespace {

Result<int64_t> PragmaInt(Db& db, const std::string& pragma) {
  LATIH_ASSIGN_OR_RETURN(Stmt* stmt, db.Prepare("PRAGMA " + pragma));
  LATIH_ASSIGN_OR_RETURN(bool row, stmt->Step());
  int64_t v = row ? stmt->ColumnInt(0) : 0;
  stmt->Reset();
  return v;
}

// A file latih never touched has user_version 0; refuse it unless empty.
Status CheckForeignDatabase(Db& db, int64_t version) {
  LATIH_ASSIGN_OR_RETURN(int64_t app_id, PragmaInt(db, "application_id"));
  if (app_id == kApplicationId) return Status::Ok();
  LATIH_ASSIGN_OR_RETURN(int64_t objects, PragmaInt(db, "schema_version"));
  if (version == 0 && app_id == 0 && objects == 0) return Status::Ok();  // empty file
  return Status::Invalid(db.path() + " is an SQLite database that latih did not create; "
                         "refusing to modify it");
}

Status ApplyOne(Db& db, const schema::Migration& m) {
  LATIH_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  Status s = db.Exec(m.sql);
  if (!s.ok()) return Status::Corruption(std::string("migration ") + m.name + " failed: " + s.message());
  LATIH_RETURN_IF_ERROR(db.Exec("PRAGMA application_id = " + std::to_string(kApplicationId)));
  LATIH_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(m.version)));
  return txn->Commit();
}

// PostgreSQL has no user_version: the version lives in latih_schema, created
// with the first migration. A database with tables but no latih_schema is
// not latih's.
Result<int64_t> QueryInt(Db& db, const std::string& sql) {
  LATIH_ASSIGN_OR_RETURN(auto stmt, db.PrepareOwned(sql));
  LATIH_ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? stmt->ColumnInt(0) : 0;
}

Result<int> PostgresVersion(Db& db) {
  LATIH_ASSIGN_OR_RETURN(int64_t has, QueryInt(db, "SELECT count(*) FROM information_schema.tables "
                                                   "WHERE table_schema = current_schema() AND table_name = 'latih_schema'"));
  if (!has) return 0;
  LATIH_ASSIGN_OR_RETURN(int64_t v, QueryInt(db, "SELECT version FROM latih_schema"));
  return static_cast<int>(v);
}

// Each migration in its own transaction under the write lock, the version
// read again inside it: server instances starting together apply each
// migration once.
Status MigratePostgres(Db& db, std::span<const schema::Migration> migrations) {
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  {
    LATIH_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
    LATIH_ASSIGN_OR_RETURN(int64_t has_schema, QueryInt(db, "SELECT count(*) FROM information_schema.tables WHERE "
                                                           "table_schema = current_schema() AND table_name = 'latih_schema'"));
    LATIH_ASSIGN_OR_RETURN(int current, PostgresVersion(db));
    if (!has_schema) {
      LATIH_ASSIGN_OR_RETURN(int64_t tables, QueryInt(db, "SELECT count(*) FROM information_schema.tables "
                                                          "WHERE table_schema = current_schema()"));
      if (tables > 0) {
        return Status::Invalid(db.path() + " holds tables that latih did not create (no latih_schema); "
                               "refusing to modify it");
      }
      LATIH_RETURN_IF_ERROR(db.Exec(
          "CREATE TABLE latih_schema (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), "
          "application BIGINT NOT NULL, version INTEGER NOT NULL); "
          "INSERT INTO latih_schema VALUES (1, " + std::to_string(kApplicationId) + ", 0)"));
    }
    if (current > newest) {
      return Status::SchemaTooNew(db.path() + " has schema version " + std::to_string(current) +
                                  ", newer than this latih understands (" + std::to_string(newest) +
                                  "); install a newer latih to open it");
    }
    LATIH_RETURN_IF_ERROR(txn->Commit());
  }
  for (const auto& m : migrations) {
    LATIH_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
    LATIH_ASSIGN_OR_RETURN(int current, PostgresVersion(db));
    if (m.version <= current) continue;
    Status s = db.Exec(m.sql);
    if (!s.ok()) return Status::Corruption(std::string("migration ") + m.name + " failed: " + s.message());
    LATIH_RETURN_IF_ERROR(db.Exec("UPDATE latih_schema SET version = " + std::to_string(m.version)));
    LATIH_RETURN_IF_ERROR(txn->Commit());
  }
  return Status::Ok();
}

}  // namespace

Result<int> SchemaVersion(Db& db) {
  if (db.dialect() == Dialect::kPostgres) return PostgresVersion(db);
  LATIH_ASSIGN_OR_RETURN(int64_t v, PragmaInt(db, "user_version"));
  return static_cast<int>(v);
}

Status Migrate(Db& db, std::span<const schema::Migration> migrations) {
  if (db.dialect() == Dialect::kPostgres) return MigratePostgres(db, migrations);
  LATIH_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  LATIH_RETURN_IF_ERROR(CheckForeignDatabase(db, current));
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest) {
    return Status::SchemaTooNew(db.path() + " has schema version " + std::to_string(current) +
                                ", newer than this latih understands (" + std::to_string(newest) +
                                "); install a newer latih to open it");
  }
  for (const auto& m : migrations) {
    assert(&m == migrations.data() || m.version > (&m - 1)->version);
    if (m.version <= current) continue;
    LATIH_RETURN_IF_ERROR(ApplyOne(db, m));
  }
  return Status::Ok();
}

}  // namespace latih::sync::sqlite
