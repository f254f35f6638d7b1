"""Fonts for the PDF: one Times-New-Roman-metric face with full Vietnamese coverage (Liberation Serif, Times
New Roman or Tinos) in all four styles, embedded; if none is found the renderer stops with a message saying what
to install, never with tofu boxes (the-thuc §6 item 2)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import RenderError

# Every lower- and upper-case Vietnamese letter: a face must cover all of them (TCVN 6909:2001).
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE = (
    "".join(unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY" for tone in _TONES) + "đĐ"
)


class FontNotFoundError(RenderError):
    """No Times-New-Roman-metric face with Vietnamese letters is installed."""


FONT_MISSING_MESSAGE = (
    "Không tìm thấy phông chữ để xuất PDF: cần Liberation Serif (cùng số đo với Times New Roman, đủ dấu "
    "tiếng Việt) hoặc Times New Roman, đủ bốn kiểu thường, đậm, nghiêng, đậm nghiêng. "
    "Cài bằng lệnh: sudo apt-get install fonts-liberation2 (Debian/Ubuntu; hoặc chạy scripts/install-system.sh), "
    "dnf install liberation-serif-fonts (Fedora), rồi chạy lại. "
    "PDF không được tạo với phông thay thế để tránh chữ lỗi ô vuông."
)


# -- fonts ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FontFace:
    path: Path
    weight: str  # CSS font-weight: "normal" | "bold"
    style: str  # CSS font-style: "normal" | "italic"

    @property
    def uri(self) -> str:
        return self.path.resolve().as_uri()


@dataclass(frozen=True)
class FontSet:
    family: str
    faces: tuple[FontFace, ...]
    line_factor: float  # one "single" line as a multiple of the size: (ascender + descender + gap) / em


# (weight, style, bold?, italic?) in the order regular, bold, italic, bold italic
_STYLES = (
    ("normal", "normal", False, False),
    ("bold", "normal", True, False),
    ("normal", "italic", False, True),
    ("bold", "italic", True, True),
)
FAMILIES = ("Liberation Serif", "Times New Roman", "Tinos")
_HOME = Path.home()
_KNOWN: dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    # family: (folders, file names per style in _STYLES order, several spellings)
    "Liberation Serif": (
        (
            "/usr/share/fonts/truetype/liberation2",
            "/usr/share/fonts/truetype/liberation",
            "/usr/share/fonts/liberation-serif",
            "/usr/share/fonts/liberation",
            "/usr/share/fonts/TTF",
            "/usr/local/share/fonts",
            str(_HOME / ".local/share/fonts"),
            str(_HOME / ".fonts"),
            "/opt/homebrew/share/fonts",
            "C:/Windows/Fonts",
        ),
        (
            (
                "LiberationSerif-Regular.ttf",
                "LiberationSerif-Bold.ttf",
                "LiberationSerif-Italic.ttf",
                "LiberationSerif-BoldItalic.ttf",
            ),
        ),
    ),
    "Times New Roman": (
        (
            "/usr/share/fonts/truetype/msttcorefonts",
            "/usr/share/fonts/msttcore",
            "C:/Windows/Fonts",
            "/Library/Fonts",
            "/System/Library/Fonts/Supplemental",
            str(_HOME / "Library/Fonts"),
        ),
        (
            ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"),
            (
                "Times_New_Roman.ttf",
                "Times_New_Roman_Bold.ttf",
                "Times_New_Roman_Italic.ttf",
                "Times_New_Roman_Bold_Italic.ttf",
            ),
            (
                "Times New Roman.ttf",
                "Times New Roman Bold.ttf",
                "Times New Roman Italic.ttf",
                "Times New Roman Bold Italic.ttf",
            ),
        ),
    ),
    "Tinos": (
        ("/usr/share/fonts/truetype/croscore", "/usr/share/fonts/google-croscore", "/usr/local/share/fonts"),
        (("Tinos-Regular.ttf", "Tinos-Bold.ttf", "Tinos-Italic.ttf", "Tinos-BoldItalic.ttf"),),
    ),
}


def _face_info(path: Path) -> tuple[set[str], bool, bool, bool, float] | None:
    """Family names, bold, italic, Vietnamese coverage and the single-line factor of a font file."""
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            names = set()
            for rec in font["name"].names:
                if rec.nameID in (1, 16):  # family, typographic family
                    try:
                        names.add(rec.toUnicode().casefold())
                    except UnicodeDecodeError:
                        continue
            mac_style = font["head"].macStyle
            cmap = font.getBestCmap() or {}
            covers = all(ord(ch) in cmap for ch in VIETNAMESE)
            hhea, em = font["hhea"], font["head"].unitsPerEm
            factor = (hhea.ascent - hhea.descent + hhea.lineGap) / em
    except Exception:  # an unreadable or foreign file is simply not a candidate
        return None
    return names, bool(mac_style & 1), bool(mac_style & 2), covers, factor


def _fc_match(family: str, bold: bool, italic: bool) -> Path | None:
    """The file fontconfig picks for ``family`` in one style (it may substitute: checked by the caller)."""
    exe = shutil.which("fc-match")
    if not exe:
        return None
    pattern = f"{family}:weight={'bold' if bold else 'regular'}:slant={'italic' if italic else 'roman'}"
    try:
        out = subprocess.run([exe, "--format=%{file}", pattern], capture_output=True, text=True, timeout=15)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def _known_paths(family: str, index: int) -> Iterator[Path]:
    folders, spellings = _KNOWN.get(family, ((), ()))
    for folder in folders:
        for names in spellings:
            yield Path(folder) / names[index]


def _locate_face(family: str, index: int) -> tuple[Path, float] | None:
    """One style of ``family`` (through fontconfig, then known folders), checked to really be that
    family and style and to cover every Vietnamese letter. Returns the file and its line factor."""
    _, _, bold, italic = _STYLES[index]
    candidates = [_fc_match(family, bold, italic), *_known_paths(family, index)]
    for path in candidates:
        if path is None or not path.is_file():
            continue
        info = _face_info(path)
        if info is None:
            continue
        names, is_bold, is_italic, covers, factor = info
        if family.casefold() in names and (is_bold, is_italic) == (bold, italic) and covers:
            return path, factor
    return None


def find_fonts() -> FontSet:
    """The first of FAMILIES installed in all four styles with every Vietnamese letter."""
    for family in FAMILIES:
        found = [_locate_face(family, i) for i in range(len(_STYLES))]
        located = [f for f in found if f is not None]
        if len(located) < len(_STYLES):
            continue
        faces = tuple(FontFace(path, s[0], s[1]) for (path, _), s in zip(located, _STYLES, strict=True))
        return FontSet(family, faces, round(located[0][1], 4))
    raise FontNotFoundError(FONT_MISSING_MESSAGE)
