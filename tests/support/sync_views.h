// Reading what a sync left behind, for the integration tests: a server's or
// a device's database opened directly, what an office may see of the
// server's tables (dumped like DumpTables), one-value SQL queries, and a
// device's watermarks. Not thread-safe; each REQUIREs success.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sync/sqlite/store.h"

namespace latih::test {

// The server database at `path`: an SQLite file or a postgres:// URL.
std::unique_ptr<sync::sqlite::Store> OpenServerDb(const std::string& path);
std::unique_ptr<sync::sqlite::Store> OpenClientDb(const std::string& path);

// What `office` may see of the server's tables, dumped like DumpTables.
std::string OfficeView(sync::sqlite::Store& server, const std::string& office);

// Points the device database `db` at another server URL, as a load
// balancer or a DNS change would.
void SetServerUrl(const std::string& db, const std::string& url);

// The first column of the first row of `sql` (which must return a row).
int64_t Count(sync::sqlite::Store& store, const std::string& sql);
std::string Text(sync::sqlite::Store& store, const std::string& sql);

}  // namespace latih::test
