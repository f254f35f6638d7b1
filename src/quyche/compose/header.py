"""Ô 1–4: the header table — agency block, Quốc hiệu / Party tiêu đề, number, place and date
(NĐ 30/2020, Phụ lục I, II.1–II.4; HD 36-HD/VPTW 1.1–1.4)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..errors import Diagnostic
from ..measure import text_width_mm
from ..model import Block, Cell, Para, Row, Rule, Table
from ..normalize import format_dia_danh_ngay, format_so
from ..profile import Profile
from ..schema.common import CoQuan
from .base import CELL_PAD_MM, RULE_GAP_PT, ComposerBase, body_profile, mm_text
from .ngat_dong import best_split, plain


class HeaderParts(ComposerBase):
    # ---- ô 1–4: header ----------------------------------------------------------------------------
    def number(self) -> str:
        p = self.profile
        kind = self.doc.loai
        if self.doc.ky_hieu:
            ky_hieu = self.doc.ky_hieu
        elif kind == "cong_van":  # no type abbreviation: body, then the drafting unit (ND30-PL3 Mẫu 1.5)
            unit = getattr(self.doc, "don_vi", None)
            ky_hieu = p.get("number.ky_hieu_cong_van").format(
                loai=p.get("abbrev").get(kind, ""),
                co_quan="-".join(b.viet_tat or b.ma for b in self.symbol_bodies()),
                don_vi=f"-{unit}" if unit else "",
            )
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

    # ---- ô 2: the agency block ---------------------------------------------------------------------
    def form_of(self, body: CoQuan) -> Profile:
        """The rules a body's header part follows: the document's profile (with its overrides) for bodies
        of its own system, and for every body when the document names ``the_thuc`` itself (one form for the
        whole page, e.g. State-form minutes of a Party-convened ceremony); otherwise the body's own."""
        own = body_profile(body, self.base_dir)
        if self.doc.the_thuc or own.system == self.profile.system:
            return self.profile
        return own

    def agency_units(self) -> list[Unit]:
        """Ô 2 as printed groups: a body alone, or bodies sharing one header block (``dau_trang_chung``)."""
        shared = {ma: g for g in getattr(self.doc, "dau_trang_chung", []) for ma in g.co_quan_ma(self.doc)}
        units: list[Unit] = []
        done: set[int] = set()
        for i, body in enumerate(self.doc.co_quan):
            group = shared.get(body.ma)
            if group is not None:
                if id(group) in done:
                    continue
                done.add(id(group))
                gi = self.doc.dau_trang_chung.index(group)
                units.append(
                    Unit(
                        group.cap_tren if group.cap_tren is not None else body.cap_tren or [],
                        group.dong,
                        self.form_of(body),
                        ("dau_trang_chung", gi, "dong"),
                    )
                )
                continue
            names = body.ten_dau_trang or [body.ten or body.ma]
            where = ("co_quan", i, "ten_dau_trang") if body.ten_dau_trang else ("co_quan", i)
            units.append(Unit(body.cap_tren or [], names, self.form_of(body), where))
        return units

    def agency_lines(self, max_mm: float) -> list[tuple[Unit, list[Para], list[Para]]]:
        """Each unit's parent and name lines, split to fit ``max_mm`` (ngat_dong.py); a line that cannot fit
        is kept at its narrowest and reported, never left to wrap silently."""
        p = self.profile
        s_parent, s_name = p.size("co_quan_chu_quan"), p.size("co_quan")
        out = []
        for unit in self.agency_units():
            paras: list[list[Para]] = []
            for lines, size, bold, role in (
                (unit.parent, s_parent, False, "co_quan_chu_quan"),
                (unit.names, s_name, True, "co_quan_ban_hanh"),
            ):
                printed: list[Para] = []
                for raw in lines:
                    split, fits = best_split(raw, size, max_mm, bold=bold)
                    if not fits:
                        self.too_wide(unit.where, plain(raw), split.width_mm, max_mm)
                    printed.extend(self.line(role, text, size, bold=bold) for text in split.lines)
                paras.append(printed)
            out.append((unit, paras[0], paras[1]))
        return out

    def agency_blocks(self, max_mm: float) -> list[Block]:
        """Ô 2: each unit's parent line(s) (not bold) and name (bold), then its mark: a short rule for
        State/Front bodies (ND30-PL1 §II.2.b), "*" for Party bodies (HD36 1.2.1). Consecutive units of the
        same kind under the same parent share one mark and the parent line is printed once (Đắk Lắk 2017)."""
        s_name = self.profile.size("co_quan")
        out: list[Block] = []
        units = self.agency_lines(max_mm)
        group: list[Para] = []
        for i, (unit, parent, names) in enumerate(units):
            mark = unit.form.get("header.co_quan.mark")
            prev = units[i - 1][0] if i else None
            if parent and (prev is None or [plain(x) for x in prev.parent] != [plain(x) for x in unit.parent]):
                out.extend(parent)
            out.extend(names)
            group.extend(names)
            nxt = units[i + 1][0] if i + 1 < len(units) else None
            if nxt is not None and nxt.form.get("header.co_quan.mark") == mark and nxt.parent == unit.parent:
                continue  # same kind under the same parent: one mark for the group
            if mark == "asterisk":
                out.append(self.line("dau_sao", "*", float(unit.form.get("header.asterisk.size_pt", s_name))))
            else:
                longest = max(text_width_mm(n.text, s_name, bold=True) for n in group)
                frac = float(self.profile.get("header.co_quan.rule_fraction"))
                out.append(Rule("duong_ke_co_quan", round(longest * frac, 1), space_before_pt=RULE_GAP_PT))
            group = []
        return out

    # ---- ô 1: Quốc hiệu and Tiêu ngữ, or the Party's tiêu đề --------------------------------------------
    def right_header_blocks(self) -> list[Block]:
        """Ô 1: Quốc hiệu + Tiêu ngữ with a rule as long as the Tiêu ngữ (ND30-PL1 §II.1), or the Party
        tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM" with a rule as long as itself (HD36 1.1.2)."""
        forms = [self.form_of(self.doc.lead)]
        if self.profile.get("joint.right_header") == "both":
            by_system = {self.form_of(b).system: self.form_of(b) for b in self.doc.co_quan}
            forms = sorted(by_system.values(), key=lambda f: f.system != "dang")
        out: list[Block] = []
        for form in forms:
            if form.system == "dang":
                size = self.profile.size("quoc_hieu") if self.profile.system == "dang" else form.size("quoc_hieu")
                text = form.get("header.tieu_de.text")
                out.append(self.line("tieu_de_dang", text, size, bold=True))
                out.append(Rule("duong_ke_tieu_de", round(text_width_mm(text, size, bold=True), 1), space_before_pt=1))
            else:
                qh = self.profile.get("header.quoc_hieu.text", form.get("header.quoc_hieu.text"))
                tn = self.profile.get("header.tieu_ngu.text", form.get("header.tieu_ngu.text"))
                s_qh, s_tn = self.profile.size("quoc_hieu"), self.profile.size("tieu_ngu")
                out.append(self.line("quoc_hieu", qh, s_qh, bold=True))
                out.append(self.line("tieu_ngu", tn, s_tn, bold=True))
                out.append(
                    Rule("duong_ke_tieu_ngu", round(text_width_mm(tn, s_tn, bold=True), 1), space_before_pt=RULE_GAP_PT)
                )
        return out

    # ---- the table ----------------------------------------------------------------------------------
    def header(self, *, with_date: bool = True, under_number: list[Block] | None = None) -> Table:
        """Ô 1–4 in a borderless table. Every line is measured (font metrics) and no line may wrap: the
        Quốc hiệu / tiêu đề and the date keep their cell whole (the-thuc §1.4, §6 item 5); agency names break
        only between header lines (ngat_dong.py); the number line stays on one line. The table may start
        ``header.shift_mm`` left of the margin and, only when its lines need it, end up to
        ``header.right_overhang_mm`` into the right margin, as the NĐ 30 template table does. The number and
        date row may divide the width at its own point (ô 3 / ô 4 on one line, ND30-PL1 §II.4.c)."""
        p = self.profile
        right = self.right_header_blocks()
        date_para = None
        if with_date:
            date_text = format_dia_danh_ngay(self.doc.dia_danh, self.doc.ngay)
            date_para = self.line("dia_danh_ngay", date_text, p.size("dia_danh"), italic=True, space_before=6)
        so_para = self.line("so_ky_hieu", self.number(), float(p.get("size.so")), space_before=6)
        right1 = max(text_width_mm(b.text, b.size_pt, bold=True) for b in right if isinstance(b, Para)) + PAD_MM
        right2 = text_width_mm(date_para.text, date_para.size_pt, italic=True) + PAD_MM if date_para else 0.0
        left2 = text_width_mm(so_para.text, so_para.size_pt) + PAD_MM
        text_w = self.text_width
        room = text_w + float(p.get("header.shift_mm"))
        room_max = room + float(p.get("header.right_overhang_mm"))

        # Names first: as few lines as fit beside the widest right line the page allows.
        trial = self.warnings[:]
        agency = self.agency_blocks(room - right1 - PAD_MM)
        if len(self.warnings) > len(trial):  # only with the overhang: take it
            self.warnings[:] = trial
            room = room_max
            agency = self.agency_blocks(room - right1 - PAD_MM)
        left1 = max(text_width_mm(b.text, b.size_pt, bold=b.runs[0].bold) for b in agency if isinstance(b, Para))
        left1 += PAD_MM
        if max(left1, left2) + max(right1, right2) > room:  # the overhang, when the number or date row needs it
            room = max(room, min(room_max, max(left1, left2) + max(right1, right2)))

        pref = room - max(float(p.get("header.right_min_mm")), right1, right2)
        pref = max(pref, min(float(p.get("header.left_min_mm")), room - max(right1, right2)))
        b1 = _clamp(pref, left1, room - right1)
        b2 = _clamp(b1, left2, room - right2)
        if left2 > room - right2 + 1e-6:  # the date keeps its line; the number is what would wrap
            self.warnings.append(
                Diagnostic.make(
                    "so-ngay-qua-rong",
                    self.smap.locate(("ky_hieu",) if self.doc.ky_hieu else ("so",)) if self.smap else None,
                    severity="warning",
                    text=so_para.text,
                    width=mm_text(left2 - PAD_MM),
                    date=mm_text(right2 - PAD_MM),
                    room=mm_text(room),
                    rule="ND30-PL1 §II.3, §II.4.c; the-thuc §1.4",
                )
            )
        if abs(b2 - b1) < 0.05:
            b2 = b1
        indent = -float(p.get("header.shift_mm"))
        cuts = sorted({0.0, round(b1, 2), round(b2, 2), round(room, 2)})
        widths = [round(b - a, 2) for a, b in itertools.pairwise(cuts)]

        def row(split: float, left: list[Block], right_blocks: list[Block]) -> Row:
            k = cuts.index(round(split, 2))
            return Row(
                [Cell(left, round(split, 2), span=k), Cell(right_blocks, round(room - split, 2), span=len(widths) - k)]
            )

        rows = [row(b1, agency, right), row(b2, [so_para, *(under_number or [])], [date_para] if date_para else [])]
        return Table("dau_trang", rows, widths, indent_mm=round(indent, 2))


@dataclass
class Unit:
    """One printed group of ô 2: parent lines, name lines (each may hold "|" break points), its form."""

    parent: list[str]
    names: list[str]
    form: Profile
    where: tuple  # the key to point at when a line cannot fit


PAD_MM = 2 * CELL_PAD_MM + 1.5  # both cell margins and a little air: Word and WeasyPrint round differently


def _clamp(value: float, lo: float, hi: float) -> float:
    return hi if lo > hi else min(max(value, lo), hi)
