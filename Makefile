# Quick start: `make run` and `make test`. Both create .venv when missing and
# reinstall only when pyproject.toml changes, so a second run is quick.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
MAP    ?= maps/nato-asia-pacific.yaml
# `make fuzz FUZZ="--engine atheris --runs 100000"` for a coverage-guided run (pip install -e '.[fuzz]')
FUZZ   ?= --engine hypothesis --target all --runs 2000

.PHONY: run test test-llm bench bench-peers fuzz docs fmt clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "argmap needs Python 3.11 or newer; set PYTHON=python3.11 or similar")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/argmap check $(MAP)
	$(BIN)/argmap show $(MAP)
	$(BIN)/argmap render $(MAP) --svg

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Not part of `make test`: builds llama.cpp's server and fetches a small model into bench/out (test tools only)
test-llm: $(STAMP)
	$(BIN)/python bench/llm_e2e.py --record

docs: $(STAMP)
	$(BIN)/python -m argmap.checks.docs > docs/rules.md
	$(BIN)/python -m argmap.map.schemes > docs/schemes.md

fmt: $(STAMP)
	$(BIN)/argmap fmt maps/

bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-peers: $(STAMP)
	$(BIN)/python bench/peers.py install

fuzz: $(STAMP)
	$(BIN)/python tests/fuzz/campaign.py $(FUZZ)

clean:
	rm -rf $(VENV) build dist .pytest_cache
