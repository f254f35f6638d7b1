"""Documents authored from scratch as LibreOffice would hold them (flat ODF, .fodt) and converted to .docx by
``soffice --headless --convert-to docx``: another producer, another XML (direct formatting in automatic
styles, borders and cell margins written LibreOffice's way). One State kế hoạch and one Party kế hoạch, clean
or with one flaw each; ``FLAWS`` maps a flaw to the rule id ``quyche check`` must report."""

from __future__ import annotations

from xml.sax.saxutils import escape

from quyche.measure import text_width_mm

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
)
PAD = 1.9  # cell margins (mm); the text width is 160 mm with margins 30/20

# flaw → (systems it applies to, rule id per system)
FLAWS: dict[str, dict[str, str]] = {
    "arial": {"nha_nuoc": "font.family", "dang": "font.family"},
    "body_12pt": {"nha_nuoc": "sizes.body", "dang": "sizes.body"},
    "motto_underscores": {"nha_nuoc": "header.tieu_ngu.rule", "dang": "header.tieu_de.rule"},
    "motto_underlined": {"nha_nuoc": "header.tieu_ngu.rule", "dang": "header.tieu_de.rule"},
    "short_line": {"nha_nuoc": "header.tieu_ngu.rule", "dang": "header.tieu_de.rule"},
    "number_no_space": {"nha_nuoc": "number.format", "dang": "number.format"},
    "date_unpadded": {"nha_nuoc": "date.format", "dang": "date.format"},
    "prefix_no_dot": {"nha_nuoc": "sign.prefix"},
    "party_prefix": {"nha_nuoc": "sign.prefix"},
    "state_prefix": {"dang": "sign.prefix"},
    "no_star": {"dang": "header.co_quan.mark"},
    "margin": {"nha_nuoc": "page.margin_mm.left", "dang": "page.margin_mm.left"},
    "label_plain": {"nha_nuoc": "noi_nhan.label.bold", "dang": "noi_nhan.label.underline"},
    "quoc_hieu_wrong": {"nha_nuoc": "header.quoc_hieu.text"},
    "narrow_cell": {"nha_nuoc": "header.quoc_hieu.text"},  # the Quốc hiệu wraps in its cell
    "dieu_colon": {"nha_nuoc": "heading.dieu", "dang": "heading.dieu"},
    "dieu_skipped": {"nha_nuoc": "heading.dieu", "dang": "heading.dieu"},
    "no_indent": {"nha_nuoc": "body.first_line_indent_mm", "dang": "body.first_line_indent_mm"},
    "left_aligned": {"nha_nuoc": "body.align"},
    "cramped": {"dang": "body.space_before_pt"},
}
# what a PDF cannot show: a paragraph's indent, alignment and spacing (a PDF has lines, not paragraphs)
PDF_BLIND = {"motto_underlined", "no_indent", "left_aligned", "cramped"}
FIXABLE = {"arial", "body_12pt", "motto_underscores", "motto_underlined", "short_line", "date_unpadded",
           "prefix_no_dot", "margin", "label_plain", "no_indent", "left_aligned", "cramped"}  # fmt: skip


def _pstyle(name: str, size: float, *, bold=False, italic=False, underline=False, align="center", indent=0.0,
            font="Times New Roman", before=0.0, border=None, margins=(0.0, 0.0)) -> str:  # fmt: skip
    para = [f'fo:text-align="{align}"', f'fo:text-indent="{indent}mm"', f'fo:margin-top="{before}pt"',
            'fo:margin-bottom="0mm"', f'fo:margin-left="{margins[0]:.2f}mm"',
            f'fo:margin-right="{margins[1]:.2f}mm"']  # fmt: skip
    if border:
        para += [f'fo:border-top="{border}"', 'fo:padding="0mm"', 'fo:line-height="1pt"']
    text = [f'style:font-name="{font}"', f'style:font-name-asian="{font}"', f'style:font-name-complex="{font}"',
            f'fo:font-size="{size}pt"', f'style:font-size-asian="{size}pt"', f'style:font-size-complex="{size}pt"',
            f'fo:font-weight="{"bold" if bold else "normal"}"',
            f'style:font-weight-asian="{"bold" if bold else "normal"}"',
            f'style:font-weight-complex="{"bold" if bold else "normal"}"',
            f'fo:font-style="{"italic" if italic else "normal"}"',
            f'style:font-style-complex="{"italic" if italic else "normal"}"',
            f'style:text-underline-style="{"solid" if underline else "none"}"',
            'style:text-underline-width="auto"' if underline else "", 'fo:color="#000000"']  # fmt: skip
    return (
        f'<style:style style:name="{name}" style:family="paragraph"><style:paragraph-properties {" ".join(para)}/>'
        f"<style:text-properties {' '.join(text)}/></style:style>"
    )


def build(system: str, flaw: str | None = None) -> str:
    """The .fodt text of a one-page kế hoạch by a State or a Party body, with ``flaw`` planted."""
    state = system == "nha_nuoc"
    f = flaw or ""
    right_w = 94.0 if f == "narrow_cell" else 102.0  # the Quốc hiệu (13 pt bold) is 95.7 mm wide
    left_w = 160.0 - right_w
    body_font = "Arial" if f == "arial" else "Times New Roman"
    body_size = 12 if f == "body_12pt" else 14
    styles: list[str] = []
    paras: dict[str, str] = {}

    def st(size, **kw) -> str:
        name = f"P{len(styles) + 1}"
        styles.append(_pstyle(name, size, **kw))
        return name

    def p(style: str, text: str = "") -> str:
        return f'<text:p text:style-name="{style}">{escape(text)}</text:p>'

    def rule(width: float, cell: float, before: float = 2.0) -> str:
        side = max((cell - 2 * PAD - width) / 2, 0)
        return p(st(1, border="0.5pt solid #000000", margins=(side, side), before=before))

    # --- header: two rows, agency | Quốc hiệu (or Party tiêu đề), number | date
    left: list[str] = []
    right: list[str] = []
    if state:
        left += [p(st(13, bold=True), "ỦY BAN NHÂN DÂN"), p(st(13, bold=True), "TỈNH HÀ NAM")]
        left.append(rule(round(text_width_mm("ỦY BAN NHÂN DÂN", 13, bold=True) * 0.4, 1), left_w))
        qh = "CỘNG HÒA XHCN VIỆT NAM" if f == "quoc_hieu_wrong" else "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        right.append(p(st(13, bold=True), qh))
        motto, motto_size = "Độc lập - Tự do - Hạnh phúc", 14
        number = "Số:15/KH-UBND" if f == "number_no_space" else "Số: 15/KH-UBND"
    else:
        left += [p(st(14), "TỈNH ỦY HÀ NAM"), p(st(14, bold=True), "BAN TUYÊN GIÁO")]
        if f != "no_star":
            left.append(p(st(14), "*"))
        motto, motto_size = "ĐẢNG CỘNG SẢN VIỆT NAM", 15
        number = "Số: 12-KH/BTGTU" if f == "number_no_space" else "Số 12-KH/BTGTU"
    right.append(p(st(motto_size, bold=True, underline=f == "motto_underlined"), motto))
    width = round(text_width_mm(motto, motto_size, bold=True), 1)
    if f == "motto_underscores":
        right.append(p(st(14), "_" * 20))
    elif f == "short_line":
        right.append(rule(round(width * 0.6, 1), right_w))
    elif f != "motto_underlined":
        right.append(rule(width, right_w))
    date = "Hà Nam, ngày 5 tháng 3 năm 2024" if f == "date_unpadded" else "Hà Nam, ngày 05 tháng 3 năm 2024"
    header = (
        '<table:table table:name="DauTrang" table:style-name="T1"><table:table-column table:style-name="T1A"/>'
        '<table:table-column table:style-name="T1B"/>'
        f'<table:table-row><table:table-cell table:style-name="C1">{"".join(left)}</table:table-cell>'
        f'<table:table-cell table:style-name="C1">{"".join(right)}</table:table-cell></table:table-row>'
        f'<table:table-row><table:table-cell table:style-name="C1">{p(st(13 if state else 14, before=6), number)}'
        f'</table:table-cell><table:table-cell table:style-name="C1">{p(st(14, italic=True, before=6), date)}'
        "</table:table-cell></table:table-row></table:table>"
    )
    # --- type name, subject and its short line, body
    subject = "Tuyên truyền kỷ niệm các ngày lễ lớn năm 2024"
    body_style = st(body_size, align="justify", indent=10, font=body_font, before=6)
    if f in ("no_indent", "left_aligned", "cramped"):  # the second paragraph, as a clerk retyped it
        second = st(body_size, align="left" if f == "left_aligned" else "justify", indent=0 if f == "no_indent" else 10,
                    font=body_font, before=0 if f == "cramped" else 6)  # fmt: skip
    else:
        second = body_style
    dieu = "Điều 1: Mục đích" if f == "dieu_colon" else "Điều 1. Mục đích"
    text = [
        p(st(14 if state else 16, bold=True, before=18), "KẾ HOẠCH"),
        p(st(14, bold=True), subject),
        rule(round(text_width_mm(subject, 14, bold=True) / 3, 1), 160 + 2 * PAD),
        p(st(14, bold=True, align="justify", indent=10, before=6), dieu),
        p(body_style, "Tuyên truyền sâu rộng trong cán bộ, đảng viên và Nhân dân về ý nghĩa của các ngày lễ lớn."),
        p(second, "Các cơ quan, đơn vị chủ động phối hợp, bảo đảm thiết thực, tiết kiệm, hiệu quả, đúng quy định."),
        p(
            st(14, bold=True, align="justify", indent=10, before=6),
            "Điều 3. Tổ chức thực hiện" if f == "dieu_skipped" else "Điều 2. Tổ chức thực hiện",
        ),
        p(body_style, "Văn phòng Ban theo dõi, đôn đốc, tổng hợp kết quả thực hiện Kế hoạch này, báo cáo định kỳ."),
    ]
    # --- signature table: Nơi nhận | signature block
    if state:
        label = p(st(12, bold=f != "label_plain", italic=True, align="left", before=6), "Nơi nhận:")
        items = [p(st(11, align="left"), "- Thường trực Tỉnh ủy;"), p(st(11, align="left"), "- Lưu: VT, VP.")]
        wrong = {"prefix_no_dot": "TM ỦY BAN NHÂN DÂN", "party_prefix": "T/M ỦY BAN NHÂN DÂN"}
        first = wrong.get(f, "TM. ỦY BAN NHÂN DÂN")
        titles = [first, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    else:
        label = p(st(14, underline=f != "label_plain", align="left", before=6), "Nơi nhận:")
        items = [p(st(12, align="left"), "- Thường trực Tỉnh ủy;"), p(st(12, align="left"), "- Lưu Văn phòng Ban.")]
        titles = ["KT. TRƯỞNG BAN" if f == "state_prefix" else "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]
    sign = [p(st(14, bold=True, before=6 if i == 0 else 0), t) for i, t in enumerate(titles)]
    sign += [p(st(14)), p(st(14)), p(st(14)), p(st(14, bold=True), "Nguyễn Văn An")]
    signature = (
        '<table:table table:name="ChuKy" table:style-name="T2"><table:table-column table:style-name="T2A"/>'
        '<table:table-column table:style-name="T2B"/>'
        f'<table:table-row><table:table-cell table:style-name="C1">{label}{"".join(items)}</table:table-cell>'
        f'<table:table-cell table:style-name="C1">{"".join(sign)}</table:table-cell></table:table-row></table:table>'
    )
    left_margin = (25 if state else 12) if f == "margin" else 30
    right_margin = 20 if state else 15
    auto = (
        '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="210mm" '
        f'fo:page-height="297mm" fo:margin-top="20mm" fo:margin-bottom="20mm" fo:margin-left="{left_margin}mm" '
        f'fo:margin-right="{right_margin}mm"/></style:page-layout>'
        f'<style:style style:name="T1" style:family="table"><style:table-properties style:width="{left_w + right_w}mm" '
        'table:align="left"/></style:style>'
        f'<style:style style:name="T1A" style:family="table-column"><style:table-column-properties '
        f'style:column-width="{left_w}mm"/></style:style>'
        f'<style:style style:name="T1B" style:family="table-column"><style:table-column-properties '
        f'style:column-width="{right_w}mm"/></style:style>'
        '<style:style style:name="T2" style:family="table"><style:table-properties style:width="160mm" '
        'table:align="left"/></style:style>'
        '<style:style style:name="T2A" style:family="table-column"><style:table-column-properties '
        'style:column-width="62mm"/></style:style>'
        '<style:style style:name="T2B" style:family="table-column"><style:table-column-properties '
        'style:column-width="98mm"/></style:style>'
        '<style:style style:name="C1" style:family="table-cell">'
        f'<style:table-cell-properties fo:padding-left="{PAD}mm" '
        f'fo:padding-right="{PAD}mm" fo:padding-top="0mm" fo:padding-bottom="0mm" fo:border="none"/></style:style>'
        + "".join(styles)
    )
    del paras
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">'
        '<office:font-face-decls><style:font-face style:name="Times New Roman" '
        'svg:font-family="\'Times New Roman\'" style:font-family-generic="roman"/>'
        '<style:font-face style:name="Arial" svg:font-family="Arial" style:font-family-generic="swiss"/>'
        "</office:font-face-decls>"
        '<office:styles><style:default-style style:family="paragraph"><style:text-properties '
        'style:font-name="Times New Roman" style:font-name-asian="Times New Roman" '
        'style:font-name-complex="Times New Roman" fo:font-size="14pt" fo:language="vi" fo:country="VN"/>'
        "</style:default-style></office:styles>"
        f"<office:automatic-styles>{auto}</office:automatic-styles>"
        '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/>'
        "</office:master-styles>"
        f"<office:body><office:text>{header}{''.join(text)}{signature}</office:text></office:body></office:document>"
    )


def corpus() -> dict[str, tuple[str, str | None, str | None]]:
    """name → (system, flaw, expected rule id): the clean documents and one per flaw and system."""
    out: dict[str, tuple[str, str | None, str | None]] = {
        "sach-nha-nuoc": ("nha_nuoc", None, None),
        "sach-dang": ("dang", None, None),
    }
    for flaw, per_system in FLAWS.items():
        for system, rule in per_system.items():
            out[f"{flaw}-{system.replace('_', '-')}"] = (system, flaw, rule)
    return out
