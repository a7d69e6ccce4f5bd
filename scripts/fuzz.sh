#!/usr/bin/env bash
# `npm run fuzz`: every libFuzzer harness of fuzz/ (clang, ASan + UBSan) for FUZZ_SECONDS
# each (default 60). First each harness replays its past findings (fuzz/regressions/<name>/),
# then fuzzes from its corpus (build/fuzz/corpus/<name>/, seeded by fuzz/make-seeds.js and kept
# between runs). Exits non-zero on any finding; the input that caused it is written to
# build/fuzz/findings/ (copy it into fuzz/regressions/<name>/ once fixed).
#   FUZZ_SECONDS=600 npm run fuzz        longer
#   FUZZ_HARNESSES="decode render" ...   some of them
#   scripts/fuzz.sh --no-build           use build/sanitize as it is (npm test builds it)
#   scripts/fuzz.sh --smoke              what npm test runs: the same inputs on every machine
# The smoke run is reproducible on purpose: a fixed seed and a fixed number of inputs per
# harness, from the seeds and past findings only (not the kept corpus), so `npm test` passes or
# fails the same way on every machine and every run; looking for new findings is `npm run fuzz`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
harnesses=${FUZZ_HARNESSES:-"decode segments model_io render"}
smoke=false
for arg in "$@"; do
  [[ "$arg" == --smoke ]] && smoke=true
done
if [[ " $* " != *" --no-build "* && "$smoke" == false ]]; then
  bash scripts/ensure-deps.sh --test
  bash scripts/build.sh sanitize
fi
# Inputs per harness in the smoke run: about 10 s each here (the harnesses differ 300x in speed).
declare -A smoke_runs=([decode]=8000 [segments]=300000 [model_io]=25000 [render]=6000)
mkdir -p build/fuzz/findings
node fuzz/make-seeds.js build/fuzz/seeds >/dev/null

failed=()
printf '%-10s %12s %8s  %s\n' harness runs seconds result
for name in $harnesses; do
  binary=build/sanitize/fuzz/fuzz_$name
  log=build/fuzz/$name.log
  corpus=build/fuzz/corpus/$name
  limits=(-max_total_time="$seconds")
  if $smoke; then
    corpus=build/fuzz/smoke-corpus/$name
    rm -rf "$corpus"
    limits=(-seed=1 -runs="${smoke_runs[$name]}" -max_total_time=120)
  fi
  mkdir -p "$corpus"
  cp -n build/fuzz/seeds/"$name"/* "$corpus"/ 2>/dev/null || true
  result=ok
  # Past findings: each must now run clean. -timeout: a hang guard (each input takes
  # milliseconds; the Gaussian finding took 12-19 s).
  if ! "$binary" -timeout=60 -rss_limit_mb=2048 fuzz/regressions/"$name"/* >"$log" 2>&1; then
    result="REGRESSION (see $log)"
  elif ! "$binary" "${limits[@]}" -timeout=60 -rss_limit_mb=2048 -max_len=4096 \
      -print_final_stats=1 -artifact_prefix=build/fuzz/findings/"$name"- "$corpus" fuzz/regressions/"$name" \
      >>"$log" 2>&1; then
    result="FINDING: $(grep -a -m1 -E 'ERROR|runtime error|bad error reason' "$log" | cut -c1-120) (see $log)"
  fi
  runs=$(grep -a -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  took=$(grep -a -m1 -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | awk '{print $5}' || true)
  printf '%-10s %12s %8s  %s\n' "$name" "$runs" "${took:-$seconds}" "$result"
  [[ "$result" == ok ]] || failed+=("$name")
done
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}; inputs in build/fuzz/findings/" >&2
  exit 1
fi
