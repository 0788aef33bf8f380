#!/usr/bin/env bash
# Install what the benchmarks need beyond the project: wrk (Debian), and Datasette + py-spy in
# their own venv (bench/.venv), so neither becomes a project dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
make .venv/.installed-test  # the project with its test extra (httpx), from requirements/dev.lock
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/pip install -q datasette==0.65.5 py-spy==0.4.3
