# Hợp Lực — the two commands: `make run` and `make test`. Both need only Python 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-browser lint format messages clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## Create .venv, install, migrate, load the demo data, print the logins and serve on :8000
## (`make run PORT=8080 HOST=0.0.0.0` for another port or address; the "đang chạy tại" line
## comes once the server answers),
## with the background job worker beside the web server (Ctrl-C stops both). DEBUG is on (the
## development key, plain HTTP) unless the environment says otherwise.
run: export DEBUG ?= True
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py fail_stale_jobs --minutes 0
	$(PY) manage.py send_reminders --schedule
	setsid $(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill -TERM -$$worker 2>/dev/null' EXIT INT TERM; \
	( for try in $$(seq 120); do \
	    $(PY) -c 'import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 1)' \
	      $(HOST) $(PORT) 2>/dev/null && { echo "Hợp Lực đang chạy tại http://$(HOST):$(PORT)/"; break; }; \
	    sleep 0.5; done ) & \
	$(PY) manage.py runserver $(HOST):$(PORT)

## Lint, then every test except the browser ones (those run in `make test-browser`), with the
## coverage of the apps and its floor (pyproject.toml). A part only: PYTEST_ARGS="--no-cov path".
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=True $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -m "not browser" -n $${PYTEST_WORKERS:-2} --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

## Browser journeys in Debian's Chromium (/usr/bin/chromium) through Playwright.
test-browser: install
	HOPLUC_BROWSER_REQUIRED=1 $(PY) -m pytest -m browser -p no:xdist $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Regenerate the English catalogue after changing interface strings (needs GNU gettext).
messages: export DEBUG ?= True
messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .coverage .coverage.*
