"""One source of truth: a new profile is a new set of checks without code. A profile that extends the Party's
and asks for both headers on a joint page (``joint.right_header: both``) makes the checker want both; one that
numbers khoản "1)" makes the regular "1-" a finding — the rule ids stay the profile's keys."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import rendered

from quyche.check import check_file


def _profile(tmp_path: Path, rules: str) -> str:
    path = tmp_path / "bo-rieng.yaml"
    path.write_text(
        "id: bo-rieng\nextends: hd36-2018\ntitle: bộ thể thức riêng của một tỉnh\nsystem: dang\nrules:\n" + rules,
        encoding="utf-8",
    )
    return str(path)


def test_both_headers_asked_by_a_profile(tmp_path: Path) -> None:
    profile = _profile(
        tmp_path, '  joint.right_header: {value: both, source: "quy định riêng của tỉnh", status: secondary}\n'
    )
    joint = rendered()["quy-che-lam-dong-2016"]["docx"]  # a Party-led joint regulation: only the tiêu đề
    assert check_file(joint).clean
    result = check_file(joint, profile)
    assert [(f.rule, f.severity) for f in result.findings] == [("joint.right_header", "error")]
    assert result.findings[0].citation == "bo-rieng: quy định riêng của tỉnh"


def test_khoan_mark_asked_by_a_profile(tmp_path: Path) -> None:
    profile = _profile(tmp_path, '  list.khoan: {value: "{so}) ", source: "mẫu riêng", status: practice}\n')
    result = check_file(rendered()["quy-che-lam-dong-2016"]["docx"], profile)
    assert {f.rule for f in result.findings} == {"list.khoan"}
    assert all(f.severity == "warning" for f in result.findings)  # practice: a warning, not an error
