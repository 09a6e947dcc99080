#!/usr/bin/env bash
# The main command: installs Heed's Debian packages, builds the release preset
# and runs the kiosk app.
#
#   ./deploy/run.sh
#
# With a display ($DISPLAY set) the kiosk opens in a window (HEED_WINDOW=WxH,
# default 1280x800; HEED_WINDOW=fullscreen runs it as a kiosk does: full screen,
# no cursor). Without one it renders the first screen under Xvfb and writes
# build/screenshots/kiosk.png, and every kiosk screen to build/screenshots/kiosk/.
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

if [ ! -f "$config" ]; then
  mkdir -p "$data_dir"
  cp "$example" "$config"
  cp "$example" "$snapshot"
  echo "run: created $config from the example config (edit it to configure this device)"
elif [ -f "$snapshot" ] && cmp -s "$config" "$snapshot" && ! cmp -s "$example" "$snapshot"; then
  cp "$example" "$config"
  cp "$example" "$snapshot"
  echo "run: updated the unedited $config to the new example config"
fi

heed="$repo/build/release/app/kiosk/heed"

if [ -n "${DISPLAY:-}" ]; then
  if [ "$window" = "fullscreen" ]; then
    echo "run: starting the kiosk full screen on $DISPLAY"
    exec "$heed" --config "$config"
  fi
  echo "run: starting the kiosk in a $window window on $DISPLAY"
  exec "$heed" --config "$config" --windowed "$window"
fi

echo "run: no display; rendering the kiosk under Xvfb"
mkdir -p "$(dirname "$screenshot")"
xvfb-run -a -s "-screen 0 1920x1080x24" "$heed" --config "$config" --screenshot "$screenshot"
# Every kiosk screen in every theme, larger text, lowered, Welsh and Polish (a
# folder argument: one PNG a screen).
xvfb-run -a -s "-screen 0 1920x1080x24" "$heed" --config "$config" --screenshot "$screenshots_dir"
echo "run: done; the kiosk's first screen is in $screenshot, every screen in $screenshots_dir/"
