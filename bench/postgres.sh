#!/usr/bin/env bash
# Start (or stop) the PostgreSQL server the benchmarks use: bench/out/pg, port 55432, trust auth on 127.0.0.1.
# usage: bench/postgres.sh start|stop
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
ROOT=$PWD/bench/out/pg
PORT=${BENCH_PG_PORT:-55432}
RUN=()
if [ "$(id -u)" = 0 ]; then RUN=(runuser -u postgres --); fi
case "${1:-start}" in
  start)
    mkdir -p "$ROOT"
    if [ "$(id -u)" = 0 ]; then chown postgres "$ROOT"; chmod 755 "$PWD/bench/out"; fi
    if [ ! -f "$ROOT/data/PG_VERSION" ]; then
      "${RUN[@]}" "$BIN/initdb" -D "$ROOT/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    # Settings for a 2-core, 24 GiB machine serving reads; fsync off: the data is synthetic and rebuildable.
    "${RUN[@]}" "$BIN/pg_ctl" -D "$ROOT/data" -l "$ROOT/server.log" -w start -o \
      "-p $PORT -k $ROOT -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=2GB \
       -c effective_cache_size=8GB -c work_mem=32MB -c maintenance_work_mem=1GB -c random_page_cost=1.1 \
       -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=8GB" >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT"
    ;;
  stop)
    "${RUN[@]}" "$BIN/pg_ctl" -D "$ROOT/data" -m fast -w stop >/dev/null
    ;;
esac
