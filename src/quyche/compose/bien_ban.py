"""Compose a biên bản (minutes) in the form its profile names (``bien_ban.mau``, the-thuc §3):

- ``nd30`` — NĐ 30/2020, Phụ lục III, Mẫu 1.9: header without the date line; "BIÊN BẢN" + meeting name;
  "Thời gian bắt đầu", "Địa điểm", "Thành phần tham dự", "Chủ trì (chủ toạ)", "Thư ký (người ghi biên
  bản)", "Nội dung (theo diễn biến …):" and the content; "Cuộc họp (hội nghị, hội thảo) kết thúc vào …"
  with the one noun that fits; THƯ KÝ left, CHỦ TỌA right; Nơi nhận under the left column.
- ``hd16`` — Hướng dẫn 16-HD/VPTW ngày 23/02/2023: Party header with the date line; "- Thời gian", …;
  "1. Thành phần hội nghị" with computed attendance; "2. Diễn biến hội nghị"; NGƯỜI GHI BIÊN BẢN left,
  CHỦ TRÌ HỘI NGHỊ (or "T/M …") right.

Every label and format is a profile rule (nd30-2020.yaml, hd16-2023.yaml); times come from real datetimes
and the weekday is computed (the-thuc §4.4).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import Diagnostic, DiagnosticError
from ..model import Block, Cell, Document, Para, Row, Run, Signer, Table
from ..normalize import format_ngay, sentence_case, upper_vi, weekday_vi
from ..schema.bien_ban import BienBan, NguoiDuHop, NguoiKyBienBan, VaiTro
from ..schema.common import Bang
from .the_thuc import Composer

# Fields that only one form prints, and where their content belongs in the other form.
_PARTY_ONLY = {
    "dai_bieu_chinh_thuc": "thanh_phan",
    "dai_bieu_moi": "thanh_phan",
    "bao_chi": "thanh_phan",
    "tai_lieu": "dien_bien",
    "thong_tin_khac": "dien_bien",
}
_STATE_ONLY = {"thanh_phan": "dai_bieu_moi"}


class BienBanComposer(Composer):
    """The shared composer with the minutes' own signature area (two columns, names on one row)."""

    @property
    def bb(self) -> BienBan:
        assert isinstance(self.doc, BienBan)
        return self.doc

    # ---- words and times --------------------------------------------------------------------------
    def nouns(self) -> dict[str, str]:
        """{danh_tu} "hội nghị", {Danh_tu} "Hội nghị", {DANH_TU} "HỘI NGHỊ" (ND30-PL3 Mẫu 1.9: one noun)."""
        word = self.profile.get("bien_ban.danh_tu")[self.bb.hinh_thuc or "cuoc_hop"]
        return {"danh_tu": word, "Danh_tu": sentence_case(word), "DANH_TU": upper_vi(word)}

    def rule(self, key: str, **fields: Any) -> str:
        return str(self.profile.get(key)).format(**self.nouns(), **fields)

    def gio(self, t: dt.datetime) -> str:
        """ "14 giờ 00" (ND30-PL3 Mẫu 1.9 "…. giờ …."; setting bien_ban.gio)."""
        return self.rule("bien_ban.gio", gio=t.hour, phut=t.minute)

    def thoi_gian(self, t: dt.datetime) -> str:
        return self.rule("bien_ban.thoi_gian", gio=self.gio(t), thu=weekday_vi(t.date()), ngay=format_ngay(t.date()))

    def short_date(self, d: dt.date) -> str:
        """ "07/01/2022", "31/7/2023": zero for days 1–9 and months 1–2, as in the date line (ND30-PL1 §II.4.b)."""
        month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
        return self.rule("bien_ban.ngay_ngan", ngay=f"{d.day:02d}", thang=month, nam=d.year)

    def person_runs(self, who: NguoiDuHop | NguoiKyBienBan, *, bold_name: bool = False) -> list[Run]:
        """ "đồng chí Nguyễn Huy Khánh, Chủ tịch UBND thị xã" (setting bien_ban.nguoi), the name optionally bold."""
        template = str(self.profile.get("bien_ban.nguoi"))
        fields = {
            "danh_xung": who.danh_xung or self.profile.get("bien_ban.danh_xung"),
            "chuc_danh": f", {who.chuc_danh}" if who.chuc_danh else "",
        }
        before, _, after = template.partition("{ho_ten}")
        runs = [Run(before.format(**fields)), Run(who.ho_ten, bold=bold_name), Run(after.format(**fields))]
        return [r for r in runs if r.text]

    def person(self, who: NguoiDuHop | NguoiKyBienBan) -> str:
        return "".join(r.text for r in self.person_runs(who)).strip()

    # ---- paragraphs -------------------------------------------------------------------------------
    def field(self, key: str, value: str | None = None) -> Para:
        """A lead field: label then value, ended with "." (ND30-PL3 Mẫu 1.9; HD16 "- Thời gian: …")."""
        runs = [Run(self.rule(key))]
        if value:
            runs.append(Run(value.rstrip(" .;,") + "."))
        return self.body("bien_ban_truong", runs)

    def heading(self, label: str, title: str, *, italic: bool = False) -> Para:
        para = self.body("bien_ban_muc", [Run(label + title.rstrip(" .:"), bold=True, italic=italic)])
        para.keep_with_next = True
        return para

    def dash_items(self, items: list[str]) -> list[Para]:
        """ "- …;" items, the last one ending with "." (the-thuc §1.3 lists)."""
        out = []
        for i, item in enumerate(items):
            end = "." if i == len(items) - 1 else ";"
            out.append(self.body("gach", [Run(f"- {item.rstrip(' .;,')}{end}")]))
        return out

    # ---- ô 7, 9b: signatures of the secretary (left) and the chair (right), Nơi nhận under the left ----
    def signatures(self) -> tuple[list[Block], list[Signer]]:
        """A borderless 3-column table as in the Mẫu 1.9 docx (3402 | 426 | 5528 twips): role labels and
        any title lines on the first row, names on the second (so they stand on one line); Nơi nhận below,
        in the left column (ND30-PL3 Mẫu 1.9; HD16 practice, the-thuc §8 item 17). The Nơi nhận is a table of
        its own so that a signature field over a column covers only its signer's block."""
        p = self.profile
        size = p.size("sign")
        raw = [float(w) for w in p.get("bien_ban.ky.widths_mm")]
        widths = [round(w * self.text_width / sum(raw), 2) for w in raw]
        titles: dict[VaiTro, list[Block]] = {}
        names: dict[VaiTro, Para] = {}
        signers: list[Signer] = []
        for role in ("thu_ky", "chu_toa"):
            ky = self.bb.signer(role)  # type: ignore[arg-type]
            lines, name, _ = self.signature_parts(ky)
            if not ky.thay_mat:  # "T/M …" replaces the role label (HD16 practice)
                lines.insert(
                    0, self.line("chu_ky_chuc_vu", upper_vi(self.rule(f"bien_ban.ky.{role}")), size, bold=True)
                )
            for i, b in enumerate(lines):
                if isinstance(b, Para):
                    b.space_before_pt = 6 if i == 0 else 0
            titles[role], names[role] = lines, name  # type: ignore[index]
            sid = "chu-ky-" + role.replace("_", "-")
            signers.append(Signer(sid, ky.co_quan, ky.ho_ten, [b.text for b in lines if isinstance(b, Para)]))
        nn = self.noi_nhan()
        if isinstance(nn[0], Para):
            nn[0].space_before_pt = 6
        left, gap, right = widths
        rows = [
            Row(
                [
                    Cell(titles["thu_ky"], left, anchor=signers[0].id),
                    Cell([], gap),
                    Cell(titles["chu_toa"], right, anchor=signers[1].id),
                ]
            ),
            Row([Cell([names["thu_ky"]], left), Cell([], gap), Cell([names["chu_toa"]], right)]),
        ]
        # Nơi nhận in a table of its own: confined to the left column, outside every signer's column.
        receivers = Table("noi_nhan", [Row([Cell(nn, left), Cell([], gap + right)])], [left, gap + right])
        return [Table("chu_ky", rows, widths, keep_with_next=True), receivers], signers


def compose_bien_ban(c: Composer) -> Document:
    bc = BienBanComposer(c.doc, c.profile, c.base_dir, c.smap, c.warnings)
    doc = bc.bb
    p = bc.profile
    party = p.get("bien_ban.mau") == "hd16"
    check_form(bc, party)
    if "luu" not in doc.model_fields_set:  # "- Lưu: VT, Hồ sơ." (ND30-PL3 Mẫu 1.9; the-thuc §8 item 24)
        doc.luu = str(p.get("bien_ban.luu_text"))
    blocks: list[Block] = [*bc.title()]
    blocks.extend(party_lead(bc) if party else state_lead(bc))
    blocks.extend(closing(bc))
    title = f"{blocks[0].text} {doc.trich_yeu}"  # type: ignore[union-attr]
    return bc.finish(title, "Biên bản", blocks, with_date=bool(p.get("bien_ban.dong_ngay")))


def check_form(c: BienBanComposer, party: bool) -> None:
    """Fields the chosen form does not print, and the ones it needs, located in the YAML."""
    doc = c.bb
    diags: list[Diagnostic] = []
    foreign = dict(_STATE_ONLY if party else _PARTY_ONLY)
    foreign["can_cu"] = "noi_dung"  # minutes record a meeting: no căn cứ (ND30-PL3 Mẫu 1.9; HD16)
    for name, instead in foreign.items():
        if name in doc.model_fields_set and getattr(doc, name):
            diags.append(
                Diagnostic.make(
                    "truong-khong-dung-mau",
                    c.smap.locate((name,), key=True) if c.smap else None,
                    field=name,
                    mau=c.profile.title,
                    thay=instead,
                    rule=c.profile.cite("bien_ban.mau"),
                )
            )
    needed = ("dia_danh", "dai_bieu_chinh_thuc") if party else ("thanh_phan",)
    for name in needed:
        if not getattr(doc, name):
            loc = c.smap.locate(()) if c.smap else None
            diags.append(Diagnostic.make("thieu-truong", loc, field=name, parent="văn bản"))
    if diags:
        raise DiagnosticError(diags)


def state_lead(c: BienBanComposer) -> list[Block]:
    """NĐ 30/2020, Phụ lục III, Mẫu 1.9: the six fields in order, then the content numbered 1., 2., …"""
    doc = c.bb
    out: list[Block] = [
        c.field("bien_ban.truong.thoi_gian", c.thoi_gian(doc.bat_dau)),
        c.field("bien_ban.truong.dia_diem", doc.dia_diem),
    ]
    if len(doc.thanh_phan) == 1:
        out.append(c.field("bien_ban.truong.thanh_phan", doc.thanh_phan[0]))
    else:
        out.append(c.field("bien_ban.truong.thanh_phan"))
        out.extend(c.dash_items(doc.thanh_phan))
    out.extend(attendee_table(c))
    out.append(c.field("bien_ban.truong.chu_toa", c.person(doc.signer("chu_toa"))))
    out.append(c.field("bien_ban.truong.thu_ky", c.person(doc.signer("thu_ky"))))
    out.append(c.body("bien_ban_truong", [Run(c.rule("bien_ban.truong.noi_dung"))]))
    if doc.noi_dung:
        out.extend(c.paragraph(doc.noi_dung))
    out.extend(content(c, lambda n: c.rule("bien_ban.so_muc", so=n)))
    return out


def party_lead(c: BienBanComposer) -> list[Block]:
    """Hướng dẫn 16-HD/VPTW: "- Thời gian" … lead fields, "1. Thành phần hội nghị" (1.1 counts computed,
    1.2 invited, 1.3 press), "2. Diễn biến hội nghị" with the content numbered 2.1, 2.2, …"""
    doc = c.bb
    out: list[Block] = [
        c.field("bien_ban.truong.thoi_gian", c.thoi_gian(doc.bat_dau)),
        c.field("bien_ban.truong.dia_diem", doc.dia_diem),
        c.field("bien_ban.truong.noi_dung", doc.noi_dung or doc.trich_yeu),
        c.field("bien_ban.truong.chu_toa", c.person(doc.signer("chu_toa"))),
        c.field("bien_ban.truong.thu_ky", c.person(doc.signer("thu_ky"))),
    ]
    if doc.tai_lieu:
        out.append(c.field("bien_ban.truong.tai_lieu", "; ".join(t.rstrip(" .;,") for t in doc.tai_lieu)))
    if doc.thong_tin_khac:
        out.append(c.field("bien_ban.truong.thong_tin_khac", doc.thong_tin_khac))

    out.append(c.heading(c.rule("bien_ban.so_muc", so=1), c.rule("bien_ban.muc.thanh_phan")))
    sub = 0

    def subheading(key: str) -> Para:
        nonlocal sub
        sub += 1
        return c.heading(c.rule("bien_ban.so_muc_con", so=1, con=sub), c.rule(key))

    dbct = doc.dai_bieu_chinh_thuc
    assert dbct is not None  # check_form
    out.append(subheading("bien_ban.muc.chinh_thuc"))
    out.append(c.body("doan", [Run(c.rule("bien_ban.co_mat", so=dbct.so_co_mat))]))
    if dbct.vang_mat:
        who = [c.rule("bien_ban.vang_mat.muc", nguoi=c.person(v), ly_do=v.ly_do.rstrip(" .;,")) for v in dbct.vang_mat]
        out.append(c.body("doan", [Run(c.rule("bien_ban.vang_mat", so=len(dbct.vang_mat), danh_sach="; ".join(who)))]))
    else:
        out.append(c.body("doan", [Run(c.rule("bien_ban.vang_mat.khong"))]))
    if doc.dai_bieu_moi:
        out.append(subheading("bien_ban.muc.moi_du"))
        out.extend(c.dash_items(doc.dai_bieu_moi))
    if doc.bao_chi:
        out.append(subheading("bien_ban.muc.bao_chi"))
        out.extend(c.dash_items(doc.bao_chi))
    out.extend(attendee_table(c))

    out.append(c.heading(c.rule("bien_ban.so_muc", so=2), c.rule("bien_ban.muc.dien_bien")))
    out.extend(content(c, lambda n: c.rule("bien_ban.so_muc_con", so=2, con=n)))
    return out


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


def closing(c: BienBanComposer) -> list[Block]:
    """Closing formulas as the user wrote them (the-thuc §3.5), then "<Noun> kết thúc vào 11 giờ 30, ngày …"
    — the ending mark ("./." State, "." Party) is added by Composer.close_body (the-thuc §8 item 13)."""
    doc = c.bb
    out: list[Block] = []
    for text in doc.loi_ket:
        out.extend(c.paragraph(text))
    for para in out:  # the closing formulas stay with the closing sentence and the signatures
        para.keep_with_next = True
    end = doc.ket_thuc
    sentence = c.rule("bien_ban.ket_thuc", gio=c.gio(end), ngay=format_ngay(end.date()))
    out.append(c.body("bien_ban_ket_thuc", [Run(sentence)]))
    return out


def join_vi(items: list[str]) -> str:
    """ "A", "A và B", "A, B và C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]
