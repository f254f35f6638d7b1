"""The visible signature: a font that covers Vietnamese, the information line, and pyHanko's stamp."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.stamp import TextStampStyle
from pyhanko.stamp.base import BaseStamp

from .layout import MIN_TEXT_SIZE_PT, TEXT_SIZE_PT, _Picture, _plan
from .model import format_vn_time

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)


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
