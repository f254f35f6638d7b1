"""The register's operations: reserve, issue, void, look up, list, Party terms (domain.md §7, §8.3)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Hashable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..normalize import clean_text, format_so
from . import export
from .entry import Entry
from .schema import _ORDER, _SELECT
from .series import (
    HE_THONG,
    HUY,
    TRANG_THAI_TEN,
    RegisterError,
    Series,
    SeriesLike,
    _now,
    _text,
    format_so_ky_hieu,
    normalize_nhiem_ky,
    parse_ngay,
)
from .store import Store

MAX_RESERVE = 1000  # numbers are never given back: a typo like "-n 10000" would burn a year's series


class Register(Store):
    """The outgoing register in one SQLite file (see the package docstring for its guarantees)."""

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
        return export.export_csv(self.list(**filters), Path(path))

    def export_xlsx(self, path: str | os.PathLike[str], **filters: Any) -> int:
        """The register as .xlsx: one sheet per series, the 10 columns of NĐ 30/2020, Phụ lục IV on row 1."""
        return export.export_xlsx(self.list(**filters), Path(path))

    # --- internals -----------------------------------------------------------------------------------------

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
