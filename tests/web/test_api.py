"""The editor's HTTP API against a real `quyche serve`: same diagnostics as the CLI, the PDF renderer's HTML,
files that open, paths confined to the workspace, CSRF, Host, size and time budgets."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml
from docx import Document as DocxDocument

from quyche.pipeline import build
from quyche.render.pdf import document_html

from .conftest import DATA, Server, start_server, stop_server, workspace_copy

DOC = "quy-che-lam-dong-2016.yaml"


def text_of(name: str = DOC) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_kiem_tra_gives_the_cli_codes_words_and_positions(served: Server, tmp_path) -> None:
    bad = (
        text_of()
        .replace("ho_ten: Trần Văn Hiệp", "ho_ten: TS. Trần Văn Hiệp")
        .replace("ngay: 2016-10-20", "ngay: 2016-02-30")
    )
    with served.client() as c:
        ok = c.post(f"/api/kiem-tra?duong-dan={DOC}", content=text_of()).json()
        got = c.post(f"/api/kiem-tra?duong-dan={DOC}", content=bad.encode()).json()
    assert ok["hop_le"] is True and not [d for d in ok["chan_doan"] if d["muc_do"] == "loi"]
    assert got["hop_le"] is False
    # the CLI on the same text, in the same folder (the roster path resolves the same way)
    probe = served.folder / "thu-loi.yaml"
    probe.write_text(bad, encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "quyche", "validate", probe.name], cwd=served.folder, capture_output=True, text=True
    )
    assert cli.returncode == 1
    for d in got["chan_doan"]:
        assert set(d) >= {"code", "message", "dong", "cot", "goi_y"}
        assert f"thu-loi.yaml:{d['dong']}:{d['cot']}: lỗi [{d['code']}] {d['message']}" in cli.stderr
    codes = {d["code"] for d in got["chan_doan"]}
    assert codes == {"ngay-khong-hop-le"} or "hoc-ham-truoc-ten" in codes


def test_a_located_diagnostic_names_its_field(served: Server) -> None:
    bad = text_of().replace("ho_ten: Trần Văn Hiệp", "ho_ten: TS. Trần Văn Hiệp")
    with served.client() as c:
        got = c.post(f"/api/kiem-tra?duong-dan={DOC}", content=bad.encode()).json()
    (d,) = [d for d in got["chan_doan"] if d["code"] == "hoc-ham-truoc-ten"]
    assert d["duong_dan"] == ["ky", 0, "ho_ten"]
    line = bad.splitlines()[d["dong"] - 1]
    assert line[d["cot"] - 1 :].startswith("TS. Trần Văn Hiệp")


def test_preview_is_the_pdf_renderers_html(served: Server) -> None:
    with served.client() as c:
        r = c.post(f"/api/xem-truoc?duong-dan={DOC}", content=text_of().encode())
        as_json = c.post(
            f"/api/xem-truoc?duong-dan={DOC}", content=text_of().encode(), headers={"Accept": "application/json"}
        ).json()
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.text == document_html(build(DATA / DOC).document)  # one layout: the PDF's own HTML
    assert as_json["html"] == r.text and as_json["du_lieu"]["so"] == 1


def test_preview_of_invalid_text_is_422_with_diagnostics(served: Server) -> None:
    with served.client() as c:
        r = c.post("/api/xem-truoc", content="loai: quy_che\nco_quan: [\n")
    assert r.status_code == 422
    (d,) = r.json()["chan_doan"]
    assert d["code"] == "yaml-cu-phap" and d["dong"] >= 2


def test_export_docx_and_pdf(served: Server) -> None:
    edited = text_of().replace("trich_yeu: Phối hợp công tác giữa", "trich_yeu: Phối hợp công tác thử nghiệm giữa")
    with served.client() as c:
        docx = c.post(f"/api/xuat?dinh-dang=docx&duong-dan={DOC}", content=edited.encode())
        pdf = c.post(f"/api/xuat?dinh-dang=pdf&duong-dan={DOC}", content=edited.encode())
        saved = c.get(f"/api/tai/{DOC}?dinh-dang=docx")
        wrong = c.post("/api/xuat?dinh-dang=odt", content=edited.encode())
    assert docx.status_code == 200 and "attachment" in docx.headers["content-disposition"]
    texts = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx.content)).paragraphs)
    assert "Phối hợp công tác thử nghiệm giữa" in texts
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    saved_text = "\n".join(p.text for p in DocxDocument(io.BytesIO(saved.content)).paragraphs)
    assert "thử nghiệm" not in saved_text and "Phối hợp công tác giữa" in saved_text
    assert wrong.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "../../../etc/passwd",
        "%2e%2e/%2e%2e/etc/hostname.yaml",
        ".quyche/nguoi-dung.json",
        ".quyche/x.yaml",
        "co-quan/../../x.yaml",
        "/etc/passwd",
        "README.md",
    ],
)
def test_paths_outside_the_workspace_are_4xx(served: Server, path: str) -> None:
    with served.client() as c:
        r = c.get(f"/api/tai/{path}?dinh-dang=docx")
        s = c.post(f"/api/luu?duong-dan={path}", content=b"loai: quy_che\n")
        k = c.post(f"/api/kiem-tra?duong-dan={path}", content=b"loai: quy_che\n")
    for resp in (r, s, k):
        assert 400 <= resp.status_code < 500, (path, resp.status_code)


def test_a_missing_document_is_404(served: Server) -> None:
    with served.client() as c:
        assert c.get("/api/tai/khong-co.yaml?dinh-dang=docx").status_code == 404
        assert c.get("/soan/khong-co.yaml").status_code == 404


def test_a_symlink_out_of_the_workspace_is_refused(served: Server, tmp_path) -> None:
    outside = tmp_path / "ngoai.yaml"
    outside.write_text(text_of(), encoding="utf-8")
    (served.folder / "lien-ket.yaml").symlink_to(outside)
    try:
        with served.client() as c:
            assert c.get("/api/tai/lien-ket.yaml?dinh-dang=docx").status_code == 403
            assert c.post("/api/luu?duong-dan=lien-ket.yaml", content=text_of().encode()).status_code == 403
            assert "lien-ket.yaml" not in c.get("/").text
        assert outside.read_text(encoding="utf-8") == text_of()
    finally:
        (served.folder / "lien-ket.yaml").unlink()


def test_a_roster_outside_the_workspace_is_not_read(served: Server) -> None:
    text = text_of().replace("danh_muc: co-quan/lam-dong-2016.yaml", "danh_muc: ../../../../etc/passwd")
    with served.client() as c:
        got = c.post(f"/api/kiem-tra?duong-dan={DOC}", content=text.encode()).json()
    assert [d["code"] for d in got["chan_doan"]] == ["ngoai-thu-muc"]
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("danh_muc:"))
    assert (got["chan_doan"][0]["dong"], got["chan_doan"][0]["cot"]) == (line, len("danh_muc: ") + 1)


def test_every_post_needs_the_csrf_token(served: Server) -> None:
    with served.client() as c:
        del c.headers["X-CSRF-Token"]
        assert c.post("/api/kiem-tra", content=text_of().encode()).status_code == 403
        assert c.post("/api/kiem-tra", content=b"x", headers={"X-CSRF-Token": "sai"}).status_code == 403
        assert c.post(f"/api/luu?duong-dan={DOC}", content=b"loai: x\n").status_code == 403
    assert (served.folder / DOC).read_text(encoding="utf-8") == text_of()


def test_cookie_and_headers(served: Server) -> None:
    r = httpx.get(served.url + "/")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "script-src 'self'" in r.headers["content-security-policy"]
    # a page of another site reaching 127.0.0.1 through DNS rebinding names another host
    assert httpx.get(served.url + "/", headers={"Host": "evil.example:80"}).status_code == 421


def test_request_size_limit(served: Server) -> None:
    with served.client() as c:
        r = c.post("/api/kiem-tra", content=b"a: " + b"x" * (3 * 1024 * 1024))
    assert r.status_code == 413


def test_save_keeps_comments_and_order(served: Server) -> None:
    original = text_of()
    with served.client() as c:
        r = c.post(
            f"/api/bieu-mau?duong-dan={DOC}",
            json={"yaml": original, "thay_doi": [{"duong_dan": ["ky", 1, "ho_ten"], "gia_tri": "Phạm Văn C"}]},
        )
        new = r.json()["yaml"]
        saved = c.post(f"/api/luu?duong-dan={DOC}", content=new.encode()).json()
    changed = [(a, b) for a, b in zip(original.splitlines(), new.splitlines(), strict=True) if a != b]
    assert changed == [("    ho_ten: Nguyễn Văn Yên", "    ho_ten: Phạm Văn C")]
    assert saved["hop_le"] is True
    assert (served.folder / DOC).read_text(encoding="utf-8") == new
    (served.folder / DOC).write_text(original, encoding="utf-8")


def test_twenty_concurrent_previews(served: Server) -> None:
    with served.client() as c:
        cookies, token = dict(c.cookies), c.headers["X-CSRF-Token"]

    async def run() -> list[int]:
        async with httpx.AsyncClient(base_url=served.url, cookies=cookies, timeout=120) as ac:
            rs = await asyncio.gather(
                *(
                    ac.post(
                        f"/api/xem-truoc?duong-dan={DOC}", content=text_of().encode(), headers={"X-CSRF-Token": token}
                    )
                    for _ in range(20)
                )
            )
        return [r.status_code for r in rs]

    assert asyncio.run(run()) == [200] * 20


def long_quy_che(articles: int) -> str:
    """The quy_che starter with ``articles`` articles (a PDF of a few hundred pages)."""
    from quyche.starters import starter_text

    data = yaml.safe_load(starter_text("quy_che"))
    dieu = data["chuong"][0]["dieu"][0]
    data["chuong"][0]["dieu"] = [dict(dieu, ten=f"Điều khoản thử {i}") for i in range(articles)]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_render_over_the_time_budget_is_stopped(tmp_path) -> None:
    server = start_server(workspace_copy(tmp_path), env={"QUYCHE_MAX_WEB_SECONDS": "1"})
    try:
        with server.client() as c:
            r = c.post("/api/xuat?dinh-dang=pdf", content=long_quy_che(1500).encode())
            assert r.status_code == 503
            (d,) = r.json()["chan_doan"]
            assert d["code"] == "vuot-gioi-han" and "QUYCHE_MAX_WEB_SECONDS" in d["message"]
            # the server keeps serving, on fresh workers
            ok = c.post(f"/api/kiem-tra?duong-dan={DOC}", content=text_of().encode())
            assert ok.status_code == 200 and ok.json()["hop_le"]
    finally:
        stop_server(server)


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_a_render_over_the_memory_budget_is_stopped_and_workers_end_with_the_server(tmp_path) -> None:
    server = start_server(workspace_copy(tmp_path), env={"QUYCHE_MAX_WORKER_MEMORY": str(60 * 1024 * 1024)})
    workers = set()
    try:
        with server.client() as c:
            r = c.post(f"/api/xuat?dinh-dang=pdf&duong-dan={DOC}", content=text_of().encode())
            assert r.status_code in (422, 503)  # caught in the worker (limits.guarded_render), or the worker died
            (d,) = r.json()["chan_doan"]
            assert d["code"] == "vuot-gioi-han" and "QUYCHE_MAX_WORKER_MEMORY" in d["message"]
            assert c.get("/api/phien").status_code == 200
        workers = _children(server.proc.pid)
        assert workers  # the render pool (and multiprocessing's resource tracker)
    finally:
        stop_server(server)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and [p for p in workers if Path(f"/proc/{p}").exists()]:
        time.sleep(0.2)
    left = {p: Path(f"/proc/{p}/cmdline").read_bytes() for p in workers if Path(f"/proc/{p}").exists()}
    assert not left


def test_schema_endpoint(served: Server) -> None:
    with served.client() as c:
        s = c.get("/api/luoc-do/quy_che").json()
        assert c.get("/api/luoc-do/khong-co").status_code == 404
    assert "definitions" in s and s["properties"]["trich_yeu"]["title"] == "Trích yếu"
    json.dumps(s)
