#!/usr/bin/env bash
# Load test: 64 connections for 30 s against a real `coop serve` on 127.0.0.1 over a seeded
# database, first the mixed set (list, detail, search, CSV), then each endpoint alone.
# Usage: bench/reliability_load.sh   (DATABASE_URL, WORKERS, CONNECTIONS, DURATION, PORT override)
# Needs wrk (Debian: apt-get install wrk). Writes bench/out/reliability_load.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
PORT=${PORT:-8799}
WORKERS=${WORKERS:-2}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-30s}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }

scratch=$(mktemp -d)
export DATABASE_URL=${DATABASE_URL:-sqlite:///$scratch/coop.db}
export LOG_LEVEL=warning
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

"$PYTHON" -m app migrate >/dev/null
"$PYTHON" -m app seed >/dev/null
"$PYTHON" -m app serve --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" &
server=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null

mkdir -p bench/out
report=bench/out/reliability_load.txt
engine=${DATABASE_URL%%:*}
echo "# $(date -u +%FT%TZ) engine=$engine workers=$WORKERS connections=$CONNECTIONS duration=$DURATION cores=$(nproc)" | tee "$report"
run() {
  local label=$1 paths=$2
  local result
  result=$(PATHS=$paths wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s \
    -s bench/reliability_load.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
  echo "$label ${result#RESULT }" | tee -a "$report"
}
run mixed "/initiatives?limit=50,/initiatives/loop-co-operation-zone,/search?q=hydrogen,/metrics?format=csv"
run list "/initiatives?limit=50"
run detail "/initiatives/loop-co-operation-zone"
run search "/search?q=hydrogen"
run csv "/metrics?format=csv"
