"""``quyche mau tao KIND``: a starter Word template for a kind, for an office to restyle and rearrange.

Laid out as the built-in document — the header table, type name, trích yếu, the body, the Nơi nhận and
signature table — with placeholders, drawn by quyche's own renderer (render/docx.py) so its "QC …" styles
and page are the profile's. Below it, a legend of every variable: one ``{#p … #}`` paragraph each, visible
in Word and removed when the template is filled.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Document, PageSetup, Para, Run, Section
from ..profile import DEFAULT_FOR_SYSTEM, load_profile
from .context import COMPUTED


def _page(profile_name: str) -> tuple[PageSetup, dict[str, float]]:
    p = load_profile(profile_name)
    w, h = p.get("page.paper_mm")
    page = PageSetup(
        width_mm=float(w),
        height_mm=float(h),
        margin_top_mm=float(p.get("page.margin_mm.top")),
        margin_bottom_mm=float(p.get("page.margin_mm.bottom")),
        margin_left_mm=float(p.get("page.margin_mm.left")),
        margin_right_mm=float(p.get("page.margin_mm.right")),
        header_mm=float(p.get("page.header_mm")),
        page_number_size_pt=p.size("page_number"),
    )
    return page, {role: p.size(role) for role in ("body", "ten_loai", "trich_yeu")}


def data_fields(kind: str) -> list[str]:
    """The YAML fields of a kind (its schema model), for the legend and the lint."""
    from ..schema import model_for

    return [name for name in model_for(kind).model_fields if name not in COMPUTED]


def starter(kind: str, system: str = "nha_nuoc") -> Document:
    """The starter template of ``kind`` as a composed document (placeholders as text)."""
    page, sizes = _page(DEFAULT_FOR_SYSTEM[system])
    size = sizes["body"]

    def para(
        role: str, text: str, *, bold: bool = False, italic: bool = False, align: str = "justify", indent: float = 12.7
    ) -> Para:
        run = Run(text, bold=bold, italic=italic)
        return Para(role, [run], sizes.get(role, size), align=align, first_indent_mm=indent, space_after_pt=6)  # type: ignore[arg-type]

    def tag(text: str) -> Para:
        return Para("mau_the", [Run(text)], size, align="left")

    blocks: list = [
        tag("{{p header }}"),
        tag("{%p if ten_loai %}"),  # công văn has no type name
        replace(para("ten_loai", "{{ ten_loai }}", bold=True, align="center", indent=0), space_before_pt=12),
        tag("{%p endif %}"),
        tag("{%p if trich_yeu %}"),
        para("trich_yeu", "{{ trich_yeu }}", bold=True, align="center", indent=0),
        tag("{%p endif %}"),
    ]
    # the body as the built-in layout has it, each paragraph kept centred and bold where it was
    blocks += [
        tag("{%p for d in noi_dung %}"),
        tag("{%p if d.can_giua %}"),
        para("tieu_muc", "{{ d.van_ban }}", bold=True, align="center", indent=0),
        tag("{%p elif d.dam %}"),
        para("dieu", "{{ d.van_ban }}", bold=True),
        tag("{%p elif d.nghieng %}"),  # căn cứ (ND30-PL1 §II.6.a)
        para("can_cu", "{{ d.van_ban }}", italic=True),
        tag("{%p else %}"),
        para("doan", "{{ d.van_ban }}"),
        tag("{%p endif %}"),
        tag("{%p endfor %}"),
    ]
    blocks.append(tag("{{p chu_ky }}"))
    blocks.append(Para("mau_chu_giai", [Run("{#p CHÚ GIẢI — các đoạn chú giải này không in ra #}", bold=True)], 12))
    for name, what in COMPUTED.items():
        blocks.append(_legend(name, what))
    for name in data_fields(kind):
        blocks.append(_legend(name, "trường YAML của văn bản"))
    return Document(kind, DEFAULT_FOR_SYSTEM[system], f"Mẫu Word: {kind}", "", [Section(blocks, page)])


def _legend(name: str, what: str) -> Para:
    clean = re.sub(r"\{\{p (\w+) \}\}", r"thẻ «p \1»", what).replace("{", "(").replace("}", ")").replace("#", "")
    return Para("mau_chu_giai", [Run(f"{{#p {name}: {clean} #}}")], 12)


def starter_docx(kind: str, system: str = "nha_nuoc") -> bytes:
    from ..render.docx import DocxRenderer

    return DocxRenderer().render(starter(kind, system))
