"""Shared header blocks (dau_trang_chung) and empty header names: what a clerk writes, what is printed, and a
located error for every way to get it wrong (exit 1, nothing written)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from quyche.errors import DiagnosticError
from quyche.model import Para
from quyche.pipeline import build

from layout.corpus import Body, document

UBND = Body("Ủy ban nhân dân tỉnh Đắk Lắk", "nha_nuoc", "UBND", chuc_vu="Chủ tịch")
MTTQ = Body("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đắk Lắk", "mat_tran", "UBMTTQ", chuc_vu="Chủ tịch")
BTG = Body(
    "Ban Tuyên giáo Tỉnh ủy Đắk Lắk", "dang", "BTGTU", cap_tren="Tỉnh ủy Đắk Lắk", ten_dau_trang="Ban Tuyên giáo"
)


def write(tmp_path: Path, members: list[Body], **extra) -> Path:
    case = document("dau-trang", members, 0, "Đắk Lắk")
    case.data.update(extra)
    return case.write(tmp_path)


def agency_texts(path: Path) -> list[str]:
    table = build(path).document.sections[0].blocks[0]
    return [b.text for b in table.rows[0].cells[0].blocks if isinstance(b, Para)]


def test_a_shared_block_is_printed_once_and_every_body_signs(tmp_path: Path) -> None:
    path = write(tmp_path, [UBND, MTTQ], dau_trang_chung=["UBND - UBMTTQ", "tỉnh Đắk Lắk"])
    assert agency_texts(path) == ["UBND - UBMTTQ", "TỈNH ĐẮK LẮK"]
    assert [s.co_quan for s in build(path).document.signers] == ["CQ2", "CQ1"]


def test_a_shared_block_for_some_bodies_beside_a_party_body(tmp_path: Path) -> None:
    group = {"co_quan": ["CQ2", "CQ3"], "dong": ["Ủy ban nhân dân", "Ủy ban MTTQ Việt Nam", "tỉnh Đắk Lắk"]}
    path = write(tmp_path, [BTG, UBND, MTTQ], dau_trang_chung=group)
    texts = agency_texts(path)
    assert texts == [
        "TỈNH ỦY ĐẮK LẮK",
        "BAN TUYÊN GIÁO",
        "*",
        "ỦY BAN NHÂN DÂN",
        "ỦY BAN MTTQ VIỆT NAM",
        "TỈNH ĐẮK LẮK",
    ]
    assert len(build(path).document.signers) == 3


@pytest.mark.parametrize(
    ("members", "extra", "code", "where"),
    [
        ([UBND, MTTQ], {"dau_trang_chung": {"co_quan": ["CQ9"], "dong": ["UBND"]}}, "co-quan-khong-ro", "co_quan"),
        (
            [UBND, BTG, MTTQ],
            {"dau_trang_chung": {"co_quan": ["CQ1", "CQ3"], "dong": ["X"]}},
            "dau-trang-chung",
            "co_quan",
        ),
        ([BTG, UBND], {"dau_trang_chung": ["Ban Tuyên giáo - UBND"]}, "dau-trang-chung", "Ban Tuyên giáo - UBND"),
        ([UBND, MTTQ], {"dau_trang_chung": {"dong": []}}, "sai-kieu", "dong"),
    ],
)
def test_wrong_shared_blocks_are_located(tmp_path: Path, members, extra, code: str, where: str) -> None:
    path = write(tmp_path, members, **extra)
    with pytest.raises(DiagnosticError) as exc:
        build(path)
    found = [d for d in exc.value.diagnostics if d.is_error]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert code in {d.code for d in found}, found
    located = next(d for d in found if d.code == code)
    assert where in lines[located.location.line - 1], (located, lines[located.location.line - 1])


def test_an_empty_header_name_is_an_error_not_the_full_name(tmp_path: Path) -> None:
    path = write(tmp_path, [UBND])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["co_quan"][0]["ten_dau_trang"] = []
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "quyche", "render", str(path), "-o", str(out)], capture_output=True, text=True
    )
    assert run.returncode == 1, run.stderr
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "ten_dau_trang" in t)
    assert f"{path.name}:{line}:" in run.stderr or f"{path}:{line}:" in run.stderr, run.stderr
    assert not out.exists()
