# Two commands for a fresh clone (Python >= 3.11): `make demo` and `make test`.
# Each first checks the system packages it needs (scripts/deps.sh: installs them with apt-get when it
# can, else stops at once saying how), then makes the .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint lock deps deps-demo clean

# constraints.txt pins every dependency (runtime and test) to the versions the suite last passed with:
# a new release upstream cannot change a fresh venv. `make lock` regenerates it from pyproject.toml's ranges.
$(BIN)/oit-checker: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

# Re-resolve constraints.txt in a fresh venv (after changing a range in pyproject.toml), then run the suite.
lock:
	@bash scripts/lock.sh

# Every system package the tests need (Chromium, Thai fonts, poppler, Tesseract with Thai data).
deps:
	@bash scripts/deps.sh test

# What the demo uses: Chromium and Thai fonts (screenshots), poppler (PDF text and page images).
deps-demo:
	@bash scripts/deps.sh demo

# The demo site has failing items on purpose, so `oit-checker demo` exits 1; any other code, or a
# crash (also 1 from Python: scripts/run_demo.py tells them apart), is a problem.
demo: deps-demo $(BIN)/oit-checker
	@$(BIN)/python scripts/run_demo.py

# Two workers, each test file on one (its servers and fixtures are shared within the file): the suite
# mostly waits on local servers and the browser, so two workers halve it on a 2-core machine.
test: deps $(BIN)/oit-checker
	$(BIN)/pytest -q -n 2 --dist loadfile

# Pinned ruff and mypy (the test extra), outside the test run: a new release cannot turn `make test` red.
lint: $(BIN)/oit-checker
	$(BIN)/ruff check oit_checker tests bench scripts
	$(BIN)/mypy oit_checker

clean:
	rm -rf $(VENV) .pytest_cache
