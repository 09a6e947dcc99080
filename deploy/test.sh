#!/usr/bin/env bash
# The README's test command: installs what is needed, builds, and runs the whole
# test suite through CTest, twice: the release build, then the ASan+UBSan build.
# Benchmarks (CTest label "bench") and the long chaos runs (label "soak") are
# left out; run them with
#   ctest --preset release -L bench
#   ctest --preset release -L soak
# Usage: deploy/test.sh [--release-only]
set -euo pipefail
cd "$(dirname "$0")/.."

./deploy/install-deps.sh

presets=(release asan)
[ "${1:-}" = "--release-only" ] && presets=(release)

for preset in "${presets[@]}"; do
  echo "== ${preset}: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "== ${preset}: test"
  ctest --preset "$preset" -LE 'bench|soak'
done
