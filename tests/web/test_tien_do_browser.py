"""A batch run in Chromium: its progress arrives as Server-Sent Events, and the files it wrote are listed."""

from __future__ import annotations

from pathlib import Path

from .conftest import start_server, stop_server, workspace_copy
from .test_browser import browser  # noqa: F401 - the module's Chromium


def test_batch_progress_is_streamed(browser, tmp_path: Path) -> None:  # noqa: F811
    folder = workspace_copy(tmp_path)
    server = start_server(folder)  # local mode: the machine's user may take numbers
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        streams: list[str] = []
        page.on("request", lambda r: streams.append(r.url) if "/bo-van-ban/su-kien/" in r.url else None)
        page.goto(server.url + "/bo-van-ban")
        page.click('button[data-chay="bo/tien-lu-2019.yaml"]')
        page.locator("#tien-do .tom-tat").get_by_text("24 văn bản mới").wait_for(timeout=300_000)
        events = int(page.evaluate("() => document.body.dataset.suKien || 0"))
        assert events >= 2, events  # progress on the way, then the end
        assert streams and all("/bo-van-ban/su-kien/" in u for u in streams)
        links = page.locator("#tien-do .tep-ket-qua a")
        assert links.count() >= 24
        first = links.first.get_attribute("href")
        assert first.startswith("/tep/ket-qua/tien-lu-2019/")
        assert (folder / first.removeprefix("/tep/")).is_file()
        assert page.locator("#tien-do [data-su-kien]").count() == 0  # finished: nothing followed any more
        assert not errors, errors
        page.close()
    finally:
        stop_server(server)
