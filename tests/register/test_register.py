"""Sổ đăng ký văn bản đi: State series per body per year (NĐ 30/2020, Điều 15.1), Party series per body per type
per term (HD 36-HD/VPTW 1.3.1), all-or-nothing reservations, voided numbers never reissued, real multi-process
concurrency, and the 10 columns of NĐ 30/2020, Phụ lục IV in the CSV and XLSX exports."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from quyche.cli_register import register_app
from quyche.register import COLUMNS, ENV_VAR, Register, RegisterError, Series, default_path

# Written out here, not imported: the test pins the wording and order of NĐ 30/2020, Phụ lục IV.
PHU_LUC_IV = [
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
]

UBND_2025 = {"he_thong": "nha_nuoc", "co_quan": "UBND", "nam": 2025, "loai": "QĐ"}
BTG = {"he_thong": "dang", "co_quan": "BTGTU", "nhiem_ky": "2020-2025"}


@pytest.fixture
def reg(tmp_path: Path) -> Register:
    return Register(tmp_path / "so-dang-ky.sqlite3")


def _issue(reg: Register, ref, so=None, **kw):
    fields = {"so_ky_hieu": "QĐ-UBND", "ngay": "05/03/2025", "trich_yeu": "Quyết định về việc X", "nguoi_ky": "A"}
    return reg.issue(ref, so, **{**fields, **kw})


# --- series ------------------------------------------------------------------------------------------------------


def test_columns_are_those_of_phu_luc_iv() -> None:
    assert list(COLUMNS) == PHU_LUC_IV


def test_state_series_runs_per_body_per_calendar_year(reg: Register) -> None:
    assert reg.reserve(UBND_2025) == [1]
    assert reg.reserve({**UBND_2025, "loai": "CV"}) == [2]  # one series for every type (Điều 15.1)
    assert reg.reserve({**UBND_2025, "nam": 2026}) == [1]  # a new year starts again at 01
    assert reg.reserve(UBND_2025) == [3]
    assert reg.reserve({**UBND_2025, "co_quan": "UBMTTQ", "he_thong": "mat_tran"}) == [1]  # Front: State regime
    assert reg.reserve({**UBND_2025, "mat": True}) == [1]  # secret documents: own series (Điều 15.2)
    assert reg.reserve({"co_quan": "UBND", "loai": "KH"}, ngay=dt.date(2026, 2, 1)) == [2]  # year from the date
    shown = [(e.series.ten_ngan, e.so_hien_thi) for e in reg.list(co_quan="UBND", nam=2025)]
    assert shown == [("UBND 2025", "01"), ("UBND 2025", "02"), ("UBND 2025", "03"), ("UBND 2025 mật", "01")]


def test_party_series_runs_per_type_per_term(reg: Register) -> None:
    assert reg.reserve({**BTG, "loai": "CTr"}, 2) == [1, 2]
    assert reg.reserve({**BTG, "loai": "GM"}) == [1]  # every type has its own series
    assert reg.reserve({**BTG, "loai": "CTr"}) == [3]
    assert reg.reserve({**BTG, "loai": "CTr", "nhiem_ky": "2025 – 2030"}) == [1]  # a new term starts again
    # not reset on 1 January: documents of 2021 and 2024 share the term's series
    _issue(reg, {**BTG, "loai": "CTr"}, 1, so_ky_hieu="CTr/BTGTU", ngay="2021-05-04")
    _issue(reg, {**BTG, "loai": "CTr"}, 2, so_ky_hieu="02-CTr/BTGTU", ngay="2024-12-30")
    assert [e.so_ky_hieu for e in reg.list(loai="CTr", trang_thai="ban_hanh")] == ["01-CTr/BTGTU", "02-CTr/BTGTU"]
    with pytest.raises(RegisterError, match="ngoài nhiệm kỳ 2020-2025"):
        _issue(reg, {**BTG, "loai": "CTr"}, 3, so_ky_hieu="CTr/BTGTU", ngay="2026-01-05")


def test_party_term_is_given_or_configured_per_body(reg: Register) -> None:
    body = {"he_thong": "dang", "co_quan": "BTGHU", "loai": "QC"}
    with pytest.raises(RegisterError, match="chưa có nhiệm kỳ cho cơ quan Đảng BTGHU"):
        reg.reserve(body)
    assert reg.nhiem_ky("BTGHU") is None
    assert reg.set_nhiem_ky("BTGHU", "2015 - 2020") == "2015-2020"
    assert reg.reserve(body) == [1]
    assert reg.reserve({**body, "nhiem_ky": "2015-2020"}) == [2]  # the same series, given explicitly
    reg.set_nhiem_ky("BTGHU", "2020-2025")
    assert reg.reserve(body) == [1]
    with pytest.raises(RegisterError, match="thiếu tên loại"):
        reg.reserve({"he_thong": "dang", "co_quan": "BTGHU"})
    with pytest.raises(RegisterError, match="nhiệm kỳ không hợp lệ"):
        reg.set_nhiem_ky("BTGHU", "XIV")
    with pytest.raises(RegisterError, match="đánh số theo nhiệm kỳ"):  # one body, one regime
        reg.reserve({"co_quan": "BTGHU", "nam": 2025})


# --- reservations ------------------------------------------------------------------------------------------------


def test_reserve_n_numbers_in_one_transaction(reg: Register) -> None:
    assert reg.reserve(UBND_2025, 5, trich_yeu="Giấy mời dự lễ ký kết") == [1, 2, 3, 4, 5]
    assert {e.trich_yeu for e in reg.list()} == {"Giấy mời dự lễ ký kết"}
    # a batch: the State host's programme and invitation share its yearly series; Party types do not
    out = reg.reserve_many(
        [(UBND_2025, 3), ({**UBND_2025, "loai": "GM"}, 3), ({**BTG, "loai": "CTr"}, 2)], keys=["ct", "gm", "dang"]
    )
    assert out == {"ct": [6, 7, 8], "gm": [9, 10, 11], "dang": [1, 2]}


def test_reserve_is_all_or_nothing(reg: Register) -> None:
    unknown_term = {"he_thong": "dang", "co_quan": "BTGHU", "loai": "GM"}  # refused inside the transaction
    with pytest.raises(RegisterError):
        reg.reserve_many([(UBND_2025, 4), (unknown_term, 2)])
    assert reg.list() == []
    assert reg.reserve(UBND_2025) == [1]
    for bad in (0, -1, 1001, True, "3"):
        with pytest.raises(RegisterError, match="số lượng"):
            reg.reserve(UBND_2025, bad)
    assert reg.reserve(UBND_2025) == [2]


def test_series_accepts_the_batch_mapping() -> None:
    """The shape quyche.batch sends: every key present, nhiem_ky None for a State host."""
    s = Series.of({"he_thong": "nha_nuoc", "co_quan": "UBND", "loai": "CTr", "nam": 2019, "nhiem_ky": None})
    assert (s.khoa, s.ten) == (Series.of({"co_quan": "UBND", "nam": 2019}).khoa, "UBND – năm 2019")
    with pytest.raises(RegisterError, match="khóa không hợp lệ"):
        Series.of({"co_quan": "UBND", "nam": 2019, "viet_tat": "UBND"})
    with pytest.raises(RegisterError, match="thiếu năm"):
        Series.of({"co_quan": "UBND"})


# --- issue and void ----------------------------------------------------------------------------------------------


def test_issue_turns_a_reservation_into_a_register_line(reg: Register) -> None:
    reg.reserve(UBND_2025, 5)
    e = _issue(reg, UBND_2025, 5, noi_nhan=["Như trên", "Lưu: VT"], don_vi_luu="VT, VX", so_luong_ban=3)
    assert e.cells() == (
        "05/QĐ-UBND", "05/03/2025", "Quyết định về việc X", "A", "Như trên; Lưu: VT", "VT, VX", "3", "", "", "",
    )  # fmt: skip
    assert e.trang_thai == "ban_hanh" and e.ban_hanh_luc
    by_id = _issue(reg, e.id - 4, so_ky_hieu="Số: 01/QĐ-UBND", ngay=dt.date(2025, 1, 2), ngay_chuyen="03/01/2025")
    assert (by_id.so, by_id.so_ky_hieu, by_id.values()[7]) == (1, "01/QĐ-UBND", dt.date(2025, 1, 3))
    with pytest.raises(RegisterError, match=r"05/QĐ-UBND .* đã ban hành ngày 05/03/2025; sổ đăng ký không ghi đè"):
        _issue(reg, UBND_2025, 5, trich_yeu="Quyết định về việc X (sửa)")
    fields = {"so_ky_hieu": "QĐ-UBND", "ngay": "05/03/2025", "nguoi_ky": "A"}
    again = reg.record(UBND_2025, 5, trich_yeu="Quyết định về việc X (sửa)", **fields)  # its owner re-rendered it
    assert [h["hanh_dong"] for h in reg.history(e.id)] == ["giu_so", "ban_hanh", "dinh_chinh"]
    assert (again.id, again.trich_yeu, again.noi_nhan, again.so_luong_ban) == (
        e.id, "Quyết định về việc X (sửa)", "Như trên; Lưu: VT", 3,
    )  # fmt: skip
    nxt = _issue(reg, {**UBND_2025, "loai": "CV"}, so_ky_hieu="UBND-VX", ngay="2025-06-01")  # next number at once
    assert (nxt.so, nxt.so_ky_hieu, nxt.loai) == (6, "06/UBND-VX", "CV")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"so_ky_hieu": "03/QĐ-UBND"}, "không khớp với số 02"),
        ({"ngay": "2026-01-01"}, "không thuộc năm 2025"),
        ({"ngay": "31/02/2025"}, "ngày văn bản không hợp lệ"),
        ({"nguoi_ky": "  "}, "thiếu người ký"),
        ({"so_luong_ban": 0}, "số lượng bản"),
    ],
)
def test_issue_refuses_inconsistent_lines(reg: Register, change: dict, message: str) -> None:
    reg.reserve(UBND_2025, 2)
    with pytest.raises(RegisterError, match=message):
        _issue(reg, UBND_2025, 2, **change)
    assert reg.get(UBND_2025, 2).trang_thai == "giu_so"
    assert reg.reserve(UBND_2025) == [3]  # a refusal inside issue burns no number


def test_issue_needs_a_reserved_number(reg: Register) -> None:
    reg.reserve(UBND_2025, 2)
    with pytest.raises(RegisterError, match=r"số 07 chưa được giữ .*số cuối đã giữ: 02"):
        _issue(reg, UBND_2025, 7)
    with pytest.raises(RegisterError, match="không có mục số 99"):
        _issue(reg, 99)


def test_void_keeps_the_number_used(reg: Register) -> None:
    reg.reserve(UBND_2025, 3)
    e = reg.void(UBND_2025, 2, ly_do="Văn bản không ban hành")
    assert e.trang_thai == "huy" and e.ghi_chu_so.startswith("Đã hủy số ngày ")
    assert e.ghi_chu_so.endswith(": Văn bản không ban hành")
    assert reg.reserve(UBND_2025) == [4]  # never reissued
    with pytest.raises(RegisterError, match="đã hủy"):
        _issue(reg, UBND_2025, 2)
    with pytest.raises(RegisterError, match="đã hủy trước đó"):
        reg.void(e.id, ly_do="lần hai")
    with pytest.raises(RegisterError, match="thiếu lý do"):
        reg.void(UBND_2025, 3, ly_do=" ")
    issued = _issue(reg, UBND_2025, 3, so_ky_hieu="QĐ-UBND")
    assert reg.void(issued.id, ly_do="Thu hồi").trang_thai == "huy"  # an issued number may be voided too
    assert [e.so for e in reg.list()] == [1, 2, 3, 4]
    # append-only even for someone editing the file by hand
    conn = sqlite3.connect(reg.path)
    for sql in (
        "DELETE FROM van_ban WHERE so = 2",
        "UPDATE van_ban SET trang_thai = 'giu_so' WHERE so = 2",
        "UPDATE van_ban SET so = 9 WHERE so = 1",
        "UPDATE day_so SET so_cuoi = 1",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql)
    conn.close()


# --- concurrency -------------------------------------------------------------------------------------------------

_WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from quyche.register import Register

    db, go, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    open(f"{go}.{os.getpid()}.ready", "w").close()
    deadline = time.monotonic() + 60
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.001)
    reg = Register(db)
    got = {"nam": [], "dang": []}
    for i in range(rounds):
        if i % 4 == 3:  # a batch: two series in one transaction
            out = reg.reserve_many(
                [({"co_quan": "UBND", "nam": 2025, "loai": "CTr"}, 2),
                 ({"he_thong": "dang", "co_quan": "BTGTU", "loai": "GM", "nhiem_ky": "2020-2025"}, 2)],
                keys=["nam", "dang"],
            )
            got["nam"] += out["nam"]
            got["dang"] += out["dang"]
        else:
            got["nam"] += reg.reserve({"co_quan": "UBND", "nam": 2025, "loai": "QĐ"}, 1 + i % 3)
    print(json.dumps(got))
    """
)


def test_concurrent_processes_never_share_a_number_and_leave_no_gap(tmp_path: Path) -> None:
    db, go, workers, rounds = tmp_path / "so.sqlite3", tmp_path / "go", 6, 16  # a fresh file: creation races too
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(db), str(go), str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.*.ready"))) < workers and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()  # all start at once
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    nam = sorted(n for r in results for n in r["nam"])
    dang = sorted(n for r in results for n in r["dang"])
    assert nam == list(range(1, len(nam) + 1))  # no duplicate, no gap
    assert dang == list(range(1, len(dang) + 1))
    assert len(nam) == workers * sum(2 if i % 4 == 3 else 1 + i % 3 for i in range(rounds))
    for r in results:  # each batch got consecutive numbers in its series (one transaction)
        assert all(b - a == 1 for a, b in zip(r["dang"][::2], r["dang"][1::2], strict=True))
    entries = Register(db).list()
    assert len(entries) == len(nam) + len(dang)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()


# --- export ------------------------------------------------------------------------------------------------------


def _filled(reg: Register) -> None:
    reg.reserve(UBND_2025, 3)
    _issue(
        reg, UBND_2025, 1, noi_nhan=["Sở Y tế", "Lưu: VT"], don_vi_luu="VT", so_luong_ban=2, ngay_chuyen="06/03/2025"
    )
    reg.void(UBND_2025, 2, ly_do="Không ban hành")
    reg.reserve({**BTG, "loai": "CTr"})
    _issue(reg, {**BTG, "loai": "CTr"}, 1, so_ky_hieu="CTr/BTGTU", ngay="2022-02-18", trich_yeu="Chương trình phối hợp")


def test_export_csv_has_the_10_columns(reg: Register, tmp_path: Path) -> None:
    _filled(reg)
    out = tmp_path / "xuat" / "so-dang-ky.csv"
    assert reg.export_csv(out, co_quan="UBND") == 3
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == PHU_LUC_IV
    assert rows[1] == [
        "01/QĐ-UBND", "05/03/2025", "Quyết định về việc X", "A", "Sở Y tế; Lưu: VT", "VT", "2", "06/03/2025", "", "",
    ]  # fmt: skip
    assert rows[2][0] == "02" and rows[2][9].startswith("Đã hủy số") and rows[2][9].endswith("Không ban hành")
    assert rows[3] == ["03", "", "", "", "", "", "", "", "", "Đã giữ số, chưa ban hành"]
    assert all(len(r) == 10 for r in rows)
    assert [p.name for p in out.parent.iterdir()] == ["so-dang-ky.csv"]  # atomic: no temporary file left


def test_export_xlsx_has_the_10_columns_one_sheet_per_series(reg: Register, tmp_path: Path) -> None:
    _filled(reg)
    out = tmp_path / "so-dang-ky.xlsx"
    assert reg.export_xlsx(out) == 4
    wb = load_workbook(out)
    assert wb.sheetnames == ["BTGTU CTr 2020-2025", "UBND 2025"]
    for ws in wb:
        assert [c.value for c in ws[1]] == PHU_LUC_IV
        assert ws.max_column == 10
    ubnd = [[c.value for c in row] for row in wb["UBND 2025"].iter_rows(min_row=2)]
    assert ubnd[0][:4] == ["01/QĐ-UBND", dt.datetime(2025, 3, 5), "Quyết định về việc X", "A"]
    assert ubnd[0][6:8] == [2, dt.datetime(2025, 3, 6)]
    assert [r[0] for r in ubnd] == ["01/QĐ-UBND", "02", "03"]
    assert wb["BTGTU CTr 2020-2025"]["A2"].value == "01-CTr/BTGTU"
    empty = tmp_path / "trong.xlsx"
    assert reg.export_xlsx(empty, nam=1999) == 0  # an empty selection still prints the book's header
    assert [c.value for c in load_workbook(empty).active[1]] == PHU_LUC_IV


# --- file ---------------------------------------------------------------------------------------------------------


def test_default_path_is_per_workspace_and_env_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    assert Register().path == tmp_path / ".quyche" / "so-dang-ky.sqlite3"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "chung.sqlite3"))
    assert default_path() == tmp_path / "chung.sqlite3"
    assert Register().reserve(UBND_2025) == [1]
    assert (tmp_path / "chung.sqlite3").exists() and not (tmp_path / ".quyche").exists()


def test_reading_a_missing_register_is_an_error_naming_it_and_creates_nothing(tmp_path: Path) -> None:
    reg = Register(tmp_path / "chua-co" / "so.sqlite3")
    for read in (reg.list, lambda: reg.nhiem_ky("BTGTU"), reg.verify, lambda: reg.export_csv(tmp_path / "x.csv")):
        with pytest.raises(RegisterError, match=f"không có sổ đăng ký tại {tmp_path / 'chua-co' / 'so.sqlite3'}"):
            read()
    assert not (tmp_path / "chua-co").exists() and not (tmp_path / "x.csv").exists()


def test_foreign_or_newer_files_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "khac.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(RegisterError, match="không phải sổ đăng ký"):
        Register(other).reserve(UBND_2025)
    newer = tmp_path / "moi.sqlite3"
    Register(newer).reserve(UBND_2025)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(RegisterError, match="phiên bản quyche mới hơn"):
        Register(newer).reserve(UBND_2025)
    text = tmp_path / "van-ban.sqlite3"
    text.write_text("không phải SQLite " * 100, encoding="utf-8")
    with pytest.raises(RegisterError, match="không phải sổ đăng ký"):
        Register(text).list()


# --- command line ------------------------------------------------------------------------------------------------

runner = CliRunner()


def _run(db: Path, *args: str):
    return runner.invoke(register_app, [*args, "--so-dang-ky", str(db)])


def test_cli_reserve_issue_void_list_export(tmp_path: Path) -> None:
    db = tmp_path / "so.sqlite3"
    r = _run(db, "reserve", "--co-quan", "UBND", "--nam", "2025", "-n", "3")
    assert r.exit_code == 0, r.output
    assert "Đã giữ 3 số trong sổ UBND – năm 2025: 01, 02, 03" in r.output
    r = _run(
        db, "issue", "--co-quan", "UBND", "--so", "1", "--so-ky-hieu", "QĐ-UBND", "--ngay", "05/03/2025",
        "--trich-yeu", "Quyết định về việc X", "--nguoi-ky", "Nguyễn Văn A", "--noi-nhan", "Như trên",
        "--noi-nhan", "Lưu: VT", "--so-ban", "2",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Đã ghi sổ: 01/QĐ-UBND, ngày 05/03/2025" in r.output
    r = _run(db, "void", "2", "--ly-do", "Không ban hành")
    assert r.exit_code == 0 and "Đã hủy số 02" in r.output, r.output
    r = _run(db, "issue", "2", "--so-ky-hieu", "QĐ-UBND", "--ngay", "2025-03-06", "--trich-yeu", "X", "--nguoi-ky", "A")
    assert r.exit_code == 1 and "lỗi: số 02 của sổ UBND – năm 2025 đã hủy" in r.output
    assert _run(db, "nhiem-ky", "BTGTU", "2020-2025").exit_code == 0
    r = _run(db, "reserve", "--co-quan", "BTGTU", "--he-thong", "dang", "--loai", "GM", "-n", "2")
    assert "Đã giữ 2 số trong sổ BTGTU – GM – nhiệm kỳ 2020-2025: 01, 02" in r.output, r.output
    r = _run(db, "list", "--co-quan", "UBND")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0] == "— Sổ UBND – năm 2025 —"
    assert "01/QĐ-UBND" in lines[2] and "đã hủy" in lines[3] and "đã giữ số" in lines[4]
    r = _run(db, "export", str(tmp_path / "so.xlsx"))
    assert r.exit_code == 0 and "Đã xuất 5 dòng" in r.output, r.output
    assert [c.value for c in load_workbook(tmp_path / "so.xlsx")["UBND 2025"][1]] == PHU_LUC_IV
    r = _run(db, "export", str(tmp_path / "so.csv"), "--nam", "2025")
    assert r.exit_code == 0, r.output
    with (tmp_path / "so.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == PHU_LUC_IV and len(rows) == 4


def test_cli_errors_are_vietnamese_with_exit_codes(tmp_path: Path) -> None:
    db = tmp_path / "so.sqlite3"
    r = _run(db, "reserve", "--co-quan", "BTGTU", "--he-thong", "dang", "--loai", "CTr")
    assert r.exit_code == 1 and "lỗi: chưa có nhiệm kỳ cho cơ quan Đảng BTGTU" in r.output
    r = _run(db, "void", "--ly-do", "x")
    assert r.exit_code == 2 and "thiếu MÃ, hoặc --co-quan" in r.output
    r = _run(db, "export", str(tmp_path / "so.pdf"))
    assert r.exit_code == 2 and "định dạng không hỗ trợ: pdf" in r.output
    r = _run(db, "list")
    assert r.exit_code == 0 and "không có số nào" in r.output  # the refused reservation took nothing


def test_cli_module_imports_only_typer_at_startup() -> None:
    code = (
        "import sys, quyche.cli_register; print(sorted({'quyche.register', 'sqlite3', 'openpyxl'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
