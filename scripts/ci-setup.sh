#!/usr/bin/env bash
# Installs what the browser and notebook tests need on a clean Debian machine:
#   - Chromium (Debian's package; playwright-core drives it, nothing is downloaded) and fonts;
#   - jupyter-nbconvert with jupyter_client (needed for --execute; only "Recommended" by nbclient);
#   - the Deno Jupyter kernelspec for the current user (`npx deno jupyter --install`).
# Idempotent, and silent when everything is already present. Run after `npm ci` (Deno is a devDependency).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

log() { echo "ci-setup: $*"; }
# Debian's Python, the one Debian's jupyter runs on (not a pyenv or venv python3 earlier on the PATH).
PY=/usr/bin/python3

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else log "not root and no sudo: cannot install Debian packages"; fi
fi

# 1. Debian packages, installed only if missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-liberation 2>/dev/null | grep -q "install ok installed" || missing+=(fonts-liberation)
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "install ok installed" || missing+=(fonts-dejavu-core)
command -v jupyter-nbconvert >/dev/null 2>&1 || missing+=(jupyter-nbconvert)
"$PY" -c "import jupyter_client" >/dev/null 2>&1 || missing+=(python3-jupyter-client)

if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  apt_log="$(mktemp)"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    rm -f "$apt_log"
    log "apt-get failed"
    exit 1
  fi
  rm -f "$apt_log"
fi

# 2. The Deno kernelspec, (re)installed when missing or pointing at another Deno than this checkout's.
DENO="$ROOT/node_modules/.bin/deno"
if [ ! -x "$DENO" ]; then
  log "$DENO not found: run \`npm ci\` first"
  exit 1
fi
current="$("$PY" - <<'EOF' 2>/dev/null || true
from jupyter_client.kernelspec import KernelSpecManager
try:
    print(KernelSpecManager().get_kernel_spec("deno").argv[0])
except Exception:
    pass
EOF
)"
if [ "$current" != "$DENO" ] || [ ! -x "$current" ]; then
  log "installing the Deno Jupyter kernelspec (${current:-none} -> $DENO)"
  kernel_log="$(mktemp)"
  if ! (cd "$ROOT" && npx --no deno jupyter --install --force) >"$kernel_log" 2>&1; then
    cat "$kernel_log" >&2
    rm -f "$kernel_log"
    log "npx deno jupyter --install failed"
    exit 1
  fi
  rm -f "$kernel_log"
fi
