"""Signing inputs read as untrusted: the PDF, the signature images (bounded, regular files; budget.py)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from .. import budget
from ..files import InputFileError, read_bounded
from .layout import DEFAULT_SEAL_MM, MM, _Picture
from .model import SignError
from .pdfcheck import check_page_tree, check_structure

if TYPE_CHECKING:
    from PIL.Image import Image


def _short(exc: BaseException) -> str:
    """A library's message, short and printable: an error names the problem, never quotes the input."""
    text = "".join(c if c.isprintable() else "?" for c in str(exc))[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_file(path: Path, what: str, limit_key: str = "pdf_bytes") -> bytes:
    """A regular file's bytes, bounded (files.py: no FIFO, no device, at most the budget)."""
    path = Path(path)
    if not path.exists():
        raise SignError("tep-khong-doc-duoc", f"Không tìm thấy {what} {path}.")
    if path.is_dir():
        raise SignError("tep-khong-doc-duoc", f"{path} là thư mục, không phải {what}.")
    try:
        return read_bounded(path, limit_key, what)
    except InputFileError as exc:
        code = "vuot-gioi-han" if exc.code == "tep-qua-lon" else exc.code
        raise SignError(code, f"Không đọc {exc.detail}.") from None


def _open_pdf(path: Path) -> bytes:
    data = _read_file(path, "tệp PDF", "pdf_bytes")
    if b"%PDF-" not in data[:1024]:  # ISO 32000-1, 7.5.2: the header is at the start of the file
        raise SignError(
            "khong-phai-pdf",
            f"{path} không phải tệp PDF.",
            "xuất văn bản ra PDF trước (quyche render … -f pdf) rồi ký tệp .pdf đó.",
        )
    check_structure(data)  # /Contents, nesting, stream expansion, objects: before pyHanko parses anything
    return data


def _reader(data: bytes, path: Path) -> PdfFileReader:
    try:
        reader = PdfFileReader(io.BytesIO(data))
        reader.root  # noqa: B018 — forces the trailer and the catalogue to be read
        if not reader.encrypted:
            check_page_tree(reader)  # a /Kids loop is an error here, not a hang later
    except SignError:
        raise
    except RecursionError:
        raise SignError("vuot-gioi-han", f"Tệp PDF {path} lồng quá sâu để đọc.") from None
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError) as exc:
        raise SignError("pdf-hong", f"Tệp PDF {path} bị hỏng, không đọc được ({_short(exc)}).") from None
    if reader.encrypted:
        raise SignError(
            "pdf-co-mat-khau",
            f"Tệp PDF {path} được đặt mật khẩu; quyche chưa ký được tệp PDF mã hóa.",
            "bỏ mật khẩu của tệp PDF rồi ký lại.",
        )
    return reader


def header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from a PNG's IHDR or a JPEG's SOF marker; None for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] != b"\xff\xd8":
        return None
    i, n = 2, len(data)
    while i + 9 < n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        seg = int.from_bytes(data[i + 2 : i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # SOFn: precision, height, width
            return int.from_bytes(data[i + 7 : i + 9], "big"), int.from_bytes(data[i + 5 : i + 7], "big")
        i += 2 + seg
    return None


def _load_picture(path: Path, kind: str, warnings: list[str], size_mm: float | None = None) -> _Picture:
    """A PNG for the appearance, as RGBA, with its natural size when its resolution is known, and warnings
    when it is not what NĐ 30/2020, Phụ lục I, II.7.d / II.8.a asks for (transparent; blue / red)."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    label = "ảnh chữ ký" if kind == "signer" else "ảnh dấu"
    data = _read_file(path, label, "image_bytes")
    dims = header_size(data)  # from the PNG/JPEG header itself, before any decoder runs
    cap = budget.limit("image_pixels")
    try:
        if dims is None:  # not a PNG or JPEG header we read ourselves: Pillow's header parse, still no decoding
            dims = PILImage.open(io.BytesIO(data), formats=("PNG", "JPEG")).size
        if dims[0] * dims[1] > cap:
            raise SignError(
                "vuot-gioi-han",
                f"{label.capitalize()} {path.name} có {dims[0]} × {dims[1]} điểm ảnh, quá giới hạn "
                f"{budget.human(cap, 'điểm ảnh')} (QUYCHE_MAX_IMAGE_PIXELS).",
                "dùng ảnh nhỏ hơn: con dấu 36 mm ở 600 DPI chỉ cần khoảng 850 × 850 điểm ảnh.",
            )
        img = PILImage.open(io.BytesIO(data), formats=("PNG", "JPEG"))
        img.load()
    except SignError:
        raise
    except (UnidentifiedImageError, PILImage.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        raise SignError("anh-khong-hop-le", f"Không đọc được {label} {path} ({_short(exc)}).") from None
    if img.format != "PNG":
        warnings.append(f"{label.capitalize()} {path.name} là {img.format}, không phải PNG nền trong suốt.")
    transparent = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    rgba = img.convert("RGBA")
    if not transparent or rgba.getextrema()[3][0] == 255:
        warnings.append(f"{label.capitalize()} {path.name} không có nền trong suốt (cần PNG nền trong suốt).")
    colour = _ink_colour(rgba)
    want = "blue" if kind == "signer" else "red"
    if colour is not None and colour != want:
        warnings.append(
            f"{label.capitalize()} {path.name} không phải màu {'xanh' if want == 'blue' else 'đỏ'} "
            f"(NĐ 30/2020, Phụ lục I, {'II.7.d' if want == 'blue' else 'II.8.a'})."
        )
    size: tuple[float, float] | None = None
    if size_mm is not None:
        w = size_mm * MM
        size = (w, w * rgba.height / rgba.width)
    else:
        dpi = img.info.get("dpi")
        if dpi and dpi[0] and dpi[1] and float(dpi[0]) > 1 and float(dpi[1]) > 1:
            size = (rgba.width * 72 / float(dpi[0]), rgba.height * 72 / float(dpi[1]))
    if size is None and kind == "seal":
        w = DEFAULT_SEAL_MM * MM
        size = (w, w * rgba.height / rgba.width)
        warnings.append(
            f"Ảnh dấu {path.name} không ghi độ phân giải (DPI) nên không biết kích thước thật; "
            f"đã vẽ rộng {DEFAULT_SEAL_MM:g} mm. Dùng ảnh PNG có DPI hoặc ghi rõ đường kính dấu (--co-dau) "
            "(NĐ 30/2020, Phụ lục I, II.8.a)."
        )
    return _Picture(rgba, size)


def _ink_colour(img: Image) -> str | None:
    """ "blue", "red" or "other" for the mean colour of the visible pixels; None when there are none."""
    small = img.copy()
    small.thumbnail((96, 96))
    r_sum = g_sum = b_sum = n = 0
    pixels = small.tobytes()  # RGBA, 4 bytes a pixel
    for i in range(0, len(pixels), 4):
        r, g, b, a = pixels[i : i + 4]
        if a >= 128 and not (r > 230 and g > 230 and b > 230):
            r_sum, g_sum, b_sum, n = r_sum + r, g_sum + g, b_sum + b, n + 1
    if n == 0:
        return None
    r, g, b = r_sum / n, g_sum / n, b_sum / n
    if b > r + 20 and b >= g:
        return "blue"
    if r > g + 40 and r > b + 40:
        return "red"
    return "other"
