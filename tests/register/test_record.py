"""The register as a legal record: a number belongs to one document, an issued line is never written over,
every change is in a hash-chained audit trail that shows tampering, and reading never writes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quyche.cli_register import register_app
from quyche.register import Register, RegisterError
from quyche.register.schema import _SCHEMA_V1, APPLICATION_ID

from conftest import ROOT

UBND = {"he_thong": "nha_nuoc", "co_quan": "UBND", "nam": 2025, "loai": "QĐ"}
FIELDS = {"so_ky_hieu": "QĐ-UBND", "ngay": "05/03/2025", "trich_yeu": "Quyết định về việc X", "nguoi_ky": "A"}
runner = CliRunner()


def _cli(db: Path, *args: str):
    return runner.invoke(register_app, [*args, "--so-dang-ky", str(db)])


def test_a_document_keeps_its_number(tmp_path: Path) -> None:
    reg = Register(tmp_path / "so.sqlite3")
    first = reg.reserve_documents([(UBND, "a.yaml", "2025-03-05"), (UBND, "b.yaml", None)])
    assert {k: e.so for k, e in first.items()} == {"a.yaml": 1, "b.yaml": 2}
    again = reg.reserve_documents([(UBND, "b.yaml", None), (UBND, "c.yaml", None), (UBND, "a.yaml", None)])
    assert {k: e.so for k, e in again.items()} == {"b.yaml": 2, "c.yaml": 3, "a.yaml": 1}
    assert reg.reserve(UBND, dinh_danh="a.yaml") == [1] and len(reg.list()) == 3
    with pytest.raises(RegisterError, match=r"văn bản a.yaml đã có số 01 trong sổ UBND – năm 2025 .*register void"):
        reg.reserve_documents([({**UBND, "nam": 2026}, "a.yaml", None)])
    with pytest.raises(RegisterError, match="không thuộc năm 2025"):  # checked before any number is taken
        reg.reserve_documents([(UBND, "d.yaml", "2024-12-31")])
    assert len(reg.list()) == 3


def test_issue_twice_is_refused_void_and_reissue_are_both_in_the_history(tmp_path: Path, case) -> None:
    case(
        "sổ đăng ký",
        "register issue hai lần vào một số",
        "lần hai bị từ chối (thoát 1), chỉ đường hủy số và cấp số mới",
    )
    db = tmp_path / "so.sqlite3"
    args = ["--so-ky-hieu", "QĐ-UBND", "--ngay", "05/03/2025", "--trich-yeu", "Quyết định X", "--nguoi-ky", "A"]
    r = _cli(db, "issue", "--co-quan", "UBND", "--dinh-danh", "qd-x.yaml", *args)
    assert r.exit_code == 0 and "01/QĐ-UBND" in r.output, r.output
    before = Register(db).get(1)
    r = _cli(db, "issue", "1", *args[:-2], "--nguoi-ky", "B")
    assert r.exit_code == 1 and "đã ban hành ngày 05/03/2025; sổ đăng ký không ghi đè" in r.output
    assert "quyche register void 1" in r.output and Register(db).get(1) == before
    r = _cli(db, "issue", "--co-quan", "UBND", "--dinh-danh", "qd-x.yaml", *args)
    assert r.exit_code == 1 and "đã ban hành" in r.output  # the document's number, not a new one
    assert _cli(db, "void", "1", "--ly-do", "Ghi sai người ký").exit_code == 0
    r = _cli(db, "issue", "--co-quan", "UBND", "--dinh-danh", "qd-x.yaml", *args[:-2], "--nguoi-ky", "B")
    assert r.exit_code == 0 and "02/QĐ-UBND" in r.output, r.output
    trail = [(h["van_ban_id"], h["hanh_dong"]) for h in Register(db).history()]
    assert trail == [(1, "giu_so"), (1, "ban_hanh"), (1, "huy"), (2, "giu_so"), (2, "ban_hanh")]
    r = _cli(db, "nhat-ky")
    assert r.exit_code == 0 and "hủy số" in r.output and "mục 2" in r.output
    assert Register(db).verify()[2] == []


def test_audit_trail_has_time_and_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUYCHE_USER", "van-thu.nguyen")
    reg = Register(tmp_path / "so.sqlite3")
    reg.reserve(UBND)
    (event,) = reg.history()
    assert event["nguoi"] == "van-thu.nguyen" and event["luc"][:4].isdigit() and "T" in event["luc"]


@pytest.mark.parametrize(
    ("tamper", "found"),
    [
        ("UPDATE van_ban SET trich_yeu = 'Quyết định khác' WHERE id = 1", "mục 1 đã bị sửa ngoài quyche (trich_yeu"),
        ("UPDATE van_ban SET nguoi_ky = 'B', ngay = '2025-03-06' WHERE id = 2", "mục 2 đã bị sửa ngoài quyche"),
        ("DROP TRIGGER van_ban_khong_xoa; DELETE FROM van_ban WHERE id = 3", "mục 3 có trong nhật ký nhưng đã bị xóa"),
        ("DROP TRIGGER nhat_ky_khong_sua; UPDATE nhat_ky SET nguoi = 'x' WHERE id = 2", "nhật ký dòng 2"),
        ("DROP TRIGGER nhat_ky_khong_xoa; DELETE FROM nhat_ky WHERE id = 2", "nhật ký thiếu dòng 2"),
        (
            "INSERT INTO van_ban (day_so_id, so, trang_thai, giu_luc) VALUES (1, 4, 'giu_so', 'x');"
            "UPDATE day_so SET so_cuoi = 4",
            "mục 4 không có trong nhật ký",
        ),
        ("UPDATE co_quan SET nhiem_ky = '2025-2030' WHERE viet_tat = 'BTGTU'", "nhiệm kỳ của BTGTU"),
        ("UPDATE day_so SET so_cuoi = 5", "số cuối 5 nhưng có 3 số"),
    ],
)
def test_verify_finds_a_row_changed_behind_quyches_back(tmp_path: Path, case, tamper: str, found: str) -> None:
    if "trich_yeu" in tamper:
        case("sổ đăng ký", "sửa một dòng của sổ bằng sqlite3", "register verify báo mục bị sửa, thoát 1")
    db = tmp_path / "so.sqlite3"
    reg = Register(db)
    reg.reserve(UBND, 3)
    for so in (1, 2):
        reg.issue(UBND, so, **FIELDS)
    reg.set_nhiem_ky("BTGTU", "2020-2025")
    r = _cli(db, "verify")
    assert r.exit_code == 0 and f"Mã băm cuối: {reg.head()}" in r.output and len(reg.head()) == 64
    conn = sqlite3.connect(db)
    conn.executescript(tamper)
    conn.commit()
    conn.close()
    problems = reg.verify()[2]
    assert any(found in p for p in problems), problems
    r = _cli(db, "verify")
    assert r.exit_code == 1 and found in r.output and "sổ đã bị sửa ngoài quyche" in r.output


def test_a_register_from_before_the_audit_trail_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "cu.sqlite3"
    conn = sqlite3.connect(db)
    for stmt in _SCHEMA_V1:
        conn.execute(stmt)
    conn.executescript(
        f"""PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;
        INSERT INTO co_quan VALUES ('UBND', 'nha_nuoc', NULL);
        INSERT INTO day_so (khoa, he_thong, co_quan, nam, so_cuoi) VALUES ('["nam", "UBND", 2025, false]',
            'nha_nuoc', 'UBND', 2025, 1);
        INSERT INTO van_ban (day_so_id, so, trang_thai, giu_luc) VALUES (1, 1, 'giu_so', '2025-01-01');"""
    )
    conn.commit()
    conn.close()
    reg = Register(db)
    assert [e.so for e in reg.list()] == [1]  # an old file reads as it is
    assert reg.reserve(UBND) == [2]
    assert [h["hanh_dong"] for h in reg.history()] == ["chuyen_doi", "giu_so"] and reg.verify()[2] == []


def test_missing_register_is_an_error_naming_the_path(tmp_path: Path, case) -> None:
    case("sổ đăng ký", "register list / export với đường dẫn sổ không có", "thoát 1, báo đường dẫn; không tạo tệp nào")
    db = tmp_path / "khong-co" / "so.sqlite3"
    for args in (["list"], ["export", str(tmp_path / "x.xlsx")], ["verify"]):
        r = _cli(db, *args)
        assert r.exit_code == 1 and f"không có sổ đăng ký tại {db}" in r.output, r.output
    assert list(tmp_path.iterdir()) == []


def _read_only(folder: Path) -> list[str]:
    """A command prefix that runs with ``folder`` on read-only media: a read-only bind mount in a private mount
    namespace as root (file modes do not stop root), file modes otherwise."""
    if os.geteuid() != 0:
        return []
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True) if shutil.which("unshare") else None
    if probe is None or probe.returncode != 0:
        pytest.skip("root without mount namespaces: no way to make a read-only file system here")
    d = str(folder)
    return [
        "unshare",
        "-m",
        "sh",
        "-c",
        f'mount --bind "{d}" "{d}" && mount -o remount,ro,bind "{d}" && exec "$0" "$@"',
    ]


def test_read_only_register_can_be_listed_verified_and_exported(tmp_path: Path, case) -> None:
    case("sổ đăng ký", "sổ trên thư mục chỉ đọc (ổ chỉ đọc)", "list, verify, export vẫn chạy; tệp sổ không đổi")
    ro = tmp_path / "chi-doc"
    ro.mkdir()
    db = ro / "so.sqlite3"
    reg = Register(db)
    reg.reserve(UBND, 2)
    reg.issue(UBND, 1, **FIELDS)
    stamp = db.read_bytes()
    db.chmod(0o444)
    ro.chmod(0o555)
    try:
        prefix = _read_only(ro)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        if prefix:  # prove the file system really refuses writes
            touch = subprocess.run([*prefix, "touch", str(ro / "x")], capture_output=True, text=True)
            assert touch.returncode != 0 and "Read-only" in touch.stderr
        outputs = {}
        for args in (["list"], ["verify"], ["export", str(tmp_path / "so.xlsx")], ["export", str(tmp_path / "so.csv")]):
            r = subprocess.run(
                [*prefix, sys.executable, "-m", "quyche", "register", *args, "--so-dang-ky", str(db)],
                env=env, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert r.returncode == 0, r.stderr
            outputs[args[0]] = r.stdout
        assert "01/QĐ-UBND" in outputs["list"] and "nguyên vẹn" in outputs["verify"]
        assert (tmp_path / "so.xlsx").stat().st_size > 0 and db.read_bytes() == stamp
        assert sorted(p.name for p in ro.iterdir()) == ["so.sqlite3"]  # no -wal, -shm or journal left
    finally:
        ro.chmod(0o755)
