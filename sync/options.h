// Every tunable of the sync engine in one place, with its unit and default
// (leveldb options.h, LiteCore ReplicatorTuning.hh). No magic numbers in .cc.
#pragma once

#include <cstdint>

namespace latih::sync {

struct Options {
  // Push and pull batches: a session starts at this many rows (a row is
  // never split)...
  int max_batch_rows = 50;
  // ...and about this many bytes of encoded changes (a single larger row is
  // still sent alone).
  int64_t max_batch_bytes = 16 * 1024;
  // A session adapts its batch size to the link (session.cc): it doubles
  // rows and bytes while round trips take under half of target_round_trip_ms
  // and halves them when one takes longer, within these limits. The server
  // also caps what it sends in one pull at the upper limits. It starts at
  // the smallest size: a session ends at the first cut, and one that began
  // with the batch the last one could not get through would never get
  // through on a link that cuts long transfers (a NAT, a 2G cell). So every
  // attempt carries something, a cut costs at most one batch, and on a LAN
  // batches still grow to amortise each commit within a few round trips.
  int min_batch_rows = 50;
  int max_batch_rows_limit = 10000;
  int64_t min_batch_bytes = 16 * 1024;
  int64_t max_batch_bytes_limit = 4 * 1024 * 1024;
  int64_t target_round_trip_ms = 3000;
  // The server refuses versions stamped more than this ahead of its clock.
  int64_t max_ahead_ms = 5 * 60 * 1000;
  // A measured clock offset beyond this is reported as skew.
  int64_t skew_warning_ms = 2 * 60 * 1000;
  // A new offset differing from the stored one by more than this re-stamps
  // the pending local changes.
  int64_t restamp_threshold_ms = 1000;
  // The server purges a tombstone only when every active device has pulled
  // past it AND the delete is at least this old: a request delayed in the
  // network can never be older than that.
  int tombstone_min_age_days = 7;
  // A client forgets a tombstone (a deleted row's last values and versions)
  // this many days after the delete, once it has been pushed. The server
  // purges by the devices' cursors instead (PROTOCOL.md §8).
  int tombstone_retention_days = 180;
  // Upper bound on round trips in one session (a runaway guard, not a limit
  // a healthy session reaches: 10,000 batches of at least 50 rows).
  int max_round_trips = 10000;
};

}  // namespace latih::sync
