#!/usr/bin/env bash
# One command for every benchmark: builds them in Release (build-bench/) and runs each,
# printing the figures that docs/benchmarks.md records.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash deploy/install-deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCOLEAD_BUILD_BENCH=ON \
  -DCOLEAD_BUILD_TESTS=ON >/dev/null
cmake --build build-bench --target ot_bench store_bench -j"$(nproc)"
echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, $(date -u +%F)"
echo "== ot_bench"
build-bench/bin/ot_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "== store_bench"
build-bench/bin/store_bench --benchmark_repetitions=3 "$@"
