# Driver's Ed for Social Media. `make run` to try it, `make test` to check everything.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
export PYTHONPATH := $(CURDIR)

.PHONY: run test venv dev-venv system-deps migrate demo lint format i18n translations bench bench-coach train-coach coach-report load clean

# A virtualenv with the pinned requirements; reinstalled only when they change.
$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed
dev-venv: $(BIN)/.installed-dev

# A random secret, made once and kept (outside git) in instance/.
instance/secret_key:
	mkdir -p instance
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@

# The compiled catalogues (.mo) are made here from the .po files, not kept in git: a
# binary copy of a text file goes stale and cannot be merged. Babel comes with Flask-Babel.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
# A fuzzy message, or one whose placeholders differ from the English, is left out (the
# English shows instead of a guess or an error page); tests/test_catalogues.py lists them.
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(BIN)/.installed
	$(BIN)/python -m learner.core.catalogues
translations: $(MO_FILES)

migrate: venv instance/secret_key translations
	$(BIN)/flask --app app db upgrade

# Demo accounts on first run only; their logins are kept in instance/ and printed each time.
demo: migrate
	@test -s instance/demo_logins.txt || $(BIN)/flask --app app demo --logins-file instance/demo_logins.txt > /dev/null
	@cat instance/demo_logins.txt 2>/dev/null || echo "The database already had accounts: no demo data was loaded."

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT) - log in at http://127.0.0.1:$(PORT)/login (Ctrl+C stops it)"
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - "app:create_app()"

# What the tests need from Debian: a PostgreSQL server and Chromium for the browser tests.
system-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! test -x /usr/bin/chromium; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends \
	    postgresql chromium fonts-dejavu-core; \
	fi

lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive --severity-level high app.py learner lessons bench

format: dev-venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Two processes (pytest-xdist): the server and browser tests leave the other core idle.
TEST_PROCESSES ?= 2
test: system-deps dev-venv translations lint
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist worksteal

# Extract every translatable string into the catalogue template and merge it into each
# language. New and changed strings come in empty (a fuzzy guess from a similar string is
# more often wrong than right); the old translation of a changed one stays at the end of
# the file, marked obsolete, for the translator. The catalogue test lists what is empty.
i18n: dev-venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location -o translations/messages.pot app.py learner lessons templates
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations
	$(MAKE) translations

bench: dev-venv system-deps
	$(BIN)/python bench/pages.py

load: dev-venv system-deps
	$(BIN)/python bench/load.py

bench-coach: venv
	$(BIN)/python bench/coach.py

# Retrain the coach's learned layer, one model for every language (writes
# learner/coach/model.json and the leave-one-writer-out figures, learner/coach/lowo.json;
# needs NumPy and SciPy), then regenerate the per-category figures in docs/COACH.md.
train-coach: dev-venv
	$(BIN)/python -m learner.coach.train
	$(BIN)/python bench/coach_report.py

coach-report: dev-venv
	$(BIN)/python bench/coach_report.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/e2e/artifacts
