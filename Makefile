# OCOP Connect: `make run` serves the platform with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_PRODUCTS ?= 3000

.PHONY: install lock upgrade chromium run test test-sqlite test-postgres lint bench messages clean

LOCK := requirements.lock
BOOTSTRAP_LOCK := requirements-bootstrap.lock
UV := $(BIN)/uv
COMPILE := pip compile --quiet --generate-hashes --python-version 3.11 \
  --python-platform x86_64-manylinux_2_28 --custom-compile-command "make upgrade"

# The venv holds exactly the lock: uv (itself pinned by hash) syncs it, then adds this project.
$(STAMP): $(LOCK) $(BOOTSTRAP_LOCK) pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) is required" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(BOOTSTRAP_LOCK)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $(STAMP)

# After changing pyproject.toml's dependencies: lock the change, moving nothing else.
lock: $(STAMP)
	$(UV) $(COMPILE) --extra dev -o $(LOCK) pyproject.toml

# Move the lock to the newest versions pyproject.toml allows, then prove them with the suite.
upgrade: $(STAMP)
	$(UV) $(COMPILE) --upgrade --extra dev -o $(LOCK) pyproject.toml
	sed -n 's/^\(uv==[^ ]*\).*/\1/p' $(LOCK) | $(UV) $(COMPILE) -o $(BOOTSTRAP_LOCK) -
	$(MAKE) --no-print-directory test

install: $(STAMP)
	$(BIN)/ocop fetch-meili >/dev/null

run: install
	$(BIN)/ocop migrate
	$(BIN)/ocop seed --if-empty --products $(DEMO_PRODUCTS)
	@echo "Demo logins (password ocop-demo-2026): admin@ocop.demo, btc@ocop.demo, htx@ocop.demo, npp@ocop.demo, canbo@ocop.demo (OCOP officer)"
	DEV_MAILBOX=1 $(BIN)/ocop serve

# The browser test drives Debian's Chromium through Playwright (no browser download).
chromium:
	@command -v chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium >/dev/null; }

test: install chromium
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# pytest exits 5 when it collects nothing; that is not a failure of the code.
test-sqlite:
	$(BIN)/pytest -q; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

test-postgres:
	@$(BIN)/python -c "import asyncio, asyncpg; asyncio.run(asyncpg.connect('$(TEST_DATABASE_URL)'))" \
	  2>/dev/null || { echo "make: PostgreSQL is not reachable at $(TEST_DATABASE_URL)" >&2; exit 1; }
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -q -m db; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy config matchmaking search web jobs cli bench
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m bench.run_all $(BENCH)

messages: install
	$(BIN)/pybabel extract -F babel.cfg -o config/locale/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i config/locale/messages.pot -d config/locale --omit-header --no-fuzzy-matching

clean:
	rm -rf $(VENV) var
