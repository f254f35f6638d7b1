"""Rosters (danh mục) in CSV, XLSX and YAML as an attacker or a careless export makes them: a million rows,
a shared-strings bomb, a huge field, no delimiter, thousands of partners — and the Excel CSV quoting that
must be read right. Each refusal is located at the row (and column), exit 1, nothing written."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quyche.source import load_table

from support import assert_refused, bounded

DATA = Path(__file__).resolve().parents[2] / "data"
HEADER = (
    "ma,he_thong,ten,ten_dau_trang,cap_tren,viet_tat,chuc_vu_truong,chuc_vu_pho,nguoi_ky,thay_mat,ky_thay,hieu_luc_tu"
)
HOST = (
    "BTGTU,dang,Ban Tuyên giáo Tỉnh ủy Khánh Hòa,Ban Tuyên giáo,Tỉnh ủy Khánh Hòa,BTGTU,Trưởng ban,Phó Trưởng ban,"
    "Lê Hữu Thọ,,,"
)


def _row(i: int, name: str | None = None) -> str:
    ten = name or f"Sở Ngành Số {i}"
    return f"S{i},nha_nuoc,{ten},,,S{i},Giám đốc,Phó Giám đốc,Người Ký {i},,,"


def _work(tmp_path: Path, roster_name: str, roster: bytes) -> Path:
    (tmp_path / "bo").mkdir()
    (tmp_path / "co-quan").mkdir()
    text = (DATA / "bo" / "khanh-hoa-2022.yaml").read_text(encoding="utf-8")
    text = text.replace("../co-quan/khanh-hoa-2022.csv", f"../co-quan/{roster_name}")
    (tmp_path / "bo" / "kh.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "co-quan" / roster_name).write_bytes(roster)
    return tmp_path / "bo" / "kh.yaml"


def _batch(tmp_path: Path, path: Path, env: dict | None = None):
    return bounded(
        "batch", str(path), "-o", str(tmp_path / "out"), "--so-dang-ky", str(tmp_path / "so.sqlite3"), "-j", "1",
        cwd=tmp_path, env=env,
    )  # fmt: skip


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, HOST, *rows]) + "\n").encode()


def _xlsx(sheet_rows: str, shared: bytes | None = None) -> bytes:
    """A minimal workbook written by hand, so that sizes and shapes are exactly what the case needs."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>' if shared else "")
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
            + "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{sheet_rows}</sheetData></worksheet>")
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return buf.getvalue()


def _refused() -> list[tuple[str, str, bytes, str, dict]]:
    """(what, file name, content, expected code, environment): generated families at several sizes."""
    cases: list[tuple[str, str, bytes, str, dict]] = []
    for n in (10_001, 25_000):
        cases.append((f"CSV {n} dòng", "dm.csv", _csv(*(_row(i) for i in range(n))), "vuot-gioi-han", {}))
    for kib in (65, 1024):
        big = "Sở " + "X" * (kib * 1024)
        cases.append((f"CSV một ô {kib} KiB", "dm.csv", _csv(_row(1, big)), "vuot-gioi-han", {}))
    wide = ",".join(f"c{i}" for i in range(400))
    cases.append(
        (
            "CSV 400 cột × 600 dòng",
            "dm.csv",
            (HEADER + "," + wide + "\n" + (HOST + "," + wide + "\n") * 600).encode(),
            "vuot-gioi-han",
            {},
        )
    )
    cases.append(("CSV có byte NUL", "dm.csv", _csv(_row(1)).replace(b"S1,", b"S\x001,"), "ma-hoa-tep", {}))
    for n in (2_001, 3_000):
        rows = _csv(*(_row(i) for i in range(n)))
        cases.append((f"{n} cơ quan phối hợp", "dm.csv", rows, "vuot-gioi-han", {}))
    yaml_rows = "danh_muc: co_quan\nco_quan:\n" + "".join(
        f"  - {{ma: S{i}, he_thong: nha_nuoc, ten: Sở {i}, viet_tat: S{i}}}\n" for i in range(10_001)
    )
    cases.append(("YAML 10 001 cơ quan", "dm.yaml", yaml_rows.encode(), "vuot-gioi-han", {}))
    cases.append(
        (
            "XLSX ô ở dòng 1 048 576 (một triệu dòng trống)",
            "dm.xlsx",
            _xlsx(
                '<row r="1"><c r="A1" t="inlineStr"><is><t>ma</t></is></c></row>'
                '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            ),
            "vuot-gioi-han",
            {},
        )
    )
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>S{r}</t></is></c></row>' for r in range(1, 20_002))
    cases.append(("XLSX 20 001 dòng", "dm.xlsx", _xlsx(rows), "vuot-gioi-han", {}))
    bomb = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>x</t></si>" * 2_000_000
        + b"</sst>"
    )
    cases.append(("XLSX sharedStrings 34 MB (bom)", "dm.xlsx", _xlsx("", bomb), "vuot-gioi-han", {}))
    cases.append(
        (
            "XLSX sharedStrings trên giới hạn đã hạ",
            "dm.xlsx",
            _xlsx("", bomb[:200_000] + b"</sst>"),
            "vuot-gioi-han",
            {"QUYCHE_MAX_XLSX_STRINGS_BYTES": "100000", "QUYCHE_MAX_ZIP_RATIO": "100000"},
        )
    )
    cases.append(("XLSX hỏng (zip cắt cụt)", "dm.xlsx", _xlsx(rows)[:5000], "zip-hong", {}))
    return cases


_CASES = _refused()


@pytest.mark.parametrize(("tried", "name", "content", "code", "env"), _CASES, ids=[c[0] for c in _CASES])
def test_hostile_roster_refused(
    tmp_path: Path, case, tried: str, name: str, content: bytes, code: str, env: dict
) -> None:
    case("danh mục", tried, f"lỗi {code} tại dòng (và cột) của danh mục, thoát 1, không ghi gì")
    r = _batch(tmp_path, _work(tmp_path, name, content), env)
    assert_refused(r, code, folder=tmp_path / "out")
    assert not (tmp_path / "so.sqlite3").exists()  # no number was reserved


def test_csv_without_delimiter_is_located(tmp_path: Path, case) -> None:
    case("danh mục", "CSV không có dấu phân cách (một cột)", "lỗi có vị trí tại dòng của danh mục, thoát 1")
    r = _batch(tmp_path, _work(tmp_path, "dm.csv", b"ma\nBTGTU\nS1\n"))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert re.search(r"dm\.csv:[23]:1: lỗi \[", r.stderr), r.stderr


def test_excel_csv_with_doubled_quotes(tmp_path: Path, case) -> None:
    case("danh mục", 'CSV của Excel: "Sở ""Văn hóa"", Thể thao"', "đọc đúng dấu ngoặc kép và dấu phẩy trong ô")
    roster = (DATA / "co-quan" / "khanh-hoa-2022.csv").read_text(encoding="utf-8")
    roster = roster.replace(",Sở Y tế tỉnh Khánh Hòa,", ',"Sở ""Y tế"", tỉnh Khánh Hòa",', 1)
    assert '""Y tế""' in roster
    path = _work(tmp_path, "dm.csv", roster.encode("utf-8-sig"))
    rows, _ = load_table(path.parent.parent / "co-quan" / "dm.csv")
    assert any(r.get("ten") == 'Sở "Y tế", tỉnh Khánh Hòa' for r in rows)
    r = _batch(tmp_path, path)
    assert r.returncode == 0, r.stderr


_CELL = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(['"', ",", ";", "\n", "\t"]), max_size=30
)


@settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=8), st.sampled_from([",", ";", "\t"]))
def test_csv_round_trips_excel_quoting(tmp_path: Path, rows: list[list[str]], delimiter: str) -> None:
    """Whatever Excel writes (quotes doubled, delimiters and line breaks inside quoted cells), the roster
    reads back cell for cell."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(["a", "b", "c"])
    writer.writerows(rows)
    path = tmp_path / "dm.csv"
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    got, _ = load_table(path)
    want = [
        {k: v.replace("\r\n", "\n").replace("\r", "\n").strip() for k, v in zip("abc", row, strict=True)}
        for row in rows
    ]
    want = [{k: v for k, v in w.items() if v} for w in want if any(v.strip() for v in w.values())]
    got = [{k: str(v).replace("\r\n", "\n").replace("\r", "\n") for k, v in g.items()} for g in got]
    assert got == want
    shutil.rmtree(tmp_path / "x", ignore_errors=True)
