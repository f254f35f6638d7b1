"""No header line ever wraps inside a name, for every real name (tests/layout/corpus.py): every body under every
province alone, and hundreds of joint headers of 2–4 bodies, State-led and Party-led, with the longest date line.

Measured on the composed model (font metrics, as Word and WeasyPrint lay the cells out): every line of the
header fits its cell; agency names break only at the points lexicon/ngat-dong.yaml allows; a number line that
cannot share its row with the date is never silent (warning "so-ngay-qua-rong"). test_rendered_layout.py checks
a sample of the same corpus in the PDF and through LibreOffice."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from quyche.compose.header import PAD_MM
from quyche.compose.ngat_dong import break_costs
from quyche.measure import text_width_mm
from quyche.model import Para, Table
from quyche.normalize import upper_vi
from quyche.pipeline import build

from layout.corpus import Body, Case, alone, document, joint

CELL_PAD = 2 * 1.9  # the cell margins Word and the PDF keep on each side of a header line
NAME_ROLES = ("co_quan_chu_quan", "co_quan_ban_hanh")


def header_of(document) -> Table:
    table = document.sections[0].blocks[0]
    assert isinstance(table, Table) and table.role == "dau_trang"
    return table


def overflowing(table: Table) -> list[tuple[str, float, float]]:
    """(line, width, cell room) of every header line wider than its cell."""
    out = []
    for row in table.rows:
        for cell in row.cells:
            for b in cell.blocks:
                if isinstance(b, Para) and b.text.strip():
                    bold = any(r.bold for r in b.runs)
                    italic = any(r.italic for r in b.runs)
                    width = text_width_mm(b.text, b.size_pt, bold=bold, italic=italic)
                    if width > cell.width_mm - CELL_PAD:
                        out.append((b.text, round(width, 1), round(cell.width_mm - CELL_PAD, 1)))
    return out


def expected_lines(bodies: list[Body]) -> list[str]:
    """The header lines a clerk wrote, in order, each parent printed once for neighbours sharing it."""
    out: list[str] = []
    prev_parent = None
    for b in bodies:
        if b.cap_tren and b.cap_tren != prev_parent:
            out.append(b.cap_tren)
        prev_parent = b.cap_tren
        out.append(b.ten_dau_trang or b.ten)
    return out


def assert_breaks_allowed(written: list[str], printed: list[str]) -> None:
    """The printed lines are the written ones, split only where ngat_dong allows (never inside a name)."""
    queue = list(printed)
    for line in written:
        words = line.split()
        allowed = set(break_costs(words))
        upper = [upper_vi(w) for w in words]
        at = 0
        while at < len(words):
            assert queue, f"missing {line!r}"
            got = queue.pop(0).split()
            assert got == upper[at : at + len(got)], (line, got)
            at += len(got)
            assert at == len(words) or at in allowed, f"{line!r} broken before {words[at]!r}"
    assert not queue, queue


def check(case: Case, folder: Path) -> Counter:
    result = build(case.write(folder))
    codes = Counter(d.code for d in result.warnings)
    table = header_of(result.document)
    agency = table.rows[0].cells[0].blocks
    printed = [b.text for b in agency if isinstance(b, Para) and b.role in NAME_ROLES]
    assert_breaks_allowed(expected_lines(case.bodies), printed)
    assert codes["dau-trang-qua-rong"] == 0, [d.message for d in result.warnings]
    over = overflowing(table)
    number = table.rows[1].cells[0].blocks[0]
    date = table.rows[1].cells[-1].blocks[0]
    page = result.document.sections[0].page
    both = text_width_mm(number.text, number.size_pt) + text_width_mm(date.text, date.size_pt, italic=True) + 2 * PAD_MM
    # warned exactly when the number and the date cannot share the widest row the page allows
    assert codes["so-ngay-qua-rong"] == (both > page.text_width_mm + 3.5 + 9 + 1e-6), (number.text, date.text)
    number = number.text
    if codes["so-ngay-qua-rong"]:  # said, never silent: only the number may be what wraps
        assert {o[0] for o in over} <= {number}, over
    else:
        assert over == [], over
    # the table stays within what the page allows: 3.5 mm into the left margin, 9 mm into the right
    assert table.indent_mm >= -3.5 - 1e-6
    assert table.indent_mm + sum(table.widths_mm) <= page.text_width_mm + 9 + 1e-6
    return codes


def test_every_body_under_every_province_fits_alone(tmp_path: Path) -> None:
    cases = alone()
    assert len(cases) > 1500
    totals = Counter()
    for case in cases:
        totals += check(case, tmp_path)
    assert totals["so-ngay-qua-rong"] == 0  # one body's number always fits beside the longest date


def test_joint_headers_of_two_to_four_bodies_fit(tmp_path: Path) -> None:
    cases = joint()
    assert len(cases) >= 400
    totals = Counter()
    for case in cases:
        totals += check(case, tmp_path)
    # what cannot fit (long symbols of 3–4 bodies beside the longest dates) is said; everything else fits
    assert totals["so-ngay-qua-rong"] < len(cases) // 2, totals


@pytest.mark.parametrize(
    ("ky_hieu", "system", "dia_danh"),
    [
        ("CTr-HĐND-UBND-BTGTU", "nha_nuoc", "Hà Tĩnh"),
        ("QCPH/UBND-UBMTTQ", "nha_nuoc", "Đắk Lắk"),
        ("CTr/BTGDVTU-UBND", "dang", "Bắc Ninh"),
        ("CTr/BTGDVTU-UBND", "dang", "Bà Rịa - Vũng Tàu"),
    ],
)
def test_real_long_numbers_stay_on_one_line(tmp_path: Path, ky_hieu: str, system: str, dia_danh: str) -> None:
    """The number lines real joint documents print (issue reports) never wrap beside their date."""
    lead = Body(
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "dang",
        "BTGDVTU",
        cap_tren="Tỉnh ủy",
        ten_dau_trang="Ban Tuyên giáo và Dân vận",
    )
    state = Body(f"Ủy ban nhân dân tỉnh {dia_danh}", "nha_nuoc", "UBND", chuc_vu="Chủ tịch")
    members = [lead, state] if system == "dang" else [state, lead]
    case = document(f"so-{system}", members, 0, dia_danh)
    case.data["ky_hieu"] = ky_hieu
    assert check(case, tmp_path)["so-ngay-qua-rong"] == 0


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Viện kiểm sát nhân dân Thành phố Hồ Chí Minh", ["VIỆN KIỂM SÁT NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]),
        (
            "Sở Tài nguyên và Môi trường tỉnh Bà Rịa - Vũng Tàu",
            ["SỞ TÀI NGUYÊN", "VÀ MÔI TRƯỜNG", "TỈNH BÀ RỊA - VŨNG TÀU"],
        ),
        ("Hội Cựu giáo chức huyện Tiên Lữ", ["HỘI CỰU GIÁO CHỨC", "HUYỆN TIÊN LỮ"]),
        ("Ủy ban nhân dân thành phố Phan Rang - Tháp Chàm", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ", "PHAN RANG - THÁP CHÀM"]),
        ("Trung tâm Văn hóa, Thông tin và Thể thao", ["TRUNG TÂM VĂN HÓA,", "THÔNG TIN VÀ THỂ THAO"]),
        ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", ["ĐOÀN THANH NIÊN", "CỘNG SẢN HỒ CHÍ MINH"]),
        ("Hội đồng nhân dân | tỉnh Hà Tĩnh", ["HỘI ĐỒNG NHÂN DÂN", "TỈNH HÀ TĨNH"]),
        ("Sở Y tế tỉnh Lai Châu", ["SỞ Y TẾ TỈNH LAI CHÂU"]),
    ],
)
def test_names_break_between_header_lines_only(text: str, lines: list[str]) -> None:
    from quyche.compose.ngat_dong import best_split

    split, fits = best_split(text, 13, 172.5 - 101 - PAD_MM, bold=True)
    assert fits and list(split.lines) == lines
