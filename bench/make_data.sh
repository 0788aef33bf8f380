#!/usr/bin/env bash
# Make the synthetic databases the scale benchmarks read: one per scale and engine.
# usage: bench/make_data.sh sqlite|postgresql SCALE...   (e.g. bench/make_data.sh sqlite 1000 10000)
# SQLite files go to bench/out/data/coop-SCALE.db; PostgreSQL databases are coop_SCALE on the
# server bench/postgres.sh starts. Load times are appended to bench/out/synth-times.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINE=$1; shift
PG=${BENCH_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:55432}
mkdir -p bench/out/data
for SCALE in "$@"; do
  if [ "$ENGINE" = sqlite ]; then
    FILE=bench/out/data/coop-$SCALE.db
    rm -f "$FILE" "$FILE-wal" "$FILE-shm"
    URL=sqlite:///$PWD/$FILE
  else
    psql "${PG#postgresql+psycopg://}/postgres" -q -c "DROP DATABASE IF EXISTS coop_$SCALE" -c "CREATE DATABASE coop_$SCALE" 2>/dev/null \
      || psql -h 127.0.0.1 -p "${PG##*:}" -U postgres -q -c "DROP DATABASE IF EXISTS coop_$SCALE" -c "CREATE DATABASE coop_$SCALE"
    URL=$PG/coop_$SCALE
  fi
  DATABASE_URL=$URL .venv/bin/coop migrate >/dev/null
  START=$(date +%s.%N)
  DATABASE_URL=$URL .venv/bin/coop synth --initiatives "$SCALE" --seed 1
  END=$(date +%s.%N)
  printf '%s\t%s\t%.1f\n' "$ENGINE" "$SCALE" "$(echo "$END - $START" | bc)" | tee -a bench/out/synth-times.tsv
done
