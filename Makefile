# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DB ?= eventwire.duckdb

.PHONY: install demo serve test lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job on the bundled examples: ingest into the store, show the events, the situation in Niger.
# `make demo SERVE=1` ends with the web page running on the demo store (http://127.0.0.1:8000/).
demo: install
	$(BIN)/eventwire ingest examples/ --db $(DB)
	$(BIN)/eventwire query --db $(DB) --limit 60
	$(BIN)/eventwire situation NER --db $(DB)
	$(BIN)/eventwire watch examples/ --db $(DB) --once --quiet
	$(BIN)/eventwire sources --db $(DB)
	@if [ -n "$(SERVE)" ]; then $(MAKE) --no-print-directory serve; \
	 else echo "See it in a browser: make serve  (or make demo SERVE=1)"; fi

serve: install
	$(BIN)/eventwire serve --db $(DB)

lint: install
	$(BIN)/ruff check .

test: install lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) *.egg-info src/*.egg-info .pytest_cache .ruff_cache eventwire.duckdb
