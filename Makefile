# `make run` to try Kesu, `make test` before committing. Stamps in .venv/ and node_modules/
# make both installs happen only when pyproject.toml or package-lock.json changed.

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint static

run: $(VENV)/.installed static
	@[ -n "$$KESU_PDF_FONT" ] || [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || \
		echo "Note: 8D PDFs need a Chinese TrueType font: apt-get install fonts-wqy-microhei (or set KESU_PDF_FONT)."
	$(BIN)/kesu migrate --noinput
	$(BIN)/kesu seed-holidays
	@if [ "$$($(BIN)/kesu shell -v 0 -c 'from kesu.org.models import User; print(User.objects.exists())')" = False ]; then \
		$(BIN)/kesu load-demo; \
	fi
	$(BIN)/kesu serve --port $(PORT)

# SQLite whatever DATABASE_URL says; .ci/run repeats the suite on PostgreSQL.
test: $(VENV)/.installed-test static
	env -u DATABASE_URL $(BIN)/pytest -m "not browser" -n 2

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Templates need the manifest: static files are stored hashed, also in tests.
static: $(VENV)/.installed node_modules/.installed
	$(BIN)/kesu collectstatic --noinput -v 0

$(BIN)/python:
	python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -e ".[test]"
	touch $@

node_modules/.installed: package-lock.json
	npm ci
	touch $@
