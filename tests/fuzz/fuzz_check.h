// What the libFuzzer targets of tests/fuzz/ share: a property check that
// prints what broke and aborts, so that libFuzzer saves the input as a crash
// reproducer. Single-threaded, as libFuzzer runs one input at a time.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace latih::fuzz {

[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "\n*** fuzz property broken: %s\n", what.c_str());
  std::abort();
}

}  // namespace latih::fuzz

// Aborts with `message` (a std::string expression, evaluated only on
// failure) unless `cond` holds.
#define FUZZ_CHECK(cond, message)                                                       \
  do {                                                                                  \
    if (!(cond)) ::latih::fuzz::Fail(std::string("FUZZ_CHECK(" #cond "): ") + (message)); \
  } while (0)
