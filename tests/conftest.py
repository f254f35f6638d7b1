from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/outline.py


def pytest_configure(config: pytest.Config) -> None:
    """The run's own cache folder (data_cache.py), for this process and every quyche it starts: a test run
    neither reads nor fills the user's cache."""
    if "QUYCHE_CACHE_DIR" not in os.environ:
        config._quyche_cache = os.environ["QUYCHE_CACHE_DIR"] = tempfile.mkdtemp(prefix="quyche-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = getattr(config, "_quyche_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def skip_module_without_pdf_fonts(pdf_module) -> None:
    """Skip the calling test module when Liberation Serif is missing, unless the run requires the system packages
    (`make test` as root installs them: scripts/install-system.sh, fonts-liberation2)."""
    try:
        pdf_module.find_fonts()
    except pdf_module.FontNotFoundError:
        if os.environ.get("QUYCHE_REQUIRE_LIBREOFFICE") != "1":
            pytest.skip("Liberation Serif missing (apt-get install fonts-liberation2)", allow_module_level=True)


def example_files() -> list[Path]:
    """Every document example in data/ (rosters live in data/co-quan/ and are not documents)."""
    return sorted(DATA.glob("*.yaml"))


@pytest.fixture
def case(record_property):
    """case(area, tried, outcome): one row of docs/reliability.md (scripts/reliability.py reads these
    properties from the run's JUnit XML)."""

    def record(area: str, tried: str, outcome: str) -> None:
        record_property("area", area)
        record_property("tried", tried)
        record_property("outcome", outcome)

    return record
