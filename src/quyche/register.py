"""Sổ đăng ký văn bản đi — the outgoing register: numbers that are never issued twice (domain.md §7, §8.3).

One SQLite file per workspace (default ``./.quyche/so-dang-ky.sqlite3``, or ``$QUYCHE_REGISTER``) holds every
number series (dãy số) of the office and every number taken from them, in registration order:

- State and Front bodies (``he_thong`` "nha_nuoc", "mat_tran"): one series per issuing body per calendar year,
  from 01 on 1 January to 31 December, whatever the document type (NĐ 30/2020, Điều 15.1); secret documents have
  their own series (Điều 15.2).
- Party bodies ("dang"): one series per body per document type (QC, CTr, GM, BB, …) per committee term (nhiệm kỳ
  "2020-2025"), not reset each year (HD 36-HD/VPTW, 1.3.1). The term is given by the caller or configured once per
  body (``set_nhiem_ky``); a new term starts every type again at 01.

A number's life: ``reserve`` (giữ số) → ``issue`` (ban hành: số, ký hiệu, ngày, trích yếu, người ký, nơi nhận) or
``void`` (hủy số). A voided number stays used and is never given again; the reason is printed in "Ghi chú".

Guarantees:
- numbers are taken inside one ``BEGIN IMMEDIATE`` transaction (a whole batch at once with ``reserve_many``):
  all or nothing, never twice, no gap, also with several processes on the same file (WAL, busy timeout);
- the file is append-only for numbers: triggers refuse to delete an entry, to change its number, to reuse a
  voided entry or to move a series' last number backwards, even for someone editing the file by hand;
- ``export_csv`` / ``export_xlsx`` print the book's 10 columns of NĐ 30/2020, Phụ lục IV, written atomically.

SQLite locking needs a local file system: keep the register off network shares.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import sqlite3
import time
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .normalize import clean_text, format_so
from .output import atomic_write

__all__ = [
    "BAN_HANH",
    "COLUMNS",
    "ENV_VAR",
    "GIU_SO",
    "HUY",
    "Entry",
    "Register",
    "RegisterError",
    "Series",
    "default_path",
]

ENV_VAR = "QUYCHE_REGISTER"
DEFAULT_PATH = Path(".quyche") / "so-dang-ky.sqlite3"
SCHEMA_VERSION = 1
APPLICATION_ID = 0x51594348  # "QYCH" in the SQLite header: this file is a quyche register
MAX_RESERVE = 1000  # numbers are never given back: a typo like "-n 10000" would burn a year's series

# NĐ 30/2020, Phụ lục IV: the 10 columns of the sổ đăng ký văn bản đi, in this order.
COLUMNS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)

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


# --- entries ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of the register: a number reserved, issued or voided. ``id`` is the registration order."""

    id: int
    so: int
    trang_thai: str  # GIU_SO | BAN_HANH | HUY
    series: Series
    loai: str | None = None
    so_ky_hieu: str | None = None
    ngay: dt.date | None = None
    trich_yeu: str | None = None
    nguoi_ky: str | None = None
    noi_nhan: str | None = None
    don_vi_luu: str | None = None
    so_luong_ban: int | None = None
    ngay_chuyen: dt.date | None = None
    ky_nhan: str | None = None
    ghi_chu: str | None = None
    ly_do_huy: str | None = None
    giu_luc: str = ""
    ban_hanh_luc: str | None = None
    huy_luc: str | None = None

    @property
    def so_hien_thi(self) -> str:
        """ "05": numbers below 10 take a leading zero (NĐ 30/2020, Phụ lục I, II.3.a)."""
        return format_so(self.so)

    @property
    def ghi_chu_so(self) -> str:
        """Column (10): the clerk's note, plus the state of a number that was not (or no longer) issued."""
        parts = [self.ghi_chu] if self.ghi_chu else []
        if self.trang_thai == HUY:
            when = parse_ngay(self.huy_luc[:10]) if self.huy_luc else None
            parts.append(f"Đã hủy số{f' ngày {_dmy(when)}' if when else ''}: {self.ly_do_huy}")
        elif self.trang_thai == GIU_SO:
            parts.append("Đã giữ số, chưa ban hành")
        return "; ".join(parts)

    def values(self) -> tuple[Any, ...]:
        """The 10 columns of NĐ 30/2020, Phụ lục IV as values (dates as dates, the copy count as int)."""
        return (
            self.so_ky_hieu or self.so_hien_thi,
            self.ngay,
            self.trich_yeu or "",
            self.nguoi_ky or "",
            self.noi_nhan or "",
            self.don_vi_luu or "",
            self.so_luong_ban,
            self.ngay_chuyen,
            self.ky_nhan or "",
            self.ghi_chu_so,
        )

    def cells(self) -> tuple[str, ...]:
        """The 10 columns as text, dates as dd/mm/yyyy."""
        return tuple(_dmy(v) if isinstance(v, dt.date) else "" if v is None else str(v) for v in self.values())

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> Entry:
        series = Series(
            row["d_he_thong"], row["d_co_quan"], row["d_nam"], row["d_loai"], row["d_nhiem_ky"],
            bool(row["d_mat"]),
        )  # fmt: skip
        return cls(
            id=row["id"],
            so=row["so"],
            trang_thai=row["trang_thai"],
            series=series,
            loai=row["loai"],
            so_ky_hieu=row["so_ky_hieu"],
            ngay=parse_ngay(row["ngay"]),
            trich_yeu=row["trich_yeu"],
            nguoi_ky=row["nguoi_ky"],
            noi_nhan=row["noi_nhan"],
            don_vi_luu=row["don_vi_luu"],
            so_luong_ban=row["so_luong_ban"],
            ngay_chuyen=parse_ngay(row["ngay_chuyen"]),
            ky_nhan=row["ky_nhan"],
            ghi_chu=row["ghi_chu"],
            ly_do_huy=row["ly_do_huy"],
            giu_luc=row["giu_luc"],
            ban_hanh_luc=row["ban_hanh_luc"],
            huy_luc=row["huy_luc"],
        )


# --- schema ----------------------------------------------------------------------------------------------------

_SCHEMA_V1 = (
    """CREATE TABLE co_quan (
        viet_tat TEXT PRIMARY KEY,
        he_thong TEXT NOT NULL CHECK (he_thong IN ('nha_nuoc', 'mat_tran', 'dang')),
        nhiem_ky TEXT  -- current committee term of a Party body (HD 36-HD/VPTW 1.3.1)
    )""",
    """CREATE TABLE day_so (
        id INTEGER PRIMARY KEY,
        khoa TEXT NOT NULL UNIQUE,
        he_thong TEXT NOT NULL,
        co_quan TEXT NOT NULL,
        loai TEXT,
        nam INTEGER,
        nhiem_ky TEXT,
        mat INTEGER NOT NULL DEFAULT 0,
        so_cuoi INTEGER NOT NULL DEFAULT 0 CHECK (so_cuoi >= 0),
        CHECK ((he_thong = 'dang' AND loai IS NOT NULL AND nhiem_ky IS NOT NULL)
            OR (he_thong <> 'dang' AND nam IS NOT NULL))
    )""",
    """CREATE TABLE van_ban (
        id INTEGER PRIMARY KEY,
        day_so_id INTEGER NOT NULL REFERENCES day_so (id),
        so INTEGER NOT NULL CHECK (so >= 1),
        trang_thai TEXT NOT NULL CHECK (trang_thai IN ('giu_so', 'ban_hanh', 'huy')),
        loai TEXT,
        so_ky_hieu TEXT,
        ngay TEXT,
        trich_yeu TEXT,
        nguoi_ky TEXT,
        noi_nhan TEXT,
        don_vi_luu TEXT,
        so_luong_ban INTEGER,
        ngay_chuyen TEXT,
        ky_nhan TEXT,
        ghi_chu TEXT,
        ly_do_huy TEXT,
        giu_luc TEXT NOT NULL,
        ban_hanh_luc TEXT,
        huy_luc TEXT,
        UNIQUE (day_so_id, so)
    )""",
    # append-only for numbers, whoever writes to the file
    """CREATE TRIGGER van_ban_khong_xoa BEFORE DELETE ON van_ban
        BEGIN SELECT RAISE(ABORT, 'sổ đăng ký không cho xóa số đã giữ'); END""",
    """CREATE TRIGGER van_ban_khong_doi_so BEFORE UPDATE OF so, day_so_id ON van_ban
        BEGIN SELECT RAISE(ABORT, 'sổ đăng ký không cho đổi số đã giữ'); END""",
    """CREATE TRIGGER van_ban_huy_la_het BEFORE UPDATE ON van_ban WHEN OLD.trang_thai = 'huy'
        BEGIN SELECT RAISE(ABORT, 'số đã hủy không được dùng lại'); END""",
    """CREATE TRIGGER day_so_khong_xoa BEFORE DELETE ON day_so
        BEGIN SELECT RAISE(ABORT, 'sổ đăng ký không cho xóa dãy số'); END""",
    """CREATE TRIGGER day_so_khong_lui BEFORE UPDATE OF so_cuoi ON day_so WHEN NEW.so_cuoi < OLD.so_cuoi
        BEGIN SELECT RAISE(ABORT, 'số cuối của dãy số không được lùi'); END""",
)
# _MIGRATIONS[v] brings a file from user_version v to v + 1 (v >= 1); none yet.
_MIGRATIONS: dict[int, tuple[str, ...]] = {}

_SELECT = """SELECT v.*, d.he_thong AS d_he_thong, d.co_quan AS d_co_quan, d.nam AS d_nam, d.loai AS d_loai,
    d.nhiem_ky AS d_nhiem_ky, d.mat AS d_mat
    FROM van_ban v JOIN day_so d ON d.id = v.day_so_id"""
_ORDER = " ORDER BY d.co_quan, d.nam, d.nhiem_ky, d.loai, d.mat, v.so"


def default_path() -> Path:
    """``$QUYCHE_REGISTER`` or ``./.quyche/so-dang-ky.sqlite3`` (one register per workspace)."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else DEFAULT_PATH


# --- the register ----------------------------------------------------------------------------------------------


class Register:
    """The outgoing register in one SQLite file. Cheap to create; every call opens its own connection, so an
    instance may be used from any thread or process (and pickled)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout: float = 30.0) -> None:
        self.path = Path(os.path.abspath(Path(path).expanduser() if path is not None else default_path()))
        self.timeout = timeout
        self._ready = False

    def __repr__(self) -> str:
        return f"Register({str(self.path)!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_ready": False}

    # --- numbers -----------------------------------------------------------------------------------------------

    def reserve(
        self,
        series: SeriesLike,
        count: int = 1,
        *,
        ngay: dt.date | str | None = None,
        trich_yeu: str | None = None,
        ghi_chu: str | None = None,
    ) -> list[int]:
        """Take the next ``count`` numbers of a series, all in one transaction: all or nothing, never twice.
        ``ngay`` (the planned date) gives a State series its year when ``nam`` is missing; ``trich_yeu`` and
        ``ghi_chu`` are recorded on each entry."""
        return self.reserve_many([(series, count)], ngay=ngay, trich_yeu=trich_yeu, ghi_chu=ghi_chu)[0]

    def reserve_many(
        self,
        requests: Sequence[tuple[SeriesLike, int]],
        *,
        keys: Sequence[Hashable] | None = None,
        ngay: dt.date | str | None = None,
        trich_yeu: str | None = None,
        ghi_chu: str | None = None,
    ) -> dict[Hashable, list[int]]:
        """Several reservations (a batch) in ONE transaction: ``{key: [numbers]}``, keys default to 0, 1, ….
        Requests for the same series (a State body's programme and invitation) get consecutive numbers."""
        day = parse_ngay(ngay, "ngày văn bản")
        keys = list(range(len(requests))) if keys is None else list(keys)
        if len(keys) != len(requests) or len(set(keys)) != len(keys):
            raise RegisterError("danh sách khóa phải có đúng một khóa riêng cho mỗi yêu cầu giữ số.")
        prepared = []
        for series, count in requests:
            if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_RESERVE:
                raise RegisterError(f"số lượng số cần giữ phải từ 1 đến {MAX_RESERVE}, không phải {count!r}.")
            prepared.append((Series.of(series, ngay=day), count))
        info = {
            "ngay": day.isoformat() if day else None,
            "trich_yeu": _text(trich_yeu, "trích yếu"),
            "ghi_chu": _text(ghi_chu, "ghi chú"),
        }
        out: dict[Hashable, list[int]] = {}
        with self._transaction() as conn:
            for key, (series, count) in zip(keys, prepared, strict=True):
                out[key] = [so for _, so in self._allocate(conn, series, count, info)]
        return out

    def issue(
        self,
        ref: SeriesLike | int,
        so: int | None = None,
        *,
        so_ky_hieu: str,
        ngay: dt.date | str,
        trich_yeu: str,
        nguoi_ky: str,
        noi_nhan: str | Sequence[str] | None = None,
        don_vi_luu: str | None = None,
        so_luong_ban: int | None = None,
        ngay_chuyen: dt.date | str | None = None,
        ky_nhan: str | None = None,
        ghi_chu: str | None = None,
    ) -> Entry:
        """Record an issued document (ban hành) on its number.

        ``ref`` is an entry id (``so`` omitted) or a series with the reserved number ``so``; a series without
        ``so`` takes the next number and issues it in the same transaction. ``so_ky_hieu`` is "05/QĐ-UBND"
        (checked against the number) or only the symbol "QĐ-UBND" (the number is put in front). Issuing an issued
        number again updates its line (a re-rendered document); a voided number cannot be issued.
        """
        day = parse_ngay(ngay, "ngày văn bản")
        if day is None:
            raise RegisterError("thiếu ngày văn bản.")
        if so_luong_ban is not None and (
            isinstance(so_luong_ban, bool) or not isinstance(so_luong_ban, int) or so_luong_ban < 1
        ):
            raise RegisterError(f"số lượng bản không hợp lệ: {so_luong_ban!r}.")
        fields = {
            "trich_yeu": _text(trich_yeu, "tên loại và trích yếu nội dung văn bản", required=True),
            "nguoi_ky": _text(nguoi_ky, "người ký", required=True),
            "noi_nhan": _text(noi_nhan, "nơi nhận"),
            "don_vi_luu": _text(don_vi_luu, "đơn vị, người nhận bản lưu"),
            "so_luong_ban": so_luong_ban,
            "ngay_chuyen": (d.isoformat() if (d := parse_ngay(ngay_chuyen, "ngày chuyển")) else None),
            "ky_nhan": _text(ky_nhan, "ký nhận"),
            "ghi_chu": _text(ghi_chu, "ghi chú"),
        }
        text = _text(so_ky_hieu, "số, ký hiệu văn bản", required=True) or ""
        with self._transaction() as conn:
            if not isinstance(ref, int) and so is None:
                series = Series.of(ref, ngay=day)
                info = {"ngay": day.isoformat(), "trich_yeu": fields["trich_yeu"], "ghi_chu": None}
                entry_id = self._allocate(conn, series, 1, info)[0][0]
                entry = self._get(conn, entry_id)
            else:
                entry = self._find(conn, ref, so, ngay=day)
            if entry.trang_thai == HUY:
                raise RegisterError(
                    f"số {entry.so_hien_thi} của sổ {entry.series.ten} đã hủy ({entry.ly_do_huy}); "
                    "số đã hủy không được dùng lại — giữ số mới."
                )
            entry.series.check_ngay(day)
            full = format_so_ky_hieu(entry.series, entry.so, text)
            conn.execute(
                """UPDATE van_ban SET trang_thai = 'ban_hanh', so_ky_hieu = ?, ngay = ?, trich_yeu = ?,
                    nguoi_ky = ?, noi_nhan = COALESCE(?, noi_nhan), don_vi_luu = COALESCE(?, don_vi_luu),
                    so_luong_ban = COALESCE(?, so_luong_ban), ngay_chuyen = COALESCE(?, ngay_chuyen),
                    ky_nhan = COALESCE(?, ky_nhan), ghi_chu = COALESCE(?, ghi_chu),
                    ban_hanh_luc = COALESCE(ban_hanh_luc, ?)
                    WHERE id = ?""",
                (
                    full, day.isoformat(), fields["trich_yeu"], fields["nguoi_ky"], fields["noi_nhan"],
                    fields["don_vi_luu"], fields["so_luong_ban"], fields["ngay_chuyen"], fields["ky_nhan"],
                    fields["ghi_chu"], _now(), entry.id,
                ),
            )  # fmt: skip
            return self._get(conn, entry.id)

    def void(self, ref: SeriesLike | int, so: int | None = None, *, ly_do: str) -> Entry:
        """Void (hủy) a reserved or issued number. It stays used — never given again — and "Ghi chú" says why."""
        reason = _text(ly_do, "lý do hủy số", required=True)
        with self._transaction() as conn:
            entry = self._find(conn, ref, so)
            if entry.trang_thai == HUY:
                raise RegisterError(f"số {entry.so_hien_thi} của sổ {entry.series.ten} đã hủy trước đó.")
            conn.execute(
                "UPDATE van_ban SET trang_thai = 'huy', ly_do_huy = ?, huy_luc = ? WHERE id = ?",
                (reason, _now(), entry.id),
            )
            return self._get(conn, entry.id)

    def get(self, ref: SeriesLike | int, so: int | None = None) -> Entry:
        """One entry, by id or by series and number."""
        with self._reading() as conn:
            if conn is None:
                raise RegisterError(f"chưa có sổ đăng ký tại {self.path}.")
            return self._find(conn, ref, so, create=False)

    # --- Party committee terms -----------------------------------------------------------------------------

    def set_nhiem_ky(self, co_quan: str, nhiem_ky: str) -> str:
        """Configure a Party body's current term: its series from now on start at 01 per type (HD 36, 1.3.1)."""
        body = _text(co_quan, "cơ quan", required=True)
        term = normalize_nhiem_ky(nhiem_ky)
        with self._transaction() as conn:
            row = conn.execute("SELECT he_thong FROM co_quan WHERE viet_tat = ?", (body,)).fetchone()
            if row is not None and row["he_thong"] != "dang":
                raise RegisterError(f"{body} là cơ quan {row['he_thong']}, số theo năm, không theo nhiệm kỳ.")
            conn.execute(
                """INSERT INTO co_quan (viet_tat, he_thong, nhiem_ky) VALUES (?, 'dang', ?)
                    ON CONFLICT (viet_tat) DO UPDATE SET nhiem_ky = excluded.nhiem_ky""",
                (body, term),
            )
        return term

    def nhiem_ky(self, co_quan: str) -> str | None:
        """The configured term of a Party body, or None."""
        with self._reading() as conn:
            if conn is None:
                return None
            row = conn.execute("SELECT nhiem_ky FROM co_quan WHERE viet_tat = ?", (clean_text(co_quan),)).fetchone()
            return row["nhiem_ky"] if row else None

    # --- export --------------------------------------------------------------------------------------------

    def export_csv(self, path: str | os.PathLike[str], **filters: Any) -> int:
        """The register as CSV (UTF-8 with BOM, for Excel) with the 10 columns of NĐ 30/2020, Phụ lục IV, in
        registration order per series; ``filters`` as for ``list``. Written atomically; returns the row count."""
        entries = self.list(**filters)
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(COLUMNS)
        writer.writerows(e.cells() for e in entries)
        atomic_write(Path(path), buf.getvalue().encode("utf-8-sig"))
        return len(entries)

    def export_xlsx(self, path: str | os.PathLike[str], **filters: Any) -> int:
        """The register as .xlsx: one sheet per series (a book per year, or per type and term), the 10 columns of
        NĐ 30/2020, Phụ lục IV on row 1, printable in the book's format (A4 landscape, header row repeated)."""
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        entries = self.list(**filters)
        groups: dict[Series | None, list[Entry]] = {}
        for e in entries:
            groups.setdefault(e.series, []).append(e)
        wb = Workbook()
        wb.remove(wb.active)
        titles: set[str] = set()
        for series, rows in groups.items() or [(None, [])]:
            label = series.ten if series else "Sổ đăng ký văn bản đi"
            ws = wb.create_sheet(_sheet_title(series.ten_ngan if series else label, titles))
            ws.append(COLUMNS)
            for e in rows:
                ws.append(e.values())
            for cell in ws[1]:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    cell.alignment = Alignment(vertical="top", wrap_text=True)
                    if isinstance(cell.value, dt.date):
                        cell.number_format = "DD/MM/YYYY"
            for letter, width in zip("ABCDEFGHIJ", (16, 12, 48, 24, 32, 20, 9, 12, 14, 30), strict=True):
                ws.column_dimensions[letter].width = width
            ws.freeze_panes = "A2"
            ws.print_title_rows = "1:1"
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.oddHeader.center.text = f"SỔ ĐĂNG KÝ VĂN BẢN ĐI — {label}"
        buf = io.BytesIO()
        wb.save(buf)
        atomic_write(Path(path), buf.getvalue())
        return len(entries)

    # --- internals -----------------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._wal(conn)
            conn.execute("PRAGMA synchronous = FULL")  # a committed number survives a power cut
            conn.execute("PRAGMA foreign_keys = ON")
            if not self._ready:
                self._migrate(conn)
                self._ready = True
        except BaseException:
            conn.close()
            raise
        return conn

    def _wal(self, conn: sqlite3.Connection) -> None:
        """WAL lets readers work while one writer holds the lock. Switching needs a moment alone with the file
        (a first run of several processes at once), so a busy answer is retried until the timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    # a file system without WAL keeps its rollback journal: BEGIN IMMEDIATE still serialises
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version, app_id = self._header(conn)
        if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version, app_id = self._header(conn)  # another process may have created it meanwhile
            if version > SCHEMA_VERSION:
                raise RegisterError(
                    f"sổ đăng ký {self.path} được tạo bởi phiên bản quyche mới hơn (lược đồ {version}); "
                    "hãy cập nhật quyche."
                )
            if version == 0:
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise RegisterError(f"{self.path} là cơ sở dữ liệu khác, không phải sổ đăng ký của quyche.")
                for stmt in _SCHEMA_V1:
                    conn.execute(stmt)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                version = 1
            elif app_id != APPLICATION_ID:
                raise RegisterError(f"{self.path} là cơ sở dữ liệu khác, không phải sổ đăng ký của quyche.")
            for v in range(version, SCHEMA_VERSION):
                for stmt in _MIGRATIONS[v]:
                    conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _header(conn: sqlite3.Connection) -> tuple[int, int]:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        return version, app_id

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. BEGIN IMMEDIATE takes the write lock first, so two processes never read the
        same last number; the busy timeout makes the second one wait instead of failing."""
        with self._errors():
            conn = self._open()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """A read; None when the register file does not exist yet (reading never creates it)."""
        if not self.path.exists():
            yield None
            return
        with self._errors():
            conn = self._open()
            try:
                yield conn
            finally:
                conn.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                msg = f"sổ đăng ký {self.path} đang bị tiến trình khác giữ quá {self.timeout:g} giây; thử lại sau."
            elif "not a database" in text or "malformed" in text:
                msg = f"{self.path} không phải sổ đăng ký hoặc tệp đã hỏng ({text})."
            elif "unable to open" in text or "readonly" in text:
                msg = f"không mở được sổ đăng ký {self.path} để ghi ({text})."
            else:
                msg = f"lỗi sổ đăng ký {self.path}: {text}"
            raise RegisterError(msg) from exc
        except OSError as exc:
            raise RegisterError(f"không mở được sổ đăng ký {self.path}: {exc.strerror or exc}.") from exc

    def _resolve(self, conn: sqlite3.Connection, series: Series) -> Series:
        """Check the body's regime (one body, one numbering regime) and fill a Party series' configured term."""
        row = conn.execute("SELECT he_thong, nhiem_ky FROM co_quan WHERE viet_tat = ?", (series.co_quan,)).fetchone()
        if row is None:
            conn.execute("INSERT INTO co_quan (viet_tat, he_thong) VALUES (?, ?)", (series.co_quan, series.he_thong))
        elif (row["he_thong"] == "dang") != series.party:
            theo = "nhiệm kỳ (Đảng)" if row["he_thong"] == "dang" else "năm (Nhà nước, Mặt trận)"
            raise RegisterError(
                f"cơ quan {series.co_quan} đã có sổ đánh số theo {theo}; kiểm tra he_thong hoặc chữ viết tắt."
            )
        if series.party and series.nhiem_ky is None:
            if row is None or not row["nhiem_ky"]:
                raise RegisterError(
                    f"chưa có nhiệm kỳ cho cơ quan Đảng {series.co_quan} (HD 36-HD/VPTW 1.3.1: số theo nhiệm kỳ); "
                    f'ghi nhiem_ky, hoặc đặt một lần: quyche register nhiem-ky {series.co_quan} "2020-2025".'
                )
            series = replace(series, nhiem_ky=row["nhiem_ky"])
        return series

    def _allocate(
        self, conn: sqlite3.Connection, series: Series, count: int, info: dict[str, Any]
    ) -> list[tuple[int, int]]:
        """Inside the caller's write transaction: ``count`` new entries, (id, number) each."""
        series = self._resolve(conn, series)
        conn.execute(
            """INSERT INTO day_so (khoa, he_thong, co_quan, loai, nam, nhiem_ky, mat) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (khoa) DO NOTHING""",
            (
                series.khoa, series.he_thong, series.co_quan, series.loai if series.party else None, series.nam,
                series.nhiem_ky, int(series.mat),
            ),
        )  # fmt: skip
        row = conn.execute("SELECT id, so_cuoi FROM day_so WHERE khoa = ?", (series.khoa,)).fetchone()
        last = row["so_cuoi"]
        conn.execute("UPDATE day_so SET so_cuoi = ? WHERE id = ?", (last + count, row["id"]))
        now = _now()
        out = []
        for so in range(last + 1, last + count + 1):
            cur = conn.execute(
                """INSERT INTO van_ban (day_so_id, so, trang_thai, loai, ngay, trich_yeu, ghi_chu, giu_luc)
                    VALUES (?, ?, 'giu_so', ?, ?, ?, ?, ?)""",
                (row["id"], so, series.loai, info["ngay"], info["trich_yeu"], info["ghi_chu"], now),
            )
            out.append((int(cur.lastrowid or 0), so))
        return out

    def _get(self, conn: sqlite3.Connection, entry_id: int) -> Entry:
        row = conn.execute(f"{_SELECT} WHERE v.id = ?", (entry_id,)).fetchone()
        if row is None:
            raise RegisterError(f"không có mục số {entry_id} trong sổ đăng ký {self.path}.")
        return Entry._from_row(row)

    def _find(
        self,
        conn: sqlite3.Connection,
        ref: SeriesLike | int,
        so: int | None,
        *,
        ngay: dt.date | None = None,
        create: bool = True,
    ) -> Entry:
        if isinstance(ref, bool):
            raise RegisterError(f"mục không hợp lệ: {ref!r}.")
        if isinstance(ref, int):
            if so is not None:
                raise RegisterError("chỉ ghi mã mục hoặc dãy số kèm số, không ghi cả hai.")
            return self._get(conn, ref)
        if so is None:
            raise RegisterError("thiếu số cần tìm trong dãy số.")
        series = Series.of(ref, ngay=ngay)
        if create:
            series = self._resolve(conn, series)
        elif series.party and series.nhiem_ky is None:
            row = conn.execute("SELECT nhiem_ky FROM co_quan WHERE viet_tat = ?", (series.co_quan,)).fetchone()
            series = replace(series, nhiem_ky=row["nhiem_ky"] if row else None)
        row = conn.execute(f"{_SELECT} WHERE d.khoa = ? AND v.so = ?", (series.khoa, so)).fetchone()
        if row is None:
            last = conn.execute("SELECT so_cuoi FROM day_so WHERE khoa = ?", (series.khoa,)).fetchone()
            tail = f"số cuối đã giữ: {format_so(last['so_cuoi'])}" if last else "dãy số chưa có số nào"
            raise RegisterError(f"số {format_so(so)} chưa được giữ trong sổ {series.ten} ({tail}); giữ số trước.")
        return Entry._from_row(row)

    # ``list`` is defined last: inside the class body the name would otherwise hide the builtin in annotations.
    def list(
        self,
        *,
        he_thong: str | None = None,
        co_quan: str | None = None,
        nam: int | None = None,
        loai: str | None = None,
        nhiem_ky: str | None = None,
        trang_thai: str | None = None,
    ) -> list[Entry]:
        """Entries in registration order per series (body, year or term, type), optionally filtered."""
        where, args = [], []
        if he_thong is not None:
            if he_thong not in HE_THONG:
                raise RegisterError(f"hệ thống không hợp lệ: {he_thong!r} (dùng: {', '.join(HE_THONG)}).")
            where.append("d.he_thong = ?")
            args.append(he_thong)
        if co_quan:
            where.append("d.co_quan = ?")
            args.append(clean_text(co_quan))
        if nam is not None:
            where.append("d.nam = ?")
            args.append(int(nam))
        if loai:
            where.append("v.loai = ?")
            args.append(clean_text(loai))
        if nhiem_ky:
            where.append("d.nhiem_ky = ?")
            args.append(normalize_nhiem_ky(nhiem_ky))
        if trang_thai is not None:
            if trang_thai not in TRANG_THAI_TEN:
                raise RegisterError(f"trạng thái không hợp lệ: {trang_thai!r} (dùng: {', '.join(TRANG_THAI_TEN)}).")
            where.append("v.trang_thai = ?")
            args.append(trang_thai)
        with self._reading() as conn:
            if conn is None:
                return []
            sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + _ORDER
            return [Entry._from_row(r) for r in conn.execute(sql, args)]


def _sheet_title(label: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "-", label).strip("' ")[:31] or "Sổ"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title
