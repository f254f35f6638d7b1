"""Read a PDF into the checker's lines: words grouped into line segments (same baseline, no wide gap) with
their faces and sizes (pdfplumber), thin filled rectangles and strokes as drawn lines, and the document's
own facts only a PDF shows: page size, faces embedded or not (pypdf)."""

from __future__ import annotations

import re
from pathlib import Path

from ..quiet import silenced
from . import limits
from .model import Line, PageSetup, Sheet
from .package import CheckInputError, read_regular

PT_TO_MM = 25.4 / 72
_SUBSET = re.compile(r"^[A-Z]{6}\+")


def family(fontname: str) -> str:
    """'KZUJSR+Liberation-Serif-Bold' → 'Liberation Serif'; 'TimesNewRomanPS-BoldMT' → 'TimesNewRoman'."""
    name = _SUBSET.sub("", fontname)
    name = re.split(r"[-,](?:Bold|Italic|Oblique|Regular|Roman|BoldItalic|BoldOblique)\b", name)[0]
    name = re.sub(r"(PS)?(MT)?$", "", re.sub(r"(PS)?-?(Bold|Italic|BoldItalic)?(MT)?$", "", name))
    return name.replace("-", " ").strip() or fontname


def read_pdf(path: Path) -> Sheet:
    # pypdf and pdfminer log every repaired object of a damaged file; the report says what matters
    with silenced("pypdf", "pdfminer"):
        return _read_pdf(path)


def _read_pdf(path: Path) -> Sheet:
    import io

    data = read_regular(path, limits.MAX_FILE_BYTES)
    if not data.startswith(b"%PDF"):
        raise CheckInputError("pdf-hong", "không phải tệp PDF")
    try:
        import pdfplumber
        from pypdf import PdfReader
    except ImportError:
        raise CheckInputError(
            "thieu-thu-vien", "kiểm tra PDF cần pdfplumber và pypdf: pip install 'quyche[pdf]'"
        ) from None
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(""):  # an owner password alone still lets anyone read
            raise CheckInputError("pdf-co-mat-khau", "PDF có mật khẩu, không đọc được")
        n = len(reader.pages)
        if n > limits.MAX_PDF_PAGES:
            raise CheckInputError("pdf-qua-lon", f"PDF có {n} trang, quá giới hạn {limits.MAX_PDF_PAGES}")
        not_embedded = _not_embedded(reader)
        pdfa, fields = _claims(reader)
        facts = {"encrypted": encrypted, **(_pdfa_facts(reader) if pdfa else {})}
        lines: list[Line] = []
        pages: list[PageSetup] = []
        used: set[str] = set()
        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            for pno, page in enumerate(pdf.pages, 1):
                setup = PageSetup(float(page.width) * PT_TO_MM, float(page.height) * PT_TO_MM)
                pages.append(setup)
                page_lines = _page_lines(page, pno, used)
                setup.text_box_mm = _text_box(page)
                if pno == 1 and pages:
                    pages[0].number_on_first_page = any(
                        ln.text.isdigit() and (ln.top_mm or 99) < 20 for ln in page_lines
                    )
                if pno > 1:
                    _page_number(setup, page_lines)
                lines.extend(page_lines)
                page.flush_cache()
    except CheckInputError:
        raise
    except Exception as exc:  # a malformed PDF: pdfminer/pypdf raise many kinds; report, never crash
        raise CheckInputError("pdf-hong", f"PDF hỏng, không đọc được: {type(exc).__name__}: {exc}") from None
    return Sheet(
        str(path), "pdf", lines, pages, fonts_not_embedded=not_embedded, fonts_used=used, pdfa=pdfa,
        signature_fields=fields, pdf_facts=facts,
    )  # fmt: skip


_NUMERAL = re.compile(r"^(-\s*)?(\d{1,3}|[ivxlc]{1,6}|[IVXLC]{1,6})(\s*-)?$")
BAND_MM = 20.0  # the page number stands in the top (or bottom) margin: the least margin is 20 mm


def _page_number(setup: PageSetup, page_lines: list[Line]) -> None:
    """Pages 2+: a lone numeral in the top band (ND30-PL1 §I.7: centred in the top margin), else in the bottom."""
    setup.number_later = False
    for ln in page_lines:
        top = ln.top_mm or 0.0
        band = "top" if top < BAND_MM else "bottom" if top > setup.height_mm - BAND_MM else ""
        m = _NUMERAL.match(ln.text.strip())
        if not band or m is None:
            continue
        centre = ((ln.x_mm or 0.0) + ln.ref[0]) / 2
        text_centre = sum(setup.text_box_mm) / 2 if setup.text_box_mm else setup.width_mm / 2
        centred = min(abs(centre - setup.width_mm / 2), abs(centre - text_centre)) <= 8
        setup.number_later = True
        setup.number_format = "decimal" if m.group(2).isdigit() else "roman"
        setup.number_align = "bottom" if band == "bottom" else "center" if centred else "left"
        ln.role = "so_trang"
        if band == "top":
            return


def _claims(reader) -> tuple[str | None, list[tuple[str, bool]]]:
    """What the file says of itself: its PDF/A claim (XMP pdfaid) and its signature fields, signed or empty."""
    pdfa = None
    xmp = reader.xmp_metadata
    if xmp is not None and xmp.pdfaid_part:
        pdfa = f"{xmp.pdfaid_part}{xmp.pdfaid_conformance or ''}"
    fields = [
        (str(name), "/V" in field) for name, field in (reader.get_fields() or {}).items() if field.get("/FT") == "/Sig"
    ]
    return pdfa, fields


def _pdfa_facts(reader) -> dict:
    """What a PDF/A claim needs beyond embedded fonts (ISO 19005-2 §6.2.3, §6.6.3): a PDF/A OutputIntent, and
    Info entries equal to their XMP counterparts."""
    root = reader.trailer["/Root"]
    intents = root.get("/OutputIntents")
    intents = intents.get_object() if intents is not None else []
    output_intent = any(str(i.get_object().get("/S")) in ("/GTS_PDFA1", "/GTS_PDFA") for i in intents)
    xmp, info = reader.xmp_metadata, reader.metadata or {}

    def first(value) -> str | None:
        if isinstance(value, dict):
            return value.get("x-default") or next(iter(value.values()), None)
        if isinstance(value, list):
            return ", ".join(value) if value else None
        return value

    pairs = {
        "/Title": lambda: first(xmp.dc_title),
        "/Author": lambda: first(xmp.dc_creator),
        "/Subject": lambda: first(xmp.dc_description),
        "/Keywords": lambda: xmp.pdf_keywords,
        "/Producer": lambda: xmp.pdf_producer,
        "/Creator": lambda: xmp.xmp_creator_tool,
    }
    mismatch = []
    for key, get in pairs.items():
        value = info.get(key)
        if value and xmp is not None and str(get() or "") != str(value):
            mismatch.append(key.lstrip("/"))
    return {"output_intent": output_intent, "xmp_mismatch": mismatch}


def _text_box(page) -> tuple[float, float] | None:
    """Left and right edges (mm) of the text below the header band (the header table may stand 3.5 mm into
    the left margin and 9 mm into the right one, ND30 template): what the margins let through."""
    xs = [(c["x0"], c["x1"]) for c in page.chars if c["top"] * PT_TO_MM > 60 and c["text"].strip()]
    if not xs:
        return None
    return min(x[0] for x in xs) * PT_TO_MM, max(x[1] for x in xs) * PT_TO_MM


def _not_embedded(reader) -> list[str]:
    out: set[str] = set()
    for page in reader.pages:
        res = page.get("/Resources")
        fonts = res.get_object().get("/Font") if res is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                kids = font.get("/DescendantFonts")
                desc = kids.get_object()[0].get_object().get("/FontDescriptor") if kids else None
            if desc is None:
                if font.get("/Subtype") != "/Type3":
                    out.add(family(str(font.get("/BaseFont", "?")).lstrip("/")))
                continue
            d = desc.get_object()
            if not any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                out.add(family(str(d.get("/FontName", "?")).lstrip("/")))
    return sorted(out)


def _page_lines(page, pno: int, used: set[str]) -> list[Line]:
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False, use_text_flow=False)
    rows: list[list[dict]] = []
    for wd in sorted(words, key=lambda x: (round(x["bottom"]), x["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - wd["bottom"]) < 2 and wd["x0"] - rows[-1][-1]["x1"] < 1.5 * wd["size"]:
            rows[-1].append(wd)
        elif rows and abs(rows[-1][0]["bottom"] - wd["bottom"]) < 2 and False:
            continue
        else:
            placed = False
            for row in rows[::-1][:4]:
                if abs(row[0]["bottom"] - wd["bottom"]) < 2 and 0 <= wd["x0"] - row[-1]["x1"] < 1.5 * wd["size"]:
                    row.append(wd)
                    placed = True
                    break
            if not placed:
                rows.append([wd])
    rows.sort(key=lambda r: (round(r[0]["top"] / 3), r[0]["x0"]))
    rects = [r for r in page.rects if r["height"] <= 2.5 and r["width"] > 8] + [
        ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 1 and ln["width"] > 8
    ]
    mid = float(page.width) / 2
    out: list[Line] = []
    for i, row in enumerate(rows, 1):
        faces = [w["fontname"] for w in row]
        for f in faces:
            used.add(family(f))
        x0, x1 = row[0]["x0"], row[-1]["x1"]
        bottom = max(w["bottom"] for w in row)
        size = max(float(w["size"]) for w in row)
        under = [r for r in rects if -3 <= r["top"] - bottom < 0.5 * size and r["x0"] < x1 and r["x1"] > x0]
        rule = max((r["x1"] - r["x0"] for r in under), default=None)
        bold = {("Bold" in f or "bold" in f) for f in faces}
        italic = {("Italic" in f or "Oblique" in f) for f in faces}
        out.append(
            Line(
                text=" ".join(w["text"] for w in row),
                index=i,
                page=pno,
                column="left" if x1 < mid + 5 and x0 < mid - 40 else "right",
                sizes=tuple(round(float(w["size"]) * 2) / 2 for w in row),
                bold=bold.pop() if len(bold) == 1 else None,
                italic=italic.pop() if len(italic) == 1 else None,
                underline=bool(rule and rule >= 0.9 * (x1 - x0)),
                rule_mm=round(rule * PT_TO_MM, 1) if rule else None,
                x_mm=x0 * PT_TO_MM,
                top_mm=row[0]["top"] * PT_TO_MM,
                ref=(x1 * PT_TO_MM, bottom * PT_TO_MM),
            )
        )
    return _join(out)


def _join(lines: list[Line]) -> list[Line]:
    """Lines of one justified paragraph become one line: the previous one runs to the right edge of the text,
    this one starts at the left edge, the same size and faces, one line below."""
    if not lines:
        return lines
    right = max(ln.ref[0] for ln in lines)
    left = min(ln.x_mm or 0 for ln in lines)
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.ref[0] >= right - 6
            and (prev.x_mm or 0) <= left + 15
            and (ln.x_mm or 0) <= left + 3
            and prev.size == ln.size
            and 0 < (ln.top_mm or 0) - (prev.top_mm or 0) < 2.2 * (ln.size or 14) * PT_TO_MM
        ):
            prev.text = f"{prev.text} {ln.text}"
            prev.sizes = prev.sizes + ln.sizes
            prev.bold = prev.bold if prev.bold == ln.bold else None
            prev.italic = prev.italic if prev.italic == ln.italic else None
            prev.ref = ln.ref
            prev.top_mm = ln.top_mm
            continue
        out.append(ln)
    for i, ln in enumerate(out, 1):
        ln.index = i
    return out
