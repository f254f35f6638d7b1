"""Compose a kế hoạch: title, căn cứ, preamble, parts "I. …", each with its task table (TT, nội dung,
chủ trì, phối hợp, thời gian) after its text — columns and widths are profile data (ke_hoach.cot)."""

from __future__ import annotations

from ..model import Block, Document
from ..schema.common import Bang, NoiDung
from ..schema.ke_hoach import KeHoach, PhanKeHoach
from .phan import parts
from .the_thuc import Composer


def compose_ke_hoach(c: Composer) -> Document:
    doc = c.doc
    assert isinstance(doc, KeHoach)
    columns = c.profile.get("ke_hoach.cot")

    def tasks(phan: NoiDung) -> list[Block]:
        assert isinstance(phan, PhanKeHoach)
        if not phan.nhiem_vu:
            return []
        rows = [
            [str(i), nv.noi_dung, nv.chu_tri or "", nv.phoi_hop or "", nv.thoi_gian or ""]
            for i, nv in enumerate(phan.nhiem_vu, start=1)
        ]
        bang = Bang(cot=[col["ten"] for col in columns], dong=rows, do_rong=[col["rong"] for col in columns])
        return c.table(bang)

    blocks = c.opening()
    blocks.extend(parts(c, doc.phan, tasks))
    ten_loai = blocks[0].text  # type: ignore[union-attr]
    return c.finish(f"{ten_loai} {doc.trich_yeu}", "Kế hoạch", blocks)
