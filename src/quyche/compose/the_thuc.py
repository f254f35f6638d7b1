"""Shared blocks of every document kind, decided by the profile (the-thuc §1–§2):
header (ô 1–4), title (ô 5a), căn cứ, body paragraph styles, signatures (ô 7), Nơi nhận (ô 9b),
appendices. Kind modules (quy_che.py, …) only compose their own body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Diagnostic, DiagnosticError
from ..measure import PT_TO_MM, text_width_mm, wrap_lines
from ..model import Block, Cell, Document, PageSetup, Para, Row, Rule, Run, Section, Signer, Table
from ..normalize import apply_tone_style, diem_label, format_dia_danh_ngay, format_ngay, format_so, roman, upper_vi
from ..profile import DEFAULT_FOR_SYSTEM, Profile, ProfileError, load_profile
from ..schema.common import Bang, CoQuan, NguoiKy, NoiDung
from ..schema.van_ban import VanBan
from ..source import SourceMap

CELL_PAD_MM = 1.9  # Word's default cell margin, 108 twips each side
RULE_GAP_PT = 2.5  # the drawn line sits just under its text line, clear of the descenders
PREFIX_FIELDS = ("quyen", "ky_thay", "thua_lenh", "thua_uy_quyen")


def profile_for(doc: VanBan, smap: SourceMap, base_dir, kind_default: dict[str, str] | None = None) -> Profile:
    """The lead body's profile (the header and number follow the lead body, the-thuc §1.14, §2.8),
    with the document's setting overrides applied. ``kind_default`` maps a system to the profile a kind
    uses when neither the document nor the body names one (biên bản of a Party body: hd16-2023)."""
    system = doc.lead.he_thong or "nha_nuoc"
    name = doc.the_thuc or doc.lead.the_thuc or (kind_default or {}).get(system) or DEFAULT_FOR_SYSTEM[system]
    try:
        profile = load_profile(name, base_dir)
    except ProfileError as exc:
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "the-thuc-khong-ro", smap.locate(("the_thuc",)), name=name, choices=", ".join(exc.choices)
                )
                if exc.choices  # unknown name; otherwise the file is refused (too big, outside, malformed)
                else Diagnostic.make("the-thuc-loi", smap.locate(("the_thuc",)), name=name, detail=exc.detail)
            ]
        ) from None
    kind_name = (kind_default or {}).get(profile.system)
    if kind_name and kind_name != profile.id:
        # "the_thuc: hd36-2018" on Party minutes names the general Party rules; the kind's profile
        # (hd16-2023) extends them with the minutes form, so it is the one meant. A user profile that
        # does not lie on that chain is kept as written (docs: extend hd16-2023 for Party minutes).
        kind_profile = load_profile(kind_name, base_dir)
        if profile.id in kind_profile.chain:
            profile = kind_profile
    diags = []
    for key in doc.the_thuc_tuy_chinh:
        if key not in profile.rules:
            close = profile.suggest(key)
            hint = f'Có phải ý bạn là "{close}"?' if close else None
            diags.append(
                Diagnostic.make("thiet-lap-la", smap.locate(("the_thuc_tuy_chinh", key), key=True), key=key, hint=hint)
            )
    if diags:
        raise DiagnosticError(diags)
    return profile.with_overrides(dict(doc.the_thuc_tuy_chinh))


def body_profile(body: CoQuan, base_dir) -> Profile:
    return load_profile(body.the_thuc or DEFAULT_FOR_SYSTEM[body.he_thong or "nha_nuoc"], base_dir)


@dataclass
class Composer:
    """Holds the profile and the page geometry while one document is composed."""

    doc: VanBan
    profile: Profile
    base_dir: object = None
    smap: SourceMap | None = None  # locates problems only found once the profile is known (biên bản form)

    # ---- page -------------------------------------------------------------------------------------
    def page(self) -> PageSetup:
        p = self.profile

        def margin(side: str) -> float:
            key = f"page.margin_mm.{side}"
            value = float(p.get(key))
            rng = p.rule(key).range
            return min(max(value, rng[0]), rng[1]) if rng else value  # clamp (the-thuc §6 item 13)

        w, h = p.get("page.paper_mm")
        return PageSetup(
            width_mm=float(w),
            height_mm=float(h),
            margin_top_mm=margin("top"),
            margin_bottom_mm=margin("bottom"),
            margin_left_mm=margin("left"),
            margin_right_mm=margin("right"),
            header_mm=float(p.get("page.header_mm")),
            page_number_size_pt=p.size("page_number"),
            page_number_first_page=p.get("page_number.first_page") != "hidden",
        )

    @property
    def text_width(self) -> float:
        return self.page().text_width_mm

    # ---- paragraphs -------------------------------------------------------------------------------
    def line(
        self,
        role: str,
        text: str,
        size: float,
        *,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: str = "center",
        space_before: float = 0.0,
    ) -> Para:
        """A header/signature line: single spacing, no indent, 0 pt after (the-thuc §6 item 15)."""
        return Para(
            role,
            [Run(text, bold=bold, italic=italic, underline=underline)],
            size,
            align=align,  # type: ignore[arg-type]
            space_before_pt=space_before,
        )

    def body(self, role: str, runs: list[Run], *, indent: bool = True, align: str = "justify") -> Para:
        """A body paragraph: justified, first-line indent, ≥ 6 pt before, single–1.5 lines (ND30-PL1 §II.6.e)."""
        p = self.profile
        return Para(
            role,
            runs,
            p.size("body"),
            align=align,  # type: ignore[arg-type]
            first_indent_mm=float(p.get("body.first_line_indent_mm")) if indent else 0.0,
            space_before_pt=float(p.get("body.space_before_pt")),
            line_spacing=float(p.get("body.line_spacing")),
        )

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

    # ---- ô 5a: type name and trích yếu -------------------------------------------------------------
    def title(self, ten_loai: str | None = None, trich_yeu: str | None = None) -> list[Block]:
        p = self.profile
        name = self.doc.ten_loai or ten_loai or p.get("ten_loai").get(self.doc.loai, self.doc.loai.upper())
        ty = trich_yeu if trich_yeu is not None else self.doc.trich_yeu
        s_ty = p.size("trich_yeu")
        blocks: list[Block] = [self.line("ten_loai", upper_vi(name), p.size("ten_loai"), bold=True, space_before=18)]
        if not ty:  # no subject line: the short rule goes under the type name
            width = text_width_mm(blocks[0].text, blocks[0].size_pt, bold=True)  # type: ignore[union-attr]
            blocks.append(Rule("duong_ke_trich_yeu", round(width * 0.5, 1), space_before_pt=3, space_after_pt=6))
        if ty:
            blocks.append(self.line("trich_yeu", ty, s_ty, bold=True))
            longest = max(
                text_width_mm(line, s_ty, bold=True) for line in wrap_lines(ty, s_ty, self.text_width, bold=True)
            )
            frac = float(p.get("trich_yeu.rule_fraction"))
            blocks.append(Rule("duong_ke_trich_yeu", round(longest * frac, 1), space_before_pt=3, space_after_pt=6))
        return blocks

    # ---- căn cứ and body helpers ------------------------------------------------------------------
    def can_cu(self, items: list[str]) -> list[Block]:
        """One căn cứ per line, italic (State); ";" after each, "." after the last (ND30-PL1 §II.6.a)."""
        p = self.profile
        out: list[Block] = []
        for i, item in enumerate(items):
            text = item.rstrip(" ;.,")
            last = i == len(items) - 1
            end = p.get("can_cu.last") if last else p.get("can_cu.separator")
            if last and p.system == "dang" and re.match(r"^(Xét|Theo) đề nghị", text):
                end = ","  # Party practice: "- Xét đề nghị của …," (the-thuc §2.6)
            out.append(
                self.body("can_cu", [Run(p.get("can_cu.prefix") + text + end, italic=bool(p.get("can_cu.italic")))])
            )
        return out

    def opening(self) -> list[Block]:
        """Ô 5a and what opens the body: type name, trích yếu, căn cứ, preamble."""
        blocks: list[Block] = [*self.title()]
        blocks.extend(self.can_cu(self.doc.can_cu))
        mo_dau = getattr(self.doc, "mo_dau", None)
        if mo_dau:
            blocks.extend(self.paragraph(mo_dau))
        return blocks

    def content(self, item: NoiDung) -> list[Block]:
        """The body of an article or a part: paragraphs, numbered items with points and dashes, tables."""
        blocks: list[Block] = []
        for text in item.doan:
            blocks.extend(self.paragraph(text))
        for i, k in enumerate(item.khoan, start=1):
            blocks.extend(self.khoan(i, k.tieu_de, k.noi_dung, [d.noi_dung for d in k.diem], k.gach))
        for bang in item.bang:
            blocks.extend(self.table(bang))
        return blocks

    def paragraph(self, text: str, role: str = "doan") -> list[Para]:
        return [self.body(role, [Run(line)]) for line in text.split("\n") if line.strip()]

    def khoan(
        self, n: int, tieu_de: str | None, noi_dung: str | None, diem: list[str], gach: list[str] | None = None
    ) -> list[Para]:
        p = self.profile
        label = p.get("list.khoan").format(so=n)
        out: list[Para] = []
        if tieu_de:
            out.append(self.body("khoan_tieu_de", [Run(label + tieu_de, bold=True)]))
            out[-1].keep_with_next = bool(noi_dung or diem)
            if noi_dung:
                out.extend(self.paragraph(noi_dung, "khoan"))
        elif noi_dung:
            first, *rest = noi_dung.split("\n")
            out.append(self.body("khoan", [Run(label + first)]))
            out.extend(self.paragraph("\n".join(rest), "khoan"))
        alphabet = p.get("list.diem_alphabet")
        for j, d in enumerate(diem):
            out.append(self.body("diem", [Run(p.get("list.diem").format(so=diem_label(j, alphabet)) + d)]))
        for g in gach or []:
            out.append(self.body("gach", [Run("- " + g)]))
        return out

    def table(self, bang: Bang) -> list[Block]:
        p = self.profile
        size = p.size("bang")
        out: list[Block] = []
        if bang.tieu_de:
            out.append(self.body("bang_tieu_de", [Run(bang.tieu_de, bold=True)], indent=False, align="center"))
        n = len(bang.cot)
        weights = bang.do_rong if bang.do_rong and len(bang.do_rong) == n else [1.0] * n
        total = sum(weights)
        widths = [round(self.text_width * w / total, 2) for w in weights]

        def cell(text: object, w: float, header: bool) -> Cell:
            s = "" if text is None else str(text)
            para = Para("bang_o", [Run(s, bold=header)], size, align="center" if header else "left")
            return Cell([para], w)

        rows = [Row([cell(c, w, True) for c, w in zip(bang.cot, widths, strict=True)])]
        for r in bang.dong:
            cells = list(r) + [None] * (n - len(r))
            rows.append(Row([cell(c, w, False) for c, w in zip(cells[:n], widths, strict=True)]))
        out.append(Table("bang", rows, widths, borders=True, header_rows=1))
        return out

    # ---- ô 7: signatures --------------------------------------------------------------------------
    def signer_lines(self, ky: NguoiKy) -> list[str]:
        body = self.doc.body(ky.co_quan)
        bp = body_profile(body, self.base_dir)
        prefixes = bp.get("sign.prefix")
        lines: list[str] = []
        if ky.thay_mat:
            lines.append(_with_prefix(prefixes["thay_mat"], ky.thay_mat))
        for f in PREFIX_FIELDS:
            value = getattr(ky, f)
            if value:
                if f not in prefixes:  # e.g. "quyen" (Q.) or "thua_uy_quyen" (TUQ.) for a Party body
                    i = next((k for k, other in enumerate(self.doc.ky) if other is ky), 0)
                    loc = self.smap.locate(("ky", i, f), key=True) if self.smap else None
                    raise DiagnosticError(
                        [Diagnostic.make("tien-to-khong-co", loc, profile=bp.id, field=f, choices=", ".join(prefixes))]
                    )
                lines.append(_with_prefix(prefixes[f], value))
        lines.extend(upper_vi(c) for c in ky.chuc_vu or [])
        return lines

    def signature_parts(self, ky: NguoiKy) -> tuple[list[Block], Para, Signer]:
        """Authority and title lines (ô 7a), then the signer's name after the signing gap (ô 7b)."""
        p = self.profile
        size = p.size("sign")
        lines = self.signer_lines(ky)
        titles: list[Block] = [self.line("chu_ky_chuc_vu", line, size, bold=True) for line in lines]
        if titles:
            titles[0].space_before_pt = 6  # type: ignore[union-attr]
        gap_pt = float(p.get("sign.gap_mm")) / PT_TO_MM
        name = self.line("chu_ky_ho_ten", ky.ho_ten, size, bold=True, space_before=round(gap_pt, 1))
        sid = "chu-ky-" + re.sub(r"[^a-z0-9]+", "-", ky.co_quan.lower()).strip("-")
        return titles, name, Signer(sid, ky.co_quan, ky.ho_ten, lines)

    def noi_nhan(self) -> list[Block]:
        """Ô 9b: "Nơi nhận:" 12 bold italic; items 11, "- …;"; last "- Lưu: VT, … ." (ND30-PL1 §II.9.d)."""
        p = self.profile
        label = self.line(
            "noi_nhan_nhan",
            p.get("noi_nhan.label"),
            float(p.get("size.noi_nhan_label")),
            bold=bool(p.get("noi_nhan.label.bold")),
            italic=bool(p.get("noi_nhan.label.italic")),
            underline=bool(p.get("noi_nhan.label.underline")),
            align="left",
        )
        size = float(p.get("size.noi_nhan_item"))
        out: list[Block] = [label]
        for item in self.doc.noi_nhan:
            out.append(self.line("noi_nhan_muc", f"- {item.rstrip(' ;.,')};", size, align="left"))
        luu = p.get("noi_nhan.luu").format(luu=self.doc.luu.rstrip(" ;.,"))
        tail = f". {self.doc.ky_hieu_nguoi_soan.rstrip('.')}." if self.doc.ky_hieu_nguoi_soan else "."
        out.append(self.line("noi_nhan_muc", f"- {luu}{tail}", size, align="left"))
        return out

    def signatures(self) -> tuple[list[Block], list[Signer]]:
        """One body: Nơi nhận left, signature right (ND30-PL1 §IV, ô 7a/9b). Several bodies: the blocks
        side by side, two per row, each in its own system's conventions; Nơi nhận below, left (§1.14)."""
        p = self.profile
        text_w = self.text_width
        signers: list[Signer] = []
        kys = list(self.doc.ky)
        if len(kys) == 1:
            left_w = float(p.get("sign.left_width_mm"))
            titles, name, signer = self.signature_parts(kys[0])
            signers.append(signer)
            nn = self.noi_nhan()
            nn[0].space_before_pt = 6  # type: ignore[union-attr]
            cell = Cell([*titles, name], text_w - left_w, anchor=signer.id)
            table = Table("chu_ky", [Row([Cell(nn, left_w), cell])], [left_w, text_w - left_w])
            return [table], signers
        kys = self.order_signatures(kys)
        per_row = int(p.get("joint.signatures_per_row"))
        col_w = text_w / per_row
        blocks: list[Block] = []
        for start in range(0, len(kys), per_row):
            # Two table rows per group: titles, then names — so names stand on one line across blocks.
            chunk = kys[start : start + per_row]
            title_cells, name_cells = [], []
            for ky in chunk:
                titles, name, signer = self.signature_parts(ky)
                title_cells.append(Cell(titles, col_w, anchor=signer.id))
                name_cells.append(Cell([name], col_w))
                signers.append(signer)
            indent = (per_row - len(chunk)) * col_w / 2
            rows = [Row(title_cells), Row(name_cells)]
            blocks.append(Table("chu_ky", rows, [col_w] * len(chunk), indent_mm=round(indent, 2), keep_with_next=True))
        nn = self.noi_nhan()
        if isinstance(nn[0], Para):
            nn[0].space_before_pt = 12
        blocks.extend(nn)
        return blocks, signers

    def order_signatures(self, kys: list[NguoiKy]) -> list[NguoiKy]:
        order = self.profile.get("joint.signature_order")
        lead = self.doc.lead.ma
        if order == "header":
            index = {b.ma: i for i, b in enumerate(self.doc.co_quan)}
            return sorted(kys, key=lambda k: index.get(k.co_quan, 0))
        others = [k for k in kys if k.co_quan != lead]
        leads = [k for k in kys if k.co_quan == lead]
        return others + leads if order == "lead_right" else leads + others

    # ---- ending, appendices ------------------------------------------------------------------------
    def close_body(self, blocks: list[Block]) -> None:
        """Ending mark on the last body paragraph ("./." State, "." Party; the-thuc §8 item 13) and
        keep it with the signature block (§8 item 23)."""
        last = next((b for b in reversed(blocks) if isinstance(b, Para) and b.role not in ("bang_tieu_de",)), None)
        if last is None or not last.runs:
            return
        mark = str(self.profile.get("ending.mark"))
        run = last.runs[-1]
        run.text = run.text.rstrip(" .;:,") + mark
        if self.profile.get("layout.keep_signature_with_body"):
            last.keep_with_next = True

    def appendices(self, page: PageSetup, van_ban: str) -> list[Section]:
        p = self.profile
        sections: list[Section] = []
        many = len(self.doc.phu_luc) > 1
        names = [b.ten or b.ma for b in self.doc.co_quan]
        co_quan = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]
        for i, pl in enumerate(self.doc.phu_luc, start=1):
            label = f"Phụ lục {roman(i)}" if many else "Phụ lục"
            kem = p.get("phu_luc.kem_theo").format(
                van_ban=van_ban, so_ky_hieu=self.ky_hieu_text(), ngay=format_ngay(self.doc.ngay), co_quan=co_quan
            )
            blocks: list[Block] = [
                self.line("phu_luc_so", label, float(p.get("size.phu_luc_label")), bold=True),
                self.line("phu_luc_ten", upper_vi(pl.ten), p.size("phu_luc_title"), bold=True, space_before=3),
                self.line("phu_luc_kem_theo", kem, p.size("body"), italic=True, space_before=3),
                Rule("duong_ke_phu_luc", 30.0, space_before_pt=2, space_after_pt=6),
            ]
            for text in pl.doan:
                blocks.extend(self.paragraph(text))
            for bang in pl.bang:
                blocks.extend(self.table(bang))
            sections.append(Section(blocks, page, restart_numbering=True))
        return sections

    def finish(self, title: str, van_ban: str, body: list[Block], *, with_date: bool = True) -> Document:
        """Header + body + ending + signatures + appendices; then the tone-mark style on all free text."""
        page = self.page()
        blocks: list[Block] = [self.header(with_date=with_date), *body]
        self.close_body(blocks)
        sig_blocks, signers = self.signatures()
        blocks.extend(sig_blocks)
        sections = [Section(blocks, page), *self.appendices(page, van_ban)]
        document = Document(self.doc.loai, self.profile.id, title, self.number(), sections, signers)
        style = self.profile.get("text.tone_style")
        for para in document.iter_paras():
            if para.role in ("quoc_hieu", "tieu_ngu", "tieu_de_dang", "so_ky_hieu"):
                continue
            for r in para.runs:
                r.text = apply_tone_style(r.text, style)
        return document


def _with_prefix(prefix: str, text: str) -> str:
    text = upper_vi(text.strip())
    return text if text.startswith(prefix.upper()) else f"{prefix} {text}"
