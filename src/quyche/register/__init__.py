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
A number may record the document it is for (``dinh_danh``: a batch item, a file): ``reserve_documents`` gives a
document the number it already has, wherever it is rendered; only a void frees it for a new number.

Guarantees:
- numbers are taken inside one ``BEGIN IMMEDIATE`` transaction (a whole batch at once with ``reserve_many``):
  all or nothing, never twice, no gap, also with several processes on the same file (WAL, busy timeout);
- the file is append-only for numbers: triggers refuse to delete an entry, to change its number, to reuse a
  voided entry or to move a series' last number backwards, even for someone editing the file by hand;
- an issued line is never written over: ``issue`` refuses it; ``record`` (the document's owner re-rendering it)
  corrects it as an "đính chính" event;
- every change is appended to a hash-chained audit trail with time and user (history.py); ``verify`` finds a line,
  a term or an event changed or removed behind quyche's back;
- reading opens the file read-only (a register on read-only media can be listed and exported) and never mistakes
  a missing file for an empty book;
- ``export_csv`` / ``export_xlsx`` print the book's 10 columns of NĐ 30/2020, Phụ lục IV, written atomically,
  every cell text and never a formula (cells.py).

SQLite locking needs a local file system: keep the register off network shares.
"""

from .book import MAX_RESERVE, Register
from .entry import COLUMNS, Entry
from .series import (
    BAN_HANH,
    GIU_SO,
    HE_THONG,
    HUY,
    TRANG_THAI_TEN,
    RegisterError,
    Series,
    SeriesLike,
    format_so_ky_hieu,
    normalize_nhiem_ky,
    parse_ngay,
)
from .store import DEFAULT_PATH, ENV_VAR, default_path

__all__ = [
    "BAN_HANH",
    "COLUMNS",
    "DEFAULT_PATH",
    "ENV_VAR",
    "GIU_SO",
    "HE_THONG",
    "HUY",
    "MAX_RESERVE",
    "TRANG_THAI_TEN",
    "Entry",
    "Register",
    "RegisterError",
    "Series",
    "SeriesLike",
    "default_path",
    "format_so_ky_hieu",
    "normalize_nhiem_ky",
    "parse_ngay",
]
