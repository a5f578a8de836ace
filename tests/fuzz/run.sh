#!/usr/bin/env bash
# Runs Colead's libFuzzer targets, each for SECONDS, and prints executions and coverage.
#   bash tests/fuzz/run.sh SECONDS [TARGET...]            every target when none is named
#   bash tests/fuzz/run.sh --bin DIR SECONDS [TARGET...]  targets from DIR (default build-fuzz/bin)
# Build the targets first (clang; see docs/security.md, "Fuzzing"):
#   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCOLEAD_FUZZ=ON -DCOLEAD_BUILD_TESTS=OFF
#   cmake --build build-fuzz --target colead_fuzz
# Each run starts from a scratch copy of tests/fuzz/corpus/TARGET, so the committed seeds
# never grow; set COLEAD_FUZZ_KEEP=DIR to keep the grown corpora in DIR/TARGET instead.
# A finding (crash, sanitizer report, broken invariant, timeout) is saved as
# build-fuzz/findings/TARGET/crash-... and the script exits 1 after the remaining targets.
# Runs under nice: the machine stays usable.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$root/build-fuzz/bin"
if [[ "${1:-}" == "--bin" ]]; then
  bin="$2"
  shift 2
fi
seconds="${1:-}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || (( seconds < 1 )); then
  echo "usage: bash tests/fuzz/run.sh [--bin DIR] SECONDS [TARGET...]" >&2
  exit 2
fi
shift
targets=("$@")
(( ${#targets[@]} )) ||
  targets=(decode_binary_fuzz decode_json_fuzz ot_fuzz consult_script_fuzz http_request_fuzz)

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
findings_root="$(dirname "$bin")/findings"
failed=0
for target in "${targets[@]}"; do
  exe="$bin/$target"
  seeds="$here/corpus/$target"
  if [[ ! -x "$exe" ]]; then
    echo "$target: no $exe; build it with COLEAD_FUZZ (see the top of this script)" >&2
    exit 2
  fi
  if [[ -n "${COLEAD_FUZZ_KEEP:-}" ]]; then
    work="$COLEAD_FUZZ_KEEP/$target"
    mkdir -p "$work"
  else
    work="$(mktemp -d "${TMPDIR:-/tmp}/colead-fuzz-$target.XXXXXX")"
  fi
  cp -n "$seeds"/* "$work"/ 2>/dev/null || true
  findings="$findings_root/$target"
  mkdir -p "$findings"
  log="$findings_root/$target.log"
  echo "== $target: ${seconds} s from $(ls "$work" | wc -l) inputs ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  rc=0
  nice "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$work" >"$log" 2>&1 || rc=$?
  runs=$(LC_ALL=C sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
  cov=$(grep -aoE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  corp=$(grep -aoE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1)
  echo "   executions: ${runs:-?}  ${cov:-cov: ?}  ${corp:-}  (log: $log)"
  if (( rc != 0 )); then
    echo "   FINDING (exit $rc):" >&2
    grep -E 'ERROR|runtime error|fuzz invariant|SUMMARY|Test unit written|==[0-9]+==' "$log" |
      head -20 >&2 || true
    failed=1
  fi
  [[ -n "${COLEAD_FUZZ_KEEP:-}" ]] || rm -rf "$work"
done
exit "$failed"
