# Egenmakt: `make run` starts the app with demo data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

LOCK := requirements/lock.txt

.PHONY: run test lint types migrations-check pytest pytest-sqlite pytest-postgres bench \
        messages translations demo clean lock

# Everything comes from the hashed pins in the lock (the dev tools too, pip and setuptools
# among them), so a tampered or swapped download fails the install; the project itself is
# then installed from the working tree without its dependencies or an isolated build.
# --no-deps: the lock already names every package, so pip installs exactly those and does
# not resolve again (a venv's bundled pip, resolving, took a dependency's extra such as
# weasyprint's fonttools[woff] for a requirement of its own and wanted the newest release,
# which no pin matches); pip check then confirms the pins fit together.
$(VENV)/.installed: pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --quiet --no-deps --require-hashes -r $(LOCK)
	@$(PIP) check
	@$(PIP) install --quiet --no-deps --no-build-isolation -e .
	@touch $@

# After changing the dependencies in pyproject.toml: re-resolves the lock for Python 3.11 on
# Linux (run it with that interpreter), keeping each pin that still fits;
# `make lock UPGRADE=1` moves every pin to the newest release instead. The deployment's
# lock (runtime only, no dev tools) takes the same versions from the full one.
COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed
	$(COMPILE) --extra dev $(if $(UPGRADE),--upgrade) --output-file $(LOCK) pyproject.toml
	$(COMPILE) --constraint $(LOCK) --output-file requirements/production.txt pyproject.toml

var:
	@mkdir -p var

translations: $(VENV)/.installed
	@DEBUG=1 $(PY) manage.py compile_translations

run: export DEBUG ?= 1
run: export EGENMAKT_DEMO ?= 1
run: $(VENV)/.installed var translations
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py load_instruments
	@if [ "$$EGENMAKT_DEMO" = "1" ]; then $(PY) manage.py seed_demo --quiet-logins; fi
	@# Deliver (print) the e-mails the seed queued first, so the logins below stay in view.
	@$(PY) manage.py db_worker --batch --no-reload --no-startup-delay --queue-name '*' -v0
	@if [ "$$EGENMAKT_DEMO" = "1" ]; then $(PY) manage.py seed_demo --only-logins; fi
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl-C stops); e-mail is printed here by the task worker"
	@$(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed translations lint types migrations-check pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(VENV)/.installed
	DEBUG=1 $(VENV)/bin/mypy egenmakt

migrations-check: $(VENV)/.installed var
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

pytest: $(VENV)/.installed translations
	@bash scripts/run-tests.sh

bench: $(VENV)/.installed
	@bash bench/run.sh

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l sv -l en --no-obsolete --add-location file \
		-i ".venv/*" -i "var/*" -i "bench/*" -i "scripts/*" -i "test-artifacts/*" -i "*/tests/*"
	$(PY) scripts/fill_english_catalogue.py egenmakt/locale/en/LC_MESSAGES/django.po
	DEBUG=1 $(PY) manage.py compile_translations

demo: export DEBUG ?= 1
demo: $(VENV)/.installed var
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py seed_demo

clean:
	rm -rf $(VENV) var
