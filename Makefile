PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DB ?= rasad-sample.duckdb
PORT ?= 8000
SEED := ../shared/golden/seed/article.txt

.PHONY: run serve test lint bench eval clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "make: $(PY) not found; install Python 3.11 or run 'make PY=python3 ...'"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# the founding example (when ../shared is beside the repository), then the bundled samples
# ingested into a local store, their events, and the web page on them (not under CI)
run: $(STAMP)
	@if [ -f $(SEED) ]; then $(BIN)/rasad analyze $(SEED) --published 2024-01-09; fi
	$(BIN)/rasad ingest src/rasad/samples/news.jsonl --db $(DB) -q
	$(BIN)/rasad events --db $(DB)
	@if [ -n "$$CI" ]; then echo "CI is set: not serving"; else $(BIN)/rasad serve --db $(DB) --port $(PORT); fi

serve: $(STAMP)
	$(BIN)/rasad serve --db $(DB) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/store_bench.py
	$(BIN)/python bench/api_bench.py
	$(BIN)/python bench/ner_bench.py

eval: $(STAMP)
	$(BIN)/rasad eval golden ../shared/golden/seed ../shared/golden/seed-en

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache .mypy_cache $(DB) $(DB).wal
