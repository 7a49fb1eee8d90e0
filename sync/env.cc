#include "sync/env.h"

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

}  // namespace latih::sync
