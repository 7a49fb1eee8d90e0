// The messages of the sync protocol, as plain structs. The wire format (JSON
// over HTTP) and every rule are specified in sync/PROTOCOL.md; this header
// only names the fields. Plain values: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/hlc.h"
#include "sync/tables.h"

namespace latih::sync {

inline constexpr int kProtocolVersion = 1;
// The shape of the replicated tables (their columns and rules) as sent on
// the wire: the newest `since` in sync_column. Bumped by a migration that
// adds a replicated table or column (schema/README.md). A server serves
// devices of every wire schema from kMinWireSchemaVersion up to its own,
// leaving out of an older device's pull what its schema lacks; anything
// else is refused with schema_mismatch (PROTOCOL.md §6).
inline constexpr int kWireSchemaVersion = 2;
inline constexpr int kMinWireSchemaVersion = 1;

// One cell as sent: column "" is the existence cell (value 1 alive, 0 deleted).
struct WireCell {
  std::string column;
  Value value;
  Version version;
  Version base;
};

struct RowChange {
  std::string table;
  std::string id;
  std::vector<WireCell> cells;
};

// A push batch is identified by its origin and the range of origin seqs it
// covers; the server applies each range once.
struct BatchId {
  int64_t node = 0;
  int64_t first_seq = 0;
  int64_t last_seq = 0;
};

struct PushBatch {
  BatchId id;
  std::vector<RowChange> rows;
};

struct PullRequest {
  int64_t cursor = 0;  // server seq already applied by the client
  int max_rows = 0;    // 0: only report whether there is more
  int64_t max_bytes = 0;
  // Also send the requesting node's own cells. Off by default (echo
  // suppression, PROTOCOL.md §4); a snapshot needs every row, so it asks.
  bool own = false;
};

// One round trip: an optional push batch and an optional pull request.
struct SyncRequest {
  int protocol = kProtocolVersion;
  int schema = 0;
  int64_t node = 0;
  std::string office;
  int64_t client_time_ms = 0;
  std::optional<PushBatch> push;
  std::optional<PullRequest> pull;
  // What the device says about itself on a session's first request, for
  // HR's data-freshness report (docs/REPORTS.md): its program
  // ("latih/0.1.0"), and how many local changes wait to be pushed or were
  // refused by the server. "" / -1: not said (then not sent).
  std::string client;
  int64_t pending = -1, quarantined = -1;
  // The session fence (PROTOCOL.md §4, "One session at a time"): a
  // session's first request asks the server to open one (`begin`); every
  // later request names the number the server answered (`session`, 0: not
  // said, as from an older client, which is not fenced).
  bool begin = false;
  int64_t session = 0;
};

// A pushed row the server did not apply, and why. `code` is "forbidden"
// (the device may not write this row: another office's, or reference data)
// or "invalid" (the row breaks a rule: a bad NIP, a score out of range).
struct Refusal {
  std::string table, id, column, reason;
  std::string code = "invalid";
};

struct PushAck {
  BatchId id;
  bool applied = false;      // false: applied before, or refused as a whole
  bool clock_ahead = false;  // refused: versions beyond the server's time bound
  std::vector<Refusal> refused;  // rows refused one by one (the rest applied)
  // Refused whole, nothing applied: the push belongs to a session older
  // than the device's latest (a request left in flight by a device that
  // was killed or gave up, or a second sync of the same device).
  bool superseded = false;
};

struct PullBatch {
  std::vector<RowChange> rows;
  int64_t last_seq = 0;  // the new cursor once applied
  bool more = false;     // the server has changes after last_seq
  // The cursor is below the server's compaction horizon: pull a snapshot
  // (from cursor 0) instead. No rows come with it.
  bool snapshot_required = false;
};

// The last push batch of a node that the server applied: where its range
// ends, the hash of its content and the rows it refused. Answered to a
// request that pushes nothing (a session's first), so that a device whose
// acknowledgement was cut confirms that batch instead of sending its rows
// again (PROTOCOL.md §4).
struct AppliedBatch {
  int64_t last_seq = 0;
  int64_t hash = 0;
  std::vector<Refusal> refused;
};

struct SyncResponse {
  int64_t server_time_ms = 0;
  // How long the request waited for the server's store behind other
  // devices' requests: not the link's time, so batch sizes do not adapt to
  // it (PROTOCOL.md §6). 0 when not reported.
  int64_t server_wait_ms = 0;
  std::optional<PushAck> push;
  std::optional<PullBatch> pull;
  std::optional<AppliedBatch> applied;
  // To a request with `begin`: the number of the session it opened (0 from
  // an older server, which fences nothing).
  int64_t session = 0;
};

// Approximate encoded size of a row change (for batch byte limits).
int64_t EncodedSize(const RowChange& row);

}  // namespace latih::sync
