// libFuzzer target: the server's change-batch validator. The input is a sync
// request as a device sends it (JSON); each row of its push goes through
// what SyncServer::ApplyPush does to a pushed row (sync/sqlite/sync_store.cc):
// WriteBatch::TryApplyRow, i.e. coercion to the column types, the row rules
// (sync/row_rules.h), the office guard (sync/sqlite/scope.h) and the merge,
// against a server store seeded with offices, employees of two offices, a
// training of each kind, a session and a deleted row. The request's "office"
// picks the sender: "" is central HR (no guard), anything else a device of
// that office.
//
// Why a real store and not the row rules alone: the rules, the guard and the
// merge decide together, and the server applies rows without a savepoint
// (ApplyRow checks everything before its first write), which only a store
// can check. Each input runs in one transaction that is rolled back, so
// every input meets the same store: deterministic, and tens of microseconds
// an input where a fresh database would cost milliseconds.
//
// Properties: a row is applied or refused (kInvalidArgument,
// kPermissionDenied), nothing else; a refused row leaves nothing behind (its
// data, change-log entry and tombstone are as before); the answer, with every
// refusal's reason, and whatever was accepted, read back out as a pull,
// encode and decode again.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "schema/migrations.h"
#include "sync/domain/ids.h"
#include "sync/protocol_json.h"
#include "sync/sqlite/scope.h"
#include "sync/sqlite/store.h"
#include "tests/fuzz/fuzz_check.h"

namespace latih::sync::sqlite {
namespace {

constexpr int64_t kNowMs = 1772438400000;  // 2026-03-02T08:00:00Z
constexpr const char* kSelatan = "52.71.01.1004";
constexpr const char* kPejeruk = "52.71.01.1006";

class FixedClock final : public Clock {
 public:
  int64_t NowUnixMs() override { return kNowMs; }
};

class CountingIds final : public IdSource {
 public:
  std::string NewRowId() override { return domain::UuidV7(kNowMs, {0, 0, 0, 0, 0, 0, 0, 0, 0, ++n_}); }
  int64_t NewNodeId() override { return 1000; }

 private:
  uint8_t n_ = 0;
};

// The store every input meets; its directory is removed at exit.
struct Fixture {
  FixedClock clock;
  CountingIds ids;
  Env env{clock, ids};
  std::string dir;
  std::unique_ptr<Store> store;

  Fixture() {
    char tmpl[] = "/tmp/latih-fuzz-rows.XXXXXX";
    if (!mkdtemp(tmpl)) Fail("cannot create a temporary directory");
    dir = tmpl;
    Store::Options o;
    o.migrations = schema::ServerMigrations();
    o.create = true;
    o.role = Store::Role::kServer;
    auto opened = Store::Open(dir + "/server.db", o, env);
    if (!opened.ok()) Fail("open: " + opened.status().ToString());
    store = std::move(opened).value();
    Seed();
  }
  ~Fixture() {
    store.reset();
    for (const char* f : {"/server.db", "/server.db-wal", "/server.db-shm"}) unlink((dir + f).c_str());
    rmdir(dir.c_str());
  }

  static void Fail(const std::string& what) { fuzz::Fail("fuzz_rows set-up: " + what); }

  void Put(WriteBatch& b, const char* table, const std::string& id, std::vector<ColumnValue> values) {
    auto put = b.Put(table, id, values);
    if (!put.ok()) Fail(std::string(table) + " " + id + ": " + put.status().ToString());
  }

  void Seed() {
    auto b = store->BeginWrite();
    if (!b.ok()) Fail(b.status().ToString());
    WriteBatch& w = **b;
    const struct {
      const char* nip;
      const char* office;
      const char* type;
    } employees[] = {{"197804122003121004", kSelatan, "pns"},
                     {"198305222009042002", kSelatan, "pns"},
                     {"197903152005011002", kPejeruk, "pns"},
                     {"199604222022211003", kPejeruk, "pppk"}};
    for (const auto& e : employees) {
      Put(w, "employee", domain::NaturalId("employee", {e.nip}),
          {{"nip", std::string(e.nip)}, {"name", std::string("Pegawai ") + e.nip}, {"office_id", std::string(e.office)},
           {"employment_type", std::string(e.type)}});
    }
    auto training = [&](const std::string& id, Value office) {
      Put(w, "training", id,
          {{"office_id", office}, {"title", std::string("Workshop")}, {"form", int64_t{4}},
           {"route", std::string("klasikal")}, {"competency", std::string("teknis")}, {"jp", 8.0},
           {"minutes", int64_t{360}}, {"start_date", std::string("2026-03-02")}, {"end_date", std::string("2026-03-02")}});
    };
    training("01900000-0000-7000-8000-000000000001", std::string(kSelatan));
    training("01900000-0000-7000-8000-000000000002", Value());  // global
    const std::string session = "01900000-0000-7000-8000-000000000003";
    Put(w, "session", session,
        {{"training_id", std::string("01900000-0000-7000-8000-000000000001")}, {"office_id", std::string(kSelatan)},
         {"date", std::string("2026-03-02")}});
    const std::string employee = domain::NaturalId("employee", {"197804122003121004"});
    Put(w, "attendance", domain::NaturalId("attendance", {session, employee}),
        {{"session_id", session}, {"employee_id", employee}, {"office_id", std::string(kSelatan)},
         {"status", std::string("hadir")}, {"method", std::string("manual")}});
    const std::string gone = "01900000-0000-7000-8000-000000000004";
    Put(w, "skm_response", gone,
        {{"office_id", std::string(kSelatan)}, {"period", std::string("2026-S1")}, {"u1", int64_t{4}},
         {"u2", int64_t{4}}, {"u3", int64_t{4}}, {"u4", int64_t{4}}, {"u5", int64_t{4}}, {"u6", int64_t{4}},
         {"u7", int64_t{4}}, {"u8", int64_t{4}}, {"u9", int64_t{4}}});
    if (Status s = w.Delete("skm_response", gone); !s.ok()) Fail(s.ToString());
    if (Status s = w.Commit(); !s.ok()) Fail(s.ToString());
  }
};

Fixture& TheFixture() {
  static Fixture f;
  return f;
}

// One text of a query's first row, "" when none.
std::string FirstText(Store& store, const char* sql, std::string_view arg) {
  auto s = store.db().PrepareOwned(sql);
  FUZZ_CHECK(s.ok(), s.status().ToString());
  (*s)->Bind(1, arg);
  auto row = (*s)->Step();
  FUZZ_CHECK(row.ok(), row.status().ToString());
  if (!*row) return "";
  return "[" + (*s)->ColumnText(0) + "]";
}

// Everything stored about one row: its data, change-log entry, tombstone.
std::string RowState(Store& store, const RowChange& change) {
  std::string out;
  if (store.catalog().Find(change.table)) {
    auto row = store.Get(change.table, change.id);
    FUZZ_CHECK(row.ok(), row.status().ToString());
    if (*row) {
      for (const auto& v : (*row)->values) out += "|" + ValueToText(v) + "#" + std::to_string(v.index());
    }
  }
  out += " log" + FirstText(store, "SELECT hex(cells) || ' ' || seq FROM change_log WHERE row_id = ?1", change.id);
  out += " deleted" + FirstText(store, "SELECT vals FROM deleted_row WHERE row_id = ?1", change.id);
  return out;
}

int64_t MaxSeq(Store& store) {
  auto s = store.db().PrepareOwned("SELECT coalesce(max(seq), 0) FROM change_log");
  FUZZ_CHECK(s.ok(), s.status().ToString());
  auto row = (*s)->Step();
  FUZZ_CHECK(row.ok() && *row, std::string("no max(seq)"));
  return (*s)->ColumnInt(0);
}

void ApplyPush(const SyncRequest& request) {
  Store& store = *TheFixture().store;
  const Access access = request.office.empty() ? Access::All() : Access::Office(request.office);
  auto begun = store.BeginWrite(/*enforce_references=*/false);
  FUZZ_CHECK(begun.ok(), begun.status().ToString());
  WriteBatch& batch = **begun;
  const int64_t seq_before = MaxSeq(store);
  Scope scope(store, access);
  const RowGuard guard = [&scope](const TableDef& td, const Row* before, const Row& after) {
    return scope.MayWrite(td, before, after);
  };
  SyncResponse out;
  out.push.emplace();
  for (const RowChange& row : request.push->rows) {
    const std::string before = RowState(store, row);
    Status refused = Status::Ok();
    auto applied = batch.TryApplyRow(row, &refused, access.all ? nullptr : &guard);
    FUZZ_CHECK(applied.ok(), "a row failed the batch: " + applied.status().ToString());
    if (refused.ok()) continue;
    FUZZ_CHECK(refused.code() == StatusCode::kInvalidArgument || refused.code() == StatusCode::kPermissionDenied,
               "refused with " + refused.ToString());
    const std::string after = RowState(store, row);
    FUZZ_CHECK(after == before, "a refused row (" + refused.ToString() + ") left a trace\n before: " + before +
                                    "\n after:  " + after);
    out.push->refused.push_back(Refusal{row.table, row.id, "", refused.message()});
  }
  // The answer goes out, refusals and all (an answer that cannot be encoded
  // fails the whole push, again at every retry). So does what was accepted,
  // as a pull to any device of the office.
  out.pull.emplace();
  Store::FeedFilter all;
  auto rows = store.ReadChanges(seq_before, all, 1 << 20, int64_t{1} << 40, &out.pull->last_seq, &out.pull->more);
  FUZZ_CHECK(rows.ok(), "reading back the accepted rows: " + rows.status().ToString());
  out.pull->rows = std::move(rows).value();
  auto back = DecodeResponse(EncodeResponse(out));
  FUZZ_CHECK(back.ok(), "the answer does not decode: " + back.status().ToString());
  FUZZ_CHECK(back->pull->rows.size() == out.pull->rows.size(), std::string("rows lost on the way out"));
}  // the batch rolls back: the next input meets the same store

}  // namespace
}  // namespace latih::sync::sqlite

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace latih::sync;
  auto request = DecodeRequest(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!request.ok() || !request->push) return 0;
  sqlite::ApplyPush(*request);
  return 0;
}
