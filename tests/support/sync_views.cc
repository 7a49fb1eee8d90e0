#include "tests/support/sync_views.h"

#include "schema/migrations.h"
#include "sync/postgres/pg_db.h"
#include "sync/sqlite/scope.h"
#include "tests/support/test_support.h"

namespace latih::test {

std::unique_ptr<sync::sqlite::Store> OpenServerDb(const std::string& path) {
  sync::sqlite::Store::Options o;
  o.migrations = schema::ServerMigrations();
  o.role = sync::sqlite::Store::Role::kServer;
  if (sync::postgres::IsPostgresUrl(path)) {
    o.migrations = schema::PostgresMigrations();
    auto db = sync::postgres::Connect(path);
    REQUIRE_OK(db.status());
    auto s = sync::sqlite::Store::Open(std::move(db).value(), o, sync::DefaultEnv());
    REQUIRE_OK(s.status());
    return std::move(s).value();
  }
  auto s = sync::sqlite::Store::Open(path, o, sync::DefaultEnv());
  REQUIRE_OK(s.status());
  return std::move(s).value();
}

std::unique_ptr<sync::sqlite::Store> OpenClientDb(const std::string& path) {
  auto s = sync::sqlite::Store::Open(path, {schema::ClientMigrations(), false}, sync::DefaultEnv());
  REQUIRE_OK(s.status());
  return std::move(s).value();
}

std::string OfficeView(sync::sqlite::Store& server, const std::string& office) {
  sync::sqlite::Scope scope(server, sync::sqlite::Access::Office(office));
  std::string out;
  for (const auto& td : server.catalog().tables()) {
    auto rows = server.Select(td.name, std::nullopt);
    REQUIRE_OK(rows.status());
    for (const auto& r : *rows) {
      auto visible = scope.MayRead(td, r);
      REQUIRE_OK(visible.status());
      if (!*visible) continue;
      out += td.name + " " + r.id;
      for (const auto& v : r.values) out += "|" + sync::ValueToText(v);
      out += "\n";
    }
  }
  return out;
}

std::string Text(sync::sqlite::Store& store, const std::string& sql) {
  auto s = store.db().PrepareOwned(sql);
  REQUIRE_OK(s.status());
  auto row = (*s)->Step();
  REQUIRE_OK(row.status());
  REQUIRE(*row);
  return (*s)->ColumnText(0);
}

void SetServerUrl(const std::string& db, const std::string& url) {
  auto store = OpenClientDb(db);
  auto s = store->db().PrepareOwned("UPDATE server_link SET url = ?1");
  REQUIRE_OK(s.status());
  (*s)->Bind(1, url);
  REQUIRE_OK((*s)->Run());
  REQUIRE(store->db().Changes() == 1);
}

int64_t Count(sync::sqlite::Store& store, const std::string& sql) {
  auto s = store.db().PrepareOwned(sql);
  REQUIRE_OK(s.status());
  auto row = (*s)->Step();
  REQUIRE_OK(row.status());
  return (*s)->ColumnInt(0);
}

}  // namespace latih::test
