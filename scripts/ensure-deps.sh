#!/usr/bin/env bash
# Installs what defocus needs and is missing: Debian packages through apt-get, npm
# packages from package-lock.json. Safe to run repeatedly; does nothing when all is there.
#   ensure-deps.sh          what `npm start` needs
#   ensure-deps.sh --test   plus GoogleTest and Chromium for the test suites
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
want() {  # want PACKAGE TEST-COMMAND...
  local package=$1; shift
  "$@" >/dev/null 2>&1 || missing+=("$package")
}
want cmake command -v cmake
want make command -v make
want g++ command -v g++
want emscripten command -v emcc
want node-acorn test -f /usr/share/nodejs/acorn/package.json
want libstb-dev test -f /usr/include/stb/stb_image.h
if [[ "${1:-}" == "--test" ]]; then
  want libgtest-dev test -f /usr/include/gtest/gtest.h
  want chromium test -x /usr/bin/chromium  # browser tests drive Debian's Chromium
  # The suite under ASan + UBSan and the libFuzzer harnesses (npm run fuzz) build with clang;
  # libFuzzer and the sanitizer runtimes are in compiler-rt.
  want clang command -v clang++
  want libclang-rt-dev compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a"
fi

if ((${#missing[@]})); then
  echo "defocus: installing Debian packages: ${missing[*]}"
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

# npm packages: (re)install when the lockfile is newer than the last install.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "defocus: installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi
