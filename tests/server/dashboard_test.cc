// The dashboard's static files (server/core/dashboard.h) as the Api serves
// them: content types, caching, the security headers, 404s, and that the
// report and sync routes are not shadowed. The pages themselves are tested
// in a real browser by tests/dashboard/browser_test.py.
#include "server/core/dashboard.h"

#include <catch2/catch.hpp>

#include <string>

#include "server/core/api.h"
#include "server/core/dashboard_files.h"
#include "schema/migrations.h"
#include "sync/sqlite/store.h"
#include "tests/support/test_support.h"

namespace latih::server {
namespace {

HttpRequest Get(const std::string& path, std::map<std::string, std::string> headers = {}) {
  HttpRequest r;
  r.method = "GET";
  r.path = path;
  r.headers = std::move(headers);
  return r;
}

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

TEST_CASE("the dashboard's index page is served at / with no-cache and a strict CSP", "[server][dashboard]") {
  for (const char* path : {"/", "/index.html"}) {
    auto r = ServeDashboard(Get(path));
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->content_type == "text/html; charset=utf-8");
    CHECK(HeaderOf(*r, "Cache-Control") == "no-cache");
    CHECK(HeaderOf(*r, "X-Content-Type-Options") == "nosniff");
    const std::string csp = HeaderOf(*r, "Content-Security-Policy");
    CHECK(csp.find("default-src 'none'") != std::string::npos);
    CHECK(csp.find("script-src 'self';") != std::string::npos);
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(r->body.find("/assets/app.js") != std::string::npos);
    // No inline script: every <script> has a src.
    CHECK(r->body.find("<script>") == std::string::npos);
    CHECK(r->body.find("<script type=\"module\">") == std::string::npos);
  }
}

TEST_CASE("every embedded dashboard file is served under /assets with its content type", "[server][dashboard]") {
  REQUIRE(DashboardFiles().size() >= 10);
  for (const DashboardFile& f : DashboardFiles()) {
    INFO(f.path);
    CHECK(DashboardContentType(f.path) != "application/octet-stream");
    if (f.path == "index.html") continue;
    auto r = ServeDashboard(Get("/assets/" + std::string(f.path)));
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->body == f.body);
    CHECK(HeaderOf(*r, "ETag") == "W/" + std::string(f.etag));
    CHECK(HeaderOf(*r, "X-Content-Type-Options") == "nosniff");
    CHECK(!HeaderOf(*r, "Content-Security-Policy").empty());
  }
  auto js = ServeDashboard(Get("/assets/app.js"));
  CHECK(js->content_type == "text/javascript; charset=utf-8");
  auto css = ServeDashboard(Get("/assets/style.css"));
  CHECK(css->content_type == "text/css; charset=utf-8");
  auto svg = ServeDashboard(Get("/assets/favicon.svg"));
  CHECK(svg->content_type == "image/svg+xml");
  // Debian's Chart.js, embedded at build time.
  auto chart = ServeDashboard(Get("/assets/vendor/chart.min.js"));
  CHECK(chart->status == 200);
  CHECK(chart->content_type == "text/javascript; charset=utf-8");
  CHECK(chart->body.find("Chart.js v3.9.1") != std::string::npos);
}

TEST_CASE("an asset the browser already has is answered 304 without a body", "[server][dashboard]") {
  auto first = ServeDashboard(Get("/assets/app.js"));
  const std::string etag = HeaderOf(*first, "ETag");
  REQUIRE(etag.size() > 2);
  auto again = ServeDashboard(Get("/assets/app.js", {{"if-none-match", etag}}));
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  CHECK(HeaderOf(*again, "ETag") == etag);
  auto stale = ServeDashboard(Get("/assets/app.js", {{"if-none-match", "\"0000\""}}));
  CHECK(stale->status == 200);
  CHECK(stale->body == first->body);
}

TEST_CASE("an unknown dashboard file is a 404 JSON error and other paths are left to the API",
          "[server][dashboard]") {
  for (const char* path : {"/assets/nope.js", "/assets/", "/assets/../index.html", "/assets/pages",
                           "/assets/index.html", "/assets//app.js"}) {
    INFO(path);
    auto r = ServeDashboard(Get(path));
    REQUIRE(r.has_value());
    CHECK(r->status == 404);
    CHECK(r->content_type == "application/json");
    CHECK(r->body.find("\"not_found\"") != std::string::npos);
    CHECK(r->body.find("nope") == std::string::npos);  // the path asked is not echoed
    CHECK(HeaderOf(*r, "X-Content-Type-Options") == "nosniff");
  }
  CHECK_FALSE(ServeDashboard(Get("/v1/reports/jp")).has_value());
  CHECK_FALSE(ServeDashboard(Get("/healthz")).has_value());
  CHECK_FALSE(ServeDashboard(Get("/favicon.ico")).has_value());
}

TEST_CASE("the Api serves the dashboard for GET only and keeps its own routes", "[server][dashboard]") {
  test::TempDir dir;
  sync::sqlite::Store::Options o;
  o.migrations = schema::ServerMigrations();
  o.role = sync::sqlite::Store::Role::kServer;
  o.create = true;
  auto store = sync::sqlite::Store::Open(dir.File("server.db"), o, sync::DefaultEnv());
  REQUIRE_OK(store.status());
  test::FakeClock clock;
  const sync::Options options;
  Api api(**store, clock, options);
  HttpResponse index = api.Handle(Get("/"));
  CHECK(index.status == 200);
  CHECK(index.content_type == "text/html; charset=utf-8");
  CHECK(api.Handle(Get("/assets/app.js")).status == 200);
  CHECK(api.Handle(Get("/assets/missing.css")).status == 404);
  CHECK(api.Handle(Get("/healthz")).status == 200);
  HttpResponse unknown = api.Handle(Get("/nowhere"));
  CHECK(unknown.status == 404);
  CHECK(unknown.body.find("no such endpoint") != std::string::npos);
  HttpRequest post = Get("/");
  post.method = "POST";
  CHECK(api.Handle(post).status == 404);
  // /v1/ is never the dashboard's, even for a path it would know.
  CHECK(api.Handle(Get("/v1/assets/app.js")).status == 404);
  CHECK(api.metrics().Render(clock.NowUnixMs()).find("dashboard") != std::string::npos);
}

}  // namespace latih::server
