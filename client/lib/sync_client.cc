#include "client/lib/sync_client.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "client/lib/messages.h"
#include "sync/sqlite/sync_store.h"

namespace latih::client {
namespace {

using sync::sqlite::Stmt;

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Result<std::optional<ServerLink>> SyncClient::LoadLink() {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_.store().db().Prepare(
      "SELECT url, token, device_name, coalesce(cacert, ''), enrolled_at FROM server_link"));
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  std::optional<ServerLink> link;
  if (found) link = ServerLink{s->ColumnText(0), s->ColumnText(2), s->ColumnText(3), s->ColumnText(4), s->ColumnText(1)};
  s->Reset();
  return link;
}

Result<EnrollOutcome> SyncClient::Enroll(const std::string& url_in, const std::string& token,
                                         const std::string& cacert) {
  const std::string url = TrimSlash(url_in);
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Status::Invalid(Say(Msg::kServerUrlScheme, {url}));
  }
  if (token.empty()) return Status::Invalid(Say(Msg::kTokenEmpty, {}));
  HttpOptions http;
  http.server_url = url;
  http.token = token;
  http.cacert_file = cacert;
  CurlTransport transport(http);
  const nlohmann::json body = {{"node", db_.store().node_id()}, {"office", db_.office_id()}};
  LATIH_ASSIGN_OR_RETURN(std::string answer, transport.PostJson("/v1/enroll", body.dump()));
  auto j = nlohmann::json::parse(answer, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("name")) {
    return Status::Invalid(Say(Msg::kEnrollAnswerUnreadable, {}));
  }
  const std::string own = j["token"].is_string() ? j["token"].get<std::string>() : token;
  EnrollOutcome out{j.value("name", ""), j["office"].is_string() ? j["office"].get<std::string>() : "",
                    j.value("role", "")};
  if (!out.office.empty() && out.office != db_.office_id()) {
    return Status::PermissionDenied(Say(Msg::kEnrollOtherOffice, {out.office, db_.office_id()}));
  }
  LATIH_ASSIGN_OR_RETURN(auto batch, db_.store().BeginWrite());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_.store().db().Prepare(
      "INSERT INTO server_link(singleton, url, token, device_name, cacert, enrolled_at) "
      "VALUES (1, ?1, ?2, ?3, nullif(?4, ''), strftime('%Y-%m-%dT%H:%M:%fZ', ?5 / 1000.0, 'unixepoch')) "
      "ON CONFLICT(singleton) DO UPDATE SET url = ?1, token = ?2, device_name = ?3, cacert = nullif(?4, ''), "
      "enrolled_at = excluded.enrolled_at"));
  s->Bind(1, url).Bind(2, own).Bind(3, out.name).Bind(4, cacert).Bind(5, env_.clock.NowUnixMs());
  LATIH_RETURN_IF_ERROR(s->Run());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return out;
}

Status SyncClient::RecordAttempt(const Status& outcome) {
  LATIH_ASSIGN_OR_RETURN(auto batch, db_.store().BeginWrite());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_.store().db().Prepare(
      outcome.ok()
          ? "UPDATE sync_attempt SET last_ok_at = strftime('%Y-%m-%dT%H:%M:%fZ', ?1 / 1000.0, 'unixepoch'), "
            "last_error_at = NULL, last_error = NULL, failures = 0"
          : "UPDATE sync_attempt SET last_error_at = strftime('%Y-%m-%dT%H:%M:%fZ', ?1 / 1000.0, 'unixepoch'), "
            "last_error = ?2, failures = failures + 1"));
  s->Bind(1, env_.clock.NowUnixMs());
  if (!outcome.ok()) s->Bind(2, outcome.ToString());
  LATIH_RETURN_IF_ERROR(s->Run());
  return batch->Commit();
}

Result<SyncOutcome> SyncClient::Sync(std::function<void(const sync::SyncProgress&, const WireStats&)> progress) {
  retry_after_s_ = 0;
  LATIH_ASSIGN_OR_RETURN(auto link, LoadLink());
  if (!link) return Status::NotFound(Say(Msg::kNotEnrolled, {}));
  HttpOptions http;
  http.server_url = link->url;
  http.token = link->token;
  http.cacert_file = link->cacert;
  http.low_speed_time_s = stall_timeout_s_;
  http.stop = stop_;
  CurlTransport transport(http);
  sync::sqlite::SqliteSyncStore store(db_.store());
  sync::SyncSession session(store, transport, env_.clock, options_);
  {
    // For HR's freshness report: this program, and what waits here: rows
    // changed since the server's last acknowledgement (a count over the
    // change log's key, cheap however much waits), and refused rows.
    LATIH_ASSIGN_OR_RETURN(sync::sqlite::Stmt* q, db_.store().db().Prepare(
        "SELECT (SELECT count(*) FROM change_log WHERE seq > (SELECT push_watermark FROM replica)), "
        "(SELECT count(*) FROM quarantine)"));
    LATIH_ASSIGN_OR_RETURN(bool row, q->Step());
    const int64_t pending = row ? q->ColumnInt(0) : 0, quarantined = row ? q->ColumnInt(1) : 0;
    q->Reset();
    session.set_self_report("latih/" LATIH_VERSION, pending, quarantined);
  }
  sync::SyncProgress last;
  if (progress) {
    // Per round trip from the session, and live bytes of the request in
    // flight from curl (a 2G upload takes seconds: show it moving).
    session.set_progress([&](const sync::SyncProgress& p) {
      last = p;
      progress(p, transport.stats());
    });
    transport.set_progress([&](int64_t up_now, int64_t, int64_t down_now, int64_t) {
      WireStats live = transport.stats();
      live.bytes_up += up_now;
      live.bytes_down += down_now;
      progress(last, live);
    });
  }
  const auto start = std::chrono::steady_clock::now();
  auto report = session.Run();
  retry_after_s_ = report.ok() ? 0 : transport.retry_after_s();
  (void)RecordAttempt(report.status());  // bookkeeping; the sync's own outcome matters more
  if (!report.ok()) return report.status();
  SyncOutcome out;
  out.report = std::move(report).value();
  out.wire = transport.stats();
  out.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                       .count();
  return out;
}

Result<SyncHealth> SyncClient::Health() {
  SyncHealth h;
  LATIH_ASSIGN_OR_RETURN(h.link, LoadLink());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_.store().db().Prepare(
      "SELECT coalesce(last_ok_at, ''), coalesce(last_error_at, ''), coalesce(last_error, ''), failures "
      "FROM sync_attempt"));
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  if (found) {
    h.last_ok_at = s->ColumnText(0);
    h.last_error_at = s->ColumnText(1);
    h.last_error = s->ColumnText(2);
    h.failures = s->ColumnInt(3);
  }
  s->Reset();
  LATIH_ASSIGN_OR_RETURN(auto q, db_.store().db().PrepareOwned(
      "SELECT tbl, row_id, code, reason, refused_at FROM quarantine ORDER BY refused_at, row_id"));
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    h.quarantined.push_back({q->ColumnText(0), q->ColumnText(1), q->ColumnText(2), q->ColumnText(3), q->ColumnText(4)});
  }
  return h;
}

Result<bool> SyncClient::HasPending() {
  LATIH_ASSIGN_OR_RETURN(int64_t n, db_.store().CountLocalCells());
  return n > 0;
}

}  // namespace latih::client
