# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# uv lives apart from .venv: `uv sync` makes .venv hold exactly what uv.lock says, no more.
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
# Never a Python of uv's own download: the machine's $(PYTHON) (3.11+) is the interpreter.
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy

# Local run: writes the site to ./public. HF_BASE_URL, WINDOW_DAYS, SITE_URL... pass through.
RUN_ARGS ?=

.PHONY: run test lint clean demo screenshots locale lock build-PaperfeedFunction bench bench-search soak

$(UV): scripts/uv-requirements.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check --require-hashes \
	  -r scripts/uv-requirements.txt
	touch $(UV)

# --locked: install exactly uv.lock, and stop with an error if it no longer matches
# pyproject.toml (a dependency added or changed without `make lock`).
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --extra test --python $(PYTHON)
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/paperfeed run --out public $(RUN_ARGS)

# axe-core for the accessibility tests, exactly as tests/js/package-lock.json says, from npm
# when npm is here (without it those tests skip, and fail under CI=true: see tests/tools.py).
AXE := tests/js/node_modules/axe-core/axe.min.js
$(AXE): tests/js/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/js --no-audit --no-fund --silent && touch $(AXE); \
	else echo "make: no npm: the axe-core tests skip (scripts/install_system_deps.sh)"; fi

test: $(STAMP) $(AXE)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/cfn-lint template.yaml

clean:
	rm -rf $(VENV) $(TOOLS) public .pytest_cache .aws-sam

# Refresh uv.lock on purpose: newest versions allowed by pyproject.toml, for every platform
# (this machine and the Lambda's python3.13/arm64). Commit the refresh on its own, after
# `make test` passes with it.
lock: | $(UV)
	$(UV) lock --upgrade

# Called by `sam build` (BuildMethod: makefile): installs the package and its runtime
# dependencies, at uv.lock's versions, as wheels for the Lambda's platform, from any host.
build-PaperfeedFunction: | $(UV)
	UV=$(UV) sh scripts/build_lambda.sh "$(ARTIFACTS_DIR)"

# Offline try-out: the recorded HF responses the tests use, served on loopback.
demo: $(STAMP)
	$(BIN)/python tests/fake_hf.py --port 8765 & pid=$$!; sleep 1; \
	HF_BASE_URL=http://127.0.0.1:8765 $(BIN)/paperfeed run --out public --date 2026-08-03 --days 30 -q; \
	rc=$$?; kill $$pid; exit $$rc

# README screenshots, taken in headless Chromium from a freshly built demo site.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

# Benchmark, not part of `make test`: cold import, rebuild vs a bare lxml writer, peak RSS,
# zipped package, requests and PUTs per run, and the scaling table (runs over archives of
# 30, 365 and 1,000 days; --scaling-only measures it alone, --skip-scaling leaves it out).
# Prints the tables, writes bench/results.json.
# Needs PyPI for the package build: BENCH_ARGS=--skip-package skips it; --readme also
# rewrites README.md's Performance and Scaling blocks with the figures and the machine
# they came from.
BENCH_ARGS ?=
bench: $(STAMP)
	UV=$(abspath $(UV)) $(BIN)/python bench/bench.py $(BENCH_ARGS)
	$(BIN)/python bench/search.py

# The archive's search alone: a generated year, what a query loads, what runs upload.
bench-search: $(STAMP)
	$(BIN)/python bench/search.py $(SEARCH_ARGS)

# The soak's long form (its short form is in `make test`): simulated hourly runs against the
# loopback HF and moto's S3 under a seeded schedule of faults; prints runs, faults, violations.
SOAK_RUNS ?= 3000
SOAK_SEED ?= 7
soak: $(STAMP)
	$(BIN)/python tests/soak.py --runs $(SOAK_RUNS) --seed $(SOAK_SEED)

# Message catalogues: extract the strings, merge them into every .po, compile the .mo files.
locale: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k n_:1,2 -k plural_form:1,2 --no-location \
	  --sort-output --project paperfeed --version 1 -o src/paperfeed/locale/paperfeed.pot .
	$(BIN)/pybabel update -D paperfeed -i src/paperfeed/locale/paperfeed.pot \
	  -d src/paperfeed/locale --no-fuzzy-matching --ignore-pot-creation-date
	$(BIN)/pybabel compile -D paperfeed -d src/paperfeed/locale --statistics
