#!/usr/bin/env bash
# One command from a fresh clone to a running server: installs what is missing, builds
# colead-server and the colead CLI, and starts the server, printing the address to open.
#
#   bash deploy/quickstart.sh                          this machine only: http://127.0.0.1:8080/
#   COLEAD_LISTEN=0.0.0.0:8080 bash deploy/quickstart.sh   reachable from other devices
#
# On loopback (the default) anyone on this machine may create rooms; on any other address
# creating a room needs the organiser key the server prints at its first start. Started as
# root, the server runs as the system user `colead` (made here if missing) once its port and
# files are open, with its data in /var/lib/colead; otherwise the data is in ./colead-data.
# Extra arguments go to colead-server (see build/bin/colead-server --help).
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh

# Every option explicit, so the folder is configured the same whatever configured it before.
# The tests are configured too (tests/run_all.sh builds and runs them) but not built here.
echo "== Building colead-server and colead in build/ (RelWithDebInfo)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOLEAD_SANITIZE=OFF -DCOLEAD_WERROR=OFF \
  -DCOLEAD_BUILD_TESTS=ON -DCOLEAD_BUILD_BENCH=ON >/dev/null
cmake --build build --target colead-server colead -j"$(nproc)"
server=build/bin/colead-server

# What the extra arguments already say, so no flag is given twice.
given() {
  local arg
  for arg in "${extra[@]}"; do
    [[ "$arg" == "--$1" || "$arg" == "--$1="* ]] && return 0
  done
  return 1
}
extra=("$@")
listen="${COLEAD_LISTEN:-127.0.0.1:8080}"
for ((i = 0; i < ${#extra[@]}; i++)); do
  case "${extra[i]}" in
    --listen=*) listen="${extra[i]#--listen=}" ;;
    --listen) listen="${extra[i + 1]:-$listen}" ;;
  esac
done
args=()
given listen || args+=(--listen "$listen")

host="${listen%:*}"
port="${listen##*:}"
host="${host#[}"
host="${host%]}"
loopback=0
[[ "$host" == 127.* || "$host" == ::1 || "$host" == localhost ]] && loopback=1

# Flags this build knows (older builds have no --user or --room-creation).
help=$("$server" --help 2>&1 || true)
supports() { grep -q -- "--$1\b" <<<"$help"; }

if (( $(id -u) == 0 )) && supports user && ! given user && [[ -z "${COLEAD_USER:-}" ]]; then
  if ! getent passwd colead >/dev/null; then
    echo "== Making the system user colead, which the server runs as"
    useradd --system --no-create-home --home-dir /var/lib/colead --shell /usr/sbin/nologin colead
  fi
  args+=(--user colead)
  if ! given data-dir && [[ -z "${COLEAD_DATA_DIR:-}" ]]; then
    # Outside the checkout, which may sit in a folder only root can enter (/root).
    install -d -m 0700 -o colead -g colead /var/lib/colead
    args+=(--data-dir /var/lib/colead)
  fi
elif ! given data-dir; then
  args+=(--data-dir "${COLEAD_DATA_DIR:-colead-data}")
fi

# Room creation needs the organiser key unless the operator opens it; this machine alone
# may create rooms freely.
if (( loopback )) && supports room-creation && ! given room-creation &&
   [[ -z "${COLEAD_ROOM_CREATION:-}" ]]; then
  args+=(--room-creation open)
fi

echo
if (( loopback )); then
  [[ "$host" == *:* ]] && host="[$host]"
  echo "Open http://$host:$port/ in a browser on this machine; stop the server with Ctrl-C."
  echo "From another device: start it with COLEAD_LISTEN=0.0.0.0:$port bash deploy/quickstart.sh"
  echo "and open http://<this machine's address>:$port/; creating a room then needs the"
  echo "organiser key the server printed at its first start. For a programme's own server (TLS,"
  echo "a proxy, a service), see docs/operations.md."
else
  shown="$host"
  if [[ "$host" == 0.0.0.0 || "$host" == :: || -z "$host" ]]; then
    shown=$(hostname -I 2>/dev/null | awk '{print $1}' || true)
    [[ -n "$shown" ]] || shown="<this machine's address>"
  fi
  [[ "$shown" == *:* ]] && shown="[$shown]"
  echo "Open http://$shown:$port/ in a browser on this or another device; stop it with Ctrl-C."
  echo "Creating a room needs the organiser key the server prints at its first start (keep it"
  echo "private). This is plain HTTP: for TLS and a proxy, see docs/operations.md."
fi
echo
exec "$server" "${args[@]}" "$@"
