#!/usr/bin/env bash
# Runs the proxy from source with the embedded SQLite store (no Redis needed).
# Needs ANTHROPIC_API_KEY; the client key is generated into ./data on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
exec bun src/main.ts serve "$@"
