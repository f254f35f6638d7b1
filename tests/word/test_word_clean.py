"""Every .docx quyche writes is Word-clean: an Open XML validator (openxml-audit, schema and semantic checks)
finds 0 errors in every example and every batch output; Phần / Chương / Mục / Điều carry outline levels read
back with python-docx; core and custom properties come from the document; the same input gives the same bytes."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openxml_audit import OpenXmlValidator

import quyche
from quyche.batch import plan_batch, run_batch

from conftest import DATA

EXAMPLES = sorted(DATA.glob("*.yaml"))
_VALIDATOR = OpenXmlValidator(max_errors=50)


def errors_of(data: bytes, tmp_path: Path, name: str = "x.docx") -> list[str]:
    path = tmp_path / name
    path.write_bytes(data)
    result = _VALIDATOR.validate(str(path))
    return [str(e) for e in result.errors]


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {p.stem: quyche.render(p).outputs["docx"] for p in EXAMPLES}


@pytest.mark.parametrize("stem", [p.stem for p in EXAMPLES])
def test_every_example_validates_with_no_error(rendered: dict[str, bytes], stem: str, tmp_path: Path) -> None:
    assert errors_of(rendered[stem], tmp_path) == []


def test_the_validator_does_find_errors(rendered: dict[str, bytes], tmp_path: Path) -> None:
    """The check can fail: without the font table and theme (what every output lacked before) it reports both,
    and an element out of schema order is reported too."""
    data = rendered["quy-che-dak-lak-2017"]
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in src.namelist():
            body = src.read(name)
            if name == "word/_rels/document.xml.rels":
                body = body.replace(b'Target="fontTable.xml"', b'Target="nothing.xml"')
            if name == "word/document.xml":  # outlineLvl must follow jc, never precede pStyle
                body = body.replace(
                    b'<w:pPr><w:pStyle w:val="QCDieu"/>',
                    b'<w:pPr><w:outlineLvl w:val="3"/><w:pStyle w:val="QCDieu"/>',
                    1,
                )
            z.writestr(name, body)
    found = errors_of(out.getvalue(), tmp_path)
    assert any("nothing.xml" in e or "fontTable" in e for e in found)
    assert any("outlineLvl" in e or "pStyle" in e for e in found)


def test_batch_outputs_validate(tmp_path: Path) -> None:
    (tmp_path / "co-quan").mkdir()
    shutil.copy(DATA / "co-quan" / "tien-lu-2019.yaml", tmp_path / "co-quan")
    (tmp_path / "bo").mkdir()
    shutil.copy(DATA / "bo" / "tien-lu-2019.yaml", tmp_path / "bo")
    report = run_batch(plan_batch(tmp_path / "bo" / "tien-lu-2019.yaml"), tmp_path / "out", jobs=1)
    docs = sorted((tmp_path / "out").rglob("*.docx"))
    assert report.rendered and len(docs) == len(report.rendered)
    for path in docs:
        assert _VALIDATOR.validate(str(path)).errors == [], path.name


def _outline_levels(data: bytes) -> list[tuple[str, int, str]]:
    out = []
    for p in Document(io.BytesIO(data)).paragraphs:
        lvl = p._p.pPr.find(qn("w:outlineLvl")) if p._p.pPr is not None else None
        style_lvl = p.style.element.pPr.find(qn("w:outlineLvl")) if p.style.element.pPr is not None else None
        if lvl is not None:
            assert style_lvl is not None and style_lvl.get(qn("w:val")) == lvl.get(qn("w:val"))
            out.append((p.style.name, int(lvl.get(qn("w:val"))), p.text))
    return out


def test_outline_levels_on_chuong_and_dieu(rendered: dict[str, bytes]) -> None:
    levels = _outline_levels(rendered["quy-che-dak-lak-2017"])
    assert [t for _, lvl, t in levels if lvl == 1] == ["Chương I", "Chương II", "Chương III"]
    dieu = [(s, t) for s, lvl, t in levels if lvl == 3]
    assert len(dieu) == 8 and all(s == "Điều" and t.startswith("Điều ") for s, t in dieu)
    assert {s for s, _, _ in levels} == {"Chương", "Điều"}


def test_outline_levels_on_phan_and_muc() -> None:
    found = {}
    for path in EXAMPLES:
        for style, lvl, _ in _outline_levels(quyche.render(path).outputs["docx"]):
            found[style] = lvl
    assert found.get("Phần") == 0 and found.get("Mục") == 2, found


def test_core_properties_from_the_document(rendered: dict[str, bytes]) -> None:
    core = Document(io.BytesIO(rendered["quy-che-dak-lak-2017"])).core_properties
    assert core.author == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert core.title.startswith("Quy chế Phối hợp công tác giữa Ủy ban nhân dân tỉnh")
    assert core.created.isoformat().startswith("2017-10-27") and core.modified == core.created


def test_custom_properties_carry_phu_luc_vi(rendered: dict[str, bytes]) -> None:
    custom = Document(io.BytesIO(rendered["quyet-dinh-lam-dong-2016"])).part.package
    part = next(p for p in custom.iter_parts() if str(p.partname) == "/docProps/custom.xml")
    from lxml import etree

    root = etree.fromstring(part.blob)
    props = {p.get("name"): p[0].text for p in root}
    assert props["CodeNumber"] == "2519" and props["CodeNotation"] == "QĐ-UBND"
    assert props["IssuedDate"] == "2016-11-28" and props["TypeName"] == "Quyết định"
    assert props["OrganName"] == "Ủy ban nhân dân tỉnh Lâm Đồng" and props["Language"] == "vi"
    assert props["SignerInfo.1.FullName"] and props["SignerInfo.1.Position"]
    assert props["Subject"].startswith("Ban hành Quy chế")


@pytest.mark.parametrize("stem", ["quy-che-dak-lak-2017", "bien-ban-ky-ket-quang-tri-2024"])
def test_same_input_same_bytes(rendered: dict[str, bytes], stem: str) -> None:
    again = quyche.render(DATA / f"{stem}.yaml").outputs["docx"]
    assert again == rendered[stem]
    infos = zipfile.ZipFile(io.BytesIO(again)).infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_same_input_and_template_same_bytes(tmp_path: Path) -> None:
    from conftest import ROOT

    tpl = ROOT / "templates" / "quyche-nd30-2020.docx"
    one = quyche.render(DATA / "quy-che-dak-lak-2017.yaml", template=tpl).outputs["docx"]
    two = quyche.render(DATA / "quy-che-dak-lak-2017.yaml", template=tpl).outputs["docx"]
    assert one == two
    assert errors_of(one, tmp_path) == []
