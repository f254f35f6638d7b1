"""Ô 1–4: the header table — agency block, Quốc hiệu / Party tiêu đề, number, place and date
(NĐ 30/2020, Phụ lục I, II.1–II.4; HD 36-HD/VPTW 1.1–1.4)."""

from __future__ import annotations

import re

from ..measure import text_width_mm
from ..model import Block, Cell, Para, Row, Rule, Table
from ..normalize import format_dia_danh_ngay, format_so, upper_vi
from ..schema.common import CoQuan
from .base import CELL_PAD_MM, RULE_GAP_PT, ComposerBase, body_profile


class HeaderParts(ComposerBase):
    # ---- ô 1–4: header ----------------------------------------------------------------------------
    def number(self) -> str:
        p = self.profile
        kind = self.doc.loai
        if self.doc.ky_hieu:
            ky_hieu = self.doc.ky_hieu
        else:
            abbrevs = p.get("abbrev")
            bodies = self.symbol_bodies()
            ky_hieu = p.get("number.ky_hieu").format(
                loai=abbrevs.get(kind, kind.upper()), co_quan="-".join(b.viet_tat or b.ma for b in bodies)
            )
        so = format_so(self.doc.so, int(p.get("number.zero_pad"))) if self.doc.so else p.get("number.draft_blank")
        return p.get("number.format").format(so=so, ky_hieu=ky_hieu)

    def ky_hieu_text(self) -> str:
        """ "12/QC-UBND" as cited in "Kèm theo … số …" (without the "Số:" label)."""
        return re.sub(r"^Số:?\s*", "", self.number()).strip() or "…"

    def symbol_bodies(self) -> list[CoQuan]:
        order = self.profile.get("joint.symbol_order")
        bodies = list(self.doc.co_quan)
        if order == "lead_first":
            lead = self.doc.lead
            bodies = [lead] + [b for b in bodies if b is not lead]
        return bodies

    def agency_blocks(self) -> list[Block]:
        """Ô 2: each body's parent line(s) (not bold) and name (bold), then its mark: a short rule for
        State/Front bodies (ND30-PL1 §II.2.b), "*" for Party bodies (HD36 1.2.1). Consecutive bodies of
        the same kind under the same parent share one mark and the parent line is printed once (Đắk Lắk
        2017 form)."""
        p = self.profile
        out: list[Block] = []
        s_parent, s_name = p.size("co_quan_chu_quan"), p.size("co_quan")
        bodies = self.doc.co_quan
        marks = [body_profile(b, self.base_dir).get("header.co_quan.mark") for b in bodies]
        group_names: list[str] = []
        for i, body in enumerate(bodies):
            parent = [upper_vi(x) for x in body.cap_tren or []]
            if parent and (i == 0 or parent != [upper_vi(x) for x in bodies[i - 1].cap_tren or []]):
                out.extend(self.line("co_quan_chu_quan", line, s_parent) for line in parent)
            names = [upper_vi(n) for n in (body.ten_dau_trang or [body.ten or body.ma])]
            out.extend(self.line("co_quan_ban_hanh", n, s_name, bold=True) for n in names)
            group_names.extend(names)
            nxt = bodies[i + 1] if i + 1 < len(bodies) else None
            if nxt is not None and marks[i + 1] == marks[i] and (nxt.cap_tren or []) == (body.cap_tren or []):
                continue  # same kind under the same parent: one mark for the group
            if marks[i] == "asterisk":
                bp = body_profile(body, self.base_dir)
                out.append(self.line("dau_sao", "*", float(bp.get("header.asterisk.size_pt", s_name))))
            else:
                longest = max(text_width_mm(n, s_name, bold=True) for n in group_names)
                frac = float(p.get("header.co_quan.rule_fraction"))
                out.append(Rule("duong_ke_co_quan", round(longest * frac, 1), space_before_pt=RULE_GAP_PT))
            group_names = []
        return out

    def right_header_blocks(self) -> list[Block]:
        """Ô 1: Quốc hiệu + Tiêu ngữ with a rule as long as the Tiêu ngữ (ND30-PL1 §II.1), or the Party
        tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM" with a rule as long as itself (HD36 1.1.2)."""
        systems = [self.doc.lead]
        if self.profile.get("joint.right_header") == "both":
            systems = list({(b.he_thong == "dang"): b for b in self.doc.co_quan}.values())
            systems.sort(key=lambda b: b.he_thong != "dang")
        out: list[Block] = []
        for body in systems:
            bp = body_profile(body, self.base_dir)
            if bp.get("header.co_quan.mark") == "asterisk":
                size = self.profile.size("quoc_hieu") if self.profile.system == "dang" else bp.size("quoc_hieu")
                text = bp.get("header.tieu_de.text")
                out.append(self.line("tieu_de_dang", text, size, bold=True))
                out.append(Rule("duong_ke_tieu_de", round(text_width_mm(text, size, bold=True), 1), space_before_pt=1))
            else:
                qh = self.profile.get("header.quoc_hieu.text", bp.get("header.quoc_hieu.text"))
                tn = self.profile.get("header.tieu_ngu.text", bp.get("header.tieu_ngu.text"))
                s_qh, s_tn = self.profile.size("quoc_hieu"), self.profile.size("tieu_ngu")
                out.append(self.line("quoc_hieu", qh, s_qh, bold=True))
                out.append(self.line("tieu_ngu", tn, s_tn, bold=True))
                out.append(
                    Rule("duong_ke_tieu_ngu", round(text_width_mm(tn, s_tn, bold=True), 1), space_before_pt=RULE_GAP_PT)
                )
        return out

    def header(self, *, with_date: bool = True) -> Table:
        p = self.profile
        right = self.right_header_blocks()
        date_para = None
        if with_date:
            date_text = format_dia_danh_ngay(self.doc.dia_danh, self.doc.ngay)
            date_para = self.line("dia_danh_ngay", date_text, p.size("dia_danh"), italic=True, space_before=6)
        so_para = self.line("so_ky_hieu", self.number(), float(p.get("size.so")), space_before=6)
        need = [text_width_mm(b.text, b.size_pt, bold=True) for b in right if isinstance(b, Para)]
        if date_para:
            need.append(text_width_mm(date_para.text, date_para.size_pt, italic=True))
        right_need = max(need) + 2 * CELL_PAD_MM + 1.5  # the Quốc hiệu must never wrap (the-thuc §1.4)
        agency = self.agency_blocks()
        left_lines = [
            text_width_mm(b.text, b.size_pt, bold=any(r.bold for r in b.runs)) for b in agency if isinstance(b, Para)
        ]
        left_need = min(max(left_lines) + 2 * CELL_PAD_MM + 1.5, float(p.get("header.left_max_mm")))
        text_w = self.text_width
        room = text_w + float(p.get("header.shift_mm"))
        right_w = max(right_need, min(float(p.get("header.right_min_mm")), room - left_need))
        left_w = max(float(p.get("header.left_min_mm")), room - right_w)
        indent = -(left_w + right_w - text_w)
        rows = [
            Row([Cell(agency, left_w), Cell(right, right_w)]),
            Row([Cell([so_para], left_w), Cell([date_para] if date_para else [], right_w)]),
        ]
        return Table("dau_trang", rows, [left_w, right_w], indent_mm=round(indent, 2))
