"""LAN mode (any address but 127.0.0.1): refuses to start without accounts; sessions, login, roles."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys

import httpx

from quyche.register import Register

from .conftest import DATA, free_port, start_server, stop_server, workspace_copy

LAN_HOST = "127.0.0.2"  # a loopback address other than 127.0.0.1: LAN rules, reachable only from this machine


def add_user(folder, name: str, role: str, password: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "quyche", "nguoi-dung", "them", name, "--vai-tro", role, "--thu-muc", str(folder),
         "--mat-khau-stdin"],
        input=password + "\n", capture_output=True, text=True,
    )  # fmt: skip


def test_lan_refuses_to_start_without_accounts(tmp_path) -> None:
    folder = workspace_copy(tmp_path)
    port = free_port(LAN_HOST)
    r = subprocess.run(
        [sys.executable, "-m", "quyche", "serve", str(folder), "--host", LAN_HOST, "--port", str(port)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 1
    assert "nguoi-dung them" in r.stderr
    assert not (folder / ".quyche").exists()


def test_accounts_file_holds_hashes_only(tmp_path) -> None:
    assert add_user(tmp_path, "lan", "van-thu", "mat-khau-rat-dai").returncode == 0
    path = tmp_path / ".quyche" / "nguoi-dung.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "mat-khau-rat-dai" not in text
    rec = json.loads(text)["nguoi_dung"]["lan"]
    assert rec["vai_tro"] == "van-thu" and rec["mat_khau"].startswith("$argon2id$")
    again = add_user(tmp_path, "lan", "soan-thao", "mat-khau-khac-1")
    assert again.returncode == 1 and "đã có" in again.stderr
    assert add_user(tmp_path, "Lan Anh", "van-thu", "mat-khau-rat-dai").returncode == 1
    assert add_user(tmp_path, "hoa", "giam-doc", "mat-khau-rat-dai").returncode == 1
    assert add_user(tmp_path, "hoa", "soan-thao", "ngan").returncode == 1
    listed = subprocess.run(
        [sys.executable, "-m", "quyche", "nguoi-dung", "danh-sach", "--thu-muc", str(tmp_path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert listed.stdout.split() == ["lan", "van-thu"]


def login(url: str, name: str, password: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=120)
    c.get("/dang-nhap")
    token = c.get("/api/phien").json()["csrf"]
    r = c.post("/dang-nhap", data={"ten": name, "mat_khau": password}, headers={"X-CSRF-Token": token})
    assert r.status_code in (200, 204)
    c.headers["X-CSRF-Token"] = c.get("/api/phien").json()["csrf"]
    return c


def follow_events(client: httpx.Client, url: str) -> tuple[list[str], str]:
    """A batch run's Server-Sent Events until "xong": the event names in order and the last fragment."""
    names, last, name, data = [], "", None, []
    with client.stream("GET", url, timeout=300) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data.append(line[len("data: ") :])
            elif line == "" and name:
                names.append(name)
                last, name, data = "\n".join(data), None, []
                if names[-1] == "xong":
                    break
    return names, last


def test_lan_sessions_and_roles(tmp_path) -> None:
    folder = workspace_copy(tmp_path)
    assert add_user(folder, "soan", "soan-thao", "mat-khau-soan-1").returncode == 0
    assert add_user(folder, "vanthu", "van-thu", "mat-khau-vanthu-1").returncode == 0
    server = start_server(folder, host=LAN_HOST)
    try:
        anon = httpx.Client(base_url=server.url, timeout=60)
        assert anon.get("/").status_code == 303 and anon.get("/").headers["location"] == "/dang-nhap"
        assert anon.get("/api/tai/quy-che-lam-dong-2016.yaml?dinh-dang=docx").status_code == 401
        token = anon.get("/api/phien").json()["csrf"]
        assert anon.post("/api/kiem-tra", content=b"x", headers={"X-CSRF-Token": token}).status_code == 401
        wrong = anon.post("/dang-nhap", data={"ten": "soan", "mat_khau": "sai-mat-khau"},
                          headers={"X-CSRF-Token": token})  # fmt: skip
        assert "Sai tên đăng nhập hoặc mật khẩu" in wrong.text and anon.get("/").status_code == 303
        before = anon.cookies.get("quyche_phien")

        soan = login(server.url, "soan", "mat-khau-soan-1")
        assert soan.cookies.get("quyche_phien") != before  # a new session id at login
        assert soan.get("/").status_code == 200
        assert soan.post("/api/kiem-tra", content=(DATA / "giay-moi-tien-lu-2019.yaml").read_bytes()).json()["hop_le"]
        refused = soan.post("/bo-van-ban/chay", data={"duong_dan": "bo/tien-lu-2019.yaml"})
        assert refused.status_code == 403 and "văn thư" in refused.text
        assert not (folder / ".quyche" / "so-dang-ky.sqlite3").exists()
        assert not (folder / "ket-qua").exists()

        vanthu = login(server.url, "vanthu", "mat-khau-vanthu-1")
        started = vanthu.post("/bo-van-ban/chay", data={"duong_dan": "bo/tien-lu-2019.yaml"})
        assert started.status_code == 200
        stream = re.search(r'data-su-kien="(/bo-van-ban/su-kien/[^"]+)"', started.text).group(1)
        names, page = follow_events(vanthu, stream)
        assert names[-1] == "xong" and "tien-do" in names, names  # progress as it went, then the end
        assert "24 văn bản mới" in page, page
        assert "data-su-kien" not in vanthu.get(stream.replace("su-kien", "tien-do")).text  # finished
        assert page.count('href="/tep/ket-qua/tien-lu-2019/') >= 24
        one = re.search(r'href="(/tep/ket-qua/tien-lu-2019/[^"]+\.docx)"', page).group(1)
        assert vanthu.get(one).content[:2] == b"PK"
        entries = Register(folder / ".quyche" / "so-dang-ky.sqlite3").list()
        assert len(entries) == 24 and all(e.trang_thai == "ban_hanh" for e in entries)
        with sqlite3.connect(folder / ".quyche" / "so-dang-ky.sqlite3") as conn:  # a legal record: who did it
            actors = {row[0] for row in conn.execute("SELECT nguoi FROM nhat_ky WHERE hanh_dong = 'ban_hanh'")}
        assert actors == {"vanthu"}, actors  # the signed-in văn thư, not the account running the server
        listed = vanthu.get("/so-dang-ky")
        assert entries[0].cells()[0] in listed.text
        xlsx = vanthu.get("/so-dang-ky/so-dang-ky.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        assert soan.get("/tep/.quyche/so-dang-ky.sqlite3").status_code in (403, 404)

        # five wrong passwords lock the name for a while, even with the right one
        for _ in range(5):
            assert "Sai tên" in anon.post("/dang-nhap", data={"ten": "vanthu", "mat_khau": "doan-sai-1"},
                                         headers={"X-CSRF-Token": token}).text  # fmt: skip
        locked = anon.post("/dang-nhap", data={"ten": "vanthu", "mat_khau": "mat-khau-vanthu-1"},
                           headers={"X-CSRF-Token": token})  # fmt: skip
        assert "thử lại sau" in locked.text and anon.get("/").status_code == 303

        out = vanthu.post("/dang-xuat")
        assert out.status_code == 204 and vanthu.get("/").status_code == 303
    finally:
        stop_server(server)


def test_local_address_with_accounts_asks_to_log_in(tmp_path) -> None:
    folder = workspace_copy(tmp_path)
    assert add_user(folder, "lan", "van-thu", "mat-khau-rat-dai").returncode == 0
    server = start_server(folder)  # 127.0.0.1: behind a proxy, accounts still apply
    try:
        r = httpx.get(server.url + "/")
        assert r.status_code == 303 and r.headers["location"] == "/dang-nhap"
    finally:
        stop_server(server)
