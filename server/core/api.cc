#include "server/core/api.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "server/core/dashboard.h"
#include "server/core/reports.h"
#include "server/core/tokens.h"
#include "sync/protocol_json.h"

namespace latih::server {
namespace {

using nlohmann::json;

std::string BearerToken(const HttpRequest& request) {
  const std::string h = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (h.size() <= kBearer.size() || h.compare(0, kBearer.size(), kBearer) != 0) return "";
  return h.substr(kBearer.size());
}

HttpResponse JsonResponse(const json& body) {
  HttpResponse r;
  r.body = body.dump();
  return r;
}

}  // namespace

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = json{{"error", {{"code", code}, {"message", message}}}}.dump();
  r.log_fields = "error=" + code;
  return r;
}

HttpResponse ErrorResponse(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument: return ErrorResponse(400, "bad_request", status.message());
    case StatusCode::kUnauthenticated: {
      HttpResponse r = ErrorResponse(401, "unauthenticated", status.message());
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"latih\"");
      return r;
    }
    case StatusCode::kPermissionDenied: return ErrorResponse(403, "forbidden", status.message());
    case StatusCode::kNotFound: return ErrorResponse(404, "not_found", status.message());
    case StatusCode::kProtocolMismatch: return ErrorResponse(409, "protocol_mismatch", status.message());
    case StatusCode::kUnavailable: return ErrorResponse(503, "unavailable", status.message());
    default: return ErrorResponse(500, "internal", "internal error: " + status.ToString());
  }
}

Api::Api(sync::sqlite::Store& store, sync::Clock& clock, const sync::Options& options)
    : clock_(clock), options_(options) {
  add_store(store);
}

void Api::add_store(sync::sqlite::Store& store) {
  lanes_.push_back(std::make_unique<Lane>(store, clock_, options_));
  std::lock_guard<std::mutex> lock(lanes_mu_);
  idle_.push_back(lanes_.back().get());
}

Api::Lease Api::Borrow() {
  std::unique_lock<std::mutex> lock(lanes_mu_);
  lane_returned_.wait(lock, [this] { return !idle_.empty(); });
  Lane* lane = idle_.back();
  idle_.pop_back();
  return Lease(*this, lane);
}

Api::Lease::~Lease() {
  {
    std::lock_guard<std::mutex> lock(api_.lanes_mu_);
    api_.idle_.push_back(lane_);
  }
  api_.lane_returned_.notify_one();
}

HttpResponse Api::Handle(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  HttpResponse response;
  std::string route = "other";
  if (request.path == "/v1/sync" || request.path == "/v1/enroll") {
    route = request.path;
    if (request.method != "POST") {
      response = ErrorResponse(405, "method_not_allowed", request.path + " takes POST");
      response.headers.emplace_back("Allow", "POST");
    } else {
      response = request.path == "/v1/sync" ? Sync(request) : Enroll(request);
    }
  } else if (request.path.rfind("/v1/reports/", 0) == 0) {
    route = "/v1/reports";
    response = Report(request);
  } else if (request.path == "/healthz" && request.method == "GET") {
    route = request.path;
    response = Healthz();
  } else if (request.path == "/metrics" && request.method == "GET") {
    route = request.path;
    response.content_type = "text/plain; version=0.0.4";
    response.body = metrics_.Render(clock_.NowUnixMs());
  } else if (auto page = request.method == "GET" && !request.path.starts_with("/v1/") ? ServeDashboard(request)
                                                                                       : std::nullopt) {
    route = "dashboard";  // "/", "/assets/...": the dashboard's static files
    response = std::move(*page);
  } else {
    response = ErrorResponse(404, "not_found", "no such endpoint: " + request.method + " " + request.path);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.CountRequest(route, response.status, seconds);
  return response;
}

HttpResponse Api::Report(const HttpRequest& request) {
  Result<Principal> who = Borrow()->credentials.Authenticate(BearerToken(request));
  if (!who.ok()) return ErrorResponse(who.status());
  if (!who->IsCentral()) {
    return ErrorResponse(403, "forbidden", "reports are for central HR (an hr or admin token); "
                                           "a device sees its office's data through sync");
  }
  const std::string what = request.path.substr(std::string_view("/v1/reports/").size());
  auto params = ParseQuery(request.query);
  if (!params.ok()) return ErrorResponse(params.status());
  const std::string fields = "cred=" + std::to_string(who->id) + " report=" + what.substr(0, what.find('/'));

  // POST /v1/reports/conflicts/ID/resolve {"keep": "winner"|"loser"}: a write, on the writer.
  constexpr std::string_view kConflicts = "conflicts/";
  if (what.rfind(kConflicts, 0) == 0 && what.size() > kConflicts.size() + 8 &&
      what.compare(what.size() - 8, 8, "/resolve") == 0) {
    if (request.method != "POST") {
      HttpResponse r = ErrorResponse(405, "method_not_allowed", request.path + " takes POST");
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    const std::string id_text = what.substr(kConflicts.size(), what.size() - 8 - kConflicts.size());
    if (id_text.empty() || id_text.size() > 18 || id_text.find_first_not_of("0123456789") != std::string::npos) {
      return ErrorResponse(404, "not_found", "no conflict " + id_text);
    }
    const json body = json::parse(request.body, nullptr, false);
    const std::string keep = body.is_object() && body.contains("keep") && body["keep"].is_string()
                                 ? body["keep"].get<std::string>() : "";
    if (keep != "winner" && keep != "loser") {
      return ErrorResponse(400, "bad_request", "the body must be {\"keep\": \"winner\"} or {\"keep\": \"loser\"}");
    }
    auto out = ResolveConflict(Borrow()->store, std::stoll(id_text), keep == "loser");
    if (!out.ok()) return ErrorResponse(out.status());
    if (out->changed) {
      HttpResponse r = ErrorResponse(409, "conflict_changed",
                                     "the value changed since the conflict was recorded; it is now " +
                                         out->current_value.dump());
      r.log_fields = fields + " " + r.log_fields;
      return r;
    }
    HttpResponse r = JsonResponse({{"id", std::stoll(id_text)}, {"kept", keep}, {"current_value", out->current_value}});
    r.log_fields = fields + " resolved=" + id_text + " kept=" + keep;
    return r;
  }
  if (request.method != "GET") {
    HttpResponse r = ErrorResponse(405, "method_not_allowed", request.path + " takes GET");
    r.headers.emplace_back("Allow", "GET");
    return r;
  }
  auto run = [&](sync::sqlite::Store& store, const sync::sqlite::CreditSummary* summary) -> Result<server::Report> {
    Reports reports(store, clock_, summary);
    if (what == "offices") return reports.Offices();
    if (what == "jp") return reports.Jp(*params);
    if (what == "trainings") return reports.Trainings(*params);
    if (what.rfind("trainings/", 0) == 0 && what.size() > 10 && what.find('/', 10) == std::string::npos) {
      return reports.Training(what.substr(10));
    }
    if (what == "ikm") return reports.Ikm(*params);
    if (what == "freshness") return reports.Freshness(*params);
    if (what == "conflicts") return reports.Conflicts(*params);
    if (what == "siasn") return reports.Siasn(*params);
    if (what == "reminders") return reports.Reminders(*params);
    if (what == "impact") return reports.Impact(*params);
    if (what == "costs") return reports.Costs(*params);
    return Status::NotFound("no such report: " + what +
                            " (offices, jp, trainings, ikm, freshness, conflicts, siasn, reminders, impact, costs)");
  };
  Result<server::Report> report = Status::Unavailable("not run");
  if (reader_ != nullptr) {
    std::lock_guard<std::mutex> lock(reader_mu_);
    const bool summed = what == "jp" || what == "trainings" || what == "siasn" || what == "reminders" ||
                        what == "impact";
    auto caught_up = summed ? summary_.Refresh(*reader_) : Result<int64_t>(int64_t{0});
    report = caught_up.ok() ? run(*reader_, summed ? &summary_ : nullptr) : Result<server::Report>(caught_up.status());
  } else {
    report = run(Borrow()->store, nullptr);
  }
  if (!report.ok()) return ErrorResponse(report.status());
  HttpResponse r;
  r.log_fields = fields;
  const auto format = params->find("format");
  if (format == params->end() || format->second.empty() || format->second == "json") {
    r.body = RenderJson(*report);
    return r;
  }
  if (format->second != "csv") return ErrorResponse(400, "bad_request", "format must be json or csv, not '" +
                                                                          format->second + "'");
  const auto table = params->find("table");
  auto csv = RenderCsv(*report, table == params->end() ? "" : table->second);
  if (!csv.ok()) return ErrorResponse(csv.status());
  r.body = std::move(*csv);
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + CsvFileName(*report, *params) + "\"");
  return r;
}

Result<int64_t> Api::WarmReports() {
  std::lock_guard<std::mutex> lock(reader_mu_);
  if (reader_ == nullptr) return int64_t{0};
  return summary_.Refresh(*reader_);
}

HttpResponse Api::Healthz() {
  auto s = Borrow()->store.db().Exec("SELECT 1");
  if (!s.ok()) return ErrorResponse(503, "unavailable", "database: " + s.message());
  return JsonResponse({{"status", "ok"}, {"protocol", sync::kProtocolVersion}, {"schema", sync::kWireSchemaVersion},
                       {"min_schema", sync::kMinWireSchemaVersion}, {"time", clock_.NowUnixMs()}});
}

Status Api::CheckShape(const sync::SyncRequest& request) const {
  if (!request.push) return Status::Ok();
  const auto& rows = request.push->rows;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string at = "push.rows[" + std::to_string(i) + "]";
    const sync::TableDef* td = lanes_.front()->store.catalog().Find(rows[i].table);  // the same on every lane
    if (!td) return Status::Invalid(at + ".t: unknown table '" + rows[i].table + "'");
    for (size_t c = 0; c < rows[i].cells.size(); ++c) {
      const std::string& col = rows[i].cells[c].column;
      if (!col.empty() && td->ColumnIndex(col) < 0) {
        return Status::Invalid(at + ".c[" + std::to_string(c) + "]: table " + td->name + " has no column '" + col +
                               "'");
      }
    }
  }
  return Status::Ok();
}

std::optional<HttpResponse> Api::Shed(const HttpRequest& request) {
  if (max_queue_wait_ms_ <= 0) return std::nullopt;
  const int64_t waited_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - request.received_at).count();
  if (waited_ms <= max_queue_wait_ms_) return std::nullopt;
  // The requests behind this one have waited up to as long: spread their
  // retries over [waited, 2 x waited] so that they come back at about the
  // rate the server has been answering (PROTOCOL.md §10, "A busy server").
  thread_local std::mt19937_64 rng(std::random_device{}());
  const double waited_s = static_cast<double>(waited_ms) / 1000.0;
  const double retry = std::uniform_real_distribution<double>(waited_s, 2 * waited_s)(rng);
  const int64_t retry_s = std::clamp<int64_t>(static_cast<int64_t>(std::ceil(retry)), 1, 600);
  HttpResponse r = ErrorResponse(503, "busy", "the server is busy: this request waited " +
                                                  std::to_string(waited_ms / 1000) + " s for its turn; try again in " +
                                                  std::to_string(retry_s) + " s");
  r.headers.emplace_back("Retry-After", std::to_string(retry_s));
  r.log_fields += " waited_ms=" + std::to_string(waited_ms) + " retry_after=" + std::to_string(retry_s);
  metrics_.CountShed();
  return r;
}

HttpResponse Api::Sync(const HttpRequest& request) {
  // Shed before any work, and again when the store's turn comes (the wait
  // for it is part of the queue).
  if (auto busy = Shed(request)) return std::move(*busy);
  // Who asks comes first: strangers learn nothing.
  Result<Principal> who = Borrow()->credentials.Authenticate(BearerToken(request));
  if (!who.ok()) return ErrorResponse(who.status());
  // Where a sync's time goes, for its log line: decoding, the store, encoding.
  const auto decode_start = std::chrono::steady_clock::now();
  auto decoded = sync::DecodeRequest(request.body);
  const auto decode_end = std::chrono::steady_clock::now();
  if (!decoded.ok()) return ErrorResponse(400, "bad_request", decoded.status().message());
  sync::SyncRequest& req = decoded.value();
  if (req.protocol != sync::kProtocolVersion) {
    return ErrorResponse(409, "protocol_mismatch",
                         "this server speaks sync protocol " + std::to_string(sync::kProtocolVersion) +
                             ", this device " + std::to_string(req.protocol) + ": update latih on the " +
                             (req.protocol < sync::kProtocolVersion ? "device" : "server"));
  }
  // PROTOCOL.md §6, "Schema evolution": an older device is served (its
  // pulls leave out what its schema lacks); a newer one waits for the
  // server's upgrade, and one older than the oldest served for its own.
  if (req.schema < sync::kMinWireSchemaVersion || req.schema > sync::kWireSchemaVersion) {
    return ErrorResponse(409, "schema_mismatch",
                         "this server has data schema " + std::to_string(sync::kWireSchemaVersion) +
                             " and serves devices from schema " + std::to_string(sync::kMinWireSchemaVersion) +
                             ", this device has " + std::to_string(req.schema) + ": update latih on the " +
                             (req.schema < sync::kMinWireSchemaVersion ? "device" : "server"));
  }
  if (Status shape = CheckShape(req); !shape.ok()) return ErrorResponse(shape);
  Lease lane = Borrow();
  if (auto busy = Shed(request)) return std::move(*busy);
  // Queued behind other requests since the body arrived, decoding included
  // (it is this request's own work, but small next to a busy server's queue).
  const int64_t wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - request.received_at).count();
  std::string fields = "cred=" + std::to_string(who->id) + " node=" + std::to_string(req.node);
  if (Status node = lane->credentials.CheckNode(*who, req.node); !node.ok()) {
    HttpResponse r = ErrorResponse(node);
    r.log_fields = fields + " " + r.log_fields;
    return r;
  }
  sync::sqlite::Peer peer;
  peer.credential_id = who->id;
  if (who->IsCentral()) {
    peer.access = sync::sqlite::Access::All();
  } else {
    if (req.office != who->office) {
      return ErrorResponse(403, "forbidden", "this device is enrolled for office " + who->office +
                                                 ", not " + (req.office.empty() ? "(none)" : req.office));
    }
    peer.access = sync::sqlite::Access::Office(who->office);
    fields += " office=" + who->office;
  }
  if (req.push) peer.body_sha256 = Sha256Hex(request.body);
  const auto store_start = std::chrono::steady_clock::now();
  auto answered = lane->server.Handle(req, peer);
  const auto store_end = std::chrono::steady_clock::now();
  if (!answered.ok()) {
    HttpResponse r = ErrorResponse(answered.status());
    r.log_fields = fields + " " + r.log_fields;
    return r;
  }
  const int64_t now = clock_.NowUnixMs();
  (void)lane->credentials.Touch(who->id, now);  // bookkeeping only: never fails a sync
  if (!req.client.empty() || req.pending >= 0 || req.quarantined >= 0) {
    (void)lane->credentials.RecordStatus(who->id, req.client, req.pending, req.quarantined);  // likewise
  }
  metrics_.SawDevice(who->id, now);
  sync::SyncResponse& out = answered.value();
  out.server_wait_ms = wait_ms;  // the device's batch size must not shrink for it
  if (out.session > 0) {
    fields += " session=" + std::to_string(out.session) + " begin=1";
  } else if (req.session > 0) {
    fields += " session=" + std::to_string(req.session);
  }
  int64_t forbidden = 0, invalid = 0;
  if (out.push) {
    for (const auto& r : out.push->refused) (r.code == "forbidden" ? forbidden : invalid)++;
    const int64_t accepted = out.push->applied ? static_cast<int64_t>(req.push->rows.size()) - forbidden - invalid : 0;
    fields += " push=" + std::to_string(req.push->rows.size()) + " accepted=" + std::to_string(accepted) +
              " refused=" + std::to_string(forbidden + invalid) +
              // applied=false: a resend of an applied batch, or a batch
              // refused whole for its clock (the device re-stamps it) or
              // because a newer session of the device began.
              (out.push->clock_ahead  ? " clock_ahead=1"
               : out.push->superseded ? " superseded=1"
               : out.push->applied    ? ""
                                      : " resend=1");
    metrics_.CountChanges(accepted, forbidden, invalid, 0);
  }
  if (out.pull) {
    fields += " pull=" + std::to_string(out.pull->rows.size()) + " cursor=" + std::to_string(out.pull->last_seq);
    metrics_.CountChanges(0, 0, 0, static_cast<int64_t>(out.pull->rows.size()));
  }
  HttpResponse r;
  r.body = sync::EncodeResponse(out);
  const auto encode_end = std::chrono::steady_clock::now();
  auto ms = [](auto from, auto to) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", std::chrono::duration<double, std::milli>(to - from).count());
    return std::string(buf);
  };
  fields += " decode_ms=" + ms(decode_start, decode_end) + " wait_ms=" + std::to_string(wait_ms) +
            " store_ms=" + ms(store_start, store_end) +
            " encode_ms=" + ms(store_end, encode_end);
  r.log_fields = fields;
  return r;
}

HttpResponse Api::Enroll(const HttpRequest& request) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return ErrorResponse(400, "bad_request", "body is not a JSON object");
  auto node = body.find("node");
  if (node == body.end() || !node->is_number_integer()) {
    return ErrorResponse(400, "bad_request", "node: missing or not an integer");
  }
  const std::string office = body.contains("office") && body["office"].is_string() ? body["office"].get<std::string>()
                                                                                  : "";
  auto enrolled = Borrow()->credentials.Enroll(BearerToken(request), node->get<int64_t>(), office);
  if (!enrolled.ok()) return ErrorResponse(enrolled.status());
  const Principal& who = enrolled->who;
  HttpResponse r = JsonResponse({{"token", enrolled->token.empty() ? json(nullptr) : json(enrolled->token)},
                                 {"id", who.id},
                                 {"kind", who.kind},
                                 {"name", who.name},
                                 {"role", who.role},
                                 {"office", who.office.empty() ? json(nullptr) : json(who.office)},
                                 {"protocol", sync::kProtocolVersion},
                                 {"schema", sync::kWireSchemaVersion},
                                 {"time", clock_.NowUnixMs()}});
  r.log_fields = "cred=" + std::to_string(who.id) + " enrolled=1";
  return r;
}

Result<int> Api::Compact(int retention_days) { return Borrow()->server.Compact(retention_days); }

}  // namespace latih::server
