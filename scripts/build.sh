#!/usr/bin/env bash
# Builds what is missing or stale (CMake decides): build.sh [native|wasm|all]
#   native: engine, GoogleTest suite and benchmark in build/native
#   wasm:   Release -O3 -msimd128 Embind module into web/wasm/
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
# Debian's emcc needs Debian's JS modules (acorn), which Node does not search by default.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

build_native() {
  [[ -f build/native/CMakeCache.txt ]] || cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release
  cmake --build build/native -j"$jobs"
}

build_wasm() {
  [[ -f build/wasm/CMakeCache.txt ]] || emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release
  cmake --build build/wasm -j"$jobs"
}

case "${1:-all}" in
  native) build_native ;;
  wasm) build_wasm ;;
  all) build_native && build_wasm ;;
  *) echo "usage: build.sh [native|wasm|all]" >&2; exit 2 ;;
esac
