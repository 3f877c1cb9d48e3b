# Set-up and everyday commands. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/boligsocial
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test setup assets lint format bench lock clean

# Python packages, exactly as pinned in requirements.lock. Re-runs only when the lock file changes.
$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Front-end packages, exactly as pinned in package-lock.json, copied into static/vendor/.
static/vendor/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor
	mkdir -p static/vendor/dkfds/css static/vendor/dkfds/js static/vendor/dkfds/fonts/IBMPlexSans/complete \
	         static/vendor/htmx static/vendor/chartjs
	cp node_modules/dkfds/dist/LICENSE.md static/vendor/dkfds/
	cp node_modules/dkfds/dist/css/dkfds.min.css node_modules/dkfds/dist/css/dkfds.min.css.map static/vendor/dkfds/css/
	cp node_modules/dkfds/dist/js/dkfds.min.js node_modules/dkfds/dist/js/dkfds.min.js.map static/vendor/dkfds/js/
	cp -r node_modules/dkfds/dist/img static/vendor/dkfds/
	cp -r node_modules/dkfds/dist/fonts/IBMPlexSans/complete/eot node_modules/dkfds/dist/fonts/IBMPlexSans/complete/ttf \
	      node_modules/dkfds/dist/fonts/IBMPlexSans/complete/woff node_modules/dkfds/dist/fonts/IBMPlexSans/complete/woff2 \
	      static/vendor/dkfds/fonts/IBMPlexSans/complete/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map \
	   node_modules/chart.js/LICENSE.md static/vendor/chartjs/
	touch $@

assets: static/vendor/.installed

setup: $(VENV)/.installed static/vendor/.installed
	mkdir -p var/staticfiles

# Development settings for this checkout, written once: debug on and a random secret key.
.env:
	printf 'DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

# Serve the demo. SQLite under var/ and in-process tasks by default; with DATABASE_URL and REDIS_URL set,
# PostgreSQL and a Celery worker (started here, stopped on Ctrl-C).
run: export DJANGO_SITE_URL ?= http://127.0.0.1:$(PORT)
run: setup .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@if [ -n "$$REDIS_URL" ]; then \
	  $(VENV)/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT); \
	else \
	  exec $(PY) manage.py runserver 127.0.0.1:$(PORT); \
	fi

# The whole suite against PostgreSQL and Redis, browser tests included.
test: export DATABASE_URL ?= $(TEST_DATABASE_URL)
test: export REDIS_URL ?= $(TEST_REDIS_URL)
test: setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -n 2 --dist loadfile -m "not transactional"
	$(PY) -m pytest -q -n 2 --dist loadfile -m transactional

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# National-scale data (built once, cached), gunicorn with production settings, 10 concurrent clients.
bench: setup
	$(PY) tests/bench/bench.py

# Re-pin the Python packages after changing pyproject.toml.
lock:
	rm -rf /tmp/boligsocial-lock && $(PYTHON) -m venv /tmp/boligsocial-lock
	$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' \
	  > /tmp/boligsocial-lock/requirements.in
	/tmp/boligsocial-lock/bin/pip install --quiet -r /tmp/boligsocial-lock/requirements.in
	( echo "# Exact versions of every Python package (direct and transitive). Regenerate with: make lock"; \
	  /tmp/boligsocial-lock/bin/pip freeze --exclude-editable ) > requirements.lock

clean:
	rm -rf $(VENV) node_modules static/vendor var
