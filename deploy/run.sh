#!/usr/bin/env bash
# The main command: installs Heed's Debian packages, builds the release preset,
# starts head office's server on this machine and runs the kiosk connected to it.
#
#   ./deploy/run.sh
#
# The server (heed-server) listens on the config's server_url when that is a
# loopback address (the example's http://127.0.0.1:8080), with its data in
# $HEED_DATA_DIR/server; it stops when the kiosk does. On first run the device is
# enrolled with a one-time code (heed-server enroll-code, heed-device enroll), and
# a head-office user "admin" is made with a random password kept in
# $HEED_DATA_DIR/server/admin-password (owner-only). The server also serves head
# office's workspace at the server_url: the script prints its address and where
# the admin password is.
#
# With a display ($DISPLAY set) the kiosk opens in a window (HEED_WINDOW=WxH,
# default 1280x800; HEED_WINDOW=fullscreen runs it as a kiosk does: full screen,
# no cursor): every answer sent from it reaches the server, and when the kiosk
# closes the script prints what head office now sees. Without a display it runs
# under Xvfb: one customer's answers go through the real kiosk and the real sync
# engine to the server (screenshot build/screenshots/kiosk.png), and every kiosk
# and staff screen is written to build/screenshots/kiosk/. Then, run from a
# terminal, the server stays up for the workspace until Ctrl+C.
#
# The device's data lives in a writable per-user folder, never in assets/: on
# first run the example config is copied to $HEED_DATA_DIR/device.json (default
# ./heed-data), and its relative "database" path puts the device store beside it.
# Edit that copy to configure the device: later runs keep an edited copy, and
# refresh an unedited one when the example changes (a snapshot of the example it
# was copied from sits beside it).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

data_dir="${HEED_DATA_DIR:-$repo/heed-data}"
config="$data_dir/device.json"
example="$repo/assets/config/device.example.json"
snapshot="$data_dir/.device.example.json"
window="${HEED_WINDOW:-1280x800}"
screenshot="$repo/build/screenshots/kiosk.png"
screenshots_dir="$repo/build/screenshots/kiosk"

echo "run: installing dependencies"
"$repo/deploy/install-deps.sh"

echo "run: configuring and building the release preset"
cmake --preset release
cmake --build --preset release

# The device store and the server's database hold personal data and password
# hashes: their folders are the owner's only (an existing one is tightened too).
install -d -m 0700 "$data_dir"
if [ ! -f "$config" ]; then
  cp "$example" "$config"
  cp "$example" "$snapshot"
  echo "run: created $config from the example config (edit it to configure this device)"
elif [ -f "$snapshot" ] && cmp -s "$config" "$snapshot" && ! cmp -s "$example" "$snapshot"; then
  cp "$example" "$config"
  cp "$example" "$snapshot"
  echo "run: updated the unedited $config to the new example config"
fi

heed="$repo/build/release/app/kiosk/heed"
heed_server="$repo/build/release/app/server/heed-server"
heed_device="$repo/build/release/app/device/heed-device"

# What the config says (python3 is installed with the build's glad generator).
config_value() {
  python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); print(c.get(sys.argv[2], sys.argv[3]))' \
    "$config" "$1" "$2"
}
server_url="$(config_value server_url "")"
store_id="$(config_value store_id "")"
device_name="$(config_value device_name "Heed kiosk")"
database="$(config_value database heed-device.db)"
case "$database" in /*) ;; *) database="$data_dir/$database" ;; esac

# ---- Head office's server, when the config points at this machine ----
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT

listen=""
case "$server_url" in
  http://127.0.0.1:* | http://localhost:*) listen="127.0.0.1:${server_url##*:}"; listen="${listen%%/*}" ;;
esac
admin_password=""
if [ -n "$listen" ]; then
  server_data="$data_dir/server"
  server_log="$data_dir/server.log"
  install -d -m 0700 "$server_data"
  echo "run: starting heed-server on $listen (data $server_data, log $server_log)"
  "$heed_server" serve --data "$server_data" --listen "$listen" >"$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$server_log" && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
      server_pid=""
      echo "run: heed-server did not start (is $listen already in use?):" >&2
      cat "$server_log" >&2
      exit 1
    fi
    sleep 0.1
  done

  password_file="$server_data/admin-password"
  if [ ! -f "$password_file" ]; then
    admin_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    printf '%s\n' "$admin_password" | "$heed_server" user add --data "$server_data" --username admin --role admin
    (umask 077 && printf '%s\n' "$admin_password" >"$password_file")
    echo "run: made head-office user admin (password in $password_file)"
  fi
  admin_password="$(cat "$password_file")"
  workspace_url="${server_url%/}/"
  echo "run: head office's workspace is at $workspace_url (sign in as admin; the password is in $password_file)"

  if ! "$heed_device" status --db "$database" --json | grep -q '"enrolled": *true'; then
    code="$("$heed_server" enroll-code --data "$server_data" --store "$store_id")"
    "$heed_device" enroll --db "$database" --server "$server_url" --code "$code" --name "$device_name" \
      --allow-insecure
    echo "run: enrolled this device with head office for store $store_id"
  fi
fi

# What head office sees: the KPIs, over the API as a head-office user would.
show_head_office() {
  [ -n "$listen" ] || return 0
  python3 - "$server_url" "$admin_password" <<'PY'
import json, sys, urllib.request
url, password = sys.argv[1], sys.argv[2]
def call(path, body=None, token=None):
    request = urllib.request.Request(url + path, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)
token = call("/api/v1/auth/login", {"username": "admin", "password": password})["token"]
kpis = call("/api/v1/kpis", token=token)
open_cases = call("/api/v1/cases?status=open", token=token)
cases = open_cases.get("cases", open_cases) if isinstance(open_cases, dict) else open_cases
print("run: head office now has %d feedback record(s): CSAT mean %s, NPS %s; %d complaint(s); %d open case(s)" % (
    kpis["feedback"]["count"], kpis["csat"]["mean"], kpis["nps"]["score"], kpis["complaints"]["count"], len(cases)))
PY
}

if [ -n "${DISPLAY:-}" ]; then
  if [ "$window" = "fullscreen" ]; then
    echo "run: starting the kiosk full screen on $DISPLAY"
    "$heed" --config "$config" || status=$?
  else
    echo "run: starting the kiosk in a $window window on $DISPLAY"
    "$heed" --config "$config" --windowed "$window" || status=$?
  fi
  "$heed_device" status --db "$database" || true
  show_head_office
  exit "${status:-0}"
fi

echo "run: no display; one customer's answers through the kiosk under Xvfb"
mkdir -p "$(dirname "$screenshot")"
xvfb-run -a -s "-screen 0 1920x1080x24" "$heed" --config "$config" --demo-record "$screenshot"
"$heed_device" status --db "$database"
show_head_office
# Every kiosk and staff screen in every theme, larger text, lowered, Welsh and
# Polish (a folder argument: one PNG a screen; nothing is stored or sent).
xvfb-run -a -s "-screen 0 1920x1080x24" "$heed" --config "$config" --screenshot "$screenshots_dir"
echo "run: done; the kiosk's thank-you screen is in $screenshot, every screen in $screenshots_dir/"
# Someone at a terminal came to use Heed: head office's server stays up for the
# workspace until they stop it. Run from a script (no terminal), the run ends here.
if [ -n "$listen" ] && [ -t 0 ]; then
  echo "run: head office's workspace stays up at $workspace_url (admin's password in $password_file);" \
    "press Ctrl+C to stop the server"
  wait "$server_pid" || true
fi
