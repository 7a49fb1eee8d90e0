// The embedded, ordered schema migrations of each database kind. Generated
// from schema/**/*.sql at build time by schema/embed_sql.cmake; applied by
// sync/sqlite/migrator.h. Immutable data: thread-safe.
#pragma once

#include <span>

namespace latih::schema {

struct Migration {
  int version;       // increasing (a side skips the numbers only the other uses); PRAGMA user_version
  const char* name;  // file name without extension, e.g. "0001_core"
  const char* sql;   // the whole file
};

// schema/common + schema/client, in version order.
std::span<const Migration> ClientMigrations();
// schema/common + schema/server, in version order.
std::span<const Migration> ServerMigrations();
// schema/postgres: the server's migrations in PostgreSQL's SQL, numbered as
// ServerMigrations().
std::span<const Migration> PostgresMigrations();

}  // namespace latih::schema
