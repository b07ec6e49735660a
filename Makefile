# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/eventwire extract examples/ --format table

lint: install
	$(BIN)/ruff check .

test: install lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) *.egg-info src/*.egg-info .pytest_cache .ruff_cache eventwire.duckdb
