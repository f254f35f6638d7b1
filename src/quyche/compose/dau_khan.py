"""The urgency mark, ô 10b (NĐ 30/2020, Phụ lục I, III.2.b; the-thuc §1.10): "KHẨN", "THƯỢNG KHẨN" or "HỎA TỐC"
in upper case, bold 13–14, centred in a single-line frame of 20 × 8, 40 × 8 or 30 × 8 mm, in bright red ink,
under the number and the công văn's subject (ô 3, 5b), from the left margin (the Phụ lục I grid: x 0–0.19).

Drawn as a one-cell bordered table, so the .docx and the PDF place the same frame: its width is the frame's, its
height the paragraph's line plus equal spacing above and below. The profile decides whether and how it is drawn
(``dau_khan.*``): the Party texts read give no size or form for it (the-thuc §2.2 lists ô 10a/10b only), so
hd36-2018 turns it off and a Party document carries its độ khẩn in the metadata only."""

from __future__ import annotations

import re

from ..model import Block, Cell, Para, Row, Run, Table
from ..normalize import upper_vi
from ..profile import Profile

LINE_FACTOR = 2355 / 2048  # one single line of Times New Roman (and Liberation Serif): (ascent + descent) / em
PT_PER_MM = 72 / 25.4
SPACE_BEFORE_PT = 6.0  # clear of the line above it
BORDER_PT = 0.5  # the bordered table's line (render/docx.py w:sz="4"; document.css 0.5pt)
_HEX = re.compile(r"[0-9A-Fa-f]{6}")


def urgency_mark(profile: Profile, do_khan: str | None) -> list[Block]:
    """The framed mark for ``do_khan`` (canonical lower case, schema/phat_hanh.py), or nothing."""
    if not do_khan or not profile.get("dau_khan.draw", False):
        return []
    width_mm, height_mm = (float(v) for v in profile.get("dau_khan.box_mm")[do_khan])
    size = float(profile.get("dau_khan.size_pt"))
    colour = str(profile.get("dau_khan.color"))
    colour = colour.upper() if _HEX.fullmatch(colour) else "000000"
    pad = max((height_mm * PT_PER_MM - size * LINE_FACTOR - BORDER_PT) / 2, 0.0)  # frame measured on its line
    text = Para(
        "dau_khan",
        [Run(upper_vi(do_khan), bold=True, color=colour)],
        size,
        align="center",
        space_before_pt=round(pad, 2),
        space_after_pt=round(pad, 2),
    )
    frame = Table(
        "dau_khan",
        [Row([Cell([text], width_mm)])],
        [width_mm],
        borders=True,
        border_color=colour,
    )
    gap = Para("dau_khan_cach", [Run("")], SPACE_BEFORE_PT / LINE_FACTOR)
    return [gap, frame]
