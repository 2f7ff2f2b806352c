#!/usr/bin/env bash
# The whole test suite on a fresh machine: setup, the Debian packages the tests use
# (installed when absent), the type check, then `bun test`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

# Debian packages the tests need: redis-server (tests start their own instances) and
# bubblewrap (the runner's sandbox, exercised against a hostile model).
missing=()
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then missing+=(redis-server); fi
if ! command -v bwrap >/dev/null 2>&1; then missing+=(bubblewrap); fi
# python3 runs the detection corpus's scorer (bun run eval).
if ! command -v python3 >/dev/null 2>&1; then missing+=(python3); fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test: installing ${missing[*]} from Debian packages"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Types first: a type error fails the run before the slower suites start.
bun run typecheck
bun test "$@"
# The SDK and real-CLI suites again, against the Amazon Bedrock and Google Vertex stand-ins.
if [ "$#" -eq 0 ]; then
  TEST_UPSTREAM_PROVIDER=bedrock bun test tests/proxy/messages-service.test.ts tests/e2e/claude-cli.test.ts tests/e2e/claude-cli-memory.test.ts tests/e2e/claude-cli-bedrock.test.ts tests/e2e/claude-cli-vertex.test.ts
  TEST_UPSTREAM_PROVIDER=vertex bun test tests/proxy/messages-service.test.ts tests/e2e/claude-cli.test.ts tests/e2e/claude-cli-memory.test.ts tests/e2e/claude-cli-vertex.test.ts
fi
# Detection recall on the labelled corpus: fails below the best figures measured so far.
if [ "$#" -eq 0 ]; then bun run eval | tail -n 2; fi
