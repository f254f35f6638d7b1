"""The editor in a real browser: Debian's Chromium driven by Playwright (its wheel ships the driver; the browser
is the system's, installed by scripts/install-system.sh). Never skipped when the suite runs as root."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from .conftest import REQUIRED, Server, start_server, stop_server, workspace_copy
from .test_lan import LAN_HOST, add_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
DOC = "quy-che-lam-dong-2016.yaml"
TIMEOUT_MS = 60_000

if not Path(CHROMIUM).exists():
    if REQUIRED:
        pytest.fail("Chromium không có: chạy scripts/install-system.sh (make test cài khi chạy bằng root)")
    pytest.skip("Chromium không có (scripts/install-system.sh)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, headless=True, accept_downloads=True,
            viewport={"width": 1500, "height": 950},
        )  # fmt: skip
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


def wait_pages(page, at_least: int) -> None:
    """Until the preview frame shows ``at_least`` A4 pages (paged.js reports its page count)."""
    page.wait_for_function(
        "n => { const e = document.getElementById('soan-thao'); return e && Number(e.dataset.soTrang) >= n }",
        arg=at_least,
    )


def preview_text(page) -> str:
    return page.frame_locator("#xem-truoc").locator("#trang").inner_text()


def field(page, path: str):
    box = page.locator(f'#bieu-mau [data-schemapath="{path}"]')
    return box.locator("input, textarea").first


def test_edit_preview_diagnose_fix_download(browser, served: Server, tmp_path: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served.url + "/")
    page.click(f'a[href="/soan/{DOC}"]')
    wait_pages(page, 2)
    assert "Phối hợp công tác giữa Ban Tuyên giáo Tỉnh ủy" in preview_text(page)
    assert page.locator("#trang-thai").inner_text().strip() == "Hợp lệ."

    # change a field in the form: the preview follows
    trich_yeu = field(page, "root.trich_yeu")
    trich_yeu.fill("Phối hợp công tác tuyên truyền thử nghiệm năm 2026")  # no Tab: the preview follows the typing
    page.frame_locator("#xem-truoc").get_by_text("tuyên truyền thử nghiệm năm 2026").wait_for()

    # a mistake: located at the field, in the list and at its line in the YAML tab
    name = field(page, "root.ky.0.ho_ten")
    name.fill("TS. Trần Văn Hiệp")
    name.press("Tab")
    at_field = page.locator('[data-schemapath="root.ky.0.ho_ten"] .loi-truong[data-ma="hoc-ham-truoc-ten"]')
    at_field.wait_for()
    original = (served.folder / DOC).read_text(encoding="utf-8").splitlines()
    line = next(i for i, x in enumerate(original, 1) if "ho_ten: Trần Văn Hiệp" in x)  # the form edits in place
    assert f"dòng {line}:" in at_field.inner_text()
    assert page.locator('#danh-sach-loi li[data-ma="hoc-ham-truoc-ten"]').inner_text().startswith(f"{line}:")
    assert "lỗi" in page.locator("#trang-thai").inner_text()

    # fixed: the diagnostic goes away
    name.fill("Trần Văn Hiệp")
    name.press("Tab")
    at_field.wait_for(state="detached")
    page.wait_for_function("() => document.getElementById('trang-thai').textContent.includes('Hợp lệ')")

    # download the .docx: the edit is in it
    with page.expect_download() as info:
        page.click("#nut-docx")
    saved_to = tmp_path / "tai-ve.docx"
    info.value.save_as(saved_to)
    texts = "\n".join(p.text for p in DocxDocument(io.BytesIO(saved_to.read_bytes())).paragraphs)
    assert "Phối hợp công tác tuyên truyền thử nghiệm năm 2026" in texts

    # save: the file changed only where the form did, comments kept
    before = (served.folder / DOC).read_text(encoding="utf-8")
    page.click("#nut-luu")
    page.wait_for_function("() => document.getElementById('trang-thai').textContent.startsWith('Đã lưu')")
    after = (served.folder / DOC).read_text(encoding="utf-8")
    diff = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert [b for _, b in diff] == ["trich_yeu: Phối hợp công tác tuyên truyền thử nghiệm năm 2026"]
    assert not errors, errors
    (served.folder / DOC).write_text(before, encoding="utf-8")
    page.close()


def test_yaml_tab_edits_preview_and_diagnostics(browser, served: Server) -> None:
    page = browser.new_page()
    page.goto(served.url + "/soan/giay-moi-tien-lu-2019.yaml")
    wait_pages(page, 1)
    page.click("#tab-yaml")
    content = page.locator(".cm-content")
    content.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nlua_chon: 1")
    page.locator('#danh-sach-loi li[data-ma="truong-la"]').wait_for()
    page.locator(".cm-lintRange-error").first.wait_for()
    page.keyboard.press("Backspace")
    for _ in range(len("lua_chon: 1")):
        page.keyboard.press("Backspace")
    page.wait_for_function("() => document.getElementById('trang-thai').textContent.includes('Hợp lệ')")

    # completion from the JSON Schema: the keys of the mapping the cursor is in, with their Vietnamese titles
    page.keyboard.type("kinh_")
    page.keyboard.press("Control+Space")
    option = page.locator(".cm-tooltip-autocomplete li", has_text="kinh_moi")
    option.wait_for()
    assert "Kính mời" in option.inner_text()
    page.keyboard.press("Escape")
    page.close()


def test_new_document_from_tao_moi(browser, served: Server) -> None:
    page = browser.new_page()
    page.goto(served.url + "/")
    page.click('a[href="/tao-moi?loai=giay_moi"]')
    page.fill("#ten_tep", "moi/giay-moi-hop-giao-ban.yaml")
    page.click("form button[type=submit]")
    page.wait_for_url("**/soan/moi/giay-moi-hop-giao-ban.yaml")
    wait_pages(page, 1)
    assert "GIẤY MỜI" in preview_text(page)
    created = served.folder / "moi" / "giay-moi-hop-giao-ban.yaml"
    r = subprocess.run([sys.executable, "-m", "quyche", "validate", str(created)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    page.goto(served.url + "/tao-moi?loai=giay_moi")
    page.fill("#ten_tep", "moi/giay-moi-hop-giao-ban.yaml")
    page.click("form button[type=submit]")
    page.locator("#loi-tao").get_by_text("đã có tệp").wait_for()  # never overwrites
    page.close()


def test_lan_login_and_a_refused_role(browser, tmp_path: Path) -> None:
    folder = workspace_copy(tmp_path)
    assert add_user(folder, "soan", "soan-thao", "mat-khau-soan-1").returncode == 0
    server = start_server(folder, host=LAN_HOST)
    try:
        page = browser.new_page()
        page.goto(server.url + "/")
        assert page.url.endswith("/dang-nhap")
        page.fill("#ten", "soan")
        page.fill("#mat_khau", "sai-mat-khau-1")
        page.click("button[type=submit]")
        page.get_by_text("Sai tên đăng nhập hoặc mật khẩu").wait_for()
        page.fill("#mat_khau", "mat-khau-soan-1")
        page.click("button[type=submit]")
        page.wait_for_url(server.url + "/")
        assert "soan (soạn thảo)" in page.locator(".nguoi-dung").inner_text()
        page.goto(server.url + "/bo-van-ban")
        page.click('button[data-chay="bo/tien-lu-2019.yaml"]')
        page.locator("#tien-do").get_by_text("Chỉ văn thư hoặc quản trị").wait_for()
        assert not (folder / ".quyche" / "so-dang-ky.sqlite3").exists()
        page.close()
    finally:
        stop_server(server)
