// What every Colead fuzz target shares: quiet protobuf logging and a failure that names the
// invariant that broke.
#pragma once

#include <cstdio>
#include <cstdlib>

#include <google/protobuf/stubs/logging.h>

namespace colead::fuzz {

// Protobuf logs every invalid UTF-8 string it refuses to stderr; the fuzzer makes millions.
inline void silence_protobuf() {
  google::protobuf::SetLogHandler(nullptr);
}

// Stops the run with `what` when an invariant does not hold; libFuzzer saves the input.
inline void check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace colead::fuzz
