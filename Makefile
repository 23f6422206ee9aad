# The two commands: `make run` serves Tutti with demo data; `make test` runs every test.
# While editing, `make test-fast` leaves out the slow and the browser tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and calendar feeds point where `make run` serves, e.g. `make run PORT=8101`.
SITE_URL ?= http://$(HOST):$(PORT)
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test test-fast test-postgres setup demo lint format browser-deps clean

# pytest-xdist runs the tests in one worker per core (`make test WORKERS=1` runs them in one
# process). No test needs to run alone: each worker has its own test database (pytest-django
# adds _gw0, _gw1... to its name), its own live server and SMTP inbox on free ports, its own
# Chromium, and LibreOffice runs with a profile of its own.
WORKERS ?= auto
# The exported DJANGO_SETTINGS_MODULE (local, for `make run`) would win over pyproject.toml.
PYTEST := DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -n $(WORKERS)

# $(call timed,COMMAND,NAME) runs COMMAND, then says how long it took; it keeps its exit status.
timed = started=$$(date +%s); status=0; $(1) || status=$$?; \
	elapsed=$$(($$(date +%s) - started)); \
	printf '%s took %dm%02ds\n' '$(2)' $$((elapsed / 60)) $$((elapsed % 60)); \
	exit $$status

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
	@$(call timed,$(PYTEST) -ra $(PYTEST_ARGS),make test)

# The edit-test loop: no demo loads, API fuzzing, hostile uploads (marked slow) or browsers.
test-fast: $(STAMP)
	@$(call timed,$(PYTEST) -m "not slow and not browser" $(PYTEST_ARGS),make test-fast)

# The same tests against a throwaway PostgreSQL server (needs the postgresql package).
test-postgres: $(STAMP)
	bash scripts/with_postgres.sh $(MAKE) test

# django-upgrade rewrites what it would change, so lint runs it on a copy and only reports.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The order of imports between the apps (contracts in pyproject.toml).
	$(BIN)/lint-imports --no-cache
	$(BIN)/djlint templates tutti --lint
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	git ls-files -z '*.py' | xargs -0 cp --parents -t "$$tmp" && \
	(cd "$$tmp" && find . -name '*.py' -print0 \
		| xargs -0 "$(CURDIR)/$(BIN)/django-upgrade" --target-version 5.2) \
	|| { echo "django-upgrade would rewrite the files above: run make format" >&2; exit 1; }
	$(BIN)/mypy

format: $(STAMP)
	git ls-files -z '*.py' | xargs -0 $(BIN)/django-upgrade --target-version 5.2 || true
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles node_modules tutti.sqlite3*
