""" "Cấp số" in the editor: one document takes its number from the workspace's register (Register.issue with its
dinh_danh), the number is written into the YAML, never twice; only văn thư and quản trị may issue."""

from __future__ import annotations

import asyncio
import io
import sqlite3
from pathlib import Path

import httpx
from pypdf import PdfReader

from quyche.register import Register
from quyche.starters import starter_text

from .conftest import DATA, Server, start_server, stop_server, workspace_copy
from .test_lan import LAN_HOST, add_user, login

DOC = "quy-che-hoa-binh-2019.yaml"


def unnumbered(folder: Path, rel: str = DOC, source: str = DOC) -> str:
    """A copy of an example without its ``so:`` line (a draft waiting for its number)."""
    text = (DATA / source).read_text(encoding="utf-8")
    draft = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("so: "))
    target = folder / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(draft, encoding="utf-8")
    return draft


def register_of(folder: Path) -> Path:
    return folder / ".quyche" / "so-dang-ky.sqlite3"


def entries(folder: Path) -> list:
    reg = register_of(folder)
    return Register(reg).list() if reg.exists() else []


def journal(folder: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(register_of(folder)) as conn:
        return conn.execute("SELECT hanh_dong, nguoi FROM nhat_ky ORDER BY id").fetchall()


def test_issue_writes_the_number_into_the_document(tmp_path: Path) -> None:
    folder = workspace_copy(tmp_path)
    draft = unnumbered(folder)
    server = start_server(folder)
    try:
        with server.client() as c:
            assert entries(folder) == []
            assert "Cấp số" in c.get(f"/soan/{DOC}").text  # local mode: the machine's user is quản trị
            no_token = httpx.post(f"{server.url}/api/cap-so?duong-dan={DOC}", cookies=c.cookies)
            assert no_token.status_code == 403 and entries(folder) == []

            r = c.post(f"/api/cap-so?duong-dan={DOC}")
            assert r.status_code == 200, r.text
            got = r.json()
            assert (got["so"], got["so_ky_hieu"], got["da_co"]) == (1, "01/QC-TT.HĐND-UBND", False)
            [entry] = entries(folder)
            assert (entry.so, entry.trang_thai, entry.so_ky_hieu) == (1, "ban_hanh", "01/QC-TT.HĐND-UBND")
            assert entry.dinh_danh == f"van_ban:../{DOC}" and entry.id == got["ma"]
            assert entry.nguoi_ky and entry.trich_yeu.startswith("Quy chế")
            assert ("ban_hanh", "may-nay") in journal(folder)  # local mode: the machine's own user

            # the file: one line added (so: 1, before ngay), comments and everything else kept
            after = (folder / DOC).read_text(encoding="utf-8")
            added = [x for x in after.splitlines() if x not in draft.splitlines()]
            assert added == ["so: 1"] and after.replace("so: 1\n", "") == draft
            assert after.index("so: 1") < after.index("ngay: 2019-03-20")

            # the preview and the downloads carry it
            preview = c.post(f"/api/xem-truoc?duong-dan={DOC}", content=after.encode()).text
            assert "Số: 01/QC-TT.HĐND-UBND" in preview
            pdf = PdfReader(io.BytesIO(c.get(f"/api/tai/{DOC}?dinh-dang=pdf").content))
            assert "01/QC-TT.HĐND-UBND" in pdf.pages[0].extract_text()
            assert "Cấp số" not in c.get(f"/soan/{DOC}").text  # numbered: no button

            # a second click: refused, nothing taken
            again = c.post(f"/api/cap-so?duong-dan={DOC}")
            assert again.status_code == 409 and "đã có số" in again.json()["loi"]
            assert len(entries(folder)) == 1 and (folder / DOC).read_text(encoding="utf-8") == after

            # the number reached the register but the file lost it (a crash between the writes, a hand edit):
            # the same number comes back, no second one
            (folder / DOC).write_text(draft, encoding="utf-8")
            back = c.post(f"/api/cap-so?duong-dan={DOC}")
            assert back.status_code == 200 and back.json()["so"] == 1 and back.json()["da_co"] is True
            assert len(entries(folder)) == 1 and "so: 1" in (folder / DOC).read_text(encoding="utf-8")

            # a document with errors takes no number; outside the workspace is refused
            bad = "loai: quy_che\ntrich_yeu: 12\n"
            (folder / "loi.yaml").write_text(bad, encoding="utf-8")
            r = c.post("/api/cap-so?duong-dan=loi.yaml")
            assert r.status_code == 422 and r.json()["chan_doan"]
            assert (folder / "loi.yaml").read_text(encoding="utf-8") == bad
            assert c.post("/api/cap-so?duong-dan=../x.yaml").status_code == 403
            assert len(entries(folder)) == 1
    finally:
        stop_server(server)


def test_register_refusal_is_located_and_takes_nothing(tmp_path: Path) -> None:
    """A Party body whose term the register does not know: cap-so-tu-choi at ngay, no number, file unchanged;
    once the term is set (quyche register nhiem-ky), the same click issues."""
    folder = workspace_copy(tmp_path)
    draft = starter_text("giay_moi")  # a Party body (BTGHU), "so:" left empty: a draft
    (folder / "giay-moi.yaml").write_text(draft, encoding="utf-8")
    line = next(i for i, x in enumerate(draft.splitlines(), 1) if x.startswith("ngay:"))
    server = start_server(folder)
    try:
        with server.client() as c:
            r = c.post("/api/cap-so?duong-dan=giay-moi.yaml")
            assert r.status_code == 422, r.text
            [d] = r.json()["chan_doan"]
            assert (d["code"], d["dong"]) == ("cap-so-tu-choi", line) and "nhiệm kỳ" in d["message"]
            assert (folder / "giay-moi.yaml").read_text(encoding="utf-8") == draft
            assert [e for e in entries(folder) if e.trang_thai == "ban_hanh"] == []
            Register(register_of(folder)).set_nhiem_ky("BTGHU", "2020-2025")
            r = c.post("/api/cap-so?duong-dan=giay-moi.yaml")
            assert r.status_code == 200 and r.json()["so_ky_hieu"] == "01-GM/BTGHU", r.text
            assert "\nso: 1" in (folder / "giay-moi.yaml").read_text(encoding="utf-8")
    finally:
        stop_server(server)


async def _issue_all(server: Server, token: str, cookies: httpx.Cookies, rels: list[str]) -> list[httpx.Response]:
    async with httpx.AsyncClient(base_url=server.url, timeout=120, cookies=cookies) as ac:
        h = {"X-CSRF-Token": token}
        return await asyncio.gather(*(ac.post(f"/api/cap-so?duong-dan={rel}", headers=h) for rel in rels))


def test_concurrent_issues(tmp_path: Path) -> None:
    folder = workspace_copy(tmp_path)
    many = [f"lo/quy-che-{i:02d}.yaml" for i in range(10)]
    for rel in many:
        unnumbered(folder, rel)
    unnumbered(folder)
    server = start_server(folder)
    try:
        with server.client() as c:
            token = c.headers["X-CSRF-Token"]
            # ten documents at once: ten distinct consecutive numbers, each in its own file
            answers = asyncio.run(_issue_all(server, token, c.cookies, many))
            assert [r.status_code for r in answers] == [200] * 10, [r.text for r in answers]
            numbers = sorted(r.json()["so"] for r in answers)
            assert numbers == list(range(1, 11))
            for rel, r in zip(many, answers, strict=True):
                assert f"so: {r.json()['so']}\n" in (folder / rel).read_text(encoding="utf-8")
            assert sorted(e.so for e in entries(folder)) == numbers
            assert len({e.dinh_danh for e in entries(folder)}) == 10

            # one document ten times at once: one number, nine refusals
            answers = asyncio.run(_issue_all(server, token, c.cookies, [DOC] * 10))
            codes = sorted(r.status_code for r in answers)
            assert codes == [200] + [409] * 9, [r.text for r in answers]
            assert len(entries(folder)) == 11
            assert (folder / DOC).read_text(encoding="utf-8").count("so: 11\n") == 1
    finally:
        stop_server(server)


def test_roles_on_a_lan_server(tmp_path: Path) -> None:
    folder = workspace_copy(tmp_path)
    draft = unnumbered(folder)
    assert add_user(folder, "soan", "soan-thao", "mat-khau-soan-1").returncode == 0
    assert add_user(folder, "vanthu", "van-thu", "mat-khau-vanthu-1").returncode == 0
    server = start_server(folder, host=LAN_HOST)
    try:
        soan = login(server.url, "soan", "mat-khau-soan-1")
        assert 'id="nut-cap-so"' not in soan.get(f"/soan/{DOC}").text
        r = soan.post(f"/api/cap-so?duong-dan={DOC}")
        assert r.status_code == 403 and "Chỉ văn thư hoặc quản trị được cấp số" in r.json()["loi"]
        assert entries(folder) == [] and (folder / DOC).read_text(encoding="utf-8") == draft

        vanthu = login(server.url, "vanthu", "mat-khau-vanthu-1")
        assert 'id="nut-cap-so"' in vanthu.get(f"/soan/{DOC}").text
        r = vanthu.post(f"/api/cap-so?duong-dan={DOC}")
        assert r.status_code == 200 and r.json()["so"] == 1
        assert ("ban_hanh", "vanthu") in journal(folder)  # the journal names the signed-in văn thư
    finally:
        stop_server(server)
