#!/usr/bin/env bash
# One command that installs what is missing, builds and runs every test: formatting, unit,
# integration (the real server on loopback), the JS client's tests, the browser tests and the
# deployment tests (nginx, TLS, the Debian package).
#   bash tests/run_all.sh             everything, in build/
#   bash tests/run_all.sh --sanitize  unit and integration tests built with AddressSanitizer
#                                     and UndefinedBehaviorSanitizer, in build-asan/
#   bash tests/run_all.sh --tsan      the integration tests (the server's threads under load)
#                                     built with ThreadSanitizer, in build-tsan/
#   bash tests/run_all.sh --fuzz [S]  only the fuzz targets (clang, libFuzzer, ASan, UBSan), S
#                                     seconds each (default 60), in build-fuzz/
# The full run ends with a short run (12 s) of every fuzz target; longer runs:
# bash tests/fuzz/run.sh SECONDS.
# Every option is given explicitly, so whatever configured the build folder before (the run
# command, a packager) this builds and runs every test; CTest fails if it finds none.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-full}"
fuzz_seconds=12
case "$mode" in
  full | --sanitize | --tsan) ;;
  --fuzz) fuzz_seconds="${2:-60}" ;;
  *) echo "usage: bash tests/run_all.sh [--sanitize | --tsan | --fuzz [SECONDS]]" >&2; exit 2 ;;
esac
if ! [[ "$fuzz_seconds" =~ ^[0-9]+$ ]] || (( fuzz_seconds < 1 )); then
  echo "usage: bash tests/run_all.sh --fuzz [SECONDS], SECONDS a whole number from 1" >&2
  exit 2
fi
bash deploy/install-deps.sh --tests

jobs="$(nproc)"

# Runs CTest on build folder $1 with the remaining arguments, then says how many tests ran.
run_ctest() {
  local build=$1 log
  shift
  log="$build/run_all-ctest.log"
  local rc=0
  ctest --test-dir "$build" --output-on-failure --no-tests=error -j"$jobs" "$@" 2>&1 |
    tee "$log" || rc=$?
  # CTest's own summary: "100% tests passed, 0 tests failed out of 396".
  local summary ran failed
  summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
  ran=$(sed -nE 's/.* out of ([0-9]+).*/\1/p' <<<"$summary")
  failed=$(sed -nE 's/.*passed, ([0-9]+) tests? failed.*/\1/p' <<<"$summary")
  echo
  if [[ -n "$ran" ]]; then
    echo "run_all: $ran tests ran in $build, $((ran - failed)) passed, $failed failed."
  else
    echo "run_all: CTest ran no tests in $build (see above)."
    rc=1
  fi
  return "$rc"
}

# Builds the libFuzzer targets with clang in build-fuzz and runs each for $fuzz_seconds
# seconds from its committed seeds; a finding fails the run.
run_fuzz() {
  local build=build-fuzz
  echo "== Configuring $build (clang, libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer)"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DCOLEAD_FUZZ=ON -DCOLEAD_WERROR=ON -DCOLEAD_BUILD_TESTS=OFF \
    -DCOLEAD_BUILD_BENCH=OFF -DCOLEAD_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
  cmake --build "$build" -j"$jobs" --target colead_fuzz
  echo "== Fuzzing each target for $fuzz_seconds s from its seeds (CTest label fuzz)"
  run_ctest "$build" -L fuzz
}

if [[ "$mode" == "--fuzz" ]]; then
  run_fuzz
  exit
fi

if [[ "$mode" == "--tsan" ]]; then
  build=build-tsan
  echo "== Configuring $build (ThreadSanitizer)"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOLEAD_TSAN=ON -DCOLEAD_WERROR=ON \
    -DCOLEAD_BUILD_TESTS=ON -DCOLEAD_BUILD_BENCH=OFF -DCOLEAD_BROWSER_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$jobs" --target integration_test call_test load_test deploy_test colead \
    colead-server
  # The server processes the tests start inherit these: a race stops the server (exit 66)
  # and so fails the test that drove it.
  export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
  run_ctest "$build" -L integration
  exit
fi

if [[ "$mode" == "--sanitize" ]]; then
  build=build-asan
  echo "== Configuring $build (Debug, AddressSanitizer and UndefinedBehaviorSanitizer)"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCOLEAD_SANITIZE=ON -DCOLEAD_WERROR=ON \
    -DCOLEAD_BUILD_TESTS=ON -DCOLEAD_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build" -j"$jobs"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  run_ctest "$build" -L 'unit|integration'
  exit
fi

echo "== Checking formatting (clang-format, .clang-format)"
sources=()
if command -v git >/dev/null 2>&1 && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t sources < <(git ls-files '*.cpp' '*.hpp')
else
  # No git (e.g. an exported tarball): the same files, found by name.
  mapfile -t sources < <(find protocol server clients tests -name node_modules -prune -o \
    -type f \( -name '*.cpp' -o -name '*.hpp' \) -print 2>/dev/null | sort)
fi
if (( ${#sources[@]} == 0 )); then
  echo "No C++ sources found to check the formatting of: is this a Colead checkout?" >&2
  exit 1
fi
clang-format --dry-run --Werror "${sources[@]}"
echo "   ${#sources[@]} files formatted as .clang-format says"

build=build
echo "== Configuring $build (RelWithDebInfo, every test and benchmark, warnings as errors)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOLEAD_SANITIZE=OFF \
  -DCOLEAD_WERROR=ON -DCOLEAD_BUILD_TESTS=ON -DCOLEAD_BUILD_BENCH=ON \
  -DCOLEAD_BROWSER_TESTS=ON >/dev/null
cmake --build "$build" -j"$jobs"
run_ctest "$build"
run_fuzz
