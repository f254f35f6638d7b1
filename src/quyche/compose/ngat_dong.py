"""Line breaks in header names: a name is printed on as few lines as fit its cell, and it goes to a new line
only at the points lexicon/ngat-dong.yaml lists — never inside a name ("VIỆN KIỂM SÁT NHÂN / DÂN" is
what this module exists to prevent; NĐ 30/2020, Phụ lục I, II.2.a–b lets the agency name run over several
lines, centred)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data_cache import load_yaml
from ..measure import text_units, text_width_mm, units_mm, wrap_lines
from ..normalize import upper_vi

_LEXICON = Path(__file__).resolve().parent.parent / "lexicon" / "ngat-dong.yaml"
EXPLICIT = "|"  # a clerk's own break point inside a header line
MAX_BREAKS = 8  # beyond this many break points only the cheapest are tried (names are short; this bounds 2^n)


@dataclass(frozen=True)
class Split:
    """One way of breaking a header name into lines, with its cost."""

    lines: tuple[str, ...]  # as printed (upper case)
    cost: int
    width_mm: float  # the widest line

    def fits(self, max_mm: float) -> bool:
        return self.width_mm <= max_mm


@lru_cache(maxsize=1)
def _data() -> dict:
    return load_yaml(_LEXICON.read_text(encoding="utf-8"), str(_LEXICON))


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    data = _data()
    places = tuple(tuple(w.lower().split()) for w in data["dia_danh"])
    phrases = tuple(tuple(w.lower().split()) for w in data["truoc_cum"])
    return places, phrases


def _starts(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(w.lower() for w in words[i : i + len(phrase)]) == phrase


def _proper(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def break_costs(words: list[str]) -> dict[int, int]:
    """{i: cost} for each gap before ``words[i]`` where a line may end (lexicon/ngat-dong.yaml)."""
    places, phrases = _lexicon()
    costs: dict[int, int] = {}
    for i in range(1, len(words)):
        if i in costs:
            continue
        for place in places:
            nxt = i + len(place)
            if _starts(words, i, place) and nxt < len(words) and _proper(words[nxt]):
                costs[i] = 1
                if len(words) - nxt >= 2:  # a long proper name may go under its "thành phố", "huyện"
                    costs.setdefault(nxt, 4)
        if i not in costs and any(_starts(words, i, ph) for ph in phrases):
            costs[i] = 2
        if i not in costs and (words[i - 1].endswith(",") or words[i].lower() == "và"):
            costs[i] = 3
    return costs


def splits(text: str, size_pt: float, *, bold: bool) -> list[Split]:
    """Every way to print ``text`` (one header line, maybe with "|") on one or more lines, upper case."""
    words: list[str] = []
    explicit: set[int] = set()
    for token in text.replace(EXPLICIT, f" {EXPLICIT} ").split():
        if token == EXPLICIT:
            if words:
                explicit.add(len(words))
        else:
            words.append(token)
    if not words:
        return []
    costs = break_costs(words)
    costs.update(dict.fromkeys(explicit, 0))
    points = sorted(costs, key=lambda i: (costs[i], i))[:MAX_BREAKS]
    out: list[Split] = []
    for n in range(len(points) + 1):
        for chosen in itertools.combinations(sorted(points), n):
            bounds = [0, *chosen, len(words)]
            lines = tuple(upper_vi(" ".join(words[a:b])) for a, b in itertools.pairwise(bounds))
            width = max(text_width_mm(line, size_pt, bold=bold) for line in lines)
            out.append(Split(lines, sum(costs[i] for i in chosen), width))
    return out


def best_split(text: str, size_pt: float, max_mm: float, *, bold: bool) -> tuple[Split, bool]:
    """The split that fits ``max_mm`` with the fewest lines, then the lowest cost, then the narrowest; when
    none fits, the narrowest of all (and False, so that the caller can say which line is too wide)."""
    options = splits(text, size_pt, bold=bold)
    if not options:
        return Split((), 0, 0.0), True
    fitting = [s for s in options if s.fits(max_mm)]
    if fitting:
        return min(fitting, key=lambda s: (len(s.lines), s.cost, s.width_mm)), True
    return min(options, key=lambda s: (s.width_mm, len(s.lines), s.cost)), False


def plain(text: str) -> str:
    """A header line without the clerk's break marks, as it reads in running text."""
    return re.sub(r"\s*\|\s*", " ", text).strip()


# A range of years or numbers ("giai đoạn 2021 - 2026") is one unit to the reader: a title line never ends
# on "2021 -" with "2026" on the next (the spaces around the dash become no-break spaces, which Word and
# WeasyPrint both honour).
_RANGE = re.compile(r"(\d+) ?([-–]) ?(\d+)")


def keep_ranges(text: str) -> str:
    return _RANGE.sub(lambda m: f"{m[1]}\u00a0{m[2]}\u00a0{m[3]}" if " " in m[0] else m[0], text)


# ---- centred titles of several lines (the trích yếu) ----------------------------------------------------
_BIND = 60.0**2  # mm²: a line ending on a binding word costs as much as 60 mm of unevenness
_NAME = 60.0**2  # inside a name: "Tỉnh | ủy", "Ban Tuyên | giáo"
_PLAIN = 30.0**2  # between two ordinary words (rather than before a capital, a comma's next word, "của" …)
_SAFETY_MM = 2.0  # measured widths are Times New Roman advances; keep a margin for the layout engines


@lru_cache(maxsize=1)
def _title_words() -> tuple[frozenset[str], frozenset[str], frozenset[tuple[str, ...]]]:
    data = _data()
    places = frozenset(p for p in data["dia_danh"] if " " not in p)
    pairs = frozenset((a, b) for word in data["tu_ghep"] for a, b in itertools.pairwise(word.lower().split()))
    return frozenset(data["khong_cuoi_dong"]), places, pairs


def _gap_cost(words: list[str], i: int) -> float:
    """The cost of ending a line before ``words[i]``."""
    binding, places, pairs = _title_words()
    before, after = words[i - 1], words[i]
    if before.lower() in binding or after in ("-", "–"):
        return _BIND  # (and a line never starts with a dash: it would read as a list item)
    if (before.lower(), after.lower().rstrip(",;:")) in pairs:
        return _NAME  # "nhân | dân", "Tổ | quốc"
    if before.endswith((",", ";", ":")) or after.lower() in binding:
        return -_PLAIN  # after a comma, before "và", "của", "giữa" …: where a clerk breaks a title
    if before[:1].isupper() and (after[:1].islower() or after[:1].isupper()):
        return _NAME  # "Tỉnh | ủy", "Ban | Tuyên giáo", "Ủy ban | Mặt trận"
    if after.lower() in places and not (i + 1 < len(words) and words[i + 1][:1].isupper()):
        return _NAME  # "nhân dân | tỉnh": the place word ends the body's name
    if before.lower() in places:
        return _PLAIN  # "tỉnh | Tuyên Quang"
    if after[:1].isupper() or after[:1].isdigit():
        return 0.0
    return _PLAIN


def even_lines(text: str, size_pt: float, width_mm: float, *, bold: bool) -> list[str]:
    """``text`` in as many lines as a word processor's wrap would give, but of even length and broken at good
    points (lexicon/ngat-dong.yaml, khong_cuoi_dong), as a clerk breaks a trích yếu by hand. Words joined by
    a no-break space stay together."""
    words = [w for w in text.split(" ") if w]
    usable = width_mm - _SAFETY_MM
    count = len(wrap_lines(text, size_pt, usable, bold=bold))  # (so that an even split always exists)
    if count <= 1 or text_width_mm(text, size_pt, bold=bold) <= width_mm:
        return [text]
    n = len(words)
    # the width of words[i:j] joined by spaces, from the words' own units (measure.text_units is additive)
    space = text_units(" ", bold=bold)
    starts = list(itertools.accumulate((text_units(w, bold=bold) + space for w in words), initial=0))

    def width(i: int, j: int) -> float:
        return units_mm(starts[j] - starts[i] - space, size_pt, bold=bold)

    # best[k][j]: (cost, breaks) for words[:j] in k lines; the cost is the squared slack of every line
    # against the widest allowed plus the cost of each break — equal slack means even lines.
    inf = float("inf")
    best: list[list[tuple[float, tuple[int, ...]]]] = [[(inf, ())] * (n + 1) for _ in range(count + 1)]
    best[0][0] = (0.0, ())
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            for i in range(k - 1, j):
                prev = best[k - 1][i]
                if prev[0] == inf:
                    continue
                w = width(i, j)
                if w > usable:
                    continue
                cost = prev[0] + (usable - w) ** 2 + (_gap_cost(words, i) if i else 0.0)
                if cost < best[k][j][0]:
                    best[k][j] = (cost, (*prev[1], i))
    cost, breaks = best[count][n]
    if cost == inf:  # a single word wider than the column: the word processor's own wrap
        return [text]
    edges = [*breaks, n]
    return [" ".join(words[edges[m] : edges[m + 1]]) for m in range(count)]
