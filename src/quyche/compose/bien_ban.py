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

One setting chooses the form for any convener: ``the_thuc`` (document level). The whole page then follows
it — header and number of the convener, labels, signature prefixes — because every body of the minutes is
composed under that profile (form_bodies). Participating bodies (``co_quan`` other than the convener) are
named in "Thành phần tham dự" (State) or "Đại biểu mời dự" (Party) and do not sign; the header and the
number are the convener's alone (the minutes are its record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from ..errors import Diagnostic, DiagnosticError
from ..model import Block, Cell, Document, Para, Row, Run, Signer, Table
from ..normalize import format_ngay, sentence_case, upper_vi, weekday_vi
from ..schema.bien_ban import BienBan, NguoiDuHop, NguoiKyBienBan, VaiTro
from ..schema.common import CoQuan
from .bien_ban_noi_dung import attendee_table, content
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

    # ---- ô 1–4: the convener's header and number (the minutes are its record) ---------------------
    def symbol_bodies(self) -> list[CoQuan]:
        return [self.bb.lead]

    def header(self, *, with_date: bool = True, under_number: list[Block] | None = None) -> Table:
        """The shared header composed for the convener alone: participating bodies are named in the
        content, not in the agency block (ND30-PL3 Mẫu 1.9 ô "TÊN CƠ QUAN, TỔ CHỨC"; HD16)."""
        convener = replace(
            self, doc=self.bb.model_copy(update={"co_quan": [self.bb.lead]}), warnings=self.warnings
        )  # its layout findings are the document's
        return Composer.header(convener, with_date=with_date, under_number=under_number)

    def participants(self, *, convener: bool = True) -> list[str]:
        """ "Đại diện lãnh đạo Sở …" for each body, the convener first (setting bien_ban.co_quan_tham_du;
        "" lists none); nothing when the convener is the only body (its own lists say who attended)."""
        template = str(self.profile.get("bien_ban.co_quan_tham_du"))
        if not template or not self.bb.participants:
            return []
        bodies = [self.bb.lead, *self.bb.participants] if convener else self.bb.participants
        return [template.format(ten=b.ten or b.ma) for b in bodies]

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
        label = self.rule(key)
        runs = [Run(label if value else label.rstrip())]  # a list follows: no trailing space
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


def form_bodies(doc: BienBan, profile_name: str) -> BienBan:
    """A copy of the minutes whose bodies all follow the minutes' profile: the header mark, the Quốc hiệu or
    Party tiêu đề and the signature prefixes, which the shared composer takes from each body's profile, then
    agree with the labels of the form (no "ĐẢNG CỘNG SẢN VIỆT NAM" over Mẫu 1.9 fields)."""
    bodies = [b.model_copy(update={"the_thuc": profile_name}) for b in doc.co_quan]
    return doc.model_copy(update={"co_quan": bodies})


def compose_bien_ban(c: Composer) -> Document:
    assert isinstance(c.doc, BienBan)
    name = c.doc.the_thuc or c.doc.lead.the_thuc or c.profile.id  # the form, for every body
    bc = BienBanComposer(form_bodies(c.doc, name), c.profile, c.base_dir, c.smap, c.warnings)
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
    needed = ("dia_danh", "dai_bieu_chinh_thuc") if party else () if c.participants() else ("thanh_phan",)
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
    present = [*c.participants(), *doc.thanh_phan]
    if len(present) == 1:
        out.append(c.field("bien_ban.truong.thanh_phan", present[0]))
    else:
        out.append(c.field("bien_ban.truong.thanh_phan"))
        out.extend(c.dash_items(present))
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
    invited = [*c.participants(convener=False), *doc.dai_bieu_moi]  # the convener's members: 1.1
    if invited:
        out.append(subheading("bien_ban.muc.moi_du"))
        out.extend(c.dash_items(invited))
    if doc.bao_chi:
        out.append(subheading("bien_ban.muc.bao_chi"))
        out.extend(c.dash_items(doc.bao_chi))
    out.extend(attendee_table(c))

    out.append(c.heading(c.rule("bien_ban.so_muc", so=2), c.rule("bien_ban.muc.dien_bien")))
    out.extend(content(c, lambda n: c.rule("bien_ban.so_muc_con", so=2, con=n)))
    return out


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
