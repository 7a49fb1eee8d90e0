// The convergence property test (sync/PROTOCOL.md §7): 3-5 client replicas
// and a server replica on real SQLite files, random writes, deletes and
// same-natural-key inserts on different replicas, random partial syncs with
// lost answers, cut connections, duplicated and replayed (reordered) pushes, replicas reopened,
// clocks skewed by days and jumping, tombstones compacted; then a full sync. For every seed: all
// replicas equal, nothing left unacknowledged, natural keys unique.
//
// Seeds: LATIH_SEED=N replays one seed; LATIH_SEEDS=K runs K seeds (default
// 500) starting at LATIH_FIRST_SEED (default 1). tests/tools/convergence.sh
// runs any number and prints the replay command of a failing seed.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <random>
#include <map>
#include <set>
#include <tuple>

#include "tests/sync/sync_fixture.h"

namespace latih::test {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kMinClients = 3, kMaxClients = 5;
constexpr int kMinOps = 40, kMaxOps = 80;
constexpr int kNipPool = 8;
constexpr int kFinalRounds = 4;
const char* const kStatuses[] = {"hadir", "terlambat", "izin", "sakit", "alpa"};

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

// Lines only in `a` ("+") and only in `b` ("-").
std::string LineDiff(const std::string& a, const std::string& b) {
  auto lines = [](const std::string& s) {
    std::multiset<std::string> out;
    size_t start = 0, end;
    while ((end = s.find('\n', start)) != std::string::npos) {
      out.insert(s.substr(start, end - start));
      start = end + 1;
    }
    return out;
  };
  const auto la = lines(a), lb = lines(b);
  std::string diff;
  for (const auto& l : la) if (!lb.count(l)) diff += "+ " + l + "\n";
  for (const auto& l : lb) if (!la.count(l)) diff += "- " + l + "\n";
  return diff;
}

using Migrations = std::span<const schema::Migration>;

constexpr char kWorkshopTraining[] = "01900000-0000-7000-8000-000000000001";  // MakeWorkshop's

class Simulation {
 public:
  explicit Simulation(uint64_t seed) : rng_(seed) {
    options_.max_batch_rows = Pick(1, 4);  // small batches: many boundaries to cut at
    options_.min_batch_rows = 1;
    options_.max_batch_rows_limit = options_.max_batch_rows * Pick(1, 3);  // sometimes adaptive
    const int n = Pick(kMinClients, kMaxClients);
    const int64_t skews[] = {0, 3 * kDayMs, -2 * kDayMs, Pick(-600000, 600000), -3 * kDayMs};
    // Sometimes the first client is a device still on wire schema 1 (its
    // migrations stop before 0011), updated at some point of the run.
    const bool old_device = Pick(0, 1) == 1;
    for (int i = 0; i < n; ++i) {
      old_.push_back(i == 0 && old_device);
      clients_.push_back(std::make_unique<TestReplica>(dir_.File("c" + std::to_string(i) + ".db"), false,
                                                       i + 1, kStartMs + skews[i],
                                                       old_.back() ? ClientSchema1() : Migrations{}));
      nets_.push_back(std::make_unique<LoopbackTransport>(hub_, server_.clock()));
      nets_.back()->accepted = &accepted_;
    }
    sessions_ = MakeWorkshop(server_, 3);
    for (size_t i = 0; i < clients_.size(); ++i) REQUIRE_OK(Sync(i).status());
  }

  void Run() {
    const int ops = Pick(kMinOps, kMaxOps);
    for (int i = 0; i < ops; ++i) {
      Step(static_cast<size_t>(Pick(0, static_cast<int>(clients_.size()) - 1)));
      Advance(Pick(1, 2000));
    }
    for (size_t i = 0; i < clients_.size(); ++i) Upgrade(i);
    for (auto& net : nets_) net->ClearFaults();
    for (int round = 0; round < kFinalRounds; ++round) {
      for (size_t i = 0; i < clients_.size(); ++i) REQUIRE_OK(Sync(i).status());
    }
  }

  void Check() {
    const std::string expected = server_.Dump();
    for (size_t i = 0; i < clients_.size(); ++i) {
      const std::string got = clients_[i]->Dump();
      if (got != expected && std::getenv("LATIH_DEBUG")) {
        for (auto* r : {clients_[i].get(), &server_}) {
          auto st = r->store().LoadSyncState();
          std::fprintf(stderr, "replica node %ld wm=%ld cursor=%ld\n", (long)r->store().node_id(),
                       (long)st->push_watermark, (long)st->pull_cursor);
          auto all = r->store().ChangesSince(0, 1 << 30);
          REQUIRE_OK(all.status());
          for (const auto& c : all.value()) {
            if (std::getenv("LATIH_DEBUG_ROW") && c.row_id != std::getenv("LATIH_DEBUG_ROW")) continue;
            std::fprintf(stderr, "  %s %s seq=%ld v=%ld/%ld\n", c.row_id.c_str(), c.column.c_str(), (long)c.seq,
                         (long)c.version.hlc, (long)c.version.node);
          }
        }
      }
      INFO("client " << i << " differs from the server:\n" << LineDiff(got, expected));
      REQUIRE(got == expected);
      REQUIRE(*clients_[i]->store().CountLocalCells() == 0);  // every write acknowledged
      CheckSameVersions(*clients_[i]);
    }
    REQUIRE(*server_.store().CountRows("employee") == static_cast<int64_t>(nips_written_.size()));
    CheckNoLostWrite();
    CheckHighestVersionWins();
    auto bad = server_.store().db().PrepareOwned(
        "SELECT count(*) FROM sync_conflict WHERE winner_value IS loser_value");
    REQUIRE(*(*bad)->Step());
    REQUIRE((*bad)->ColumnInt(0) == 0);  // a conflict always keeps a different value
  }

 private:
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string Nip() { return TestNip(Pick(1, kNipPool)); }

  Result<sync::SyncReport> Sync(size_t i) { return SyncOnce(*clients_[i], *nets_[i], options_); }

  void Advance(int64_t ms) {
    server_.clock().Advance(ms);
    for (auto& c : clients_) c->clock().Advance(ms);
  }

  void Step(size_t c) {
    TestReplica& r = *clients_[c];
    const int op = Pick(0, 99);
    if (op < 30) {
      const std::string nip = Nip();
      PutAttendance(r, sessions_[Pick(0, 2)], nip, kStatuses[Pick(0, 4)]);
      nips_written_.insert(nip);
    } else if (op < 40) {
      const std::string nip = Nip();
      PutEmployee(r, nip, "Nama " + std::to_string(Pick(0, 9)));
      nips_written_.insert(nip);
    } else if (op < 45 && !old_[c]) {
      PutSkp(r);  // wire schema 2: a new table...
    } else if (op < 48 && !old_[c]) {
      PutCost(r);  // ...and new columns of an existing row
    } else if (op < 48) {
      Upgrade(c);
    } else if (op < 52) {
      DeleteSomeAttendance(r);
    } else if (op < 78) {
      FaultySync(c);
    } else if (op < 86) {
      r.Reopen();
    } else if (op < 89) {
      if (Pick(0, 1)) Advance(8 * kDayMs);     // a long weekend... and then some
      REQUIRE_OK(hub_.Compact(180).status());  // purge what every device has pulled past
    } else if (op < 92) {
      r.clock().Advance(Pick(0, 1) ? Pick(-3, 3) * kDayMs : -Pick(1, 600000));  // jumps, also backwards
    } else {
      Advance(Pick(1, 600000));
    }
  }

  // An SKP of an employee this replica has, with random ratings: several
  // replicas rate the same person and year concurrently.
  void PutSkp(TestReplica& r) {
    static const char* const kRatings[] = {"di_atas", "sesuai", "di_bawah"};
    auto employees = r.store().Select("employee", std::nullopt);
    REQUIRE_OK(employees.status());
    if (employees->empty()) return;
    const std::string employee = (*employees)[Pick(0, static_cast<int>(employees->size()) - 1)].id;
    const std::string year = std::to_string(Pick(2024, 2025));
    auto b = r.store().BeginWrite();
    REQUIRE_OK(b.status());
    std::vector<sync::ColumnValue> cols = {{"hasil_kerja", std::string(kRatings[Pick(0, 2)])},
                                           {"perilaku_kerja", std::string(kRatings[Pick(0, 2)])}};
    // The key columns only when the write creates the row.
    cols.push_back({"employee_id", employee, true});
    cols.push_back({"office_id", std::string(kOffice), true});
    cols.push_back({"year", int64_t{std::stoll(year)}, true});
    cols.push_back({"period", std::string("tahunan"), true});
    REQUIRE_OK((*b)->Put("skp_assessment", domain::NaturalId("skp_assessment", {employee, year, "tahunan"}), cols)
                   .status());
    REQUIRE_OK((*b)->Commit());
  }

  // The workshop's budget, edited on any replica.
  void PutCost(TestReplica& r) {
    auto b = r.store().BeginWrite();
    REQUIRE_OK(b.status());
    std::vector<sync::ColumnValue> cols = {{Pick(0, 1) ? "cost_planned" : "cost_actual", int64_t{Pick(0, 9) * 500'000}}};
    if (Pick(0, 2) == 0) cols.push_back({"funding_source", std::string(Pick(0, 1) ? "apbd_kota" : "apbn")});
    REQUIRE_OK((*b)->Put("training", kWorkshopTraining, cols).status());
    REQUIRE_OK((*b)->Commit());
  }

  // A device on wire schema 1 is updated to this latih (a no-op for the others).
  void Upgrade(size_t c) {
    if (!old_[c]) return;
    clients_[c]->Upgrade();
    old_[c] = false;
  }

  void DeleteSomeAttendance(TestReplica& r) {
    auto rows = r.store().Select("attendance", std::nullopt);
    REQUIRE_OK(rows.status());
    if (rows->empty()) return;
    auto b = r.store().BeginWrite();
    REQUIRE_OK(b.status());
    REQUIRE_OK((*b)->Delete("attendance", (*rows)[Pick(0, static_cast<int>(rows->size()) - 1)].id));
    REQUIRE_OK((*b)->Commit());
  }

  void FaultySync(size_t c) {
    LoopbackTransport& net = *nets_[c];
    net.exchanges = 0;
    net.lose_response_at = Pick(0, 2) == 0 ? Pick(1, 4) : 0;
    net.fail_at = Pick(0, 3) == 0 ? Pick(1, 4) : 0;
    net.duplicate_push = Pick(0, 4) == 0;
    net.replay_old_push = Pick(0, 4) == 0;
    auto report = Sync(c);
    if (!report.ok()) {
      INFO(report.status().ToString());
      REQUIRE(report.status().code() == StatusCode::kUnavailable);  // only the injected cuts
    }
  }

  // Equal values are not enough: a cell whose version differs between a
  // client and the server (with echoes suppressed, nobody would ever fix
  // it) could make them diverge at the next concurrent write. Every cell
  // both still know must carry the same version.
  void CheckSameVersions(TestReplica& client) {
    auto versions = [](TestReplica& r) {
      std::map<std::pair<std::string, std::string>, sync::Version> out;
      auto all = r.store().ChangesSince(0, 1 << 30);
      REQUIRE_OK(all.status());
      for (const auto& c : all.value()) out[{c.row_id, c.column}] = c.version;
      return out;
    };
    const auto mine = versions(client), theirs = versions(server_);
    for (const auto& [cell, v] : mine) {
      auto it = theirs.find(cell);
      if (it == theirs.end()) continue;  // a tombstone purged on one side
      INFO("cell " << cell.first << " '" << cell.second << "': client " << v.hlc << "/" << v.node
                   << ", server " << it->second.hlc << "/" << it->second.node);
      REQUIRE(v == it->second);
    }
  }

  // PROTOCOL.md §7 invariant 2: every cell the server accepted is in the
  // final state (by value), or was overwritten by a write that had seen it
  // (its base) or by its own writer's later write, or is recorded as a
  // conflict loser on some replica.
  void CheckNoLostWrite() {
    std::set<std::tuple<std::string, std::string, int64_t, int64_t>> losers;
    std::vector<TestReplica*> all = {&server_};
    for (auto& c : clients_) all.push_back(c.get());
    for (auto* r : all) {
      auto conflicts = r->store().ListConflicts(true);
      REQUIRE_OK(conflicts.status());
      for (const auto& c : *conflicts) losers.emplace(c.row_id, c.column, c.loser.hlc, c.loser.node);
    }
    // Directly explained: present, overwritten knowingly or by its own
    // writer, or a recorded loser. A write whose value another explained
    // write of the same cell also carries is explained too (equal values
    // written concurrently lose nothing).
    auto direct = [&](const LoopbackTransport::Accepted& a) {
      const sync::Version v = a.cell.version;
      const std::string final_value = FinalValue(a.table, a.row_id, a.cell.column);
      // A deleted row's columns are not visible state: its delete is checked
      // on its existence cell.
      if (final_value == sync::ValueToText(a.cell.value) || final_value == "<deleted>") return true;
      if (losers.count({a.row_id, a.cell.column, v.hlc, v.node})) return true;
      for (const auto& b : accepted_) {
        if (b.row_id != a.row_id || b.cell.column != a.cell.column) continue;
        if (b.cell.base == v || (b.cell.version.node == v.node && v < b.cell.version)) return true;
      }
      return false;
    };
    std::set<std::tuple<std::string, std::string, std::string>> explained_values;
    for (const auto& a : accepted_) {
      if (direct(a)) explained_values.emplace(a.row_id, a.cell.column, sync::ValueToText(a.cell.value));
    }
    for (const auto& a : accepted_) {
      const bool explained = explained_values.count({a.row_id, a.cell.column, sync::ValueToText(a.cell.value)}) > 0;
      INFO("lost write: " << a.table << " " << a.row_id << " '" << a.cell.column << "' = "
                          << sync::ValueToText(a.cell.value) << " by node " << a.cell.version.node << "; final "
                          << FinalValue(a.table, a.row_id, a.cell.column));
      if (!explained && std::getenv("LATIH_DEBUG")) {
        for (const auto& b : accepted_) {
          if (b.row_id == a.row_id && b.cell.column == a.cell.column) {
            std::fprintf(stderr, "accepted %s v=%ld/%ld base=%ld/%ld\n", sync::ValueToText(b.cell.value).c_str(),
                         (long)b.cell.version.hlc, (long)b.cell.version.node, (long)b.cell.base.hlc,
                         (long)b.cell.base.node);
          }
        }
        for (const auto& l : losers) {
          if (std::get<0>(l) == a.row_id) {
            std::fprintf(stderr, "loser col='%s' v=%ld/%ld\n", std::get<1>(l).c_str(), (long)std::get<2>(l),
                         (long)std::get<3>(l));
          }
        }
      }
      REQUIRE(explained);
    }
  }

  // Last writer wins: every cell's final version on the server is at least
  // every version it accepted for that cell (a stale write never wins, a
  // delete is never undone by an older edit).
  void CheckHighestVersionWins() {
    auto final_cells = server_.store().ChangesSince(0, 1 << 30);
    REQUIRE_OK(final_cells.status());
    std::map<std::pair<std::string, std::string>, sync::Version> final_version;
    for (const auto& c : *final_cells) final_version[{c.row_id, c.column}] = c.version;
    for (const auto& a : accepted_) {
      auto it = final_version.find({a.row_id, a.cell.column});
      if (it == final_version.end()) continue;  // purged by compaction
      INFO("cell " << a.row_id << " '" << a.cell.column << "' ended below an accepted version");
      REQUIRE(!(it->second < a.cell.version));
    }
  }

  std::string FinalValue(const std::string& table, const std::string& id, const std::string& column) {
    auto row = server_.store().Get(table, id);
    REQUIRE_OK(row.status());
    if (column.empty()) return row->has_value() ? "1" : "0";
    const int i = server_.store().catalog().Find(table)->ColumnIndex(column);
    if (row->has_value()) return sync::ValueToText((*row)->values[i]);
    return "<deleted>";  // the columns of a deleted row are not visible state
  }

  std::vector<LoopbackTransport::Accepted> accepted_;
  std::mt19937_64 rng_;
  // Memory-backed when available: this test checks merge logic, not fsync.
  TempDir dir_{access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"};
  sync::Options options_;
  TestReplica server_{dir_.File("server.db"), true, 1000, kStartMs};
  sync::sqlite::SyncServer hub_{server_.store(), server_.clock(), options_};
  std::vector<std::unique_ptr<TestReplica>> clients_;
  std::vector<bool> old_;  // still on wire schema 1
  std::vector<std::unique_ptr<LoopbackTransport>> nets_;
  std::vector<std::string> sessions_;
  std::set<std::string> nips_written_;
};

TEST_CASE("replicas converge for every seed, whatever the faults and clocks", "[sync][convergence]") {
  const int64_t one = EnvInt("LATIH_SEED", 0);
  const int64_t first = one ? one : EnvInt("LATIH_FIRST_SEED", 1);
  const int64_t count = one ? 1 : EnvInt("LATIH_SEEDS", 500);
  for (int64_t seed = first; seed < first + count; ++seed) {
    INFO("seed " << seed << " (replay: LATIH_SEED=" << seed << " latih_tests '[convergence]')");
    Simulation sim(static_cast<uint64_t>(seed));
    sim.Run();
    sim.Check();
  }
}

}  // namespace
}  // namespace latih::test
