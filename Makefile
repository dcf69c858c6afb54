# Jobtrail — two commands: `make run` and `make test`.
#
#   make run    web + Celery worker + Celery beat on http://127.0.0.1:8000/ (HOST/PORT to change)
#   make test   make lint (ruff, the migration check, mypy), then the whole pytest suite
#
# Both create .venv and install the locked dependencies on first use (again whenever a lock file
# changes): `make run` the application's (requirements.lock), `make test` those plus the test
# tools (requirements-dev.lock, the same pins plus pytest, Playwright, ruff ...). Both use an
# embedded PostgreSQL and Redis under .data/ unless DATABASE_URL / REDIS_URL are set.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
STAMP    := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
PIP      := $(BIN)/python -m pip install --quiet --no-compile --disable-pip-version-check
export CHROMIUM

.PHONY: run test lint format install chromium firefox lock clean-data ci migrate shell audit screens

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.lock | $(VENV)/bin/python
	$(PIP) -r requirements.lock
	@touch $(RUN_STAMP)

# The dev lock pins the same versions as requirements.lock, so it satisfies `make run` too.
$(STAMP): requirements-dev.lock | $(VENV)/bin/python
	$(PIP) -r requirements-dev.lock
	@touch $(STAMP) $(RUN_STAMP)

install: $(STAMP)

## Web + Celery worker + Celery beat; Ctrl-C stops them all (and the embedded servers).
run: $(RUN_STAMP)
	$(BIN)/python -m config.run

## make lint, then the whole suite, browser tests included. PYTEST_ARGS="-k name" to narrow it.
## Exit status 5 (no tests collected) is a failure too, and says so.
test: $(STAMP) chromium lint
	@status=0; $(BIN)/python -m pytest -ra $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests (exit 5)" >&2; fi; \
	exit $$status

## Screenshots of the 12 main pages at 390, 768 and 1280 px into docs/screens/ (Chromium on a live
## server with the demo data; the same run checks axe-core and the 390 px width: tests/e2e/test_pages.py).
screens: $(STAMP) chromium
	JOBTRAIL_SCREENS=docs/screens $(BIN)/python -m pytest tests/e2e/test_pages.py -q -p no:randomly

## ruff; a model change without its migration; mypy (django-stubs) over the files listed in
## pyproject.toml's [tool.mypy] (every services, selectors and views module, the summary engine,
## config but settings, the live sources, clipping).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Browser tests drive Debian's Chromium; installed here when missing and we are root.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at $(CHROMIUM), which is missing." >&2; \
		echo "Install it with:  sudo apt-get install chromium" >&2; \
		echo "or point to another build:  make test CHROMIUM=/path/to/chromium" >&2; \
		exit 1; \
	fi

## The Firefox test of the extension (tests/e2e/test_clip_extension_firefox.py, skipped without
## these): Debian's firefox-esr, installed like chromium when we are root, and puppeteer-core
## (WebDriver BiDi) from the npm registry into tests/e2e/firefox/. Not part of `make test`, which
## must not depend on the npm registry being reachable.
FIREFOX ?= /usr/bin/firefox-esr
firefox:
	@if [ -x "$(FIREFOX)" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's firefox-esr for the extension's Firefox test..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null; \
	else \
		echo "The Firefox test needs Firefox ESR at $(FIREFOX): sudo apt-get install firefox-esr" >&2; \
		exit 1; \
	fi
	cd tests/e2e/firefox && npm install --no-audit --no-fund --silent

## Regenerate the lock files from pyproject.toml (needs network access to PyPI).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe --extra dev -o requirements-dev.lock pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe --extra dev --extra bench -o requirements-bench.lock pyproject.toml

## Known vulnerabilities in both lock files, by pip-audit from a venv of its own (AUDIT_VENV): the
## project's .venv and the lock files are left alone. The locks pin every package, so nothing is
## resolved or installed (--no-deps); --strict fails when any package cannot be checked, rather
## than report "no known vulnerabilities" for packages it never looked up. The vulnerability
## service must be reachable: PyPI's JSON API by default, AUDIT_SERVICE=osv for OSV.
AUDIT_VENV        ?= .data/audit-venv
AUDIT_SERVICE     ?= pypi
PIP_AUDIT_VERSION ?= 2.10.1
AUDIT_STAMP       := $(AUDIT_VENV)/.pip-audit-$(PIP_AUDIT_VERSION)

$(AUDIT_STAMP):
	rm -rf $(AUDIT_VENV)
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip-audit==$(PIP_AUDIT_VERSION)
	@touch $(AUDIT_STAMP)

audit: $(AUDIT_STAMP)
	@status=0; for lock in requirements.lock requirements-dev.lock; do \
		echo "== pip-audit --strict -r $$lock (vulnerability service: $(AUDIT_SERVICE))"; \
		$(AUDIT_VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
			--vulnerability-service $(AUDIT_SERVICE) -r $$lock || status=$$?; \
	done; \
	if [ $$status -ne 0 ]; then echo "make audit: pip-audit failed (exit $$status)" >&2; fi; \
	exit $$status

migrate: $(RUN_STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate

shell: $(RUN_STAMP)
	DEBUG=1 $(BIN)/python manage.py shell

## Stop the embedded servers and delete .data/ (the local database, Redis, dev mailbox).
clean-data: $(RUN_STAMP)
	$(BIN)/python -c "from config import embedded; embedded.reset()"

## What CI runs: make test, then the services/browser tests against external servers.
ci:
	bash .ci/run
