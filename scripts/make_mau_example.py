"""Build data/mau/giay-moi-van-phong.docx: the starter of ``quyche mau tao giay_moi --he-thong dang``
rearranged and restyled as an office would in Word — the event's details in a bordered table, the invited
list as dashes, its own type-name size — while the header and signature blocks stay quyche's
(``{{p header }}``, ``{{p chu_ky }}``).

    .venv/bin/python scripts/make_mau_example.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from quyche.render.docx_styles import style_name

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "data" / "mau" / "giay-moi-van-phong.docx"


def starter() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "gm.docx"
        cmd = [sys.executable, "-m", "quyche", "mau", "tao", "giay_moi", "--he-thong", "dang", "-o", str(out)]
        subprocess.run(cmd, check=True, capture_output=True)
        return out.read_bytes()


def _borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    # CT_TblPr order (ECMA-376 Part 1, §17.4.60): tblBorders comes before shd, tblLayout, tblCellMar, tblLook
    later = {"shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"}
    after = next((c for c in tbl_pr if c.tag.split("}")[-1] in later), None)
    if after is not None:
        after.addprevious(borders)
    else:
        tbl_pr.append(borders)


def _font(run) -> None:
    """Times New Roman on every script of the run, as quyche's own runs (the-thuc §6 item 2)."""
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Times New Roman")


def main() -> None:
    doc = Document(io.BytesIO(starter()))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)

    ten_loai = doc.styles[style_name("ten_loai")]
    ten_loai.font.size = Pt(16)  # the office prints its invitations' type name larger
    ten_loai.paragraph_format.space_before = Pt(12)
    doan = doc.styles[style_name("doan")]
    doan.paragraph_format.space_after = Pt(3)

    ve_viec = doc.styles.add_style("QC ve_viec", WD_STYLE_TYPE.PARAGRAPH)
    ve_viec.base_style = doan
    ve_viec.font.italic = True
    ve_viec.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ve_viec.paragraph_format.first_line_indent = Mm(0)
    bang = doc.styles.add_style("QC bang", WD_STYLE_TYPE.PARAGRAPH)
    bang.base_style = doan
    bang.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    bang.paragraph_format.first_line_indent = Mm(0)
    bang.paragraph_format.space_after = Pt(0)

    def para(text: str, style: str = style_name("doan"), **fmt) -> None:
        p = doc.add_paragraph(text, style=style)
        for key, value in fmt.items():
            setattr(p.paragraph_format, key, value)
        for run in p.runs:
            _font(run)

    para("{{p header }}", style_name("mau_the"))
    para("{{ ten_loai }}", style_name("ten_loai"))
    para("Về việc dự {{ su_kien }}", "QC ve_viec")
    para("{%p if kinh_moi %}", style_name("mau_the"))
    para("{{ du_lieu.co_quan[0].ten }} trân trọng kính mời: {{ kinh_moi }}.")
    para("{%p else %}", style_name("mau_the"))
    para("{{ du_lieu.co_quan[0].ten }} trân trọng kính mời:")
    para("{%p endif %}", style_name("mau_the"))
    para("{%p for x in thanh_phan %}", style_name("mau_the"))
    para("- {{ x }}{{ ';' if not loop.last else '.' }}")
    para("{%p endfor %}", style_name("mau_the"))
    table = doc.add_table(rows=3, cols=2)
    _borders(table)
    cells = [
        ("{%tr for d in noi_dung if d.vai_tro == 'giay_moi_muc' %}", ""),
        ("{{ d.van_ban.split(': ', 1)[0] }}", "{{ d.van_ban.split(': ', 1)[1] }}"),
        ("{%tr endfor %}", ""),
    ]
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), (Mm(35), Mm(130)), strict=True):
        col.set(qn("w:w"), str(width.twips))  # the grid, not only the cells: LibreOffice follows it
    for row, (a, b) in zip(table.rows, cells, strict=True):
        row.cells[0].text, row.cells[1].text = a, b
        row.cells[0].width, row.cells[1].width = Mm(35), Mm(130)
        for cell in row.cells:
            cell.paragraphs[0].style = bang
            for run in cell.paragraphs[0].runs:
                _font(run)
        row.cells[0].paragraphs[0].runs[0].bold = True
    para("{%p for g in ghi_chu %}", style_name("mau_the"))
    para("{{ g }}", space_before=Pt(6))
    para("{%p endfor %}", style_name("mau_the"))
    para("{{ loi_ket }}./.")
    para("{{p chu_ky }}", style_name("mau_the"))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    doc.save(TARGET)
    print(TARGET.relative_to(ROOT))


if __name__ == "__main__":
    main()
