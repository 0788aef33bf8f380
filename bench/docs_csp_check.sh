#!/usr/bin/env bash
# Render /docs and /redoc (served from local assets) under the app's Content-Security-Policy
# in headless Chromium; print every CSP report from the console and save screenshots to
# bench/out/. Needs Debian's chromium. Exits non-zero if a script or style was blocked.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
PORT=${PORT:-8796}
mkdir -p bench/out
# The docs pages need no database: an in-memory one keeps the check self-contained.
DATABASE_URL=sqlite:// LOG_LEVEL=warning "$PYTHON" -m uvicorn app.asgi:app --host 127.0.0.1 --port "$PORT" --log-level warning &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/docs" >/dev/null 2>&1 && break; sleep 0.2; done
blocked=0
for page in docs redoc; do
  reports=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --virtual-time-budget=8000 --window-size=1200,900 --screenshot="bench/out/csp-$page.png" \
    "http://127.0.0.1:$PORT/$page" 2>&1 | grep "Content Security Policy" || true)
  echo "/$page: ${reports:-no CSP reports}"
  if echo "$reports" | grep -Eq "(script|style)-src"; then blocked=1; fi
done
exit $blocked
