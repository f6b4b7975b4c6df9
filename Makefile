# Egenmakt: `make run` starts the app with demo data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint types migrations-check pytest pytest-sqlite pytest-postgres bench \
        messages translations demo clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --quiet --upgrade pip
	@$(PIP) install --quiet -e ".[dev]"
	@touch $@

var:
	@mkdir -p var

translations: $(VENV)/.installed
	@DEBUG=1 $(PY) manage.py compile_translations

run: export DEBUG ?= 1
run: export EGENMAKT_DEMO ?= 1
run: $(VENV)/.installed var translations
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py load_instruments
	@if [ "$$EGENMAKT_DEMO" = "1" ]; then $(PY) manage.py seed_demo; fi
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
