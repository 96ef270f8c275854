# The two commands: `make run` starts the application, `make test` runs the tests.
# Each creates .venv and installs what it needs on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run demo test lint screenshots bench bundle clean

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

# The benchmark: 20,000 families in SQLCipher and plain SQLite (several minutes); ARGS="--families 2000".
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ccc_desktop.bench --out build/bench $(ARGS)

bundle: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bundle]'
	$(BIN)/pyinstaller --noconfirm build.spec

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
