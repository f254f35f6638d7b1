"""The upload-and-check page over HTTP, against a real `quyche serve`: a .docx with flaws planted the way a
clerk makes them is reported with the same data as `quyche check --json`, the fixed .docx downloads and checks
clean; a PDF is checked too; the upload is bounded by the shared budget, needs the CSRF token, and works for
any role in LAN mode; nothing is written to the workspace."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from docx import Document

from quyche.check import check_file

from .conftest import DATA, Server, start_server, stop_server, workspace_copy
from .test_lan import LAN_HOST, add_user, login

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("ra")
    subprocess.run(
        [sys.executable, "-m", "quyche", "render", str(DATA / "quy-che-lam-dong-2016.yaml"), "-o", str(out)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {"docx": out / "quy-che-lam-dong-2016.docx", "pdf": out / "quy-che-lam-dong-2016.pdf"}


def flawed(source: Path) -> bytes:
    """A date without its zero and a body paragraph set in Arial, as a clerk would in Word."""
    doc = Document(str(source))
    for p in doc.paragraphs:
        if p.text.startswith("Ban Tuyên giáo Tỉnh ủy và Ủy ban"):
            for r in p.runs:
                r.font.name = "Arial"
    for table in doc.tables[:1]:
        for cell in table._cells:
            for p in cell.paragraphs:
                if ", ngày 20 tháng 10 năm" in p.text:
                    for r in p.runs:
                        r.text = r.text.replace("tháng 10", "tháng 010")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_upload_docx_report_and_fixed_download(served: Server, outputs: dict[str, Path], tmp_path: Path) -> None:
    before = snapshot(served.folder)
    with served.client() as c:
        r = c.post("/kiem-tra?dinh-dang=json", files={"tep": ("Quy chế (bản sửa).docx", flawed(outputs["docx"]), DOCX)})
        assert r.status_code == 200, r.text
        report = r.json()["files"][0]
        assert report["file"] == "Quy chế (bản sửa).docx"
        assert report["profile"] == "hd36-2018" and report["format"] == "docx"
        rules = {f["rule"] for f in report["findings"]}
        assert rules == {"font.family", "date.format"}, report["findings"]
        font = next(f for f in report["findings"] if f["rule"] == "font.family")
        assert font["paragraph"] and font["citation"].startswith("hd36-2018: ND30-PL1") and font["excerpt"]
        # the same data as the command line's --json for the same bytes
        local = tmp_path / "Quy chế (bản sửa).docx"
        local.write_bytes(flawed(outputs["docx"]))
        cli = subprocess.run([sys.executable, "-m", "quyche", "check", "--json", str(local)], capture_output=True,
                             text=True, timeout=120)  # fmt: skip
        assert cli.returncode == 1
        assert json.loads(cli.stdout)["files"][0]["findings"] == report["findings"]
        assert report["after_fix"]["clean"] and any("[date.format]" in line for line in report["fixes"])
        fixed = c.get(report["download"])
        assert fixed.status_code == 200 and fixed.content[:2] == b"PK"
        assert "da-sua.docx" in fixed.headers["content-disposition"]
        (tmp_path / "da-sua.docx").write_bytes(fixed.content)
        assert check_file(tmp_path / "da-sua.docx").clean
        html = c.post("/kiem-tra", files={"tep": ("a.docx", flawed(outputs["docx"]), DOCX)}).text
        assert "<code>date.format</code>" in html and "<code>font.family</code>" in html
        assert "Tải bản đã sửa" in html and "bản đã sửa đúng thể thức" in html
    with httpx.Client(base_url=served.url) as other:  # another session cannot take this one's fixed file
        other.get("/")
        assert other.get(report["download"]).status_code == 404
    assert snapshot(served.folder) == before  # nothing written to the workspace


def test_upload_pdf_and_broken_files(served: Server, outputs: dict[str, Path]) -> None:
    with served.client() as c:
        r = c.post(
            "/kiem-tra?dinh-dang=json", files={"tep": ("qc.pdf", outputs["pdf"].read_bytes(), "application/pdf")}
        )
        report = r.json()["files"][0]
        assert report["clean"] and report["format"] == "pdf" and report["pdfa"] == "2B" and report["download"] is None
        broken = c.post("/kiem-tra?dinh-dang=json", files={"tep": ("x.docx", b"PK\x03\x04 not a zip", DOCX)})
        assert broken.json()["files"][0]["error"]["code"] == "docx-hong"
        html = c.post("/kiem-tra", files={"tep": ("<script>x</script>.pdf", b"%PDF-1.7 cut", "application/pdf")}).text
        assert "pdf-hong" in html and "<script>x" not in html  # escaped, never markup
        assert c.post("/kiem-tra", data={"khac": "1"}).status_code == 400


def test_upload_needs_csrf_and_keeps_the_budget(tmp_path: Path, outputs: dict[str, Path]) -> None:
    server = start_server(workspace_copy(tmp_path), env={"QUYCHE_CHECK_MAX_BYTES": "5000"})
    try:
        with httpx.Client(base_url=server.url, timeout=60) as bare:
            bare.get("/")
            no_token = bare.post("/kiem-tra", files={"tep": ("a.pdf", b"%PDF", "application/pdf")})
            assert no_token.status_code == 403
        with server.client() as c:
            big = c.post("/kiem-tra", files={"tep": ("a.docx", outputs["docx"].read_bytes(), DOCX)})
            assert big.status_code == 413 and "QUYCHE_CHECK_MAX_BYTES" in big.text  # counted while read
            huge = c.post("/kiem-tra", files={"tep": ("a.pdf", b"%PDF" + b"0" * 200_000, "application/pdf")})
            assert huge.status_code == 413  # refused from its declared length, before reading
    finally:
        stop_server(server)


def test_lan_any_role_may_check(tmp_path: Path, outputs: dict[str, Path]) -> None:
    folder = workspace_copy(tmp_path)
    assert add_user(folder, "soan", "soan-thao", "mat-khau-soan-1").returncode == 0
    server = start_server(folder, host=LAN_HOST)
    try:
        anon = httpx.Client(base_url=server.url, timeout=60)
        assert anon.get("/kiem-tra").status_code == 303
        token = anon.get("/api/phien").json()["csrf"]
        refused = anon.post("/kiem-tra", files={"tep": ("a.pdf", b"%PDF", "application/pdf")},
                            headers={"X-CSRF-Token": token})  # fmt: skip
        assert refused.status_code == 401
        soan = login(server.url, "soan", "mat-khau-soan-1")
        r = soan.post("/kiem-tra?dinh-dang=json", files={"tep": ("qc.docx", flawed(outputs["docx"]), DOCX)})
        assert {f["rule"] for f in r.json()["files"][0]["findings"]} == {"font.family", "date.format"}
        assert soan.get(r.json()["files"][0]["download"]).content[:2] == b"PK"
    finally:
        stop_server(server)
