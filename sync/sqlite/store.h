// The one gateway to a latih database (client or server replica). Every
// write to a replicated table goes through a WriteBatch, which records, in
// the same SQLite transaction, one change-log entry per changed cell with its
// version (HLC timestamp + origin node). Rows applied from a peer keep the
// peer's version and origin, so they are never mistaken for local changes.
// A Store and its WriteBatch belong to one thread at a time; several
// processes may open the same file (SQLite locking, WAL).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "schema/migrations.h"
#include "sync/cell_versions.h"
#include "sync/env.h"
#include "sync/hlc.h"
#include "sync/sqlite/db.h"
#include "sync/tables.h"

namespace latih::sync::sqlite {

class WriteBatch;

// One entry of the change feed: a cell whose version changed. Cells changed
// by one write share its seq.
struct CellChange {
  int64_t seq = 0;
  std::string table;
  std::string row_id;
  std::string column;  // "" for the row's existence (creation or deletion)
  Version version;
};

class Store {
 public:
  struct Options {
    std::span<const schema::Migration> migrations;  // the side's schema
    bool create = false;  // create the file (owner-only) if missing
  };

  // Opens (or creates) the database at `path`, migrates it to the newest
  // schema and loads the catalog. On creation a replica identity (node id)
  // is drawn from env.ids.
  // Errors: kNotFound (no file and !create), kSchemaTooNew, kInvalidArgument
  // (not a latih database), kIOError/kCorruption.
  // `env` must outlive the Store.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, const Options& options,
                                             Env& env);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Catalog& catalog() const { return catalog_; }
  int64_t node_id() const { return node_id_; }
  // For read-only queries (reports, listings). Writes must use BeginWrite().
  Db& db() { return *db_; }
  Env& env() { return env_; }

  // Reads row `id` of `table`; nullopt when absent (or deleted).
  // kInvalidArgument for an unknown table.
  Result<std::optional<Row>> Get(std::string_view table, std::string_view id);

  // Every row of `table`, or those whose column `where->column` equals
  // `where->value`, ordered by the columns in `order_by` (then id).
  // kInvalidArgument for an unknown table or column.
  Result<std::vector<Row>> Select(std::string_view table, const std::optional<ColumnValue>& where,
                                  std::span<const std::string_view> order_by = {});

  // This device's office (replica.office_id); nullopt until set.
  Result<std::optional<std::string>> ReplicaOffice();
  Status SetReplicaOffice(const std::string& office_id);
  // Device-local settings (client databases only; never replicated).
  Result<std::optional<std::string>> GetSetting(std::string_view key);
  Status SetSetting(std::string_view key, std::string_view value);

  // Starts a write transaction (BEGIN IMMEDIATE). kUnavailable if another
  // process holds the write lock past the busy timeout.
  Result<std::unique_ptr<WriteBatch>> BeginWrite();

  // The cells changed after `after_seq`, from at most `limit_rows` rows, in
  // seq order (then column order).
  Result<std::vector<CellChange>> ChangesSince(int64_t after_seq, int limit_rows);
  // The number of rows in `table`. kInvalidArgument for an unknown table.
  Result<int64_t> CountRows(std::string_view table);
  // The number of cells whose current version was written by this replica.
  Result<int64_t> CountLocalCells();

 private:
  friend class WriteBatch;
  Store(std::unique_ptr<Db> db, Env& env) : db_(std::move(db)), env_(env) {}
  Status LoadCatalog();
  Status LoadOrCreateReplica();

  // SQL text per table, parallel to catalog_.tables().
  struct TableSql {
    std::string select, insert, update, remove;  // insert: ON CONFLICT(id) DO NOTHING
  };
  const TableSql& SqlFor(const TableDef& td) const { return sql_[&td - catalog_.tables().data()]; }

  std::unique_ptr<Db> db_;
  Env& env_;
  Catalog catalog_;
  std::vector<TableSql> sql_;
  int64_t node_id_ = 0;
};

enum class PutMode {
  kUpsert,      // create the row or update the given columns
  kInsertOnly,  // kInvalidArgument if the row exists
  kUpdateOnly,  // kNotFound if the row does not exist
};

struct PutResult {
  bool created = false;
  std::vector<std::string> changed;  // columns whose stored value changed
};

// A peer's cell: the value and the version it was written with.
struct RemoteCell {
  std::string column;  // "" is the existence cell
  Value value;
  Version version;
};

// One write transaction. Rolls back unless Commit() succeeds.
class WriteBatch {
 public:
  ~WriteBatch();
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  // Reads row `id` of `table` inside this transaction (sees its own writes).
  // The last few rows read are remembered until this batch writes them (no
  // other connection can write while the batch holds the write lock), so a
  // bulk import reads its session once and a Put right after a Get does not
  // read the row again.
  Result<std::optional<Row>> Get(std::string_view table, std::string_view id);

  // Writes `values` into row `id` of `table` as a local change. On insert,
  // columns not given take their SQL default; insert_only values apply only
  // then. A new row is inserted without reading first (bulk loads). The complete resulting row is
  // checked with ValidateRow before it is stored. Logs, with one new HLC
  // version, every column whose value changed (on insert: every column and
  // the existence cell). Writing identical values logs nothing.
  // Errors: kInvalidArgument (unknown table or column, a rule broken, the
  // row exists under kInsertOnly), kNotFound (kUpdateOnly on a missing row),
  // SQLite errors. A failed Put leaves the batch usable and the row as it was.
  Result<PutResult> Put(std::string_view table, std::string_view id,
                        std::span<const ColumnValue> values, PutMode mode = PutMode::kUpsert);

  // Deletes row `id` as a local change: the row goes, its existence cell
  // becomes a tombstone with a new version. kNotFound if absent.
  Status Delete(std::string_view table, std::string_view id);

  // Applies a peer's cells to row `id` without logging them as local
  // changes: each cell is stored only if its version is newer than the
  // local one (last writer wins), and keeps the peer's version and origin.
  // Returns the number of cells that won. The sync engine builds on this.
  Result<int> ApplyRemote(std::string_view table, std::string_view id,
                          std::span<const RemoteCell> cells);

  // Persists the clock and commits. After an error the batch is rolled back.
  Status Commit();

 private:
  friend class Store;
  WriteBatch(Store& store, std::unique_ptr<Transaction> txn, int64_t last_hlc, int64_t last_seq)
      : store_(store), txn_(std::move(txn)), clock_(store.env().clock, last_hlc), seq_(last_seq) {}
  Result<std::optional<Row>> ReadRow(const TableDef& td, std::string_view id);
  // Inserts `row`, or updates it when `exists`.
  Status WriteRow(const TableDef& td, const Row& row, bool exists);
  // Inserts `row` unless a row with its id exists; true if it inserted.
  Result<bool> TryInsert(const TableDef& td, const Row& row);
  // Writes a complete new row and logs all its cells with one new version.
  Result<bool> TryCreate(const TableDef& td, const Row& row);
  Result<PutResult> UpdateExisting(const TableDef& td, Row row,
                                   const std::vector<std::pair<int, Value>>& given);
  // The cell versions of row `id` (all {0,0,0} when it has no entry).
  Result<std::vector<CellVersion>> ReadVersions(const TableDef& td, std::string_view id);
  Status WriteVersions(const TableDef& td, std::string_view id, const std::vector<CellVersion>& cells,
                       int64_t seq);

  Store& store_;
  std::unique_ptr<Transaction> txn_;
  // Rows recently read by Get(), most recent first; an entry is dropped when
  // this batch writes its row.
  struct Remembered {
    std::string table, id;
    std::optional<Row> row;
  };
  static constexpr size_t kRememberedRows = 4;
  const Remembered* FindRemembered(std::string_view table, std::string_view id) const;
  void Forget(std::string_view table, std::string_view id);
  std::vector<Remembered> remembered_;
  HybridClock clock_;
  int64_t seq_;
};

}  // namespace latih::sync::sqlite
