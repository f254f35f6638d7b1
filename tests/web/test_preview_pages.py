"""The preview's A4 pages are the PDF's pages: for every example in data/, every starter of `quyche init` and
generated variants of a quy chế (QUYCHE_BIEN_THE of them, 12 by default),
the editor's preview (paged.js in Chromium) has as many pages as the PDF WeasyPrint writes (pypdf), each page
starts with the same text, and each page is A4."""

from __future__ import annotations

import io
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from quyche.starters import STARTER_KINDS, starter_text

from .conftest import DATA, Server, start_server, stop_server, workspace_copy
from .test_browser import browser, wait_pages  # noqa: F401 - the module's Chromium (skips as test_browser does)

EXAMPLES = sorted(p.name for p in DATA.glob("*.yaml"))
STARTERS = [f"moi/{kind}.yaml" for kind in STARTER_KINDS if kind != "bo_van_ban"]  # a batch has no preview
VARIANTS = [f"bien-the/quy-che-{seed:02d}.yaml" for seed in range(int(os.environ.get("QUYCHE_BIEN_THE", "12")))]
# Known differences, measured on seeds 0–39 (36 match): the two text engines wrap one justified line differently
# when its words nearly fill it exactly (seeds 9, 27, 33: the page then starts a word, or a clause,
# apart); WeasyPrint leaves one line fewer of a keep-with-next paragraph split before the signatures (seed 26).
_LINE = "Chromium xuống dòng khác WeasyPrint ở một dòng căn đều mà các chữ gần vừa khít: trang sau lệch một, hai chữ"
KNOWN = {
    9: _LINE,
    26: "WeasyPrint để lại ít hơn một dòng của đoạn giữ liền với khối chữ ký khi tách đoạn ấy qua trang",
    27: _LINE,
    33: _LINE + " (một đoạn ở trang 1 ít hơn một dòng: trang 2 bắt đầu ở khoản sau)",
}
A4_PX = (793.7, 1122.5)  # 210 × 297 mm in CSS px


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = workspace_copy(tmp_path_factory.mktemp("ws"))
    (folder / "moi").mkdir()
    for rel in STARTERS:
        (folder / rel).write_text(starter_text(Path(rel).stem), encoding="utf-8")
    (folder / "bien-the").mkdir()
    for seed, rel in enumerate(VARIANTS):
        (folder / rel).write_text(variant(seed), encoding="utf-8")
    server = start_server(folder)
    yield server
    stop_server(server)


def variant(seed: int) -> str:
    """quy-che-hoa-binh-2019.yaml with other chapters: articles of random lengths, one paragraph or several
    clauses, so that pages break in headings, in paragraphs (orphans, widows), before the signatures…"""
    rng = random.Random(seed)
    text = (DATA / "quy-che-hoa-binh-2019.yaml").read_text(encoding="utf-8")
    words = re.findall(r"[^\W\d_]+", text.split("chuong:")[1].split("ky:")[0])

    def sentence(lo: int, hi: int) -> str:
        s = " ".join(rng.choice(words) for _ in range(rng.randint(lo, hi)))
        return s[:1].upper() + s[1:] + "."

    lines = ["chuong:"]
    for _ in range(rng.randint(1, 4)):
        lines += [f"  - ten: {sentence(2, 8)[:-1]}", "    dieu:"]
        for _ in range(rng.randint(1, 5)):
            lines.append(f"      - ten: {sentence(2, 12)[:-1]}")
            if rng.random() < 0.5:
                lines.append(f"        doan: {sentence(5, 160)}")
            else:
                lines.append("        khoan:")
                lines += [f"          - {sentence(5, 90)}" for _ in range(rng.randint(1, 4))]
    head, rest = text.split("chuong:")
    return head + "\n".join(lines) + "\nky:" + rest.split("ky:", 1)[1]


def letters(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_page_texts(data: bytes) -> list[str]:
    """Each PDF page's text without white space (the page number may come first or last)."""
    return [letters(pg.extract_text() or "") for pg in PdfReader(io.BytesIO(data)).pages]


def _cases() -> list:
    out: list = [*EXAMPLES, *STARTERS]
    for seed, rel in enumerate(VARIANTS):
        known = KNOWN.get(seed)
        out.append(pytest.param(rel, marks=pytest.mark.xfail(strict=True, reason=known)) if known else rel)
    return out


@pytest.mark.parametrize("doc", _cases())
def test_preview_pages_are_the_pdf_pages(browser, workspace: Server, doc: str) -> None:  # noqa: F811
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{workspace.url}/soan/{doc}")
    wait_pages(page, 1)
    pages = page.frame_locator("#xem-truoc").locator(".pagedjs_page")
    shown = pages.evaluate_all(
        """ps => ps.map(p => {
            const first = Array.from(p.querySelectorAll('.pagedjs_page_content p')).find(e => e.textContent.trim());
            return {w: p.offsetWidth, h: p.offsetHeight, first: first ? first.textContent : ''};
        })"""
    )
    count = int(page.evaluate("() => document.getElementById('soan-thao').dataset.soTrang"))
    page.close()
    with workspace.client() as c:
        r = c.get(f"/api/tai/{doc}?dinh-dang=pdf")
    assert r.status_code == 200, r.text
    starts = pdf_page_texts(r.content)
    assert count == len(shown) == len(starts), (doc, count, len(starts))
    for i, (preview, pdf) in enumerate(zip(shown, starts, strict=True), start=1):
        assert abs(preview["w"] - A4_PX[0]) < 2 and abs(preview["h"] - A4_PX[1]) < 2, (i, preview)
        head = letters(preview["first"])[:20]
        numbered = pdf.startswith(str(i)) and pdf[len(str(i)) :].startswith(head)
        assert head and (pdf.startswith(head) or numbered), f"trang {i}: xem trước «{head}», PDF «{pdf[:40]}»"
    assert not errors, errors
