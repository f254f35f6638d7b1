"""Rules on the page and on the type: paper and margins, the font on every run (all four slots of a .docx
run; the faces of a PDF, embedded), the size and weight of each element, the page number on page 1."""

from __future__ import annotations

from .context import Context
from .model import Line

TOL_MM = 0.6  # twips and rounding: a margin of 30 mm is 1701 twips = 30.006 mm
SIZE_ROLES = {
    "quoc_hieu": "sizes.quoc_hieu",
    "tieu_de_dang": "sizes.quoc_hieu",
    "tieu_ngu": "sizes.tieu_ngu",
    "co_quan": "sizes.co_quan",
    "so_ky_hieu": "size.so",
    "dia_danh_ngay": "sizes.dia_danh",
    "ten_loai": "sizes.ten_loai",
    "trich_yeu": "sizes.trich_yeu",
    "trich_yeu_cong_van": "size.trich_yeu_cong_van",
    "can_cu": "sizes.body",
    "dieu": "sizes.body",
    "khoan": "sizes.body",
    "diem": "sizes.body",
    "doan": "sizes.body",
    "chuong": "sizes.chuong",
    "chu_ky_chuc_vu": "sizes.sign",
    "chu_ky_ho_ten": "sizes.sign",
    "noi_nhan_nhan": "size.noi_nhan_label",
    "noi_nhan_muc": "size.noi_nhan_item",
}
PDF_UNSURE = ("doan", "khoan", "diem", "noi_nhan_muc", "chu_ky_ho_ten")
ROLE_NAMES = {
    "quoc_hieu": "Quốc hiệu",
    "tieu_de_dang": 'tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM"',
    "tieu_ngu": "Tiêu ngữ",
    "co_quan": "tên cơ quan",
    "so_ky_hieu": "số, ký hiệu",
    "dia_danh_ngay": "địa danh, ngày tháng",
    "ten_loai": "tên loại văn bản",
    "trich_yeu": "trích yếu",
    "trich_yeu_cong_van": "trích yếu công văn",
    "can_cu": "căn cứ",
    "dieu": "Điều",
    "khoan": "khoản",
    "diem": "điểm",
    "doan": "đoạn văn",
    "chuong": "Chương",
    "chu_ky_chuc_vu": "quyền hạn, chức vụ người ký",
    "chu_ky_ho_ten": "họ tên người ký",
    "noi_nhan_nhan": '"Nơi nhận"',
    "noi_nhan_muc": "mục Nơi nhận",
}
_WEIGHT_TEXT = {"bold": "in đậm, đứng", "italic": "in nghiêng, không đậm", "regular": "đứng, không đậm"}


def fmt(v: float) -> str:
    return f"{v:g}".replace(".", ",")


def check_page(c: Context) -> None:
    if c.sheet.fmt == "docx":
        for n, page in enumerate(c.sheet.pages[:1]):
            _paper(c, page, n)
            _margins(c, page)
    elif c.sheet.pages and c.has("page.paper_mm"):
        for n, page in enumerate(c.sheet.pages, 1):
            _paper(c, page, n)
        _pdf_margins(c)
    if c.sheet.pages and c.sheet.pages[0].number_on_first_page and c.has("page_number.first_page"):
        if c.profile.get("page_number.first_page") == "hidden":
            c.find(
                "page_number.first_page",
                "Trang 1 có số trang; số trang đánh từ trang 2.",
                where="trang 1",
                excerpt="",
                fix="ẩn số trang ở trang đầu (trang đầu riêng)",
            )


def _paper(c: Context, page, n: int) -> None:
    if not c.has("page.paper_mm"):
        return
    w, h = (float(x) for x in c.profile.get("page.paper_mm"))
    dims = sorted((page.width_mm, page.height_mm))
    if abs(dims[0] - min(w, h)) > 1 or abs(dims[1] - max(w, h)) > 1:  # landscape is allowed (ND30-PL1 §I.2)
        c.find(
            "page.paper_mm",
            f"Khổ giấy {fmt(round(page.width_mm))} × {fmt(round(page.height_mm))} mm, "
            f"phải là A4 {fmt(w)} × {fmt(h)} mm.",
            where=f"trang {n}" if c.sheet.fmt == "pdf" else "trang 1",
            excerpt="",
            fix="đặt khổ A4" if c.sheet.fmt == "docx" else "",
        )


def _margins(c: Context, page) -> None:
    if not page.margins_mm:
        return
    names = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
    for side, value in page.margins_mm.items():
        key = f"page.margin_mm.{side}"
        if not c.has(key):
            continue
        rule = c.profile.rule(key)
        lo, hi = rule.range or (float(rule.value), float(rule.value))
        if value < lo - TOL_MM or value > hi + TOL_MM:
            c.find(
                key,
                f"Lề {names[side]} {fmt(round(value, 1))} mm, ngoài khoảng {fmt(lo)}–{fmt(hi)} mm.",
                where="trang 1",
                excerpt="",
                fix=f"đặt lề {names[side]} {fmt(c.profile.get(key))} mm",
                side=side,
                value=float(c.profile.get(key)),
            )


def _pdf_margins(c: Context) -> None:
    """A PDF shows no margins, only where the text stands: text further out than the narrowest margin the
    profile allows means that margin is too narrow (a wide margin cannot be told from short lines)."""
    for n, page in enumerate(c.sheet.pages, 1):
        if page.text_box_mm is None:
            continue
        left, right = page.text_box_mm[0], page.width_mm - page.text_box_mm[1]
        for side, value in (("left", left), ("right", right)):
            key = f"page.margin_mm.{side}"
            if not c.has(key):
                continue
            rule = c.profile.rule(key)
            lo = rule.range[0] if rule.range else float(rule.value)
            if value < lo - 1.0:
                name = "trái" if side == "left" else "phải"
                c.find(
                    key,
                    f"Chữ cách mép {name} {fmt(round(value, 1))} mm: lề {name} hẹp hơn {fmt(lo)} mm.",
                    where=f"trang {n}",
                    excerpt="",
                )
                return


def check_fonts(c: Context) -> None:
    if not c.has("font.family"):
        return
    want = str(c.profile.get("font.family"))
    if c.sheet.fmt == "pdf":
        ok = {x.replace(" ", "").lower() for x in c.profile.get("font.pdf_equivalents", [want])}
        bad = sorted(f for f in c.sheet.fonts_used if f.replace(" ", "").lower() not in ok)
        if bad:
            c.find(
                "font.family", f"Phông {', '.join(bad)} không phải {want} (hay phông cùng số đo).", where="", excerpt=""
            )
        if c.sheet.fonts_not_embedded and c.has("font.embedded"):
            c.find(
                "font.embedded",
                f"Phông không được nhúng: {', '.join(sorted(c.sheet.fonts_not_embedded))}.",
                where="",
                excerpt="",
            )
        return
    for ln in c.sheet.lines:
        main = {f for slot in ("ascii", "hAnsi") for f in ln.fonts.get(slot, ()) if f.lower() != want.lower()}
        other = {f for slot in ("eastAsia", "cs") for f in ln.fonts.get(slot, ()) if f and f.lower() != want.lower()}
        if main:
            c.find("font.family", f"Phông {', '.join(sorted(main))}, phải là {want}.", ln, fix=f"đặt {want}")
        elif other:
            c.find(
                "font.family",
                f"Phông {', '.join(sorted(other))} ở ô phông châu Á/phức hợp, phải là {want}.",
                ln,
                fix=f"đặt {want} cho cả bốn ô phông",
                severity="warning",
            )


def size_set(c: Context) -> str:
    table = c.profile.get("sizes")
    body = [s for ln in c.sheet.lines if ln.role in ("doan", "khoan", "dieu") for s in ln.sizes]
    if body:
        common = max(set(body), key=body.count)
        for name, sizes in table.items():
            if abs(float(sizes["body"]) - common) < 0.3:
                return name
    chosen = str(c.profile.get("size_set"))
    return chosen if chosen in table else next(iter(table))


def expected_size(c: Context, key: str, chosen: str) -> tuple[float, tuple[float, float] | None]:
    if key.startswith("sizes."):
        return float(c.profile.get("sizes")[chosen][key.split(".", 1)[1]]), None
    rule = c.profile.rule(key)
    return float(c.profile.get(key)), rule.range


def check_sizes(c: Context) -> None:
    if not c.has("sizes"):
        return
    chosen = size_set(c)
    for ln in c.sheet.lines:
        key = SIZE_ROLES.get(ln.role)
        if key is None or not ln.sizes or not c.has(key) or (ln.zone == "table" and key == "sizes.body"):
            continue
        if c.sheet.fmt == "pdf" and ln.role in PDF_UNSURE:
            continue  # a PDF has no paragraphs or tables: table cells and continued lines look like these
        want, rng = expected_size(c, key, chosen)
        bad = sorted({s for s in ln.sizes if not _size_ok(s, want, rng)})
        if bad:
            allowed = f"{fmt(rng[0])}–{fmt(rng[1])}" if rng else fmt(want)
            c.find(
                key,
                f"Cỡ chữ {ROLE_NAMES[ln.role]} {', '.join(fmt(b) for b in bad)} pt, phải là {allowed} pt.",
                ln,
                fix=f"đặt cỡ {fmt(want)} pt",
                size=want,
            )


def check_pdf_body_size(c: Context) -> None:
    """A PDF has no paragraphs: the size most of the running text has must be the body size."""
    if c.sheet.fmt != "pdf" or not c.has("sizes"):
        return
    body = [ln for ln in c.sheet.lines if ln.role in ("doan", "khoan", "diem") and ln.sizes]
    sizes = [s for ln in body for s in ln.sizes]
    if not sizes:
        return
    common = max(set(sizes), key=sizes.count)
    allowed = {float(v["body"]) for v in c.profile.get("sizes").values()}
    if all(abs(common - a) >= 0.3 for a in allowed):
        first = next(ln for ln in body if common in ln.sizes)
        c.find(
            "sizes.body",
            f"Cỡ chữ phần lớn nội dung {fmt(common)} pt, phải là {' hoặc '.join(fmt(a) for a in sorted(allowed))} pt.",
            first,
        )


def _size_ok(s: float, want: float, rng: tuple[float, float] | None) -> bool:
    if rng:
        return rng[0] - 0.3 <= s <= rng[1] + 0.3
    return abs(s - want) < 0.3


def check_weights(c: Context) -> None:
    if not c.has("weights"):
        return
    table = c.profile.get("weights")
    for ln in c.sheet.lines:
        want = table.get(ln.role)
        if want is None or not ln.sizes:
            continue
        if ln.role in ("tieu_ngu", "quoc_hieu") and c.ident.lead != "nha_nuoc":
            continue
        ok = _weight_ok(ln, want)
        if not ok:
            c.find(
                f"weights.{ln.role}",
                f"{ROLE_NAMES[ln.role][:1].upper()}{ROLE_NAMES[ln.role][1:]} phải {_WEIGHT_TEXT[want]}.",
                ln,
            )


def _weight_ok(ln: Line, want: str) -> bool:
    if want == "bold":
        return ln.bold is True and ln.italic is not True
    if want == "italic":
        return ln.italic is True and ln.bold is not True
    return ln.bold is False and ln.italic is False
