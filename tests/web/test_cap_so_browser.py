""" "Cấp số" in Chromium on a LAN-bound server: the văn thư issues a number and sees it in the preview; the
soạn thảo has no button and is refused by the server."""

from __future__ import annotations

from pathlib import Path

from .conftest import start_server, stop_server, workspace_copy
from .test_browser import browser, preview_text, wait_pages  # noqa: F401 - the module's Chromium
from .test_cap_so import DOC, entries, unnumbered
from .test_lan import LAN_HOST, add_user


def log_in(page, url: str, name: str, password: str) -> None:
    page.goto(url + "/dang-nhap")
    page.fill("#ten", name)
    page.fill("#mat_khau", password)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def test_van_thu_issues_soan_thao_is_refused(browser, tmp_path: Path) -> None:  # noqa: F811
    folder = workspace_copy(tmp_path)
    draft = unnumbered(folder)
    assert add_user(folder, "vanthu", "van-thu", "mat-khau-vanthu-1").returncode == 0
    assert add_user(folder, "soan", "soan-thao", "mat-khau-soan-1").returncode == 0
    server = start_server(folder, host=LAN_HOST)
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))

        log_in(page, server.url, "soan", "mat-khau-soan-1")
        page.goto(f"{server.url}/soan/{DOC}")
        wait_pages(page, 1)
        assert page.locator("#nut-cap-so").count() == 0
        refused = page.evaluate(
            """async (rel) => {
                const r = await fetch('/api/cap-so?duong-dan=' + rel, {method: 'POST',
                    headers: {'X-CSRF-Token': window.quyche.csrf()}});
                return [r.status, (await r.json()).loi];
            }""",
            DOC,
        )
        assert refused[0] == 403 and refused[1].startswith("Chỉ văn thư hoặc quản trị được cấp số")
        assert entries(folder) == [] and (folder / DOC).read_text(encoding="utf-8") == draft

        log_in(page, server.url, "vanthu", "mat-khau-vanthu-1")
        page.goto(f"{server.url}/soan/{DOC}")
        wait_pages(page, 1)
        assert "Số:" in preview_text(page) and "01/QC" not in preview_text(page)
        page.click("#nut-cap-so")
        page.wait_for_function("() => document.getElementById('trang-thai').textContent.startsWith('Đã cấp số')")
        assert "01/QC-TT.HĐND-UBND" in page.locator("#trang-thai").inner_text()
        assert dialogs and "Cấp số" in dialogs[0]
        page.frame_locator("#xem-truoc").get_by_text("Số: 01/QC-TT.HĐND-UBND").wait_for()
        assert page.locator("#nut-cap-so").count() == 0
        assert [e.so for e in entries(folder)] == [1]
        assert "so: 1\n" in (folder / DOC).read_text(encoding="utf-8")

        page.reload()  # the saved document is numbered: no button any more
        wait_pages(page, 1)
        assert page.locator("#nut-cap-so").count() == 0
        assert not errors, errors
        page.close()
    finally:
        stop_server(server)
