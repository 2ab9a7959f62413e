# Two commands for a fresh clone: `make book` and `make test`.
# Both create .venv and install the pinned environment first; nothing is installed by hand.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS := -e ".[authoring,dev,hub]"
PIP_INSTALL := $(BIN)/pip install -q --disable-pip-version-check -c requirements.lock $(EXTRAS)

.PHONY: book test lint check release clean system-deps browser hub-deps

$(STAMP): pyproject.toml requirements.lock
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@echo "==> installing pinned dependencies into $(VENV) (requirements.lock)"
	@# uv (pinned in the lock) installs the lock in seconds where pip takes two minutes; where uv
	@# cannot be had (no wheel for this platform, pip's index only), pip installs the same pins.
	@if $(BIN)/pip install -q --disable-pip-version-check -c requirements.lock uv 2>/dev/null; then \
	  UV_LINK_MODE=copy $(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -c requirements.lock $(EXTRAS) \
	  || { echo "==> uv failed: installing with pip"; $(PIP_INSTALL); }; \
	else $(PIP_INSTALL); fi
	@# rfc3987-syntax (an optional extra of jsonschema's format checks, pulled in by jupyter-events)
	@# builds a grammar at import: 1.6 s of CPU in every process that imports nbformat (each
	@# nbgrader and jupyter-book run). Nothing here checks IRI formats, so jsonschema skips it.
	@echo "import sys; sys.modules.setdefault('rfc3987_syntax', None)" \
	  > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/rta_skip_rfc3987.pth"
	@touch $@

# Debian packages the browser and database tests need (Chromium, PostgreSQL server).
system-deps:
	@./.ci/system-deps

# The book's PDF edition is printed by Chromium: installed when this user may, else skipped.
browser:
	@./.ci/system-deps --optional chromium

book: $(STAMP) browser
	$(BIN)/rta build

# The proxy `rta hub` runs in front of JupyterHub (npm, pinned by course/hub/node/package-lock.json),
# installed into the venv: nothing global.
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy
$(CHP): course/hub/node/package.json course/hub/node/package-lock.json
	@mkdir -p $(VENV)/node
	@cp course/hub/node/package.json course/hub/node/package-lock.json $(VENV)/node/
	@echo "==> installing configurable-http-proxy into $(VENV)/node (npm ci)"
	npm ci --prefix $(VENV)/node --no-fund --no-audit --loglevel=error
	@touch $@

# Users' servers run from .venv/userpy: the venv on a Python other users can read (course/hub/userenv.py).
USERPY := $(VENV)/userpy/.built
$(USERPY): $(STAMP) course/hub/userenv.py
	$(BIN)/python -m course.hub.userenv $(VENV)
	@touch $@

hub-deps: $(STAMP) $(CHP) $(USERPY)

test: $(STAMP) system-deps hub-deps
	$(BIN)/ruff check course tests benchmarks datasets/build
	$(BIN)/mypy
	@# Three workers on two cores: a third of the suite waits on Chromium, servers and kernels
	@# (two workers kept the CPUs 60% busy; 7 min 41 s with two, 6 min 1 s with three, here).
	$(BIN)/pytest -n 3 --dist loadgroup --durations=15

check: $(STAMP)
	$(BIN)/rta check

lint: $(STAMP)
	$(BIN)/ruff check course tests benchmarks datasets/build
	$(BIN)/mypy

clean:
	rm -rf _build _generated grading/source grading/release grading/autograded grading/feedback grading/gradebook.db
