# The two commands: `make run` serves Tutti with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and calendar feeds point where `make run` serves, e.g. `make run PORT=8101`.
SITE_URL ?= http://$(HOST):$(PORT)
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test test-postgres setup demo lint format browser-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py load_demo
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	@if [ -f package-lock.json ] && [ ! -d node_modules/axe-core ] && command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund; fi
	@$(BIN)/python -c 'import tests.browser as b; print(b.status_line())'
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "Database: $${DATABASE_URL%%://*}, from DATABASE_URL"; else echo "Database: SQLite (set DATABASE_URL to test on PostgreSQL)"; fi
	@# The exported DJANGO_SETTINGS_MODULE (local, for `make run`) would win over pyproject.toml.
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -ra $(PYTEST_ARGS)

# The same tests against a throwaway PostgreSQL server (needs the postgresql package).
test-postgres: $(STAMP)
	bash scripts/with_postgres.sh $(MAKE) test

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles node_modules tutti.sqlite3*
