# Two entry points do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,eval,bench,postgres,batch,ray]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/inbrief summarize src/inbrief/data/demo/html/en-globalvoices-004-china-a-leaking-dam.html
	$(BIN)/inbrief serve

test: $(VENV)/.installed
	$(BIN)/ruff check src tests bench fuzz scripts
	$(BIN)/ruff format --check src tests bench fuzz scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(VENV)/.installed
	$(BIN)/python bench/summarize_speed.py

clean:
	rm -rf $(VENV) build *.egg-info
