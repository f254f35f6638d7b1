"""A trích yếu never ends a line inside a range of years ("giai đoạn 2024 - / 2026"): trích yếu lengths are
generated around the width of the text column, so that a plain word wrap would break inside the range on
several of them; each is laid out by WeasyPrint (the PDF) and by LibreOffice (the .docx) and read back as
word positions."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from quyche.compose.ngat_dong import keep_ranges
from quyche.measure import wrap_lines
from quyche.pipeline import build
from quyche.render import get_renderer

from conftest import DATA
from layout.test_rendered_layout import SOFFICE, Word, on_one_line, words_of

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice missing (scripts/install-system.sh)")
pytest.importorskip("quyche.render.pdf")

FILLER = "thông tin tuyên truyền vận động Nhân dân báo chí xuất bản văn hóa văn nghệ khoa giáo".split()
BASE = "Phối hợp công tác {} giữa Ban Tuyên giáo Tỉnh ủy và Ủy ban nhân dân tỉnh giai đoạn 2024 - 2026"


def trich_yeu_variants() -> list[str]:
    """Every filler length whose plain greedy wrap (at 160 or 165 mm) would split the range."""
    found = []
    for n in range(len(FILLER) + 1):
        text = BASE.format(" ".join(FILLER[:n]))
        lines = [line for w in (160, 165) for line in wrap_lines(text, 14, w, bold=True)]
        if any(line.endswith((" -", "2024")) for line in lines):
            found.append(text)
    return found


def test_keep_ranges() -> None:
    assert keep_ranges("giai đoạn 2024 - 2026") == "giai đoạn 2024\u00a0-\u00a02026"
    assert keep_ranges("giai đoạn 2021 – 2025, năm 2026") == "giai đoạn 2021\u00a0–\u00a02025, năm 2026"
    assert keep_ranges("số 12/QĐ-UBND ngày 2-3") == "số 12/QĐ-UBND ngày 2-3"  # nothing to join
    assert len(trich_yeu_variants()) >= 3


def range_on_one_line(words: list[Word]) -> bool:
    page = [w for w in words if w.page == 1]
    for start in (w for w in page if w.text.startswith("2024")):
        line = [w for w in page if abs(w.y0 - start.y0) < 1.5 and w.x0 >= start.x0]
        text = " ".join(w.text for w in sorted(line, key=lambda w: w.x0)).replace("\u00a0", " ")
        if text.startswith("2024 - 2026"):
            return True
    return False


def test_no_title_line_ends_inside_a_year_range(tmp_path: Path) -> None:
    source = (DATA / "quy-che-lam-dong-2016.yaml").read_text(encoding="utf-8")
    shutil.copytree(DATA / "co-quan", tmp_path / "co-quan")  # (the rosters it names)
    docx, pdf = get_renderer("docx"), get_renderer("pdf")
    cases = trich_yeu_variants()
    composed: list[list[str]] = []
    for i, text in enumerate(cases):
        yaml_path = tmp_path / f"ty-{i}.yaml"
        yaml_path.write_text(re.sub(r"(?m)^trich_yeu: .*$", f"trich_yeu: {text}", source), encoding="utf-8")
        result = build(yaml_path)
        para = next(b for b in result.document.sections[0].blocks if getattr(b, "role", "") == "trich_yeu")
        composed.append(para.text.replace("\u00a0", " ").split("\n"))
        (tmp_path / f"ty-{i}.docx").write_bytes(docx.render(result.document))
        (tmp_path / f"ty-{i}.weasy.pdf").write_bytes(pdf.render(result.document))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), *(str(tmp_path / f"ty-{i}.docx") for i in range(len(cases)))],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    broken = [
        (i, engine)
        for i in range(len(cases))
        for engine, name in (("weasyprint", f"ty-{i}.weasy.pdf"), ("libreoffice", f"ty-{i}.pdf"))
        if not range_on_one_line(words_of(tmp_path / name))
    ]
    assert not broken, broken
    # the even lines quyche chose (compose/ngat_dong.even_lines) are the lines both engines print
    rewrapped = [
        (i, engine, line)
        for i in range(len(cases))
        for engine, name in (("weasyprint", f"ty-{i}.weasy.pdf"), ("libreoffice", f"ty-{i}.pdf"))
        for line in composed[i]
        if not on_one_line(words_of(tmp_path / name), line)
    ]
    assert all(len(lines) > 1 for lines in composed) and not rewrapped, rewrapped
