# Every target bootstraps itself: a fresh clone needs only python3 (>= 3.11) and make.
# `make serve` builds the site from the bundled data and serves it; `make test` runs it all.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: serve site test lint typecheck pytest validate policy-tests bench clean bundle check-wheel

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## serve: build everything from data/ and serve the site on http://$(HOST) (live reload)
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr $(HOST)

## site: static build into site/
site: $(STAMP)
	$(BIN)/mkdocs build --strict

## test: lint, type-check, unit/property/browser tests, data and policy checks, strict site build
test: lint typecheck validate policy-tests site pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples tools

typecheck: $(STAMP)
	$(BIN)/mypy

validate: $(STAMP)
	$(BIN)/deflectkit validate data/

policy-tests: $(STAMP)
	$(BIN)/deflectkit test data/policies

pytest: $(STAMP)
	$(BIN)/pytest

## bench: run every benchmark and write BENCHMARKS.md (needs the bench extra)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python -m benchmarks

## bundle: copy the model policy, its tests, the schemas and the bundled sample providers into
## src/deflectkit/bundled/ (the wheel's copies; tests/test_bundled.py fails while they differ)
bundle:
	$(PYTHON) tools/sync_bundled.py

## check-wheel: build the wheel, install it in a fresh venv, `deflectkit init` and build a site
## from it, and one from SAMHSA's export in ../shared (what CI runs before `make test`)
check-wheel:
	$(PYTHON) tools/check_wheel.py

clean:
	rm -rf site .cache build dist .pytest_cache .mypy_cache .ruff_cache docs/_generated
