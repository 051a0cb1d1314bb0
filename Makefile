# `make run` and `make test` set everything up from nothing; re-running them is fast and harmless.
SHELL := /bin/bash
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
export PORT
# make's own commands run the production settings (DEBUG off) with the development secret in
# .secret_key (made below) unless DJANGO_SECRET_KEY is set: production settings never read it.
DJANGO_SECRET_KEY ?= $(shell cat .secret_key 2>/dev/null)
export DJANGO_SECRET_KEY

.PHONY: run test lint setup migrate fixtures static messages clean

# Plain HTTP on 127.0.0.1: no redirect to https://, no HSTS, cookies without the secure flag.
run: export DJANGO_HTTPS = 0
run: setup migrate fixtures static
	$(BIN)/gunicorn -c cesdash/gunicorn.conf.py cesdash.wsgi

test: setup static
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

setup: $(VENV)/.installed .secret_key messages

# The virtualenv is rebuilt only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# A development secret kept out of the repository; production sets DJANGO_SECRET_KEY instead.
.secret_key:
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# After collectstatic: with DEBUG off, a command's system checks load the URLs, and one of them
# names a static file, which needs the collected manifest (a fresh clone has none yet).
migrate: setup static
	$(PY) manage.py migrate --noinput

# The articles' data goes into an empty database only: starting the site never writes to data
# staff may have edited. `manage.py update_articles` brings in a changed fixture, keeping their edits.
fixtures: migrate
	$(PY) manage.py load_articles

static: setup staticfiles/staticfiles.json

# Collected (hashed and compressed, which takes a while for plotly.js) only when a static file
# or the installed packages change.
staticfiles/staticfiles.json: $(shell find static -type f) $(VENV)/.installed
	$(PY) manage.py collectstatic --noinput -v0

messages: $(VENV)/.installed
	@# Compiled catalogues are committed; they are rebuilt where gettext is installed.
	@if command -v msgfmt >/dev/null && ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then $(PY) manage.py compilemessages -v0 --ignore=.venv; fi

clean:
	rm -rf $(VENV) staticfiles

# Every page, throughput, exports and page weight on the synthetic data, on SQLite and PostgreSQL:
# prints and writes bench/RESULTS.md (about 25 minutes; BENCH_ARGS="--scale 0.1 --skip-postgres").
# Needs wrk, and PostgreSQL's server for its half; installs them where it may (as root, Debian).
.PHONY: bench
bench: setup static
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "bench: install wrk"; exit 1; }
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq postgresql >/dev/null; } || echo "bench: no PostgreSQL server: SQLite only"
	$(PY) bench/run.py $(BENCH_ARGS)

# 32 clients on every public page under gunicorn for a minute, then while it reloads (HUP): fails
# on any non-2xx answer or socket error. SQLite by default; DATABASE_URL for PostgreSQL. Needs wrk.
.PHONY: load
load: setup static
	@command -v wrk >/dev/null || { echo "load: install wrk (apt-get install wrk)"; exit 1; }
	$(PY) bench/load.py $(LOAD_ARGS)
