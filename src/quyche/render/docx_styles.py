"""Paragraph styles of the .docx: one named style per role, named so that a clerk recognises it.

- Word's style pane shows "Điều", "Khoản", "Chương", "Tên loại", "Trích yếu" … (STYLE_NAMES), not code names;
  a role without an entry gets "quyche <role>".
- A restyled template (``--mau``, render/mau.py) is looked up by the Vietnamese name first, then by the name
  earlier versions wrote ("QC dieu"), so templates restyled before the rename keep working.
- Phần / Chương / Mục / Điều carry an outline level (w:outlineLvl, ECMA-376 Part 1, §17.3.1.20), so Word's
  navigation pane and table of contents show the structure (ND30-PL1 §II.6.đ: the articles' hierarchy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Para
from .docx_xml import ALIGN, a, ind, rpr, spacing

LEGACY_PREFIX = "QC "  # style names written before the Vietnamese names (still honoured in templates)

STYLE_NAMES: dict[str, str] = {
    "quoc_hieu": "Quốc hiệu",
    "tieu_ngu": "Tiêu ngữ",
    "tieu_de_dang": "Tiêu đề Đảng",
    "co_quan_chu_quan": "Cơ quan chủ quản",
    "co_quan_ban_hanh": "Cơ quan ban hành",
    "so_ky_hieu": "Số, ký hiệu",
    "dia_danh_ngay": "Địa danh, ngày tháng",
    "ten_loai": "Tên loại",
    "trich_yeu": "Trích yếu",
    "trich_yeu_cong_van": "Trích yếu công văn",
    "dau_khan": "Dấu độ khẩn",
    "dau_khan_cach": "Khoảng trên dấu độ khẩn",
    "kinh_gui": "Kính gửi",
    "kinh_gui_muc": "Kính gửi – nơi",
    "can_cu": "Căn cứ",
    "tham_quyen": "Thẩm quyền ban hành",
    "quyet_dinh": "Quyết định",
    "kem_theo_quyet_dinh": "Kèm theo quyết định",
    "doan": "Đoạn văn",
    "phan": "Phần",
    "chuong": "Chương",
    "chuong_ten": "Tên chương",
    "muc": "Mục",
    "muc_ten": "Tên mục",
    "dieu": "Điều",
    "khoan": "Khoản",
    "khoan_tieu_de": "Tiêu đề khoản",
    "diem": "Điểm",
    "gach": "Gạch đầu dòng",
    "bang_tieu_de": "Tên bảng",
    "bang_o": "Ô bảng",
    "chu_ky_chuc_vu": "Chức vụ người ký",
    "chu_ky_ho_ten": "Họ tên người ký",
    "chu_ky_cach": "Khoảng ký",
    "noi_nhan_nhan": "Nơi nhận",
    "noi_nhan_muc": "Nơi nhận – nơi",
    "dau_sao": "Dấu sao",
    "phu_luc_so": "Phụ lục",
    "phu_luc_ten": "Tên phụ lục",
    "phu_luc_kem_theo": "Phụ lục – kèm theo",
    "giay_moi_kinh_moi": "Kính mời",
    "giay_moi_muc": "Giấy mời – mục",
    "giay_moi_thanh_phan": "Thành phần mời",
    "bien_ban_muc": "Biên bản – mục",
    "bien_ban_truong": "Biên bản – thông tin",
    "bien_ban_phat_bieu": "Biên bản – phát biểu",
    "bien_ban_ket_thuc": "Biên bản – kết thúc",
    "duong_ke": "Đường kẻ",
    "so_trang": "Số trang",
    "ngan_bang": "Ngăn bảng",
    "o_trong": "Ô trống",
}
# Word's outline levels 0–8 (level 1–9 in its UI): Phần > Chương > Mục > Điều
OUTLINE_LEVELS = {"phan": 0, "chuong": 1, "muc": 2, "dieu": 3}


def style_name(role: str) -> str:
    return STYLE_NAMES.get(role, f"quyche {role}")


def role_of(name: str) -> str | None:
    """The role a style name stands for (Vietnamese or legacy "QC …" name); None if not quyche's."""
    if name.startswith(LEGACY_PREFIX):
        return name[len(LEGACY_PREFIX) :]
    if name.startswith("quyche "):
        return name[len("quyche ") :]
    return _BY_NAME.get(name)


_BY_NAME = {v: k for k, v in STYLE_NAMES.items()}


def outline_xml(role: str) -> str:
    level = OUTLINE_LEVELS.get(role)
    return "" if level is None else f'<w:outlineLvl w:val="{level}"/>'


@dataclass(frozen=True)
class StyleProps:
    size: float
    bold: bool
    italic: bool
    underline: bool
    align: str
    first: float
    left: float
    before: float
    after: float
    line: float


class StyleBook:
    """The styles of one rendering: properties come from the first paragraph of each role (the profile's
    decision); a style the user template already has is used as it is (restyled in Word)."""

    def __init__(self, template_ids: dict[str, str] | None = None) -> None:
        self.template_ids = dict(template_ids or {})  # style name → styleId in the template
        self.props: dict[str, StyleProps] = {}
        self.ids: dict[str, str] = {}  # role → styleId
        self.xml: list[str] = []  # styles quyche adds

    def style_id(self, role: str) -> str:
        """The id of ``role``'s style, whether or not a paragraph of that role was styled yet."""
        if role in self.ids:
            return self.ids[role]
        found = self.template_ids.get(style_name(role)) or self.template_ids.get(LEGACY_PREFIX + role)
        return found or _own_id(role)

    def style(self, role: str, para: Para) -> tuple[str, StyleProps]:
        props = self.props.get(role)
        if props is not None:
            return self.ids[role], props
        bold = bool(para.runs) and all(r.bold for r in para.runs)
        italic = bool(para.runs) and all(r.italic for r in para.runs)
        underline = bool(para.runs) and all(r.underline for r in para.runs)
        props = StyleProps(
            para.size_pt,
            bold,
            italic,
            underline,
            para.align,
            para.first_indent_mm,
            para.left_indent_mm,
            para.space_before_pt,
            para.space_after_pt,
            para.line_spacing,
        )
        self.props[role] = props
        found = self.template_ids.get(style_name(role)) or self.template_ids.get(LEGACY_PREFIX + role)
        if found:
            self.ids[role] = found
            return found, props
        sid = self.ids[role] = _own_id(role)
        ppr = (
            spacing(props.before, props.after, props.line)
            + ind(props.left, None, props.first)
            + f'<w:jc w:val="{ALIGN[props.align]}"/>'
            + outline_xml(role)
        )
        self.xml.append(
            f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{a(style_name(role))}"/>'
            f'<w:basedOn w:val="{a(self.template_ids.get("Normal", "Normal"))}"/><w:qFormat/>'
            f"<w:pPr>{ppr}</w:pPr>{rpr(bold, italic, underline, props.size)}</w:style>"
        )
        return sid, props


def _own_id(role: str) -> str:
    return "QC" + re.sub(r"[^A-Za-z0-9]", "", role.title())
