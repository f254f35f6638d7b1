"""``quyche check`` as a user runs it: the report lines, JSON, exit codes (0 clean, 1 problems, 2 usage), --sua
writing a new file that checks clean and never touching the original; hostile and broken inputs get a coded
Vietnamese message and exit 1, never a traceback or exit 3."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import rendered, workdir
from flaws import FLAWS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche", "check", *args], capture_output=True, text=True, timeout=120)


def flawed(name: str, *flaws: str) -> Path:
    source = rendered()[name]["docx"]
    doc = Document(str(source))
    for flaw in flaws:
        assert FLAWS[flaw](doc, "nha_nuoc") is not None
    out = workdir() / "cli" / f"{name}-{'-'.join(flaws)}.docx"
    out.parent.mkdir(exist_ok=True)
    doc.save(str(out))
    return out


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_clean_files_exit_0() -> None:
    item = rendered()["quy-che-dak-lak-2017"]
    r = run(str(item["docx"]), str(item["pdf"]))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("đúng thể thức, không có lỗi") == 2
    assert "văn bản liên tịch, quy chế — thể thức nd30-2020" in r.stdout


def test_report_lines_are_located_with_rule_excerpt_and_citation() -> None:
    path = flawed("quy-che-dak-lak-2017", "number_spacing", "date_unpadded")
    r = run(str(path))
    assert r.returncode == 1
    assert re.search(rf"^{re.escape(str(path))}:đoạn \d+: lỗi \[number.format\] ", r.stdout, re.M), r.stdout
    assert re.search(rf"^{re.escape(str(path))}:đoạn \d+: lỗi \[date.format\] ", r.stdout, re.M)
    assert "   | Số:01/QC-UBND-UBMTTQ" in r.stdout
    assert "căn cứ: nd30-2020: ND30-PL1 §II.3" in r.stdout
    assert "sửa được (--sua)" in r.stdout
    assert r.stdout.rstrip().endswith("2 lỗi, 0 cảnh báo (1 sửa được bằng --sua).")


def test_json_report() -> None:
    path = flawed("quy-che-dak-lak-2017", "prefix_no_dot")
    r = run("--json", str(path), str(rendered()["quy-che-dak-lak-2017"]["pdf"]))
    assert r.returncode == 1
    data = json.loads(r.stdout)
    first, second = data["files"]
    assert (first["regime"], first["kind"], first["profile"], first["clean"]) == (
        "lien_tich",
        "quy_che",
        "nd30-2020",
        False,
    )
    assert [(f["rule"], f["severity"], f["fixable"]) for f in first["findings"]] == [("sign.prefix", "loi", True)]
    assert first["findings"][0]["paragraph"] > 0 and first["findings"][0]["excerpt"].startswith("TM ")
    assert second["format"] == "pdf" and second["clean"] is True


def test_sua_writes_a_new_clean_file_and_leaves_the_original(tmp_path: Path) -> None:
    path = flawed("quy-che-hoa-binh-2019", "motto_underscores", "wrong_font", "margin_left")
    before = digest(path)
    out = tmp_path / "da-sua.docx"
    r = run("--sua", str(path), "-o", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    assert digest(path) == before
    assert "[header.tieu_ngu.rule] thay bằng đường kẻ dài 60,5 mm" in r.stdout
    assert "font.family" in r.stdout and "[page.margin_mm.left] đặt lề trái 30 mm" in r.stdout
    assert run(str(out)).returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["da-sua.docx"]  # no temporary file left


def test_sua_json(tmp_path: Path) -> None:
    path = flawed("quy-che-hoa-binh-2019", "date_unpadded")
    r = run("--json", "--sua", str(path), "-o", str(tmp_path / "x.docx"))
    assert r.returncode == 0
    (item,) = json.loads(r.stdout)["files"]
    assert item["clean"] and item["source"] == str(path) and item["written"] == str(tmp_path / "x.docx")
    assert len(item["fixes"]) == 1 and "[date.format]" in item["fixes"][0]


def test_sua_lists_what_is_left_for_a_person(tmp_path: Path) -> None:
    path = flawed("quy-che-hoa-binh-2019", "date_unpadded", "dieu_colon")
    r = run("--sua", str(path), "-o", str(tmp_path / "x.docx"))
    assert r.returncode == 1
    assert "[date.format]" in r.stdout.split("Còn lại")[0]
    assert "Còn lại, cần người sửa:" in r.stdout and "[heading.dieu]" in r.stdout.split("Còn lại")[1]


def test_the_thuc_option_judges_by_the_named_profile() -> None:
    party = rendered()["quy-che-quang-tri-2023"]["docx"]
    r = run("--the-thuc", "nd30-2020", str(party))
    assert r.returncode == 1 and "[number.format]" in r.stdout and "thể thức nd30-2020" in r.stdout
    assert 'lỗi [header.quoc_hieu.text] Thiếu Quốc hiệu "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".' in r.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--sua", "{doc}"], "--sua cần -o"),
        (["--sua", "{doc}", "-o", "{doc}"], "trùng tệp gốc"),
        (["{doc}", "-o", "{tmp}/x.docx"], "-o chỉ dùng cùng --sua"),
        (["--sua", "{doc}", "{doc}", "-o", "{tmp}/x.docx"], "một tệp mỗi lần"),
        (["--sua", "{pdf}", "-o", "{tmp}/x.docx"], "chỉ sửa tệp .docx"),
        (["--the-thuc", "khong-co", "{doc}"], "không có bộ thể thức"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    item = rendered()["cong-van-lam-dong-2017"]
    before = digest(item["docx"])
    values = {"doc": str(item["docx"]), "pdf": str(item["pdf"]), "tmp": str(tmp_path)}
    r = run(*(a.format(**values) for a in args))
    assert r.returncode == 2, r.stdout + r.stderr
    assert message in r.stderr
    assert digest(item["docx"]) == before and not (tmp_path / "x.docx").exists()


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _docx_with(document_xml: bytes) -> bytes:
    source = rendered()["cong-van-lam-dong-2017"]["docx"]
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = document_xml
    return _zip(parts)


BOMB_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
)


def _many_pages_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(201):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


HOSTILE = {
    "not-a-zip.docx": (lambda: os.urandom(3000), "docx-hong"),
    "no-document.docx": (lambda: _zip({"[Content_Types].xml": b"<Types/>"}), "docx-hong"),
    "zip-bomb.docx": (lambda: _zip({"word/document.xml": b"\0" * (3 * 1024 * 1024)}), "docx-qua-lon"),
    "members.docx": (lambda: _zip({f"x/{i}.xml": b"" for i in range(2001)}), "docx-qua-lon"),
    "billion-laughs.docx": (lambda: _docx_with(BOMB_LAUGHS), "docx-hong"),
    "xxe.docx": (lambda: _docx_with(XXE), "docx-hong"),
    "bad-xml.docx": (lambda: _docx_with(b"<w:document><w:body>"), "docx-hong"),
    "not-wordml.docx": (lambda: _docx_with(b"<html/>"), "docx-hong"),
    "truncated.pdf": (lambda: rendered()["cong-van-lam-dong-2017"]["pdf"].read_bytes()[:2000], "pdf-hong"),
    "garbage.pdf": (lambda: b"%PDF-1.7\n" + os.urandom(2000), "pdf-hong"),
    "many-pages.pdf": (_many_pages_pdf, "pdf-qua-lon"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_refused_with_a_code(name: str, tmp_path: Path) -> None:
    make, code = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(make())
    r = run(str(path), str(rendered()["cong-van-lam-dong-2017"]["docx"]))
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"{path}: lỗi [{code}]" in r.stdout
    assert "Traceback" not in r.stderr and "root:x:" not in r.stdout
    assert "cong-van-lam-dong-2017.docx: đúng thể thức" in r.stdout  # the other file is still checked


def test_missing_file_and_fifo_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.docx"
    os.mkfifo(fifo)
    r = run(str(tmp_path / "khong-co.docx"), str(fifo))
    assert r.returncode == 1
    assert r.stdout.count("lỗi [tep-khong-doc-duoc]") == 2
    empty = tmp_path / "rong"
    empty.mkdir()
    r = run(str(empty))
    assert r.returncode == 2 and "không có tệp .docx hay PDF" in r.stderr


def test_a_demo_folder_checks_clean(tmp_path: Path) -> None:
    """`quyche check out/*` after `make demo`: the documents (a batch's in their subfolder) are checked, the
    sidecar .json and the register passed over, said so, and the run is clean."""
    out = tmp_path / "out"
    sub = out / "tien-lu-2019"
    sub.mkdir(parents=True)
    for name in ("quy-che-lam-dong-2016", "giay-moi-tien-lu-2019"):
        for fmt in ("docx", "pdf"):
            (sub if name.startswith("giay") else out).joinpath(f"{name}.{fmt}").write_bytes(
                rendered()[name][fmt].read_bytes()
            )
    (out / "quy-che-lam-dong-2016.json").write_text("{}", encoding="utf-8")
    (out / "so-dang-ky.sqlite3").write_bytes(b"SQLite format 3\0")
    r = run(*sorted(str(p) for p in out.iterdir()))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count(": đúng thể thức, không có lỗi.") == 4
    assert f"{out / 'so-dang-ky.sqlite3'}: bỏ qua (không phải .docx hay PDF)" in r.stdout
    as_json = json.loads(run("--json", str(out)).stdout)
    assert len(as_json["files"]) == 4 and all(f["clean"] for f in as_json["files"])
