#!/usr/bin/env bash
# Installs, from Debian 12's own packages, what Colead needs and is missing:
#   bash deploy/install-deps.sh           the compiler and the libraries, to build and run it
#   bash deploy/install-deps.sh --tests   also what the tests use: Node.js (Debian's 18 if there
#                                         is no node; 18 or newer will do), Chromium, nginx,
#                                         OpenSSL, clang-format, debootstrap, file, Python 3
#                                         and the browser tests' npm packages (from the npm
#                                         registry)
# Safe to run again: it installs only what is not there, and when everything is there it
# returns in a second. Needs root or sudo only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[[ "${1:-}" == "--tests" ]] && with_tests=1

# To build: the compiler and make, CMake, and the libraries of the README (Boost.Asio/Beast
# and Boost.Program_options 1.74, Protobuf, spdlog, SQLite, OpenSSL, GoogleTest and Google
# Benchmark, which the default build compiles too).
packages=(build-essential cmake libboost1.74-dev libboost-program-options1.74-dev
  protobuf-compiler libprotobuf-dev libspdlog-dev libsqlite3-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev)
if (( with_tests )); then
  # chromium: the browser tests; nginx-light and openssl: the proxy and TLS tests (they make
  # their own certificates); debootstrap and file: the package test (CPack finds the programs
  # with file; the fresh Debian root it installs into brings its own systemd for
  # systemd-analyze verify); clang-format: the formatting check; ca-certificates: npm's HTTPS.
  packages+=(chromium nginx-light openssl debootstrap file clang-format ca-certificates)
  # cmark-gfm: GitHub's Markdown renderer, which the export test uses to check that no
  # member's text becomes markup.
  packages+=(cmark-gfm)
  # python3: the test of tests/bench/flamegraph.py, which draws the benchmarks' flame graphs.
  packages+=(python3)
  # clang and its sanitizer runtimes (libFuzzer among them): the fuzz targets.
  packages+=(clang libclang-rt-14-dev)
  command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

# One dpkg-query for all of them; a package dpkg does not know is missing.
mapfile -t installed < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${packages[@]}" \
  2>/dev/null | awk '$1 == "ii" { print $2 }')
missing=()
for p in "${packages[@]}"; do
  [[ " ${installed[*]} " == *" $p "* ]] || missing+=("$p")
done

if (( ${#missing[@]} )); then
  sudo=""
  (( $(id -u) == 0 )) || sudo="sudo"
  echo "== Installing from Debian's packages: ${missing[*]}"
  [[ " ${missing[*]} " == *" chromium "* ]] &&
    echo "   (with what they depend on: chromium and its libraries are about 100 MB to download)"
  $sudo apt-get update -q
  # apt's own lines, less the per-package unpacking chatter: what it fetches, then what it sets up.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}" |
    awk '/^(Get:|Need to get|After this operation|Setting up|[0-9]+ upgraded)/ { print "   " $0; fflush() }'
  echo "== Installed in ${SECONDS} s: ${missing[*]}"
fi

if (( with_tests )); then
  major=$(node -p 'process.versions.node.split(".")[0]')
  if (( major < 18 )); then
    echo "Node.js $(node --version) is too old for the tests: 18 or newer is needed" \
         "(Debian 12's nodejs package is 18)." >&2
    exit 1
  fi
  # The browser tests drive Debian's /usr/bin/chromium through playwright-core, which never
  # downloads a browser of its own. Installed again whenever the lock file asks for versions
  # other than those in node_modules.
  if ! node -e '
      const fs = require("fs");
      const lock = JSON.parse(fs.readFileSync("tests/browser/package-lock.json", "utf8"));
      for (const [where, entry] of Object.entries(lock.packages)) {
        if (!where) continue;
        const have = JSON.parse(fs.readFileSync("tests/browser/" + where + "/package.json", "utf8"));
        if (have.version !== entry.version) process.exit(1);
      }' 2>/dev/null; then
    echo "== Installing the browser tests' npm packages (tests/browser/package-lock.json)"
    npm_start=$SECONDS
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=warn)
    echo "== npm packages installed in $((SECONDS - npm_start)) s"
  fi
fi
