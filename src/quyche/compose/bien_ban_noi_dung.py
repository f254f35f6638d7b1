"""The content of the minutes, shared by both forms: agenda items in the order they happened (speakers,
documents signed, tables), conclusions, assigned tasks, the optional attendee table (the-thuc §3.5)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..model import Block, Para, Run, Table
from ..normalize import sentence_case
from ..schema.common import Bang

if TYPE_CHECKING:
    from .bien_ban import BienBanComposer


def attendee_table(c: BienBanComposer) -> list[Block]:
    """The optional attendee table: TT, họ và tên, chức vụ, cơ quan (setting bien_ban.dai_bieu.cot)."""
    rows = c.bb.danh_sach_dai_bieu
    if not rows:
        return []
    p = c.profile
    data: list[list[str | int | float | None]] = [
        [i, r.ho_ten, r.chuc_danh or "", r.co_quan or ""] for i, r in enumerate(rows, start=1)
    ]
    title = c.rule("bien_ban.dai_bieu.tieu_de")
    return grid(c, list(p.get("bien_ban.dai_bieu.cot")), data, list(p.get("bien_ban.dai_bieu.do_rong_mm")), title)


def grid(
    c: BienBanComposer,
    cols: list[str],
    rows: list[list[str | int | float | None]],
    mm: list[float | None],
    title: str | None = None,
) -> list[Block]:
    """A bordered table with column widths in mm (one ``None`` column takes the rest) and the "TT" column
    centred; built by the shared Composer.table."""
    rest = c.text_width - sum(w for w in mm if w is not None)
    widths = [float(w) if w is not None else rest for w in mm]
    blocks = c.table(Bang(tieu_de=title, cot=cols, dong=rows, do_rong=widths))
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows[block.header_rows :]:
                for para in row.cells[0].blocks:
                    if isinstance(para, Para):
                        para.align = "center"
    return blocks


def content(c: BienBanComposer, label: Any) -> list[Block]:
    """Agenda items in the order they happened (title, paragraphs, speakers, documents signed, tables),
    then the conclusions and the tasks, numbered on from the items (the-thuc §3.5)."""
    doc = c.bb
    out: list[Block] = []
    n = 0
    for item in doc.dien_bien:
        n += 1
        out.append(c.heading(label(n), item.tieu_de))
        for text in item.doan:
            out.extend(c.paragraph(text))
        for pb in item.phat_bieu:
            speaker = c.body("bien_ban_phat_bieu", [Run("- "), *c.person_runs(pb, bold_name=True), Run(":")])
            speaker.runs[1].text = sentence_case(speaker.runs[1].text)
            speaker.keep_with_next = True
            out.append(speaker)
            for text in pb.doan:
                out.extend(c.paragraph(text))
        if item.van_ban_ky:
            out.extend(c.dash_items([signed_text(c, v) for v in item.van_ban_ky]))
        for bang in item.bang:
            out.extend(c.table(bang))
    if doc.ket_luan:
        n += 1
        out.append(c.heading(label(n), c.rule("bien_ban.muc.ket_luan")))
        for text in doc.ket_luan:
            out.extend(c.paragraph(text))
    if doc.nhiem_vu:
        n += 1
        out.append(c.heading(label(n), c.rule("bien_ban.muc.nhiem_vu")))
        out.extend(tasks(c))
    return out


def signed_text(c: BienBanComposer, v: Any) -> str:
    text = v.ten.rstrip(" .;,")
    if v.so_ky_hieu:
        text += c.rule("bien_ban.van_ban_ky.so", so_ky_hieu=v.so_ky_hieu)
    if v.nguoi_ky:
        text += c.rule("bien_ban.van_ban_ky.nguoi_ky", nguoi_ky=join_vi([x.rstrip(" .;,") for x in v.nguoi_ky]))
    return text


def tasks(c: BienBanComposer) -> list[Block]:
    """Assigned tasks as a table (TT, task, body in charge, [co-operating], deadline) or a "- " list
    (setting bien_ban.nhiem_vu.hien_thi)."""
    p = c.profile
    items = c.bb.nhiem_vu

    def han(value: dt.date | str | None) -> str:
        if isinstance(value, dt.date):
            return c.short_date(value)
        return value or ""

    if p.get("bien_ban.nhiem_vu.hien_thi") == "danh_sach":
        labels = p.get("bien_ban.nhiem_vu.nhan")
        lines = []
        for t in items:
            parts = [f"{labels['chu_tri']}: {t.chu_tri}"]
            if t.phoi_hop:
                parts.append(f"{labels['phoi_hop']}: {t.phoi_hop}")
            if t.thoi_han:
                parts.append(f"{labels['thoi_han']}: {han(t.thoi_han)}")
            lines.append(f"{t.noi_dung.rstrip(' .;,')} ({'; '.join(parts)})")
        return list(c.dash_items(lines))
    tt, task, lead, helper, deadline = p.get("bien_ban.nhiem_vu.cot")
    with_help = any(t.phoi_hop for t in items)
    w_tt, w_task, w_lead, w_help, w_deadline = p.get("bien_ban.nhiem_vu.do_rong_mm")
    cols = [tt, task, lead, *([helper] if with_help else []), deadline]
    widths = [w_tt, w_task, w_lead, *([w_help] if with_help else []), w_deadline]
    rows: list[list[str | int | float | None]] = [
        [i, t.noi_dung, t.chu_tri, *([t.phoi_hop or ""] if with_help else []), han(t.thoi_han)]
        for i, t in enumerate(items, start=1)
    ]
    return grid(c, cols, rows, widths)


def join_vi(items: list[str]) -> str:
    """ "A", "A và B", "A, B và C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]
