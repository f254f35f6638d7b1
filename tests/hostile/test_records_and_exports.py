"""User mistakes and hostile values around the register and the output folder: located errors (exit 1) before
anything is written or reserved, hand edits kept by `render`, and exported cells that are text, never formulas."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from quyche.cli import app
from quyche.register import Register

from conftest import DATA

runner = CliRunner()
POISON = {
    "signer": '=HYPERLINK("http://x.invalid","Vinh")',
    "ma": "@PYT",
    "ten": "+Phòng Y tế huyện Tiên Lữ",
    "noi_nhan": "@SUM(1+1)",
    "luu": "-2+3",
}


def _batch(tmp_path: Path, partners: str, *, poison: bool = False, replace: dict[str, str] | None = None) -> Path:
    (tmp_path / "co-quan").mkdir(exist_ok=True)
    (tmp_path / "bo").mkdir(exist_ok=True)
    roster = (DATA / "co-quan" / "tien-lu-2019.yaml").read_text(encoding="utf-8")
    head = (DATA / "bo" / "tien-lu-2019.yaml").read_text(encoding="utf-8").split("doi_tac:\n")[0]
    if poison:
        roster = roster.replace("  - ma: PYT\n", f"  - ma: '{POISON['ma']}'\n")
        roster = roster.replace("ten: Phòng Y tế huyện Tiên Lữ", f"ten: '{POISON['ten']}'")
        head = head.replace("ho_ten: Vũ Quang Vinh}", f"ho_ten: '{POISON['signer']}'}}")
        head = head.replace("  noi_nhan: [Thường trực", f"  noi_nhan: ['{POISON['noi_nhan']}', Thường trực")
        head = head.replace("  luu: Văn phòng Ban\ngiay_moi", f"  luu: '{POISON['luu']}'\ngiay_moi")
    for old, new in (replace or {}).items():
        assert old in head + roster, old
        head, roster = head.replace(old, new), roster.replace(old, new)
    (tmp_path / "co-quan" / "tien-lu-2019.yaml").write_text(roster, encoding="utf-8")
    batch = tmp_path / "bo" / "bo.yaml"
    batch.write_text(head + "doi_tac:\n" + partners, encoding="utf-8")
    return batch


def _run(*args: str):
    return runner.invoke(app, list(args))


def _nothing_written_or_reserved(tmp_path: Path) -> None:
    assert not (tmp_path / "so.sqlite3").exists() or Register(tmp_path / "so.sqlite3").list() == []
    assert not list(tmp_path.rglob("*.docx")) and not list(tmp_path.rglob("*.tmp"))


# --- exports -----------------------------------------------------------------------------------------------------


def test_poisoned_roster_exports_text_never_formulas(tmp_path: Path, case) -> None:
    case(
        "tệp kết quả",
        "danh mục và người ký bắt đầu bằng = + - @ (chèn công thức vào bảng tính)",
        "xlsx: ô kiểu chuỗi có dấu ' đầu; CSV sổ, danh-sach.csv, manifest.csv: có dấu ' đầu",
    )
    batch = _batch(tmp_path, f"  - ma: '{POISON['ma']}'\n  - ma: PVHTT\n", poison=True)
    db = tmp_path / "so.sqlite3"
    r = _run("batch", str(batch), "-o", str(tmp_path / "out"), "--so-dang-ky", str(db), "-j", "1")
    assert r.exit_code == 0, r.output
    assert _run("register", "export", str(tmp_path / "so.xlsx"), "--so-dang-ky", str(db)).exit_code == 0
    assert _run("register", "export", str(tmp_path / "so.csv"), "--so-dang-ky", str(db)).exit_code == 0
    wb = load_workbook(tmp_path / "so.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert len(wb.worksheets[0][1]) == 10  # still the 10 columns of Phụ lục IV
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    starts = tuple("=+-@\t\r")
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(starts)]
    signers = [c for c in cells if c.column_letter == "D" and "HYPERLINK" in str(c.value)]
    assert any(c.value == "'" + POISON["signer"] and c.data_type == "s" for c in signers)
    assert any(c.value.startswith("'" + POISON["noi_nhan"]) for c in cells if c.column_letter == "E")
    assert any(c.value == "'" + POISON["luu"] for c in cells if c.column_letter == "F")
    out = tmp_path / "out" / "bo"
    for path in (tmp_path / "so.csv", out / "danh-sach.csv", out / "manifest.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        values = [v for row in rows for v in row]
        assert not [v for v in values if v.startswith(starts)], path
        assert any(v.startswith("'") for v in values), path
    assert "'" + POISON["signer"] in (tmp_path / "so.csv").read_text(encoding="utf-8-sig").replace('""', '"')
    assert "'" + POISON["ma"] in (out / "danh-sach.csv").read_text(encoding="utf-8-sig")


# --- collisions --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("partners", "replace", "code", "line"),
    [
        ("  - ma: PYT\n  - ma: PVHTT\n  - ma: PYT\n", {}, "doi-tac-trung", 54),
        ("  - ma: PYT\n  - ma: pyt\n", {"  - ma: PVHTT\n": "  - ma: pyt\n"}, "trung-ten-tep", 53),
        ("  - ma: A/B\n  - ma: 'A:B'\n", {"  - ma: PYT\n": "  - ma: A/B\n", "  - ma: PVHTT\n": "  - ma: 'A:B'\n"},
         "trung-ten-tep", 53),
    ],
)  # fmt: skip
def test_name_collisions_are_located_errors_before_anything(
    tmp_path: Path, case, partners: str, replace: dict, code: str, line: int
) -> None:
    if code == "doi-tac-trung":
        case("bộ văn bản", "một cơ quan ghi hai lần trong doi_tac", "lỗi doi-tac-trung tại dòng lặp; không giữ số nào")
    elif "A/B" in partners:
        case("bộ văn bản", 'mã "A/B" và "A:B" (cùng tên tệp)', "lỗi trung-ten-tep có vị trí; không ghi, không giữ số")
    else:
        case("bộ văn bản", 'mã "PYT" và "pyt" (chỉ khác hoa/thường)', "lỗi trung-ten-tep có vị trí; không ghi gì")
    batch = _batch(tmp_path, partners, replace=replace)
    r = _run("batch", str(batch), "-o", str(tmp_path / "out"), "--so-dang-ky", str(tmp_path / "so.sqlite3"))
    assert r.exit_code == 1 and f"bo.yaml:{line}:" in r.output and f"[{code}]" in r.output, r.output
    _nothing_written_or_reserved(tmp_path)


def test_render_refuses_two_inputs_with_one_output_name(tmp_path: Path, case) -> None:
    case("tệp kết quả", "render hai tệp vào cùng tên (a/x.yaml, b/X.yaml)", "lỗi trung-ten-tep, không ghi tệp nào")
    for sub, name in (("a", "x.yaml"), ("b", "X.yaml")):
        (tmp_path / sub).mkdir()
        shutil.copy(DATA / "giay-moi-tien-lu-2019.yaml", tmp_path / sub / name)
    r = _run("render", str(tmp_path / "a" / "x.yaml"), str(tmp_path / "b" / "X.yaml"), "-o", str(tmp_path / "out"))
    assert r.exit_code == 1 and "[trung-ten-tep]" in r.output and "a/x.yaml" in r.output, r.output
    assert not (tmp_path / "out").exists()


# --- user mistakes in a batch --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mistake", "code"),
    [("thu-muc", "thu-muc-khong-ghi-duoc"), ("nhiem-ky-sai", "so-dang-ky"), ("ngoai-nhiem-ky", "so-dang-ky"),
     ("so-hong", "so-dang-ky")],
)  # fmt: skip
def test_batch_user_mistakes_exit_1_before_any_file(tmp_path: Path, case, mistake: str, code: str) -> None:
    tried = {
        "thu-muc": "thư mục kết quả không ghi được (-o trỏ vào một tệp)",
        "nhiem-ky-sai": 'nhiem_ky "2020-2019"',
        "ngoai-nhiem-ky": "ngày văn bản ngoài nhiệm kỳ của sổ",
        "so-hong": "tệp sổ đăng ký hỏng (không phải SQLite)",
    }[mistake]
    case("bộ văn bản", tried, f"thoát 1, lỗi {code} có vị trí/đường dẫn; không văn bản nào được ghi")
    replace = {"nhiem-ky-sai": {"nhiem_ky: 2015-2020": "nhiem_ky: 2020-2019"},
               "ngoai-nhiem-ky": {"nhiem_ky: 2015-2020": "nhiem_ky: 2020-2025"}}.get(mistake, {})  # fmt: skip
    batch = _batch(tmp_path, "  - ma: PYT\n", replace=replace)
    out = tmp_path / "out"
    if mistake == "thu-muc":
        out.write_text("một tệp, không phải thư mục", encoding="utf-8")
        out = out / "con"
    if mistake == "so-hong":
        (tmp_path / "so.sqlite3").write_bytes(b"SQLite format 3\0" + b"\x07" * 3000)
    r = _run("batch", str(batch), "-o", str(out), "--so-dang-ky", str(tmp_path / "so.sqlite3"))
    assert r.exit_code == 1 and f"[{code}]" in r.output and "lỗi nội bộ" not in r.output, r.output
    assert ("bo.yaml:" in r.output) if code == "so-dang-ky" else (str(out) in r.output)
    assert not list(tmp_path.rglob("*.docx")) and not list(tmp_path.rglob("*.tmp"))
    if mistake != "so-hong":
        _nothing_written_or_reserved(tmp_path)


# --- render keeps hand edits ---------------------------------------------------------------------------------------


def test_render_keeps_a_hand_edit_unless_force(tmp_path: Path, case) -> None:
    case(
        "tệp kết quả", "render lại sau khi tệp .docx đã sửa tay", "giữ nguyên tệp sửa tay, thoát 1; --force mới ghi đè"
    )
    src = DATA / "giay-moi-tien-lu-2019.yaml"
    out = tmp_path / "out"
    assert _run("render", str(src), "-o", str(out), "-f", "docx").exit_code == 0
    target = out / "giay-moi-tien-lu-2019.docx"
    assert _run("render", str(src), "-o", str(out), "-f", "docx").exit_code == 0  # its own file: written again
    target.write_bytes(target.read_bytes() + b"\n")  # saved by a clerk
    edited = target.read_bytes()
    r = _run("render", str(src), "-o", str(out), "-f", "docx")
    assert r.exit_code == 1 and "[tep-da-sua-tay]" in r.output and "--force" in r.output, r.output
    assert target.read_bytes() == edited
    foreign = out / "giay-moi-tien-lu-2019.pdf"  # a file quyche never wrote is kept too
    foreign.write_bytes(b"%PDF-1.4 ban cua van thu")
    r = _run("render", str(src), "-o", str(out), "-f", "docx,pdf", "--force")
    assert r.exit_code == 0 and target.read_bytes() != edited and foreign.read_bytes().startswith(b"%PDF-1.7")
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))
