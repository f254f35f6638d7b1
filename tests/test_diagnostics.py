"""Invalid inputs give located diagnostics with stable codes (design.md §5); warnings do not block."""

from __future__ import annotations

from pathlib import Path

import pytest

import quyche

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def expected(path: Path) -> list[tuple[str, int, int]]:
    out = []
    for line in path.with_suffix(".expected").read_text(encoding="utf-8").split("\n"):
        if line.strip():
            code, pos = line.split()
            row, col = pos.split(":")
            out.append((code, int(row), int(col)))
    return sorted(out)


@pytest.mark.parametrize("path", sorted((FIXTURES / "invalid").glob("*.yaml")), ids=lambda p: p.stem)
def test_invalid_fixture(path: Path) -> None:
    diags = quyche.validate(path)
    errors = sorted((d.code, d.location.line, d.location.column) for d in diags if d.is_error and d.location)
    assert errors == expected(path)
    assert all(d.location is None or d.location.file.endswith(path.name) for d in diags)
    for d in diags:  # every message is Vietnamese text, filled in
        assert d.message and "{" not in d.message


@pytest.mark.parametrize("path", sorted((FIXTURES / "warnings").glob("*.yaml")), ids=lambda p: p.stem)
def test_warning_fixture_still_renders(path: Path) -> None:
    result = quyche.render(path)
    warnings = sorted((d.code, d.location.line, d.location.column) for d in result.warnings)
    assert warnings == expected(path)
    assert result.outputs["docx"][:2] == b"PK"


def test_unknown_key_suggests_the_right_one() -> None:
    diags = quyche.validate(FIXTURES / "invalid" / "truong-la-go-nham.yaml")
    typo = next(d for d in diags if d.code == "truong-la")
    assert typo.hint == 'Có phải ý bạn là "trich_yeu"?'


def test_legacy_text_hint_offers_repair() -> None:
    diags = quyche.validate(FIXTURES / "invalid" / "ma-cu-tcvn3.yaml")
    assert "Uỷ ban nhân dân tỉnh Lâm Đồng" in (diags[0].hint or "")


def test_typed_motto_is_corrected_in_output() -> None:
    from outline import docx_texts

    result = quyche.render(FIXTURES / "warnings" / "tieu-ngu-gach-ngang.yaml")
    texts = docx_texts(result.outputs["docx"])
    assert any("Độc lập - Tự do - Hạnh phúc." in t or "Độc lập - Tự do - Hạnh phúc./." in t for t in texts)
    assert not any("–" in t for t in texts)


def test_formatted_diagnostic_shows_source_line_and_caret() -> None:
    path = FIXTURES / "invalid" / "hoc-ham-truoc-ten.yaml"
    d = quyche.validate(path)[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    text = d.format(lines)
    assert text.splitlines()[0].endswith("[hoc-ham-truoc-ten] " + d.message)
    assert "21 |     ho_ten: TS. Nguyễn Văn A" in text
    caret_line = text.splitlines()[2]
    assert caret_line.index("^") == text.splitlines()[1].index("TS.")
    assert "gợi ý:" in text
