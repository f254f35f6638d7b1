"""What a user Word template sees: the validated data and everything quyche composed (model.Document).

Plain values — ``so_ky_hieu``, ``dia_danh_ngay``, ``ten_loai``, ``trich_yeu``, ``dau_trang`` (header lines
per body), ``tieu_de`` (Quốc hiệu and tiêu ngữ, or the Party's title), ``nguoi_ky`` (signature blocks with
their prefixes), ``noi_nhan_dong`` (Nơi nhận lines), ``dieu`` (numbered articles), ``noi_dung`` (every body
paragraph of the built-in layout) — and ready-made sub-documents for the blocks whose layout matters:
``header`` and ``chu_ky``, the header table and the signature table exactly as the built-in renderer draws
them (render/docx.py), written with ``{{p header }}`` / ``{{p chu_ky }}``.

The validated data is also there, each field by its YAML name (``su_kien``, ``thoi_gian``, ``co_quan`` …),
and whole under ``du_lieu``; where a name is both, the composed value wins (``ten_loai``: the printed type).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from ..model import Block, Document, Para, Section, Table

# Computed variables and what they hold (the legend of ``quyche mau tao`` and the lint's known names).
COMPUTED: dict[str, str] = {
    "header": "khối con: bảng đầu văn bản (ô 1–4) đúng như bản dựng sẵn — viết {{p header }}",
    "chu_ky": "khối con: chữ ký và Nơi nhận (ô 7, ô 9) như bản dựng sẵn — viết {{p chu_ky }}",
    "so_ky_hieu": "số và ký hiệu, ví dụ «Số: 12/QĐ-UBND»",
    "dia_danh_ngay": "địa danh và ngày, ví dụ «Lâm Đồng, ngày 28 tháng 11 năm 2016»",
    "ten_loai": "tên loại văn bản in hoa, ví dụ «GIẤY MỜI» (rỗng với công văn)",
    "trich_yeu": "trích yếu nội dung",
    "dau_trang": "các khối cơ quan ở ô 2 (mỗi cơ quan, hay nhóm chung một dấu): .dong (các dòng, đã in hoa)",
    "tieu_de": "các dòng Quốc hiệu, tiêu ngữ (hoặc «ĐẢNG CỘNG SẢN VIỆT NAM»)",
    "nguoi_ky": "danh sách người ký: .co_quan, .ho_ten, .dong (TM., KT., chức vụ …)",
    "noi_nhan_dong": "các dòng Nơi nhận, đã có gạch đầu dòng và dấu chấm phẩy, cả dòng Lưu",
    "dieu": "các điều đã đánh số: .tieu_de («Điều 1. …»), .doan (các đoạn của điều)",
    "noi_dung": "mọi đoạn thân văn bản theo bản dựng sẵn: .vai_tro, .van_ban, .can_giua, .dam (đậm), .nghieng",
    "the_thuc": "mã bộ thể thức, ví dụ nd30-2020",
    "du_lieu": "toàn bộ dữ liệu YAML đã kiểm tra (cũng có sẵn theo tên trường: su_kien, thoi_gian …)",
}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADER_RIGHT = {"quoc_hieu", "tieu_ngu", "tieu_de_dang"}
_SKIP_BODY = {"ten_loai", "trich_yeu"}


def build_context(data: Any, document: Document) -> tuple[dict[str, Any], dict[str, str]]:
    """(the template's variables, the styles the sub-documents need: styleId → <w:style> XML)."""
    blocks = list(document.sections[0].blocks)
    header = next((b for b in blocks if isinstance(b, Table) and b.role == "dau_trang"), None)
    at = next((i for i, b in enumerate(blocks) if isinstance(b, Table) and b.role == "chu_ky"), len(blocks))
    ending = blocks[at:]  # the signature table and what follows it (joint documents: Nơi nhận under the table)
    body = [b for b in blocks[:at] if isinstance(b, Para) and b.text.strip()]
    plain = data.model_dump(mode="json") if hasattr(data, "model_dump") else dict(data or {})
    ctx: dict[str, Any] = dict(plain)
    ctx["du_lieu"] = plain
    styles: dict[str, str] = {}
    ctx["header"], s1 = _subdoc(document, [header] if header else [])
    ctx["chu_ky"], s2 = _subdoc(document, ending)
    styles.update(s1)
    styles.update(s2)
    paras = _paras_of(header)
    ctx["so_ky_hieu"] = document.so_ky_hieu
    ctx["dia_danh_ngay"] = next((p.text for p in paras if p.role == "dia_danh_ngay"), "")
    ctx["tieu_de"] = [p.text for p in paras if p.role in _HEADER_RIGHT]
    ctx["dau_trang"] = _agency(header)
    ctx["ten_loai"] = next((p.text for p in body if p.role == "ten_loai"), "")
    ctx["trich_yeu"] = next((p.text for p in body if p.role == "trich_yeu"), plain.get("trich_yeu", ""))
    ctx["nguoi_ky"] = [
        {"co_quan": s.co_quan, "ho_ten": s.ho_ten, "dong": list(s.lines), "ma": s.id} for s in document.signers
    ]
    ctx["noi_nhan_dong"] = [p.text for p in _walk(ending) if p.role == "noi_nhan_muc"]
    ctx["noi_dung"] = [
        {
            "vai_tro": p.role,
            "van_ban": p.text,
            "can_giua": p.align == "center",
            "dam": bool(p.runs) and all(r.bold for r in p.runs),
            "nghieng": bool(p.runs) and all(r.italic for r in p.runs),
        }
        for p in body
        if p.role not in _SKIP_BODY
    ]
    ctx["dieu"] = _articles(ctx["noi_dung"])
    ctx["the_thuc"] = document.profile_id
    return ctx, styles


def _paras_of(table: Table | None) -> list[Para]:
    return _walk([table]) if table is not None else []


def _walk(blocks: list[Block]) -> list[Para]:
    """Every paragraph of ``blocks``, inside tables too, in reading order."""
    out: list[Para] = []
    for b in blocks:
        if isinstance(b, Para):
            out.append(b)
        elif isinstance(b, Table):
            for row in b.rows:
                for cell in row.cells:
                    out.extend(_walk(cell.blocks))
    return out


def _agency(header: Table | None) -> list[dict[str, Any]]:
    """Ô 2 of the header as printed groups, each ending at its mark (a rule for State bodies, "*" for Party
    bodies): one group per body, or per bodies that share a header block or a mark."""
    if header is None or not header.rows:
        return []
    cell = header.rows[0].cells[0]
    groups: list[list[str]] = [[]]
    for b in cell.blocks:
        mark = not isinstance(b, Para) or b.role == "dau_sao"
        if mark:
            if groups[-1]:
                groups.append([])
        elif b.text.strip():
            groups[-1].append(b.text)
    return [{"dong": g} for g in groups if g]


def _articles(body: list[dict[str, str]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in body:
        if p["vai_tro"] == "dieu":
            m = re.match(r"Điều\s+(\d+)", p["van_ban"])
            out.append({"so": int(m.group(1)) if m else len(out) + 1, "tieu_de": p["van_ban"], "doan": []})
        elif out and p["vai_tro"] in ("doan", "khoan", "diem"):
            out[-1]["doan"].append(p["van_ban"])
        elif p["vai_tro"] in ("chuong", "chuong_ten", "muc"):
            continue
    return out


def _subdoc(document: Document, blocks: list[Block]) -> tuple[Markup, dict[str, str]]:
    """Blocks rendered by quyche's own .docx renderer, as body XML ready for ``{{p … }}``, and the styles
    they use. Rendering a Document that holds only these blocks keeps the built-in geometry (widths, indent,
    rules as borders) by construction."""
    if not blocks:
        return Markup(""), {}
    from lxml import etree

    from ..render.docx import DocxRenderer

    page = document.sections[0].page
    alone = replace(document, sections=[Section(list(blocks), page)], signers=list(document.signers))
    data = DocxRenderer().render(alone)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body_root = etree.fromstring(z.read("word/document.xml"))
        styles_root = etree.fromstring(z.read("word/styles.xml"))
    body = body_root.find(f"{{{_W}}}body")
    xml = "".join(etree.tostring(child, encoding="unicode") for child in body if child.tag != f"{{{_W}}}sectPr")  # type: ignore[union-attr]
    styles = {
        st.get(f"{{{_W}}}styleId") or "": etree.tostring(st, encoding="unicode")
        for st in styles_root.iter(f"{{{_W}}}style")
        if (st.get(f"{{{_W}}}styleId") or "").startswith("QC")
    }
    return Markup(xml), styles
