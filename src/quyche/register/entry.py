"""One line of the register and its 10 columns (NĐ 30/2020, Phụ lục IV)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..normalize import format_so
from .series import GIU_SO, HUY, Series, _dmy, parse_ngay

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
    dinh_danh: str | None = None  # the document this number belongs to (a batch item, a file)

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
            dinh_danh=row["dinh_danh"] if "dinh_danh" in row.keys() else None,
        )
