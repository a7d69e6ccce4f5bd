#!/usr/bin/env bash
# `npm test`: install what is missing, build native and WASM, run every suite.
# Runs all suites even when one fails; exits non-zero if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --test
bash scripts/build.sh all
bash scripts/build.sh sanitize

failed=()
echo "== native engine suite (GoogleTest via CTest)"
ctest --test-dir build/native --output-on-failure -j2 || failed+=(native)
echo "== native engine suite again under ASan + UBSan (clang, build/sanitize)"
ctest --test-dir build/sanitize --output-on-failure -j2 || failed+=(sanitize)
echo "== fuzz smoke: past findings, then a fixed set of fuzzed inputs per harness (npm run fuzz to search for new ones)"
bash scripts/fuzz.sh --no-build --smoke || failed+=(fuzz)
echo "== model tools, WASM module, JS and browser suites, the npm package (node --test; browser tests in Debian Chromium)"
node --test tests/models/ tests/wasm/ tests/js/ tests/e2e/ tests/cli/ tests/package/ || failed+=(node)

if ((${#failed[@]})); then
  echo "defocus: FAILED suites: ${failed[*]}" >&2
  exit 1
fi
echo "defocus: all suites passed"
