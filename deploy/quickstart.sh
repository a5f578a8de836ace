#!/usr/bin/env bash
# One command from a fresh clone to a running server: installs what is missing, builds
# colead-server, and starts it with embedded defaults (SQLite in ./data), printing the
# address to open. Extra arguments go to colead-server (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOLEAD_BUILD_TESTS=OFF \
  -DCOLEAD_BUILD_BENCH=OFF >/dev/null
cmake --build build --target colead-server colead -j"$(nproc)"

echo
echo "Starting Colead. Open the address below in a browser; stop it with Ctrl-C."
exec build/bin/colead-server --listen "${COLEAD_LISTEN:-127.0.0.1:8080}" \
  --data-dir "${COLEAD_DATA_DIR:-colead-data}" "$@"
