#include "sync/sqlite/store.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "schema/migrations.h"
#include "sync/domain/ids.h"
#include "tests/support/test_support.h"

namespace latih::sync::sqlite {
namespace {

using test::TempDir;
using test::TestEnv;

std::unique_ptr<Store> OpenStore(const std::string& path, Env& env) {
  auto store = Store::Open(path, {schema::ClientMigrations(), true}, env);
  REQUIRE_OK(store.status());
  return std::move(store).value();
}

std::vector<ColumnValue> Employee(const std::string& nip, const std::string& name) {
  return {{"nip", nip}, {"name", name}, {"office_id", std::string("52.71.01.1004")},
          {"employment_type", std::string("pns")}};
}

std::string EmpId(const std::string& nip) { return domain::NaturalId("employee", {nip}); }

TEST_CASE("an insert logs every column and the row's existence with one version and seq", "[sync][store]") {
  TempDir dir;
  TestEnv t;
  auto store = OpenStore(dir.File("a.db"), t.env);
  const std::string nip = test::TestNip(1);
  auto batch = store->BeginWrite();
  REQUIRE_OK(batch.status());
  auto put = (*batch)->Put("employee", EmpId(nip), Employee(nip, "Ani"));
  REQUIRE_OK(put.status());
  CHECK(put->created);
  REQUIRE_OK((*batch)->Commit());

  auto changes = store->ChangesSince(0, 100);
  REQUIRE_OK(changes.status());
  const TableDef* td = store->catalog().Find("employee");
  REQUIRE(changes->size() == td->columns.size() + 1);
  for (size_t i = 0; i < changes->size(); ++i) {
    const auto& c = (*changes)[i];
    CHECK(c.seq == 1);
    CHECK(c.row_id == EmpId(nip));
    CHECK(c.version == (*changes)[0].version);
    CHECK(c.version.node == store->node_id());
  }
  CHECK((*changes)[0].column.empty());  // existence cell first
}

TEST_CASE("writing identical values logs nothing, a changed column logs only itself", "[sync][store]") {
  TempDir dir;
  TestEnv t;
  auto store = OpenStore(dir.File("a.db"), t.env);
  const std::string nip = test::TestNip(2);
  {
    auto b = store->BeginWrite();
    REQUIRE_OK((*b)->Put("employee", EmpId(nip), Employee(nip, "Budi")).status());
    REQUIRE_OK((*b)->Commit());
  }
  const int64_t seq = test::MaxSeq(*store);
  auto b = store->BeginWrite();
  auto same = (*b)->Put("employee", EmpId(nip), Employee(nip, "Budi"));
  REQUIRE_OK(same.status());
  CHECK(same->changed.empty());
  t.clock.Advance(1000);
  const std::vector<ColumnValue> rank = {{"rank", std::string("III/b")}};
  auto upd = (*b)->Put("employee", EmpId(nip), rank, PutMode::kUpdateOnly);
  REQUIRE_OK(upd.status());
  CHECK(upd->changed == std::vector<std::string>{"rank"});
  REQUIRE_OK((*b)->Commit());
  // Only rank and the row's existence get a new version; the other unpushed
  // cells keep theirs and move with the row in the feed.
  auto before = store->ChangesSince(0, 100);
  REQUIRE(before->size() == store->catalog().Find("employee")->columns.size() + 1);
  int new_versions = 0;
  for (const auto& c : *before) {
    CHECK(c.seq == seq + 1);
    if (c.version.hlc > HlcPack(t.clock.NowUnixMs() - 500, 0)) {
      ++new_versions;
      CHECK((c.column == "rank" || c.column.empty()));
    }
  }
  CHECK(new_versions == 2);
}

TEST_CASE("put modes refuse to create or to overwrite as asked", "[sync][store]") {
  TempDir dir;
  TestEnv t;
  auto store = OpenStore(dir.File("a.db"), t.env);
  const std::string nip = test::TestNip(3);
  auto b = store->BeginWrite();
  auto missing = (*b)->Put("employee", EmpId(nip), Employee(nip, "C"), PutMode::kUpdateOnly);
  CHECK(missing.status().code() == StatusCode::kNotFound);
  REQUIRE_OK((*b)->Put("employee", EmpId(nip), Employee(nip, "C"), PutMode::kInsertOnly).status());
  auto dup = (*b)->Put("employee", EmpId(nip), Employee(nip, "C"), PutMode::kInsertOnly);
  CHECK(dup.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a row that breaks a rule is refused and leaves no trace", "[sync][store]") {
  TempDir dir;
  TestEnv t;
  auto store = OpenStore(dir.File("a.db"), t.env);
  auto b = store->BeginWrite();
  const std::string bad = "198013302010011005";  // birth month 13
  auto r = (*b)->Put("employee", EmpId(bad), Employee(bad, "X"));
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Catch::Contains(bad));
  const std::string good = test::TestNip(4);
  auto wrong_id = (*b)->Put("employee", EmpId(good) + "x", Employee(good, "Y"));
  CHECK(wrong_id.status().code() == StatusCode::kInvalidArgument);
  auto unknown = (*b)->Put("employee", EmpId(good), {{{"shoe_size", int64_t{42}}}});
  CHECK_THAT(unknown.status().message(), Catch::Contains("shoe_size"));
  auto type = (*b)->Put("employee", EmpId(good), {{{"nip", int64_t{5}}}});
  CHECK(type.status().code() == StatusCode::kInvalidArgument);
  REQUIRE_OK((*b)->Commit());
  CHECK(*store->CountRows("employee") == 0);
  CHECK(test::MaxSeq(*store) == 0);
}

TEST_CASE("a delete leaves only a newer tombstone in the change log", "[sync][store]") {
  TempDir dir;
  TestEnv t;
  auto store = OpenStore(dir.File("a.db"), t.env);
  const std::string nip = test::TestNip(5);
  auto b = store->BeginWrite();
  REQUIRE_OK((*b)->Put("employee", EmpId(nip), Employee(nip, "D")).status());
  REQUIRE_OK((*b)->Commit());
  auto first_all = store->ChangesSince(0, 100);
  t.clock.Advance(10);
  auto d = store->BeginWrite();
  REQUIRE_OK((*d)->Delete("employee", EmpId(nip)));
  CHECK((*d)->Delete("employee", EmpId(nip)).code() == StatusCode::kNotFound);
  REQUIRE_OK((*d)->Commit());
  auto after = store->ChangesSince(0, 100);
  REQUIRE(after->size() == first_all->size());
  for (size_t i = 0; i < after->size(); ++i) {
    if ((*after)[i].column.empty()) {
      CHECK((*first_all)[i].version < (*after)[i].version);  // the tombstone is newer
    } else {
      CHECK((*first_all)[i].version == (*after)[i].version);  // the columns keep their versions
    }
  }
  auto row = store->Get("employee", EmpId(nip));
  CHECK(!row->has_value());
}

TEST_CASE("remote cells are applied last-writer-wins and not logged as local changes", "[sync][store]") {
  TempDir dir;
  TestEnv t;
  auto store = OpenStore(dir.File("a.db"), t.env);
  const std::string nip = test::TestNip(6);
  const int64_t peer = 999;
  const Version v1{HlcPack(t.clock.NowUnixMs() + 5000, 0), peer};
  RowChange row{"employee", EmpId(nip), {{"", int64_t{1}, v1, {}}}};
  for (const auto& cv : Employee(nip, "Remote")) row.cells.push_back({cv.column, cv.value, v1, {}});
  auto b = store->BeginWrite();
  auto won = (*b)->ApplyRow(row);
  REQUIRE_OK(won.status());
  CHECK(*won == 5);
  // An older version of the name loses; a newer one wins.
  RowChange older{"employee", EmpId(nip), {{"name", std::string("Old"), {v1.hlc - 1, peer}, {}}}};
  CHECK(*(*b)->ApplyRow(older) == 0);
  RowChange newer{"employee", EmpId(nip), {{"name", std::string("New"), {v1.hlc + 1, peer}, v1}}};
  CHECK(*(*b)->ApplyRow(newer) == 1);
  REQUIRE_OK((*b)->Commit());
  CHECK(*store->CountLocalCells() == 0);  // nothing to push back (no echo)
  CHECK(test::DumpTables(*store).find("|New|") != std::string::npos);
  // A local write after observing the remote stamp orders after it.
  auto l = store->BeginWrite();
  REQUIRE_OK((*l)->Put("employee", EmpId(nip), {{{"rank", std::string("II/a")}}}).status());
  REQUIRE_OK((*l)->Commit());
  auto all = store->ChangesSince(0, 100);
  auto rank_cell = std::find_if(all->begin(), all->end(), [](const CellChange& c) { return c.column == "rank"; });
  REQUIRE(rank_cell != all->end());
  CHECK(rank_cell->version.hlc > v1.hlc + 1);
  CHECK(rank_cell->version.node == store->node_id());
  CHECK(*store->CountLocalCells() == 2);  // rank and the row's existence
}

TEST_CASE("the clock and the node id survive a reopen, even if the wall clock went back", "[sync][store]") {
  TempDir dir;
  TestEnv t;
  int64_t node = 0, last_hlc = 0;
  {
    auto store = OpenStore(dir.File("a.db"), t.env);
    node = store->node_id();
    const std::string nip = test::TestNip(7);
    auto b = store->BeginWrite();
    REQUIRE_OK((*b)->Put("employee", EmpId(nip), Employee(nip, "E")).status());
    REQUIRE_OK((*b)->Commit());
    last_hlc = store->ChangesSince(0, 100)->front().version.hlc;
  }
  t.clock.Set(1'000'000);  // a month-old BIOS clock after a power cut
  auto store = OpenStore(dir.File("a.db"), t.env);
  CHECK(store->node_id() == node);
  const std::string nip = test::TestNip(8);
  auto b = store->BeginWrite();
  REQUIRE_OK((*b)->Put("employee", EmpId(nip), Employee(nip, "F")).status());
  REQUIRE_OK((*b)->Commit());
  CHECK(store->ChangesSince(1, 100)->front().version.hlc > last_hlc);
}

TEST_CASE("an uncommitted batch leaves nothing behind", "[sync][store]") {
  TempDir dir;
  TestEnv t;
  auto store = OpenStore(dir.File("a.db"), t.env);
  {
    auto b = store->BeginWrite();
    const std::string nip = test::TestNip(9);
    REQUIRE_OK((*b)->Put("employee", EmpId(nip), Employee(nip, "G")).status());
  }  // destroyed without Commit
  CHECK(*store->CountRows("employee") == 0);
  CHECK(test::MaxSeq(*store) == 0);
}

TEST_CASE("opening a missing database without create says so", "[sync][store]") {
  TempDir dir;
  TestEnv t;
  auto store = Store::Open(dir.File("missing.db"), {schema::ClientMigrations(), false}, t.env);
  CHECK(store.status().code() == StatusCode::kNotFound);
}

}  // namespace
}  // namespace latih::sync::sqlite
