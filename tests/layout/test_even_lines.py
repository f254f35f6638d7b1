"""Trích yếu of several lines (compose/ngat_dong.even_lines), on titles generated from real names
(tests/fixtures/ten-co-quan.yaml): "Phối hợp công tác giữa A và B giai đoạn …" for pairs of bodies of every
system under every province. The lines keep every word in order, fit the text column, are as many as a word
processor's wrap gives (2 mm narrower), are even, end on a word that binds to what follows far less often
than a plain wrap, never start with a dash, and never split a year range."""

from __future__ import annotations

import random

import yaml

from quyche.compose.ngat_dong import _LEXICON, even_lines, keep_ranges
from quyche.measure import text_width_mm, wrap_lines

from layout.corpus import bodies, provinces

WIDTH_MM = 160.0  # A4 less the NĐ 30 margins (30 + 20 mm)
STARTS = ["Phối hợp công tác giữa", "Phối hợp thông tin, tuyên truyền giữa", "Sơ kết phối hợp giữa"]
BINDING = set(yaml.safe_load(_LEXICON.read_text(encoding="utf-8"))["khong_cuoi_dong"])


def titles() -> list[str]:
    rng = random.Random(30)
    out = []
    for province in provinces():
        members = bodies(province)
        for _ in range(12):
            a, b = rng.sample(members, 2)
            start = rng.choice(STARTS)
            years = rng.choice(["giai đoạn 2026 - 2030", "năm 2026", "nhiệm kỳ 2026 - 2031"])
            out.append(keep_ranges(f"{start} {a.ten} và {b.ten} {years}"))
    return out


def test_even_lines_on_generated_titles() -> None:
    cases = titles()
    assert len(cases) > 300
    several = ends = greedy_ends = 0
    for text in cases:
        lines = even_lines(text, 14, WIDTH_MM, bold=True)
        greedy = wrap_lines(text, 14, WIDTH_MM - 2, bold=True)  # (even_lines keeps 2 mm for the engines)
        assert " ".join(lines) == text
        assert len(lines) == len(greedy), (text, lines)
        widths = [text_width_mm(line, 14, bold=True) for line in lines]
        assert max(widths) <= WIDTH_MM, (text, lines)
        if len(lines) < 2:
            continue
        several += 1
        # even: no line much shorter than the others, unless the greedy wrap was as uneven
        greedy_widths = [text_width_mm(line, 14, bold=True) for line in greedy]
        assert max(widths) - min(widths) <= max(45.0, max(greedy_widths) - min(greedy_widths)), (text, lines)
        ends += sum(line.split(" ")[-1].lower() in BINDING for line in lines[:-1])
        greedy_ends += sum(line.split(" ")[-1].lower() in BINDING for line in greedy[:-1])
        assert not any(line.startswith(("-", "–")) for line in lines), lines  # (it would read as a list item)
        assert not any(line.endswith(("\u00a0-", "2026")) for line in lines[:-1]), lines
    assert several > 100
    # a line ending on "của", "và", "giữa" … only where no even split avoids it: far fewer than a plain wrap
    assert ends * 4 <= greedy_ends and greedy_ends > 20, (ends, greedy_ends)


def test_one_line_stays_one_line() -> None:
    assert even_lines("Phối hợp công tác năm 2026", 14, WIDTH_MM, bold=True) == ["Phối hợp công tác năm 2026"]
