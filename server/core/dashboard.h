// The BKPSDM dashboard's static files (server/dashboard/, embedded in the
// binary): GET / is index.html, GET /assets/<path> the scripts, styles and
// Chart.js. The pages call the report API (docs/REPORTS.md) themselves; no
// file here needs a token. Stateless and thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "server/core/http_types.h"

namespace latih::server {

// The Content-Security-Policy of every dashboard response: scripts, styles,
// images and fetches from this origin only; no inline script or style, no
// framing, no plugins.
extern const char kDashboardCsp[];

// Answers a GET for the dashboard: "/" and "/index.html" with index.html
// (Cache-Control: no-cache), "/assets/<path>" with that file (its content
// type; a weak ETag, and 304 when If-None-Match names it; revalidated on each
// use, so a new binary's files are seen at once), a 404 JSON error for an
// unknown asset. Every answer carries the CSP above and
// X-Content-Type-Options: nosniff. Returns nullopt for any other path (not
// the dashboard's: the caller answers it).
// REQUIRES: request.method == "GET".
std::optional<HttpResponse> ServeDashboard(const HttpRequest& request);

// The content type served for a file name, by its extension
// ("application/octet-stream" for an unknown one).
std::string_view DashboardContentType(std::string_view path);

}  // namespace latih::server
