"""User Word templates (mau_word) written by an attacker: Jinja that tries to escape the sandbox, burn the
CPU or fill the memory, placed in every part docxtpl renders by its own path — body, table cell, header,
footer, footnotes, core properties (docxtpl #632). Each is a located error (exit 1) in a bounded child
process, and nothing is written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from mau_word_helpers import document_using, make_template

from support import assert_refused, bounded

ATTACKS = {
    "thoát sandbox": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "mau-word-khong-an-toan"),
    "hàm nội bộ": ("{{ cycler.__init__.__globals__.os }}", "mau-word-khong-an-toan"),
    "CPU: vòng lặp lồng": (
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "mau-word-vuot-gioi-han",
    ),
    "bộ nhớ: lặp chuỗi": ("{{ 'x' * 10**10 }}", "mau-word-vuot-gioi-han"),
    "kết quả khổng lồ": ("{% for i in range(90000) %}{{ 'x' * 1000 }}{% endfor %}", "mau-word-vuot-gioi-han"),
    "macro đệ quy": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "mau-word-vuot-gioi-han"),
}
PLACES = ("thân", "ô bảng", "đầu trang", "chân trang", "chú thích", "thuộc tính")
_FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
)


def _template(path: Path, place: str, attack: str) -> None:
    make_template(
        path,
        [attack if place == "thân" else "{{ so_ky_hieu }}"],
        table=[[attack]] if place == "ô bảng" else None,
        header=attack if place == "đầu trang" else None,
        footer=attack if place == "chân trang" else None,
        title=attack if place == "thuộc tính" else None,
    )
    if place == "chú thích":  # python-docx writes no footnotes: add the part as Word does
        from xml.sax.saxutils import escape

        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        parts["word/footnotes.xml"] = _FOOTNOTES.format(text=escape(attack)).encode()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for n, data in parts.items():
                z.writestr(n, data)
        path.write_bytes(buf.getvalue())


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("name", list(ATTACKS))
def test_hostile_jinja_in_every_part_is_a_located_error(tmp_path: Path, place: str, name: str, case) -> None:
    attack, code = ATTACKS[name]
    case("mẫu Word riêng", f"{name} trong {place}", f"bị từ chối: {code}, có vị trí, không ghi tệp")
    if place != "thân" and name in ("macro đệ quy", "hàm nội bộ"):
        pytest.skip("one place is enough for these two: the same sandbox serves every part")
    _template(tmp_path / "mau.docx", place, attack)
    doc = document_using(tmp_path, "mau.docx")
    out = tmp_path / "out"
    r = bounded("render", str(doc), "-o", str(out), "-f", "docx", timeout=60)
    assert_refused(r, code, folder=out)
    assert ("bảng 1, dòng 1, ô 1" in r.stderr) == (place == "ô bảng"), r.stderr


def test_a_zip_bomb_template_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    make_template(tmp_path / "mau.docx", ["{{ so_ky_hieu }}"])
    with zipfile.ZipFile(tmp_path / "mau.docx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/media/bom.bin"] = b"\0" * (200 << 20)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    (tmp_path / "mau.docx").write_bytes(buf.getvalue())
    out = tmp_path / "out"
    r = bounded("render", str(document_using(tmp_path, "mau.docx")), "-o", str(out), "-f", "docx", memory=1 << 30)
    assert_refused(r, "vuot-gioi-han", folder=out)


def test_a_template_part_over_the_source_budget_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    make_template(tmp_path / "mau.docx", ["{{ so_ky_hieu }}"] * 50)
    out = tmp_path / "out"
    env = {"QUYCHE_MAX_WORD_TEMPLATE_XML": "2000"}
    r = bounded("render", str(document_using(tmp_path, "mau.docx")), "-o", str(out), "-f", "docx", env=env)
    assert_refused(r, "mau-word-vuot-gioi-han", folder=out)
    assert "QUYCHE_MAX_WORD_TEMPLATE_XML" in r.stderr
    r = bounded("mau", "kiem-tra", str(tmp_path / "mau.docx"), env=env)
    assert r.returncode == 1 and "[mau-word-vuot-gioi-han]" in r.stderr and "Traceback" not in r.stderr
