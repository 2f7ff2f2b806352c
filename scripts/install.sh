#!/usr/bin/env bash
# Installs the claude-masking-proxy binary, its systemd unit and an environment template.
# Idempotent: re-running upgrades the binary and unit and never overwrites an existing env file.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/install.sh [options]
Installs the claude-masking-proxy binary, its systemd unit and an environment template.
Re-running upgrades the binary and the unit; an existing environment file is never overwritten.

  --binary PATH    the binary to install (default: dist/claude-masking-proxy)
  --prefix DIR     install the binary into DIR/bin (default: /usr/local)
  --etc DIR        where the environment file goes (default: /etc/claude-masking-proxy)
  --unit-dir DIR   where the unit goes (default: /etc/systemd/system)
  --dry-run        print what would be done, change nothing
  -h, --help       this text
USAGE
}

BINARY="$(dirname "$0")/../dist/claude-masking-proxy"
PREFIX="/usr/local"
ETC="/etc/claude-masking-proxy"
UNIT_DIR="/etc/systemd/system"
DRY_RUN=0

# An option that takes a value must have one (not the end of the line, not another option).
value_of() {
  if [ $# -lt 2 ] || [ -z "$2" ] || [ "${2#--}" != "$2" ]; then
    echo "install.sh: $1 needs a value (see --help)" >&2
    exit 2
  fi
  printf '%s' "$2"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --binary) BINARY="$(value_of "$@")"; shift 2 ;;
    --prefix) PREFIX="$(value_of "$@")"; shift 2 ;;
    --etc) ETC="$(value_of "$@")"; shift 2 ;;
    --unit-dir) UNIT_DIR="$(value_of "$@")"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

run() {
  if [ "$DRY_RUN" -eq 1 ]; then echo "would run: $*"; else "$@"; fi
}

[ -f "$BINARY" ] || { echo "install.sh: $BINARY not found; run 'bun run build' or pass --binary" >&2; exit 1; }
UNIT_SRC="$(dirname "$0")/claude-masking-proxy.service"

run install -d -m 0755 "$PREFIX/bin"
run install -m 0755 "$BINARY" "$PREFIX/bin/claude-masking-proxy"
run install -d -m 0755 "$UNIT_DIR"
# The unit names /usr/local/bin and /etc/claude-masking-proxy; rewrite them for other places.
if [ "$DRY_RUN" -eq 1 ]; then
  echo "would write: $UNIT_DIR/claude-masking-proxy.service (ExecStart=$PREFIX/bin/claude-masking-proxy serve)"
else
  sed "s#/usr/local/bin/claude-masking-proxy#$PREFIX/bin/claude-masking-proxy#; s#/etc/claude-masking-proxy/#$ETC/#" \
    "$UNIT_SRC" >"$UNIT_DIR/claude-masking-proxy.service"
fi
run install -d -m 0700 "$ETC"
if [ -e "$ETC/proxy.env" ]; then
  echo "keeping existing $ETC/proxy.env"
elif [ "$DRY_RUN" -eq 1 ]; then
  echo "would write: $ETC/proxy.env (mode 0600)"
else
  umask 077
  cat >"$ETC/proxy.env" <<'ENV'
# claude-masking-proxy configuration: `claude-masking-proxy --help` lists every variable.
# Keep this file mode 0600. `claude-masking-proxy verify-setup` (as root) checks what it says.
ANTHROPIC_API_KEY=
# PROXY_API_KEYS=team-a:change-me,team-b:change-me-too
# Plain HTTP: keep HOST on loopback, or put a TLS-terminating proxy in front (see README).
HOST=127.0.0.1
PORT=8000
# The same directories as the unit's, so verify-setup and mask/unmask find the service's store.
DATA_DIR=/var/lib/claude-masking-proxy
CLAUDE_WORKDIR_ROOT=/var/lib/claude-masking-proxy-work
# STORE_URL=redis://127.0.0.1:6379
# Required when several instances share one store (openssl rand -hex 32):
# MASKING_SECRET=
# Scrapers of GET /metrics send it as a Bearer token (openssl rand -hex 24):
# METRICS_TOKEN=
MAPPING_TTL=7d
LOG_LEVEL=info
# Claude Code runs (POST /v1/claude-code) are sandboxed with bubblewrap: apt-get install bubblewrap.
# CLAUDE_RUNNER=auto   (on: verify-setup fails without the claude CLI and bubblewrap; off: no runs)
ENV
  chmod 0600 "$ETC/proxy.env"
fi
if ! command -v bwrap >/dev/null 2>&1; then
  echo "note: bubblewrap is not installed; Claude Code runs will be refused until it is (apt-get install bubblewrap)"
fi
if [ "$DRY_RUN" -eq 1 ]; then
  echo "dry run: nothing was changed."
elif command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "installed. Next: edit $ETC/proxy.env, run 'claude-masking-proxy verify-setup', then: systemctl enable --now claude-masking-proxy"
else
  echo "installed (systemd not running here: enable the unit on the target host)."
fi
