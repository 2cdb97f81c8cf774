# Two commands on a fresh machine: `make demo` and `make test`. Everything they need is
# installed here from pyproject.toml and package.json / package-lock.json.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export SAPLING_ENV ?= development
VENDOR := sapling/static/vendor

.PHONY: install demo serve test lint typecheck migrations-check pytest e2e bench messages clean

install: $(BIN)/.installed $(VENDOR)/.copied sapling/locale/cy/LC_MESSAGES/django.mo

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The NHS.UK frontend, htmx and Plotly are served by Sapling itself: copied, never committed.
# Its stylesheet loads the licensed Frutiger font from assets.nhs.uk; nothing may be fetched
# from elsewhere at run time, so the @font-face rules are dropped and pages use the
# stylesheet's own fallback, Arial.
$(VENDOR)/.copied: node_modules/.installed tools/plotly-css.mjs
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/nhsuk-frontend $(VENDOR)/htmx
	sed -E 's/@font-face\{[^}]*\}//g' node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css \
	   > $(VENDOR)/nhsuk-frontend/nhsuk-frontend.min.css
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js $(VENDOR)/nhsuk-frontend/
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets $(VENDOR)/nhsuk-frontend/assets
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	mkdir -p $(VENDOR)/plotly
	cp node_modules/plotly.js-dist-min/plotly.min.js node_modules/plotly.js-dist-min/LICENSE $(VENDOR)/plotly/
	node tools/plotly-css.mjs node_modules/plotly.js-dist-min/plotly.min.js $(VENDOR)/plotly
	touch $@

sapling/locale/cy/LC_MESSAGES/django.mo: sapling/locale/cy/LC_MESSAGES/django.po $(BIN)/.installed
	$(BIN)/pybabel compile -d sapling/locale -D django

# Re-extract translatable strings into the Welsh catalogue after changing text.
messages: $(BIN)/.installed
	mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext_lazy -k ngettext:1,2 -o var/django.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i var/django.pot -d sapling/locale -D django -l cy

demo: install
	$(BIN)/sapling demo

serve: install
	$(BIN)/sapling serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy sapling tests

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck migrations-check pytest

e2e: install
	$(BIN)/pytest -m e2e tests/e2e

bench: install
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
