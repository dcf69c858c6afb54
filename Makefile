# Jobtrail — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint format install chromium lock clean-data ci migrate shell

$(STAMP): requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	@touch $(STAMP)

install: $(STAMP)

## Start web + Celery worker + Celery beat (embedded PostgreSQL and Redis unless DATABASE_URL/REDIS_URL are set).
run: $(STAMP)
	$(BIN)/python -m config.run

## The whole suite, browser tests included.
test: $(STAMP) chromium lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Browser tests need Chromium at $(CHROMIUM)."; \
		echo "Install it with: sudo apt-get install chromium  (or set CHROMIUM=/path/to/chromium)"; \
		exit 1; \
	fi

## Regenerate the lock files from pyproject.toml (needs network access to PyPI).
lock:
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe --extra dev -o requirements-dev.lock pyproject.toml

migrate: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate

shell: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py shell

## Stop the embedded servers and delete .data/ (all local data).
clean-data: $(STAMP)
	$(BIN)/python -c "from config import embedded; embedded.reset()"

ci:
	bash .ci/run
