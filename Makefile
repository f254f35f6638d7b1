# quyche — make demo | make test | make lint | make bench
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: setup system demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,pdf]'
	@rm -f $(VENV)/.installed-*; touch $@

setup: $(STAMP)

# LibreOffice (real-client check) and fonts: installed by the project, never by hand.
system:
	@bash scripts/install-system.sh

demo: setup
	$(VENV)/bin/quyche render data/*.yaml -o out/

# As root the system packages can be installed, so the real-client check must run, not skip.
test: setup system
	$(PY) -m ruff check src tests scripts
	QUYCHE_REQUIRE_LIBREOFFICE=$$([ "$$(id -u)" = 0 ] && echo 1 || echo 0) $(PY) -m pytest

lint: setup
	$(PY) -m ruff check src tests scripts

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf out .pytest_cache
