// latih-server: the central server. `serve` answers the sync protocol over
// HTTP; the admin commands (office, device, user) work on the same database:
// an SQLite file (the default) or a PostgreSQL database (--db postgres://...,
// docs/DEPLOY.md). README "Running a server" has the whole picture.
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>
#include <nlohmann/json.hpp>

#include "schema/migrations.h"
#include "server/core/api.h"
#include "server/core/credentials.h"
#include "server/core/store_copy.h"
#include "server/http/listener.h"
#include "sync/env.h"
#include "sync/postgres/pg_db.h"
#include "sync/sqlite/checkpointer.h"
#include "sync/sqlite/store.h"

namespace {

using namespace latih;

enum ExitCode : int { kOk = 0, kInternal = 1, kUsage = 2, kInvalid = 3, kNotFound = 4, kDatabase = 5 };

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return kOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kPermissionDenied: return kInvalid;
    case StatusCode::kNotFound: return kNotFound;
    case StatusCode::kIOError:
    case StatusCode::kCorruption:
    case StatusCode::kUnavailable:
    case StatusCode::kUnauthenticated:  // the database refused our credentials
    case StatusCode::kSchemaTooNew: return kDatabase;
    default: return kInternal;
  }
}

int Fail(const Status& s) {
  std::cerr << "latih-server: error: " << s.message() << "\n";
  return ExitCodeFor(s);
}

struct Context {
  std::string db_path = "data/latih-server.db";
  int exit_code = kOk;
};

// Opens (creating if needed) the server database; creates the default
// data directory owner-only. A postgres:// URL opens (and migrates) that
// PostgreSQL database, which must exist.
Result<std::unique_ptr<sync::sqlite::Store>> OpenStore(const Context& ctx) {
  sync::sqlite::Store::Options options;
  options.role = sync::sqlite::Store::Role::kServer;
  if (sync::postgres::IsPostgresUrl(ctx.db_path)) {
    LATIH_ASSIGN_OR_RETURN(auto db, sync::postgres::Connect(ctx.db_path));
    options.migrations = schema::PostgresMigrations();
    return sync::sqlite::Store::Open(std::move(db), options, sync::DefaultEnv());
  }
  const std::filesystem::path dir = std::filesystem::path(ctx.db_path).parent_path();
  if (!dir.empty() && !std::filesystem::exists(dir)) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
  }
  options.migrations = schema::ServerMigrations();
  options.create = true;
  return sync::sqlite::Store::Open(ctx.db_path, options, sync::DefaultEnv());
}

// A command callback that opens the server database, runs `body` on it and
// turns a failure into the exit code and message.
template <typename F>
std::function<void()> WithStore(Context& ctx, F body) {
  return [&ctx, body] {
    auto store = OpenStore(ctx);
    Status s = store.ok() ? body(**store) : store.status();
    if (!s.ok()) ctx.exit_code = Fail(s);
  };
}

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::Invalid("--listen must be ADDR:PORT, not '" + listen + "'");
  const std::string host = listen.substr(0, colon), port = listen.substr(colon + 1);
  char* end = nullptr;
  const long p = std::strtol(port.c_str(), &end, 10);
  if (host.empty() || port.empty() || *end != '\0' || p < 0 || p > 65535) {
    return Status::Invalid("--listen must be ADDR:PORT with a port 0-65535, not '" + listen + "'");
  }
  return std::make_pair(host, static_cast<int>(p));
}

// `latih-server serve`'s options.
struct ServeOptions {
  std::string listen = "127.0.0.1:8080", cert, key;
  int64_t max_body = 16 * 1024 * 1024;
  int retention_days = 180;
  int64_t max_queue_wait_s = server::kDefaultMaxQueueWaitMs / 1000;
  int store_connections = 0;  // 0: 1 on SQLite, kPostgresConnections on PostgreSQL
};

// Store connections of one instance on PostgreSQL by default: requests of
// several devices run at once (only pushes wait for each other, through the
// write lock). Safe since the session fence (sync/PROTOCOL.md §4, "One
// session at a time"): a killed device's push still in flight on one
// connection can no longer apply after its next session began on another.
constexpr int kPostgresConnections = 4;

int Serve(const Context& ctx, const ServeOptions& so) {
  const std::string& listen = so.listen;
  const std::string& cert = so.cert;
  const std::string& key = so.key;
  auto where = ParseListen(listen);
  if (!where.ok()) return Fail(where.status());
  // Each request decodes on one of cpprestsdk's pool threads; with glibc's
  // default of 8 arenas per core, freed batches stayed in per-thread arenas
  // (docs/BENCHMARKS.md: 400-650 MiB peak at 100,000 rows; ~105 MiB with 1).
  mallopt(M_ARENA_MAX, 2);
  if (cert.empty() != key.empty()) return Fail(Status::Invalid("--tls-cert and --tls-key go together"));
  auto store = OpenStore(ctx);
  if (!store.ok()) return Fail(store.status());
  sync::SystemClock clock;
  const sync::Options options;
  server::Api api(**store, clock, options);
  api.set_max_queue_wait_ms(so.max_queue_wait_s * 1000);
  const bool postgres = (*store)->db().dialect() != sync::sqlite::Dialect::kSqlite;
  const int connections = so.store_connections > 0 ? so.store_connections : postgres ? kPostgresConnections : 1;
  if (connections > 1 && !postgres) {
    return Fail(Status::Invalid("--store-connections above 1 needs PostgreSQL: SQLite has one writer"));
  }
  std::vector<std::unique_ptr<sync::sqlite::Store>> more_stores;
  for (int i = 1; i < connections; ++i) {
    auto more = OpenStore(ctx);
    if (!more.ok()) return Fail(more.status());
    more_stores.push_back(std::move(more).value());
    api.add_store(*more_stores.back());
  }
  // Reports read on a connection of their own (the file exists and is
  // migrated by now), so that a long report does not hold up syncs.
  auto report_store = OpenStore(ctx);
  if (!report_store.ok()) return Fail(report_store.status());
  api.set_report_store(report_store->get());

  // Block the stop signals before any thread starts, then wait for them here.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  std::mutex log_mu;
  auto log = [&log_mu](const std::string& line) {
    std::lock_guard<std::mutex> lock(log_mu);
    std::cerr << line << std::endl;
  };
  // SQLite: WAL checkpoints off the request path (sync/sqlite/checkpointer.h).
  std::unique_ptr<sync::sqlite::Checkpointer> checkpointer;
  if ((*store)->db().dialect() == sync::sqlite::Dialect::kSqlite) {
    auto started = sync::sqlite::Checkpointer::Start((*store)->db(), {}, log);
    if (!started.ok()) return Fail(started.status());
    checkpointer = std::move(started).value();
  }
  server::http::ListenerConfig config;
  config.host = where->first;
  config.port = where->second;
  config.tls_cert_file = cert;
  config.tls_key_file = key;
  config.max_body_bytes = so.max_body;
  // A worker per store connection and one more to decode beside them.
  config.workers = std::max<int>({2, static_cast<int>(std::thread::hardware_concurrency()), connections + 1});
  auto listener = server::http::StartListener(
      config, [&api](const server::HttpRequest& r) { return api.Handle(r); }, log);
  if (!listener.ok()) return Fail(listener.status());
  if (config.host != "127.0.0.1" && config.host != "localhost" && config.host != "::1") {
    log("warning: listening on " + config.host + ": cpprestsdk must not face a network directly; put nginx in "
        "front (server/deploy/nginx) and listen on 127.0.0.1");
  }
  std::cout << "latih-server: listening on " << (*listener)->url() << " (database " << (*store)->db().path() << ")"
            << std::endl;
  // The reports' summary is built while the first requests are served
  // (a city's attendance takes seconds to read once).
  std::thread warm([&api, &log] {
    const auto start = std::chrono::steady_clock::now();
    auto n = api.WarmReports();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    log(n.ok() ? "reports summary ready employees=" + std::to_string(*n) + " ms=" + std::to_string(ms.count())
               : "reports summary failed: " + n.status().ToString());
  });

  constexpr int kCompactEverySeconds = 6 * 3600;
  while (true) {
    timespec wait{kCompactEverySeconds, 0};
    const int sig = sigtimedwait(&stop, nullptr, &wait);
    if (sig == SIGINT || sig == SIGTERM) break;
    if (sig < 0 && errno == EAGAIN) {
      auto purged = api.Compact(so.retention_days);
      log(purged.ok() ? "compaction purged=" + std::to_string(*purged)
                      : "compaction failed: " + purged.status().ToString());
    }
  }
  log("stopping");
  (*listener)->Stop();
  warm.join();
  return kOk;
}

void PrintCredentials(const std::vector<server::CredentialInfo>& list, bool json_out) {
  if (json_out) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : list) {
      out.push_back({{"id", c.who.id}, {"name", c.who.name}, {"role", c.who.role}, {"office", c.who.office},
                     {"enrolled_at", c.enrolled_at}, {"revoked_at", c.revoked_at}, {"last_seen_at", c.last_seen_at},
                     {"created_at", c.created_at}});
    }
    std::cout << out.dump(2) << "\n";
    return;
  }
  for (const auto& c : list) {
    const std::string state = !c.revoked_at.empty() ? "revoked " + c.revoked_at
                              : !c.enrolled_at.empty() ? "enrolled " + c.enrolled_at
                              : c.who.kind == "device" ? "waiting for enrollment" : "active";
    std::cout << c.who.id << "\t" << (c.who.office.empty() ? c.who.role : c.who.office) << "\t" << c.who.name
              << "\t" << state << (c.last_seen_at.empty() ? "" : "\tlast seen " + c.last_seen_at) << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  Context ctx;
  if (const char* env = std::getenv("LATIH_SERVER_DB"); env && *env) ctx.db_path = env;
  CLI::App app{"latih-server: the central latih server (sync, enrollment, administration).", "latih-server"};
  app.add_option("--db", ctx.db_path, "Server database (default: $LATIH_SERVER_DB, else ./data/latih-server.db)");
  app.require_subcommand(1);
  // --db may also follow the command (`latih-server serve --db PATH`, as the
  // shipped unit has it): subcommands pass options they do not know up.
  app.fallthrough();
  app.footer("Exit codes: 0 ok, 2 usage, 3 input refused, 4 not found, 5 database error, 1 internal error.");

  ServeOptions so;
  auto* serve = app.add_subcommand("serve", "Answer the sync protocol over HTTP until SIGTERM/SIGINT");
  serve->add_option("--listen", so.listen, "ADDR:PORT to listen on; port 0 picks a free one (default 127.0.0.1:8080)");
  serve->add_option("--tls-cert", so.cert, "PEM certificate chain (HTTPS; with --tls-key)");
  serve->add_option("--tls-key", so.key, "PEM private key");
  serve->add_option("--max-body-bytes", so.max_body, "Largest request body accepted (default 16 MiB)");
  serve->add_option("--retention-days", so.retention_days, "Tombstones are purged after devices pulled past them and "
                                                        "this many days of device inactivity (default 180)");
  serve->add_option("--max-queue-wait", so.max_queue_wait_s,
                    "A sync request that waited longer than this for its turn is answered 503 busy with a "
                    "Retry-After instead of served late; 0: never (default 20 s)")
      ->check(CLI::Range(int64_t{0}, int64_t{3600}));
  serve->add_option("--store-connections", so.store_connections,
                    "Store connections of this instance, used by requests in parallel (PostgreSQL only; "
                    "default 4; see docs/DEPLOY.md)")
      ->check(CLI::Range(1, 64));
  serve->callback([&] { ctx.exit_code = Serve(ctx, so); });

  bool json_out = false;
  auto* office = app.add_subcommand("office", "Offices known to the server");
  office->require_subcommand(1);
  std::string code, name, level = "kelurahan", parent;
  auto* office_add = office->add_subcommand("add", "Add an office (it reaches every device at its next sync)");
  office_add->add_option("--code", code, "Office code, e.g. 52.71.01.1014")->required();
  office_add->add_option("--name", name, "Office name")->required();
  office_add->add_option("--level", level, "provinsi, kota, kecamatan, kelurahan or instansi (default kelurahan)");
  office_add->add_option("--parent", parent, "Parent office code (default: the code without its last part)");
  office_add->callback(WithStore(ctx, [&](sync::sqlite::Store& store) -> Status {
    if (parent.empty() && code.rfind('.') != std::string::npos) parent = code.substr(0, code.rfind('.'));
    auto batch = store.BeginWrite();
    if (!batch.ok()) return batch.status();
    std::vector<sync::ColumnValue> values = {{"name", name}, {"level", level}};
    values.push_back({"parent_id", parent.empty() ? sync::Value() : sync::Value(parent)});
    auto put = (*batch)->Put("office", code, values, sync::sqlite::PutMode::kInsertOnly);
    Status s = put.ok() ? (*batch)->Commit() : put.status();
    if (!s.ok()) return s;
    std::cout << "office " << code << " " << name << " added\n";
    return Status::Ok();
  }));
  auto* office_list = office->add_subcommand("list", "List offices");
  office_list->add_flag("--json", json_out, "JSON output");
  office_list->callback(WithStore(ctx, [&](sync::sqlite::Store& store) -> Status {
    auto rows = store.Select("office", std::nullopt);
    if (!rows.ok()) return rows.status();
    const sync::TableDef* td = store.catalog().Find("office");
    nlohmann::json out = nlohmann::json::array();
    for (const auto& row : *rows) {
      auto col = [&](const char* c) { return sync::ValueToText(row.values[td->ColumnIndex(c)]); };
      if (json_out) {
        out.push_back({{"code", row.id}, {"name", col("name")}, {"level", col("level")}, {"parent", col("parent_id")}});
      } else {
        std::cout << row.id << "\t" << col("level") << "\t" << col("name") << "\n";
      }
    }
    if (json_out) std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }));

  auto* device = app.add_subcommand("device", "Office devices");
  device->require_subcommand(1);
  auto* enroll = device->add_subcommand("enroll", "Create a device and print its one-time enrollment token");
  enroll->add_option("--office", code, "Office code the device records for")->required();
  enroll->add_option("--name", name, "Device name, unique in its office (e.g. \"Meja 1\")")->required();
  enroll->callback(WithStore(ctx, [&](sync::sqlite::Store& store) -> Status {
    server::Credentials creds(store);
    auto token = creds.AddDevice(code, name);
    if (!token.ok()) return token.status();
    std::cerr << "Device '" << name << "' of office " << code << " created. Its enrollment token, shown once and "
              << "valid for one enrollment:\n";
    std::cout << *token << "\n";
    std::cerr << "On the device: latih enroll --server https://SERVER --token TOKEN\n";
    return Status::Ok();
  }));
  int64_t id = 0;
  auto* device_list = device->add_subcommand("list", "List devices");
  device_list->add_flag("--json", json_out, "JSON output");
  device_list->callback(WithStore(ctx, [&](sync::sqlite::Store& store) -> Status {
    auto list = server::Credentials(store).List(false);
    if (!list.ok()) return list.status();
    PrintCredentials(*list, json_out);
    return Status::Ok();
  }));
  auto revoke = WithStore(ctx, [&](sync::sqlite::Store& store) -> Status {
    Status s = server::Credentials(store).Revoke(id);
    if (!s.ok()) return s;
    std::cout << "revoked " << id << "\n";
    return Status::Ok();
  });
  auto* device_revoke = device->add_subcommand("revoke", "Revoke a device: its token stops working at once");
  device_revoke->add_option("ID", id, "Device id (see device list)")->required();
  device_revoke->callback(revoke);

  auto* user = app.add_subcommand("user", "Central users (HR, admins)");
  user->require_subcommand(1);
  std::string role;
  auto* user_add = user->add_subcommand("add", "Create a central user and print its token (shown once)");
  user_add->add_option("--name", name, "User name")->required();
  user_add->add_option("--role", role, "hr (reads every office, writes global trainings) or admin")->required();
  user_add->callback(WithStore(ctx, [&](sync::sqlite::Store& store) -> Status {
    auto token = server::Credentials(store).AddUser(name, role);
    if (!token.ok()) return token.status();
    std::cerr << "User '" << name << "' (" << role << ") created. Its token, shown once:\n";
    std::cout << *token << "\n";
    return Status::Ok();
  }));
  auto* user_list = user->add_subcommand("list", "List central users");
  user_list->add_flag("--json", json_out, "JSON output");
  user_list->callback(WithStore(ctx, [&](sync::sqlite::Store& store) -> Status {
    auto list = server::Credentials(store).List(true);
    if (!list.ok()) return list.status();
    PrintCredentials(*list, json_out);
    return Status::Ok();
  }));
  auto* user_revoke = user->add_subcommand("revoke", "Revoke a user's token");
  user_revoke->add_option("ID", id, "User id (see user list)")->required();
  user_revoke->callback(revoke);

  std::string from, to;
  auto* migrate = app.add_subcommand(
      "migrate-store", "Copy a stopped SQLite server's whole database into an empty PostgreSQL database "
                       "(docs/DEPLOY.md); devices carry on where they were");
  migrate->add_option("--from", from, "The SQLite server database (stop its server first)")->required();
  migrate->add_option("--to", to, "postgresql://... of an empty database (no password in the URL: use ~/.pgpass)")
      ->required();
  migrate->callback([&] {
    Status s = [&]() -> Status {
      if (!sync::postgres::IsPostgresUrl(to)) return Status::Invalid("--to must be a postgresql:// URL, not '" + to + "'");
      if (sync::postgres::IsPostgresUrl(from)) return Status::Invalid("--from must be an SQLite server database file");
      if (!std::filesystem::exists(from)) return Status::NotFound("no database at " + from);
      Context source = ctx, target = ctx;
      source.db_path = from;
      target.db_path = to;
      LATIH_ASSIGN_OR_RETURN(auto src, OpenStore(source));
      LATIH_ASSIGN_OR_RETURN(auto dst, OpenStore(target));
      const auto start = std::chrono::steady_clock::now();
      LATIH_ASSIGN_OR_RETURN(auto tables, server::CopyStore(*src, *dst, [](const server::CopiedTable& t) {
        std::cout << t.name << "\t" << t.rows << "\n" << std::flush;
      }));
      int64_t rows = 0;
      for (const auto& t : tables) rows += t.rows;
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cout << "copied " << rows << " rows of " << tables.size() << " tables from " << from << " to "
                << dst->db().path() << " in " << static_cast<int64_t>(seconds * 1000) << " ms; start the "
                << "server on the new URL, devices keep their cursors\n";
      return Status::Ok();
    }();
    if (!s.ok()) ctx.exit_code = Fail(s);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "latih-server: usage error: " << e.what() << "\nRun 'latih-server --help'.\n";
    return kUsage;
  } catch (const std::exception& e) {
    std::cerr << "latih-server: internal error: " << e.what() << "\n";
    return kInternal;
  }
  return ctx.exit_code;
}
