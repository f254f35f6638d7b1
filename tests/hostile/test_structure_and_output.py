"""Hostile structure, user templates and output paths: a document or a located error, never a traceback,
a hang or a half-written file."""

from __future__ import annotations

import errno
import io
import os
import time
from pathlib import Path

import pytest
import yaml
from docx import Document

import quyche as api
from quyche import output
from quyche.output import OutputError, atomic_write, safe_name, target_path

from support import BASE, quyche, write


def doc(**changes) -> str:
    data = yaml.safe_load(BASE)
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_zero_articles(tmp_path: Path, case) -> None:
    case("cấu trúc", "chương không có điều nào", "lỗi sai-kieu tại chương đó")
    path = write(tmp_path, doc(chuong=[{"ten": "Quy định chung", "dieu": []}]))
    [d] = api.validate(path)
    assert d.code == "sai-kieu" and "chương không có điều" in d.message
    assert (
        path.read_text(encoding="utf-8").splitlines()[d.location.line - 1].lstrip().startswith("- ten: Quy định chung")
    )


def test_ten_thousand_articles(tmp_path: Path, case) -> None:
    case("cấu trúc", "10 000 điều trong 10 chương", "tạo .docx đủ 10 000 điều (thời gian tuyến tính: bench/)")
    chuong = [
        {"ten": f"Chương số {c}", "dieu": [{"ten": f"Điều mục {c}-{i}", "doan": "Nội dung điều."} for i in range(1000)]}
        for c in range(10)
    ]
    path = write(tmp_path, doc(chuong=chuong))
    t = time.perf_counter()
    result = api.render(path)
    elapsed = time.perf_counter() - t
    docx = Document(io.BytesIO(result.outputs["docx"]))
    assert sum(p.text.startswith("Điều ") for p in docx.paragraphs) == 10_000
    assert any(p.text.startswith("Điều 10000. ") for p in docx.paragraphs)
    assert elapsed < 60


def test_thirty_signers(tmp_path: Path, case) -> None:
    case("cấu trúc", "30 cơ quan ký (30 khối chữ ký)", "tạo tệp: 15 hàng, hai khối một hàng, mỗi khối đúng hệ thống")
    bodies = [
        {"ma": f"S{i}", "he_thong": "nha_nuoc", "ten": f"Sở số {i}", "viet_tat": f"S{i}", "chu_tri": i == 0}
        for i in range(30)
    ]
    kys = [{"co_quan": f"S{i}", "chuc_vu": "Giám đốc", "ho_ten": f"Nguyễn Văn {chr(65 + i % 26)}"} for i in range(30)]
    result = api.render(write(tmp_path, doc(co_quan=bodies, ky=kys)))
    assert len(result.document.signers) == 30
    docx = Document(io.BytesIO(result.outputs["docx"]))
    sig_tables = [t for t in docx.tables if any("GIÁM ĐỐC" in c.text for c in t.rows[0].cells)]
    assert len(sig_tables) == 15


def test_two_hundred_recipients(tmp_path: Path, case) -> None:
    case("cấu trúc", "200 nơi nhận", 'tạo tệp: 200 dòng "- …;" và dòng Lưu')
    result = api.render(write(tmp_path, doc(noi_nhan=[f"Cơ quan số {i}" for i in range(200)])))
    texts = [p.text for p in result.document.iter_paras() if p.role == "noi_nhan_muc"]
    assert len(texts) == 201 and texts[-1].startswith("- Lưu: VT")


def test_missing_roster_entry(tmp_path: Path, case) -> None:
    case("cấu trúc", "mã cơ quan không có trong danh mục", "lỗi co-quan-khong-ro tại mã, gợi ý mã gần đúng")
    (tmp_path / "dm.yaml").write_text(
        "danh_muc: co_quan\nco_quan:\n  - {ma: UBND, he_thong: nha_nuoc, ten: UBND tỉnh X, viet_tat: UBND}\n",
        encoding="utf-8",
    )
    data = yaml.safe_load(BASE)
    data["danh_muc"] = "dm.yaml"
    data["co_quan"] = [{"ma": "UBDN"}]
    data["ky"][0]["co_quan"] = "UBDN"
    d = api.validate(write(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)))
    assert d[0].code == "co-quan-khong-ro" and d[0].hint == 'Có phải ý bạn là "UBND"?'


@pytest.mark.parametrize(
    ("name", "tried"),
    [
        ("../../x.docx", "../../x"),
        ("/etc/x.docx", "đường dẫn tuyệt đối"),
        ("a/../../x.docx", "a/../../x"),
        ("x\x00.docx", "ký tự NUL"),
    ],
)
def test_output_names_never_escape(tmp_path: Path, case, name: str, tried: str) -> None:
    case("tệp kết quả", f"tên tệp ra ngoài thư mục: {tried}", "bị từ chối (OutputError), không ghi gì")
    with pytest.raises(OutputError):
        target_path(tmp_path, name)


@pytest.mark.parametrize("stem", ["CON", "nul", "LPT1", "..", "a/b", "a\\b"])
def test_reserved_and_slashed_names(case, stem: str) -> None:
    case("tệp kết quả", f"tên tệp đặc biệt: {stem!r}", "tên an toàn hoặc bị từ chối")
    try:
        name = safe_name(stem)
    except OutputError:
        return
    assert "/" not in name and "\\" not in name and name.upper() not in ("CON", "NUL", "LPT1")


def test_input_named_like_a_path_stays_inside(tmp_path: Path, case) -> None:
    case("tệp kết quả", 'tệp vào tên "..yaml" và "CON.yaml"', "tên an toàn hoặc lỗi rõ, không ghi ra ngoài")
    out = tmp_path / "out"
    for stem in ("..", "CON"):
        src = write(tmp_path, BASE, f"{stem}.yaml")
        r = quyche("render", str(src), "-o", str(out), "-f", "docx")
        assert r.returncode in (0, 1)
    assert {p.parent for p in tmp_path.rglob("*.docx")} <= {out.resolve(), out}


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_output_folder_non_root(tmp_path: Path, case) -> None:  # pragma: no cover - CI runs as root
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    r = quyche("render", str(write(tmp_path, BASE)), "-o", str(out), "-f", "docx")
    assert r.returncode == 1 and "không ghi được tệp" in r.stderr


def test_read_only_output_folder(tmp_path: Path, case, monkeypatch) -> None:
    case("tệp kết quả", "thư mục kết quả chỉ đọc (EACCES)", 'thoát 1, "không ghi được tệp", không tệp dở')
    out = tmp_path / "ro"
    out.mkdir()

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(out))

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    from typer.testing import CliRunner

    from quyche.cli import app

    r = CliRunner().invoke(app, ["render", str(write(tmp_path, BASE)), "-o", str(out), "-f", "docx"])
    assert r.exit_code == 1 and "không ghi được tệp" in r.output
    assert list(out.iterdir()) == []


def test_disk_full_leaves_no_partial_file(tmp_path: Path, case, monkeypatch) -> None:
    case("tệp kết quả", "đĩa đầy giữa lúc ghi (ENOSPC, giả lập)", "OSError rõ ràng, không tệp dở, tệp cũ còn nguyên")
    target = tmp_path / "vb.docx"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full)
    with pytest.raises(OSError) as exc:
        atomic_write(target, b"new content")
    monkeypatch.setattr(output.os, "fsync", real_fsync)
    assert exc.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["vb.docx"]


@pytest.mark.parametrize(
    ("template", "code", "tried"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "mau-khong-an-toan", "''.__class__.__mro__…"),
        ("{{ doi_tac.__dict__ }}", "mau-loi", "thuộc tính riêng __dict__"),
        ("{{ doi_tac._sa_instance_state }}", "mau-loi", "thuộc tính bắt đầu bằng _"),
        ("{% for i in range(10**9) %}x{% endfor %}", "mau-khong-an-toan", "range(10**9)"),
        ("{{ cycler.__init__.__globals__ }}", "mau-khong-an-toan", "__globals__ qua biến toàn cục"),
    ],
)
def test_user_template_sandbox(tmp_path: Path, case, template: str, code: str, tried: str) -> None:
    case("mẫu người dùng", f"thoát sandbox: {tried}", f"bị từ chối: {code}, có vị trí")
    from quyche.batch import plan_batch

    from conftest import DATA

    (tmp_path / "dm.yaml").write_text(
        (DATA / "co-quan" / "tien-lu-2019.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = (DATA / "bo" / "tien-lu-2019.yaml").read_text(encoding="utf-8").split("doi_tac:\n")[0]
    text = text.replace("../co-quan/tien-lu-2019.yaml", "dm.yaml").replace(
        'trich_yeu: "Phối hợp công tác giữa Ban Tuyên giáo Huyện ủy và {{ doi_tac.ten }} năm 2019"',
        f'trich_yeu: "{template}"',
    )
    path = write(tmp_path, text + "doi_tac:\n  - ma: PYT\n", "bo.yaml")
    t = time.perf_counter()
    plan = plan_batch(path)
    assert time.perf_counter() - t < 5
    [d, *_] = plan.problems["PYT"]
    assert d.code == code and "trich_yeu" in text.splitlines()[d.location.line - 1]
