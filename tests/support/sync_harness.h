// In-process sync harness: client and server replicas on real SQLite files,
// each with its own controllable clock, and a loopback transport that calls
// the server's handler directly (no sockets) and can lose, duplicate or cut
// exchanges. Not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "schema/migrations.h"
#include "sync/options.h"
#include "sync/session.h"
#include "sync/sqlite/store.h"
#include "sync/sqlite/sync_store.h"
#include "tests/support/test_support.h"

namespace latih::test {

// One replica: a Store on a file, with its own clock (skewable) and ids.
class TestReplica {
 public:
  // `migrations`: the database's migrations (an older latih: a prefix of
  // its side's); empty: all of them.
  TestReplica(const std::string& path, bool server, int64_t node_seed, int64_t start_ms,
              std::span<const schema::Migration> migrations = {});
  sync::sqlite::Store& store() { return *store_; }
  FakeClock& clock() { return env_.clock; }
  // Closes and reopens the database (as after a crash or restart).
  void Reopen();
  // Closes it and reopens it with every migration of its side (an older
  // device updated to this latih).
  void Upgrade();
  std::string Dump() { return DumpTables(*store_); }

 private:
  std::string path_;
  bool server_;
  std::span<const schema::Migration> migrations_;
  TestEnv env_;
  std::unique_ptr<sync::sqlite::Store> store_;
};

// Calls SyncServer::Handle in-process. Faults, each consumed when it fires:
//   lose_response_after(n): the n-th next exchange is applied by the server
//     but the client gets kUnavailable (a cut after the request arrived);
//   fail_before(n): the n-th next exchange never reaches the server;
//   duplicate_push: every push is delivered twice (the second answer wins);
//   hold_at(n): the n-th next exchange is held in the network (the client
//     gets kUnavailable, as a device killed or timed out with it in
//     flight) and reaches the server just after the next session's first
//     request is answered.
//   cut_over_rows: see below (a standing fault).
class LoopbackTransport final : public sync::Transport {
 public:
  // `server_clock` must outlive this object.
  LoopbackTransport(sync::sqlite::SyncServer& server, sync::Clock& server_clock)
      : server_(server), server_clock_(server_clock) {}
  Result<sync::SyncResponse> Exchange(const sync::SyncRequest& request) override;
  void ClearFaults() {
    lose_response_at = fail_at = cut_over_rows = hold_at = 0;
    duplicate_push = replay_old_push = false;
  }

  // Every cell the server accepted from a push (its batch was applied; the
  // client may not have heard back), for the no-lost-write check.
  struct Accepted {
    std::string table, row_id;
    sync::WireCell cell;
  };
  std::vector<Accepted>* accepted = nullptr;

  // Before the next exchange, deliver again a push this transport sent in
  // the last hour (server time): a delayed, reordered copy from the network.
  bool replay_old_push = false;

  // Who the server takes the client for (default: a local tool, every office).
  sync::sqlite::Peer peer;

  int lose_response_at = 0;  // 1-based index of the exchange to lose, 0 = none
  int fail_at = 0;
  int hold_at = 0;
  // The held request's answer, once delivered (the client never sees it).
  std::optional<Result<sync::SyncResponse>> held_answer;
  // A link that carries only so much per connection (a NAT or proxy that
  // cuts long transfers), in rows: a push of more rows never reaches the
  // server; one whose push and pulled rows together are more is applied but
  // its answer is lost. 0 = none; not consumed.
  int cut_over_rows = 0;
  bool duplicate_push = false;
  int exchanges = 0;

 private:
  sync::sqlite::SyncServer& server_;
  sync::Clock& server_clock_;
  std::vector<std::pair<int64_t, sync::SyncRequest>> sent_pushes_;  // (server time, request)
  std::optional<sync::SyncRequest> held_;
};

// Runs one session of `client` against `server` over `transport`.
Result<sync::SyncReport> SyncOnce(TestReplica& client, sync::Transport& transport,
                                  const sync::Options& options);

}  // namespace latih::test
