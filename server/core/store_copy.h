// `latih-server migrate-store`: copies a whole server database (an SQLite
// file) into an empty PostgreSQL one, row for row: the replicated tables,
// the change log with its seqs and cell versions, tombstones, conflicts,
// the server's identity and clock, each device's applied batch and cursor,
// credentials (token hashes only, as stored), the audit trail and device
// status. Devices therefore carry on where they were: their pull cursors
// and the server's node id stay valid, nothing is pulled or pushed again.
// One transaction on the target: a failure leaves it as it was.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sync/sqlite/store.h"

namespace latih::server {

struct CopiedTable {
  std::string name;
  int64_t rows = 0;
};

// Copies `from` into `to`, both server stores at the newest schema, with the
// same catalog. kInvalidArgument when `to` already holds data (any change
// log entry, credential or audit entry) or the catalogs differ. After
// copying, the row count of every table is compared on both sides
// (kCorruption if one differs). `progress` (optional) hears of each table.
Result<std::vector<CopiedTable>> CopyStore(sync::sqlite::Store& from, sync::sqlite::Store& to,
                                           const std::function<void(const CopiedTable&)>& progress = nullptr);

}  // namespace latih::server
