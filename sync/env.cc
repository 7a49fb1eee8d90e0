#include "sync/env.h"

#include <cstdio>
#include <ctime>

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstring>
#include <cstdlib>

#include "sync/domain/ids.h"

namespace latih::sync {
namespace {

void FillRandom(uint8_t* out, size_t n) {
  // RAND_bytes only fails when the OS entropy source is unusable; there is
  // no safe way to go on issuing identities then.
  if (RAND_bytes(out, static_cast<int>(n)) != 1) std::abort();
}

}  // namespace

int64_t SystemClock::NowUnixMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string RandomIdSource::NewRowId() {
  std::array<uint8_t, 10> random;
  FillRandom(random.data(), random.size());
  return domain::UuidV7(clock_.NowUnixMs(), random);
}

int64_t RandomIdSource::NewNodeId() {
  uint64_t v = 0;
  FillRandom(reinterpret_cast<uint8_t*>(&v), sizeof v);
  v &= 0x7fffffffffffffffULL;
  return v == 0 ? 1 : static_cast<int64_t>(v);
}

Env& DefaultEnv() {
  static SystemClock clock;
  static RandomIdSource ids(clock);
  static Env env{clock, ids};
  return env;
}

std::string IsoUtcMs(int64_t unix_ms) {
  int64_t secs = unix_ms / 1000, ms = unix_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    --secs;
  }
  const time_t t = static_cast<time_t>(secs);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[96];  // room for any int the compiler imagines
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace latih::sync
