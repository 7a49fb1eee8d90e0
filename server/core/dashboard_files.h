// The dashboard's static files, embedded in the binary at build time by
// server/embed_dashboard.cmake (server/dashboard/ and Debian's Chart.js).
// Used by dashboard.cc only; immutable data, thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace latih::server {

struct DashboardFile {
  std::string_view path;  // below /assets/, e.g. "app.js", "pages/ikm.js"; "index.html" for /
  std::string_view etag;  // quoted, from the file's SHA-256: "\"0123abcd...\""
  std::string_view body;
};

// Every embedded file, sorted by path. Static storage.
std::span<const DashboardFile> DashboardFiles();

}  // namespace latih::server
