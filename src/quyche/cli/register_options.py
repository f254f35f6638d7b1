"""The options and arguments shared by the ``quyche register`` commands (cli/register.py): one definition of
each, with its help text in Vietnamese and its range check (integers outside their range are usage errors)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--so-dang-ky",
        help="Tệp sổ đăng ký (SQLite). Mặc định: biến môi trường QUYCHE_REGISTER, hoặc ./.quyche/so-dang-ky.sqlite3.",
    ),
]
HeThongOpt = Annotated[
    str,
    typer.Option(
        "--he-thong", help="nha_nuoc, mat_tran (số theo năm, NĐ 30/2020) hoặc dang (số theo loại và nhiệm kỳ, HD 36)."
    ),
]
HeThongFilter = Annotated[str | None, typer.Option("--he-thong", help="Chỉ sổ của hệ thống: nha_nuoc, mat_tran, dang.")]
CoQuanOpt = Annotated[str, typer.Option("--co-quan", help="Chữ viết tắt của cơ quan ban hành, ví dụ UBND, BTGTU.")]
CoQuanPick = Annotated[
    str | None, typer.Option("--co-quan", help="Chữ viết tắt của cơ quan ban hành (khi không ghi MÃ).")
]
CoQuanFilter = Annotated[str | None, typer.Option("--co-quan", help="Chỉ sổ của cơ quan này (chữ viết tắt).")]


def _within(lo: int, hi: int) -> Any:
    """A typer callback: integers outside [lo, hi] are a usage error (exit 2) — 2**63 would otherwise
    overflow SQLite's 64-bit integers and end in a traceback (budget: numbers are small by nature)."""

    def check(value: int | None) -> int | None:
        if value is not None and not lo <= value <= hi:
            raise typer.BadParameter(f"phải là số nguyên từ {lo} đến {hi}, không phải {value}")
        return value

    return check


_YEAR = _within(1900, 2200)
_NUMBER = _within(1, 10**9)

NamOpt = Annotated[
    int | None,
    typer.Option(
        "--nam", help="Năm của sổ (Nhà nước, Mặt trận); mặc định năm của --ngay, hoặc năm nay.", callback=_YEAR
    ),
]
NamFilter = Annotated[
    int | None, typer.Option("--nam", help="Chỉ sổ của năm này (Nhà nước, Mặt trận).", callback=_YEAR)
]
LoaiOpt = Annotated[
    str | None,
    typer.Option("--loai", help="Tên loại viết tắt: QĐ, QC, CTr, KH, GM, BB… (bắt buộc với sổ của Đảng)."),
]
LoaiFilter = Annotated[str | None, typer.Option("--loai", help="Chỉ văn bản có tên loại viết tắt này.")]
NhiemKyOpt = Annotated[
    str | None,
    typer.Option(
        "--nhiem-ky",
        help='Nhiệm kỳ cấp ủy, ví dụ "2020-2025" (sổ của Đảng); mặc định nhiệm kỳ đã đặt bằng lệnh nhiem-ky.',
    ),
]
NhiemKyFilter = Annotated[str | None, typer.Option("--nhiem-ky", help="Chỉ sổ của nhiệm kỳ này (Đảng).")]
MatOpt = Annotated[bool, typer.Option("--mat", help="Dãy số riêng của văn bản mật (NĐ 30/2020, Điều 15.2).")]
DinhDanhOpt = Annotated[
    str | None,
    typer.Option(
        "--dinh-danh",
        help="Văn bản mà số thuộc về (ví dụ đường dẫn tệp YAML): hỏi lại cho cùng văn bản thì được đúng số cũ.",
    ),
]
MaArg = Annotated[
    int | None,
    typer.Argument(
        help="Mã mục trong sổ (cột Mã của lệnh list). Bỏ trống để chọn theo --co-quan … và --so.", callback=_NUMBER
    ),
]
