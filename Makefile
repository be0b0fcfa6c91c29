# specver: every target bootstraps .venv itself, so a fresh clone needs only Python 3.11+, git and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FIX := fixtures/acme
FUZZ_SECONDS ?= 60

.PHONY: demo test lint typecheck bench fuzz golden clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

# `specver diff` exits 1 when it finds changes, as diff(1) does: that is success here.
demo: $(STAMP)
	@echo "== specver show: the Acme spec as released in v2.0.0"
	$(BIN)/specver show $(FIX)/v2.0.0/acme_spec.md
	@echo
	@echo "== specver check: lint the release (it has a dangling reference)"
	$(BIN)/specver check $(FIX)/v2.0.0/acme_spec.md || test $$? -eq 1
	@echo
	@echo "== specver diff: what changed from v1.1.0 to v2.0.0"
	$(BIN)/specver diff $(FIX)/v1.1.0/acme_spec.md $(FIX)/v2.0.0/acme_spec.md || test $$? -eq 1
	@echo
	@echo "== specver bump: the next version after 1.1.0"
	$(BIN)/specver bump $(FIX)/v1.1.0/acme_spec.md $(FIX)/v2.0.0/acme_spec.md --current 1.1.0
	@echo
	@echo "== specver changelog: the entry a maintainer would write"
	$(BIN)/specver changelog $(FIX)/v1.1.0/acme_spec.md $(FIX)/v2.0.0/acme_spec.md --version 2.0.0 --date 2026-06-01

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

golden: $(STAMP)
	SPECVER_REGEN_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden*.py tests/test_changelog.py

bench: $(STAMP)
	$(BIN)/python -m bench

fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
