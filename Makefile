# Two commands do all the set-up on a fresh machine with Python >= 3.10 and make:
#   make        creates .venv on first use, installs the project, prints the report, writes the dashboard
#   make test   the whole test suite (library, CLI, notebooks, papermill variants)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SCENARIO ?= seed-demo

.PHONY: run test report lab site app browser-deps bench clean-venv

run: report

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (aftersales)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)
	@mkdir -p out
	$(PY) -m aftersales report $(SCENARIO) --png out/dashboard.png

# Debian's chromium + a small CJK font for the browser tests; does nothing when chromium is on PATH
browser-deps:
	@bash scripts/install_browser_deps.sh

test: $(STAMP) browser-deps
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

site: $(STAMP)
	$(PY) -m aftersales site

app: $(STAMP)
	$(PY) -m aftersales app

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean-venv:
	rm -rf $(VENV)
