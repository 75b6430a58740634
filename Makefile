# Consult: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
BENCH_MODE ?= quick

.PHONY: run test test-any-day lint format bench clean help translations

# The interface languages (LANGUAGES in config.py) and their catalogues.
LOCALES      := en ms zh_Hans zh_Hant id vi ko
CATALOGUES   := $(foreach locale,$(LOCALES),translations/$(locale)/LC_MESSAGES/messages.po)
COMPILED     := $(CATALOGUES:.po=.mo)
# --ignore-dirs: pybabel skips folders named _* by default, which would leave
# templates/_macros out of the catalogues.
EXTRACT_OPTS := --ignore-dirs ".*" -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k Nn_:1,2 \
                -c Translators: --add-location=file --sort-output \
                --project Consult --msgid-bugs-address "" --no-wrap

help:
	@echo "make run     serve the demo consultation on http://$(HOST):$(PORT) (with the scheduler)"
	@echo "make test    run the test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)"
	@echo "make test-any-day  the fast tests again with the clock moved 45 and 400 days ahead"
	@echo "make lint    ruff check and format check"
	@echo "make translations  re-extract translations/messages.pot from the code and templates, update every catalogue"
	@echo "make bench   benchmarks against the stack's own ceilings (BENCH_MODE=quick|full; needs wrk and PostgreSQL, see docs/performance.md)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Consult needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-run

# Compiled catalogues (.mo) are built here, never committed (.gitignore).
$(COMPILED): %.mo: %.po | $(VENV)/.installed-run
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After a change to user-visible strings: the template from the sources, then
# every catalogue updated from it (new messages empty, changed ones fuzzy).
translations: $(VENV)/.installed-run
	$(BIN)/pybabel extract $(EXTRACT_OPTS) -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations \
	  --no-wrap --ignore-obsolete --no-fuzzy-matching
	$(MAKE) --no-print-directory $(COMPILED)

run: export SERVER_NAME ?= $(HOST):$(PORT)
run: $(VENV)/.installed-run $(COMPILED)
	$(FLASK) db upgrade
	$(FLASK) consult seed-demo --if-empty
	@echo "Consult on http://$(HOST):$(PORT)  (scheduler running beside it; Ctrl-C stops both)"
	@$(FLASK) consult scheduler & scheduler=$$!; \
	  trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host $(HOST) --port $(PORT)

# ical.js (npm) parses generated calendars in the tests; without npm the suite
# still runs and those checks are skipped (CI has npm and requires them).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the ical.js calendar checks will be skipped"; fi

# The suite in TEST_WORKERS processes (pytest-xdist); each has its own databases
# (tests/conftest.py); the slow process-level tests stay on one worker.
TEST_WORKERS ?= 2
test: $(VENV)/.installed-dev node_modules/.installed $(COMPILED)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The suite must pass on any day: the fast tests (SQLite, no process-level ones)
# again with the tests' clock moved (tests/clock.py), one day after another,
# each in TEST_WORKERS processes. SHIFT_DAYS to choose other days.
SHIFT_DAYS ?= 45 400
# ... each test's clock started this many seconds late, as on a busy machine.
LATE_SECONDS ?= 2
test-any-day: $(VENV)/.installed-dev node_modules/.installed $(COMPILED)
	@status=0; for days in $(SHIFT_DAYS); do \
	  echo "== the tests' clock moved $$days days ahead"; \
	  CONSULT_TEST_SHIFT_DAYS=$$days CONSULT_TEST_LATE_SECONDS=$(LATE_SECONDS) \
	    $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) \
	      -m "not slow" -k "not postgresql" $(PYTEST_ARGS) || status=1; \
	done; exit $$status

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk (Debian: apt-get install wrk)"; exit 1; }
	$(BIN)/python bench/run.py --mode $(BENCH_MODE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
