# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

# Every package pinned with its hashes: run.lock is what the app needs (make run, Docker),
# dev.lock adds the test and dev extras (make test). `make lock` writes both from pyproject.toml.
RUN_LOCK := requirements/run.lock
DEV_LOCK := requirements/dev.lock
LOCK_DIR ?= requirements
LOCK_FLAGS := --quiet --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
	--custom-compile-command 'make lock'

.PHONY: run test lint lock lock-check fmt migrate seed serve install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled whenever a lock (or pyproject.toml) is newer than the stamp.
$(STAMP): $(RUN_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(RUN_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(TEST_STAMP): $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP) $@

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/coop migrate

seed: migrate
	$(BIN)/coop seed

run: seed  ## create the venv, install, migrate, seed, serve on http://$(HOST):$(PORT)
	$(BIN)/coop serve --host $(HOST) --port $(PORT)

test: $(TEST_STAMP)  ## the whole suite, on SQLite and PostgreSQL
	$(BIN)/python -m pytest $(PYTEST_ARGS)

.PHONY: test-fast
test-fast: $(TEST_STAMP)  ## the suite without the tests marked slow (pyproject.toml), for a quick check while developing
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# deptry: every imported third-party module is a declared dependency of the right group.
# app/ and migrations/ may import runtime dependencies only ([tool.deptry] in pyproject.toml);
# tests/ and bench/ also the test extra.
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/deptry .
	$(BIN)/deptry tests bench --exclude '.*\.venv' --optional-dependencies-dev-groups dev --ignore DEP002

# Re-resolves from pyproject.toml, keeping every pin that still fits (uv prefers the versions
# already in the output file). run.lock is resolved within dev.lock: what runs is what was tested.
lock: $(TEST_STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra test --extra dev $(LOCK_FLAGS) -o $(LOCK_DIR)/dev.lock
	$(BIN)/uv pip compile pyproject.toml -c $(LOCK_DIR)/dev.lock $(LOCK_FLAGS) -o $(LOCK_DIR)/run.lock

# The locks are in step with pyproject.toml when `make lock` would pin the same versions.
# Hashes are not compared: PyPI may add a wheel to a release that is already pinned.
lock-check: $(TEST_STAMP)
	rm -rf $(VENV)/lock-check && mkdir $(VENV)/lock-check
	cp $(RUN_LOCK) $(DEV_LOCK) $(VENV)/lock-check/
	$(MAKE) --no-print-directory lock LOCK_DIR=$(VENV)/lock-check
	@for lock in $(RUN_LOCK) $(DEV_LOCK); do \
	  grep -i '^[a-z0-9]' $$lock > $(VENV)/lock-check/pinned; \
	  grep -i '^[a-z0-9]' $(VENV)/lock-check/$$(basename $$lock) > $(VENV)/lock-check/resolved; \
	  diff -u $(VENV)/lock-check/pinned $(VENV)/lock-check/resolved \
	    || { echo "$$lock is out of step with pyproject.toml: run 'make lock' and commit it"; exit 1; }; \
	done

fmt: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
