// Brings a database to the newest schema by applying the embedded, numbered,
// forward-only migrations (schema/README.md). Each migration runs in its own
// transaction together with `PRAGMA user_version = N`, so a crash leaves the
// database at N-1 or N, never between. Used by client and server alike.
#pragma once

#include <span>

#include "schema/migrations.h"
#include "sync/sqlite/db.h"

namespace latih::sync::sqlite {

// The application_id stamped into every latih database ("LTIH").
inline constexpr int64_t kApplicationId = 0x4C544948;

// Applies every migration in `migrations` newer than the database's
// user_version, in order.
// Returns kSchemaTooNew when the database was written by a newer latih
// (user_version above the newest migration known here); kInvalidArgument
// when the file is an SQLite database that latih did not create;
// kIOError/kCorruption as SQLite reports them. On failure the database is
// left at the last fully applied version.
// REQUIRES: migrations are numbered 1..N in order (the build guarantees it).
Status Migrate(Db& db, std::span<const schema::Migration> migrations);

// The database's current user_version.
Result<int> SchemaVersion(Db& db);

}  // namespace latih::sync::sqlite
