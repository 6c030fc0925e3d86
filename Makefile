# Jamsostek. Two commands matter: `make demo` and `make test`. Both build .venv from the lock
# file first (hash-checked, nothing installed by hand), with any Python 3.11 or newer.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench messages lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/jamsostek demo

POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/jamsostek

test: lint typecheck unit unit-postgres

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy tools

# The whole suite on the embedded SQLite database...
unit: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

# ...and every database test again on PostgreSQL (skipped with a notice when no server answers,
# unless JAMSOSTEK_REQUIRE_POSTGRES is set, as CI does).
unit-postgres: $(STAMP)
	@if $(BIN)/python -c "import socket, sys; s = socket.socket(); s.settimeout(2); sys.exit(s.connect_ex(('127.0.0.1', 5432)))"; then \
		echo "DATABASE_URL=$(POSTGRES_URL) pytest -m database"; \
		DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -m database $(PYTEST_ARGS); \
	elif [ -n "$$JAMSOSTEK_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL does not answer on 127.0.0.1:5432 and JAMSOSTEK_REQUIRE_POSTGRES is set"; exit 1; \
	else \
		echo "PostgreSQL does not answer on 127.0.0.1:5432: the PostgreSQL pass is skipped"; \
	fi

bench: $(STAMP)
	$(BIN)/python bench/contributions.py

# Translations: the UI is Indonesian first (LANGUAGE_CODE "id"), English through the language switch,
# and the source strings are English. `make messages` extracts every marked string of the templates and
# the Python code (not the Django-free rules package, not migrations) into
# src/jamsostek/locale/id/LC_MESSAGES/django.po, keeping the existing translations: a new string comes
# in with an empty msgstr, a changed one is marked fuzzy, a removed one is dropped. Translate those
# (terms: docs/glossary.md; keep every placeholder; remove the fuzzy flag), run it again to compile
# django.mo, and commit both files, so that an install needs no gettext tools. tests/test_translations.py
# fails until the catalogue is complete, current and compiled. Needs GNU gettext: apt-get install gettext.
# The JavaScript has no text of its own, so there is no djangojs catalogue.
MESSAGES_OPTIONS := --locale id --ignore 'rules/*' --ignore '*/migrations/*' --add-location=file --no-obsolete

messages: $(STAMP)
	@command -v xgettext >/dev/null && command -v msgfmt >/dev/null || \
		{ echo "GNU gettext is needed (apt-get install gettext)"; exit 1; }
	cd src/jamsostek && $(CURDIR)/$(BIN)/django-admin makemessages $(MESSAGES_OPTIONS)
	cd src/jamsostek && $(CURDIR)/$(BIN)/django-admin compilemessages --locale id

# Re-pin every dependency (needs network): edit requirements.in, then run this.
lock:
	test -x .lock-tools/bin/uv || ($(PYTHON) -m venv .lock-tools && .lock-tools/bin/pip install --quiet uv)
	.lock-tools/bin/uv pip compile --quiet --python-version 3.11 --universal --generate-hashes \
		--output-file requirements.lock requirements.in

clean:
	rm -rf $(VENV) .lock-tools .pytest_cache .mypy_cache .ruff_cache
