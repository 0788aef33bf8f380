# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint fmt migrate seed serve install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,dev]'
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

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
