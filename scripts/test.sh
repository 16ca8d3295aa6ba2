#!/usr/bin/env bash
# The test command (`npm test`): typecheck, lint, unit tests, engine tests, build, browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node22.sh
ensure_dependencies

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "typecheck"
npm run typecheck
step "lint"
npm run lint
step "plugin unit tests (jest)"
npm run test:unit
step "engine tests (node:test, real PGlite and PostgreSQL)"
npm run test:engine
step "build the plugin"
npm run build
step "deployment checks (dist/, provisioning, docker-compose.yaml), benchmark, eval and demo tools"
node --test --test-concurrency=1 --test-reporter=spec "tests/deploy/*.test.ts" "bench/**/*.test.ts" "evals/**/*.test.ts" "demo/**/*.test.ts"
step "browser tests (Playwright, Debian Chromium)"
npx playwright test
