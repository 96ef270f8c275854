# The two commands: `make run` starts the application, `make test` runs the tests.
# Each creates .venv and installs what it needs on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run demo test lint screenshots screenshots-small screenshots-200 bench bundle clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ccc-desktop $(ARGS)

demo: $(STAMP)
	$(BIN)/ccc-desktop --demo $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check ccc_desktop tests bundling
	$(BIN)/mypy

screenshots: $(STAMP)
	rm -rf build/demo-vault
	QT_QPA_PLATFORM=offscreen $(BIN)/ccc-desktop --demo --data-dir build/demo-vault --screenshots build/screenshots

# The same screens on a 1366x768 laptop screen (build/screenshots-1366x768) and at 200% scaling,
# QT_SCALE_FACTOR=2 on a 2732x1536 screen (build/screenshots-200): windows are fitted to the
# screen as the app fits them (ui/widgets/screen_fit.py). Look at both after a layout change.
SCREEN_JSON = '{"screens": [{"name": "screen", "x": 0, "y": 0, "width": %d, "height": %d, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}'
screenshots-small: $(STAMP)
	mkdir -p build && printf $(SCREEN_JSON) 1366 768 > build/screen-1366x768.json
	rm -rf build/demo-vault-1366x768
	QT_QPA_PLATFORM=offscreen:configfile=$(CURDIR)/build/screen-1366x768.json $(BIN)/ccc-desktop --demo --data-dir build/demo-vault-1366x768 --screenshots build/screenshots-1366x768

screenshots-200: $(STAMP)
	mkdir -p build && printf $(SCREEN_JSON) 2732 1536 > build/screen-2732x1536.json
	rm -rf build/demo-vault-200
	QT_SCALE_FACTOR=2 QT_QPA_PLATFORM=offscreen:configfile=$(CURDIR)/build/screen-2732x1536.json $(BIN)/ccc-desktop --demo --data-dir build/demo-vault-200 --screenshots build/screenshots-200

# The benchmark: 20,000 families in SQLCipher and plain SQLite (several minutes); ARGS="--families 2000".
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ccc_desktop.bench --out build/bench $(ARGS)

bundle: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bundle]'
	$(BIN)/pyinstaller --noconfirm build.spec

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
