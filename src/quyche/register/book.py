"""The register's operations: reserve, issue, correct, void, look up, list, verify, Party terms (domain.md §7,
§8.3). Every change is appended to the hash-chained audit trail (history.py) in the same transaction."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

from ..normalize import clean_text
from . import export, history
from .entry import Entry
from .lines import Lines
from .schema import _ORDER, _SELECT
from .series import (
    BAN_HANH,
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

MAX_RESERVE = 1000  # numbers are never given back: a typo like "-n 10000" would burn a year's series


def _issue_fields(
    so_ky_hieu: str,
    ngay: dt.date | str,
    trich_yeu: str,
    nguoi_ky: str,
    noi_nhan: str | Sequence[str] | None,
    don_vi_luu: str | None,
    so_luong_ban: int | None,
    ngay_chuyen: dt.date | str | None,
    ky_nhan: str | None,
    ghi_chu: str | None,
) -> tuple[str, dt.date, dict[str, Any]]:
    """The columns of an issued line, checked before the transaction: (số ký hiệu text, date, fields)."""
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
    return _text(so_ky_hieu, "số, ký hiệu văn bản", required=True) or "", day, fields


def _refuse_voided(entry: Entry) -> None:
    if entry.trang_thai == HUY:
        raise RegisterError(
            f"số {entry.so_hien_thi} của sổ {entry.series.ten} đã hủy ({entry.ly_do_huy}); "
            "số đã hủy không được dùng lại — giữ số mới."
        )


class Register(Lines):
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
        dinh_danh: str | None = None,
    ) -> list[int]:
        """Take the next ``count`` numbers of a series, all in one transaction: all or nothing, never twice.
        ``ngay`` (the planned date) gives a State series its year when ``nam`` is missing; ``trich_yeu`` and
        ``ghi_chu`` are recorded on each entry. With ``dinh_danh`` (the document the number is for, e.g. the path
        of its YAML file) one number is reserved once: asking again gives the same number."""
        if dinh_danh is None:
            return self.reserve_many([(series, count)], ngay=ngay, trich_yeu=trich_yeu, ghi_chu=ghi_chu)[0]
        if count != 1:
            raise RegisterError("một văn bản (dinh_danh) chỉ giữ một số.")
        done = self.reserve_documents([(series, dinh_danh, ngay)], trich_yeu=trich_yeu, ghi_chu=ghi_chu)
        return [done[dinh_danh].so]

    def reserve_many(
        self,
        requests: Sequence[tuple[SeriesLike, int]],
        *,
        keys: Sequence[Hashable] | None = None,
        ngay: dt.date | str | None = None,
        trich_yeu: str | None = None,
        ghi_chu: str | None = None,
    ) -> dict[Hashable, list[int]]:
        """Several reservations in ONE transaction: ``{key: [numbers]}``, keys default to 0, 1, ….
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

    def reserve_documents(
        self,
        requests: Sequence[tuple[SeriesLike, str, dt.date | str | None]],
        *,
        trich_yeu: str | None = None,
        ghi_chu: str | None = None,
    ) -> dict[str, Entry]:
        """The numbers of several documents, ``(series, dinh_danh, ngay)`` each, in ONE transaction:
        ``{dinh_danh: entry}``. A document that already has a live number keeps it — whatever output folder it
        is rendered into — so re-running a batch takes no new number; the others get the next numbers of their
        series, in request order. A date outside its series (year, Party term) is refused before anything."""
        if len({d for _, d, _ in requests}) != len(requests):
            raise RegisterError("mỗi văn bản (dinh_danh) chỉ được yêu cầu giữ số một lần.")
        if len(requests) > MAX_RESERVE:
            raise RegisterError(f"một lần giữ số tối đa {MAX_RESERVE} văn bản.")
        prepared = []
        for series, dinh_danh, ngay in requests:
            day = parse_ngay(ngay, "ngày văn bản")
            key = _text(dinh_danh, "định danh văn bản", required=True) or ""
            prepared.append((Series.of(series, ngay=day), key, day))
        note = _text(ghi_chu, "ghi chú")
        out: dict[str, Entry] = {}
        with self._transaction() as conn:
            for series, key, day in prepared:
                info = {"ngay": day.isoformat() if day else None, "trich_yeu": _text(trich_yeu, "trích yếu"),
                        "ghi_chu": note}  # fmt: skip
                out[key] = self._number_for(conn, series, key, day, info)
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
        dinh_danh: str | None = None,
    ) -> Entry:
        """Record an issued document (ban hành) on its number.

        ``ref`` is an entry id (``so`` omitted) or a series with the reserved number ``so``; a series without
        ``so`` takes the number of ``dinh_danh`` if it has one, else the next number, and issues it in the same
        transaction. ``so_ky_hieu`` is "05/QĐ-UBND" (checked against the number) or only the symbol "QĐ-UBND".
        An issued number is never written over: its owner corrects it with ``record``, a clerk voids it and takes
        a new number.
        """
        text, day, fields = _issue_fields(
            so_ky_hieu, ngay, trich_yeu, nguoi_ky, noi_nhan, don_vi_luu, so_luong_ban, ngay_chuyen, ky_nhan, ghi_chu
        )
        with self._transaction() as conn:
            if not isinstance(ref, int) and so is None:
                series = Series.of(ref, ngay=day)
                info = {"ngay": day.isoformat(), "trich_yeu": fields["trich_yeu"], "ghi_chu": None}
                if dinh_danh is not None:
                    entry = self._number_for(conn, series, dinh_danh, day, info)
                else:
                    entry = self._get(conn, self._allocate(conn, series, 1, info)[0][0])
            else:
                entry = self._find(conn, ref, so, ngay=day)
            _refuse_voided(entry)
            if entry.trang_thai == BAN_HANH:
                raise RegisterError(_already_issued(entry))
            entry.series.check_ngay(day)
            full = format_so_ky_hieu(entry.series, entry.so, text)
            return self._write_issue(conn, entry, full, day, fields, history.BAN_HANH)

    def record(self, ref: SeriesLike | int, so: int | None = None, **columns: Any) -> Entry:
        """For the owner of a document (a batch re-rendering its own file): issue a reserved number, or correct
        the line of an issued one (đính chính, kept in the audit trail); an identical line changes nothing."""
        text, day, fields = _issue_fields(**_columns(columns))
        with self._transaction() as conn:
            entry = self._find(conn, ref, so, ngay=day)
            _refuse_voided(entry)
            entry.series.check_ngay(day)
            full = format_so_ky_hieu(entry.series, entry.so, text)
            action = history.DINH_CHINH if entry.trang_thai == BAN_HANH else history.BAN_HANH
            return self._write_issue(conn, entry, full, day, fields, action)

    def void(self, ref: SeriesLike | int, so: int | None = None, *, ly_do: str) -> Entry:
        """Void (hủy) a reserved or issued number. It stays used — never given again — and "Ghi chú" says why.
        Its document (``dinh_danh``) is free to take a new number; both steps stay in the audit trail."""
        reason = _text(ly_do, "lý do hủy số", required=True)
        with self._transaction() as conn:
            entry = self._find(conn, ref, so)
            if entry.trang_thai == HUY:
                raise RegisterError(f"số {entry.so_hien_thi} của sổ {entry.series.ten} đã hủy trước đó.")
            conn.execute(
                "UPDATE van_ban SET trang_thai = 'huy', ly_do_huy = ?, huy_luc = ? WHERE id = ?",
                (reason, _now(), entry.id),
            )
            history.append(conn, history.HUY, entry.id)
            return self._get(conn, entry.id)

    def get(self, ref: SeriesLike | int, so: int | None = None) -> Entry:
        """One entry, by id or by series and number."""
        with self._reading() as conn:
            return self._find(conn, ref, so, create=False)

    # --- audit trail ---------------------------------------------------------------------------------------

    def verify(self) -> tuple[int, int, list[str]]:
        """(lines, events, problems): every line and every number checked against the hash-chained audit trail;
        an empty ``problems`` means nothing was changed or removed behind quyche's back. Read-only."""
        with self._reading() as conn:
            self._needs_trail(conn)
            return history.verify(conn)

    def head(self) -> str:
        """The hash of the audit trail's last event (history.head)."""
        with self._reading() as conn:
            self._needs_trail(conn)
            return history.head(conn)

    def _needs_trail(self, conn: Any) -> None:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'nhat_ky'").fetchone():
            raise RegisterError(
                f"sổ {self.path} theo lược đồ cũ, chưa có nhật ký; giữ hoặc ghi một số để nâng cấp, rồi kiểm tra."
            )

    def history(self, entry_id: int | None = None) -> list[dict[str, Any]]:
        """The audit trail, oldest first: luc, nguoi, hanh_dong, van_ban_id (of one line, or all)."""
        with self._reading() as conn:
            return [
                {k: row[k] for k in ("id", "luc", "nguoi", "hanh_dong", "van_ban_id")}
                for row in history.events_of(conn, entry_id)
            ]

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
            history.append(conn, history.NHIEM_KY, None, history.term_record(body or "", term))
        return term

    def nhiem_ky(self, co_quan: str) -> str | None:
        """The configured term of a Party body, or None."""
        with self._reading() as conn:
            row = conn.execute("SELECT nhiem_ky FROM co_quan WHERE viet_tat = ?", (clean_text(co_quan),)).fetchone()
            return row["nhiem_ky"] if row else None

    # --- export --------------------------------------------------------------------------------------------

    def export_csv(self, path: str | os.PathLike[str], **filters: Any) -> int:
        """The register as CSV (UTF-8 with BOM, for Excel) with the 10 columns of NĐ 30/2020, Phụ lục IV, in
        registration order per series; ``filters`` as for ``list``. Written atomically; returns the row count.
        Cells are text, never formulas (export.py)."""
        return export.export_csv(self.list(**filters), Path(path))

    def export_xlsx(self, path: str | os.PathLike[str], **filters: Any) -> int:
        """The register as .xlsx: one sheet per series, the 10 columns of NĐ 30/2020, Phụ lục IV on row 1."""
        return export.export_xlsx(self.list(**filters), Path(path))

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
            sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + _ORDER
            return [Entry._from_row(r) for r in conn.execute(sql, args)]


def _columns(columns: dict[str, Any]) -> dict[str, Any]:
    """``record``'s keyword columns, as ``issue`` names them."""
    names = ("so_ky_hieu", "ngay", "trich_yeu", "nguoi_ky", "noi_nhan", "don_vi_luu", "so_luong_ban", "ngay_chuyen",
             "ky_nhan", "ghi_chu")  # fmt: skip
    unknown = sorted(set(columns) - set(names))
    if unknown:
        raise RegisterError(f"cột không có trong sổ: {', '.join(unknown)}.")
    return {n: columns.get(n) for n in names}


def _already_issued(entry: Entry) -> str:
    when = f" ngày {entry.ngay:%d/%m/%Y}" if entry.ngay else ""
    return (
        f"số {entry.so_ky_hieu or entry.so_hien_thi} của sổ {entry.series.ten} (mã {entry.id}) đã ban hành{when}; "
        f'sổ đăng ký không ghi đè số đã ban hành. Nếu ghi sai: quyche register void {entry.id} --ly-do "…" '
        "rồi ghi văn bản vào số mới (việc hủy và số mới đều được giữ trong nhật ký của sổ)."
    )
