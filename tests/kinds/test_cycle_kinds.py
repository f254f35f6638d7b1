"""The kinds of the yearly cycle around a coordination agreement — kế hoạch, quyết định (with the regulation it
issues), báo cáo, thông báo, công văn — composed from the examples in data/ and from small variants: what a
clerk checks on the page (number, ô 5b, Kính gửi, Như trên, task table, the attached regulation), and located
errors for what is missing."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document as open_docx

from quyche.errors import DiagnosticError
from quyche.model import Para, Table
from quyche.pipeline import build, render

DATA = Path(__file__).resolve().parents[2] / "data"


def paras(blocks) -> list[Para]:
    out = []
    for b in blocks:
        if isinstance(b, Para):
            out.append(b)
        elif isinstance(b, Table):
            for row in b.rows:
                for cell in row.cells:
                    out.extend(paras(cell.blocks))
    return out


def texts(blocks) -> list[str]:
    return [p.text for p in paras(blocks) if p.text.strip()]


def test_state_cong_van_subject_under_the_number_kinh_gui_and_nhu_tren() -> None:
    doc = build(DATA / "cong-van-lam-dong-2017.yaml").document
    header = doc.sections[0].blocks[0]
    number_cell = header.rows[1].cells[0].blocks
    assert number_cell[0].text == "Số: 6254/UBND-VX"
    assert number_cell[1].text.startswith("V/v Báo cáo kết quả") and not number_cell[1].runs[0].italic
    body = texts(doc.sections[0].blocks[1:])
    assert "CÔNG VĂN" not in body  # a công văn has no type name (ND30-PL3 Mẫu 1.5)
    assert body[:3] == [
        "Kính gửi:",
        "- Các sở, ban, ngành thuộc tỉnh;",
        "- Ủy ban nhân dân các huyện, thành phố Đà Lạt và Bảo Lộc.",
    ]
    nn = [p.text for p in paras(doc.sections[0].blocks) if p.role == "noi_nhan_muc"]
    assert nn[0] == "- Như trên;" and nn[-1] == "- Lưu: VT, VX."


def test_party_cong_van_and_a_single_recipient(tmp_path: Path) -> None:
    text = (DATA / "cong-van-lam-dong-2017.yaml").read_text(encoding="utf-8")
    text = text.replace("  - ma: UBND\ndon_vi: VX\n", "  - ma: BTGTU\n").replace("so: 6254", "so: 12")
    text = text.replace(
        "kinh_gui:\n  - Các sở, ban, ngành thuộc tỉnh\n  - Ủy ban nhân dân các huyện, thành phố Đà Lạt và Bảo Lộc\n",
        "kinh_gui: Văn phòng Ủy ban nhân dân tỉnh\n",
    )
    text = text.replace("    thua_lenh: Chủ tịch\n    chuc_vu: Chánh Văn phòng\n", "    chuc_vu: Trưởng ban\n")
    text = text.replace("co_quan: UBND\n    chuc_vu", "co_quan: BTGTU\n    chuc_vu")
    shutil.copytree(DATA / "co-quan", tmp_path / "co-quan")  # the roster beside the document, as in data/
    path = tmp_path / "cv.yaml"
    path.write_text(text, encoding="utf-8")
    doc = build(path).document
    number_cell = doc.sections[0].blocks[0].rows[1].cells[0].blocks
    assert number_cell[0].text == "Số 12-CV/BTGTU"  # Party number form (the-thuc §2.4)
    assert number_cell[1].text.startswith("Báo cáo kết quả") and number_cell[1].runs[0].italic
    assert texts(doc.sections[0].blocks[1:])[0] == "Kính gửi: Văn phòng Ủy ban nhân dân tỉnh"


def test_ke_hoach_task_table() -> None:
    doc = build(DATA / "ke-hoach-lam-dong-2017.yaml").document
    tables = [b for b in doc.sections[0].blocks if isinstance(b, Table) and b.role == "bang"]
    assert len(tables) == 1
    rows = [[texts(c.blocks)[0] if texts(c.blocks) else "" for c in row.cells] for row in tables[0].rows]
    assert rows[0] == ["TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4"]
    assert rows[4][2:] == ["Ban Tuyên giáo Tỉnh ủy", "Văn phòng UBND tỉnh", "Tháng 10/2017"]
    assert doc.so_ky_hieu == "Số 45-KH/BTGTU"


def test_quyet_dinh_issues_its_regulation_without_a_second_number() -> None:
    result = render(DATA / "quyet-dinh-lam-dong-2016.yaml", ("docx",))
    doc = result.document
    assert len(doc.sections) == 2 and doc.sections[1].restart_numbering
    main = texts(doc.sections[0].blocks)
    assert "QUYẾT ĐỊNH" in main and "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" in main and "QUYẾT ĐỊNH:" in main
    assert [t.split(".")[0] for t in main if t.startswith("Điều ")] == ["Điều 1", "Điều 2", "Điều 3"]
    attached = doc.sections[1].blocks
    assert attached[0].rows[1].cells[0].blocks == []  # the regulation has no number of its own
    att = texts(attached)
    assert "QUY CHẾ" in att
    assert (
        "(Ban hành kèm theo Quyết định số 2519/QĐ-UBND ngày 28 tháng 11 năm 2016 của Ủy ban nhân dân tỉnh Lâm Đồng)"
        in att
    )
    assert any(t.startswith("Điều 1. Phạm vi điều chỉnh") for t in att)
    assert "Nguyễn Văn Yên" in att and not any(t.startswith("Nơi nhận") for t in att)
    assert len(doc.signers) == 1  # one digital signature: the decision's (ND30-PL1 §II.8.b)
    body = open_docx(io.BytesIO(result.outputs["docx"]))
    assert len(body.sections) == 2


def test_bao_cao_to_a_superior_and_thong_bao_closing() -> None:
    report = build(DATA / "bao-cao-lam-dong-2017.yaml").document
    lines = texts(report.sections[0].blocks[1:])
    assert "Kính gửi: Thường trực Tỉnh ủy" in lines
    assert lines.index("BÁO CÁO") < lines.index("Kính gửi: Thường trực Tỉnh ủy")
    nn = [p.text for p in paras(report.sections[0].blocks) if p.role == "noi_nhan_muc"]
    assert nn[0] == "- Như trên;"
    notice = build(DATA / "thong-bao-lam-dong-2017.yaml").document
    body = [p for p in paras(notice.sections[0].blocks) if p.role == "doan"]
    assert body[-1].text == "Ban Tuyên giáo Tỉnh ủy trân trọng thông báo."


@pytest.mark.parametrize(
    ("example", "remove", "code", "at"),
    [
        ("cong-van-lam-dong-2017.yaml", "kinh_gui:", "thieu-truong", "loai: cong_van"),
        ("quyet-dinh-lam-dong-2016.yaml", "tham_quyen:", "thieu-truong", "loai: quyet_dinh"),
        ("ke-hoach-lam-dong-2017.yaml", "    doan: Các nhiệm vụ", "sai-kieu", "  - ten: Nội dung và phân công"),
    ],
)
def test_missing_parts_are_located(tmp_path: Path, example: str, remove: str, code: str, at: str) -> None:
    lines = (DATA / example).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(remove))
    end = start + 1
    while end < len(lines) and lines[end].startswith("  ") and not remove.startswith(" "):
        end += 1
    if remove.startswith(" "):  # a task-only part without its tasks: drop "doan" and "nhiem_vu"
        end = next(i for i, line in enumerate(lines) if line.startswith("  - ten: Tổ chức"))
    kept = lines[:start] + lines[end:]
    shutil.copytree(DATA / "co-quan", tmp_path / "co-quan")
    path = tmp_path / example
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(DiagnosticError) as caught:
        build(path)
    found = [d for d in caught.value.diagnostics if d.code == code]
    assert found, caught.value.diagnostics
    assert kept[found[0].location.line - 1].startswith(at), (found[0], kept[found[0].location.line - 1])
