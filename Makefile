# The two commands README gives: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench sample mutate clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    - set up .venv (Python >= 3.12) and start the app on the sample province"
	@echo "make test   - set up .venv with dev tools, Chromium, LibreOffice and nginx; ruff, mypy,"
	@echo "              then the whole test suite"
	@echo "make lint   - ruff and mypy (make test runs both before the tests)"
	@echo "make bench  - the quick benchmarks (inputs, solve, export, store); the browser ones"
	@echo "              (scripts/bench_app.py, scripts/bench_load.py) are run by hand"
	@echo "make sample - regenerate the synthetic sample province in data/sample/"
	@echo "make mutate MODULE=planner/domain/gaps.py - mutation score of one core module (mutmut;"
	@echo "              slow, not in CI; MUTATE_ARGS=\"--max-children 1\" for fewer processes)"

run:
	@scripts/ensure-venv requirements.txt
	$(PY) -m streamlit run streamlit_app.py --server.port $(PORT)

test:
	@scripts/ensure-venv requirements-dev.txt
	@scripts/ensure-system-deps
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest $(PYTEST_ARGS)

lint:
	@scripts/ensure-venv requirements-dev.txt
	$(PY) -m ruff check .
	$(PY) -m mypy

bench:
	@scripts/ensure-venv requirements-dev.txt
	$(PY) scripts/bench_inputs.py --sizes 6000,60000
	$(PY) scripts/bench_solve.py --scales province,large
	$(PY) scripts/bench_export.py --scales sample,province
	$(PY) scripts/bench_store.py

sample:
	@scripts/ensure-venv requirements.txt
	$(PY) -m planner.io.sample data/sample

mutate:
	@test -n "$(MODULE)" || { echo "make mutate MODULE=planner/domain/gaps.py (see scripts/mutate.py for the modules)"; exit 2; }
	@scripts/ensure-venv requirements-dev.txt
	$(PY) scripts/mutate.py $(MODULE) $(MUTATE_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mutate mutants
