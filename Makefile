# Two commands do all the set-up on a fresh machine with Python >= 3.10 and make:
#   make        creates .venv on first use, installs the project with every extra, prints the report
#   make test   the whole test suite, what CI runs (library, CLI, notebooks once each, papermill
#               variants, browser tests; installs Debian's chromium, a CJK font and bubblewrap if missing)
# For developers: make check (fast: library, CLI, doctests; under a minute), make mutate.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SCENARIO ?= seed-demo
PYTEST := $(PY) -m pytest -p no:cacheprovider

.PHONY: run test check report lab site app system-deps browser-deps bench mutate clean-notebooks sync-zh clean-venv

run: report

$(STAMP): pyproject.toml scripts/venv_startup.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[all]"
	$(PY) scripts/venv_startup.py
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (aftersales)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)
	@mkdir -p out
	$(PY) -m aftersales report $(SCENARIO) --png out/dashboard.png --force

# Debian packages the tests need (chromium, a CJK font, bubblewrap); does nothing when present
system-deps:
	@bash scripts/install_system_deps.sh
browser-deps: system-deps

# fast: the library, the command line and the doctests, no notebook and no browser, on every core;
# each property test draws a quarter of its examples (make test draws them all). Python may cache
# compiled files here even where the environment says not to: each test process would otherwise
# compile the library and rewrite every test file again on every run.
check: $(STAMP)
	PYTHONDONTWRITEBYTECODE= AFTERSALES_EXAMPLES=0.25 $(PYTEST) -n auto tests -m "not slow and not browser" --doctest-modules aftersales -q

# everything, each notebook executed once by nbval (the papermill tests run only other parameters)
test: $(STAMP) system-deps
	$(PYTEST) tests notebooks --doctest-modules aftersales --nbval-lax --nbval-current-env

# mutation testing of aftersales/model (mutmut's mutants, the fast model tests as the runner); prints
# the killed share per module, writes out/mutation.md and out/mutation.json. Narrow it or test only
# the survivors again: make mutate MUTATE_ARGS="--paths aftersales/model/leakage.py" or
# MUTATE_ARGS="--retest out/mutation.json"
MUTATE_ARGS ?=
mutate: $(STAMP)
	nice -n 10 $(PY) scripts/mutate.py $(MUTATE_ARGS)

clean-notebooks: $(STAMP)
	$(PY) scripts/clean_notebooks.py notebooks

# the Chinese edition notebooks/zh/ from the English notebooks (--check: list stale cells, exit 1)
sync-zh: $(STAMP)
	$(PY) scripts/sync_zh.py

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
