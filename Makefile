# The two set-up commands: `make run` (the exchange with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes side by side (pytest-xdist): one per core by default.
TEST_WORKERS ?= auto

.PHONY: setup run test lint assets clean

setup: $(VENV)/.installed web/static/dist/.built

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,exact]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

web/static/dist/.built: node_modules/.installed web/build-assets.mjs $(shell find web/static/scss web/static/js web/static/images -type f)
	npm run --silent build
	touch $@

assets: web/static/dist/.built

run: setup
	$(BIN)/exchange demo --host $(HOST) --port $(PORT)

# With bytecode caches on, even where the environment turns them off: the suite starts many Python processes
# (test workers, queue workers, the command line), and each would otherwise compile the package and rewrite
# the tests' asserts again, seconds apiece.
test: setup
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check exchange tests alembic
	$(BIN)/ruff format --check exchange tests alembic
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) node_modules web/static/dist var
