"""What a document is, read from the document itself: its regime (State NĐ 30/2020, Party HD 36, joint,
Front), its kind (quy chế, giấy mời, …) and so the profile that judges it; and the role of every line
(Quốc hiệu, number line, căn cứ, Điều, signature title, Nơi nhận…), by text and position, never by style
names — a document made in Word or LibreOffice is read the same way as quyche's own."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import Line, Sheet

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_DE_DANG = "ĐẢNG CỘNG SẢN VIỆT NAM"
KINDS = {
    "QUY CHẾ": "quy_che",
    "CHƯƠNG TRÌNH": "chuong_trinh",
    "GIẤY MỜI": "giay_moi",
    "BIÊN BẢN": "bien_ban",
    "KẾ HOẠCH": "ke_hoach",
    "QUYẾT ĐỊNH": "quyet_dinh",
    "BÁO CÁO": "bao_cao",
    "THÔNG BÁO": "thong_bao",
}
ABBREV_KIND = {
    "QC": "quy_che",
    "CTR": "chuong_trinh",
    "GM": "giay_moi",
    "BB": "bien_ban",
    "KH": "ke_hoach",
    "QĐ": "quyet_dinh",
    "BC": "bao_cao",
    "TB": "thong_bao",
    "CV": "cong_van",
}
REGIMES = {"nha_nuoc": "Nhà nước", "dang": "Đảng", "lien_tich": "liên tịch", "mat_tran": "Mặt trận"}
_PARTY_WORDS = re.compile(
    r"\b(TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|THÀNH UỶ|HUYỆN ỦY|HUYỆN UỶ|THỊ ỦY|THỊ UỶ|ĐẢNG ỦY|ĐẢNG UỶ|"
    r"ĐẢNG BỘ|BAN CHẤP HÀNH|BAN THƯỜNG VỤ|BAN TUYÊN GIÁO|BAN DÂN VẬN|BAN TỔ CHỨC|"
    r"BAN KIỂM TRA|ỦY BAN KIỂM TRA|BAN CÁN SỰ|ĐẢNG ĐOÀN|CHI BỘ|BÍ THƯ|TRUNG ƯƠNG ĐẢNG)\b"
)
_FRONT_WORDS = re.compile(r"\b(MẶT TRẬN TỔ QUỐC|MTTQ)\b")
_STATE_WORDS = re.compile(
    r"\b(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|SỞ|TÒA ÁN|TOÀ ÁN|"
    r"VIỆN KIỂM SÁT|BỘ|CHỦ TỊCH|GIÁM ĐỐC|CHÁNH ÁN|VIỆN TRƯỞNG|CỤC|TỔNG CỤC|PHÒNG)\b"
)
NUMBER = re.compile(r"^Số\b")
DATE = re.compile(r",?\s*ngày\s*(\S+)\s+tháng\s+(\S+)\s+năm\s+(\S+)")
PREFIX = re.compile(r"^(T/M|K/T|T/L|TM|KT|TL|TUQ|Q)(\.?)(?=\s|$)")
CHUONG = re.compile(r"^(Chương|CHƯƠNG)\s+([IVXLCDM]+|\d+)\b")
MUC = re.compile(r"^(Mục|MỤC)\s+([IVXLC]+|\d+)([.:]?\s|[.:]?$)")
DIEU = re.compile(r"^Điều\s+\d+")
KHOAN = re.compile(r"^\d+\s*[.\-–)]\s")
DIEM = re.compile(r"^[a-zđ]\s*[).]\s")
DE_NGHI = re.compile(r"^[-–]?\s*(Xét|Theo)\s")
CAN_CU = re.compile(r"^[-–]?\s*Căn cứ\b")


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).upper().replace("HOÀ", "HÒA")


def is_caps(text: str) -> bool:
    """At least two letters, none lower case (str methods, no Python loop: called on every line)."""
    if text != text.upper():
        return False
    lower = text.lower()
    return lower != text and sum(a != b for a, b in zip(text, lower, strict=False)) >= 2


def type_name(ln: Line) -> str:
    """The kind a type-name line names: "QUY CHẾ", or "QUY CHẾ PHỐI HỢP" in bold capitals."""
    t = fold(ln.text)
    if t in KINDS:
        return KINDS[t]
    if ln.bold and is_caps(ln.text):
        return next((kind for name, kind in KINDS.items() if t.startswith(name + " ")), "")
    return ""


def body_system(text: str) -> str | None:
    """The system of a body named in a header or signature line (None: not said)."""
    t = fold(text)
    if _FRONT_WORDS.search(t):
        return "mat_tran"
    if _PARTY_WORDS.search(t):
        return "dang"
    if _STATE_WORDS.search(t):
        return "nha_nuoc"
    return None


@dataclass
class Identity:
    regime: str  # nha_nuoc | dang | lien_tich | mat_tran
    lead: str  # the system whose rules the header and number follow: nha_nuoc | dang
    kind: str  # quy_che, …, cong_van; "" when not found
    profile: str  # nd30-2020 | hd36-2018 | hd16-2023
    systems: frozenset[str]  # every system among the issuing bodies


def assign_roles(sheet: Sheet) -> None:
    """Give every line its role; the header is the first table (docx) or what stands above the type name
    on page 1 (pdf)."""
    lines = sheet.lines
    type_at = next((i for i, ln in enumerate(lines) if ln.zone != "header" and type_name(ln)), None)
    if sheet.fmt == "pdf" or not any(ln.zone == "header" for ln in lines[:1]):
        # A PDF, or a .docx whose header is not a table: what stands above the type name on page 1.
        end = (
            type_at
            if type_at is not None
            else next((i for i, ln in enumerate(lines) if NUMBER.match(ln.text) or DATE.search(ln.text)), -1) + 1
        )
        for ln in lines[:end]:
            if ln.page in (1, None):
                ln.zone = "header"
    _later_headers(lines)
    prev: Line | None = None
    for i, ln in enumerate(lines):
        if ln.role == "so_trang":  # a PDF page's number, found by the reader in the top band
            continue
        t = fold(ln.text)
        if ln.border_only:
            ln.role = "duong_ke"
        elif ln.zone == "header":
            ln.role = _header_role(ln, t, prev)
        elif i == type_at:
            ln.role = "ten_loai"
        elif (type_at is not None and i == type_at + 1 and ln.bold is not False) or (
            i and lines[i - 1] is prev and prev.role == "trich_yeu" and ln.zone == "body" and _is_title_cont(ln, prev)
        ):
            ln.role = "trich_yeu"
        elif t.rstrip(":") == "NƠI NHẬN":
            ln.role = "noi_nhan_nhan"
        elif prev is not None and prev.role in ("noi_nhan_nhan", "noi_nhan_muc") and ln.text.startswith(("-", "–")):
            ln.role = "noi_nhan_muc"
        elif CAN_CU.match(ln.text):
            ln.role = "can_cu"
        elif prev is not None and prev.role in ("can_cu", "can_cu_de_nghi") and DE_NGHI.match(ln.text):
            ln.role = "can_cu_de_nghi"
        elif CHUONG.match(ln.text):
            ln.role = "chuong"
        elif DIEU.match(ln.text):
            ln.role = "dieu"
        elif MUC.match(ln.text):
            ln.role = "muc"
        elif sheet.fmt == "pdf" and PREFIX.match(ln.text) and is_caps(ln.text):
            ln.role = "chu_ky_chuc_vu"  # a PDF has no tables: a signature title is known by its prefix
        elif ln.zone == "body":
            ln.role = "khoan" if KHOAN.match(ln.text) else "diem" if DIEM.match(ln.text) else "doan"
        else:
            ln.role = "o_bang"
        if not ln.border_only:
            prev = ln
    _signature_zone(lines)


def _is_title_cont(ln: Line, prev: Line) -> bool:
    """A trích yếu's next line (a PDF line, or a second paragraph): bold, same size, no heading of its own."""
    heading = CAN_CU.match(ln.text) or DIEU.match(ln.text) or CHUONG.match(ln.text) or MUC.match(ln.text)
    return bool(ln.bold) and not is_caps(ln.text) and not heading and ln.size == prev.size


def _header_role(ln: Line, t: str, prev: Line | None) -> str:
    if t == QUOC_HIEU or (t.startswith("CỘNG H") and ("VIỆT NAM" in t or "XÃ HỘI" in t)):
        return "quoc_hieu"
    if t.startswith("ĐỘC LẬP"):
        return "tieu_ngu"
    if t == TIEU_DE_DANG or t.startswith("ĐẢNG CỘNG SẢN"):
        return "tieu_de_dang"
    if set(ln.text.replace(" ", "")) <= set("_-–—.…") and len(ln.text) >= 3:
        return "gach_duoi"
    if ln.text == "*":
        return "dau_sao"
    if NUMBER.match(ln.text):
        return "so_ky_hieu"
    if DATE.search(ln.text):
        return "dia_danh_ngay"
    if ln.text.startswith("V/v") or (prev is not None and prev.role == "so_ky_hieu" and not is_caps(ln.text)):
        return "trich_yeu_cong_van"
    if is_caps(ln.text):
        return "co_quan"
    return "dau_trang_khac"


def _later_headers(lines: list[Line]) -> None:
    """A table that holds a Quốc hiệu or the Party tiêu đề is a header too (an attached regulation's)."""
    tables = {ln.table for ln in lines if ln.zone == "table" and fold(ln.text).startswith(("CỘNG H", "ĐẢNG CỘNG SẢN"))}
    for ln in lines:
        if ln.zone == "table" and ln.table in tables:
            ln.zone = "header"


def _signature_zone(lines: list[Line]) -> None:
    """Signature titles and names: the capital lines of a signature table — one holding a prefix or the Nơi
    nhận, or one whose every line is bold, the titles in capitals and the names short (a data table has
    plain cells)."""
    by_table: dict[int, list[Line]] = {}
    for ln in lines:
        if ln.zone == "table":
            by_table.setdefault(ln.table, []).append(ln)
    for rows in by_table.values():
        texts = [ln for ln in rows if not ln.border_only and not ln.role.startswith("noi_nhan")]
        marked = any(ln.role.startswith("noi_nhan") for ln in rows) or any(PREFIX.match(ln.text) for ln in texts)
        caps = [ln for ln in texts if is_caps(ln.text)]
        short = all(is_caps(ln.text) or len(ln.text.split()) <= 6 for ln in texts)
        mostly_bold = 2 * sum(bool(ln.bold) for ln in texts) >= len(texts)
        if not (marked or (caps and short and mostly_bold)):
            continue
        for ln in texts:
            if ln.role in ("o_bang", "doan") and is_caps(ln.text):
                ln.role = "chu_ky_chuc_vu"
            elif ln.role in ("o_bang", "doan") and len(ln.text.split()) <= 6:
                ln.role = "chu_ky_ho_ten"


def identify(sheet: Sheet, forced_profile: str | None = None) -> Identity:
    header = [ln for ln in sheet.lines if ln.zone == "header"]
    roles = {ln.role for ln in header}
    systems = set()
    for ln in header:
        if ln.role == "co_quan":
            s = body_system(ln.text)
            if s:
                systems.add(s)
    if "dau_sao" in roles:
        systems.add("dang")
    number = next((ln.text for ln in sheet.lines if ln.role == "so_ky_hieu"), "")
    if "tieu_de_dang" in roles and "quoc_hieu" not in roles:
        lead = "dang"
    elif "quoc_hieu" in roles:
        lead = "nha_nuoc"
    elif number:
        lead = "nha_nuoc" if number.startswith("Số:") or "/" in number.split("-")[0] else "dang"
    else:
        lead = "dang" if systems == {"dang"} else "nha_nuoc"
    systems = systems or {lead}
    first = next((body_system(ln.text) for ln in header if ln.role == "co_quan" and body_system(ln.text)), None)
    if {"dang", "nha_nuoc"} <= systems and first in ("dang", "nha_nuoc"):
        lead = first  # a joint Party–State page: the first body leads, its rules the header and number follow
    if len(systems) > 1:
        regime = "lien_tich"
    else:
        regime = next(iter(systems))
    kind = next((type_name(ln) for ln in sheet.lines if ln.role == "ten_loai"), "")
    if not kind:
        m = re.search(r"[-/]([A-ZĐa-z]{2,3})[-/]", number)
        kind = ABBREV_KIND.get(m.group(1).upper(), "") if m else ""
        if not kind and any(
            ln.role == "trich_yeu_cong_van" or ln.text.startswith(("V/v", "Kính gửi")) for ln in sheet.lines
        ):
            kind = "cong_van"
    if forced_profile:  # the named rules judge the whole page: its header is expected in their form
        from ..profile import load_profile

        profile = forced_profile
        lead = "dang" if load_profile(forced_profile).system == "dang" else "nha_nuoc"
    elif lead == "dang":
        profile = "hd16-2023" if kind == "bien_ban" else "hd36-2018"
    else:
        profile = "nd30-2020"
    return Identity(regime, lead, kind, profile, frozenset(systems))
