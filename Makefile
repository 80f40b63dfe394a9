# rnnbook: every command a reader or a developer needs. Run `make help`.
# Setup is automatic: the first `make book`, `make lab` or `make test` creates the
# virtualenv .venv inside the repository, installs the pinned toolchain and vendors
# the book's JavaScript from the npm registry. Later runs reuse them.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# This machine's pip configuration lists local package folders that may not exist;
# pip warns about each one. The filter hides only those lines.
PIPQUIET := 2>&1 | { grep -v '^WARNING: Location' || true; }
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
PYTEST_ARGS ?=
# PyTorch (tests only) is pinned to its CPU build, torch==2.13.0+cpu, which PyPI does
# not carry. pip finds it where its configuration points (this machine keeps the wheel
# on disk); elsewhere, give PyTorch's CPU-only wheel index:
#   make test TORCH_INDEX=<URL of PyTorch's CPU-only wheel index>
TORCH_INDEX ?=
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# The book's matrices are small: one BLAS thread per process is faster, and the tests
# already run two processes (and their kernels) on the machine's two cores.
ONE_THREAD := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

.PHONY: help setup book book-cache lab test notebooks vendor chromium serve bench clean
# A recipe that fails or is interrupted leaves no stamp behind: the next run resumes.
.DELETE_ON_ERROR:

help:
	@echo "make book       build the static book into _build/html (sets everything up first)"
	@echo "make lab        open the chapters in JupyterLab (.md files open as notebooks)"
	@echo "make test       run every test: package, book build (chapters vs references), browser"
	@echo "make notebooks  re-execute the chapters and rewrite tests/notebooks/*.ipynb (references)"
	@echo "make serve      serve _build/html on http://127.0.0.1:8000"
	@echo "make bench      run the benchmarks in benchmarks/"

# --- setup -----------------------------------------------------------------
# A venv whose creation was interrupted (no pip in it) is made again from scratch.
$(VENV)/.book-installed: requirements.lock requirements-data.lock pyproject.toml
	@$(PY) -m pip --version >/dev/null 2>&1 || { \
	  [ ! -e $(VENV) ] || echo "$(VENV) is incomplete (an interrupted setup?): creating it again"; \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PIP) -r requirements.lock $(PIPQUIET)
	$(PIP) --no-deps -r requirements-data.lock $(PIPQUIET)
	$(PIP) --no-deps --no-build-isolation -e . $(PIPQUIET)
	@mkdir -p $(dir $(LAB_SETTINGS))
	@cp .ci/lab_overrides.json $(LAB_SETTINGS)
	@touch $@

$(VENV)/.test-installed: $(VENV)/.book-installed requirements-test.lock
	$(PIP) -r requirements-test.lock $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)) $(PIPQUIET) || { \
	  echo "Could not install requirements-test.lock. PyTorch's CPU build (torch==2.13.0+cpu) is"; \
	  echo "not on PyPI: run again with TORCH_INDEX=<URL of PyTorch's CPU-only wheel index>."; \
	  exit 1; }
	@touch $@

setup: $(VENV)/.book-installed vendor

_vendor/.installed: .ci/js/package.json .ci/js/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (it provides npm), then run make again." \
	  "npm fetches the book's JavaScript (MathJax, the widget manager) into _vendor/."; exit 1; }
	cd .ci/js && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -rf _vendor && mkdir -p _vendor/vendor/mathjax _vendor/vendor/require _vendor/vendor/html-manager
	cp -r .ci/js/node_modules/mathjax/es5/. _vendor/vendor/mathjax/
	cp .ci/js/node_modules/requirejs/require.js _vendor/vendor/require/
	cp .ci/js/node_modules/@jupyter-widgets/html-manager/dist/*.js _vendor/vendor/html-manager/
	@touch $@

vendor: _vendor/.installed

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# --- the book ----------------------------------------------------------------
# The execution cache keys a chapter by its code only: when the package's source or
# its recorded results change, the cache and the doctrees go, and every chapter runs
# again (a stamp holds the hash of rnnbook/**/*.py and *.json).
SOURCE_STAMP := _build/.rnnbook-source
book-cache:
	@new=$$(find rnnbook -name '*.py' -o -name '*.json' | LC_ALL=C sort | xargs cksum | cksum); \
	if [ "$$(cat $(SOURCE_STAMP) 2>/dev/null)" != "$$new" ]; then \
	  if [ -d _build/.jupyter_cache ]; then echo "rnnbook/ changed since the last build: every chapter runs again"; fi; \
	  rm -rf _build/.jupyter_cache _build/.doctrees; mkdir -p _build; echo "$$new" > $(SOURCE_STAMP); fi

book: setup book-cache
	env -u MPLBACKEND $(ONE_THREAD) RNNBOOK_EXPLORER=static $(BIN)/jupyter-book build . --keep-going
	@echo
	@echo "The book is in _build/html. Open file://$(CURDIR)/_build/html/index.html"
	@echo "or run 'make serve' and visit http://127.0.0.1:8000"

serve:
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

# .ci/jupyter holds the reading room's settings (see its jupyter_server_config.py).
lab: setup
	@echo "JupyterLab serves the chapters: open the http://127.0.0.1:8888/lab/tree/00_preface.md?token=..."
	@echo "URL printed below (with its token) in a browser. Stop the server with Ctrl-C, then y."
	JUPYTER_CONFIG_PATH=$(CURDIR)/.ci/jupyter $(BIN)/jupyter lab $(ROOT_FLAG)

notebooks: $(VENV)/.test-installed
	$(ONE_THREAD) $(PY) .ci/notebooks.py

# --- tests -------------------------------------------------------------------
# One pytest run: unit, property and parity tests with coverage of rnnbook; the `-W`
# book build, which executes every chapter once, and the comparison of its outputs
# with the reference notebooks (nbval's rules); the browser tests. A skipped test
# fails the run (tests/conftest.py).
test: $(VENV)/.test-installed vendor chromium
	$(ONE_THREAD) $(PY) -m pytest -n 2 --dist loadfile \
	  --cov=rnnbook --cov-report=term --cov-fail-under=90 --durations=15 \
	  tests $(PYTEST_ARGS)

bench: $(VENV)/.test-installed
	@for f in benchmarks/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf _build _vendor .ci/js/node_modules
