"""Where the signer's image, the seal and the information line go inside a signature field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields as sig_fields

if TYPE_CHECKING:
    from PIL.Image import Image


MM = 72 / 25.4
TEXT_SIZE_PT = 8.0  # the information line; small so that it stays inside the signing gap
MIN_TEXT_SIZE_PT = 5.0
SIGNER_MAX_W = 0.60  # the signer's image: at most this share of the field's width …
SIGNER_MAX_H = 0.45  # … and height (the field spans chức vụ, the signing gap and the name)
# A seal PNG without a resolution (pHYs) has no "actual size"; this width is used then (UNCONFIRMED, practice:
# most round seals of State bodies are 32–42 mm across) and a warning asks for --co-dau or a PNG with DPI.
DEFAULT_SEAL_MM = 36.0
NEW_FIELD_MM = (90.0, 40.0)  # a field added on the last page: width, height
NEW_FIELD_MARGIN_MM = (20.0, 20.0)  # right and bottom page margins (NĐ 30/2020, Phụ lục I, I.3: 15–20 / 20–25)


@dataclass(frozen=True)
class _Picture:
    image: Image  # RGBA
    size: tuple[float, float] | None  # natural size in pt from the PNG's resolution, if it has one


@dataclass
class _Plan:
    signer: tuple[float, float, float, float] | None = None  # x, y, w, h inside the field
    seal: tuple[float, float, float, float] | None = None
    text_top: float = 0.0  # the text block hangs from this y


def _fit(w: float, h: float, max_w: float, max_h: float) -> tuple[float, float]:
    scale = min(max_w / w, max_h / h)
    return w * scale, h * scale


def _plan(
    box_w: float, box_h: float, signer: _Picture | None, seal: _Picture | None, text_h: float, warnings: list[str]
) -> _Plan:
    """Where the images and the text go inside a field of box_w × box_h pt (origin bottom-left)."""
    plan = _Plan()
    gap = 2.0
    sig_w = sig_h = 0.0
    if signer is not None:
        max_w, max_h = box_w * SIGNER_MAX_W, box_h * SIGNER_MAX_H
        w, h = signer.size or (float(signer.image.width), float(signer.image.height))
        if signer.size is None or w > max_w or h > max_h:
            w, h = _fit(w, h, max_w, max_h)
        sig_w, sig_h = w, h
    # The signer's image and the text line under it form one group, centred in the field
    # (NĐ 30/2020, Phụ lục I, II.7.d: giữa dòng chức vụ và dòng họ tên).
    group_h = sig_h + (gap if sig_h else 0.0) + text_h
    plan.text_top = max((box_h - group_h) / 2, 0.0) + text_h
    if signer is not None:
        plan.signer = ((box_w - sig_w) / 2, plan.text_top + gap, sig_w, sig_h)
    if seal is not None:
        w, h = seal.size or (DEFAULT_SEAL_MM * MM, DEFAULT_SEAL_MM * MM * seal.image.height / seal.image.width)
        if w > box_w or h > box_h:
            w, h = _fit(w, h, box_w, box_h)
            warnings.append(
                f"Ô ký ({box_w / MM:.0f} × {box_h / MM:.0f} mm) nhỏ hơn con dấu; ảnh dấu đã bị thu nhỏ còn "
                f"{w / MM:.0f} × {h / MM:.0f} mm, không còn đúng kích thước thật (NĐ 30/2020, Phụ lục I, II.8.a)."
            )
        if plan.signer is not None:
            # The seal covers about the left third of the signer's image (NĐ 30/2020, Phụ lục I, II.8.a).
            sx, sy, sw, sh = plan.signer
            x = sx + sw / 3 - w
            y = sy + sh / 2 - h / 2
        else:
            x, y = (box_w - w) / 2, (box_h - h) / 2
        x = min(max(x, 0.0), box_w - w)
        y = min(max(y, 0.0), box_h - h)
        plan.seal = (x, y, w, h)
    return plan


def _room_for_seal(rect: tuple[float, float, float, float], seal: _Picture | None) -> tuple[float, float, float, float]:
    """The field's rectangle, enlarged around its centre when the seal at its actual size would not fit in it
    (NĐ 30/2020, Phụ lục I, II.8.a: kích thước bằng kích thước thực tế của dấu). The appearance is
    transparent around the ink, so a slightly larger field hides nothing of the page."""
    if seal is None or seal.size is None:
        return rect
    x1, y1, x2, y2 = rect
    need_w, need_h = seal.size[0] + 2, seal.size[1] + 2
    if x2 - x1 < need_w:
        grow = (need_w - (x2 - x1)) / 2
        x1, x2 = x1 - grow, x2 + grow
    if y2 - y1 < need_h:
        grow = (need_h - (y2 - y1)) / 2
        y1, y2 = y1 - grow, y2 + grow
    return (round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2))


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Keep a PDF/A file PDF/A through signing: ISO 19005-2, 6.6.2.3.1 wants each /Info entry equal to its
    XMP twin. pyHanko sets the XMP pdf:Producer to its own name but appends that name to an existing /Info
    /Producer ("WeasyPrint 70.0; pyHanko 0.38.0"); so /Info gets pyHanko's name alone first."""
    from pyhanko.pdf_utils.metadata.model import VENDOR

    if "/Metadata" not in writer.root or "/Info" not in writer.trailer:
        return
    info_ref = writer.trailer.raw_get("/Info")
    if isinstance(info_ref, generic.IndirectObject):
        info_ref.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info_ref)


def _set_widget_rect(writer: IncrementalPdfFileWriter, name: str, rect: tuple[float, float, float, float]) -> None:
    for _, _, ref in sig_fields.enumerate_sig_fields(writer, filled_status=False, with_name=name):
        field_obj = ref.get_object()
        if "/Rect" not in field_obj and "/Kids" in field_obj:
            ref = field_obj.raw_get("/Kids")[0]  # the (first) widget of a field with separate widgets
        ref.get_object()["/Rect"] = generic.ArrayObject(generic.FloatObject(v) for v in rect)
        writer.mark_update(ref)
        return
