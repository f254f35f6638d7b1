"""Checks of a shared header block (``dau_trang_chung``, the-thuc §1.14): it names known bodies, each once,
standing next to each other in ``co_quan``, and never a Party body (asterisk) with a State or Front body (rule)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from ..errors import Diagnostic
from ..source import SourceMap

if TYPE_CHECKING:
    from .van_ban import VanBan


def check_shared_header(doc: VanBan, smap: SourceMap) -> list[Diagnostic]:
    """A shared header block names known bodies, each once, standing next to each other in ``co_quan``."""
    out: list[Diagnostic] = []
    order = [c.ma for c in doc.co_quan]
    taken: dict[str, int] = {}
    for gi, group in enumerate(doc.dau_trang_chung):
        codes = group.co_quan_ma(doc)
        for j, ma in enumerate(group.co_quan):
            if ma not in order:
                close = difflib.get_close_matches(ma, order, n=1, cutoff=0.4)
                hint = f'Có phải ý bạn là "{close[0]}"?' if close else None
                out.append(
                    Diagnostic.make(
                        "co-quan-khong-ro", smap.locate(("dau_trang_chung", gi, "co_quan", j)), ma=ma, hint=hint
                    )
                )
        if out:
            continue
        for ma in codes:
            if ma in taken:
                out.append(
                    Diagnostic.make(
                        "dau-trang-chung",
                        smap.locate(("dau_trang_chung", gi, "co_quan")),
                        detail=f'cơ quan "{ma}" đã có trong khối đầu trang chung thứ {taken[ma] + 1}',
                    )
                )
            taken[ma] = gi
        places = sorted(order.index(ma) for ma in codes)
        if places != list(range(places[0], places[0] + len(places))):
            out.append(
                Diagnostic.make(
                    "dau-trang-chung",
                    smap.locate(("dau_trang_chung", gi, "co_quan")),
                    detail="các cơ quan dùng chung một khối đầu trang phải đứng liền nhau trong co_quan",
                )
            )
        systems = {"dang" if doc.body(ma).he_thong == "dang" else "khac" for ma in codes}
        if len(systems) > 1:
            out.append(
                Diagnostic.make(
                    "dau-trang-chung",
                    smap.locate(("dau_trang_chung", gi)),
                    detail="cơ quan Đảng (dấu *) và cơ quan nhà nước, Mặt trận (đường kẻ) không dùng chung một khối",
                )
            )
    return out
