# Assemblée — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run serve test test-slow fuzz loadtest install env migrate lint messages bench clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/activate

install: $(BIN)/activate

# A local .env for development: DEBUG on and a random SECRET_KEY (never committed).
.env:
	@printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(40))')" > .env
	@echo "Created .env for local development (DEBUG=1)."

env: .env

migrate: install env
	$(PY) manage.py migrate --noinput

# Web, Celery worker and beat together (Procfile). SQLite + filesystem broker unless
# DATABASE_URL / REDIS_URL say otherwise.
# E-mail links point at the address the site runs on (HOST, PORT) unless SITE_URL is set, in the
# environment or in .env.
run: migrate
	@if $(PY) manage.py database_is_empty; then $(PY) manage.py seed_demo; fi
	SITE_URL="$${SITE_URL:-$$(sed -n 's/^SITE_URL=//p' .env 2>/dev/null | tail -n 1)}"; \
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; export SITE_URL; \
	echo "SITE_URL=$$SITE_URL"; $(BIN)/honcho start

# The production process set of ASSEMBLEE_PROFILE (small by default, config/profiles.py) in the
# foreground, as compose runs it: gunicorn (config/gunicorn.py), the Celery worker, and beat inside
# it (small) or beside it (standard). Set DATABASE_URL, REDIS_URL, SECRET_KEY… as for production.
serve: migrate
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m config.serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Ruff, migrations in step with models, then the whole suite (DATABASE_URL if given, else SQLite).
test: install env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# Hypothesis posts 300 odd inputs to every form and feeds the import odd files (tests/fuzz/).
fuzz: install env
	$(BIN)/pytest -m fuzz -n 2 -p no:randomly $(PYTEST_ARGS)

# The slow tests the default run leaves out: fault injection (workers killed, Redis stopped,
# PostgreSQL restarted; PostgreSQL and Redis only) and the load-test smoke run.
test-slow: install env
	$(BIN)/pytest -p no:randomly -m "faults or load" tests/faults tests/load $(PYTEST_ARGS)

# Bounded load on 127.0.0.1: 50 simulated people for 60 s against gunicorn, PostgreSQL
# (LOAD_DATABASE_URL) and Redis (LOAD_REDIS_URL); no 5xx, no lost write, p95 reported.
loadtest: install env
	$(PY) -m bench.loadtest $(LOADTEST_ARGS)

# Regenerate the catalogues after changing strings; the .mo files are committed.
messages: install env
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

# The budgets of DESIGN.md on the large demo data, under gunicorn and PostgreSQL (BENCH_DATABASE_URL,
# BENCH_REDIS_URL); seeds once, then reuses the data. Prints the table, writes var/bench.json.
# The tool lives in bench/, outside the apps.
bench: install env
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf var/celery var/test*.sqlite3
