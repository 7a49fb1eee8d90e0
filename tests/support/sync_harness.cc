#include "tests/support/sync_harness.h"

#include "schema/migrations.h"

namespace latih::test {

TestReplica::TestReplica(const std::string& path, bool server, int64_t node_seed, int64_t start_ms,
                         std::span<const schema::Migration> migrations)
    : path_(path),
      server_(server),
      migrations_(!migrations.empty() ? migrations
                  : server            ? schema::ServerMigrations()
                                      : schema::ClientMigrations()),
      env_(node_seed) {
  env_.clock.Set(start_ms);
  Reopen();
  if (!server_) {
    auto office = store_->ReplicaOffice();
    if (office.ok() && !office->has_value()) REQUIRE_OK(store_->SetReplicaOffice("52.71.01.1004"));
  }
}

void TestReplica::Reopen() {
  store_.reset();
  sync::sqlite::Store::Options options;
  options.migrations = migrations_;
  options.create = true;
  options.role = server_ ? sync::sqlite::Store::Role::kServer : sync::sqlite::Store::Role::kClient;
  auto store = sync::sqlite::Store::Open(path_, options, env_.env);
  REQUIRE_OK(store.status());
  store_ = std::move(store).value();
}

void TestReplica::Upgrade() {
  migrations_ = server_ ? schema::ServerMigrations() : schema::ClientMigrations();
  Reopen();
}

Result<sync::SyncResponse> LoopbackTransport::Exchange(const sync::SyncRequest& request) {
  ++exchanges;
  auto record_for = [&](const sync::SyncRequest& sent, const Result<sync::SyncResponse>& response) {
    if (!accepted || !response.ok() || !response->push || !response->push->applied) return;
    for (const auto& row : sent.push->rows) {
      bool refused = false;
      for (const auto& r : response->push->refused) refused |= r.id == row.id;
      if (refused) continue;
      for (const auto& cell : row.cells) accepted->push_back({row.table, row.id, cell});
    }
  };
  auto record = [&](const Result<sync::SyncResponse>& response) { record_for(request, response); };
  constexpr int64_t kReplayWindowMs = 3600 * 1000;
  const int64_t now = server_clock_.NowUnixMs();
  std::erase_if(sent_pushes_, [&](const auto& p) { return p.first < now - kReplayWindowMs; });
  if (replay_old_push && !sent_pushes_.empty()) {
    replay_old_push = false;
    const sync::SyncRequest old = sent_pushes_[sent_pushes_.size() / 2].second;
    record_for(old, server_.Handle(old, peer));  // its answer goes nowhere
  }
  if (request.push) sent_pushes_.emplace_back(now, request);
  if (fail_at == exchanges) return Status::Unavailable("loopback: connection failed");
  if (hold_at == exchanges) {
    held_ = request;
    return Status::Unavailable("loopback: held in the network");
  }
  if (held_ && request.begin) {  // the held request arrives just after this one is answered
    auto answer = server_.Handle(request, peer);
    record(answer);
    held_answer = server_.Handle(*held_, peer);
    record_for(*held_, *held_answer);
    held_.reset();
    return answer;
  }
  const int pushed = request.push ? static_cast<int>(request.push->rows.size()) : 0;
  if (cut_over_rows > 0 && pushed > cut_over_rows) return Status::Unavailable("loopback: cut during the request");
  if (duplicate_push && request.push) {
    auto first = server_.Handle(request, peer);
    if (!first.ok()) return first.status();
    record(first);
  }
  auto response = server_.Handle(request, peer);
  record(response);
  if (lose_response_at == exchanges) return Status::Unavailable("loopback: response lost");
  const int pulled = response.ok() && response->pull ? static_cast<int>(response->pull->rows.size()) : 0;
  if (cut_over_rows > 0 && pushed + pulled > cut_over_rows) {
    return Status::Unavailable("loopback: cut during the response");
  }
  return response;
}

Result<sync::SyncReport> SyncOnce(TestReplica& client, sync::Transport& transport,
                                  const sync::Options& options) {
  sync::sqlite::SqliteSyncStore store(client.store());
  sync::SyncSession session(store, transport, client.clock(), options);
  return session.Run();
}

}  // namespace latih::test
