#!/usr/bin/env bash
# Installs what Colead needs on Debian 12 and is missing: the build toolchain and libraries,
# and with --tests also Node.js, Debian's Chromium, nginx and the npm packages of the browser
# tests. Safe to run again: it installs only what is not there.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[[ "${1:-}" == "--tests" ]] && with_tests=1

packages=(build-essential cmake pkg-config libboost1.74-dev protobuf-compiler libprotobuf-dev
  libspdlog-dev libfmt-dev libsqlite3-dev sqlite3 libssl-dev libgtest-dev libgmock-dev
  libbenchmark-dev ca-certificates curl)
if (( with_tests )); then
  packages+=(chromium nginx-light clang-format)
  # Any Node.js 18 or newer will do; Debian's if there is none.
  command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "Installing: ${missing[*]}"
  sudo=""
  (( $(id -u) == 0 )) || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if (( with_tests )); then
  # The browser tests drive Debian's /usr/bin/chromium through playwright-core, which never
  # downloads a browser of its own.
  if [[ ! -d tests/browser/node_modules/playwright-core ]] ||
     [[ ! -d tests/browser/node_modules/axe-core ]] ||
     [[ tests/browser/package-lock.json -nt tests/browser/node_modules ]]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    touch tests/browser/node_modules
  fi
fi
