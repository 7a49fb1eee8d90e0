// The server's counters, rendered in the Prometheus text format at
// GET /metrics. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace latih::server {

class Metrics {
 public:
  // One answered request: its route ("/v1/sync", "other"), status and time.
  void CountRequest(const std::string& route, int status, double seconds);
  void CountChanges(int64_t accepted, int64_t refused_forbidden, int64_t refused_invalid, int64_t pulled);
  // A sync request answered 503 busy because it waited too long (Api::Shed).
  void CountShed();
  // A device (credential id) that synced at `now_ms`.
  void SawDevice(int64_t credential_id, int64_t now_ms);
  // The text exposition; `now_ms` decides which devices count as connected
  // (seen within the last 15 minutes).
  std::string Render(int64_t now_ms);

 private:
  static constexpr std::array<double, 10> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
  std::mutex mu_;
  std::map<std::pair<std::string, int>, int64_t> requests_;
  std::array<int64_t, kBuckets.size()> sync_buckets_{};
  int64_t sync_count_ = 0;
  double sync_sum_ = 0;
  int64_t accepted_ = 0, forbidden_ = 0, invalid_ = 0, pulled_ = 0, shed_ = 0;
  std::map<int64_t, int64_t> last_seen_;  // credential id -> ms
};

}  // namespace latih::server
