#include "server/core/dashboard.h"

#include <algorithm>
#include <cassert>
#include <string>

#include "server/core/dashboard_files.h"

namespace latih::server {
namespace {

constexpr std::string_view kAssetsPrefix = "/assets/";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const DashboardFile* Find(std::string_view path) {
  const auto files = DashboardFiles();
  const auto it = std::lower_bound(files.begin(), files.end(), path,
                                   [](const DashboardFile& f, std::string_view p) { return f.path < p; });
  return it != files.end() && it->path == path ? &*it : nullptr;
}

void AddSecurityHeaders(HttpResponse& r) {
  r.headers.emplace_back("Content-Security-Policy", kDashboardCsp);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
}

// The body is fixed: the path asked is not echoed.
HttpResponse NotFound() {
  HttpResponse r;
  r.status = 404;
  r.body = R"({"error":{"code":"not_found","message":"no such dashboard file"}})";
  r.log_fields = "error=not_found";
  AddSecurityHeaders(r);
  return r;
}

HttpResponse FileResponse(const HttpRequest& request, const DashboardFile& file) {
  HttpResponse r;
  // Weak: the listener may gzip the body, and both encodings share the tag.
  r.headers.emplace_back("ETag", "W/" + std::string(file.etag));
  r.headers.emplace_back("Cache-Control", "no-cache");
  AddSecurityHeaders(r);
  r.content_type = std::string(DashboardContentType(file.path));
  if (request.Header("if-none-match").find(file.etag) != std::string::npos) {
    r.status = 304;  // the browser's copy is current
    return r;
  }
  r.body = std::string(file.body);
  return r;
}

}  // namespace

const char kDashboardCsp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string_view DashboardContentType(std::string_view path) {
  struct Type {
    std::string_view ext, type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},    {".svg", "image/svg+xml"},
      {".png", "image/png"},                  {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const Type& t : kTypes) {
    if (EndsWith(path, t.ext)) return t.type;
  }
  return "application/octet-stream";
}

std::optional<HttpResponse> ServeDashboard(const HttpRequest& request) {
  assert(request.method == "GET");
  const std::string_view path = request.path;
  if (path == "/" || path == "/index.html") {
    const DashboardFile* index = Find("index.html");
    if (!index) return NotFound();
    return FileResponse(request, *index);
  }
  if (!path.starts_with(kAssetsPrefix)) return std::nullopt;
  const std::string_view name = path.substr(kAssetsPrefix.size());
  const DashboardFile* file = name == "index.html" ? nullptr : Find(name);
  if (!file) return NotFound();
  return FileResponse(request, *file);
}

}  // namespace latih::server
