# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast bench clean

# The venv is rebuilt when a requirements file changes (stamp files).
$(VENV)/.runtime-stamp: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-stamp: $(VENV)/.runtime-stamp requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime-stamp
	$(PY) -m services.migrate
	$(PY) -m ui.serve --server.port $(PORT)

test: $(VENV)/.dev-stamp
	$(PY) -m pytest

test-fast: $(VENV)/.dev-stamp
	$(PY) -m pytest -m "not e2e"

bench: $(VENV)/.dev-stamp
	$(PY) benchmarks/bench_checker.py

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
