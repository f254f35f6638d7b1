"""The composer of every document kind: header (header.py), body blocks decided by the profile (the-thuc
§1–§2: ô 5a type name and trích yếu, căn cứ, articles, points, tables, ending, appendices) and the end of the
document (signatures.py). Kind modules (quy_che.py, …) only compose their own body."""

from __future__ import annotations

import re

from ..measure import text_width_mm
from ..model import Block, Cell, Document, Metadata, PageSetup, Para, Row, Rule, Run, Section, Signer, Table
from ..normalize import apply_tone_style, diem_label, format_ngay, roman, upper_vi
from ..schema.common import Bang, NoiDung
from .base import body_profile, profile_for
from .dau_khan import urgency_mark
from .header import HeaderParts
from .ngat_dong import even_lines, keep_ranges
from .signatures import SignatureParts

__all__ = ["Composer", "body_profile", "profile_for"]

_NUMBER = re.compile(r"^[\s….]*(\d*)[\s….]*[-/]?\s*(.*)$")
_NO_TITLE = {"cong_van": "Công văn"}  # kinds without a type-name line (ND30-PL3 Mẫu 1.5)


class Composer(HeaderParts, SignatureParts):
    """Composes one document: the shared blocks; kind modules add their own body."""

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
            # lines of even length broken where a clerk breaks them, a year range never split (ngat_dong.py)
            lines = even_lines(keep_ranges(ty), s_ty, self.text_width, bold=True)
            blocks.append(self.line("trich_yeu", "\n".join(lines), s_ty, bold=True))
            longest = max(text_width_mm(line, s_ty, bold=True) for line in lines)
            frac = float(p.get("trich_yeu.rule_fraction"))
            blocks.append(Rule("duong_ke_trich_yeu", round(longest * frac, 1), space_before_pt=3, space_after_pt=6))
        return blocks

    def metadata(self, signers: list[Signer]) -> Metadata:
        """NĐ 30/2020, Phụ lục VI, Phần II: the document's identity for e-office systems."""
        p, doc = self.profile, self.doc
        name = getattr(doc, "ten_loai", None) or p.get("ten_loai").get(doc.loai) or _NO_TITLE.get(doc.loai, doc.loai)
        # "12/QC-UBND" (State) or "12-BC/BTGTU" (Party) → number "12" and notation "QC-UBND" / "BC/BTGTU"
        found = _NUMBER.match(self.ky_hieu_text())
        number, notation = (found.group(1), found.group(2)) if found else ("", "")
        lead = doc.lead
        return Metadata(
            code_number=number,
            code_notation=notation.strip(),
            issued_date=doc.ngay.isoformat(),
            organ_name=lead.ten or lead.ma,
            type_name=name[:1].upper() + name[1:].lower(),
            subject=getattr(doc, "trich_yeu", "") or "",
            language="vi",
            signers=[(s.lines[-1] if s.lines else "", s.ho_ten) for s in signers],
            to=[t.strip(" -;.") for t in getattr(doc, "noi_nhan", []) if t.strip(" -;.")],
            priority=(doc.do_khan or "").capitalize(),  # "Khẩn", "Thượng khẩn", "Hỏa tốc" (schema/phat_hanh.py)
            issued_amount=doc.so_ban,
            due_date=doc.han_tra_loi.isoformat() if doc.han_tra_loi else "",
        )

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

    def kinh_gui(self, items: list[str]) -> list[Block]:
        """Ô 9a: "Kính gửi: X" on one line for one recipient; several: "- X;" lines, the dashes under the
        colon, the last ending "." (ND30-PL1 §II.9.d; Mẫu 1.5: first line at 35 mm, items at 45 mm)."""
        p = self.profile
        size = p.size("body")
        label = str(p.get("kinh_gui.label"))
        first = float(p.get("kinh_gui.indent_mm"))
        if len(items) == 1:
            para = Para("kinh_gui", [Run(f"{label} {items[0].rstrip(' ;.,')}")], size, first_indent_mm=first)
            para.space_before_pt = 12
            return [para]
        out: list[Block] = [Para("kinh_gui", [Run(label)], size, first_indent_mm=first, space_before_pt=12)]
        for i, item in enumerate(items):
            end = "." if i == len(items) - 1 else ";"
            out.append(
                Para("kinh_gui_muc", [Run(f"- {item.rstrip(' ;.,')}{end}")], size,
                     left_indent_mm=float(p.get("kinh_gui.item_indent_mm")))
            )  # fmt: skip
        out[-1].space_after_pt = 6  # type: ignore[union-attr]
        return out

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

    def finish(
        self,
        title: str,
        van_ban: str,
        body: list[Block],
        *,
        with_date: bool = True,
        under_number: list[Block] | None = None,
        attachments: list[Section] | None = None,
    ) -> Document:
        """Header + body + ending + signatures + attachments (a decision's regulation) + appendices; then
        the tone-mark style on all free text. ``under_number`` goes under ô 3 (a công văn's ô 5b)."""
        page = self.page()
        mark = urgency_mark(self.profile, self.doc.do_khan)  # ô 10b, in the number's cell under ô 3 / 5b
        header = self.header(with_date=with_date, under_number=[*(under_number or []), *mark] or None)
        blocks: list[Block] = [header, *body]
        self.close_body(blocks)
        sig_blocks, signers = self.signatures()
        blocks.extend(sig_blocks)
        sections = [Section(blocks, page), *(attachments or []), *self.appendices(page, van_ban)]
        document = Document(self.doc.loai, self.profile.id, title, self.number(), sections, signers)
        document.meta = self.metadata(signers)
        style = self.profile.get("text.tone_style")
        for para in document.iter_paras():
            if para.role in ("quoc_hieu", "tieu_ngu", "tieu_de_dang", "so_ky_hieu"):
                continue
            for r in para.runs:
                r.text = apply_tone_style(r.text, style)
        return document
