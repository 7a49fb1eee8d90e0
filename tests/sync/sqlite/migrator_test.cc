#include "sync/sqlite/migrator.h"

#include <catch2/catch.hpp>

#include <vector>

#include "tests/support/test_support.h"

namespace latih::sync::sqlite {
namespace {

using test::TempDir;

std::string SchemaDump(Db& db) {
  auto stmt = db.PrepareOwned(
      "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name");
  REQUIRE(stmt.ok());
  std::string out;
  while (true) {
    auto row = (*stmt)->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    out += (*stmt)->ColumnText(0) + "\n";
  }
  for (const char* table : {"sync_column", "office", "setting"}) {
    auto rows = db.PrepareOwned(std::string("SELECT * FROM ") + table + " ORDER BY 1");
    REQUIRE(rows.ok());
    while (true) {
      auto row = (*rows)->Step();
      REQUIRE(row.ok());
      if (!*row) break;
      for (int i = 0; i < (*rows)->ColumnCount(); ++i) out += ValueToText((*rows)->Column(i)) + "|";
      out += "\n";
    }
  }
  return out;
}

std::unique_ptr<Db> OpenNew(const std::string& path) {
  auto db = Db::Open(path, Db::Mode::kCreate);
  REQUIRE_OK(db.status());
  return std::move(db).value();
}

TEST_CASE("a fresh database gets every migration and the latih application id", "[sync][migrate]") {
  TempDir dir;
  auto db = OpenNew(dir.File("a.db"));
  const auto all = schema::ClientMigrations();
  REQUIRE_OK(Migrate(*db, all));
  auto version = SchemaVersion(*db);
  REQUIRE_OK(version.status());
  CHECK(*version == all.back().version);
  REQUIRE_OK(Migrate(*db, all));  // idempotent
  CHECK(*SchemaVersion(*db) == all.back().version);
}

TEST_CASE("a database built by migrations 1..k then migrated equals a fresh one", "[sync][migrate]") {
  TempDir dir;
  const auto all = schema::ClientMigrations();
  auto fresh = OpenNew(dir.File("fresh.db"));
  REQUIRE_OK(Migrate(*fresh, all));
  const std::string expected = SchemaDump(*fresh);
  for (size_t k = 1; k <= all.size(); ++k) {
    INFO("stopped at migration " << k);
    auto db = OpenNew(dir.File("k" + std::to_string(k) + ".db"));
    REQUIRE_OK(Migrate(*db, all.subspan(0, k)));
    CHECK(*SchemaVersion(*db) == all[k - 1].version);
    REQUIRE_OK(Migrate(*db, all));
    CHECK(SchemaDump(*db) == expected);
  }
}

TEST_CASE("a database from a newer latih is refused with a clear message", "[sync][migrate]") {
  TempDir dir;
  auto db = OpenNew(dir.File("new.db"));
  const auto all = schema::ClientMigrations();
  REQUIRE_OK(Migrate(*db, all));
  REQUIRE_OK(db->Exec("PRAGMA user_version = " + std::to_string(all.back().version + 1)));
  Status s = Migrate(*db, all);
  CHECK(s.code() == StatusCode::kSchemaTooNew);
  CHECK_THAT(s.message(), Catch::Contains("newer than this latih"));
}

TEST_CASE("an SQLite file latih did not create is refused and left alone", "[sync][migrate]") {
  TempDir dir;
  auto db = OpenNew(dir.File("other.db"));
  REQUIRE_OK(db->Exec("CREATE TABLE notes(x); INSERT INTO notes VALUES (1);"));
  Status s = Migrate(*db, schema::ClientMigrations());
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Catch::Contains("did not create"));
  CHECK(*SchemaVersion(*db) == 0);
  auto count = db->PrepareOwned("SELECT count(*) FROM sqlite_schema");
  REQUIRE(count.ok());
  REQUIRE(*(*count)->Step());
  CHECK((*count)->ColumnInt(0) == 1);
}

TEST_CASE("a failing migration leaves the database at the last complete version", "[sync][migrate]") {
  TempDir dir;
  auto db = OpenNew(dir.File("broken.db"));
  const auto all = schema::ClientMigrations();
  std::vector<schema::Migration> list(all.begin(), all.end());
  list.push_back({all.back().version + 1, "9999_broken",
                  "CREATE TABLE half_done(x); INSERT INTO no_such_table VALUES (1);"});
  Status s = Migrate(*db, list);
  CHECK(s.code() == StatusCode::kCorruption);
  CHECK_THAT(s.message(), Catch::Contains("9999_broken"));
  CHECK(*SchemaVersion(*db) == all.back().version);
  auto half = db->PrepareOwned("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'");
  REQUIRE(half.ok());
  REQUIRE(*(*half)->Step());
  CHECK((*half)->ColumnInt(0) == 0);
}

}  // namespace
}  // namespace latih::sync::sqlite
