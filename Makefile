# One entry point for people and CI. `make serve` and `make test` do all set-up
# on a fresh machine: create .venv when missing, install the project with the
# extras they need, then serve the site / run the whole suite.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The exercise pages' form (web/form/) is bundled with npm packages at build time.
NODE_STAMP := node_modules/.installed
HOST   ?= 127.0.0.1:8000

.PHONY: help serve build test quick lint typecheck pytest pdf demo bench bench-check profile weight lighthouse dist site-url clean

help:
	@echo "make serve   set up, build and serve the workbook at http://$(HOST)"
	@echo "make test    set up, then ruff, mypy and the whole pytest suite"
	@echo "make quick   ruff, mypy and the tests not marked slow or browser (the edit-test loop)"
	@echo "make build   build the static site into site/ (strict)"
	@echo "make pdf     print the whole workbook to out/networking-workbook.pdf"
	@echo "make demo    build a sample class export and score it into out/demo"
	@echo "make bench   score 10,000 generated submissions against the YAML parse floor"
	@echo "make bench-check  time checking single worksheets against the parse floor"
	@echo "make profile time each step of scoring on its own, per submission"
	@echo "make weight  time cold and warm builds, and weigh a first visit"
	@echo "make lighthouse  Lighthouse (mobile) on every kind of page, served compressed"
	@echo "make dist    build the wheel and sdist of the workbook tool into dist/"
	@echo "make site-url URL=...  move the site (and every schema line) to a new address"
	@echo "make clean   remove .venv, node_modules, site/ and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the project's metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[docs,test]"
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "The worksheet form is built with Node.js and npm, which are missing (on Debian: apt-get install nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

serve: $(STAMP) $(NODE_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict --dev-addr $(HOST)

build: $(STAMP) $(NODE_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

lint: $(STAMP)
	$(BIN)/ruff check workbook tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

test: lint typecheck pytest

# The edit-test loop: everything but the tests marked slow or browser (the site
# build, a real browser, property tests, node-driven ports, benchmark scripts,
# signals; tests/conftest.py marks them). `make test` is what CI runs.
quick: lint typecheck
	$(BIN)/python -m pytest -q -m "not slow and not browser"

# The whole workbook as a PDF: the print page, printed by headless Chromium
# (Debian's chromium; install it with apt-get install chromium).
pdf: build
	mkdir -p out
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --no-pdf-header-footer \
		--run-all-compositor-stages-before-draw --virtual-time-budget=20000 \
		--print-to-pdf=out/networking-workbook.pdf "file://$(CURDIR)/site/print_page/index.html"
	@echo "Wrote out/networking-workbook.pdf"

demo: $(STAMP)
	$(BIN)/python scripts/make_demo_class.py -o out/demo-class.zip
	$(BIN)/workbook score out/demo-class.zip --out out/demo \
		--canvas-assignment "Networking portfolio (1001)"
	@echo "Open the class report: out/demo/report.html"

weight: $(STAMP)
	$(BIN)/python scripts/site_weight.py

bench: $(STAMP)
	$(BIN)/python scripts/bench_score.py -n 10000

bench-check: $(STAMP)
	$(BIN)/python scripts/bench_check.py

profile: $(STAMP)
	$(BIN)/python scripts/profile_score.py

# Lighthouse 12.2.3 from npm at run time (not a dependency), in Debian's chromium,
# against the built site served with gzip and a cache header: scripts/lighthouse.py.
lighthouse: build
	$(BIN)/python scripts/lighthouse.py

# The wheel and sdist a learner installs `workbook` from (README: "Installing the
# checker"). build makes the sdist, then the wheel from it; .github/workflows/release.yml
# runs this on every v* tag, and tests/test_wheel.py installs both and runs them.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist

# A fork's own address (URL=https://you.github.io/repo/), or, with no URL, the schema
# lines and $id brought in line with mkdocs.yml and each worksheet's version.
site-url: $(STAMP)
	$(BIN)/python scripts/site_url.py $(URL)

clean:
	rm -rf $(VENV) node_modules site out .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
