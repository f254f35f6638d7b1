"""Rules on the numbering of a regulation's parts (ND30-PL1 §II.6.đ): "Chương" and its Roman number, "Mục" and
its Arabic number (from 1 in each Chương), "Điều 1." numbered on across the Chương, khoản "1." (State) / "1-"
(Party) from 1 in each Điều, điểm "a)", "b)"… in the alphabet's order (no "f", "j", "w", "z") in each khoản.
The forms are the profile's (``heading.chuong``, ``heading.muc``, ``heading.dieu``, ``list.khoan``,
``list.diem``, ``list.diem_alphabet``): the rule ids are those keys. A type name further down (a regulation
issued with a quyết định) starts a new numbering."""

from __future__ import annotations

import re

from ..normalize import DIEM_ALPHABET, roman
from .context import Context
from .detect import KINDS, fold
from .model import Line

_ROMAN = re.compile(r"^[IVXLCDM]+$")
_NUM = re.compile(r"^(\S+)")


def _label(fmt: str) -> str:
    """'Chương {so}' → 'Chương', 'Điều {so}. ' → 'Điều'."""
    return fmt.split("{so}")[0].strip()


def _mark(fmt: str) -> str:
    """'{so}. ' → '.', '{so}) ' → ')', 'Điều {so}. ' → '.'."""
    return fmt.split("{so}")[1].strip()


def from_roman(text: str) -> int | None:
    if not _ROMAN.match(text):
        return None
    for n in range(1, 60):
        if roman(n) == text:
            return n
    return None


def _follows(prev: tuple[int, int], n: int) -> tuple[bool, tuple[int, int]]:
    """Whether ``n`` follows the last number written or the one that should have been (one slip is reported
    once, not again at every number after it), and the pair to carry on with."""
    ok = n in (prev[0] + 1, prev[1] + 1)
    return ok, (n, n) if ok else (n, prev[0] + 1)


class _Numbers:
    """The numbering walked in reading order: what the next Chương, Mục, Điều, khoản and điểm should be."""

    def __init__(self, c: Context) -> None:
        self.c = c
        self.alphabet = [str(x) for x in c.profile.get("list.diem_alphabet", DIEM_ALPHABET)]
        self.reset()

    def reset(self) -> None:
        self.chuong = self.muc = self.dieu = 0
        self.khoan = 0
        self.dieu_pair = self.khoan_pair = self.chuong_pair = (0, 0)
        self.diem = -1
        self.in_dieu = False

    def chuong_line(self, ln: Line) -> None:
        c = self.c
        word, num = ln.text.split()[0], ln.text.split()[1].rstrip(".:")
        n = from_roman(num)
        want_word = _label(str(c.profile.get("heading.chuong")))
        if word != want_word or n is None or ln.text.split()[1] != num:
            c.find(
                "heading.chuong",
                f'Chương viết "{want_word} I", "{want_word} II"… (chữ in thường, số La Mã, không dấu chấm).',
                ln,
            )
        elif not _follows(self.chuong_pair, n)[0]:
            c.find("heading.chuong", f"Chương {num} sau Chương {roman(self.chuong) if self.chuong else '—'}: "
                   "Chương đánh số liên tiếp I, II, III….", ln)  # fmt: skip
        self.chuong_pair = _follows(self.chuong_pair, n)[1] if n else (self.chuong + 1,) * 2
        self.chuong = n or self.chuong + 1
        self.muc = 0
        self.in_dieu = False

    def muc_line(self, ln: Line) -> None:
        c = self.c
        word, num = ln.text.split()[0], ln.text.split()[1].rstrip(".:")
        want_word = _label(str(c.profile.get("heading.muc")))
        if word != want_word or not num.isdigit():
            c.find("heading.muc", f'Mục viết "{want_word} 1", "{want_word} 2"… (số Ả Rập).', ln)
            self.muc += 1
            return
        if int(num) != self.muc + 1:
            c.find("heading.muc", f"Mục {num} sau Mục {self.muc or '—'}: Mục đánh số từ 1 trong mỗi Chương.", ln)
        self.muc = int(num)
        self.in_dieu = False

    def dieu_line(self, ln: Line) -> None:
        c = self.c
        m = re.match(r"^Điều (\d+)\.(\s|$)", ln.text)
        if m is None:
            c.find("heading.dieu", 'Điều viết "Điều 1. Tên điều" (số Ả Rập, dấu chấm).', ln)
            digits = re.match(r"^Điều\s+(\d+)", ln.text)
            self.dieu = int(digits.group(1)) if digits else self.dieu + 1
            self.dieu_pair = (self.dieu, self.dieu)
        else:
            n = int(m.group(1))
            ok, self.dieu_pair = _follows(self.dieu_pair, n)
            if not ok:
                c.find(
                    "heading.dieu",
                    f"Điều {n} sau Điều {self.dieu or '—'}: Điều đánh số liên tiếp trong cả văn bản, "
                    "không bắt đầu lại ở mỗi Chương.",
                    ln,
                )
            self.dieu = n
        self.in_dieu = True
        self.khoan = 0
        self.khoan_pair = (0, 0)
        self.diem = -1

    def khoan_line(self, ln: Line, mark: str) -> None:
        m = re.match(r"^(\d+)\s*([.\-–)])", ln.text)
        if m is None or not self.in_dieu:
            return
        n = int(m.group(1))
        if m.group(2) != mark:
            self.c.find("list.khoan", f'Khoản đánh số "1{mark}", "2{mark}"….', ln)
        elif not _follows(self.khoan_pair, n)[0]:
            self.c.find(
                "list.khoan", f"Khoản {n} sau khoản {self.khoan or '—'}: khoản đánh số 1, 2, 3… trong mỗi Điều.", ln
            )
        self.khoan_pair = _follows(self.khoan_pair, n)[1]
        self.khoan = n
        self.diem = -1

    def diem_line(self, ln: Line, mark: str) -> None:
        m = re.match(r"^([a-zđ]+)\s*([).])", ln.text)
        if m is None or not self.in_dieu:
            return
        letter = m.group(1)
        idx = self.alphabet.index(letter) if letter in self.alphabet else None
        if m.group(2) != mark:
            self.c.find("list.diem", f'Điểm viết "a{mark}", "b{mark}"….', ln)
        elif idx is None:
            letters = ", ".join(self.alphabet)
            self.c.find("list.diem", f'Điểm "{letter}" không có trong bảng chữ đánh điểm ({letters}).', ln)
        elif idx != self.diem + 1:
            want = self.alphabet[self.diem + 1] if self.diem + 1 < len(self.alphabet) else "?"
            self.c.find(
                "list.diem",
                f'Điểm "{letter}{mark}" đứng sau "{self.alphabet[self.diem] if self.diem >= 0 else "—"}": '
                f'phải là "{want}{mark}" (a, b, c, d, đ, e, g…).',
                ln,
            )
        self.diem = idx if idx is not None else self.diem + 1


def check_numbering(c: Context) -> None:
    numbers = _Numbers(c)
    by_dieu = c.ident.kind in ("quy_che", "quyet_dinh")
    khoan_mark = _mark(str(c.profile.get("list.khoan"))) if c.has("list.khoan") else ""
    diem_mark = _mark(str(c.profile.get("list.diem"))) if c.has("list.diem") else ""
    seen_type = False
    for ln in c.sheet.lines:
        if ln.zone == "header":
            continue
        if fold(ln.text) in KINDS:  # a type name: the document, or one issued with it, starts its numbering
            if seen_type:
                numbers.reset()
            seen_type = True
            continue
        if ln.role == "chuong" and c.has("heading.chuong"):
            numbers.chuong_line(ln)
        elif ln.role == "muc" and c.has("heading.muc"):
            numbers.muc_line(ln)
        elif ln.role == "dieu" and c.has("heading.dieu"):
            numbers.dieu_line(ln)
        elif ln.role == "khoan" and by_dieu and khoan_mark:
            numbers.khoan_line(ln, khoan_mark)
        elif ln.role == "diem" and by_dieu and diem_mark:
            numbers.diem_line(ln, diem_mark)
