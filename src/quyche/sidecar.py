"""The sidecar ``<name>.json`` written beside every output: the document's identity as NĐ 30/2020, Phụ lục VI,
Phần II names it ("chuẩn thông tin đầu vào": CodeNumber, CodeNotation, IssuedDate, OrganName, TypeName, Subject,
Language, PageAmount, SignerInfo, To, Priority, IssuedAmount, DueDate), for e-office systems that read it
instead of the file, and every signature place (page, box in pt and in mm, role, signer, order) for signing apps
that place a signature by coordinates.

The places are those of the PDF's empty signature fields (render/pdf_fields.py ``signature_boxes``), so a
signing app and the fields agree; they exist only when a PDF is written. A .docx alone has no fixed layout (Word
and LibreOffice each lay it out again, with their own fonts and rules), so without a PDF the sidecar gives no
PageAmount and no places, and says so in ``bo_cuc`` rather than guess them. Coordinates follow PDF user space:
points (1/72 in) from the page's bottom-left corner, page numbers from 1. The text is deterministic (sorted
where order is free) so the same document gives the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Document

STANDARD = "NĐ 30/2020/NĐ-CP, Phụ lục VI, Phần II"
EXTENSION = "json"
PT_TO_MM = 25.4 / 72
# Where PageAmount and the signature places come from ("bo_cuc"): the PDF written beside, or nowhere.
LAYOUT_PDF = "theo bản PDF ghi cùng: số trang (PageAmount) và vị trí ký là của tệp PDF"
LAYOUT_NONE = (
    "chưa có: chỉ xuất .docx; số trang (PageAmount) và vị trí ký chỉ biết khi xuất PDF "
    "(Word, LibreOffice dàn trang .docx lại, mỗi phần mềm một khác)"
)


@dataclass(frozen=True)
class Place:
    """One signature place: the signer's block on a laid-out page (format-neutral copy of a SignatureBox)."""

    signer_id: str
    ho_ten: str
    co_quan: str
    chuc_vu: tuple[str, ...]
    field_name: str
    page_index: int  # 0-based
    box_pt: tuple[float, float, float, float]  # x1, y1, x2, y2 from the bottom-left corner


@dataclass
class Layout:
    """What only the PDF's layout knows: its page count and the signature places."""

    pages: int | None = None
    places: list[Place] = field(default_factory=list)


def places_from_boxes(boxes: list[Any]) -> list[Place]:
    return [
        Place(b.signer.id, b.signer.ho_ten, b.signer.co_quan, tuple(b.signer.lines), b.field_name, b.page_index, b.box)
        for b in boxes
    ]


def _mm(values: tuple[float, ...]) -> list[float]:
    return [round(v * PT_TO_MM, 2) for v in values]


def sidecar(document: Document, files: dict[str, str], layout: Layout | None = None) -> dict[str, Any]:
    """The sidecar's content. ``files``: format → file name written beside it."""
    layout = layout or Layout()
    info = document.meta.fields()
    if layout.pages is not None:
        info["PageAmount"] = layout.pages
    order = {s.id: i for i, s in enumerate(document.signers, start=1)}
    places = []
    for p in sorted(layout.places, key=lambda p: order.get(p.signer_id, 0)):
        x1, y1, x2, y2 = p.box_pt
        places.append(
            {
                "thu_tu": order.get(p.signer_id, 0),  # signing order: the order of the signature blocks
                "vai_tro": p.signer_id,
                "nguoi_ky": p.ho_ten,
                "co_quan": p.co_quan,
                "chuc_vu": list(p.chuc_vu),
                "truong_ky": p.field_name,  # the PDF's empty signature field over this place
                "trang": p.page_index + 1,
                "hop_pt": {"x1": x1, "y1": y1, "x2": x2, "y2": y2},
                "hop_mm": dict(zip(("x1", "y1", "x2", "y2"), _mm(p.box_pt), strict=True)),
                "rong_pt": round(x2 - x1, 2),
                "cao_pt": round(y2 - y1, 2),
            }
        )
    return {
        "chuan": STANDARD,
        "bo_cuc": LAYOUT_PDF if layout.pages is not None else LAYOUT_NONE,
        "van_ban": info,
        "so_ky_hieu": document.so_ky_hieu,
        "the_thuc": document.profile_id,
        "tep": dict(sorted(files.items())),
        "goc_toa_do": "góc dưới bên trái của trang; đơn vị pt (1/72 inch) và mm; trang đánh số từ 1",
        "vi_tri_ky": places,
    }


def sidecar_bytes(document: Document, files: dict[str, str], layout: Layout | None = None) -> bytes:
    import json  # here, not at import: validating a document writes no sidecar (start-up of quyche validate)

    return (json.dumps(sidecar(document, files, layout), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
