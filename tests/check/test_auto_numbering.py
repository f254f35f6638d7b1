"""Khoản numbered by Word's automatic numbering (w:numPr) instead of typed, as clerks number them in Word: the
checker reads the label Word prints (check/numbering.py). Typed numbers turned into a numbered list restarting
at each Điều is clean; the classic slips of a Word list are found — one list running on across Điều ("3., 4."
in Điều 2), a list that starts at 2 (list.khoan), letters "a." where the profile wants "1." (list.diem)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import rendered, workdir

from quyche.check import check_file

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAME = "quy-che-dak-lak-2017"  # a State quy chế: khoản "1.", "2." in every Điều
TYPED = re.compile(r"^(\d+)\. ")


def numbering_xml(fmt: str, start: int, nums: int) -> bytes:
    lvl = (
        f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>'
    )
    body = f'<w:abstractNum w:abstractNumId="0">{lvl}</w:abstractNum>'
    # one w:num per Điều, each restarting the list (startOverride), as Word's "Restart at 1" writes it
    body += "".join(
        f'<w:num w:numId="{i}"><w:abstractNumId w:val="0"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
        for i in range(1, nums + 1)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    return f'{head}<w:numbering xmlns:w="{W}">{body}</w:numbering>'.encode()


def auto_numbered(tmp: Path, *, fmt: str = "decimal", start: int = 1, one_list: bool = False) -> tuple[Path, int]:
    """The example with every typed khoản number removed and the paragraph put in a Word list instead."""
    doc = Document(str(rendered()[NAME]["docx"]))
    num, changed = 0, 0
    for p in doc.paragraphs:
        if p.style is not None and p.style.name == "Điều":
            num += 0 if one_list and num else 1
        match = TYPED.match(p.text)
        if not match or p.style is None or p.style.name != "Khoản":
            continue
        run = p.runs[0]
        assert run.text.startswith(match[0]), run.text
        run.text = run.text[len(match[0]) :]
        ppr = p._p.get_or_add_pPr()
        ppr.append(ppr.makeelement(f"{{{W}}}numPr"))
        num_pr = ppr[-1]
        for tag, val in (("ilvl", "0"), ("numId", str(max(num, 1)))):
            el = num_pr.makeelement(f"{{{W}}}{tag}")
            el.set(f"{{{W}}}val", val)
            num_pr.append(el)
        changed += 1
    part = Part(
        PackURI("/word/numbering.xml"), CT.WML_NUMBERING, numbering_xml(fmt, start, max(num, 1)), doc.part.package
    )
    doc.part.relate_to(part, RT.NUMBERING)
    out = tmp / f"{NAME}-{fmt}-{start}-{one_list}.docx"
    doc.save(str(out))
    return out, changed


def khoan_findings(path: Path) -> list[str]:
    result = check_file(path)
    assert result.failure is None, result.failure
    return [f.rule for f in result.findings]


def test_typed_numbers_turned_into_a_word_list_are_clean() -> None:
    path, changed = auto_numbered(workdir())
    assert changed >= 6
    assert khoan_findings(path) == []


@pytest.mark.parametrize(
    ("options", "rule", "what"),
    [
        ({"one_list": True}, "list.khoan", "one list running on across the Điều"),
        ({"start": 2}, "list.khoan", "a list starting at 2"),
        ({"fmt": "lowerLetter"}, "list.diem", 'letters "a." where khoản are "1.": read as điểm without ")"'),
    ],
)
def test_slips_of_a_word_list_are_found(options: dict, rule: str, what: str) -> None:
    path, _ = auto_numbered(workdir(), **options)
    found = khoan_findings(path)
    assert found and set(found) == {rule}, (what, found)
