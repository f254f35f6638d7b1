"""Register lines inside a write transaction: series resolution, allocation, look-up by number or by the
document a number belongs to, and writing an issued line — each change appended to the audit trail."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from typing import Any

from ..normalize import format_so
from . import history
from .entry import Entry
from .schema import _SELECT
from .series import RegisterError, Series, SeriesLike, _now
from .store import Store


class Lines(Store):
    """The transactional building blocks of ``Register``; every method runs in the caller's transaction."""

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
        self,
        conn: sqlite3.Connection,
        series: Series,
        count: int,
        info: dict[str, Any],
        dinh_danh: str | None = None,
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
                """INSERT INTO van_ban (day_so_id, so, trang_thai, loai, ngay, trich_yeu, ghi_chu, giu_luc, dinh_danh)
                    VALUES (?, ?, 'giu_so', ?, ?, ?, ?, ?, ?)""",
                (row["id"], so, series.loai, info["ngay"], info["trich_yeu"], info["ghi_chu"], now, dinh_danh),
            )
            entry_id = int(cur.lastrowid or 0)
            history.append(conn, history.GIU_SO, entry_id)
            out.append((entry_id, so))
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

    def _by_identity(self, conn: sqlite3.Connection, dinh_danh: str) -> Entry | None:
        """The live (not voided) line of a document, if it has one."""
        row = conn.execute(f"{_SELECT} WHERE v.dinh_danh = ? AND v.trang_thai <> 'huy'", (dinh_danh,)).fetchone()
        return Entry._from_row(row) if row else None

    def _number_for(
        self, conn: sqlite3.Connection, series: Series, dinh_danh: str, ngay: dt.date | None, info: dict[str, Any]
    ) -> Entry:
        """The number of a document: the one it already has (whatever the output folder), or the next one of its
        series. A document keeps its number until the number is voided (NĐ 30/2020, Điều 15)."""
        series = self._resolve(conn, series)
        if ngay is not None:
            series.check_ngay(ngay)  # before any number is taken or any file written
        entry = self._by_identity(conn, dinh_danh)
        if entry is not None:
            if entry.series.khoa != series.khoa:
                raise RegisterError(
                    f"văn bản {dinh_danh} đã có số {entry.so_hien_thi} trong sổ {entry.series.ten} (mã {entry.id}), "
                    f'không thuộc sổ {series.ten}; muốn đổi số: quyche register void {entry.id} --ly-do "…" '
                    "rồi chạy lại (việc hủy và số mới đều được ghi trong nhật ký)."
                )
            return entry
        entry_id = self._allocate(conn, series, 1, info, dinh_danh)[0][0]
        return self._get(conn, entry_id)

    def _write_issue(
        self, conn: sqlite3.Connection, entry: Entry, full: str, day: dt.date, fields: dict[str, Any], action: str
    ) -> Entry:
        """Write an issued line (ban hành, or đính chính of an issued one) and append it to the audit trail."""
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
        after = self._get(conn, entry.id)
        if after != entry:
            history.append(conn, action, entry.id)
        return after
