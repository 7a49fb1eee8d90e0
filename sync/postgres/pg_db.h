// The PostgreSQL implementation of the Db layer (sync/sqlite/db.h), over
// libpq, for the central server only (the office client never links it).
// The Store's SQL keeps SQLite's ?N parameters; they are rewritten to $N.
// Values travel as text (bytea as binary) and come back typed by the
// column's type: bigint/integer/boolean as int64, double precision/numeric
// as double, bytea as bytes, anything else as text.
//
// Write transactions (Db::BeginWrite) take one transaction-scoped advisory
// lock, kWriteLockKey, so that writers of one database, in any process or
// server instance, are serialized as SQLite's are: the change feed's seqs
// then commit in the order they were issued (sync/PROTOCOL.md §4, "Several
// server instances"). Readers take no lock.
//
// A connection lost between statements is re-established at the next one
// (its prepared statements are prepared again); a statement that fails
// because the connection went away returns kUnavailable.
#pragma once

#include <memory>
#include <string>

#include "sync/sqlite/db.h"

namespace latih::sync::postgres {

// The advisory lock of write transactions ("LTIH").
inline constexpr int64_t kWriteLockKey = 0x4C544948;
// The lock space of Db::LockKey and BeginKeyed ("LTIN"): the first half of
// the two-key form pg_advisory_xact_lock(int, int), whose locks never
// collide with the one-key form's. The second half is the key folded to 32
// bits (two keys that fold alike only wait for each other).
inline constexpr int32_t kKeyLockSpace = 0x4C54494E;

// True for a postgres:// or postgresql:// URL (the server's --db).
bool IsPostgresUrl(const std::string& target);

// `url` without its password, for logs and messages.
std::string RedactUrl(const std::string& url);

// Connects to the database at `url` (a libpq connection URI). kUnavailable
// when the server cannot be reached; kNotFound when the database does not
// exist; kUnauthenticated when the credentials are refused.
Result<std::unique_ptr<sqlite::Db>> Connect(const std::string& url);

// Rewrites SQLite parameters (?N and bare ?) to PostgreSQL's ($N), leaving
// string literals, quoted identifiers and comments alone. Exposed for tests.
std::string RewriteParameters(std::string_view sql, int* max_index);

}  // namespace latih::sync::postgres
