// The one gateway to a latih database (client or server replica). Every
// write to a replicated table goes through a WriteBatch, which records, in
// the same SQLite transaction, one change-log entry per changed cell with its
// version (HLC timestamp + origin node). Rows applied from a peer keep the
// peer's version and origin, so they are never mistaken for local changes.
// A Store and its WriteBatch belong to one thread at a time; several
// processes may open the same file (SQLite locking, WAL).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "schema/migrations.h"
#include "sync/cell_versions.h"
#include "sync/env.h"
#include "sync/hlc.h"
#include "sync/protocol.h"
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
  // A client replica pushes its own writes and applies pulls without
  // republishing them; the server replica republishes every applied change
  // in its feed (sync/PROTOCOL.md §4).
  enum class Role { kClient, kServer };

  struct Options {
    std::span<const schema::Migration> migrations;  // the side's schema
    bool create = false;  // create the file (owner-only) if missing
    Role role = Role::kClient;
  };

  // Opens (or creates) the database at `path`, migrates it to the newest
  // schema and loads the catalog. On creation a replica identity (node id)
  // is drawn from env.ids.
  // Errors: kNotFound (no file and !create), kSchemaTooNew, kInvalidArgument
  // (not a latih database), kIOError/kCorruption.
  // `env` must outlive the Store.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, const Options& options,
                                             Env& env);
  // The same on an open connection (the server's PostgreSQL database,
  // sync/postgres/pg_db.h); options.create does not apply.
  static Result<std::unique_ptr<Store>> Open(std::unique_ptr<Db> db, const Options& options, Env& env);
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

  // The rows of `table` among `ids` that exist, by id: one query per 256
  // ids (a pull reads its page's rows so, not one round trip each).
  // kInvalidArgument for an unknown table.
  Result<std::unordered_map<std::string, Row>> GetMany(std::string_view table, const std::vector<std::string>& ids);

  // Every row of `table`, or those whose column `where->column` equals
  // `where->value`, ordered by the columns in `order_by` (then id).
  // kInvalidArgument for an unknown table or column.
  Result<std::vector<Row>> Select(std::string_view table, const std::optional<ColumnValue>& where,
                                  std::span<const std::string_view> order_by = {});

  // This device's office (replica.office_id); nullopt until set.
  Result<std::optional<std::string>> ReplicaOffice();
  // `unlisted`: the office row is not here yet (it comes with the first
  // sync), so the reference is not checked now.
  Status SetReplicaOffice(const std::string& office_id, bool unlisted = false);
  // Device-local settings (client databases only; never replicated).
  Result<std::optional<std::string>> GetSetting(std::string_view key);
  Status SetSetting(std::string_view key, std::string_view value);

  // Starts a write transaction (BEGIN IMMEDIATE). kUnavailable if another
  // process holds the write lock past the busy timeout. With
  // enforce_references false, foreign keys are not checked until the batch
  // ends (merging peers' rows, PROTOCOL.md §2). With durable false the
  // commit is atomic but not fsynced (synchronous=NORMAL): for data that can
  // be fetched again, such as a pull whose cursor commits with it.
  Result<std::unique_ptr<WriteBatch>> BeginWrite(bool enforce_references = true, bool durable = true);

  // The cells changed after `after_seq`, from at most `limit_rows` rows, in
  // seq order (then column order).
  Result<std::vector<CellChange>> ChangesSince(int64_t after_seq, int limit_rows);
  // Which changes a reader of the feed gets.
  struct FeedFilter {
    int64_t only_node = 0;  // not 0: only cells written by this node (a client's push)
    int64_t skip_node = 0;  // not 0: no cells written by this node (echo suppression)
    int64_t up_to_seq = 0;  // not 0: the read ends at this seq
    // Server, a device's pull: its office. The read then takes only the
    // entries feed_scope lists for that office or for '*' (by index), and
    // ends at the feed's end when none are left.
    std::string office;
    // Not 0: a pull for a device of this wire schema; cells of tables and
    // columns newer than it are left out, and rows left with none passed
    // over (PROTOCOL.md §6, "Schema evolution").
    int schema = 0;
    // When set: only rows for which it returns true (office scoping).
    std::function<Result<bool>(const TableDef&, const Row&)> visible;
    // When set: shown each page's rows of a table before `visible` sees
    // them one by one (so that it can read what it needs for all at once).
    std::function<Status(const TableDef&, const std::vector<const Row*>&)> prefetch;
  };
  // The rows changed after `after_seq` in seq order, each with its cells
  // changed after it that pass `filter`, at most `max_rows` rows and about
  // `max_bytes` bytes. `*last_seq` is the seq of the last row examined (rows
  // filtered out are passed over), `*more` whether rows remain.
  Result<std::vector<RowChange>> ReadChanges(int64_t after_seq, const FeedFilter& filter, int max_rows,
                                             int64_t max_bytes, int64_t* last_seq, bool* more);

  struct SyncState {
    int64_t push_watermark = 0, pull_cursor = 0, clock_offset_ms = 0;
    std::string last_sync_at;  // device time of the last complete session, "" if never
  };
  Result<SyncState> LoadSyncState();
  // Client: whether a snapshot pull (PROTOCOL.md §8) was begun and not
  // finished (cut off, or asked for by a migration): the next session goes
  // on with it.
  Result<bool> SnapshotPending();
  // Server: the last push batch applied for `node` (none yet: nullopt),
  // inside a write batch or not.
  Result<std::optional<sync::AppliedBatch>> LastAppliedBatch(int64_t node);
  // Server: opens the next sync session of `node` (sync/PROTOCOL.md §4, "One
  // session at a time") and reads the node's last applied batch, both in one
  // transaction under the node's lock (Db::BeginKeyed), so that no push of
  // the node commits between the two: a push that committed first is in
  // `applied`, one that commits later names an older session and is
  // refused. Not durable on its own (nothing is lost if it rolls back with
  // a power cut: the pushes after it are durable and follow it in the log).
  struct OpenedSession {
    int64_t session = 0;
    std::optional<sync::AppliedBatch> applied;
  };
  Result<OpenedSession> OpenDeviceSession(int64_t node);

  // Server: notes the pull cursor a device reported as a statement of its
  // own, outside any write transaction (PostgreSQL: no write lock, so that
  // pulls never wait for pushes). Returns how far tombstones were purged.
  Result<int64_t> NoteDeviceCursor(int64_t node, int64_t cursor);

  // A recorded conflict (sync/PROTOCOL.md §5); values are JSON scalars.
  struct Conflict {
    int64_t id = 0;
    std::string table, row_id, column, winner_value, loser_value, detected_at, resolved_at;
    Version winner, loser;
  };
  // Open conflicts (and resolved ones with include_resolved), newest first.
  Result<std::vector<Conflict>> ListConflicts(bool include_resolved);

  // The number of rows in `table`. kInvalidArgument for an unknown table.
  Result<int64_t> CountRows(std::string_view table);
  // The number of cells whose current version was written by this replica.
  Result<int64_t> CountLocalCells();

 private:
  friend class WriteBatch;
  Store(std::unique_ptr<Db> db, Env& env, Role role) : db_(std::move(db)), env_(env), role_(role) {}
  Status LoadCatalog();

  // One change-log entry, decoded.
  struct LogEntry {
    std::string row_id;
    const TableDef* table = nullptr;
    int64_t seq = 0;
    std::vector<CellVersion> cells;  // position 0 = existence
  };
  // Steps `stmt`, whose result columns are row_id, tbl, seq, cells, and calls
  // `visit` for each decoded entry until it returns false. kCorruption for
  // an entry that cannot be decoded. Resets `stmt` at the end.
  Status ForEachLogEntry(Stmt& stmt, const std::function<Result<bool>(const LogEntry&)>& visit);
  // The last values of a deleted row (deleted_row), nullopt if none.
  Result<std::optional<Row>> ReadDeletedValues(const TableDef& td, std::string_view id);
  Status LoadOrCreateReplica();

  // SQL text per table, parallel to catalog_.tables().
  struct TableSql {
    std::string select, insert, update, remove;  // insert: ON CONFLICT(id) DO NOTHING
  };
  const TableSql& SqlFor(const TableDef& td) const { return sql_[&td - catalog_.tables().data()]; }

  std::unique_ptr<Db> db_;
  Env& env_;
  Role role_;
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

// Decides whether a peer may write a row (office scoping, sync/sqlite/scope.h):
// sees the row as known here (nullptr: never seen) and as the change would
// leave it. Returns kPermissionDenied to refuse.
using RowGuard = std::function<Status(const TableDef& table, const Row* before, const Row& after)>;

// One write transaction. Rolls back unless Commit() succeeds.
class WriteBatch {
 public:
  ~WriteBatch();  // rolls back if not committed, then restores reference checks
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

  // Merges one row from a peer (sync/PROTOCOL.md §2, §5): per-cell last
  // writer wins, the existence cell decides whether the row is visible,
  // concurrent overwrites of different values are recorded in
  // sync_conflict. Never logged as a local change; on the server the row is
  // republished in the feed. The row must satisfy ValidateRow if it ends up
  // visible. With a `guard`, the change is first shown to it and refused
  // (kPermissionDenied) if it says so. A row whose id is another table's
  // row's is refused (kInvalidArgument). Returns the number of cells that won.
  Result<int> ApplyRow(const RowChange& row, const RowGuard* guard = nullptr);

  // ApplyRow inside a savepoint: a row that breaks a rule (kInvalidArgument)
  // or that the guard refuses (kPermissionDenied) is rolled back and
  // reported in *refused (the batch goes on); other errors are returned.
  Result<int> TryApplyRow(const RowChange& row, Status* refused, const RowGuard* guard = nullptr);

  // Resolves conflict `id`: with restore_loser the losing value is written
  // again as a new local change (so it wins everywhere by the clock);
  // otherwise the winner is kept. kNotFound / kInvalidArgument (already
  // resolved, or the row is gone).
  Status ResolveConflict(int64_t id, bool restore_loser);

  // Server: notes the pull cursor a device reported (compaction horizon).
  Status RecordDeviceCursor(int64_t node, int64_t cursor);
  // Server: the lowest cursor of devices seen since `since_ms` (the
  // compaction horizon), or the feed's end if none; and how far tombstones
  // were purged.
  Result<int64_t> Horizon(int64_t since_ms);
  Result<int64_t> PurgedUpTo();
  // Server: removes the tombstones (deleted rows' values and versions) of
  // rows deleted at a seq at or below `horizon` and with a delete version
  // before `deleted_before_ms`. Returns how many.
  Result<int> Compact(int64_t horizon, int64_t deleted_before_ms);

  // Client: removes the tombstones whose delete is older than `age_ms` (by
  // the corrected clock) and was pushed. Returns how many.
  Result<int> ForgetTombstones(int64_t age_ms);

  // Client snapshot recovery (PROTOCOL.md §8).
  Status SetSnapshotActive(bool active);
  Result<bool> SnapshotActive();
  Status NoteSnapshotRow(std::string_view id);
  // Removes every local row (alive or tombstone) the snapshot did not bring,
  // unless it holds unpushed local changes; clears the snapshot state.
  Result<int> PurgeUnseen();

  // Sync state, in this transaction.
  Status SetPullCursor(int64_t server_seq);
  Status MarkSynced();
  // Server: records `applied` as the last push batch applied for `node`.
  Status SetAppliedBatch(int64_t node, const sync::AppliedBatch& applied);
  // Server, in a push: takes `node`'s lock (Db::LockKey, held to the end of
  // this batch) and returns the latest session the node opened (0: none).
  Result<int64_t> LockDeviceSession(int64_t node);
  Status SetPushWatermark(int64_t seq);
  // Client: if nothing was unpushed when this batch began, moves the push
  // watermark past everything this batch wrote (pulled rows), so that the
  // next push scan does not read them again. Call after applying.
  Status SkipPulledIfClean();
  // Client: local changes up to `seq` may reach the server from now on
  // (replica.push_sent; re-stamping never moves them down).
  Status MarkPushSent(int64_t seq);
  // Client: lists a refused local change in `quarantine` (replacing an
  // earlier entry of the row), or removes the row's entry.
  Status Quarantine(const Refusal& refusal);
  Status Unquarantine(std::string_view row_id);
  // Server: appends one applied push batch to sync_audit.
  struct AuditEntry {
    int64_t at_ms = 0;
    int64_t credential_id = 0;
    BatchId batch;
    int rows = 0, refused = 0;
    std::string body_sha256;
  };
  Status AppendAudit(const AuditEntry& entry);
  // Stores `offset_ms` and shifts the versions of this replica's unpushed
  // cells by the change from the stored offset (PROTOCOL.md §3 rule 2);
  // cells maybe delivered (MarkPushSent) never move down unless beyond the
  // server's bound (`max_ahead_ms` past the corrected present).
  // Returns the number of rows re-stamped.
  Result<int> SetClockOffset(int64_t offset_ms, int64_t max_ahead_ms);

  // Persists the clock and commits. After an error the batch is rolled back.
  Status Commit();

 private:
  friend class Store;
  WriteBatch(Store& store, std::unique_ptr<Transaction> txn, int64_t last_hlc, int64_t last_seq,
             const Store::SyncState& state)
      : store_(store), txn_(std::move(txn)), corrected_(store.env().clock, state.clock_offset_ms),
        clock_(corrected_, last_hlc), seq_(last_seq), begin_seq_(last_seq),
        push_watermark_(state.push_watermark) {}
  // A new version for the cells `changed` (and the existence cell) of a row
  // with versions `cells`; keeps the base rules of PROTOCOL.md §5.
  void StampLocal(std::vector<CellVersion>& cells, const std::vector<bool>& changed, bool alive_write);
  int64_t seq() const { return seq_; }
  void MoveCellsWithRow(std::vector<CellVersion>& cells, int64_t seq) const;
  // True for a cell this replica wrote and has not had acknowledged yet.
  bool Unpushed(const CellVersion& c) const {
    return c.version.node == store_.node_id_ && c.seq > push_watermark_;
  }
  Status SaveDeleted(const TableDef& td, const Row& row);
  Status DropDeleted(std::string_view id);
  // Forgets a row's tombstone entirely: deleted_row and change-log entry.
  Status DropRowLog(std::string_view id);
  Result<std::optional<Row>> ReadDeleted(const TableDef& td, std::string_view id);
  Status RecordConflict(const TableDef& td, std::string_view id, int column, const Value& winner,
                        const Version& winner_v, const Value& loser, const Version& loser_v);
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
  // kInvalidArgument when `id` is a row of another table.
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
  OffsetClock corrected_;  // the device clock plus the measured offset
  HybridClock clock_;
  int64_t seq_;
  int64_t begin_seq_;  // seq_ when the batch began
  int64_t push_watermark_;
  int64_t push_sent_ = 0;  // replica.push_sent when the batch began
  bool restore_references_ = false;
  bool restore_durability_ = false;
  // False when the database held no deleted row at BeginWrite and this batch
  // made none: a created row then has no earlier versions to read.
  bool may_have_tombstones_ = true;
  // Server: the rows whose change-log entry this batch moved, and their
  // table; their feed_scope entries are written at Commit.
  struct Moved {
    const TableDef* table;
    int64_t seq;
  };
  std::unordered_map<std::string, Moved> moved_;
  Status WriteFeedScope();
};

}  // namespace latih::sync::sqlite
