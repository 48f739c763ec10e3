# The two set-up commands of README.md. Both create .venv and install into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.sqlite
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/propscope ingest examples --db $(DEMO_DB) || [ $$? -eq 3 ]
	@echo "serving http://127.0.0.1:8000 (Ctrl-C stops)"
	$(BIN)/propscope serve --db $(DEMO_DB) --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check propscope tests bench
	$(BIN)/mypy propscope

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[compare]'
	$(BIN)/python bench/ingest_search.py

clean:
	rm -rf $(VENV) *.egg-info $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
