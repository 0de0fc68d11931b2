# Two commands do everything on a fresh machine:
#   make run    set up .venv, run the pipeline on seeds/ into ./data, print the summary
#   make test   set up .venv (with test extras) and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --disable-pip-version-check -q -c constraints.txt
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: run dashboard test test-fast golden lint typecheck setup setup-test browser docs bench bench-quality bench-quality-gate mutation-trial clean

$(BIN)/newsetl: pyproject.toml constraints.txt setup.py transforms/_speedups.c
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[dashboard]'
	touch $@

setup: $(BIN)/newsetl

$(VENV)/.test-deps: $(BIN)/newsetl
	$(PIP) -e '.[test]'
	touch $@

# The dashboard's browser tests drive Debian's chromium (Playwright's own browser
# download cannot work offline); as root, install it when it is missing.
CHROMIUM := /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "make: no $(CHROMIUM) (apt-get install chromium as root): the dashboard's browser tests will skip"; }

setup-test: $(VENV)/.test-deps browser

run: setup
	$(BIN)/newsetl run seeds/ --data-dir data

# the dashboard over what `make run` wrote: http://127.0.0.1:8501/
dashboard: setup
	$(BIN)/newsetl dashboard --data-dir data

# one pytest worker per core; a module stays on one worker (its fixtures are built once);
# the 15 slowest tests are listed at the end (the suite aims at about 10 minutes)
test: setup-test
	$(BIN)/python -m pytest -q -n auto --dist loadfile --durations=15

# docs/TABLES.md from the models and views.sql (a test fails when it is out of date)
docs: setup
	$(BIN)/python -m warehouse.dictionary > docs/TABLES.md

# Unit and golden tests only (no Prefect server, about a minute): run before every commit.
test-fast: setup-test
	$(BIN)/python -m pytest -q -x tests/transforms tests/schemas tests/warehouse tests/flows/test_shards.py $(wildcard tests/golden)

$(VENV)/.lint-deps: $(BIN)/newsetl
	$(PIP) -e '.[lint]'
	touch $@

# ruff (lint rules and formatting, configured in pyproject.toml) and mypy (schemas, warehouse, flows)
lint: $(VENV)/.lint-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.lint-deps
	$(BIN)/mypy

# Rewrite tests/golden/*.json from their inputs; review the change with `git diff tests/golden`.
golden: setup
	$(BIN)/python -m tests.golden.harness

N ?= 100000
# make bench N=20000 BENCH_ARGS="--repeat 2"   (options: .venv/bin/python bench/bench_scale.py --help)
BENCH_ARGS ?=
bench: setup-test
	$(BIN)/python bench/bench_scale.py --n $(N) $(BENCH_ARGS)

# all three extraction dev sets on both paths through `newsetl run`, trafilatura's rows,
# the per-rule ablation, speeds, quotes (options: .venv/bin/python bench/bench_quality.py --help)
BENCH_QUALITY_ARGS ?=
bench-quality: setup-test
	$(BIN)/python bench/bench_quality.py $(BENCH_QUALITY_ARGS)

# fails when a dev figure falls below bench/quality_floors.json (nothing to do without ../shared/benchmarks)
bench-quality-gate: setup-test
	$(BIN)/python bench/bench_quality.py --gate

# 20 one-line mutations of real rules, each run against the fast suite on a copy of the
# checkout: which ones the suite misses (bench/out/mutation_trial.json; about 2 min each).
# make mutation-trial MUTATION_ARGS="--jobs 2"   (options: .venv/bin/python bench/mutation_trial.py --help)
MUTATION_ARGS ?=
mutation-trial: setup-test
	$(BIN)/python bench/mutation_trial.py $(MUTATION_ARGS)

clean:
	rm -rf data .pytest_cache
