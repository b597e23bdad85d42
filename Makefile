# Two commands for a fresh clone (Python >= 3.11): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean

$(BIN)/oit-checker: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

# The demo site has failing items on purpose, so `oit-checker demo` exits 1; any other code is a problem.
demo: $(BIN)/oit-checker
	@$(BIN)/oit-checker demo; code=$$?; \
	echo "oit-checker demo: exit code $$code (1 = the demo site has failing items, as intended)"; \
	test $$code -eq 1

test: $(BIN)/oit-checker
	$(BIN)/pytest -q

lint: $(BIN)/oit-checker
	$(BIN)/ruff check oit_checker tests bench
	$(BIN)/mypy oit_checker

clean:
	rm -rf $(VENV) .pytest_cache
