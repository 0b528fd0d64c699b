# Sengen — see README.md. `make demo` and `make test` are the whole set-up (../shared/CONTRACTS.md §1).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export SENGEN_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test test-browser lint venv venv-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install --quiet -e .

venv-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

demo: venv
	$(BIN)/sengen demo --host $(HOST) --port $(PORT)

# The suite runs twice: on the embedded SQLite default, then the database tests again on PostgreSQL.
# Under CI=true a missing PostgreSQL fails the run; elsewhere the PostgreSQL pass is skipped with a reason.
# The browser tests (tests/browser, marker `browser`) drive Debian's Chromium in the SQLite pass only;
# under CI=true a missing /usr/bin/chromium fails them (.ci/run installs it), elsewhere they skip.
test: venv-test lint
	$(BIN)/python -m pytest tests/core -q --cov=sengen.core --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/python -m pytest
	DATABASE_URL=$(SENGEN_TEST_POSTGRES_URL) $(BIN)/python -m pytest -m "(django_db or postgres_too) and not browser"

# Only the browser tests; screenshots land in test-artifacts/screenshots/.
test-browser: venv-test
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/python -m pytest tests/browser -q

lint: venv-test
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
