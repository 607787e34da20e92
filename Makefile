# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# the dask and sensitivity extras too, so that the Dask backend's and the Sobol
# method's tests run rather than skip
$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,dask,sensitivity]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/sim run scenarios/co-production.yaml

# on every core (pytest-xdist): the suite's subprocess and Dask tests are written to run
# side by side; `pytest` alone runs it in one process
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -n auto

# Benchmarks are not part of `make test`: the full suite takes many minutes and its
# numbers depend on the machine. Results go to benchmarks/results/ (see benchmarks/README.md).
.PHONY: bench
bench: $(VENV)/.installed
	$(BIN)/sim bench

# mypy reads its settings (files = sim/) from pyproject.toml
lint: $(VENV)/.installed-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
