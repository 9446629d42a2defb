# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint typecheck pytest bench cluster migrate demo clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/dispatch migrate

demo: migrate
	$(BIN)/dispatch load-demo

## Set up, migrate and load the demo on SQLite, then serve on http://127.0.0.1:8000
run: demo
	$(BIN)/dispatch serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The suite in two runs: every test but the pages on $(WORKERS) processes (one per core), then
# the pages on their own, since each drives a browser and a server that share the machine and
# keep to timed waits. PYTEST_ARGS (e.g. a folder) makes it one plain run.
WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -p no:cacheprovider

pytest: $(STAMP)
	mkdir -p var
ifeq ($(strip $(PYTEST_ARGS)),)
	rm -f var/test-results*.xml
	$(PYTEST) -n $(WORKERS) --ignore=tests/web --junitxml=var/test-results.xml
	$(PYTEST) --junitxml=var/test-results-web.xml tests/web
else
	$(PYTEST) --junitxml=var/test-results.xml $(PYTEST_ARGS)
endif

## Lint, type-check and run every test (SQLite and PostgreSQL)
test: lint typecheck pytest

## Every benchmark and fault script (< 10 min); writes bench/results.md.
## PG_RESTART=1 also restarts the machine's PostgreSQL for 5 s (run it on a quiet machine).
bench: $(STAMP)
	$(BIN)/python bench/run_all.py $(if $(PG_RESTART),--pg-restart)

## Two API instances (:8001, :8002) and one scheduler on PostgreSQL database hotline_cluster
cluster: $(STAMP)
	$(BIN)/python bench/cluster.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
