# Set-up and entry points. The README's quick start is `make briefing` then `make test`.
# Set-up is idempotent: a second run checks the system packages and the lock stamp and is done.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian/Ubuntu packages the PDF needs: Pango + fontconfig (WeasyPrint's text layout), HarfBuzz's
# subsetter (without it rendering is ~18x slower), Noto CJK (without it Chinese prints as boxes,
# silently), DejaVu (Latin fallback and monospace), poppler-utils (PDF inspection in tests).
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk \
                fonts-dejavu-core poppler-utils
CORES ?= all
# Optional: PERIOD=YYYY-MM picks the reporting period (default: the current month, UTC).
PERIOD ?=

.PHONY: help briefing test setup system-packages lint clean verify-archive monthly eval eval-holdout
help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

briefing: setup ## Build the briefing PDF (installs what is missing first)
	$(BIN)/snakemake --cores $(CORES) $(if $(PERIOD),--config period=$(PERIOD))

test: setup ## Run the test suite (unit, workflow, PDF read-back)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

eval: setup ## The figure engine on the development corpus: recall, precision, planted problems
	$(BIN)/python bench/eval_figures.py

eval-holdout: setup ## The same on the held-out corpus (final evaluation only)
	$(BIN)/python bench/eval_figures.py --holdout

lint: setup ## Snakemake's linter
	$(BIN)/snakemake --lint

verify-archive: setup ## Recheck every hash in the archive; non-zero exit if a file is missing or altered
	$(BIN)/python scripts/verify_archive.py

monthly: setup ## Build and archive the current month (or PERIOD=YYYY-MM); log in logs/monthly/
	SNAKEMAKE=$(BIN)/snakemake CORES=$(CORES) scripts/monthly.sh $(PERIOD)

setup: system-packages $(VENV)/.installed ## Virtualenv with the pinned packages, system fonts and libraries

$(VENV)/.installed: requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/python -m pip check --disable-pip-version-check
	@touch $@

system-packages:
	@if ! command -v dpkg-query >/dev/null; then \
	  fc-list ':family=Noto Sans CJK TC' | grep -q . || { echo "Not a Debian system: install Pango, HarfBuzz (with hb-subset), fontconfig and the Noto Sans CJK fonts, then rerun."; exit 1; }; \
	  exit 0; \
	fi; \
	missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done | xargs); \
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

clean: ## Remove generated results and logs (never the archive)
	rm -rf results logs benchmarks .snakemake
