"""Property-based tests over the whole pipeline (hypothesis): any valid document renders to a .docx that
python-docx re-opens and a PDF that a PDF reader re-opens; any broken one yields located diagnostics."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quyche

LETTERS = "aàảãáạăằắặâầấậbcdđeèéẹêềếệghiìíịklmnoòóọôồốộơờớợpqrstuùúụưừứựvxyỳýỵ"
TEXT = st.text(
    alphabet=st.sampled_from(list(LETTERS + LETTERS.upper() + " ,.;:-()&<>\"'/{}%")), min_size=1, max_size=60
)
WORDS = TEXT.map(str.strip).filter(bool)


@st.composite
def documents(draw) -> dict:
    party = draw(st.booleans())
    body = {"ma": "CQ", "he_thong": "dang" if party else "nha_nuoc", "ten": draw(WORDS), "viet_tat": "CQ"}
    chuong = [
        {
            "ten": draw(WORDS),
            "dieu": [
                {
                    "ten": draw(WORDS),
                    "khoan": [
                        {"noi_dung": draw(WORDS), "diem": draw(st.lists(WORDS, max_size=3))}
                        for _ in range(draw(st.integers(1, 3)))
                    ],
                }
                for _ in range(draw(st.integers(1, 3)))
            ],
        }
        for _ in range(draw(st.integers(1, 3)))
    ]
    ky = {"co_quan": "CQ", "chuc_vu": draw(WORDS), "ho_ten": draw(WORDS).lstrip(". ") or "An"}
    if not party and draw(st.booleans()):
        ky["thay_mat"] = draw(WORDS)
    return {
        "loai": "quy_che",
        "co_quan": [body],
        "so": draw(st.one_of(st.none(), st.integers(1, 9999))),
        "ngay": draw(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))),
        "dia_danh": draw(WORDS),
        "trich_yeu": draw(WORDS),
        "can_cu": draw(st.lists(WORDS, max_size=3)),
        "chuong": chuong,
        "ky": [ky],
        "noi_nhan": draw(st.lists(WORDS, max_size=4)),
    }


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _write(text: str | bytes) -> Path:
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "vb.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_valid_documents_render_to_a_docx_that_reopens(case_data: dict) -> None:
    path = _write(dump(case_data))
    diags = quyche.validate(path)
    errors = [d for d in diags if d.is_error]
    if errors:  # generated names may legitimately trip a content rule (e.g. a legacy-looking letter pair)
        assert all(d.code in {"ma-cu", "hoc-ham-truoc-ten", "tien-to-sai-he-thong"} for d in errors), errors
        return
    result = quyche.render(path)
    doc = Document(io.BytesIO(result.outputs["docx"]))
    assert doc.paragraphs and doc.tables


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_valid_documents_render_to_a_pdf_that_reopens(case_data: dict) -> None:
    pypdf = pytest.importorskip("pypdf")
    try:
        from quyche.render.pdf import FontNotFoundError, find_fonts  # noqa: F401
    except ImportError:
        pytest.skip("PDF stack missing")
    path = _write(dump(case_data))
    if any(d.is_error for d in quyche.validate(path)):
        return
    try:
        result = quyche.render(path, formats=("pdf",))
    except FontNotFoundError:
        pytest.skip("no font")
    reader = pypdf.PdfReader(io.BytesIO(result.outputs["pdf"]))
    assert len(reader.pages) >= 1 and reader.pages[0].extract_text()


@st.composite
def broken(draw) -> bytes:
    text = dump(draw(documents()))
    how = draw(st.sampled_from(["drop", "typo", "type", "bytes", "indent"]))
    lines = text.splitlines(keepends=True)
    if how == "drop":
        key = draw(st.sampled_from(["trich_yeu:", "ngay:", "dia_danh:", "ky:"]))
        lines = [ln for ln in lines if not ln.startswith(key)]
        return "".join(lines).encode()
    if how == "typo":
        return text.replace("trich_yeu:", "trich_yue:", 1).encode()
    if how == "type":
        return text.replace("loai: quy_che", "loai: [quy_che]", 1).encode()
    if how == "indent":
        i = draw(st.integers(1, len(lines) - 1))
        lines[i] = "   " + lines[i]
        return "".join(lines).encode()
    raw = bytearray(text.encode())
    pos = draw(st.integers(0, len(raw) - 1))
    raw[pos:pos] = draw(st.sampled_from([b"\xff", b"\x00", b"\t", b": :", b"&*", b"!!python/object "]))
    return bytes(raw)


@settings(max_examples=80, deadline=None)
@given(broken())
def test_broken_documents_get_diagnostics_inside_the_file(raw: bytes) -> None:
    path = _write(raw)
    diags = quyche.validate(path)
    errors = [d for d in diags if d.is_error]
    if not errors:  # a mutation that happens to stay valid YAML and valid data
        return
    n_lines = raw.count(b"\n") + 1
    for d in errors:
        assert d.location is not None, d
        assert 1 <= d.location.line <= n_lines + 1 and d.location.column >= 1, d
        assert d.message and "{" not in d.message
