#!/usr/bin/env bash
# End-to-end tests: start the built hrbridge (bin/hrbridge, with the SPA
# embedded) on a fresh SQLite database with the sandbox providers, run the
# Playwright specs in Debian's Chromium against it, stop it.
# Arguments go to Playwright (e.g. a spec file: bash frontend/e2e/run.sh layout).
set -euo pipefail
cd "$(dirname "$0")/../.."

chromium=${HRBRIDGE_E2E_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "e2e: Chromium is required in CI and is missing at $chromium" >&2
    exit 1
  fi
  echo "e2e: SKIPPED: no Chromium at $chromium (apt-get install chromium)"
  exit 0
fi

tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export HRBRIDGE_E2E_URL="http://127.0.0.1:$port"
export HRBRIDGE_E2E_EMAIL="e2e-admin@example.com"
export HRBRIDGE_E2E_PASSWORD="e2e-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

HRBRIDGE_ADDR="127.0.0.1:$port" \
HRBRIDGE_DATABASE_URL="sqlite:$tmp/hrbridge.db" \
HRBRIDGE_SECRET_KEY="e2e-test-key" \
HRBRIDGE_SANDBOX=1 \
HRBRIDGE_ADMIN_EMAIL="$HRBRIDGE_E2E_EMAIL" \
HRBRIDGE_ADMIN_PASSWORD="$HRBRIDGE_E2E_PASSWORD" \
  ./bin/hrbridge serve >"$tmp/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

for _ in $(seq 100); do
  curl -fsS "$HRBRIDGE_E2E_URL/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.2
done

status=0
(cd frontend && npm run --silent e2e -- "$@") || status=$?
if [ "$status" -ne 0 ]; then
  echo "---- server log (last 100 lines) ----" >&2
  tail -n 100 "$tmp/server.log" >&2
fi
exit "$status"
