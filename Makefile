# Two commands: `make run` serves the seeded site, `make test` runs the checks and the tests.
# Both set up what they need (a virtual environment in .venv, runtime data in var/).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2

.PHONY: run test lint format setup audit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes; a stamp per set of extras.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: setup
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	exec $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n auto --dist loadfile --ignore=tests/browser
	$(BIN)/python -m pytest tests/browser

# Lighthouse scores of the main pages, on the site served as `make run` serves it.
audit: setup
	$(BIN)/python scripts/audit.py

# Requests/s and latency of every page and a static file, served as `make run` serves them.
bench: setup
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
