"""Signature fields: which one to sign, or where to add one on the last page."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields as sig_fields

from .layout import MM, NEW_FIELD_MARGIN_MM, NEW_FIELD_MM
from .model import SignError


@dataclass(frozen=True)
class _Field:
    name: str
    signed: bool
    rect: tuple[float, float, float, float] | None  # x1, y1, x2, y2; None or empty when invisible
    label: str = ""  # /TU, the readable name: "Chữ ký số: Nguyễn Văn Yên" from quyche's renderer


def _widget_rect(field_obj: generic.DictionaryObject) -> tuple[float, float, float, float] | None:
    annot = field_obj
    if "/Rect" not in annot and "/Kids" in field_obj:
        kids = field_obj["/Kids"]
        annot = kids[0].get_object() if len(kids) else annot
    try:
        x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
    except (KeyError, TypeError, ValueError):
        return None
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _fields(reader: PdfFileReader) -> list[_Field]:
    out = []
    for name, value, ref in sig_fields.enumerate_sig_fields(reader, filled_status=None):
        obj = ref.get_object()
        label = obj.get("/TU")
        out.append(_Field(str(name), value is not None, _widget_rect(obj), str(label) if label is not None else ""))
    return out


def _person(text: str) -> str:
    """A name compared as a person's name: NFC, case-folded, spaces collapsed ("NGUYỄN  VĂN A" = "Nguyễn Văn A")."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _fold(text: str) -> str:
    """As quyche.render.pdf.ascii_fold names fields: "Nguyễn Văn Yên" → "nguyen-van-yen"."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _fields_of(fields: list[_Field], signer_name: str) -> list[_Field]:
    """The fields made for this signer: the readable name (/TU "Chữ ký số: Họ Tên") names them exactly; a
    field without one matches when its name ends with the signer's name folded the renderer's way."""
    wanted = _person(signer_name)
    if not wanted:
        return []
    by_label = [f for f in fields if f.label and _person(f.label.rpartition(":")[2]) == wanted]
    if by_label:
        return by_label
    folded = _fold(signer_name)
    return [f for f in fields if not f.label and folded and (f.name == folded or f.name.endswith("-" + folded))]


def _listing(fields: Iterable[_Field]) -> str:
    names = [f'"{f.name}"' + (" (đã ký)" if f.signed else "") for f in fields]
    return ", ".join(names) if names else "(không có ô ký nào)"


def _unique_name(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def _last_page_box(reader: PdfFileReader) -> tuple[int, tuple[float, float, float, float]]:
    """The last page and a field box at its bottom right, inside the page margins, where the signer's block
    of a one-signer document usually is (NĐ 30/2020, Phụ lục I, IV: ô 7 at the right)."""
    count = int(reader.root["/Pages"]["/Count"])
    page_ref, _ = reader.find_page_for_modification(count - 1)
    node = page_ref.get_object()
    box = None
    while node is not None and box is None:
        box = node.get("/CropBox") or node.get("/MediaBox")
        node = node.get("/Parent").get_object() if "/Parent" in node else None
    x0, y0, x1, _ = (float(v) for v in (box or (0, 0, 595.28, 841.89)))
    width, height = NEW_FIELD_MM[0] * MM, NEW_FIELD_MM[1] * MM
    right, bottom = x1 - NEW_FIELD_MARGIN_MM[0] * MM, y0 + NEW_FIELD_MARGIN_MM[1] * MM
    left = max(x0 + 10 * MM, right - width)
    return count - 1, (round(left, 2), round(bottom, 2), round(right, 2), round(bottom + height, 2))


def _choose_field(
    reader: PdfFileReader, wanted: str | None, path: Path, *, signer_name: str = ""
) -> tuple[_Field, int | None]:
    """The field to sign, and the page index when it must be created (None when it exists). Without
    ``wanted``, several empty fields are told apart by the signer's name (the certificate's common name)."""
    existing = _fields(reader)
    if wanted is not None:
        match = next((f for f in existing if f.name == wanted), None)
        if match is None:
            raise SignError(
                "o-ky-khong-co",
                f'Tệp {path.name} không có ô ký "{wanted}". Các ô ký có trong tệp: {_listing(existing)}.',
                "chọn một ô ký ở trên bằng --field, hoặc bỏ --field để quyche tự chọn.",
            )
        if match.signed:
            free = [f for f in existing if not f.signed]
            raise SignError(
                "o-ky-da-ky",
                f'Ô ký "{wanted}" trong {path.name} đã được ký; không ký đè lên chữ ký đã có.',
                f"chọn ô ký còn trống: {_listing(free)}." if free else "mọi ô ký trong tệp đều đã được ký.",
            )
        return match, None
    empty = [f for f in existing if not f.signed]
    mine = _fields_of(empty, signer_name)
    if empty and not mine and any(f.signed for f in _fields_of(existing, signer_name)):
        # the signer's own field is signed already: never slip into someone else's field
        raise SignError(
            "o-ky-da-ky",
            f"{signer_name} đã ký tệp {path.name}; không ký lần thứ hai. Các ô còn trống: {_listing(empty)}.",
            "ký tệp chưa ký, hoặc ghi --field nếu thật sự cần ký vào ô khác.",
        )
    if len(empty) == 1:
        return empty[0], None
    if len(empty) > 1:
        if len(mine) == 1:
            return mine[0], None
        who = f" và không ô nào mang tên người ký {signer_name} (theo chứng thư số)" if signer_name else ""
        if len(mine) > 1:
            who = f", {len(mine)} ô trong đó mang tên {signer_name}"
        raise SignError(
            "o-ky-chua-chon",
            f"Tệp {path.name} có {len(empty)} ô ký còn trống: {_listing(empty)}{who}; cần chọn ô của người ký.",
            "ghi --field TÊN_Ô_KÝ.",
        )
    page, rect = _last_page_box(reader)
    name = _unique_name("chu-ky-so", {f.name for f in existing})
    return _Field(name, False, rect), page
