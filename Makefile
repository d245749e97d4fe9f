# Two commands: `make run` serves the seeded site, `make test` runs the checks and the tests.
# Both set up what they need (a virtual environment in .venv, runtime data in var/).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
# The suite's line and branch coverage (without the browser tests) may not fall below this
# (94.9% measured when it was set, 2026-11-25).
COVERAGE_FLOOR := 94

.PHONY: run test lint format setup audit bench bench-proxy screenshots framework-bench lock clean \
	samples samples-test samples-lock samples-latest

# Every environment is made with a current installer, never the interpreter's bundled pip
# (Python 3.11's pip 23.2.1 rejects hash-locked extras once PyPI has a newer release than the
# one locked): `venv --upgrade-deps` brings the newest pip, which installs uv from its own
# hash lock (requirements/uv.txt); uv then installs the site's locks and each sample's.
# The first install takes about half a minute here (16 s on a fresh clone with a warm download
# cache, 26 s with none); each step prints what it does.
UV := $(BIN)/uv
export UV_PYTHON_DOWNLOADS := never
# Python keeps each module it compiles in __pycache__ (git-ignored), unless told not to, as
# some machines are (this one's environment sets PYTHONDONTWRITEBYTECODE=1). `make test` starts
# hundreds of Python processes (the suite's workers, commands, app servers, the samples' tests),
# and each one compiled Django and the site from source again: `manage.py check` took 1.9 s
# against 0.6 s, and pytest rewrote every test module's asserts in each worker. So not here.
unexport PYTHONDONTWRITEBYTECODE

$(BIN)/python:
	@echo "== making $(VENV) with a current pip (the first \`make run\` or \`make test\` installs for about half a minute)"
	$(PYTHON) -m venv --upgrade-deps $(VENV)

$(UV): requirements/uv.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --require-hashes -r requirements/uv.txt
	touch $@

# Installs come from the lock files: exact versions with their hashes (uv checks them).
# Reinstall when a lock file changes; a stamp per set of extras. `make lock` updates them.
LOCK_RUN := requirements/run.txt
LOCK_TEST := requirements/test.txt

$(VENV)/.installed: $(LOCK_RUN) | $(UV)
	@echo "== installing the site's packages ($(LOCK_RUN))"
	$(UV) pip install --python $(BIN)/python --require-hashes -r $(LOCK_RUN)
	touch $@

$(VENV)/.installed-test: $(LOCK_TEST) | $(UV)
	@echo "== installing the site's and the tests' packages ($(LOCK_TEST))"
	$(UV) pip install --python $(BIN)/python --require-hashes -r $(LOCK_TEST)
	touch $@ $(VENV)/.installed

# The newest releases that pyproject.toml's ranges allow, for Python 3.11, locked with hashes
# (the run lock is kept to the test lock's versions), and the newest uv.
lock: | $(UV)
	$(UV) pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
		--upgrade --quiet -o $(LOCK_TEST)
	$(UV) pip compile pyproject.toml --generate-hashes --python-version 3.11 \
		--upgrade --quiet -c $(LOCK_TEST) -o $(LOCK_RUN)
	$(UV) pip compile requirements/uv.in --generate-hashes --python-version 3.11 \
		--quiet -o requirements/uv.txt

setup: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# At start, the release facts are read from the package index when it answers within 5 s;
# offline, one line says so and the site serves the facts it has (deploy/ has the schedule).
# No proxy in front (nginx is for deployments: README, "Deploying"). No control socket:
# gunicorn would open one at ~/.gunicorn/gunicorn.ctl, shared by every instance of the user.
run: setup
	-@$(BIN)/python manage.py refresh_facts --at-start --timeout 5 --deadline 5
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} \
		exec $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1 --no-control-socket

# mypy checks what pyproject.toml's [tool.mypy] names (files), with django-stubs' plugin.
# Each phase of `make test` prints the time it starts, so its log tells how long each took.
lint: $(VENV)/.installed-test
	@echo "== lint: ruff, mypy ($$(date +%T))"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint samples-test
	@echo "== checks and the unit suite ($$(date +%T))"
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n auto --dist worksteal --ignore=tests/browser \
		--ignore=tests/servers --cov --cov-report=
	@echo "== server tests: gunicorn, nginx, upgrades in processes of their own ($$(date +%T))"
	$(BIN)/python -m pytest -n auto --dist worksteal tests/servers --cov --cov-append \
		--cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)
	@echo "== browser tests ($$(date +%T))"
	$(BIN)/python -m pytest tests/browser
	@echo "== make test done ($$(date +%T))"

# The code samples (samples/<framework>/, see samples/README.md): each installed from its own
# lock into its own environment, samples/<framework>/.venv, never the site's; reinstalled only
# when its lock changes. `samples-test` checks them, installs them and runs each one's own
# tests there; a failure names the framework and the step, and the exit status is non-zero.
SAMPLES := django flask fastapi

samples: | $(UV)
	$(PYTHON) scripts/samples.py install --uv $(abspath $(UV))

samples-test: | $(UV)
	@echo "== the code samples ($$(date +%T))"
	$(PYTHON) scripts/samples.py test --uv $(abspath $(UV))

# Each sample's own tests on the newest releases its requirements.in allows (resolved afresh,
# never the committed lock), in environments of their own (var/samples-latest/<fw>/.venv);
# the result, day and versions are recorded on the site (/code/, the framework pages): commit
# them with `manage.py export_content`. A sample failing there is recorded, and the exit status
# is 1.
samples-latest: setup | $(UV)
	@echo "== the code samples on the newest releases ($$(date +%T))"
	$(PYTHON) scripts/samples.py latest --uv $(abspath $(UV)) --record var/samples-latest.json; \
		status=$$?; \
		$(BIN)/python manage.py record_samples_latest var/samples-latest.json && exit $$status

# The newest releases for Python 3.11, locked with hashes (commit the result): each sample's
# requirements.in and bench-requirements.in (the servers `make framework-bench` adds) in one lock.
samples-lock: | $(UV)
	for fw in $(SAMPLES); do \
		$(UV) pip compile samples/$$fw/requirements.in samples/$$fw/bench-requirements.in \
			--generate-hashes \
			--python-version 3.11 --upgrade --quiet -o samples/$$fw/requirements.txt || exit 1; \
	done

# Lighthouse scores of the main pages, on the site served as `make run` serves it.
audit: setup
	$(BIN)/python scripts/audit.py

# Pictures of the reader's pages (390/768/1440 px, light and dark) and of the way from home
# to a recommendation on a phone, in var/screenshots/ (scripts/screenshots.py).
screenshots: setup $(VENV)/.installed-test
	$(BIN)/python scripts/screenshots.py $(SCREENSHOT_ARGS)

# Requests/s and latency of every page and a static file, served as `make run` serves them.
bench: setup
	$(BIN)/python scripts/bench.py

# The same pages through nginx (deploy/nginx.conf.in) in front of gunicorn, each against the
# static file nginx serves itself, measured in the same run (scripts/bench.py --proxy).
bench-proxy: setup
	$(BIN)/python scripts/bench.py --proxy

# The three samples in two setups (the same server for all; each as its docs deploy it), 2
# workers each on one core, loaded from the other: requests/s with kept-alive and fresh
# connections, latency at a fixed rate, memory, start-up, an A/A twin's noise floor (about twelve
# minutes). BENCH_ROUNDS, BENCH_SECONDS, BENCH_WORKERS, BENCH_THREADS, BENCH_FRESH,
# BENCH_LATENCY_SECONDS; `make framework-bench BENCH_ARGS=--record` writes the figures and ranks
# into fixtures/ and the raw data into comparisons/data/ (scripts/framework_bench.py).
framework-bench: samples $(VENV)/.installed
	$(BIN)/python scripts/framework_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache samples/*/.venv
