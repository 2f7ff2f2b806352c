#!/usr/bin/env bash
# Runs the proxy from source with the embedded SQLite store (no Redis needed).
# Needs ANTHROPIC_API_KEY; the client key is generated into ./data on first start.
# Installs only what serving needs: the test-only dependencies (the Claude Code CLI, ~350 MB,
# TypeScript) come with `bash scripts/test.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v bun >/dev/null 2>&1; then
  echo "dev: installing Bun from npm"
  npm install -g bun >/dev/null
fi
# Skipped when the dependencies are there already (a test run's full install serves too).
if [ ! -d node_modules/elysia ] || [ ! -d node_modules/@anthropic-ai/sdk ]; then
  bun install --frozen-lockfile --production >/dev/null
fi
# Claude Code runs work in a directory of their own, never one that holds ./data (the keys).
export CLAUDE_WORKDIR_ROOT="${CLAUDE_WORKDIR_ROOT:-$PWD/workspace}"
mkdir -p "$CLAUDE_WORKDIR_ROOT"
exec bun src/main.ts serve "$@"
