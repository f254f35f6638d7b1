"""The 2025 reorganisation: the district level (cấp huyện) ended on 01/07/2025 (Nghị quyết 202/2025/QH15,
Luật Tổ chức chính quyền địa phương 2025; district Party committees and district courts and procuracies
ended with it). A document dated from that day that names a district body — as an issuing body, a parent
line, a recipient — gets a located warning, with the body that replaced it when the catalogue says so
(``thay_the`` on the new body: the names it replaces)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..errors import Diagnostic
from ..source import SourceMap
from .common import CoQuan

CAP_HUYEN_HET = dt.date(2025, 7, 1)

_BODY = (
    r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND|Tòa án nhân dân|Toà án nhân dân|TAND"
    r"|Viện kiểm sát nhân dân|VKSND|Ủy ban Mặt trận Tổ quốc Việt Nam|Ủy ban MTTQ(?: Việt Nam)?|Phòng [^,;]+?)"
)
# A pattern only documents dated from 01/7/2025 use: compiled on first use (re's cache), not at every start.
DISTRICT = rf"(?:\b(?:Huyện|Quận|Thị) ủy\b|\b(?:Huyện|Quận|Thị) uỷ\b|{_BODY}\s+(?:huyện|quận|thị xã)\s+\S)"


def _names(doc: Any) -> list[tuple[tuple, str]]:
    """(path, text) of every place a body is named: issuing bodies, parent lines, shared headers, recipients."""
    out: list[tuple[tuple, str]] = []
    for i, body in enumerate(doc.co_quan):
        for key in ("ten", "cap_tren", "ten_dau_trang"):
            value = getattr(body, key)
            for j, text in enumerate(value if isinstance(value, list) else [value] if value else []):
                out.append(((("co_quan", i, key, j) if isinstance(value, list) else ("co_quan", i, key)), text))
    for key in ("noi_nhan", "kinh_gui", "thanh_phan"):
        for j, text in enumerate(getattr(doc, key, None) or []):
            if isinstance(text, str):
                out.append(((key, j), text))
    return out


def check_reorganisation(doc: Any, smap: SourceMap, roster: dict[str, CoQuan]) -> list[Diagnostic]:
    if doc.ngay < CAP_HUYEN_HET:
        return []
    successors = {old.casefold(): body for body in roster.values() for old in body.thay_the or []}
    successors.update({old.casefold(): body for body in doc.co_quan for old in body.thay_the or []})
    out: list[Diagnostic] = []
    for path, text in _names(doc):
        if not re.search(DISTRICT, text, re.IGNORECASE):
            continue
        new = successors.get(text.strip().casefold())
        hint = (
            f'từ 01/7/2025 cơ quan thay thế là "{new.ten or new.ma}" (mã {new.ma} trong danh mục).'
            if new
            else 'ghi cơ quan cấp xã hoặc cấp tỉnh thay thế; trong danh mục, ghi "thay_the: [tên cũ]" ở cơ quan mới '
            "để quyche gợi ý."
        )
        loc = smap.locate(path)
        out.append(Diagnostic.make("cap-huyen-da-ket-thuc", loc, severity="warning", text=text, hint=hint))
    return out
