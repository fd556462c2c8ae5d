#!/usr/bin/env bash
# `npm test`: every check, in order; the first failure stops the run with a non-zero exit.
# Integration tests start a throw-away PostgreSQL from Debian's package unless DATABASE_URL is
# set; e2e needs Debian's chromium and fonts-noto-cjk (.ci/run installs all of it).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
export FORCE_COLOR="${FORCE_COLOR:-1}"

started=$SECONDS
timings=()
current=''

section() {
  current="$1"
  printf '\n\033[1;36m══ %s ══\033[0m\n' "$1"
}

step() {
  local name="$1"
  shift
  section "$name"
  local t0=$SECONDS
  "$@"
  timings+=("$(printf '%-26s %4ss' "$name" $((SECONDS - t0)))")
}

on_exit() {
  local rc=$?
  if ((rc != 0)); then
    printf '\n\033[1;31m✗ npm test FAILED in "%s" (exit %s) after %ss\033[0m\n' "$current" "$rc" $((SECONDS - started))
  fi
}
trap on_exit EXIT

typecheck() {
  tsc --noEmit -p tsconfig.json
  if [[ -f tsconfig.web.json ]]; then tsc --noEmit -p tsconfig.web.json; fi
}

step 'type check' typecheck
step 'lint (biome)' biome check .
step 'dead code (knip)' knip
mkdir -p test-results
vitest_json() { echo "--reporter=default --reporter=json --outputFile=test-results/vitest-$1.json"; }
# shellcheck disable=SC2046
step 'unit tests' vitest run --project unit $(vitest_json unit)
# shellcheck disable=SC2046
step 'integration (PostgreSQL)' vitest run --project integration $(vitest_json integration)
# shellcheck disable=SC2046
step 'integration (PGlite)' vitest run --project pglite $(vitest_json pglite)
step 'build' npm run build --silent
step 'e2e (Chromium)' env PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/e2e.json playwright test --reporter=list,json

printf '\n\033[1;32m══ summary ══\033[0m\n'
printf '  %s\n' "${timings[@]}"
printf '\033[1;32m✓ npm test passed: %s steps in %ss\033[0m\n' "${#timings[@]}" $((SECONDS - started))
# The closing line CI reads: every test counted across vitest's projects and Playwright.
node scripts/test-summary.mjs
