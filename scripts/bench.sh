#!/usr/bin/env bash
# `npm run bench [PHOTO]`: build native, WASM and the models, print the benchmark tables.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --test  # the page benchmark drives Chromium
bash scripts/build.sh all
node bench/run.js "$@"
