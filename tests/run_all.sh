#!/usr/bin/env bash
# One command that installs what is missing, builds and runs every test: formatting, unit,
# integration (the real server on loopback), the JS client's tests and the browser tests.
#   bash tests/run_all.sh             everything, in build/
#   bash tests/run_all.sh --sanitize  unit and integration tests built with AddressSanitizer
#                                     and UndefinedBehaviorSanitizer, in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-full}"
bash deploy/install-deps.sh --tests

jobs="$(nproc)"
if [[ "$mode" == "--sanitize" ]]; then
  build=build-asan
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCOLEAD_SANITIZE=ON \
    -DCOLEAD_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build" -j"$jobs"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  ctest --test-dir "$build" --output-on-failure -j"$jobs" -L 'unit|integration'
  exit 0
fi

echo "Checking formatting (clang-format, .clang-format)"
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || true)
if (( ${#sources[@]} )); then
  clang-format --dry-run --Werror "${sources[@]}"
fi

build=build
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs"
ctest --test-dir "$build" --output-on-failure -j"$jobs"
