# Set-up and entry points. The README's quick start is `make briefing` then `make test`.
# Set-up is idempotent: a second run checks the system packages and the lock stamp and is done.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# Values a caller passes (command line or environment): PERIOD, CORES, PYTHON, PYTEST_ARGS. They
# are taken literally (`$(value ...)`: make never expands `$(shell ...)` in them), exported, and
# read in recipes as quoted shell variables ("$$PERIOD"), never pasted into a command line;
# check-values refuses a bad one before anything runs.
PYTHON ?= python3
CORES ?= all
# Optional: PERIOD=YYYY-MM picks the reporting period (default: the current month, UTC).
PERIOD ?=
PYTEST_ARGS ?=
override PYTHON := $(value PYTHON)
override CORES := $(value CORES)
override PERIOD := $(value PERIOD)
override PYTEST_ARGS := $(value PYTEST_ARGS)
export PYTHON CORES PERIOD PYTEST_ARGS

# Internal names, not settable from outside.
override VENV := .venv
override BIN := $(VENV)/bin
override UV_VERSION := 0.13.9
# Debian/Ubuntu packages the PDF needs: Pango + fontconfig (WeasyPrint's text layout), HarfBuzz's
# subsetter (without it rendering is ~18x slower), Noto CJK (without it Chinese prints as boxes,
# silently), DejaVu (Latin fallback and monospace), poppler-utils (PDF inspection in tests).
override APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk \
                fonts-dejavu-core poppler-utils
override TEST_APT_PACKAGES := chromium

.PHONY: help briefing test setup system-packages test-packages lint clean verify-archive monthly check-values eval eval-holdout commentary
help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

briefing: check-values setup ## Build the briefing PDF (installs what is missing first)
	@args=(--cores "$$CORES"); [ -z "$$PERIOD" ] || args+=(--config "period=$$PERIOD"); \
	  set -x; "$(BIN)/snakemake" "$${args[@]}"

# Builds the metrics first (Snakemake), then writes the draft; an existing file is never overwritten (exit 1).
commentary: check-values setup ## Draft the analyst's commentary for PERIOD=YYYY-MM from the metrics (never overwrites)
	@args=(--cores "$$CORES"); [ -z "$$PERIOD" ] || args+=(--config "period=$$PERIOD"); \
	  "$(BIN)/snakemake" "$${args[@]}" --quiet all -- commentary_inputs && \
	  pargs=(); [ -z "$$PERIOD" ] || pargs+=(--period "$$PERIOD"); \
	  "$(BIN)/python" scripts/draft_commentary.py "$${pargs[@]}"

# PYTEST_ARGS is split like a shell would split it (quotes group words), but never run by one.
# Two pytest workers (pytest-xdist), each taking whole test files: the workflow tests spend much of
# their time in one Snakemake process at a time, so two side by side fill a 2-core machine
# (workflow tests 535 s -> 347 s). PYTEST_ARGS="-n 0" runs them in one process.
test: check-values setup test-packages ## Run the test suite (unit, workflow, PDF read-back, browser layout)
	"$(BIN)/python" -c 'import os, shlex, sys, pytest; sys.exit(pytest.main(["-n", "2", "--dist", "loadfile"] + shlex.split(os.environ["PYTEST_ARGS"])))'

eval: setup ## The figure engine on its development corpus: recall, precision, planted problems
	"$(BIN)/python" bench/eval_figures.py

eval-holdout: setup ## The same on the held-out corpus tests/corpus/holdout5 (final evaluation only)
	"$(BIN)/python" bench/eval_figures.py --holdout

lint: setup ## Snakemake's linter
	"$(BIN)/snakemake" --lint

verify-archive: setup ## Recheck both ledger chains and every hash in the archive; non-zero exit on any problem
	"$(BIN)/python" scripts/verify_archive.py

monthly: check-values setup ## Build and archive the current month (or PERIOD=YYYY-MM); log in logs/monthly/
	SNAKEMAKE="$(BIN)/snakemake" scripts/monthly.sh

# Refuses a bad value with a message naming it; prints the value quoted (%q), never runs it.
check-values:
	@if [ -n "$$PERIOD" ] && ! [[ "$$PERIOD" =~ ^[0-9]{4}-(0[1-9]|1[0-2])$$ ]]; then \
	  printf 'make: PERIOD=%q is not allowed: expected YYYY-MM with month 01-12 (or nothing: the current month)\n' "$$PERIOD" >&2; exit 2; fi
	@if ! [[ "$$CORES" =~ ^(all|[1-9][0-9]{0,3})$$ ]]; then \
	  printf 'make: CORES=%q is not allowed: expected all or a number of cores\n' "$$CORES" >&2; exit 2; fi
	@if ! [[ "$$PYTHON" =~ ^[A-Za-z0-9_./+-]+$$ ]]; then \
	  printf 'make: PYTHON=%q is not allowed: expected a command name or path (letters, digits, _ . / + -)\n' "$$PYTHON" >&2; exit 2; fi

setup: check-values system-packages $(VENV)/.installed ## Virtualenv with the pinned packages, system fonts and libraries

# The pinned packages are installed by uv (PyPI's wheel, pinned here: a set-up tool, not part of
# the lock), which installs the same exact pins as pip in a fraction of the time (README,
# "Set-up speed"); if uv cannot be installed or fails, pip installs them as before. Either way
# pip check verifies the result. uv, unlike pip, does not compile bytecode unless told: without it
# every Snakemake start compiles Snakemake again (5.7 s instead of 1.9 s for `snakemake --version`
# where nothing may write a cache, as in the tests), which made the suite 17 minutes in a fresh clone.
# `sync`, not `install`: a package that left the lock leaves the venv too (pip, and uv itself, stay),
# so an old venv does not keep, say, pandas, which Snakemake then imports on every run.
$(VENV)/.installed: requirements.lock
	@test -x $(BIN)/python || "$$PYTHON" -m venv $(VENV)
	@if $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)" \
	    && $(BIN)/python -m uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock; then \
	  echo "Installed requirements.lock with uv $(UV_VERSION)"; \
	else \
	  echo "uv unavailable: installing requirements.lock with pip"; \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock; \
	fi
	$(BIN)/python -m pip check --disable-pip-version-check
	@touch $@

system-packages:
	@if ! command -v dpkg-query >/dev/null; then \
	  fc-list ':family=Noto Sans CJK TC' | grep -q . || { echo "Not a Debian system: install Pango, HarfBuzz (with hb-subset), fontconfig and the Noto Sans CJK fonts, then rerun."; exit 1; }; \
	  exit 0; \
	fi; \
	$(call apt_install,$(APT_PACKAGES))

# The tests also look at the HTML in a browser (tests/test_screen.py: headless Chromium at phone and
# desktop widths). Not needed to build a briefing, so only `make test` installs it; on a system
# without dpkg the browser tests are skipped with a reason.
test-packages:
	@if command -v dpkg-query >/dev/null; then $(call apt_install,$(TEST_APT_PACKAGES)); fi

# Installs the Debian packages $(1) that are missing (as root), or prints the command to run.
define apt_install
missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done | xargs); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null && fc-cache -f >/dev/null; \
	  else \
	    echo "Missing system packages: $$missing"; \
	    echo "Install them with:  sudo apt-get install -y --no-install-recommends $$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

clean: ## Remove generated results and logs (never the archive)
	rm -rf results logs benchmarks .snakemake
