#!/usr/bin/env bash
# Builds what is missing or stale: build.sh [native|wasm|web|sanitize|all]
#   native: engine, GoogleTest suite and benchmark in build/native (CMake)
#   wasm:   Release -O3 -msimd128 Embind modules into web/wasm/ (CMake): defocus_engine (one
#           thread) and defocus_engine_threads (-pthread, for cross-origin isolated pages)
#   sanitize: clang with ASan + UBSan in build/sanitize: the same GoogleTest suite, and the
#           libFuzzer harnesses of fuzz/ (npm run fuzz)
#   web:    wasm, plus what the page serves beside it: the models (built by
#           models/build.js from their npm packages) in web/models/ with files.js (their
#           URLs for bundlers), ONNX Runtime Web's files in web/vendor/ort/, fflate (batch
#           zips) in web/vendor/, and the service worker's file list, so the site is one
#           self-contained folder
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

build_sanitize() {
  [[ -f build/sanitize/CMakeCache.txt ]] ||
    CXX=clang++ cmake -S . -B build/sanitize -DDEFOCUS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Release
  cmake --build build/sanitize -j"$jobs"
}

build_web() {
  build_wasm
  node models/build.js
  # Replaced whole: a model dropped from models.json must not linger (the service worker
  # precaches every file here).
  rm -rf web/models
  mkdir -p web/models web/vendor/ort
  cp models/build/*.onnx models/models.json web/models/
  local ort=node_modules/onnxruntime-web/dist
  # ONNX Runtime's wasm build, the only one defocus uses (no WebGPU/jsep: 28 MB more), for
  # browsers and Node alike. Its source-map comment goes: the map is not shipped, and
  # bundlers' dev servers warn about a map they cannot find.
  cp "$ort/ort-wasm-simd-threaded.mjs" "$ort/ort-wasm-simd-threaded.wasm" web/vendor/ort/
  sed '/^\/\/# sourceMappingURL=/d' "$ort/ort.wasm.min.mjs" > web/vendor/ort/ort.wasm.min.mjs
  cp node_modules/fflate/esm/browser.js web/vendor/fflate.js
  node scripts/model-files.js
  node scripts/samples.js
  node scripts/precache.js
}

case "${1:-all}" in
  native) build_native ;;
  wasm) build_wasm ;;
  web) build_web ;;
  sanitize) build_sanitize ;;
  all) build_native && build_web ;;
  *) echo "usage: build.sh [native|wasm|web|sanitize|all]" >&2; exit 2 ;;
esac
