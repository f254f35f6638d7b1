"""Issue data every kind may carry (NĐ 30/2020, Phụ lục VI, Phần II: Priority, IssuedAmount, DueDate): the
độ khẩn (ô 10b, Phụ lục I, III.2.b: "Khẩn", "Thượng khẩn", "Hỏa tốc"), the số bản phát hành and the hạn trả
lời; the fields' schema and the checks that need the source map."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from pydantic import Field

from .. import budget
from ..errors import Diagnostic
from ..normalize import apply_tone_style
from ..source import SourceMap

if TYPE_CHECKING:
    from .van_ban import VanBan

DO_KHAN = ("khẩn", "thượng khẩn", "hỏa tốc")  # NĐ 30/2020, Phụ lục I, III.2.b (the-thuc §1.10)


def _enum(schema: dict[str, Any]) -> None:
    """The schema names the three values (VS Code, the editor's form); the model also accepts "KHẨN", "Hoả tốc"."""
    schema["anyOf"] = [{"type": "string", "enum": list(DO_KHAN)}, {"type": "null"}]


DO_KHAN_FIELD: Any = Field(
    default=None,
    title="Độ khẩn",
    description='Mức độ khẩn: "khẩn", "thượng khẩn" hoặc "hỏa tốc" (ô 10b; văn bản thường: bỏ trống). '
    "Văn bản nhà nước in dấu khẩn khung đơn dưới số, ký hiệu; văn bản của Đảng chỉ ghi vào thông tin văn bản.",
    json_schema_extra=_enum,
    examples=["khẩn"],
)
SO_BAN_FIELD: Any = Field(
    default=None,
    title="Số bản phát hành",
    description="Số lượng bản phát hành (số nguyên dương), ghi vào thông tin văn bản (IssuedAmount).",
    ge=1,
    examples=[30],
)
HAN_TRA_LOI_FIELD: Any = Field(
    default=None,
    title="Hạn trả lời",
    description="Ngày hạn trả lời (năm-tháng-ngày), không trước ngày ban hành; ghi vào thông tin văn bản (DueDate).",
    examples=["2025-02-15"],
)


def do_khan_key(value: Any) -> Any:
    """A typed độ khẩn in its canonical spelling when it is one ("KHẨN", "Hoả tốc", "thượng  khẩn"), else
    as typed (the check names it)."""
    if not isinstance(value, str):
        return value
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", value).strip().lower())
    text = apply_tone_style(text, "cu")  # "hoả" → "hỏa" (the-thuc §1.10: both spellings occur)
    return text if text in DO_KHAN else value


def check_phat_hanh(doc: VanBan, raw: dict[str, Any], smap: SourceMap) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if doc.do_khan is not None and doc.do_khan not in DO_KHAN:
        loose = {do_khan_key_loose(v): v for v in DO_KHAN}
        close = difflib.get_close_matches(do_khan_key_loose(doc.do_khan), list(loose), n=1, cutoff=0.5)
        hint = f'Có phải ý bạn là "{loose[close[0]]}"? ' if close else ""
        out.append(
            Diagnostic.make("do-khan-khong-ro", smap.locate(("do_khan",)), text=doc.do_khan, hint=hint),
        )
    if doc.so_ban is not None and doc.so_ban > budget.limit("so_ban"):
        lim = budget.LIMITS["so_ban"]
        detail = f"so_ban {doc.so_ban} lớn hơn {budget.human(budget.limit('so_ban'), lim.unit)} ({lim.env})"
        out.append(Diagnostic.make("vuot-gioi-han", smap.locate(("so_ban",)), detail=detail))
    if doc.han_tra_loi is not None:
        if isinstance(raw.get("han_tra_loi"), str):
            iso = doc.han_tra_loi.isoformat()
            where = smap.locate(("han_tra_loi",))
            out.append(Diagnostic.make("ngay-go-tay", where, severity="warning", text=raw["han_tra_loi"], iso=iso))
        if doc.han_tra_loi < doc.ngay:
            out.append(
                Diagnostic.make(
                    "han-tra-loi-truoc-ngay",
                    smap.locate(("han_tra_loi",)),
                    han=doc.han_tra_loi.strftime("%d/%m/%Y"),
                    ngay=doc.ngay.strftime("%d/%m/%Y"),
                )
            )
    return out


def do_khan_key_loose(value: str) -> str:
    """Lower case without tone marks ("thuong khan"), to suggest the nearest độ khẩn."""
    folded = unicodedata.normalize("NFD", value.lower()).replace("đ", "d")
    return "".join(ch for ch in folded if not unicodedata.combining(ch))
