"""The PDF is tagged (a structure tree, every signature widget in it), bookmarked (Phần / Chương / Mục / Điều,
each appendix), titled and in Vietnamese; its XMP carries NĐ 30/2020 Phụ lục VI Phần II under quyche's namespace,
declared by a PDF/A extension schema; the sidecar JSON lists the very places of the signature widgets."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from quyche import sidecar as sidecar_module
from quyche.model import Para
from quyche.pipeline import build, render_to

from conftest import example_files, skip_module_without_pdf_fonts

pdf = pytest.importorskip("quyche.render.pdf")
pdf_meta = pytest.importorskip("quyche.render.pdf_meta")

skip_module_without_pdf_fonts(pdf)

# A document laid out by its own Word template (mau_word) has no PDF of the built-in layout (mau-word-khong-pdf).
EXAMPLES = [p for p in example_files() if "\nmau_word:" not in p.read_text(encoding="utf-8")]
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFA_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_FIELD = "http://www.aiim.org/pdfa/ns/field#"
PT_TO_MM = 25.4 / 72
HEADINGS = {"phan", "chuong", "muc", "dieu", "phu_luc_so"}


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def written(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = render_to(request.param, out, ("docx", "pdf"))
    stem = request.param.stem
    data = (out / f"{stem}.pdf").read_bytes()
    sidecar = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    return result.document, PdfReader(io.BytesIO(data)), sidecar


def _expected_bookmarks(document) -> list[str]:
    out = []
    for section in document.sections:
        blocks = section.blocks
        for i, b in enumerate(blocks):
            if not isinstance(b, Para) or b.role not in HEADINGS:
                continue
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(nxt, Para) and nxt.role == b.role + "_ten":
                out.append(f"{b.text}. {nxt.text}")
            else:
                out.append(b.text)
    return [" ".join(t.split()) for t in out]


def _kinds(element, depth=0):
    """The structure types under ``element`` (depth-first)."""
    kids = element.get("/K")
    if kids is None or depth > 40:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            yield kid["/S"]
            yield from _kinds(kid, depth + 1)


def _flat(outline, depth=0):
    for item in outline:
        if isinstance(item, list):
            yield from _flat(item, depth + 1)
        else:
            yield depth, " ".join(item.title.split())


def test_bookmarks_follow_the_structure(written) -> None:
    document, reader, _ = written
    got = list(_flat(reader.outline))
    assert [t for _, t in got] == _expected_bookmarks(document)
    chapter = False  # a Điều after a Chương sits under it (a decision's own articles come before any Chương)
    for depth, title in got:
        chapter = chapter or title.startswith("Chương")
        if title.startswith("Điều") and chapter:
            assert depth >= 1, title


def test_quy_che_bookmarks_nest_dieu_under_chuong(tmp_path: Path) -> None:
    out = render_to(Path(EXAMPLES[0]).parent / "quy-che-dak-lak-2017.yaml", tmp_path, ("pdf",))
    reader = PdfReader(str(out.written[0]))
    top = [o for o in reader.outline if not isinstance(o, list)]
    assert [o.title for o in top] == [
        "Chương I. NHỮNG QUY ĐỊNH CHUNG",
        "Chương II. NỘI DUNG PHỐI HỢP",
        "Chương III. TỔ CHỨC THỰC HIỆN",
    ]
    assert [o.title for o in reader.outline[1]] == ["Điều 1. Nguyên tắc phối hợp", "Điều 2. Phạm vi phối hợp"]


def test_tagged_with_title_and_language(written) -> None:
    document, reader, _ = written
    root = reader.trailer["/Root"]
    assert str(root["/MarkInfo"]["/Marked"]).lower() == "true"
    assert root["/Lang"] == "vi-VN"
    assert str(root["/ViewerPreferences"]["/DisplayDocTitle"]).lower() == "true"
    tree = root["/StructTreeRoot"].get_object()
    doc_elem = tree["/K"][0].get_object()
    assert doc_elem["/S"] == "/Document"
    kinds = list(_kinds(doc_elem))
    assert kinds.count("/P") >= 5 and "/Table" in kinds and "/Form" in kinds, kinds
    meta = document.meta
    assert reader.metadata.title == f"{meta.type_name} {meta.subject}".strip()
    assert reader.metadata.author == meta.organ_name
    for page in reader.pages:  # still A4, fonts embedded
        assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor


def test_every_signature_widget_is_in_the_structure_tree(written) -> None:
    document, reader, _ = written
    root = reader.trailer["/Root"]
    widgets = [f.get_object() for f in root["/AcroForm"]["/Fields"]]
    assert len(widgets) == len(document.signers)
    nums = root["/StructTreeRoot"]["/ParentTree"].get_object()["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for widget in widgets:
        form = parents[int(widget["/StructParent"])].get_object()
        assert form["/S"] == "/Form"
        assert form["/K"]["/Type"] == "/OBJR" and form["/K"]["/Obj"].get_object() is widget


def test_xmp_carries_phu_luc_vi_with_its_extension_schema(written) -> None:
    document, reader, _ = written
    xmp = etree.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    assert xmp.find(f".//{{{RDF}}}Description[@{{http://www.aiim.org/pdfa/ns/id/}}part='2']") is not None
    declared = {e.text for e in xmp.iter(f"{{{PDFA_PROPERTY}}}name")}
    namespaces = {e.text for e in xmp.iter(f"{{{PDFA_SCHEMA}}}namespaceURI")}
    assert pdf_meta.NS in namespaces
    used = [e for e in xmp.iter() if isinstance(e.tag, str) and e.tag.startswith(f"{{{pdf_meta.NS}}}")]
    names = {e.tag.split("}")[1] for e in used}
    assert names <= declared, names - declared  # PDF/A: no undeclared property (ISO 19005-2, 6.6.2.3)
    assert {e.text for e in xmp.iter(f"{{{PDFA_FIELD}}}name")} == {"Position", "FullName"}
    values = {e.tag.split("}")[1]: e for e in used}
    meta = document.meta
    assert values["IssuedDate"].text == meta.issued_date
    assert values["OrganName"].text == meta.organ_name and values["TypeName"].text == meta.type_name
    assert values["PageAmount"].text == str(len(reader.pages))
    if meta.code_number:
        assert values["CodeNumber"].text == meta.code_number
    signers = [
        (li.find(f"{{{pdf_meta.SIGNER_NS}}}Position").text, li.find(f"{{{pdf_meta.SIGNER_NS}}}FullName").text)
        for li in values["SignerInfo"].iter(f"{{{RDF}}}li")
    ]
    assert signers == [(p, n) for p, n in meta.signers]


def test_sidecar_lists_the_widgets_places(written) -> None:
    document, reader, sidecar = written
    widgets = {}
    for number, page in enumerate(reader.pages, start=1):  # the page whose /Annots holds the widget
        for ref in page.get("/Annots", []):
            w = ref.get_object()
            if w.get("/FT") == "/Sig":
                widgets[str(w["/T"])] = (number, [float(v) for v in w["/Rect"]])
    places = sidecar["vi_tri_ky"]
    assert len(places) == len(widgets) == len(document.signers)
    assert [p["thu_tu"] for p in places] == list(range(1, len(places) + 1))
    assert [p["nguoi_ky"] for p in places] == [s.ho_ten for s in document.signers]
    for place in places:
        page, rect = widgets[place["truong_ky"]]
        assert place["trang"] == page
        box = place["hop_pt"]
        assert [box["x1"], box["y1"], box["x2"], box["y2"]] == pytest.approx(rect, abs=0.01)
        mm = place["hop_mm"]
        assert [mm["x1"], mm["y1"], mm["x2"], mm["y2"]] == pytest.approx([v * PT_TO_MM for v in rect], abs=0.01)
    info = sidecar["van_ban"]
    assert sidecar["bo_cuc"] == sidecar_module.LAYOUT_PDF
    assert info["PageAmount"] == len(reader.pages)
    assert info == {**document.meta.fields(), "PageAmount": len(reader.pages)}
    assert sidecar["tep"] == {"docx": f"{Path(sidecar['tep']['pdf']).stem}.docx", "pdf": sidecar["tep"]["pdf"]}


def test_docx_only_sidecar_has_identity_but_no_places(tmp_path: Path) -> None:
    source = EXAMPLES[0]
    result = render_to(source, tmp_path, ("docx",))
    side = json.loads((tmp_path / f"{source.stem}.json").read_text(encoding="utf-8"))
    assert side["vi_tri_ky"] == [] and "PageAmount" not in side["van_ban"]
    assert side["bo_cuc"] == sidecar_module.LAYOUT_NONE and "chỉ biết khi xuất PDF" in side["bo_cuc"]  # said
    assert side["van_ban"]["IssuedDate"] == build(source).document.meta.issued_date
    assert [p.name for p in result.written] == [f"{source.stem}.docx", f"{source.stem}.json"]
    record = json.loads((tmp_path / ".quyche-da-ghi.json").read_text(encoding="utf-8"))
    assert f"{source.stem}.json" in record["tep"]  # written through the record: a hand edit is kept


def test_public_names_stay_importable_after_the_split() -> None:
    """Other code (an HTML preview, the signing tests) imports these from quyche.render.pdf."""
    from quyche.render.pdf import (  # noqa: F401
        FontNotFoundError,
        PdfRenderer,
        SignatureBox,
        document_html,
        environment,
        field_name,
        find_fonts,
        signature_boxes,
        signature_fields,
    )

    assert pdf._ParaStyles.__module__ == "quyche.render.pdf_html"  # older private names resolve too
