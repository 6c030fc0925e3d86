# Jamsostek. Two commands matter: `make demo` and `make test`. Both build .venv from the lock
# file first (hash-checked, nothing installed by hand), with any Python 3.11 or newer.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench lock clean

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
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

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

# Re-pin every dependency (needs network): edit requirements.in, then run this.
lock:
	test -x .lock-tools/bin/uv || ($(PYTHON) -m venv .lock-tools && .lock-tools/bin/pip install --quiet uv)
	.lock-tools/bin/uv pip compile --quiet --python-version 3.11 --universal --generate-hashes \
		--output-file requirements.lock requirements.in

clean:
	rm -rf $(VENV) .lock-tools .pytest_cache .mypy_cache .ruff_cache
