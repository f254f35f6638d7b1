"""The editor's front-end is served by quyche itself: vendored files with their licences, no CDN."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "quyche" / "web"
VENDOR = WEB / "static" / "vendor"


def test_every_vendored_library_has_its_version_and_licence() -> None:
    versions = (VENDOR / "VERSIONS").read_text(encoding="utf-8")
    licences = {p.stem for p in (VENDOR / "licenses").iterdir()}
    for name, licence in [
        ("htmx.org", "htmx.org"),
        ("pagedjs", "pagedjs"),
        ("@json-editor/json-editor", "json-editor_json-editor"),
        ("codemirror", "codemirror"),
        ("@codemirror/lang-yaml", "codemirror_lang-yaml"),
    ]:
        assert re.search(rf"^{re.escape(name)}@\d+\.\d+\.\d+ ", versions, re.M), name
        assert licence in licences, licence


def test_pages_load_nothing_from_elsewhere() -> None:
    referenced = set()
    for page in [*(WEB / "templates").glob("*.html"), *(WEB / "static").glob("*.js"), *(WEB / "static").glob("*.css")]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), page.name
        assert "@import" not in text and "url(http" not in text, page.name
        referenced |= set(re.findall(r'src="/static/([^"]+)"', text))
    assert referenced, "no script found"
    for rel in referenced:
        assert (WEB / "static" / rel).is_file(), rel
