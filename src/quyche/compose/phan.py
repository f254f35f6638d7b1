"""Roman-numbered parts ("I. MỤC ĐÍCH, YÊU CẦU"; Party "I- …"), shared by the kinds organised in parts:
chương trình, kế hoạch, báo cáo, thông báo (ND30-PL1 §II.6.đ: documents without Điều use a Roman numeral,
"." and the title in upper case, bold)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Block, Run
from ..normalize import roman, upper_vi
from ..schema.common import NoiDung
from .the_thuc import Composer


def parts(c: Composer, items: Sequence[NoiDung], extra: Callable[[NoiDung], list[Block]] | None = None) -> list[Block]:
    """Each part's heading (kept with what follows) and content; ``extra`` adds a kind's own blocks."""
    out: list[Block] = []
    for i, phan in enumerate(items, start=1):
        label = c.profile.get("heading.phan_la_ma").format(so=roman(i))
        heading = c.body("phan", [Run(label + upper_vi(phan.ten), bold=True)])
        heading.keep_with_next = True
        out.append(heading)
        out.extend(c.content(phan))
        if extra is not None:
            out.extend(extra(phan))
    return out
