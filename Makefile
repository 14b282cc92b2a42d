# The two commands README gives: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench sample clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    - set up .venv (Python >= 3.12) and start the app on the sample province"
	@echo "make test   - set up .venv with dev tools, Chromium and LibreOffice, run the whole test suite"
	@echo "make lint   - ruff"
	@echo "make bench  - run the benchmark scripts (results go into README by hand)"
	@echo "make sample - regenerate the synthetic sample province in data/sample/"

run:
	@scripts/ensure-venv requirements.txt
	$(PY) -m streamlit run streamlit_app.py --server.port $(PORT)

test:
	@scripts/ensure-venv requirements-dev.txt
	@scripts/ensure-system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint:
	@scripts/ensure-venv requirements-dev.txt
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench:
	@scripts/ensure-venv requirements-dev.txt
	$(PY) scripts/bench_solve.py

sample:
	@scripts/ensure-venv requirements.txt
	$(PY) -m planner.sample data/sample

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
