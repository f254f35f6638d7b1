"""Measure `quyche check` on its corpora and print (or write) the table of docs/check.md.

    .venv/bin/python scripts/check_rates.py            # print the table
    .venv/bin/python scripts/check_rates.py --write    # refresh docs/check.md between its markers

Detection rate = planted flaws reported under their exact rule id / planted flaws; false alarms = findings on
documents that have none. The corpora are the test suite's (tests/check): every example of data/ rendered
by quyche with one flaw at a time planted by python-docx, and the LibreOffice-authored documents (.docx and
LibreOffice's PDF).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "tests" / "check")]

from corpus import libreoffice, rendered, workdir  # noqa: E402
from docx import Document  # noqa: E402
from flaws import FIXABLE, FLAWS  # noqa: E402
from lo_corpus import FIXABLE as LO_FIXABLE  # noqa: E402
from lo_corpus import PDF_BLIND, corpus  # noqa: E402
from pdf_flaws import PDF_FLAWS  # noqa: E402

from quyche.check import check_file  # noqa: E402
from quyche.check.fixes import apply_fixes  # noqa: E402

BEGIN, END = "<!-- so-lieu-kiem-tra: bat-dau -->", "<!-- so-lieu-kiem-tra: ket-thuc -->"


class Tally:
    def __init__(self) -> None:
        self.planted = self.found = self.extra = self.clean_docs = self.false = 0
        self.fixable = self.fixed = 0

    def flaw(self, path: Path, rule: str) -> None:
        rules = [f.rule for f in check_file(path).findings]
        self.planted += 1
        self.found += rule in rules
        self.extra += sum(r != rule for r in rules)

    def clean(self, path: Path) -> None:
        self.clean_docs += 1
        self.false += len(check_file(path).findings)

    def fix(self, path: Path) -> None:
        result = check_file(path)
        data, _ = apply_fixes(result)
        out = path.with_name(path.stem + "-da-sua.docx")
        out.write_bytes(data)
        self.fixable += 1
        self.fixed += check_file(out).clean


def measure() -> dict[str, Tally]:
    out = {k: Tally() for k in ("quyche", "quyche-pdf", "lo-docx", "lo-pdf")}
    folder = workdir() / "rates"
    folder.mkdir(exist_ok=True)
    for name, item in rendered().items():
        for fmt in ("docx", "pdf"):
            if fmt in item:  # a document laid out by its own Word template has no PDF
                out["quyche"].clean(item[fmt])
        system = check_file(item["docx"]).ident.lead
        for flaw, plant in FLAWS.items():
            doc = Document(str(item["docx"]))
            rule = plant(doc, system)
            if rule is None:
                continue
            path = folder / f"{name}-{flaw}.docx"
            doc.save(str(path))
            out["quyche"].flaw(path, rule)
            if flaw in FIXABLE:
                out["quyche"].fix(path)
        for flaw, plant_pdf in PDF_FLAWS.items():
            if "pdf" not in item:
                continue
            path = folder / f"{name}-{flaw}.pdf"
            rule = plant_pdf(item["pdf"], path)
            if rule is not None:
                out["quyche-pdf"].flaw(path, rule)
    _page_numbers(out["quyche-pdf"], folder)
    for name, (_system, flaw, rule) in corpus().items():
        files = libreoffice()[name]
        if rule is None:
            out["lo-docx"].clean(files["docx"])
            out["lo-pdf"].clean(files["pdf"])
            continue
        out["lo-docx"].flaw(files["docx"], rule)
        if flaw not in PDF_BLIND:
            out["lo-pdf"].flaw(files["pdf"], rule)
        if flaw in LO_FIXABLE:
            out["lo-docx"].fix(files["docx"])
    return out


def _page_numbers(tally: Tally, folder: Path) -> None:
    """The page-number flaws of the .docx laid out by LibreOffice: found in the PDF's top band (PDFs of more than
    one page: a one-page document shows no number to judge)."""

    from corpus import SOFFICE, convert

    if SOFFICE is None:
        return
    planted = {}
    for name, item in rendered().items():
        system = check_file(item["docx"]).ident.lead
        for flaw in ("page_number_removed", "page_number_left", "page_number_roman"):
            doc = Document(str(item["docx"]))
            rule = FLAWS[flaw](doc, system)
            if rule is not None:
                doc.save(str(folder / f"so-trang-{name}-{flaw}.docx"))
                planted[f"so-trang-{name}-{flaw}"] = rule
    convert(sorted(folder / f"{n}.docx" for n in planted), "pdf", folder / "pdf", timeout=600)
    from pypdf import PdfReader

    for stem, rule in planted.items():
        pdf = folder / "pdf" / f"{stem}.pdf"
        later = PdfReader(str(pdf)).pages[1:]
        if all(_opens_part(page.extract_text() or "") for page in later):
            continue  # one page, or every later page opens an issued regulation or an appendix: no number shows
        tally.flaw(pdf, rule)


def _opens_part(text: str) -> bool:
    """A page that begins a part of its own, unnumbered (ND30-PL1 §III.1.đ; check/rules_pages._part_starts)."""
    from quyche.check.detect import QUOC_HIEU, TIEU_DE_DANG, fold

    top = " ".join(fold(line) for line in text.splitlines()[:4])
    return any(fold(mark) in top for mark in (QUOC_HIEU, TIEU_DE_DANG, "PHỤ LỤC"))


def table(t: dict[str, Tally]) -> str:
    names = {
        "quyche": f"văn bản quyche ({len(rendered())} ví dụ, .docx + PDF), lỗi cài bằng python-docx",
        "quyche-pdf": "PDF của quyche: lỗi cài bằng pypdf (PDF/A, ô chữ ký); số trang (LibreOffice dàn trang)",
        "lo-docx": "văn bản soạn bằng LibreOffice, .docx",
        "lo-pdf": "văn bản soạn bằng LibreOffice, PDF của LibreOffice",
    }
    lines = [
        "| kho văn bản | lỗi tìm đúng mã / lỗi cài | phát hiện thêm trên văn bản có lỗi | báo nhầm / văn bản sạch "
        "| --sua: sạch sau khi sửa / sửa được |",
        "|---|---|---|---|---|",
    ]
    for key, x in t.items():
        rate = f"{x.found}/{x.planted} ({100 * x.found / x.planted:.0f} %)" if x.planted else "—"
        false = f"{x.false}/{x.clean_docs}" if x.clean_docs else "—"
        fixed = f"{x.fixed}/{x.fixable}" if x.fixable else "—"
        lines.append(f"| {names[key]} | {rate} | {x.extra} | {false} | {fixed} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    text = table(measure())
    if not ap.parse_args().write:
        print(text)
        return
    doc = ROOT / "docs" / "check.md"
    body = doc.read_text(encoding="utf-8")
    head, rest = body.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
