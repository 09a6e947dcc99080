#!/usr/bin/env bash
# Installs every Debian 12 package that Heed's build, app, server and tests need,
# then the npm packages pinned by the lockfiles of the web workspace (assets/web)
# and its browser tests (tests/web). Idempotent: packages already present are
# skipped by apt, and `npm ci` is skipped where node_modules was installed from
# the same lockfile. Runs as root, or through sudo when invoked by an ordinary
# user. Nothing is downloaded outside apt and the npm registry.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git
  # libraries (all found by CMake through find_package or pkg-config)
  libimgui-dev libstb-dev libglfw3-dev libgl-dev
  libsqlite3-dev libcpp-httplib-dev libssl-dev
  doctest-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libsodium-dev uuid-dev libqrencode-dev libpq-dev libctemplate-dev zlib1g-dev
  # the KPI digest's email through an SMTP relay (core/src/server/smtp.cpp)
  libcurl4-openssl-dev
  # time zones for the business calendar (reads the system tzdata)
  libhowardhinnant-date-dev tzdata
  # glad loader generator, run at configure time
  python3-glad
  # fonts the kiosk loads (Latin, Latin Extended-A for Welsh and Polish)
  fonts-dejavu-core
  # a display for screenshots and the app on a machine without one
  xvfb xauth libgl1-mesa-dri x11-utils
  # tests and benchmarks (openssl makes the TLS tests' certificates)
  sqlite3 procps time openssl ca-certificates
  # the server tests read SVG back as XML
  libexpat1-dev
  # the browser the web workspace's end-to-end tests drive (through playwright-core)
  chromium
)
# node and npm for the workspace's pinned packages, from Debian unless a node is already there
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: run as root or install sudo" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages, exactly as each lockfile pins them. A stamp in node_modules holds
# the lockfile's hash, so a second run (or a run after an unrelated change) does
# not reinstall. Run as the invoking user, so node_modules belongs to them.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for dir in assets/web tests/web; do
  lock="$root/$dir/package-lock.json"
  [ -f "$lock" ] || continue
  stamp="$root/$dir/node_modules/.heed-lock.sha256"
  want="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "install-deps: $dir/node_modules matches its lockfile"
    continue
  fi
  echo "install-deps: npm ci in $dir"
  (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
done
