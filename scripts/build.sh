#!/usr/bin/env bash
# Configures (once) and builds skiff. SANITIZE=1 builds with ASan+UBSan into build-asan/.
# Usage: scripts/build.sh [ninja targets...]; prints the build directory on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SANITIZE:-0}" = 1 ]; then
  dir=${BUILD_DIR:-build-asan}
  # -O0: g++ 12 needs tens of minutes and gigabytes for ASan+UBSan of Beast coroutines at -O2.
  opts=(-Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug)
else
  dir=${BUILD_DIR:-build}
  opts=()
fi
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" "${opts[@]}" >/dev/null
fi
ninja -C "$dir" "$@" >&2 || { echo "skiff: build failed" >&2; exit 1; }
echo "$dir"
