"""The preview's A4 pages are the PDF's pages: for every example in data/ and every starter of `quyche init`,
the editor's preview (paged.js in Chromium) has as many pages as the PDF WeasyPrint writes (pypdf), each page
starts with the same text, and each page is A4."""

from __future__ import annotations

import io
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
A4_PX = (793.7, 1122.5)  # 210 × 297 mm in CSS px


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = workspace_copy(tmp_path_factory.mktemp("ws"))
    (folder / "moi").mkdir()
    for rel in STARTERS:
        (folder / rel).write_text(starter_text(Path(rel).stem), encoding="utf-8")
    server = start_server(folder)
    yield server
    stop_server(server)


def letters(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_page_texts(data: bytes) -> list[str]:
    """Each PDF page's text without white space (the page number may come first or last)."""
    return [letters(pg.extract_text() or "") for pg in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("doc", EXAMPLES + STARTERS)
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
