"""Running a batch: 12 partners → 12 programmes + 12 invitations + manifest + 24 register entries;
re-runs render only what changed, keep numbers, protect hand edits; interruptions lose nothing."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from quyche.batch import plan_batch, run_batch
from quyche.register import Register

from conftest import DATA, ROOT
from outline import docx_text

TIEN_LU = DATA / "bo" / "tien-lu-2019.yaml"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A copy of the Tiên Lữ batch and its roster, so that tests may edit them."""
    (tmp_path / "co-quan").mkdir()
    shutil.copy(DATA / "co-quan" / "tien-lu-2019.yaml", tmp_path / "co-quan")
    (tmp_path / "bo").mkdir()
    shutil.copy(TIEN_LU, tmp_path / "bo")
    return tmp_path


def run(work: Path, **kw):
    plan = plan_batch(work / "bo" / "tien-lu-2019.yaml")
    return run_batch(plan, work / "out", register_path=work / "so.sqlite3", **kw)


def test_end_to_end_12_partners(work: Path) -> None:
    report = run(work, jobs=2)
    assert report.ok and len(report.rendered) == 24
    out = report.out_dir
    assert len(list(out.glob("chuong-trinh-*.docx"))) == 12 and len(list(out.glob("giay-moi-*.docx"))) == 12
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["muc"]
    assert len(manifest) == 24 and all(m["trang_thai"] == "xong" for m in manifest)
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 24 and all(len(h) == 64 for r in rows for h in r["tep_sha256"].split(";"))
    assert all(r["tep"].endswith(".json") and len(r["tep"].split(";")) == 2 for r in rows)  # .docx + sidecar
    entries = Register(work / "so.sqlite3").list()
    assert len(entries) == 24 and all(e.trang_thai == "ban_hanh" for e in entries)
    by_type = {}
    for e in entries:
        by_type.setdefault(e.series.loai, []).append(e.so)
    assert sorted(by_type["CTr"]) == list(range(1, 13)) and sorted(by_type["GM"]) == list(range(1, 13))
    prog = docx_text((out / "chuong-trinh-pyt.docx").read_bytes())
    num = next(m for m in manifest if m["id"] == "chuong_trinh:PYT")["so_ky_hieu"]
    assert num in prog and num.startswith("Số ") and "-CTr/BTGHU-PYT" in num
    invite = docx_text((out / "giay-moi-pyt.docx").read_bytes())
    assert "thứ Năm, ngày 14 tháng 3 năm 2019" in invite  # 14/3/2019 was a Thursday
    assert "Lãnh đạo Phòng Y tế huyện Tiên Lữ" in invite
    summary = (out / "danh-sach.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(summary) == 25


def test_rerun_renders_nothing_and_keeps_numbers(work: Path) -> None:
    first = run(work, jobs=1)
    before = json.loads((first.out_dir / "manifest.json").read_text(encoding="utf-8"))
    second = run(work, jobs=1)
    assert second.rendered == [] and len(second.skipped) == 24
    after = json.loads((first.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [m["so"] for m in before["muc"]] == [m["so"] for m in after["muc"]]
    assert len(Register(work / "so.sqlite3").list()) == 24


def test_changed_partner_only_is_rendered_again(work: Path) -> None:
    run(work, jobs=1)
    batch = work / "bo" / "tien-lu-2019.yaml"
    batch.write_text(batch.read_text(encoding="utf-8").replace("Nguyễn Văn Tùng", "Nguyễn Văn Tường"), encoding="utf-8")
    report = run(work, jobs=1)
    assert report.rendered == ["chuong_trinh:DTT"]
    assert "Nguyễn Văn Tường" in docx_text((report.out_dir / "chuong-trinh-dtt.docx").read_bytes())


def test_hand_edited_output_is_protected(work: Path, case) -> None:
    case("bộ văn bản", "tệp kết quả đã sửa tay rồi chạy lại", "giữ nguyên tệp sửa tay; --force mới ghi đè")
    report = run(work, jobs=1)
    edited = report.out_dir / "giay-moi-pyt.docx"
    edited.write_bytes(edited.read_bytes() + b"\n")  # a clerk saved it in Word
    stamp = edited.read_bytes()
    batch = work / "bo" / "tien-lu-2019.yaml"
    batch.write_text(
        batch.read_text(encoding="utf-8").replace("Hội trường Huyện ủy", "Hội trường UBND huyện"), encoding="utf-8"
    )
    again = run(work, jobs=1)
    assert "giay_moi:PYT" in again.protected and edited.read_bytes() == stamp
    assert len(again.rendered) == 11
    forced = run(work, jobs=1, force=True)
    assert "giay_moi:PYT" in forced.rendered and edited.read_bytes() != stamp


def test_interrupted_run_completes_with_the_same_numbers(work: Path, case) -> None:
    case("bộ văn bản", "Ctrl-C sau 5/24 văn bản", "không tệp dở; chạy lại hoàn tất 19 văn bản với đúng số đã giữ")

    def stop_after_five(item_id: str, done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    report = run(work, jobs=1, progress=stop_after_five)
    assert report.interrupted and len(report.rendered) == 5
    manifest = json.loads((report.out_dir / "manifest.json").read_text(encoding="utf-8"))["muc"]
    reserved = {m["id"]: m["so"] for m in manifest}
    assert len(reserved) == 24, "every number was reserved before rendering started"
    assert not list(report.out_dir.glob(".*.tmp"))
    rest = run(work, jobs=2)
    assert rest.ok and len(rest.rendered) == 19
    manifest = json.loads((rest.out_dir / "manifest.json").read_text(encoding="utf-8"))["muc"]
    assert {m["id"]: m["so"] for m in manifest} == reserved
    entries = Register(work / "so.sqlite3").list()
    assert len(entries) == 24 and len({(e.series.loai, e.so) for e in entries}) == 24


def test_killed_worker_loses_nothing(work: Path, case) -> None:
    case(
        "bộ văn bản",
        "SIGKILL một tiến trình con giữa chừng",
        "tệp có mặt đều nguyên vẹn; chạy lại đủ 24, không trùng số",
    )
    killed = []

    def kill_a_worker(item_id: str, done: int, total: int) -> None:
        if not killed:
            children = multiprocessing.active_children()
            if children:
                os.kill(children[0].pid, signal.SIGKILL)
                killed.append(children[0].pid)

    report = run(work, jobs=2, progress=kill_a_worker)
    assert killed
    for path in report.out_dir.glob("*.docx"):
        Document(io.BytesIO(path.read_bytes()))  # every file there is whole
    rest = run(work, jobs=2)
    assert rest.ok
    out = rest.out_dir
    assert len(list(out.glob("*.docx"))) == 24 and not list(out.glob(".*.tmp"))
    entries = Register(work / "so.sqlite3").list()
    assert len(entries) == 24 and len({(e.series.loai, e.so) for e in entries}) == 24


def test_two_batches_share_one_register_without_collision(work: Path, case) -> None:
    case(
        "sổ đăng ký",
        "hai bộ văn bản khác nhau, và bộ thứ nhất chạy lần nữa vào thư mục khác, cùng lúc, một sổ",
        "48 số 01–24 mỗi loại, không trùng, không hụt; lần chạy lặp không lấy số nào",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    reg = work / "so.sqlite3"
    shutil.copy(work / "bo" / "tien-lu-2019.yaml", work / "bo" / "tien-lu-2019-b.yaml")
    batches = ["tien-lu-2019.yaml", "tien-lu-2019-b.yaml", "tien-lu-2019.yaml"]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "quyche",
                "batch",
                str(work / "bo" / batches[i]),
                "-o",
                str(work / f"out{i}"),
                "--so-dang-ky",
                str(reg),
                "-j",
                "1",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "Traceback" not in err
    entries = Register(reg).list()
    assert len(entries) == 48 and all(e.trang_thai == "ban_hanh" for e in entries)
    for loai in ("CTr", "GM"):
        assert sorted(e.so for e in entries if e.series.loai == loai) == list(range(1, 25))


def test_cli_reports_bad_partner_and_completes_the_others(work: Path, case) -> None:
    case(
        "bộ văn bản", "một cơ quan sai mã trong 12", "lỗi có vị trí cho cơ quan đó, 22 văn bản còn lại vẫn tạo, thoát 1"
    )
    batch = work / "bo" / "tien-lu-2019.yaml"
    batch.write_text(batch.read_text(encoding="utf-8").replace("  - ma: PNN\n", "  - ma: PNNN\n"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "quyche",
            "batch",
            str(batch),
            "-o",
            str(work / "out"),
            "--so-dang-ky",
            str(work / "so.sqlite3"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 1
    assert "tien-lu-2019.yaml:" in r.stderr and "[co-quan-khong-ro]" in r.stderr and "PNNN" in r.stderr
    assert "22 văn bản mới" in r.stdout


def test_every_document_gets_its_sidecar(work: Path) -> None:
    """Per document the sidecar JSON (sidecar.py) beside the PDF, with the PDF's signature places; a re-run
    finds it up to date; a sidecar changed by hand is protected like a document."""
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    report = run(work, jobs=2, formats=("pdf",))
    assert report.ok and len(report.rendered) == 24
    out = report.out_dir
    for pdf_path in sorted(out.glob("*.pdf")):
        side = json.loads(pdf_path.with_suffix(".json").read_text(encoding="utf-8"))
        assert side["tep"] == {"pdf": pdf_path.name}
        widgets = [f.get_object() for f in PdfReader(str(pdf_path)).trailer["/Root"]["/AcroForm"]["/Fields"]]
        assert [p["truong_ky"] for p in side["vi_tri_ky"]] == [str(w["/T"]) for w in widgets]
        assert side["van_ban"]["PageAmount"] == len(PdfReader(str(pdf_path)).pages)
        assert side["van_ban"]["CodeNumber"] and side["van_ban"]["IssuedDate"]
    again = run(work, jobs=1, formats=("pdf",))
    assert len(again.skipped) == 24 and not again.rendered
    edited = out / "giay-moi-pyt.json"
    edited.write_text("{}", encoding="utf-8")
    third = run(work, jobs=1, formats=("pdf",), force=False)
    assert "giay_moi:PYT" in third.protected and edited.read_text(encoding="utf-8") == "{}"
