#!/usr/bin/env bash
# Installs what the proxy needs to run from source: Bun (from npm when missing) and the
# locked dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v bun >/dev/null 2>&1; then
  echo "setup: installing Bun from npm"
  npm install -g bun >/dev/null
fi
bun install --frozen-lockfile
