"""Digital signatures: sign a PDF (PAdES) and check the signatures it carries.

Signing follows the electronic form of NĐ 30/2020, Điều 13.7 and Phụ lục I:
- the signer's signature image: blue, transparent PNG, centred between the chức vụ line and the name line
  (Phụ lục I, II.7.d; the-thuc §1.7);
- the agency's signature image: the seal, red, at its actual size, transparent PNG, overlapping about the left
  third of the signer's image (Phụ lục I, II.8.a; the-thuc §1.7);
- the signing time in Vietnam time, UTC+07:00 (Phụ lục I, II.8.a–b; the-thuc §1.9).

The signature is PAdES baseline B-B (ETSI EN 319 142-1, /SubFilter /ETSI.CAdES.detached), B-T when a
timestamp server is configured. It goes into the empty signature field the PDF renderer put over each
signer's block (one per signer, named after the signer), or into a new field on the last page.

Verification reports "intact" (the signed bytes still hash to the signed digest and the signature math
holds) separately from "trusted" (the certificate chains to a root the user trusts): Vietnamese CA roots are
not in the usual trust stores, and a self-signed certificate still yields a checkable signature.

pyHanko is the engine; the optional parts (HarfBuzz shaping, PKCS#11) are imported only when used.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields as sig_fields
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp import TextStampStyle
from pyhanko.stamp.base import BaseStamp

from .output import atomic_write

if TYPE_CHECKING:
    from PIL.Image import Image
    from pyhanko.sign.timestamps import TimeStamper

log = logging.getLogger(__name__)
# pyHanko logs expected outcomes (a self-signed certificate during verification) with tracebacks; without a
# handler anywhere Python prints them through its last-resort handler. A NullHandler keeps API users' stderr
# clean and still lets records propagate to any logging the application configures.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

VN_TZ = timezone(timedelta(hours=7), "+07:00")  # Vietnam keeps UTC+07:00 all year (the-thuc §1.9: ISO 8601)

__all__ = [
    "VN_TZ",
    "SignError",
    "SignResult",
    "SignatureStatus",
    "format_vn_time",
    "sign_pdf",
    "verify_pdf",
]


class SignError(Exception):
    """A user-facing signing or verification problem: a stable code, a Vietnamese message, maybe a hint."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        self.code = code
        self.message = message
        self.hint = hint
        super().__init__(message)

    def format(self) -> str:
        out = f"lỗi [{self.code}] {self.message}"
        return out + (f"\n   gợi ý: {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class SignResult:
    output: Path
    field: str
    signer: str  # common name of the signing certificate
    signing_time: datetime  # in Vietnam time
    created_field: bool  # True when no empty field existed and one was added on the last page
    timestamped: bool  # PAdES B-T (a timestamp token from a TSA) rather than B-B
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignatureStatus:
    field: str
    signer: str  # common name of the signing certificate ("" when unreadable)
    signing_time: datetime | None  # the time the signer claims (/M), in Vietnam time
    timestamp_time: datetime | None  # the time certified by a timestamp token (B-T), in Vietnam time
    intact: bool  # the signed bytes hash to the signed digest AND the signature verifies with the cert's key
    trusted: bool  # the certificate chains to one of the trusted roots given to verify_pdf
    covers_whole_document: bool  # nothing was appended after this signature
    modification: str  # after signing: "none" | "signatures" (more signatures, form filling) | "annotations" | "other"
    problem: str | None = None  # Vietnamese explanation when something is wrong

    @property
    def valid(self) -> bool:
        """The signed content is unchanged, and what was added after it (if anything) is further signatures,
        form filling or annotations, not a change of the content (pyHanko's difference analysis)."""
        return self.intact and self.modification in ("none", "signatures", "annotations")

    @property
    def time(self) -> datetime | None:
        """The best known signing time: the timestamp's when there is one."""
        return self.timestamp_time or self.signing_time


def format_vn_time(when: datetime) -> str:
    """23/11/2026 09:30:15 +07:00 (NĐ 30/2020, Phụ lục I, II.8.a: ngày tháng năm; giờ phút giây; múi giờ)."""
    return f"{when.astimezone(VN_TZ):%d/%m/%Y %H:%M:%S} +07:00"


# -- layout of the visible signature ---------------------------------------------------------------------
MM = 72 / 25.4
TEXT_SIZE_PT = 8.0  # the information line; small so that it stays inside the signing gap
MIN_TEXT_SIZE_PT = 5.0
SIGNER_MAX_W = 0.60  # the signer's image: at most this share of the field's width …
SIGNER_MAX_H = 0.45  # … and height (the field spans chức vụ, the signing gap and the name)
# A seal PNG without a resolution (pHYs) has no "actual size"; this width is used then (UNCONFIRMED, practice:
# most round seals of State bodies are 32–42 mm across) and a warning asks for --co-dau or a PNG with DPI.
DEFAULT_SEAL_MM = 36.0
NEW_FIELD_MM = (90.0, 40.0)  # a field added on the last page: width, height
NEW_FIELD_MARGIN_MM = (20.0, 20.0)  # right and bottom page margins (NĐ 30/2020, Phụ lục I, I.3: 15–20 / 20–25)


@dataclass(frozen=True)
class _Picture:
    image: Image  # RGBA
    size: tuple[float, float] | None  # natural size in pt from the PNG's resolution, if it has one


@dataclass
class _Plan:
    signer: tuple[float, float, float, float] | None = None  # x, y, w, h inside the field
    seal: tuple[float, float, float, float] | None = None
    text_top: float = 0.0  # the text block hangs from this y


def _fit(w: float, h: float, max_w: float, max_h: float) -> tuple[float, float]:
    scale = min(max_w / w, max_h / h)
    return w * scale, h * scale


def _plan(
    box_w: float, box_h: float, signer: _Picture | None, seal: _Picture | None, text_h: float, warnings: list[str]
) -> _Plan:
    """Where the images and the text go inside a field of box_w × box_h pt (origin bottom-left)."""
    plan = _Plan()
    gap = 2.0
    sig_w = sig_h = 0.0
    if signer is not None:
        max_w, max_h = box_w * SIGNER_MAX_W, box_h * SIGNER_MAX_H
        w, h = signer.size or (float(signer.image.width), float(signer.image.height))
        if signer.size is None or w > max_w or h > max_h:
            w, h = _fit(w, h, max_w, max_h)
        sig_w, sig_h = w, h
    # The signer's image and the text line under it form one group, centred in the field
    # (NĐ 30/2020, Phụ lục I, II.7.d: giữa dòng chức vụ và dòng họ tên).
    group_h = sig_h + (gap if sig_h else 0.0) + text_h
    plan.text_top = max((box_h - group_h) / 2, 0.0) + text_h
    if signer is not None:
        plan.signer = ((box_w - sig_w) / 2, plan.text_top + gap, sig_w, sig_h)
    if seal is not None:
        w, h = seal.size or (DEFAULT_SEAL_MM * MM, DEFAULT_SEAL_MM * MM * seal.image.height / seal.image.width)
        if w > box_w or h > box_h:
            w, h = _fit(w, h, box_w, box_h)
            warnings.append(
                f"Ô ký ({box_w / MM:.0f} × {box_h / MM:.0f} mm) nhỏ hơn con dấu; ảnh dấu đã bị thu nhỏ còn "
                f"{w / MM:.0f} × {h / MM:.0f} mm, không còn đúng kích thước thật (NĐ 30/2020, Phụ lục I, II.8.a)."
            )
        if plan.signer is not None:
            # The seal covers about the left third of the signer's image (NĐ 30/2020, Phụ lục I, II.8.a).
            sx, sy, sw, sh = plan.signer
            x = sx + sw / 3 - w
            y = sy + sh / 2 - h / 2
        else:
            x, y = (box_w - w) / 2, (box_h - h) / 2
        x = min(max(x, 0.0), box_w - w)
        y = min(max(y, 0.0), box_h - h)
        plan.seal = (x, y, w, h)
    return plan


def _room_for_seal(rect: tuple[float, float, float, float], seal: _Picture | None) -> tuple[float, float, float, float]:
    """The field's rectangle, enlarged around its centre when the seal at its actual size would not fit in it
    (NĐ 30/2020, Phụ lục I, II.8.a: kích thước bằng kích thước thực tế của dấu). The appearance is
    transparent around the ink, so a slightly larger field hides nothing of the page."""
    if seal is None or seal.size is None:
        return rect
    x1, y1, x2, y2 = rect
    need_w, need_h = seal.size[0] + 2, seal.size[1] + 2
    if x2 - x1 < need_w:
        grow = (need_w - (x2 - x1)) / 2
        x1, x2 = x1 - grow, x2 + grow
    if y2 - y1 < need_h:
        grow = (need_h - (y2 - y1)) / 2
        y1, y2 = y1 - grow, y2 + grow
    return (round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2))


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Keep a PDF/A file PDF/A through signing: ISO 19005-2, 6.6.2.3.1 wants each /Info entry equal to its
    XMP twin. pyHanko sets the XMP pdf:Producer to its own name but appends that name to an existing /Info
    /Producer ("WeasyPrint 70.0; pyHanko 0.38.0"); so /Info gets pyHanko's name alone first."""
    from pyhanko.pdf_utils.metadata.model import VENDOR

    if "/Metadata" not in writer.root or "/Info" not in writer.trailer:
        return
    info_ref = writer.trailer.raw_get("/Info")
    if isinstance(info_ref, generic.IndirectObject):
        info_ref.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info_ref)


def _set_widget_rect(writer: IncrementalPdfFileWriter, name: str, rect: tuple[float, float, float, float]) -> None:
    for _, _, ref in sig_fields.enumerate_sig_fields(writer, filled_status=False, with_name=name):
        field_obj = ref.get_object()
        if "/Rect" not in field_obj and "/Kids" in field_obj:
            ref = field_obj.raw_get("/Kids")[0]  # the (first) widget of a field with separate widgets
        ref.get_object()["/Rect"] = generic.ArrayObject(generic.FloatObject(v) for v in rect)
        writer.mark_update(ref)
        return


# -- fonts ---------------------------------------------------------------------------------------------
# Every Vietnamese letter, precomposed (TCVN 6909:2001): the face must have them all.
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE = (
    "".join(unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY" for tone in _TONES) + "đĐ"
)
_FONT_FAMILIES = ("Liberation Serif", "Times New Roman", "Tinos")  # Times New Roman metrics (the-thuc §6 item 2)
_FONT_FILES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/liberation-serif/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/TTF/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/msttcorefonts/times.ttf",
    "/Library/Fonts/Times New Roman.ttf",
    "C:/Windows/Fonts/times.ttf",
)
FONT_MISSING = (
    "Không tìm thấy phông chữ có đủ dấu tiếng Việt để ghi dòng thông tin chữ ký "
    "(cần Liberation Serif hoặc Times New Roman)."
)
FONT_HINT = "cài fonts-liberation2 (sudo apt-get install fonts-liberation2, hoặc chạy scripts/install-system.sh)."


def _fc_match(family: str) -> Path | None:
    exe = shutil.which("fc-match")
    if not exe:
        return None
    try:
        out = subprocess.run(
            [exe, "--format=%{file}", f"{family}:weight=regular:slant=roman"],
            capture_output=True,
            text=True,
            timeout=15,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def _covers_vietnamese(path: Path) -> bool:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # an unreadable or foreign file is simply not a candidate
        return False
    return all(ord(ch) in cmap for ch in VIETNAMESE + "0123456789:/+-—")


@lru_cache(maxsize=1)
def find_font() -> Path | None:
    """A regular Times-New-Roman-metric face with every Vietnamese letter: fontconfig first, then known paths.
    fontconfig may substitute another family; any face that covers Vietnamese is then accepted."""
    candidates = [_fc_match(f) for f in _FONT_FAMILIES] + [Path(p) for p in _FONT_FILES]
    for path in candidates:
        if path is not None and path.suffix.lower() in (".ttf", ".otf") and path.is_file() and _covers_vietnamese(path):
            return path
    return None


@lru_cache(maxsize=8)
def _font_program(font_file: Path, chars: frozenset[str]) -> bytes:
    """The face cut down to ``chars`` (plus every Vietnamese letter) and rescaled to 1000 units per em.

    pyHanko's GlyphAccumulator writes glyph widths (/W) and its TJ adjustments in the font's own units, but
    PDF reads them as thousandths of an em (ISO 32000-1, 9.7.4.3): with a 2048-unit TrueType face such as
    Liberation Serif every letter would be spaced twice too wide. A 1000-unit copy makes the two agree."""
    import string

    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(font_file), fontNumber=0)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamp: not subsettable, not needed
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text=VIETNAMESE + string.printable + "—–·" + "".join(sorted(chars)))
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class _GlyphText:
    """Real text, shaped by HarfBuzz and embedded as a font subset (pyhanko[opentype])."""

    def __init__(self, stamp: BaseStamp, font_file: Path, text: str) -> None:
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

        program = _font_program(font_file, frozenset(text))
        writer = stamp.writer
        assert writer is not None
        self.stamp = stamp
        self.engine = GlyphAccumulator(writer, io.BytesIO(program), font_size=10)
        self._font_set = False

    def width(self, line: str, size: float) -> float:
        return self.engine.shape(line).x_advance * size

    def draw(self, line: str, size: float, x: float, y: float) -> bytes:
        self.engine.font_size = size  # the Td operators of shape() use the same size as Tf
        ops = self.engine.shape(line).graphics_ops
        if not self._font_set:
            self.stamp.set_resource(ResourceType.FONT, pdf_name("/FQuyche"), self.engine.as_resource())
            self._font_set = True
        return b"BT 0 g /FQuyche %.3f Tf 1 0 0 1 %.3f %.3f Tm %s ET" % (size, x, y, ops)


class _RasterText:
    """Fallback when HarfBuzz (uharfbuzz) is missing: the line drawn by Pillow as a transparent image."""

    SCALE = 6  # 432 dpi

    def __init__(self, stamp: BaseStamp, font_file: Path, text: str) -> None:
        self.stamp = stamp
        self.font_file = str(font_file)

    def _font(self, size: float) -> Any:
        from PIL import ImageFont

        return ImageFont.truetype(self.font_file, max(1, round(size * self.SCALE)))

    def width(self, line: str, size: float) -> float:
        return float(self._font(size).getlength(line)) / self.SCALE

    def draw(self, line: str, size: float, x: float, y: float) -> bytes:
        from PIL import Image as PILImage
        from PIL import ImageDraw

        font = self._font(size)
        ascent, descent = font.getmetrics()
        w = max(1, int(font.getlength(line)) + 2)
        img = PILImage.new("RGBA", (w, ascent + descent), (0, 0, 0, 0))
        ImageDraw.Draw(img).text((0, 0), line, font=font, fill=(0, 0, 0, 255))
        return _draw_image(self.stamp, img, x, y - descent / self.SCALE, w / self.SCALE, img.height / self.SCALE)


def _draw_image(stamp: BaseStamp, image: Image, x: float, y: float, w: float, h: float) -> bytes:
    """The image as an XObject (its alpha channel as a soft mask) in the box x, y, w, h, in exact points
    (pyHanko's own image content rounds its box to whole points)."""
    writer = stamp.writer
    assert writer is not None
    ref = PdfImage(image, writer=writer).image_ref
    name = f"/Img{ref.idnum}"
    stamp.set_resource(ResourceType.XOBJECT, pdf_name(name), ref)
    return b"q %.3f 0 0 %.3f %.3f %.3f cm %s Do Q" % (w, h, x, y, name.encode("ascii"))


# -- the stamp ------------------------------------------------------------------------------------------
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%z"  # how pyHanko hands the signing time to the stamp; parsed back below


@dataclass(frozen=True)
class Nd30StampStyle(TextStampStyle):
    """The visible signature of NĐ 30/2020: signer's image, seal over its left third, one information line."""

    signer_image: _Picture | None = None
    seal_image: _Picture | None = None
    font_file: Path | None = None
    warnings: list[str] = field(default_factory=list)  # filled while the appearance is laid out
    border_width: int = 0
    timestamp_format: str = _TS_FORMAT

    def create_stamp(self, writer: Any, box: BoxConstraints, text_params: dict) -> Nd30Stamp:
        return Nd30Stamp(writer, self, box, text_params)


def _info_lines(signer: str, when: datetime) -> tuple[str, ...]:
    return (f"{signer} — Ký ngày {format_vn_time(when)}",) if signer else (f"Ký ngày {format_vn_time(when)}",)


class Nd30Stamp(BaseStamp):
    def __init__(self, writer: Any, style: Nd30StampStyle, box: BoxConstraints, text_params: dict) -> None:
        super().__init__(writer=writer, style=style, box=box)
        self.text_params = text_params or {}

    def _render_inner_content(self) -> list[bytes]:
        style: Nd30StampStyle = self.style
        box_w, box_h = float(self.box.width), float(self.box.height)
        signer = str(self.text_params.get("signer") or "")
        when = datetime.strptime(self.text_params["ts"], _TS_FORMAT)
        lines = _info_lines(signer, when)
        text = self._text_engine(style, "".join(lines))
        size = TEXT_SIZE_PT
        if text is not None:
            # one line, shrunk to the field's width; if that makes it too small, name and time on two lines
            avail = box_w * 0.96
            widest = max(text.width(line, size) for line in lines)
            if widest > avail and signer:
                lines = (signer, f"Ký ngày {format_vn_time(when)}")
                widest = max(text.width(line, size) for line in lines)
            if widest > avail:
                size = max(MIN_TEXT_SIZE_PT, size * avail / widest)
        leading = size * 1.15
        text_h = leading * len(lines) if text is not None else 0.0
        plan = _plan(box_w, box_h, style.signer_image, style.seal_image, text_h, style.warnings)
        out: list[bytes] = []
        # ink order: the signer's signature first, the seal over it (NĐ 30/2020, Phụ lục I, II.8.a: trùm lên)
        if style.signer_image is not None and plan.signer is not None:
            out.append(_draw_image(self, style.signer_image.image, *plan.signer))
        if style.seal_image is not None and plan.seal is not None:
            out.append(_draw_image(self, style.seal_image.image, *plan.seal))
        if text is not None:
            baseline = plan.text_top - size * 0.9
            for line in lines:
                x = max((box_w - text.width(line, size)) / 2, 0.0)
                out.append(text.draw(line, size, x, baseline))
                baseline -= leading
        return out

    def _text_engine(self, style: Nd30StampStyle, text: str) -> _GlyphText | _RasterText | None:
        if style.font_file is None:
            return None
        try:
            return _GlyphText(self, style.font_file, text)
        except ImportError:  # an installation matter, not the document's: logged, not a warning of the result
            log.warning("Thiếu thư viện uharfbuzz (pyhanko[opentype]): dòng thông tin chữ ký được vẽ thành ảnh.")
            return _RasterText(self, style.font_file, text)


# -- inputs ---------------------------------------------------------------------------------------------
def _read_file(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise SignError("tep-khong-doc-duoc", f"Không tìm thấy {what} {path}.") from None
    except IsADirectoryError:
        raise SignError("tep-khong-doc-duoc", f"{path} là thư mục, không phải {what}.") from None
    except OSError as exc:
        raise SignError("tep-khong-doc-duoc", f"Không đọc được {what} {path}: {exc.strerror or exc}.") from None


def _open_pdf(path: Path) -> bytes:
    data = _read_file(path, "tệp PDF")
    if b"%PDF-" not in data[:1024]:  # ISO 32000-1, 7.5.2: the header is at the start of the file
        raise SignError(
            "khong-phai-pdf",
            f"{path} không phải tệp PDF.",
            "xuất văn bản ra PDF trước (quyche render … -f pdf) rồi ký tệp .pdf đó.",
        )
    return data


def _reader(data: bytes, path: Path) -> PdfFileReader:
    try:
        reader = PdfFileReader(io.BytesIO(data))
        reader.root  # noqa: B018 — forces the trailer and the catalogue to be read
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SignError("pdf-hong", f"Tệp PDF {path} bị hỏng, không đọc được: {exc}.") from None
    if reader.encrypted:
        raise SignError(
            "pdf-co-mat-khau",
            f"Tệp PDF {path} được đặt mật khẩu; quyche chưa ký được tệp PDF mã hóa.",
            "bỏ mật khẩu của tệp PDF rồi ký lại.",
        )
    return reader


def _load_picture(path: Path, kind: str, warnings: list[str], size_mm: float | None = None) -> _Picture:
    """A PNG for the appearance, as RGBA, with its natural size when its resolution is known, and warnings
    when it is not what NĐ 30/2020, Phụ lục I, II.7.d / II.8.a asks for (transparent; blue / red)."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    label = "ảnh chữ ký" if kind == "signer" else "ảnh dấu"
    data = _read_file(path, label)
    try:
        img = PILImage.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, PILImage.DecompressionBombError, OSError, ValueError) as exc:
        raise SignError("anh-khong-hop-le", f"Không đọc được {label} {path}: {exc}.") from None
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


# -- credentials ----------------------------------------------------------------------------------------
def _cn(cert: asn1_x509.Certificate) -> str:
    subject = cert.subject.native
    name = subject.get("common_name")
    if isinstance(name, list):
        name = name[0] if name else None
    return str(name) if name else cert.subject.human_friendly


def _load_p12(p12: Path, password: bytes | None) -> signers.SimpleSigner:
    from asn1crypto import pkcs12 as asn1_pkcs12
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    data = _read_file(p12, "tệp chứng thư số")
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 — parses the whole structure: is it PKCS#12 at all?
    except (ValueError, TypeError, OverflowError):
        raise SignError(
            "p12-khong-hop-le",
            f"{p12} không phải tệp chứng thư số PKCS#12 (.p12/.pfx).",
            "xuất chứng thư số kèm khóa bí mật ra tệp .p12 hoặc .pfx; với USB token hãy dùng PKCS#11.",
        ) from None
    # an empty password and no password are different things to PKCS#12 tools: try both when none is given
    attempts = [password] + ([b"" if password is None else None] if not password else [])
    loaded = None
    for attempt in attempts:
        try:
            loaded = pkcs12.load_key_and_certificates(data, attempt)
            break
        except (ValueError, TypeError):
            continue
    if loaded is None:
        raise SignError(
            "p12-sai-mat-khau",
            f"Mật khẩu của tệp chứng thư số {p12.name} không đúng"
            + ("" if password else " (chưa nhập mật khẩu)")
            + ".",
            "nhập lại mật khẩu (--mat-khau, biến môi trường QUYCHE_P12_PASSWORD, hoặc gõ khi được hỏi).",
        )
    key, cert, others = loaded
    if key is None or cert is None:
        raise SignError(
            "p12-khong-hop-le",
            f"Tệp {p12.name} không chứa {'khóa bí mật' if key is None else 'chứng thư số'} để ký.",
            "xuất lại chứng thư số kèm khóa bí mật.",
        )
    store = SimpleCertificateStore()
    store.register_multiple(translate_pyca_cryptography_cert_to_asn1(c) for c in others)
    return signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=store,
    )


def _check_validity(cert: asn1_x509.Certificate, now: datetime) -> None:
    """Refuse a certificate outside its validity period: the signature would be invalid from the start."""
    not_before, not_after = cert.not_valid_before, cert.not_valid_after
    if now > not_after:
        raise SignError(
            "chung-thu-het-han",
            f"Chứng thư số của {_cn(cert)} đã hết hạn từ {format_vn_time(not_after)}; không ký bằng chứng thư hết hạn.",
            "gia hạn chứng thư số với tổ chức cung cấp dịch vụ chứng thực chữ ký số.",
        )
    if now < not_before:
        raise SignError(
            "chung-thu-chua-hieu-luc",
            f"Chứng thư số của {_cn(cert)} chỉ có hiệu lực từ {format_vn_time(not_before)}.",
            "kiểm tra đồng hồ của máy tính, hoặc ký sau thời điểm đó.",
        )


# -- fields ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Field:
    name: str
    signed: bool
    rect: tuple[float, float, float, float] | None  # x1, y1, x2, y2; None or empty when invisible


def _widget_rect(field_obj: generic.DictionaryObject) -> tuple[float, float, float, float] | None:
    annot = field_obj
    if "/Rect" not in annot and "/Kids" in field_obj:
        kids = field_obj["/Kids"]
        annot = kids[0].get_object() if len(kids) else annot
    try:
        x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
    except (KeyError, TypeError, ValueError):
        return None
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _fields(reader: PdfFileReader) -> list[_Field]:
    out = []
    for name, value, ref in sig_fields.enumerate_sig_fields(reader, filled_status=None):
        out.append(_Field(str(name), value is not None, _widget_rect(ref.get_object())))
    return out


def _listing(fields: Iterable[_Field]) -> str:
    names = [f'"{f.name}"' + (" (đã ký)" if f.signed else "") for f in fields]
    return ", ".join(names) if names else "(không có ô ký nào)"


def _unique_name(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def _last_page_box(reader: PdfFileReader) -> tuple[int, tuple[float, float, float, float]]:
    """The last page and a field box at its bottom right, inside the page margins, where the signer's block
    of a one-signer document usually is (NĐ 30/2020, Phụ lục I, IV: ô 7 at the right)."""
    count = int(reader.root["/Pages"]["/Count"])
    page_ref, _ = reader.find_page_for_modification(count - 1)
    node = page_ref.get_object()
    box = None
    while node is not None and box is None:
        box = node.get("/CropBox") or node.get("/MediaBox")
        node = node.get("/Parent").get_object() if "/Parent" in node else None
    x0, y0, x1, _ = (float(v) for v in (box or (0, 0, 595.28, 841.89)))
    width, height = NEW_FIELD_MM[0] * MM, NEW_FIELD_MM[1] * MM
    right, bottom = x1 - NEW_FIELD_MARGIN_MM[0] * MM, y0 + NEW_FIELD_MARGIN_MM[1] * MM
    left = max(x0 + 10 * MM, right - width)
    return count - 1, (round(left, 2), round(bottom, 2), round(right, 2), round(bottom + height, 2))


def _choose_field(reader: PdfFileReader, wanted: str | None, path: Path) -> tuple[_Field, int | None]:
    """The field to sign, and the page index when it must be created (None when it exists)."""
    existing = _fields(reader)
    if wanted is not None:
        match = next((f for f in existing if f.name == wanted), None)
        if match is None:
            raise SignError(
                "o-ky-khong-co",
                f'Tệp {path.name} không có ô ký "{wanted}". Các ô ký có trong tệp: {_listing(existing)}.',
                "chọn một ô ký ở trên bằng --field, hoặc bỏ --field để quyche tự chọn.",
            )
        if match.signed:
            free = [f for f in existing if not f.signed]
            raise SignError(
                "o-ky-da-ky",
                f'Ô ký "{wanted}" trong {path.name} đã được ký; không ký đè lên chữ ký đã có.',
                f"chọn ô ký còn trống: {_listing(free)}." if free else "mọi ô ký trong tệp đều đã được ký.",
            )
        return match, None
    empty = [f for f in existing if not f.signed]
    if len(empty) == 1:
        return empty[0], None
    if len(empty) > 1:
        raise SignError(
            "o-ky-chua-chon",
            f"Tệp {path.name} có {len(empty)} ô ký còn trống: {_listing(empty)}; cần chọn ô của người ký.",
            "ghi --field TÊN_Ô_KÝ.",
        )
    page, rect = _last_page_box(reader)
    name = _unique_name("chu-ky-so", {f.name for f in existing})
    return _Field(name, False, rect), page


# -- signing --------------------------------------------------------------------------------------------
def sign_pdf(
    input_pdf: Path,
    output_pdf: Path,
    p12: Path | None = None,
    password: bytes | None = None,
    *,
    field: str | None = None,
    image: Path | None = None,
    seal: Path | None = None,
    seal_size_mm: float | None = None,
    timestamp_url: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    pkcs11_lib: str | Path | None = None,
    pkcs11_token_label: str | None = None,
    pkcs11_key_label: str | None = None,
    pkcs11_cert_label: str | None = None,
    pin: str | None = None,
    timestamper: TimeStamper | None = None,
) -> SignResult:
    """Sign ``input_pdf`` into ``output_pdf`` (written atomically; the input is never modified).

    The signature is PAdES B-B (``/SubFilter /ETSI.CAdES.detached``, SHA-256), or B-T when ``timestamp_url``
    (an RFC 3161 server; network is used only then) or ``timestamper`` (a pyHanko ``TimeStamper``) is given.
    It is an incremental update, so earlier signatures stay valid: several signers sign one after another.

    Field: ``field`` names an existing empty signature field (``quyche render -f pdf`` adds one per signer,
    named after the signer, e.g. ``chu-tich-nguyen-van-a``). Without it, the only empty field is used; when
    there is none, a field "chu-ky-so" is added at the bottom right of the last page; when there are several,
    a SignError lists them.

    Appearance (NĐ 30/2020, Phụ lục I, II.7.d and II.8.a): ``image`` — the signer's signature, blue on a
    transparent PNG, centred in the field; ``seal`` — the agency's seal, red transparent PNG, at its actual
    size (from the PNG's DPI, or ``seal_size_mm`` as its width), over the left third of the signer's image;
    then one line "Họ Tên — Ký ngày 23/11/2026 09:30:15 +07:00" with the certificate's common name and the
    signing time in Vietnam time, in Liberation Serif (or Times New Roman) embedded as a subset.

    Key: either ``p12`` (a PKCS#12 .p12/.pfx file) with ``password``, or a PKCS#11 token — the USB tokens and
    smart cards Vietnamese CAs issue (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA, the Ban Cơ yếu Chính phủ's):

        sign_pdf(src, dst, pkcs11_lib="/usr/lib/libvnpt_ca.so",   # the CA's PKCS#11 module (.so / .dll)
                 pkcs11_token_label="VNPT-CA",                      # optional: the token's label
                 pkcs11_key_label="NGUYEN VAN A",                   # the key's label (and the cert's, by default)
                 pin="123456")                                      # the user PIN

    PKCS#11 needs ``pip install 'pyhanko[pkcs11]'`` (python-pkcs11); the labels can be listed with
    ``pkcs11-tool --module LIB -O``. ``pkcs11_cert_label`` is needed only when the certificate's label differs
    from the key's. Tokens that ask for the PIN on their own pad take ``pin=None``.

    Raises SignError (code + Vietnamese message) for: an unreadable input or one that is not a PDF, a wrong
    PKCS#12 password, a certificate that expired (with its expiry date) or is not yet valid, an unknown field
    (listing the fields), a field already signed, an unreadable image, a timestamp server that fails.
    """
    input_pdf, output_pdf = Path(input_pdf), Path(output_pdf)
    if output_pdf.resolve() == input_pdf.resolve():
        raise SignError(
            "trung-tep-goc",
            f"Tệp kết quả trùng tệp gốc {input_pdf}; quyche không ghi đè tệp đang ký.",
            "ghi tệp đã ký ra tên khác (-o TÊN-da-ky.pdf).",
        )
    data = _open_pdf(input_pdf)
    reader = _reader(data, input_pdf)
    target, new_page = _choose_field(reader, field, input_pdf)

    warnings: list[str] = []
    visible = target.rect is not None and target.rect[2] > target.rect[0] and target.rect[3] > target.rect[1]
    signer_pic = _load_picture(image, "signer", warnings) if image is not None else None
    seal_pic = _load_picture(seal, "seal", warnings, seal_size_mm) if seal is not None else None
    if not visible and (signer_pic or seal_pic):
        warnings.append(f'Ô ký "{target.name}" không hiển thị trên trang; ảnh chữ ký và ảnh dấu không được vẽ.')
    font = find_font() if visible else None
    if visible and font is None:
        raise SignError("khong-co-phong", FONT_MISSING, FONT_HINT)

    with contextlib.ExitStack() as stack:
        if pkcs11_lib is not None:
            if p12 is not None:
                raise SignError("hai-khoa", "Chỉ dùng một khóa để ký: tệp .p12 hoặc USB token (PKCS#11), không cả hai.")
            signer = stack.enter_context(
                _pkcs11_signer(str(pkcs11_lib), pkcs11_token_label, pkcs11_key_label, pkcs11_cert_label, pin)
            )
        elif p12 is None:
            raise SignError(
                "thieu-khoa",
                "Chưa có khóa để ký.",
                "ghi --p12 TỆP.p12 (chứng thư số kèm khóa bí mật), hoặc dùng USB token qua PKCS#11.",
            )
        else:
            signer = _load_p12(Path(p12), password)
        return _sign(
            data, input_pdf, output_pdf, target, new_page, warnings, signer_pic, seal_pic, font, signer,
            timestamp_url=timestamp_url, timestamper=timestamper, reason=reason, location=location,
        )  # fmt: skip


@contextlib.contextmanager
def _pkcs11_signer(
    lib: str, token_label: str | None, key_label: str | None, cert_label: str | None, pin: str | None
) -> Iterator[signers.Signer]:
    """The signer of a PKCS#11 token (USB token, smart card), its session open while the caller signs."""
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11
    except ImportError:
        raise SignError(
            "pkcs11-chua-cai",
            "Chưa cài thư viện để ký bằng USB token (python-pkcs11).",
            "cài bằng lệnh: pip install 'pyhanko[pkcs11]'.",
        ) from None
    try:
        session = pkcs11.open_pkcs11_session(
            lib, token_criteria=TokenCriteria(label=token_label) if token_label else None, user_pin=pin
        )
    except Exception as exc:  # python-pkcs11 raises its own hierarchy; the class name tells what happened
        kind = type(exc).__name__
        if "Pin" in kind:
            raise SignError("pkcs11-sai-pin", "Mã PIN của USB token không đúng hoặc token đã bị khóa.") from None
        raise SignError(
            "pkcs11-loi",
            f"Không mở được USB token qua {lib}: {kind}: {exc}.",
            "kiểm tra token đã cắm, đường dẫn thư viện PKCS#11 của nhà cung cấp và nhãn token (--token).",
        ) from None
    try:
        signer = pkcs11.PKCS11Signer(session, key_label=key_label, cert_label=cert_label)
        try:
            signer.signing_cert  # noqa: B018 — loads the key and certificate from the token now
        except Exception as exc:
            raise SignError(
                "pkcs11-loi",
                f"Không tìm thấy khóa hoặc chứng thư số trên token: {type(exc).__name__}: {exc}.",
                "ghi nhãn khóa bằng --key-label (liệt kê bằng: pkcs11-tool --module THƯ_VIỆN -O).",
            ) from None
        yield signer
    finally:
        session.close()


def _sign(
    data: bytes,
    input_pdf: Path,
    output_pdf: Path,
    target: _Field,
    new_page: int | None,
    warnings: list[str],
    signer_pic: _Picture | None,
    seal_pic: _Picture | None,
    font: Path | None,
    signer: signers.Signer,
    *,
    timestamp_url: str | None,
    timestamper: TimeStamper | None,
    reason: str | None,
    location: str | None,
) -> SignResult:
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter

    cert = signer.signing_cert
    if cert is None:
        raise SignError("thieu-khoa", "Không đọc được chứng thư số của người ký.")
    now = datetime.now(timezone.utc)
    _check_validity(cert, now)
    name = _cn(cert)

    if timestamper is None and timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url, timeout=30)
    meta = signers.PdfSignatureMetadata(
        field_name=target.name,
        subfilter=SigSeedSubFilter.PADES,  # PAdES baseline (ETSI EN 319 142-1): B-B, or B-T with a timestamp
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    _align_producer(writer)
    rect = _room_for_seal(target.rect, seal_pic) if target.rect is not None else None
    new_field = None
    if new_page is not None:
        assert rect is not None
        new_field = SigFieldSpec(
            sig_field_name=target.name,
            on_page=new_page,
            box=rect,  # type: ignore[arg-type]
            readable_field_name=f"Chữ ký số: {name}",
        )
    elif rect is not None and rect != target.rect and (signer_pic or seal_pic):
        _set_widget_rect(writer, target.name, rect)
    style = Nd30StampStyle(signer_image=signer_pic, seal_image=seal_pic, font_file=font, warnings=warnings)
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=timestamper, stamp_style=style, new_field_spec=new_field
    )
    try:
        out = pdf_signer.sign_pdf(
            writer, existing_fields_only=new_page is None, appearance_text_params={"signer": name}
        )
    except SignError:
        raise
    except SigningError as exc:
        raise SignError("ky-that-bai", f"Không ký được {input_pdf.name}: {exc}.") from None
    except Exception as exc:
        if timestamper is not None and _is_timestamp_error(exc):
            raise SignError(
                "dau-thoi-gian",
                f"Không lấy được dấu thời gian từ máy chủ {timestamp_url or 'cấp dấu thời gian'}: {exc}.",
                "kiểm tra kết nối mạng và địa chỉ máy chủ cấp dấu thời gian (TSA), hoặc ký không kèm dấu thời gian.",
            ) from None
        raise
    atomic_write(output_pdf, out.getvalue())
    signed_at = _signed_time(out.getvalue(), target.name) or now
    return SignResult(
        output=output_pdf,
        field=target.name,
        signer=name,
        signing_time=signed_at.astimezone(VN_TZ),
        created_field=new_page is not None,
        timestamped=timestamper is not None,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _is_timestamp_error(exc: BaseException) -> bool:
    from pyhanko.sign.timestamps import TimestampRequestError

    if isinstance(exc, TimestampRequestError | OSError | TimeoutError):
        return True
    module = type(exc).__module__ or ""
    return module.startswith("aiohttp")


def _signed_time(pdf: bytes, field_name: str) -> datetime | None:
    """The /M of the new signature: the time the appearance shows."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        for sig in reader.embedded_signatures:
            if sig.field_name == field_name:
                return sig.self_reported_timestamp
    except Exception:  # only for the report; the file itself was written
        log.debug("không đọc lại được thời điểm ký", exc_info=True)
    return None


# -- verification ---------------------------------------------------------------------------------------
def _load_roots(paths: Iterable[Path]) -> list[asn1_x509.Certificate]:
    from pyhanko.keys import load_certs_from_pemder

    roots: list[asn1_x509.Certificate] = []
    for path in paths:
        _read_file(Path(path), "chứng thư gốc")
        try:
            roots.extend(load_certs_from_pemder([str(path)]))
        except Exception as exc:
            raise SignError(
                "chung-thu-goc-khong-hop-le",
                f"Không đọc được chứng thư gốc {path}: {exc}.",
                "dùng tệp chứng thư .cer/.crt/.pem (PEM hoặc DER).",
            ) from None
    return roots


def _modification(status: Any) -> str:
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = status.modification_level
    if status.docmdp_ok is False or level is None or level == ModificationLevel.OTHER:
        return "other"
    if level == ModificationLevel.NONE:
        return "none"
    if level == ModificationLevel.ANNOTATIONS:
        return "annotations"
    return "signatures"  # LTA_UPDATES, FORM_FILLING: later signatures, timestamps, filled fields


def verify_pdf(path: Path, *, trust_roots: Iterable[Path] = ()) -> list[SignatureStatus]:
    """Check every signature of ``path``, in the order they were made (document timestamps are skipped).

    ``intact`` is the cryptographic verdict (hash of the signed bytes and the signature math); ``trusted``
    says whether the certificate chains to one of ``trust_roots`` (PEM/DER files, e.g. the Root CA of the
    Vietnamese national PKI). Without trust roots every signature is reported untrusted but is still checked,
    so self-signed certificates can be verified. No network is used (no OCSP/CRL fetching).
    """
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    path = Path(path)
    data = _open_pdf(path)
    reader = _reader(data, path)
    roots = _load_roots(trust_roots)
    key_usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    out: list[SignatureStatus] = []
    try:
        embedded = list(reader.embedded_regular_signatures)  # document timestamps (B-LTA) are not signers
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SignError("pdf-hong", f"Không đọc được chữ ký trong {path}: {exc}.") from None
    for sig in embedded:
        name = str(sig.field_name)
        try:
            cert = sig.signer_cert
            signer = _cn(cert)
        except Exception:
            signer = ""
        claimed = _as_vn(_safe(lambda s=sig: s.self_reported_timestamp))
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(sig, signer_validation_context=context, key_usage_settings=key_usage)
        except Exception as exc:  # a mangled CMS blob, unsupported algorithm, …: the signature cannot stand
            problem = f"không kiểm tra được chữ ký: {exc}"
            out.append(SignatureStatus(name, signer, claimed, None, False, False, False, "other", problem))
            continue
        ts = status.timestamp_validity
        intact = bool(status.intact and status.valid)
        modification = _modification(status)
        problem = None
        if not status.intact:
            problem = "nội dung đã ký không còn khớp với chữ ký (tệp đã bị sửa sau khi ký)"
        elif not status.valid:
            problem = "chữ ký không khớp với khóa công khai của chứng thư số"
        elif modification == "other":
            problem = "tệp có thay đổi sau khi ký ngoài việc ký thêm (nội dung hiển thị có thể đã khác)"
        elif ts is not None and not (ts.intact and ts.valid):
            problem = "dấu thời gian không hợp lệ"
        out.append(
            SignatureStatus(
                field=name,
                signer=signer,
                signing_time=claimed,
                timestamp_time=_as_vn(ts.timestamp) if ts is not None else None,
                intact=intact,
                trusted=bool(status.trusted),
                covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                modification=modification,
                problem=problem,
            )
        )
    return out


def _safe(fn: Any) -> Any:
    try:
        return fn()
    except Exception:
        return None


def _as_vn(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(VN_TZ)
