#!/usr/bin/env bash
# The whole test suite on a fresh machine: setup, the services tests start themselves
# (redis-server, from Debian's packages when absent), the type check, then `bun test`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "test: installing redis-server from Debian packages (tests start their own instances)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi

# Types first: a type error fails the run before the slower suites start.
bun run typecheck
bun test "$@"
