#!/usr/bin/env bash
# One command for every benchmark: builds them in Release (build-bench/) and runs them,
# printing the figures that docs/benchmarks.md records.
#
#   bash tests/bench/run.sh                    ot_bench and store_bench (arguments go to store_bench)
#   bash tests/bench/run.sh rooms-100          100 rooms x 3 members x 2 edits/s, relay then Colead
#   bash tests/bench/run.sh rooms-1000         1,000 rooms x 3 members x 2 edits/s, relay then Colead
#   bash tests/bench/run.sh saturate           the offered load raised in steps until p99 fan-out
#                                              passes 50 ms; data on disk, then on tmpfs
#   bash tests/bench/run.sh idle-20000         20,000 idle joined connections (fewer when the
#                                              descriptor limit is lower): server memory each
#   bash tests/bench/run.sh durable-vs-memory  rooms-1000's load with the data on disk and on tmpfs
#
# The load scenarios start their own server (and relay) on free loopback ports with a fresh data
# folder, pinned to core 0 (taskset -c 0), and colead-loadgen on core 1; the server's flags
# that allow the load are printed with it. COLEAD_BENCH_SECONDS sets the measured window
# (default 20 s; saturate's steps take 10 s each).
#
# profile: a flame graph of the server during a scenario, with perf (Debian's linux-perf, as
# root) and tests/bench/flamegraph.py (no FlameGraph scripts needed). From a second shell, once
# the scenario has printed its "server:" line (the rooms scenarios run the relay first):
#   pid=$(pgrep -n -f '^build-bench/bin/colead-server ')
#   taskset -c 1 perf record -F 199 --call-graph dwarf -p "$pid" -o /tmp/colead.data -- sleep 10
#   perf script --no-inline -i /tmp/colead.data |
#     python3 tests/bench/flamegraph.py --title "Colead server, rooms-1000" \
#       -o docs/flamegraph-rooms-1000.svg --folded /tmp/colead.folded
# The call graphs come from DWARF as the Release build keeps no frame pointers; perf runs on the
# load generator's core. flamegraph.py prints the 25 frames with the most self and inclusive
# samples, for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

scenarios="rooms-100 rooms-1000 saturate idle-20000 durable-vs-memory"
scenario=""
if [[ $# -gt 0 && " $scenarios " == *" $1 "* ]]; then
  scenario=$1
  shift
fi

bash deploy/install-deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCOLEAD_BUILD_BENCH=ON \
  -DCOLEAD_BUILD_TESTS=ON >/dev/null
machine="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, $(date -u +%F)"

if [[ -z $scenario ]]; then
  cmake --build build-bench --target ot_bench store_bench -j"$(nproc)"
  echo "== machine: $machine"
  echo "== ot_bench"
  build-bench/bin/ot_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
  echo "== store_bench"
  build-bench/bin/store_bench --benchmark_repetitions=3 "$@"
  exit 0
fi

cmake --build build-bench --target colead-server colead-loadgen colead-bench-relay -j"$(nproc)"
bin=build-bench/bin
window=${COLEAD_BENCH_SECONDS:-20}
if (( $(nproc) < 2 )); then
  echo "the load scenarios pin the server and the load generator to two cores; this machine has one" >&2
  exit 1
fi
# Every connection is a descriptor, in the load generator and in the server alike.
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
started=()  # the processes this script started, stopped when it ends
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  [[ -n ${shm_dir:-} ]] && rm -rf "$shm_dir"
  return 0
}
trap cleanup EXIT

# What the server is told so that one address may open thousands of connections and type fast:
# the limits that protect it from one abusive client, lifted for the load generator.
load_flags=(--room-creation open --max-connections 30000 --max-connections-per-address 30000
  --connect-rate-per-address 100000 --connect-burst-per-address 100000
  --rate 1000 --rate-burst 1000 --member-rate 1000 --member-rate-burst 1000
  --handshake-timeout 60 --hello-timeout 60)

echo "== machine: $machine; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== scenario: $scenario"

# Waits up to 30 s for "listening on ...PORT" in log $1; prints the port.
port_of() {
  local log=$1 port=""
  for _ in $(seq 300); do
    port=$(sed -n 's/.*listening on [a-z:/]*[0-9.]*:\([0-9]*\).*/\1/p' "$log" | head -1)
    [[ -n $port ]] && { echo "$port"; return 0; }
    sleep 0.1
  done
  echo "no 'listening on' in $log:" >&2
  cat "$log" >&2
  return 1
}

# start_server DATA_DIR [FLAGS...]: a colead-server on core 0; sets server_pid and server_port.
start_server() {
  local data=$1
  shift
  mkdir -p "$data"
  local log="$work/server-$RANDOM.log"
  echo "   server: taskset -c 0 colead-server --listen 127.0.0.1:0 --data-dir $data ${load_flags[*]} $*"
  taskset -c 0 "$bin/colead-server" --listen 127.0.0.1:0 --data-dir "$data" "${load_flags[@]}" "$@" \
    >"$log" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
  server_port=$(port_of "$log")
}

start_relay() {
  local log="$work/relay-$RANDOM.log"
  echo "   relay: taskset -c 0 colead-bench-relay --listen 127.0.0.1:0"
  taskset -c 0 "$bin/colead-bench-relay" --listen 127.0.0.1:0 >"$log" 2>&1 &
  relay_pid=$!
  started+=("$relay_pid")
  relay_port=$(port_of "$log")
}

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# loadgen PORT PID [ARGS...]: runs colead-loadgen on core 1, shows its table, and keeps its JSON
# line in $json.
loadgen() {
  local port=$1 pid=$2
  shift 2
  echo "   loadgen: taskset -c 1 colead-loadgen --server http://127.0.0.1:$port --server-pid $pid$(printf ' %q' "$@")"
  local out="$work/loadgen-$RANDOM.out"
  taskset -c 1 "$bin/colead-loadgen" --server "http://127.0.0.1:$port" --server-pid "$pid" "$@" \
    >"$out" || true
  sed 's/^/   /' "$out"
  json=$(grep '^{"loadgen"' "$out" || echo '{"loadgen":{}}')
}

# A figure of $json, e.g. fig .applied_per_s or fig .fanout_ms.p99.
fig() { jq -r ".loadgen$1 // \"-\"" <<<"$json"; }

table_header() {
  echo "| run | applied edits/s | delivered/s | server CPU ms / 1,000 applied | server CPU | fan-out p50 / p99 ms | ack p50 / p99 ms | errors | disconnects |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
}
table_row() {
  local ack="–"  # the relay acknowledges nothing
  [[ $(fig .target) == colead ]] && ack="$(fig .ack_ms.p50) / $(fig .ack_ms.p99)"
  echo "| $1 | $(fig .applied_per_s) | $(fig .delivered_per_s) | $(fig .server_cpu_ms_per_1000_applied) | $(fig .server_cpu_pct)% | $(fig .fanout_ms.p50) / $(fig .fanout_ms.p99) | $ack | $(fig .errors) | $(fig .disconnects) |"
}

# rooms ROOMS: the relay, then Colead (data on disk), with the same load in one sitting.
rooms_scenario() {
  local rooms=$1 rows=()
  start_relay
  loadgen "$relay_port" "$relay_pid" --relay --rooms "$rooms" --members 3 --rate 2 \
    --seconds "$window" --label "relay $rooms rooms"
  rows+=("$(table_row "bare Beast relay")")
  local relay_cpu
  relay_cpu=$(fig .server_cpu_ms_per_1000_applied)
  stop "$relay_pid"
  start_server "$work/data-rooms"
  loadgen "$server_port" "$server_pid" --rooms "$rooms" --members 3 --rate 2 \
    --seconds "$window" --label "colead $rooms rooms"
  rows+=("$(table_row "Colead (durable)")")
  local colead_cpu
  colead_cpu=$(fig .server_cpu_ms_per_1000_applied)
  stop "$server_pid"
  echo
  table_header
  printf '%s\n' "${rows[@]}"
  if [[ $relay_cpu != "-" && $relay_cpu != "null" && $colead_cpu != "-" && $colead_cpu != "null" ]]; then
    echo "Colead's server CPU per 1,000 applied edits: $(jq -n "$colead_cpu / $relay_cpu * 100 | round / 100")x the relay's"
  fi
}

# store_scenario NAME DATA_DIR: rooms-1000's load against a server keeping its data in DATA_DIR.
store_rows=()
store_run() {
  local name=$1 data=$2
  echo "-- $name: data in $data ($(df --output=fstype "$(dirname "$data")" | tail -1))"
  start_server "$data"
  loadgen "$server_port" "$server_pid" --rooms 1000 --members 3 --rate 2 --seconds "$window" \
    --label "$name"
  store_rows+=("$(table_row "$name")")
  stop "$server_pid"
}

# saturate_store NAME DATA_PARENT: steps of offered edits/s over 1,000 rooms of 3 until p99
# fan-out passes 50 ms (or errors come); the highest step that stayed under is the result.
saturate_rows=()
saturate_store() {
  local name=$1 parent=$2 best="none" step
  for step in 1000 2000 3000 4000 5000 6000 8000 10000 15000 20000 30000 40000; do
    local rate
    rate=$(jq -n "$step / 3 | round / 1000")
    echo "-- $name: offered $step edits/s (1,000 rooms x 3 members x $rate/s)"
    start_server "$parent/data-$step"
    loadgen "$server_port" "$server_pid" --rooms 1000 --members 3 --rate "$rate" --seconds 10 \
      --label "saturate $name $step"
    stop "$server_pid"
    rm -rf "$parent/data-$step"
    saturate_rows+=("$(table_row "$name, offered $step/s")")
    local p99 errors
    p99=$(fig .fanout_ms.p99)
    errors=$(fig .errors)
    if [[ $p99 == "-" || $(jq -n "$p99 >= 50") == true || $errors != 0 ]]; then
      break
    fi
    best="$(fig .applied_per_s) applied edits/s (offered $step/s, p99 fan-out $p99 ms)"
  done
  echo "== $name: highest sustained load with p99 fan-out under 50 ms: $best"
  saturate_best+=("$name: $best")
}

case $scenario in
  rooms-100) rooms_scenario 100 ;;
  rooms-1000) rooms_scenario 1000 ;;
  durable-vs-memory)
    # The server has no in-memory store: "memory" is the same SQLite store with its files on
    # tmpfs, where fsync returns at once, so the difference is what durability costs.
    shm_dir=$(mktemp -d /dev/shm/colead-bench.XXXXXX)
    store_run "durable (disk)" "$work/data-disk"
    store_run "tmpfs (no fsync cost)" "$shm_dir/data"
    echo
    table_header
    printf '%s\n' "${store_rows[@]}"
    ;;
  saturate)
    shm_dir=$(mktemp -d /dev/shm/colead-bench.XXXXXX)
    saturate_best=()
    saturate_store "durable (disk)" "$work"
    saturate_store "tmpfs (no fsync cost)" "$shm_dir"
    echo
    table_header
    printf '%s\n' "${saturate_rows[@]}"
    printf '== %s\n' "${saturate_best[@]}"
    ;;
  idle-20000)
    # The server keeps 32 descriptors for itself; the load generator needs one per connection
    # and a few more.
    limit=$(ulimit -n)
    idle=20000
    if (( limit - 100 < idle )); then
      idle=$((limit - 100))
      echo "   the descriptor limit is $limit: holding $idle connections, not 20,000"
    fi
    start_server "$work/data-idle"
    loadgen "$server_port" "$server_pid" --idle "$idle" --members 3 --seconds 10 \
      --connect-parallel 128 --label "idle $idle"
    stop "$server_pid"
    echo
    echo "| idle joined connections | joined | server RSS before / joined (KiB) | KiB per connection | errors |"
    echo "| --- | --- | --- | --- | --- |"
    echo "| $idle | $(fig .joined) | $(fig .server_rss_kib_before_joins) / $(fig .server_rss_kib_joined) | $(fig .server_kib_per_idle_connection) | $(fig .errors) |"
    ;;
esac
