"""Ô 7 and ô 9b: signature blocks (one per signing body, each in its own system's conventions) and
"Nơi nhận" (NĐ 30/2020, Phụ lục I, II.7, II.9; HD 36-HD/VPTW 1.7)."""

from __future__ import annotations

import re

from ..errors import Diagnostic, DiagnosticError
from ..measure import PT_TO_MM
from ..model import Block, Cell, Para, Row, Signer, Table
from ..normalize import upper_vi
from ..schema.common import NguoiKy
from .base import CELL_PAD_MM, ComposerBase, body_profile
from .ngat_dong import best_split

PREFIX_FIELDS = ("quyen", "ky_thay", "thua_lenh", "thua_uy_quyen")


class SignatureParts(ComposerBase):
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

    def signature_parts(self, ky: NguoiKy, width_mm: float | None = None) -> tuple[list[Block], Para, Signer]:
        """Authority and title lines (ô 7a), then the signer's name after the signing gap (ô 7b). A title line
        wider than the block (``width_mm``, default half the text width) breaks only where a header name may
        ("TM. THƯỜNG TRỰC / HỘI ĐỒNG NHÂN DÂN", ngat_dong.py), or is reported."""
        p = self.profile
        size = p.size("sign")
        lines = self.signer_lines(ky)
        room = (width_mm or self.text_width / 2) - 2 * CELL_PAD_MM - 1.5
        titles: list[Block] = []
        for line in lines:
            split, fits = best_split(line, size, room, bold=True)
            if not fits:
                i = next((k for k, other in enumerate(self.doc.ky) if other is ky), 0)
                self.too_wide(("ky", i), line, split.width_mm, room)
            titles.extend(self.line("chu_ky_chuc_vu", text, size, bold=True) for text in split.lines)
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
        items = list(self.doc.noi_nhan)
        if getattr(self.doc, "kinh_gui", None) and not any(i.strip(" ;.,").lower() == "như trên" for i in items):
            items.insert(0, str(p.get("noi_nhan.nhu_tren")))  # Kính gửi, then "- Như trên;" (ND30-PL1 §II.9.b)
        for item in items:
            out.append(self.line("noi_nhan_muc", f"- {item.rstrip(' ;.,')};", size, align="left"))
        luu = p.get("noi_nhan.luu").format(luu=self.doc.luu.rstrip(" ;.,"))
        tail = f". {self.doc.ky_hieu_nguoi_soan.rstrip('.')}." if self.doc.ky_hieu_nguoi_soan else "."
        out.append(self.line("noi_nhan_muc", f"- {luu}{tail}", size, align="left"))
        return out

    def attachment_signatures(self) -> list[Block]:
        """The signature blocks printed again at the end of an attachment in the same file (a decision's
        regulation): no Nơi nhận, and no signature field — the digital signature is the main document's
        (ND30-PL1 §II.8.b)."""
        blocks, _ = self.signatures(with_noi_nhan=False)
        for table in (b for b in blocks if isinstance(b, Table)):
            for row in table.rows:
                for cell in row.cells:
                    cell.anchor = None
        return blocks

    def signatures(self, *, with_noi_nhan: bool = True) -> tuple[list[Block], list[Signer]]:
        """One body: Nơi nhận left, signature right (ND30-PL1 §IV, ô 7a/9b). Several bodies: the blocks
        side by side, two per row, each in its own system's conventions; Nơi nhận below, left (§1.14)."""
        p = self.profile
        text_w = self.text_width
        signers: list[Signer] = []
        kys = list(self.doc.ky)
        if len(kys) == 1:
            left_w = float(p.get("sign.left_width_mm"))
            titles, name, signer = self.signature_parts(kys[0], text_w - left_w)
            signers.append(signer)
            nn = self.noi_nhan() if with_noi_nhan else []
            if nn:
                nn[0].space_before_pt = 6  # type: ignore[union-attr]
            cell = Cell([*titles, name], text_w - left_w, anchor=signer.id)
            table = Table("chu_ky", [Row([Cell(nn, left_w), cell])], [left_w, text_w - left_w])
            return [table], signers
        per_row = int(p.get("joint.signatures_per_row"))
        col_w = text_w / per_row
        blocks: list[Block] = []
        for n, chunk in enumerate(self.signature_rows(kys, per_row)):
            if n:  # a second row stands clear of the names above (room for their seals), on the same page
                gap = Para("chu_ky_cach", [], 1.0, space_before_pt=float(p.get("sign.row_gap_pt")) - 1)
                gap.keep_with_next = True
                blocks.append(gap)
            # Two table rows per group: titles, then names — so names stand on one line across blocks.
            title_cells, name_cells = [], []
            for ky in chunk:
                titles, name, signer = self.signature_parts(ky, col_w)
                title_cells.append(Cell(titles, col_w, anchor=signer.id))
                name_cells.append(Cell([name], col_w))
                signers.append(signer)
            indent = (per_row - len(chunk)) * col_w / 2
            rows = [Row(title_cells), Row(name_cells)]
            blocks.append(Table("chu_ky", rows, [col_w] * len(chunk), indent_mm=round(indent, 2), keep_with_next=True))
        nn = self.noi_nhan() if with_noi_nhan else []
        if nn and isinstance(nn[0], Para):
            nn[0].space_before_pt = 12
        for para in nn[:-1]:  # "Nơi nhận" never opens a page alone: it goes with the blocks above
            if isinstance(para, Para):
                para.keep_with_next = True
        blocks.extend(nn)
        return blocks, signers

    def signature_rows(self, kys: list[NguoiKy], per_row: int) -> list[list[NguoiKy]]:
        """The signature blocks in rows of ``per_row`` (joint.signatures_per_row, each block wide enough for a
        signature and a seal). The lead body signs in the first row, on its side (joint.signature_order:
        right by default, the-thuc §1.14); the other bodies follow in header order, a last lone block
        centred."""
        order = self.profile.get("joint.signature_order")
        if order == "header" or len(kys) <= per_row:
            ordered = self.order_signatures(kys)
            return [ordered[i : i + per_row] for i in range(0, len(ordered), per_row)]
        lead = self.doc.lead.ma
        leads = [k for k in kys if k.co_quan == lead]
        others = [k for k in kys if k.co_quan != lead]
        head = others[: max(per_row - len(leads), 0)]
        first = head + leads if order == "lead_right" else leads + head
        rest = others[len(head) :]
        return [first, *(rest[i : i + per_row] for i in range(0, len(rest), per_row))]

    def order_signatures(self, kys: list[NguoiKy]) -> list[NguoiKy]:
        order = self.profile.get("joint.signature_order")
        lead = self.doc.lead.ma
        if order == "header":
            index = {b.ma: i for i, b in enumerate(self.doc.co_quan)}
            return sorted(kys, key=lambda k: index.get(k.co_quan, 0))
        others = [k for k in kys if k.co_quan != lead]
        leads = [k for k in kys if k.co_quan == lead]
        return others + leads if order == "lead_right" else leads + others


def _with_prefix(prefix: str, text: str) -> str:
    text = upper_vi(text.strip())
    return text if text.startswith(prefix.upper()) else f"{prefix} {text}"
