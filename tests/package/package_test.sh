#!/usr/bin/env bash
# The Debian package end to end: builds colead_<version>_amd64.deb from the build tree, installs
# it with apt on a brand-new Debian 12 root (debootstrap), checks what the package made (the
# colead user, /var/lib/colead 0700, the conffile, `systemd-analyze verify` of the unit), then
# starts the packaged server as the colead user with the packaged config from / and, from
# outside the root, creates a room with the organiser key, joins it and edits it with the
# built client. Ends with installing again (edited config and data kept), remove (data kept)
# and purge (data gone).
#
#   tests/package/package_test.sh SOURCE_DIR BUILD_DIR
#
# Needs root (debootstrap, chroot, mount), debootstrap, dpkg-dev and the Debian mirror named in
# /etc/apt/sources.list.d/debian.sources; without them it fails and says so. The root's first
# stage is cached as BUILD_DIR/package-test/bookworm-root.tar, so a second run skips it.
# KEEP_ROOT=1 leaves the installed root in BUILD_DIR/package-test/root for a look.
set -euo pipefail

src=$(cd "${1:?usage: package_test.sh SOURCE_DIR BUILD_DIR}" && pwd)
build=$(cd "${2:?usage: package_test.sh SOURCE_DIR BUILD_DIR}" && pwd)
work=$build/package-test
root=$work/root
cache=$work/bookworm-root.tar
t_start=$(date +%s)
server_pid=
client_dir=

say() { echo "== $* [$(($(date +%s) - t_start)) s]"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# Runs a command in the root with a clean environment, bounded in time.
in_root() {
  local limit=$1
  shift
  timeout --kill-after=10 "$limit" chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    "$@"
}
unmount_root() {
  local m
  for m in dev/pts dev sys proc; do
    if mountpoint -q "$root/$m" 2>/dev/null; then umount "$root/$m" 2>/dev/null || umount -l "$root/$m"; fi
  done
  if [[ -d $root ]] && findmnt -rn -o TARGET | grep -q "^$root/"; then
    fail "something is still mounted under $root; not removing it"
  fi
}
remove_root() {
  unmount_root
  rm -rf --one-file-system "$root"
}
cleanup() {
  local rc=$?
  set +e
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null
  fi
  [[ -n $client_dir ]] && rm -rf "$client_dir"
  unmount_root
  if ((rc == 0)) && [[ -z ${KEEP_ROOT:-} ]]; then rm -rf --one-file-system "$root"; fi
  ((rc == 0)) || echo "package test failed after $(($(date +%s) - t_start)) s; logs in $work" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- what the test needs ------------------------------------------------------------------
((EUID == 0)) || fail "the package test needs root (debootstrap, chroot and mount); run it as root"
command -v debootstrap >/dev/null || fail "debootstrap is not installed: apt-get install debootstrap"
command -v dpkg-shlibdeps >/dev/null || fail "dpkg-shlibdeps is missing: apt-get install dpkg-dev"
command -v file >/dev/null || fail "file is missing (CPack finds the programs with it): apt-get install file"
for tool in cpack dpkg-deb chroot mount findmnt timeout; do
  command -v "$tool" >/dev/null || fail "$tool is missing"
done
for program in colead-server colead; do
  [[ -x $build/bin/$program ]] || fail "$build/bin/$program is not built (cmake --build $build)"
done
[[ -f $build/CPackConfig.cmake ]] || fail "$build/CPackConfig.cmake is missing: configure $build again"
mkdir -p "$work"

# ---- the package --------------------------------------------------------------------------
say "building the package with cpack"
rm -rf "$work/deb"
timeout 300 cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/deb" >"$work/cpack.log" 2>&1 ||
  { tail -30 "$work/cpack.log"; fail "cpack did not build the package (log: $work/cpack.log)"; }
shopt -s nullglob
debs=("$work"/deb/colead_*_amd64.deb)
shopt -u nullglob
((${#debs[@]} == 1)) || fail "expected one colead_<version>_amd64.deb in $work/deb, found: $(ls "$work/deb")"
deb=${debs[0]}
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[[ $(basename "$deb") == "colead_${version}_amd64.deb" ]] ||
  fail "package file is $(basename "$deb"), expected colead_${version}_amd64.deb"
echo "package: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

dpkg-deb -c "$deb" >"$work/contents.txt"
for path in ./usr/bin/colead-server ./usr/bin/colead ./usr/share/colead/web/index.html \
  ./usr/share/colead/prompts/default.txt ./usr/share/colead/scripts/ \
  ./lib/systemd/system/colead.service ./etc/colead/colead.conf; do
  grep -q " $path\$" "$work/contents.txt" || fail "the package does not hold $path"
done
if grep -qE '/usr/share/colead/web/(README\.md|package\.json)$' "$work/contents.txt"; then
  fail "the package ships the web client's README or package.json"
fi
[[ $(dpkg-deb -f "$deb" Package) == colead ]] || fail "package name is not colead"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for dep in libc6 libstdc++6 libsqlite3 libssl3 libprotobuf adduser; do
  [[ $depends == *"$dep"* ]] || fail "Depends lacks $dep"
done
[[ $(dpkg-deb -I "$deb" conffiles) == /etc/colead/colead.conf ]] ||
  fail "conffiles is not /etc/colead/colead.conf: $(dpkg-deb -I "$deb" conffiles 2>&1)"
say "package contents, dependencies and conffiles as expected"

# ---- a fresh Debian 12 root ---------------------------------------------------------------
remove_root
if [[ ! -s $cache ]]; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  say "debootstrap bookworm (minbase, with systemd as on any Debian 12 server) from ${mirror:-the default mirror}"
  stage=$work/stage
  for m in dev/pts dev sys proc; do  # left by an interrupted debootstrap
    if mountpoint -q "$stage/$m" 2>/dev/null; then umount -l "$stage/$m"; fi
  done
  rm -rf --one-file-system "$stage"
  timeout 900 debootstrap --variant=minbase --include=systemd bookworm "$stage" ${mirror:+"$mirror"} \
    >"$work/debootstrap.log" 2>&1 ||
    {
      tail -20 "$work/debootstrap.log"
      fail "debootstrap failed: is the Debian mirror (${mirror:-deb.debian.org}) reachable? (log: $work/debootstrap.log)"
    }
  tar -C "$stage" -cf "$cache.part" . && mv "$cache.part" "$cache"
  rm -rf --one-file-system "$stage"
  say "root cached as $cache"
else
  say "using the cached root $cache"
fi
mkdir -p "$root"
tar -C "$root" -xf "$cache"
# As ../shared/tools/fresh-debian.sh: this machine's apt sources, resolver and extra certificate
# authorities, so that apt in the root reaches the registries this machine reaches.
if cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" 2>/dev/null; then
  rm -f "$root/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mkdir -p "$root/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
for m in proc sys dev dev/pts; do mount --bind "/$m" "$root/$m"; done

# ---- install with apt, so the dependencies come from Debian ---------------------------------
say "apt-get install ./$(basename "$deb") in the root"
cp "$deb" "$root/tmp/"
in_root 300 apt-get update -q >"$work/apt.log" 2>&1 ||
  { tail -20 "$work/apt.log"; fail "apt-get update failed in the root (log: $work/apt.log)"; }
in_root 600 apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" >>"$work/apt.log" 2>&1 ||
  { tail -30 "$work/apt.log"; fail "apt-get install of the package failed (log: $work/apt.log)"; }
grep -E "^(Setting up|Unpacking) colead" "$work/apt.log" || true
say "installed"

passwd_line=$(in_root 30 getent passwd colead) || fail "no colead user after install"
IFS=: read -r _ _ uid gid _ home shell <<<"$passwd_line"
echo "user: $passwd_line"
((uid < 1000)) || fail "colead is not a system user (uid $uid)"
[[ $home == /var/lib/colead ]] || fail "colead's home is $home"
[[ $shell == */nologin || $shell == /bin/false ]] || fail "colead has a login shell: $shell"
in_root 30 getent group colead >/dev/null || fail "no colead group after install"
# Numeric ids: this machine's names for them may differ from the root's.
state=$(stat -c '%a %u %g' "$root/var/lib/colead")
[[ $state == "700 $uid $gid" ]] || fail "/var/lib/colead is '$state' (mode uid gid), expected '700 $uid $gid' (colead)"
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
conffiles=$(in_root 30 dpkg-query -W -f='${Conffiles}' colead)
[[ $conffiles == *"/etc/colead/colead.conf "* ]] || fail "dpkg does not list /etc/colead/colead.conf as a conffile: $conffiles"
[[ -x $root/usr/bin/colead-server && -f $root/lib/systemd/system/colead.service ]] ||
  fail "the server or the unit is missing after install"
cmp -s "$src/deploy/systemd/colead.service" "$root/lib/systemd/system/colead.service" ||
  fail "the installed unit is not deploy/systemd/colead.service"
cmp -s "$src/deploy/colead.conf" "$root/etc/colead/colead.conf" ||
  fail "the installed /etc/colead/colead.conf is not deploy/colead.conf"
say "user colead (uid $uid), /var/lib/colead 0700 colead:colead, conffile registered"

# The unit, checked by systemd itself inside the root (where /usr/bin/colead-server exists).
if ! in_root 120 systemd-analyze verify /lib/systemd/system/colead.service >"$work/verify.log" 2>&1; then
  cat "$work/verify.log"
  fail "systemd-analyze verify reports problems with colead.service"
fi
if [[ -s $work/verify.log ]]; then
  cat "$work/verify.log"
  fail "systemd-analyze verify is not clean"
fi
for setting in User=colead ProtectSystem=strict ReadWritePaths=/var/lib/colead NoNewPrivileges=yes \
  PrivateTmp=yes Restart=on-failure "ExecStart=/usr/bin/colead-server --config /etc/colead/colead.conf"; do
  grep -qxF "$setting" "$root/lib/systemd/system/colead.service" || fail "the unit lacks $setting"
done
# systemd's own score of the hardening, shown from 0 (locked down) to 10 (exposed) and "OK"
# below 5; --threshold counts in tenths. A change that weakens it past 2.0 fails here.
if ! in_root 120 systemd-analyze security --offline=true --threshold=20 /lib/systemd/system/colead.service \
  >"$work/security.log" 2>&1; then
  grep -E "✗|Overall" "$work/security.log" || cat "$work/security.log"
  fail "systemd-analyze security rates colead.service above 2.0"
fi
say "systemd-analyze verify colead.service: clean; $(grep -o 'Overall exposure level.*' "$work/security.log" | tr -cd '[:print:]')"

# ---- the packaged server, as colead, with the packaged config, from / -----------------------
# setpriv execs the server as colead (no process in between), so its pid is ours to stop.
as_colead=(setpriv --reuid=colead --regid=colead --init-groups)
in_root 30 "${as_colead[@]}" /usr/bin/colead-server --config /etc/colead/colead.conf --check-config \
  >"$work/check-config.log" 2>&1 || { cat "$work/check-config.log"; fail "--check-config rejects the packaged config"; }
grep -E "data-dir|room-creation|listen|log-format" "$work/check-config.log" || true
grep -Eq "room-creation.*key" "$work/check-config.log" || fail "the packaged config does not ask for the key to create rooms"
grep -Eq "web-root.*/usr/share/colead/web" "$work/check-config.log" ||
  fail "the installed server does not use its installed web client (/usr/share/colead/web)"
# Without --config, the installed server reads /etc/colead/colead.conf by itself.
in_root 30 "${as_colead[@]}" /usr/bin/colead-server --check-config >"$work/check-default.log" 2>&1 ||
  { cat "$work/check-default.log"; fail "--check-config without --config fails"; }
grep -q "/etc/colead/colead.conf" "$work/check-default.log" ||
  fail "without --config the installed server does not read /etc/colead/colead.conf"

say "starting the packaged server as colead"
log=$work/server.log
# Port 0: the server picks a free one and says which; the root shares this machine's network.
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin COLEAD_LISTEN=127.0.0.1:0 \
  setpriv --reuid=colead --regid=colead --init-groups \
  /usr/bin/colead-server --config /etc/colead/colead.conf >"$log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 150); do
  port=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" | head -1 | sed 's/.*://') || true
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log"; fail "the packaged server stopped at start"; }
  sleep 0.2
done
[[ -n $port ]] || { cat "$log"; fail "the packaged server did not say where it listens within 30 s"; }
server_uid=$(ps -o uid= -p "$server_pid" | tr -d ' ')
[[ $server_uid == "$uid" ]] || fail "the server runs as uid $server_uid, not colead ($uid)"
key=$(grep -m1 'Organiser key' "$log" | awk '{print $NF}' | tr -d '"\r') || true
[[ -n $key ]] || { cat "$log"; fail "the server printed no organiser key at first start"; }
if grep -rqF -- "$key" "$root/var/lib/colead"; then fail "the organiser key is stored in clear"; fi
data_owner=$(stat -c '%u' "$root/var/lib/colead/organiser-key.sha256")
[[ $data_owner == "$uid" ]] || fail "the organiser key's hash belongs to uid $data_owner, not colead"
say "listening on 127.0.0.1:$port as colead; organiser key read from its first-start output"

# deploy/Dockerfile's HEALTHCHECK command (bash's /dev/tcp, no curl), aimed at this server.
health=$(sed -n 's/^  CMD \["bash", "-c", "\(.*\)"\]$/\1/p' "$src/deploy/Dockerfile" | sed 's/\\\\/\\/g')
[[ $health == *127.0.0.1/8080* ]] || fail "no HEALTHCHECK command on 127.0.0.1/8080 found in deploy/Dockerfile"
timeout 10 bash -c "${health//127.0.0.1\/8080/127.0.0.1\/$port}" ||
  fail "the Dockerfile's HEALTHCHECK command fails against the packaged server"
say "the Dockerfile's HEALTHCHECK passes against it"

# The browser client, served from /usr/share/colead/web.
page=$(timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$port"' &&
  printf "GET / HTTP/1.1\r\nHost: 127.0.0.1:'"$port"'\r\nConnection: close\r\n\r\n" >&3 && cat <&3') ||
  fail "GET / did not answer"
[[ $page == "HTTP/1.1 200"* && $page == *"<html"* ]] || fail "GET / is not the web client: ${page:0:300}"

# ---- from outside the root: create, join, edit --------------------------------------------
client_dir=$(mktemp -d)
cd "$client_dir"
url=http://127.0.0.1:$port
cli=$build/bin/colead

if "$cli" create-room --server "$url" --title "No key" --seats 2 --timeout-ms 10000 \
  >"$work/create-nokey.out" 2>&1; then
  fail "a room was created without the organiser key: $(cat "$work/create-nokey.out")"
fi
"$cli" create-room --server "$url" --title "Package test" --seats 2 --key "$key" --timeout-ms 10000 \
  >"$work/create.out" 2>&1 || { cat "$work/create.out"; fail "create-room with the organiser key failed"; }
room=$(grep -oE '"id" *: *"[^"]+"' "$work/create.out" | head -1 | sed -E 's/.*"([^"]+)"$/\1/')
mapfile -t tokens < <(grep -oE '"token" *: *"[^"]+"' "$work/create.out" | sed -E 's/.*"([^"]+)"$/\1/')
[[ -n $room && ${#tokens[@]} -eq 2 ]] || { cat "$work/create.out"; fail "create-room printed no room id and two tokens"; }
say "room $room created with the key (and refused without it)"

text="Our shared purpose, written through the package"
edit='{"req":"1","edit":{"doc":"purpose","baseRev":"0","op":[{"insert":"'$text'"}],"editId":"package-test-1"}}'
echo "$edit" | timeout 60 "$cli" join --server "$url" --room "$room" --token "${tokens[0]}" \
  --name Ana --role patient --timeout-ms 10000 --drain-ms 3000 >"$work/join1.out" 2>"$work/join1.err" ||
  { cat "$work/join1.out" "$work/join1.err"; fail "join and edit failed"; }
grep -q '"welcome"' "$work/join1.out" || { cat "$work/join1.out"; fail "no welcome for the first member"; }
ack=$(grep -E '"re" *: *"?1"?' "$work/join1.out" | grep '"ack"') ||
  { cat "$work/join1.out" "$work/join1.err"; fail "the edit was not acknowledged"; }
echo "ack: $ack"
[[ $ack == *'"rev":"1"'* || $ack == *'"rev": "1"'* || $ack == *'"rev":1'* ]] || fail "the edit did not become revision 1: $ack"

# The second seat joins and finds the text in the room it is given.
echo '{"req":"2","ping":{}}' | timeout 60 "$cli" join --server "$url" --room "$room" --token "${tokens[1]}" \
  --name Bo --role clinician --timeout-ms 10000 --drain-ms 2000 >"$work/join2.out" 2>"$work/join2.err" ||
  { cat "$work/join2.out" "$work/join2.err"; fail "the second member could not join"; }
grep -qF "$text" "$work/join2.out" || { cat "$work/join2.out"; fail "the second member does not see the edit"; }
say "joined, edited (acknowledged as revision 1) and read back by a second member from $client_dir"
cd /

# ---- stop, then remove (data kept) and purge (data gone) -----------------------------------
kill -TERM "$server_pid"
stopped=
for _ in $(seq 1 100); do
  kill -0 "$server_pid" 2>/dev/null || { stopped=1; break; }
  sleep 0.2
done
[[ -n $stopped ]] || fail "the server did not stop within 20 s of SIGTERM"
wait "$server_pid" && code=0 || code=$?
server_pid=
((code == 0)) || { tail -20 "$log"; fail "the server exited with $code on SIGTERM"; }
bad_owner=$(find "$root/var/lib/colead" ! -uid "$uid" -print -quit)
[[ -z $bad_owner ]] || fail "$bad_owner in the data folder does not belong to colead"
say "server stopped cleanly; every file in /var/lib/colead belongs to colead"

# Installing the package again (as an upgrade does) keeps an edited conffile without asking,
# and keeps the data, its owner and its mode.
echo "# edited by the operator" >>"$root/etc/colead/colead.conf"
in_root 180 apt-get install -y -q --reinstall "/tmp/$(basename "$deb")" >>"$work/apt.log" 2>&1 ||
  fail "installing the package again failed (log: $work/apt.log)"
grep -q "^# edited by the operator$" "$root/etc/colead/colead.conf" ||
  fail "installing again replaced the operator's /etc/colead/colead.conf"
[[ -f $root/var/lib/colead/organiser-key.sha256 ]] || fail "installing again lost the data"
state=$(stat -c '%a %u %g' "$root/var/lib/colead")
[[ $state == "700 $uid $gid" ]] || fail "after installing again /var/lib/colead is '$state'"
say "installing again kept the edited config and the data"

in_root 180 apt-get remove -y -q colead >>"$work/apt.log" 2>&1 || fail "apt-get remove colead failed"
[[ -f $root/etc/colead/colead.conf && -n $(ls -A "$root/var/lib/colead") ]] ||
  fail "remove deleted the settings or the data"
[[ ! -e $root/usr/bin/colead-server ]] || fail "remove left /usr/bin/colead-server"
in_root 180 apt-get purge -y -q colead >>"$work/apt.log" 2>&1 || fail "apt-get purge colead failed"
[[ ! -e $root/var/lib/colead && ! -e $root/etc/colead/colead.conf ]] ||
  fail "purge left /var/lib/colead or /etc/colead/colead.conf"
say "remove kept the settings and data; purge removed them"

echo "package test passed in $(($(date +%s) - t_start)) s"
