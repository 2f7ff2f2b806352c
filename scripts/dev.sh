#!/usr/bin/env bash
# Runs the proxy from source with the embedded SQLite store (no Redis needed).
# Needs ANTHROPIC_API_KEY; the client key is generated into ./data on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
# Claude Code runs work in a directory of their own, never one that holds ./data (the keys).
export CLAUDE_WORKDIR_ROOT="${CLAUDE_WORKDIR_ROOT:-$PWD/workspace}"
mkdir -p "$CLAUDE_WORKDIR_ROOT"
exec bun src/main.ts serve "$@"
