"""``quyche register`` — the outgoing register from the command line (NĐ 30/2020, Phụ lục IV; HD 36-HD/VPTW 1.3.1).

Wired in cli/__init__.py with ``app.add_typer(register_app, name="register")``. Only typer and the standard library are
imported at module level: the register (sqlite3, openpyxl) is imported inside each command, so that
``quyche --help`` stays fast. Exit status: 0 ok, 1 the register refused (message in Vietnamese), 2 usage.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from .register_options import (
    _NUMBER,
    CoQuanFilter,
    CoQuanOpt,
    CoQuanPick,
    DbOpt,
    DinhDanhOpt,
    HeThongFilter,
    HeThongOpt,
    LoaiFilter,
    LoaiOpt,
    MaArg,
    MatOpt,
    NamFilter,
    NamOpt,
    NhiemKyFilter,
    NhiemKyOpt,
)

register_app = typer.Typer(
    help="Sổ đăng ký văn bản đi (NĐ 30/2020, Phụ lục IV): giữ số, ghi văn bản đã ban hành, hủy số, xuất sổ.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

_REFUSED = 1  # ExitCode.DOCUMENT_ERRORS: the register refused the request (data), not a usage error


@contextlib.contextmanager
def _guard() -> Iterator[None]:
    from ..register import RegisterError

    try:
        yield
    except RegisterError as exc:
        typer.echo(f"lỗi: {exc}", err=True)
        raise typer.Exit(_REFUSED) from None


def _series(
    he_thong: str, co_quan: str, nam: int | None, loai: str | None, nhiem_ky: str | None, mat: bool, ngay: Any = None
) -> dict[str, Any]:
    """The series options as the register's mapping; a State series without --nam takes the year of --ngay,
    or this year (NĐ 30/2020, Điều 15.1)."""
    if nam is None and he_thong != "dang":
        from ..register import parse_ngay

        day = parse_ngay(ngay, "--ngay")
        nam = day.year if day else dt.date.today().year
    return {"he_thong": he_thong, "co_quan": co_quan, "nam": nam, "loai": loai, "nhiem_ky": nhiem_ky, "mat": mat}


def _filters(**kw: Any) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


@register_app.command("list")
def list_(
    so_dang_ky: DbOpt = None,
    he_thong: HeThongFilter = None,
    co_quan: CoQuanFilter = None,
    nam: NamFilter = None,
    loai: LoaiFilter = None,
    nhiem_ky: NhiemKyFilter = None,
    trang_thai: Annotated[
        str | None, typer.Option("--trang-thai", help="Chỉ các số ở trạng thái: giu_so, ban_hanh, huy.")
    ] = None,
) -> None:
    """Liệt kê các số trong sổ, theo thứ tự đăng ký của từng dãy số."""
    from ..register import TRANG_THAI_TEN, Register

    with _guard():
        reg = Register(so_dang_ky)
        entries = reg.list(
            **_filters(he_thong=he_thong, co_quan=co_quan, nam=nam, loai=loai, nhiem_ky=nhiem_ky, trang_thai=trang_thai)
        )
    if not entries:
        typer.echo(f"Sổ đăng ký {reg.path}: không có số nào.")
        return
    current = None
    for e in entries:
        if e.series.ten != current:
            current = e.series.ten
            typer.echo(f"— Sổ {current} —")
            typer.echo(
                f"{'Mã':>5}  {'Số':>4}  {'Trạng thái':<12}  {'Số, ký hiệu':<20}  {'Ngày':<10}  Trích yếu / ghi chú"
            )
        ngay = f"{e.ngay:%d/%m/%Y}" if e.ngay else ""
        note = e.trich_yeu or ""
        if e.trang_thai != "ban_hanh" and e.ghi_chu_so:
            note = f"{note} ({e.ghi_chu_so})" if note else e.ghi_chu_so
        typer.echo(
            f"{e.id:>5}  {e.so_hien_thi:>4}  {TRANG_THAI_TEN[e.trang_thai]:<12}  {e.so_ky_hieu or '':<20}  "
            f"{ngay:<10}  {note}".rstrip()
        )


@register_app.command()
def reserve(
    co_quan: CoQuanOpt,
    so_luong: Annotated[
        int, typer.Option("--so-luong", "-n", help="Số lượng số cần giữ (một lần, liền nhau).", callback=_NUMBER)
    ] = 1,
    he_thong: HeThongOpt = "nha_nuoc",
    nam: NamOpt = None,
    loai: LoaiOpt = None,
    nhiem_ky: NhiemKyOpt = None,
    mat: MatOpt = False,
    ngay: Annotated[str | None, typer.Option("--ngay", help="Ngày dự kiến của văn bản (dd/mm/yyyy).")] = None,
    trich_yeu: Annotated[str | None, typer.Option("--trich-yeu", help="Trích yếu dự kiến (ghi vào sổ).")] = None,
    dinh_danh: DinhDanhOpt = None,
    so_dang_ky: DbOpt = None,
) -> None:
    """Giữ số tiếp theo của một dãy số (một hoặc nhiều số, trong một giao dịch): không số nào bị cấp hai lần."""
    from ..register import Register

    with _guard():
        reg = Register(so_dang_ky)
        series = _series(he_thong, co_quan, nam, loai, nhiem_ky, mat, ngay)
        numbers = reg.reserve(series, so_luong, ngay=ngay, trich_yeu=trich_yeu, dinh_danh=dinh_danh)
        first = reg.get(series, numbers[0])
    shown = ", ".join(f"{n:02d}" for n in numbers)
    typer.echo(
        f"Đã giữ {len(numbers)} số trong sổ {first.series.ten}: {shown} (mã {first.id}–{first.id + len(numbers) - 1})."
    )


@register_app.command()
def issue(
    so_ky_hieu: Annotated[
        str,
        typer.Option(
            "--so-ky-hieu",
            help='Số, ký hiệu: "05/QĐ-UBND", "05-GM/BTGTU", hoặc chỉ ký hiệu "QĐ-UBND" (số được ghi thêm).',
        ),
    ],
    ngay: Annotated[str, typer.Option("--ngay", help="Ngày tháng văn bản (dd/mm/yyyy).")],
    trich_yeu: Annotated[str, typer.Option("--trich-yeu", help="Tên loại và trích yếu nội dung văn bản.")],
    nguoi_ky: Annotated[str, typer.Option("--nguoi-ky", help="Người ký.")],
    ma: MaArg = None,
    so: Annotated[
        int | None,
        typer.Option(
            "--so",
            help="Số đã giữ trong dãy số; bỏ trống (và không ghi MÃ) để lấy ngay số tiếp theo.",
            callback=_NUMBER,
        ),
    ] = None,
    co_quan: CoQuanPick = None,
    he_thong: HeThongOpt = "nha_nuoc",
    nam: NamOpt = None,
    loai: LoaiOpt = None,
    nhiem_ky: NhiemKyOpt = None,
    mat: MatOpt = False,
    noi_nhan: Annotated[
        list[str] | None, typer.Option("--noi-nhan", help="Nơi nhận văn bản (ghi lại tùy chọn cho mỗi nơi).")
    ] = None,
    luu: Annotated[str | None, typer.Option("--luu", help="Đơn vị, người nhận bản lưu.")] = None,
    so_ban: Annotated[int | None, typer.Option("--so-ban", help="Số lượng bản.", callback=_NUMBER)] = None,
    ngay_chuyen: Annotated[str | None, typer.Option("--ngay-chuyen", help="Ngày chuyển (dd/mm/yyyy).")] = None,
    ky_nhan: Annotated[str | None, typer.Option("--ky-nhan", help="Ký nhận.")] = None,
    ghi_chu: Annotated[str | None, typer.Option("--ghi-chu", help="Ghi chú.")] = None,
    dinh_danh: DinhDanhOpt = None,
    so_dang_ky: DbOpt = None,
) -> None:
    """Ghi văn bản đã ban hành vào số đã giữ (hoặc số tiếp theo): số, ký hiệu, ngày, trích yếu, người ký, nơi nhận.
    Số đã ban hành không bị ghi đè: muốn sửa thì hủy số (void) rồi ghi vào số mới; cả hai được ghi trong nhật ký."""
    from ..register import Register

    ref: Any = _pick(ma, so, co_quan, he_thong, nam, loai, nhiem_ky, mat, ngay, allow_next=True)
    with _guard():
        entry = Register(so_dang_ky).issue(
            ref,
            so if ma is None else None,
            so_ky_hieu=so_ky_hieu,
            ngay=ngay,
            trich_yeu=trich_yeu,
            nguoi_ky=nguoi_ky,
            noi_nhan=noi_nhan,
            don_vi_luu=luu,
            so_luong_ban=so_ban,
            ngay_chuyen=ngay_chuyen,
            ky_nhan=ky_nhan,
            ghi_chu=ghi_chu,
            dinh_danh=dinh_danh,
        )
    day = f"{entry.ngay:%d/%m/%Y}" if entry.ngay else ""
    typer.echo(f"Đã ghi sổ: {entry.so_ky_hieu}, ngày {day} (sổ {entry.series.ten}, mã {entry.id}).")


@register_app.command()
def void(
    ly_do: Annotated[str, typer.Option("--ly-do", help="Lý do hủy số (ghi vào cột Ghi chú).")],
    ma: MaArg = None,
    so: Annotated[
        int | None, typer.Option("--so", help="Số cần hủy trong dãy số (khi không ghi MÃ).", callback=_NUMBER)
    ] = None,
    co_quan: CoQuanPick = None,
    he_thong: HeThongOpt = "nha_nuoc",
    nam: NamOpt = None,
    loai: LoaiOpt = None,
    nhiem_ky: NhiemKyOpt = None,
    mat: MatOpt = False,
    so_dang_ky: DbOpt = None,
) -> None:
    """Hủy một số đã giữ hoặc đã ban hành. Số đã hủy vẫn tính là đã dùng, không bao giờ được cấp lại."""
    from ..register import Register

    ref: Any = _pick(ma, so, co_quan, he_thong, nam, loai, nhiem_ky, mat, None, allow_next=False)
    with _guard():
        entry = Register(so_dang_ky).void(ref, so if ma is None else None, ly_do=ly_do)
    typer.echo(f"Đã hủy số {entry.so_hien_thi} của sổ {entry.series.ten} (mã {entry.id}); số này không được cấp lại.")


def _pick(
    ma: int | None,
    so: int | None,
    co_quan: str | None,
    he_thong: str,
    nam: int | None,
    loai: str | None,
    nhiem_ky: str | None,
    mat: bool,
    ngay: str | None,
    *,
    allow_next: bool,
) -> Any:
    """The entry a command is about: its id (MÃ), or a series with --so."""
    if ma is not None:
        if so is not None or co_quan is not None:
            typer.echo("lỗi: ghi MÃ, hoặc --co-quan … kèm --so; không ghi cả hai.", err=True)
            raise typer.Exit(2)
        return ma
    if co_quan is None or (so is None and not allow_next):
        need = "--co-quan" if co_quan is None else "--so"
        typer.echo(f"lỗi: thiếu MÃ, hoặc {need} (xem mã bằng lệnh: quyche register list).", err=True)
        raise typer.Exit(2)
    with _guard():
        return _series(he_thong, co_quan, nam, loai, nhiem_ky, mat, ngay)


@register_app.command()
def export(
    tep: Annotated[Path, typer.Argument(help="Tệp kết quả: .xlsx (mỗi dãy số một trang) hoặc .csv.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="xlsx hoặc csv; mặc định theo đuôi tệp.")] = None,
    so_dang_ky: DbOpt = None,
    he_thong: HeThongFilter = None,
    co_quan: CoQuanFilter = None,
    nam: NamFilter = None,
    loai: LoaiFilter = None,
    nhiem_ky: NhiemKyFilter = None,
) -> None:
    """Xuất sổ đăng ký văn bản đi với đúng 10 cột của NĐ 30/2020, Phụ lục IV (để in hoặc lưu)."""
    from ..register import Register

    kind = (fmt or tep.suffix.lstrip(".")).lower()
    if kind not in ("xlsx", "csv"):
        typer.echo(f"lỗi: định dạng không hỗ trợ: {kind or '(trống)'}; dùng xlsx hoặc csv.", err=True)
        raise typer.Exit(2)
    filters = _filters(he_thong=he_thong, co_quan=co_quan, nam=nam, loai=loai, nhiem_ky=nhiem_ky)
    with _guard():
        reg = Register(so_dang_ky)
        try:
            count = reg.export_xlsx(tep, **filters) if kind == "xlsx" else reg.export_csv(tep, **filters)
        except OSError as exc:
            typer.echo(f"lỗi: không ghi được tệp {tep}: {exc.strerror or exc}", err=True)
            raise typer.Exit(_REFUSED) from None
        books = {e.series.ten for e in reg.list(**filters)} if kind == "csv" else set()
    typer.echo(f"Đã xuất {count} dòng (10 cột theo NĐ 30/2020, Phụ lục IV) → {tep}")
    if len(books) > 1:
        typer.echo(
            f"lưu ý: tệp CSV gồm {len(books)} dãy số liền nhau; lọc bằng --co-quan, --nam, --nhiem-ky, --loai "
            "để xuất từng sổ, hoặc xuất .xlsx (mỗi dãy số một trang).",
            err=True,
        )


@register_app.command("nhiem-ky")
def nhiem_ky_(
    co_quan: Annotated[str, typer.Argument(help="Chữ viết tắt của cơ quan Đảng, ví dụ BTGTU.")],
    nhiem_ky: Annotated[str | None, typer.Argument(help='Nhiệm kỳ mới, ví dụ "2025-2030"; bỏ trống để xem.')] = None,
    so_dang_ky: DbOpt = None,
) -> None:
    """Xem hoặc đặt nhiệm kỳ hiện tại của một cơ quan Đảng: số đánh theo từng loại, trong từng nhiệm kỳ (HD 36)."""
    from ..register import Register

    with _guard():
        reg = Register(so_dang_ky)
        if nhiem_ky is None:
            current = reg.nhiem_ky(co_quan)
            typer.echo(f"{co_quan}: nhiệm kỳ {current}." if current else f"{co_quan}: chưa đặt nhiệm kỳ.")
            return
        term = reg.set_nhiem_ky(co_quan, nhiem_ky)
    typer.echo(f"{co_quan}: nhiệm kỳ {term}; số của mỗi loại văn bản trong nhiệm kỳ này bắt đầu từ 01.")


@register_app.command()
def verify(so_dang_ky: DbOpt = None) -> None:
    """Kiểm tra sổ với nhật ký chuỗi mã băm: báo mọi dòng bị sửa hoặc bị xóa ngoài quyche (chỉ đọc sổ)."""
    from ..register import Register

    with _guard():
        reg = Register(so_dang_ky)
        lines, events, problems = reg.verify()
        last = reg.head()
    for problem in problems:
        typer.echo(f"lỗi: {problem}", err=True)
    if problems:
        typer.echo(f"Sổ {reg.path}: {len(problems)} chỗ không khớp nhật ký — sổ đã bị sửa ngoài quyche.", err=True)
        raise typer.Exit(_REFUSED)
    typer.echo(f"Sổ {reg.path} nguyên vẹn: {lines} số, {events} dòng nhật ký, chuỗi mã băm khớp.")
    typer.echo(f"Mã băm cuối: {last} (ghi lại ngoài máy để đối chiếu lần sau).")


@register_app.command("nhat-ky")
def nhat_ky(
    ma: Annotated[int | None, typer.Argument(help="Mã mục trong sổ; bỏ trống để xem cả nhật ký.")] = None,
    so_dang_ky: DbOpt = None,
) -> None:
    """Nhật ký của sổ: mỗi lần giữ số, ban hành, đính chính, hủy số, đặt nhiệm kỳ — lúc nào, ai làm."""
    from ..register import Register
    from ..register.history import HANH_DONG_TEN

    with _guard():
        events = Register(so_dang_ky).history(ma)
    for ev in events:
        target = f"mục {ev['van_ban_id']}" if ev["van_ban_id"] is not None else "cơ quan"
        action = HANH_DONG_TEN.get(ev["hanh_dong"], ev["hanh_dong"])
        typer.echo(f"{ev['id']:>5}  {ev['luc']}  {ev['nguoi']:<16}  {action:<24}  {target}")
