# quyche — make demo | make test | make lint | make bench
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: setup fonts system demo test lint bench clean templates reliability

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,pdf,web]'
	@rm -f $(VENV)/.installed-*; touch $@

setup: $(STAMP)

# Fonts for PDF (demo), plus LibreOffice and poppler for the tests: installed by the project, never by hand.
fonts:
	@bash scripts/install-system.sh fonts

system:
	@bash scripts/install-system.sh

demo: setup fonts
	$(VENV)/bin/quyche mau kiem-tra data/mau/giay-moi-van-phong.docx --loai giay_moi
	$(VENV)/bin/quyche render data/*.yaml -o out/
	$(VENV)/bin/quyche batch data/bo/*.yaml -o out/ --so-dang-ky out/so-dang-ky.sqlite3
	$(VENV)/bin/quyche register export out/so-dang-ky.xlsx --so-dang-ky out/so-dang-ky.sqlite3

# As root the system packages can be installed, so the real-client check and the SoftHSM2 token tests
# must run, not skip.
test: setup system
	$(PY) -m ruff check src tests scripts
	QUYCHE_REQUIRE_LIBREOFFICE=$$([ "$$(id -u)" = 0 ] && echo 1 || echo 0) \
	QUYCHE_REQUIRE_SOFTHSM=$$([ "$$(id -u)" = 0 ] && echo 1 || echo 0) $(PY) -m pytest

# Word templates whose styles ("Điều", "Khoản", …) can be restyled and passed back with --mau (docs/architecture.md).
templates: setup
	$(VENV)/bin/quyche render data/quy-che-dak-lak-2017.yaml -o /tmp/quyche-templates
	$(VENV)/bin/quyche render data/quy-che-quang-tri-2023.yaml -o /tmp/quyche-templates
	install -m 644 /tmp/quyche-templates/quy-che-dak-lak-2017.docx templates/quyche-nd30-2020.docx
	install -m 644 /tmp/quyche-templates/quy-che-quang-tri-2023.docx templates/quyche-hd36-2018.docx

lint: setup
	$(PY) -m ruff check src tests scripts

# Runs the hostile suite and rewrites the table in docs/reliability.md.
reliability: setup
	$(PY) scripts/reliability.py --write

bench: setup
	$(PY) bench/run.py
	$(PY) bench/editor.py
	$(PY) bench/mau_word.py
	$(PY) bench/check.py

clean:
	rm -rf out .pytest_cache
