"""The upload-and-check page in a real browser (Chromium driven by Playwright, as test_browser.py): the nav link,
a .docx chosen in the file input, the report shown in place, the fixed .docx downloaded and checking clean."""

from __future__ import annotations

from pathlib import Path

from quyche.check import check_file

from .conftest import Server
from .test_browser import browser  # noqa: F401  (the module's Chromium, a fixture)
from .test_kiem_tra import flawed, outputs  # noqa: F401  (the rendered example, a fixture)


def test_check_page_in_the_browser(browser, served: Server, outputs: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    upload = tmp_path / "quy-che-cua-van-thu.docx"
    upload.write_bytes(flawed(outputs["docx"]))
    page = browser.new_page()
    page.goto(served.url + "/")
    page.click("nav >> text=Kiểm tra thể thức")
    page.wait_for_url(served.url + "/kiem-tra")
    page.set_input_files("#tep", str(upload))
    page.click("#kiem-tra button[type=submit]")
    report = page.locator("#bao-cao")
    report.wait_for()
    text = report.inner_text()
    assert "quy-che-cua-van-thu.docx" in text and "date.format" in text and "font.family" in text
    assert "hd36-2018" in text and "đoạn" in text
    with page.expect_download() as info:
        page.click("#tai-ban-sua")
    saved = tmp_path / "da-sua.docx"
    info.value.save_as(str(saved))
    assert info.value.suggested_filename == "quy-che-cua-van-thu-da-sua.docx"
    assert check_file(saved).clean
    page.set_input_files("#tep", str(outputs["pdf"]))
    page.click("#kiem-tra button[type=submit]")
    page.locator("#bao-cao", has_text="quy-che-lam-dong-2016.pdf").wait_for()
    assert "Đúng thể thức" in page.locator("#bao-cao").inner_text()
    page.close()
