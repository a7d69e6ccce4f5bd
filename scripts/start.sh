#!/usr/bin/env bash
# `npm start`: install what is missing, build the WASM engine and the models, serve the page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/build.sh web
exec node scripts/serve.js
