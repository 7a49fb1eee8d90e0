#include "server/core/metrics.h"

#include <sstream>

namespace latih::server {

void Metrics::CountRequest(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, status}];
  if (route != "/v1/sync") return;
  ++sync_count_;
  sync_sum_ += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++sync_buckets_[i];
  }
}

void Metrics::CountChanges(int64_t accepted, int64_t refused_forbidden, int64_t refused_invalid, int64_t pulled) {
  std::lock_guard<std::mutex> lock(mu_);
  accepted_ += accepted;
  forbidden_ += refused_forbidden;
  invalid_ += refused_invalid;
  pulled_ += pulled;
}

void Metrics::CountShed() {
  std::lock_guard<std::mutex> lock(mu_);
  ++shed_;
}

void Metrics::SawDevice(int64_t credential_id, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  last_seen_[credential_id] = now_ms;
}

std::string Metrics::Render(int64_t now_ms) {
  constexpr int64_t kConnectedMs = 15 * 60 * 1000;
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream out;
  out << "# HELP latih_http_requests_total HTTP requests answered, by route and status.\n"
      << "# TYPE latih_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "latih_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
  }
  out << "# HELP latih_changes_total Row changes received (accepted, refused) and sent (pulled).\n"
      << "# TYPE latih_changes_total counter\n"
      << "latih_changes_total{outcome=\"accepted\"} " << accepted_ << "\n"
      << "latih_changes_total{outcome=\"refused_forbidden\"} " << forbidden_ << "\n"
      << "latih_changes_total{outcome=\"refused_invalid\"} " << invalid_ << "\n"
      << "latih_changes_total{outcome=\"pulled\"} " << pulled_ << "\n";
  out << "# HELP latih_sync_request_seconds Time to answer POST /v1/sync.\n"
      << "# TYPE latih_sync_request_seconds histogram\n";
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    out << "latih_sync_request_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << sync_buckets_[i] << "\n";
  }
  out << "latih_sync_request_seconds_bucket{le=\"+Inf\"} " << sync_count_ << "\n"
      << "latih_sync_request_seconds_sum " << sync_sum_ << "\n"
      << "latih_sync_request_seconds_count " << sync_count_ << "\n";
  out << "# HELP latih_sync_shed_total Sync requests answered 503 busy: they waited past --max-queue-wait.\n"
      << "# TYPE latih_sync_shed_total counter\n"
      << "latih_sync_shed_total " << shed_ << "\n";
  int64_t connected = 0;
  for (const auto& [id, ms] : last_seen_) connected += now_ms - ms <= kConnectedMs;
  out << "# HELP latih_connected_devices Devices that synced in the last 15 minutes.\n"
      << "# TYPE latih_connected_devices gauge\n"
      << "latih_connected_devices " << connected << "\n";
  return out.str();
}

}  // namespace latih::server
