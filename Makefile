# joinedup: `make demo` serves a synthetic local area; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
RUN := $(UV) run --frozen
CHILDREN ?= 5000
SEED ?= 1
HOST ?= 127.0.0.1:8000

# The date-sensitive tests, run again with the clock moved (make test-clocks). Left out: the
# browser tests, linkage (no dates of its own), the crash tests (they run the CLI in a process
# of its own, which the moved clock does not reach), and the demo area's build (a fixed
# synthetic snapshot as of 1 November 2026: its flags age with the calendar, see ADR 0012).
CLOCK_TESTS ?= tests --ignore=tests/e2e --ignore=tests/demo --ignore=tests/linkage \
	--ignore=tests/indicators/test_worklist_demo.py \
	--ignore=tests/ingest/test_attendance_crash.py --ignore=tests/ingest/test_crash_recovery.py

.PHONY: help setup demo serve test test-clocks lint frontend clean

# The demo's phase banner and footer; an area sets its own name, banner, footer and help
# contact in the environment (docs/operations.md). Set here only if not already set.
demo serve: export JOINEDUP_PHASE_BANNER_TAG ?= Demo
demo serve: export JOINEDUP_PHASE_BANNER_TEXT ?= Synthetic data only — this is a demonstration
demo serve: export JOINEDUP_FOOTER_TEXT ?= joinedup is a demonstration. Every person and record in it is synthetic.

help:
	@echo "make demo   - set up, build a synthetic local area of $(CHILDREN) children, serve on http://$(HOST)"
	@echo "make test   - set up and run the whole test suite (DATABASE_URL selects PostgreSQL)"
	@echo "make test-clocks - the date-sensitive tests on a weekend, a bank holiday, the last day"
	@echo "                   of a term and a year ahead (scripts/test_clocks.py picks the days)"
	@echo "make lint   - ruff, mypy and import contracts"

var/tools/bin/uv:
	@mkdir -p var
	$(PYTHON) -m venv var/tools
	var/tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

var/frontend-build/.built: node_modules/.package-lock.json scripts/build_frontend.py
	$(PYTHON) scripts/build_frontend.py
	@touch $@

frontend: var/frontend-build/.built

setup: .venv/.synced frontend

demo: setup
	$(RUN) joinedup migrate --no-input
	# The demo casework notifies people; its mail is not printed while the area is built.
	JOINEDUP_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend $(RUN) joinedup demo-data load --children $(CHILDREN) --seed $(SEED) --via-import --if-empty
	# The fairness report page's default figures, so that it opens at once (cron does this nightly).
	$(RUN) joinedup indicators report --save-page --outcome persistent_absence || echo "No fairness report figures yet (see the message above)."
	@echo "Serving on http://$(HOST) - sign in with a demo login above. Ctrl-C stops."
	$(RUN) joinedup serve $(HOST)

serve: setup
	$(RUN) joinedup serve $(HOST)

test: setup
	JOINEDUP_ENV=test $(RUN) pytest

test-clocks: setup
	@$(PYTHON) scripts/test_clocks.py | while read -r name day; do \
	  echo "--- the date-sensitive tests with the clock moved to $$day ($$name)"; \
	  JOINEDUP_ENV=test $(RUN) pytest --clock $$day -m "not spark" -q $(CLOCK_TESTS) || exit 1; \
	done

lint: .venv/.synced
	$(RUN) ruff check src tests benchmarks scripts
	$(RUN) ruff format --check src tests benchmarks scripts
	$(RUN) mypy
	$(RUN) lint-imports

clean:
	rm -rf var .venv node_modules
