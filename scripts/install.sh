#!/usr/bin/env bash
# Installs the proxy binary, its systemd unit and an environment template on a Linux host.
# Idempotent: re-running upgrades the binary and unit and never overwrites an existing env file.
#   scripts/install.sh [--binary dist/proxy] [--prefix /usr/local] [--dry-run]
set -euo pipefail

BINARY="$(dirname "$0")/../dist/proxy"
PREFIX="/usr/local"
ETC="/etc/claude-masking-proxy"
UNIT_DIR="/etc/systemd/system"
DRY_RUN=0

while [ $# -gt 0 ]; do
  case "$1" in
    --binary) BINARY="$2"; shift 2 ;;
    --prefix) PREFIX="$2"; shift 2 ;;
    --etc) ETC="$2"; shift 2 ;;
    --unit-dir) UNIT_DIR="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
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
# The unit names /usr/local/bin; rewrite it for another prefix.
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
# claude-masking-proxy configuration (see README.md). Keep this file mode 0600.
ANTHROPIC_API_KEY=
# PROXY_API_KEYS=team-a:change-me,team-b:change-me-too
HOST=127.0.0.1
PORT=8000
# STORE_URL=redis://127.0.0.1:6379
# MASKING_SECRET=   # required when several instances share one store: openssl rand -hex 32
MAPPING_TTL=7d
LOG_LEVEL=info
# Claude Code runs (POST /v1/claude-code) are sandboxed with bubblewrap: apt-get install bubblewrap.
# CLAUDE_WORKDIR_ROOT must not contain DATA_DIR (the unit sets both).
ENV
  chmod 0600 "$ETC/proxy.env"
fi
if ! command -v bwrap >/dev/null 2>&1; then
  echo "note: bubblewrap is not installed; Claude Code runs will be refused until it is (apt-get install bubblewrap)"
fi
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  run systemctl daemon-reload
  echo "installed. Next: edit $ETC/proxy.env, then: systemctl enable --now claude-masking-proxy"
else
  echo "installed (systemd not running here: enable the unit on the target host)."
fi
