# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Local run: writes the site to ./public. HF_BASE_URL, WINDOW_DAYS, SITE_URL... pass through.
RUN_ARGS ?=

.PHONY: run test lint clean demo screenshots locale build-PaperfeedFunction bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/paperfeed run --out public $(RUN_ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/cfn-lint template.yaml

clean:
	rm -rf $(VENV) public .pytest_cache .aws-sam

# Called by `sam build` (BuildMethod: makefile): installs the package and its runtime
# dependencies as wheels for the Lambda's platform, so the build works from any host.
build-PaperfeedFunction:
	sh scripts/build_lambda.sh "$(ARTIFACTS_DIR)"

# Offline try-out: the recorded HF responses the tests use, served on loopback.
demo: $(STAMP)
	$(BIN)/python tests/fake_hf.py --port 8765 & pid=$$!; sleep 1; \
	HF_BASE_URL=http://127.0.0.1:8765 $(BIN)/paperfeed run --out public --date 2026-08-03 --days 30 -q; \
	rc=$$?; kill $$pid; exit $$rc

# README screenshots, taken in headless Chromium from a freshly built demo site.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

# Benchmark, not part of `make test`: cold import, rebuild vs a bare lxml writer, peak RSS,
# zipped package, requests and PUTs per run. Prints a table, writes bench/results.json.
# Needs PyPI for the package build: BENCH_ARGS=--skip-package skips it; --readme also
# rewrites README.md's Performance block with the figures and the machine they came from.
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

# Message catalogues: extract the strings, merge them into every .po, compile the .mo files.
locale: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k n_:1,2 -k plural_form:1,2 --no-location \
	  --sort-output --project paperfeed --version 1 -o src/paperfeed/locale/paperfeed.pot .
	$(BIN)/pybabel update -D paperfeed -i src/paperfeed/locale/paperfeed.pot \
	  -d src/paperfeed/locale --no-fuzzy-matching --ignore-pot-creation-date
	$(BIN)/pybabel compile -D paperfeed -d src/paperfeed/locale --statistics
