"""Signature places in the PDF: where each signer's block landed after layout (``signature_boxes``) and one
empty signature field per signer over it (``signature_fields``, ISO 32000-1, 12.7.4.5; ô 7c, NĐ 30/2020,
Phụ lục I, II.7). The boxes are also what the sidecar JSON lists for signing apps (render/pdf_meta.py)."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

import pydyf  # WeasyPrint's PDF writer

from ..model import Document, Signer

log = logging.getLogger("quyche")

PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (1/96 in); PDF user space is in pt (1/72 in)


# -- signature fields ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignatureBox:
    signer: Signer
    field_name: str
    page_index: int  # 0-based
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in pt from the page's bottom-left corner


def ascii_fold(text: str) -> str:
    """ "Nguyễn Văn Yên" → "nguyen-van-yen" (PDF field names: no dots, plain ASCII)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def field_name(signer: Signer) -> str:
    return "-".join(x for x in (ascii_fold(signer.id), ascii_fold(signer.ho_ten)) if x) or "chu-ky"


def signature_boxes(rendered, document: Document) -> list[SignatureBox]:
    """Where each signer's block landed: the union of its cells' border boxes on the first page that
    shows it, from WeasyPrint's laid-out boxes (``page._page_box``), in PDF points."""
    signers = {s.id: s for s in document.signers}
    found: dict[str, tuple[int, list[float]]] = {}
    for index, page in enumerate(rendered.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or not hasattr(element, "get"):
                continue
            owner = element.get("data-ky")
            if owner not in signers or (owner in found and found[owner][0] != index):
                continue
            x, y = box.border_box_x(), box.border_box_y()
            x2, y2 = x + box.border_width(), y + box.border_height()
            if owner in found:
                r = found[owner][1]
                r[:] = [min(r[0], x), min(r[1], y), max(r[2], x2), max(r[3], y2)]
            else:
                found[owner] = (index, [x, y, x2, y2])
    out: list[SignatureBox] = []
    used: set[str] = set()
    for signer in document.signers:
        if signer.id not in found:
            log.warning("PDF: không tìm thấy khối chữ ký %s trên trang; bỏ qua ô ký số.", signer.id)
            continue
        index, (x1, y1, x2, y2) = found[signer.id]
        height = rendered.pages[index].height
        name = base = field_name(signer)
        n = 2
        while name in used:  # field names must be unique in the AcroForm
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        # CSS px from the top-left → PDF pt from the bottom-left
        left, bottom, right, top = (round(v * PX_TO_PT, 2) for v in (x1, height - y2, x2, height - y1))
        out.append(SignatureBox(signer, name, index, (left, bottom, right, top)))
    return out


def signature_fields(boxes: list[SignatureBox]):
    """A WeasyPrint finisher adding one empty signature field per signer to the PDF being written
    (ISO 32000-1, 12.7.4.5): a merged field/widget annotation /FT /Sig, named, over the signer's block,
    printable and with an (empty) normal appearance as PDF/A-2 requires of visible annotations
    (ISO 19005-2, 6.3.2–6.3.3). Written with the file itself: no second pass over the PDF."""

    def finish(_document, pdf: pydyf.PDF) -> None:
        if not boxes:
            return
        if "AcroForm" not in pdf.catalog:
            pdf.catalog["AcroForm"] = pydyf.Dictionary({"Fields": pydyf.Array()})
        fields = pdf.catalog["AcroForm"]["Fields"]
        kids = pdf.pages["Kids"][::3]  # [number, 0, "R", …]
        for b in boxes:
            page = pdf.objects[kids[b.page_index]]
            left, bottom, right, top = b.box
            appearance = pydyf.Stream(
                extra={
                    "Type": "/XObject",
                    "Subtype": "/Form",
                    "BBox": pydyf.Array((0, 0, round(right - left, 2), round(top - bottom, 2))),
                    "Resources": pydyf.Dictionary(),
                }
            )
            pdf.add_object(appearance)
            widget = pydyf.Dictionary(
                {
                    "Type": "/Annot",
                    "Subtype": "/Widget",
                    "FT": "/Sig",
                    "T": pydyf.String(b.field_name),
                    "TU": pydyf.String(f"Chữ ký số: {b.signer.ho_ten}"),
                    "Rect": pydyf.Array(b.box),
                    "P": page.reference,
                    "F": 1 << (3 - 1),  # Print (PDF/A-2, 6.3.2)
                    "AP": pydyf.Dictionary({"N": appearance.reference}),
                }
            )
            pdf.add_object(widget)
            if "Annots" not in page:
                page["Annots"] = pydyf.Array()
            page["Annots"].append(widget.reference)
            fields.append(widget.reference)
            _tag_widget(pdf, widget, page, b)

    return finish


def obj(pdf: pydyf.PDF, reference: bytes | str):
    """The object a pydyf reference (b"12 0 R") points at."""
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return pdf.objects[int(text.split()[0])]


def _tag_widget(pdf: pydyf.PDF, widget: pydyf.Dictionary, page, box: SignatureBox) -> None:
    """In a tagged PDF every annotation belongs to the structure tree (ISO 32000-1, 14.7.4.4 and 14.8.4.5;
    PDF/UA-1, 7.18.1): a /Form element holding an object reference to the widget, and the widget's
    /StructParent entry in the parent tree."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    root = obj(pdf, pdf.catalog["StructTreeRoot"])
    document = obj(pdf, root["K"][0])
    nums = obj(pdf, root["ParentTree"])["Nums"]
    key = max((int(k) for k in nums[::2]), default=-1) + 1
    objr = pydyf.Dictionary({"Type": "/OBJR", "Obj": widget.reference, "Pg": page.reference})
    form = pydyf.Dictionary(
        {
            "Type": "/StructElem",
            "S": "/Form",
            "P": document.reference,
            "Pg": page.reference,
            "K": objr,  # one object reference, not an array: the path pyHanko whitelists for later signing
            "Alt": pydyf.String(f"Ô ký số của {box.signer.ho_ten}"),
        }
    )
    pdf.add_object(form)
    document["K"].append(form.reference)
    widget["StructParent"] = key
    nums.extend((key, form.reference))
