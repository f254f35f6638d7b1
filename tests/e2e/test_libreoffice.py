"""Real-client check: LibreOffice opens every example .docx and lays it out as intended — the Quốc hiệu
(or the Party tiêu đề) on one line, and the page count recorded in tests/golden/pages.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import quyche

from conftest import example_files

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "pages.json"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
required = os.environ.get("QUYCHE_REQUIRE_LIBREOFFICE") == "1"
pytestmark = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice/poppler missing (scripts/install-system.sh installs them)",
)


def test_libreoffice_is_present_when_required() -> None:
    assert not required or SOFFICE is not None


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("lo")
    docs = []
    for path in example_files():
        result = quyche.render(path, out_dir=work)
        docs.extend(p for p in result.written if p.suffix == ".docx")  # not the sidecar JSON
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            *map(str, docs),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {p.stem: work / f"{p.stem}.pdf" for p in example_files()}


def example_sections(stem: str) -> bool:
    """Whether the example's page 2 opens a section of its own (a decision's regulation restarts at 1)."""
    path = next(p for p in example_files() if p.stem == stem)
    return "kem_theo:" in path.read_text(encoding="utf-8")


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_header_on_one_line_and_page_count(converted, update_golden: bool) -> None:
    counts = {stem: _pages(pdf) for stem, pdf in converted.items()}
    for stem, pdf in converted.items():
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        first_page = text.split("\f")[0]
        assert ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first_page) or ("ĐẢNG CỘNG SẢN VIỆT NAM" in first_page), stem
        lines = first_page.splitlines()
        if "CỘNG HÒA" in first_page:
            assert any("Độc lập - Tự do - Hạnh phúc" in line for line in lines), stem
        if counts[stem] > 1 and not example_sections(stem):
            page2 = text.split("\f")[1]
            assert page2.strip().splitlines()[0].strip() == "2", f"{stem}: page 2 starts with its number"
        assert not first_page.strip().splitlines()[0].strip().isdigit(), f"{stem}: no number on page 1"
    if update_golden or not GOLDEN.exists():
        GOLDEN.write_text(json.dumps(counts, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == counts
