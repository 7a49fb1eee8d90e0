// The engine's view of the outside world: wall-clock time and fresh
// identities, injected so that tests can be deterministic (leveldb's Env).
// sync/ never calls system_clock or a random device directly.
// SystemClock and RandomIdSource are thread-safe; fakes need not be.
#pragma once

#include <cstdint>
#include <string>

namespace latih::sync {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, as the device believes it to be.
  // May be wrong by days and may jump backwards: callers must not trust it
  // for ordering (see HybridClock).
  virtual int64_t NowUnixMs() = 0;
};

class IdSource {
 public:
  virtual ~IdSource() = default;
  // A fresh row id (UUIDv7 text), unique across replicas with overwhelming
  // probability.
  virtual std::string NewRowId() = 0;
  // A fresh 63-bit replica identity (positive).
  virtual int64_t NewNodeId() = 0;
};

// Borrowed references; both must outlive every user of the Env.
struct Env {
  Clock& clock;
  IdSource& ids;
};

class SystemClock final : public Clock {
 public:
  int64_t NowUnixMs() override;
};

// UUIDv7 from `clock` and the operating system's CSPRNG.
// `clock` must outlive this object.
class RandomIdSource final : public IdSource {
 public:
  explicit RandomIdSource(Clock& clock) : clock_(clock) {}
  std::string NewRowId() override;
  int64_t NewNodeId() override;

 private:
  Clock& clock_;
};

// The process-wide real Env (system clock, random ids).
Env& DefaultEnv();

// `unix_ms` as ISO 8601 UTC with milliseconds: "2026-12-01T20:15:16.123Z"
// (what SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') writes).
std::string IsoUtcMs(int64_t unix_ms);

}  // namespace latih::sync
