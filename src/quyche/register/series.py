"""Number series (dãy số) and the values every register line is made of: terms, dates, texts."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..normalize import clean_text, format_so

GIU_SO, BAN_HANH, HUY = "giu_so", "ban_hanh", "huy"
TRANG_THAI_TEN = {GIU_SO: "đã giữ số", BAN_HANH: "đã ban hành", HUY: "đã hủy"}
HE_THONG = ("nha_nuoc", "mat_tran", "dang")
_SERIES_KEYS = {"he_thong", "co_quan", "nam", "loai", "nhiem_ky", "mat"}


class RegisterError(Exception):
    """A refusal of the register, with a Vietnamese message for the clerk."""


# --- series ----------------------------------------------------------------------------------------------------

_TERM = re.compile(r"(\d{4})\s*[-‐‑‒–—]\s*(\d{4})")


def normalize_nhiem_ky(value: str) -> str:
    """A committee term label, "2020 – 2025" → "2020-2025" (HD 36-HD/VPTW, 1.3.1: numbering per nhiệm kỳ)."""
    m = _TERM.fullmatch(clean_text(str(value)))
    if not m or int(m[2]) <= int(m[1]):
        raise RegisterError(f'nhiệm kỳ không hợp lệ: {value!r} (ghi dạng "2020-2025").')
    return f"{m[1]}-{m[2]}"


def _text(value: Any, what: str, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RegisterError(f"thiếu {what}.")
        return None
    if isinstance(value, (list, tuple)):
        value = "; ".join(clean_text(str(v)) for v in value if str(v).strip())
        return _text(value, what, required=required)
    text = clean_text(str(value))
    if required and not text:
        raise RegisterError(f"thiếu {what}.")
    return text or None


@dataclass(frozen=True)
class Series:
    """One number series (dãy số), and the document type recorded on the entries taken from it.

    For State and Front bodies ``loai`` is recorded but is not part of the series: one series per body per year
    covers every type (NĐ 30/2020, Điều 15.1). For Party bodies the type is part of the series (HD 36, 1.3.1).
    """

    he_thong: str
    co_quan: str
    nam: int | None = None
    loai: str | None = None
    nhiem_ky: str | None = None
    mat: bool = False

    @classmethod
    def of(cls, value: SeriesLike, *, ngay: dt.date | None = None) -> Series:
        """Validate a series given as a Series or a mapping with the keys he_thong, co_quan, nam, loai,
        nhiem_ky, mat. A State series without ``nam`` takes the year of ``ngay``."""
        if isinstance(value, Series):
            data: dict[str, Any] = {k: getattr(value, k) for k in _SERIES_KEYS}
        elif isinstance(value, Mapping):
            unknown = sorted(set(value) - _SERIES_KEYS)
            if unknown:
                raise RegisterError(
                    f"khóa không hợp lệ trong dãy số: {', '.join(unknown)} (dùng: {', '.join(sorted(_SERIES_KEYS))})."
                )
            data = dict(value)
        else:
            raise RegisterError(f"dãy số không hợp lệ: {value!r}.")
        he_thong = data.get("he_thong") or "nha_nuoc"
        if he_thong not in HE_THONG:
            raise RegisterError(f"hệ thống không hợp lệ: {he_thong!r} (dùng: {', '.join(HE_THONG)}).")
        co_quan = _text(data.get("co_quan"), "cơ quan (chữ viết tắt, ví dụ UBND, BTGTU)", required=True)
        loai = _text(data.get("loai"), "tên loại viết tắt")
        nhiem_ky = data.get("nhiem_ky")
        nhiem_ky = normalize_nhiem_ky(nhiem_ky) if nhiem_ky not in (None, "") else None
        nam = data.get("nam")
        if he_thong == "dang":
            if loai is None:
                # HD 36-HD/VPTW 1.3.1: Party numbers run per document type
                raise RegisterError(f"thiếu tên loại viết tắt (QC, CTr, GM, BB…) cho sổ của cơ quan Đảng {co_quan}.")
            # HD 36-HD/VPTW 1.3.1: a Party series spans a term and is never keyed by year; secret documents
            # share the series of their type
            return cls("dang", co_quan, None, loai, nhiem_ky, False)
        if nam in (None, "") and ngay is not None:
            nam = ngay.year
        if nam in (None, ""):
            raise RegisterError(f"thiếu năm cho sổ của {co_quan} (NĐ 30/2020, Điều 15.1: số đăng ký theo từng năm).")
        try:
            year = int(nam)
        except (TypeError, ValueError):
            raise RegisterError(f"năm không hợp lệ: {nam!r}.") from None
        if not 1900 <= year <= 2999:
            raise RegisterError(f"năm không hợp lệ: {nam!r}.")
        return cls(he_thong, co_quan, year, loai, None, bool(data.get("mat")))

    @property
    def party(self) -> bool:
        return self.he_thong == "dang"

    @property
    def khoa(self) -> str:
        """The key that decides which numbers share one counter."""
        if self.party:
            if self.nhiem_ky is None:
                raise RegisterError(f"thiếu nhiệm kỳ cho sổ của cơ quan Đảng {self.co_quan}.")
            return json.dumps(["nhiem_ky", self.co_quan, self.loai, self.nhiem_ky], ensure_ascii=False)
        return json.dumps(["nam", self.co_quan, self.nam, self.mat], ensure_ascii=False)

    @property
    def ten(self) -> str:
        """Human label: "UBND – năm 2025", "BTGTU – CTr – nhiệm kỳ 2020-2025"."""
        if self.party:
            return f"{self.co_quan} – {self.loai} – nhiệm kỳ {self.nhiem_ky or '?'}"
        return f"{self.co_quan} – năm {self.nam}" + (" – văn bản mật" if self.mat else "")

    @property
    def ten_ngan(self) -> str:
        """Short label (an Excel sheet name): "UBND 2025", "BTGTU CTr 2020-2025"."""
        if self.party:
            return f"{self.co_quan} {self.loai} {self.nhiem_ky or ''}".strip()
        return f"{self.co_quan} {self.nam}" + (" mật" if self.mat else "")

    def check_ngay(self, ngay: dt.date) -> None:
        """The document date must fall in the series: its year (State) or the years of the term (Party)."""
        if self.party:
            if self.nhiem_ky:
                start, end = (int(x) for x in self.nhiem_ky.split("-"))
                if not start <= ngay.year <= end:
                    raise RegisterError(
                        f"ngày {ngay:%d/%m/%Y} ngoài nhiệm kỳ {self.nhiem_ky} của sổ {self.ten} "
                        "(HD 36-HD/VPTW 1.3.1: số theo nhiệm kỳ cấp ủy)."
                    )
        elif ngay.year != self.nam:
            raise RegisterError(
                f"ngày {ngay:%d/%m/%Y} không thuộc năm {self.nam} của sổ {self.ten} "
                "(NĐ 30/2020, Điều 15.1: số văn bản lấy theo năm, từ 01/01 đến 31/12)."
            )


SeriesLike = Series | Mapping[str, Any]  # a Series, or a mapping such as {"he_thong": "dang", "co_quan": "BTGTU", …}


def format_so_ky_hieu(series: Series, so: int, text: str) -> str:
    """The number and symbol as written in column (1). ``text`` is the full "05/QĐ-UBND" (checked against the
    number) or only the symbol "QĐ-UBND", which gets the number: "05/QĐ-UBND" (NĐ 30/2020, Phụ lục I, II.3),
    "05-GM/BTGTU" (HD 36-HD/VPTW, 1.3). Numbers below 10 take a leading zero."""
    text = re.sub(r"^Số\s*:?\s*", "", clean_text(text), flags=re.IGNORECASE)
    m = re.match(r"\d+", text)
    if m:
        if int(m[0]) != so:
            raise RegisterError(f'số, ký hiệu "{text}" không khớp với số {format_so(so)} đã giữ trong sổ {series.ten}.')
        return text
    if not text:
        raise RegisterError("thiếu số, ký hiệu văn bản.")
    return f"{format_so(so)}{'-' if series.party else '/'}{text.lstrip('/-')}"


# --- dates -----------------------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_ngay(value: Any, what: str = "ngày") -> dt.date | None:
    """A date from a date, "2025-03-05" or "05/03/2025" (day first, the Vietnamese order)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if m := _YMD.fullmatch(text):
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            if m := _DMY.fullmatch(text):
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            pass
    raise RegisterError(f"{what} không hợp lệ: {value!r} (ghi dd/mm/yyyy hoặc yyyy-mm-dd).")


def _dmy(d: dt.date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
