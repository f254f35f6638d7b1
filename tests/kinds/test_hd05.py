"""hd05-2026: the 2026 Party rules as an opt-in profile (every rule unconfirmed with its source), the
`the-thuc` command comparing two profiles, and mirrored margins for duplex printing really applied — back
pages swap the side margins in the PDF (WeasyPrint) and in the .docx (read back through LibreOffice)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quyche.pipeline import build
from quyche.profile import load_profile
from quyche.render import get_renderer

DATA = Path(__file__).resolve().parents[2] / "data"
MM = 72 / 25.4
SOFFICE = shutil.which("soffice")
REQUIRED = os.environ.get("QUYCHE_REQUIRE_LIBREOFFICE") == "1"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quyche", *args], capture_output=True, text=True, timeout=60)


def test_hd05_is_listed_opt_in_and_unconfirmed() -> None:
    assert "hd05-2026" in cli("the-thuc").stdout
    profile = load_profile("hd05-2026")
    assert profile.chain[-2:] == ("hd36-2018", "hd05-2026")
    own = profile.differences(load_profile("hd36-2018"))
    assert own and all(b is None or a is None or a.status == "unconfirmed" for _, a, b in own)


def test_the_thuc_shows_what_differs() -> None:
    out = cli("the-thuc", "hd36-2018", "hd05-2026")
    assert out.returncode == 0
    keys = [line.split()[0] for line in out.stdout.splitlines()]
    assert "page.mirror_back_page" in keys and "cong_van.trich_yeu" in keys
    assert "sizes" not in keys  # inherited unchanged
    bad = cli("the-thuc", "hd36-2018", "khong-co")
    assert bad.returncode == 2 and "khong-co" in bad.stderr


def left_edges(pdf: Path) -> list[float]:
    """The leftmost word of each page's body text, in mm from the paper's left edge."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    edges = []
    for page in out.split("<page ")[1:]:
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"', page)
        xs = [float(x) for x, y in words if float(y) > 30 * MM]  # below the page number
        edges.append(round(min(xs) / MM, 1))
    return edges


@pytest.fixture
def mirrored(tmp_path: Path) -> Path:
    text = (DATA / "ke-hoach-lam-dong-2017.yaml").read_text(encoding="utf-8")
    text = text.replace("so: 45\n", "so: 45\nthe_thuc: hd05-2026\n")
    shutil.copytree(DATA / "co-quan", tmp_path / "co-quan")
    path = tmp_path / "kh.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_back_pages_swap_the_side_margins_in_the_pdf(mirrored: Path, tmp_path: Path) -> None:
    pytest.importorskip("quyche.render.pdf")
    document = build(mirrored).document
    page = document.sections[0].page
    assert page.mirror_back_page and (page.margin_left_mm, page.margin_right_mm) == (30, 15)
    pdf = tmp_path / "kh.pdf"
    pdf.write_bytes(get_renderer("pdf").render(document))
    first, second = left_edges(pdf)[:2]
    assert 29 <= first <= 31 and 14 <= second <= 17.5, (first, second)  # a table cell starts 1.9 mm in


@pytest.mark.skipif(SOFFICE is None and not REQUIRED, reason="LibreOffice missing")
def test_back_pages_swap_the_side_margins_in_the_docx(mirrored: Path, tmp_path: Path) -> None:
    document = build(mirrored).document
    docx = tmp_path / "kh.docx"
    docx.write_bytes(get_renderer("docx").render(document))
    with zipfile.ZipFile(docx) as z:
        assert "<w:mirrorMargins/>" in z.read("word/settings.xml").decode()
    profile = tmp_path / "lo"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    first, second = left_edges(tmp_path / "kh.pdf")[:2]
    assert 29 <= first <= 31 and 14 <= second <= 17.5, (first, second)  # a table cell starts 1.9 mm in


def test_party_cong_van_under_hd05_says_ve_viec(tmp_path: Path) -> None:
    text = (DATA / "cong-van-lam-dong-2017.yaml").read_text(encoding="utf-8")
    text = text.replace("  - ma: UBND\ndon_vi: VX\n", "  - ma: BTGTU\n").replace(
        "so: 6254", "so: 12\nthe_thuc: hd05-2026"
    )
    text = text.replace("    thua_lenh: Chủ tịch\n    chuc_vu: Chánh Văn phòng\n", "    chuc_vu: Trưởng ban\n")
    text = text.replace("co_quan: UBND\n    chuc_vu", "co_quan: BTGTU\n    chuc_vu")
    shutil.copytree(DATA / "co-quan", tmp_path / "co-quan")
    path = tmp_path / "cv.yaml"
    path.write_text(text, encoding="utf-8")
    number_cell = build(path).document.sections[0].blocks[0].rows[1].cells[0].blocks
    assert number_cell[1].text.startswith("về việc báo cáo kết quả")
