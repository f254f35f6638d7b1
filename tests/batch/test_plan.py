"""Planning a batch: one programme and one invitation per partner, located problems per partner,
user templates evaluated in a sandbox, rosters in YAML and CSV with valid-from dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from quyche.batch import pick_version, plan_batch, validate_item
from quyche.errors import DiagnosticError
from quyche.schema.common import CoQuan

from conftest import DATA

TIEN_LU = DATA / "bo" / "tien-lu-2019.yaml"
KHANH_HOA = DATA / "bo" / "khanh-hoa-2022.yaml"


def test_tien_lu_plan_has_12_programmes_and_12_invitations() -> None:
    plan = plan_batch(TIEN_LU)
    assert not plan.problems
    kinds = [it.kind for it in plan.items]
    assert kinds.count("chuong_trinh") == 12 and kinds.count("giay_moi") == 12
    prog = next(it for it in plan.items if it.id == "chuong_trinh:PYT")
    assert (
        prog.data["trich_yeu"] == "Phối hợp công tác giữa Ban Tuyên giáo Huyện ủy và Phòng Y tế huyện Tiên Lữ năm 2019"
    )
    assert [b["ma"] for b in prog.data["co_quan"]] == ["BTGHU", "PYT"]
    for item in plan.items:
        assert validate_item(item, plan, 7) == [], item.id


def test_partner_overrides_extra_content_and_signer() -> None:
    plan = plan_batch(TIEN_LU)
    gd = next(it for it in plan.items if it.id == "chuong_trinh:PGDDT")
    yt = next(it for it in plan.items if it.id == "chuong_trinh:PYT")
    assert len(gd.data["phan"][1]["khoan"]) == len(yt.data["phan"][1]["khoan"]) + 1
    dtt = next(it for it in plan.items if it.id == "chuong_trinh:DTT")
    assert dtt.data["ky"][1]["ho_ten"] == "Nguyễn Văn Tùng" and dtt.data["ky"][1]["ky_thay"] == "Trưởng đài"


def test_csv_roster_khanh_hoa() -> None:
    plan = plan_batch(KHANH_HOA)
    assert not plan.problems
    partners = sorted({it.doi_tac for it in plan.items})
    assert len(partners) == 8 and "BCSDUBND" in partners
    item = next(it for it in plan.items if it.id == "chuong_trinh:SYT")
    assert item.data["ky"][1] == {
        "co_quan": "SYT",
        "ky_thay": "Giám đốc",
        "chuc_vu": ["Phó Giám đốc"],
        "ho_ten": "Trần Thị Thu Hồng",
    }
    bcs = next(it for it in plan.items if it.id == "chuong_trinh:BCSDUBND")
    assert validate_item(bcs, plan, 1) == []
    assert bcs.model.body("BCSDUBND").he_thong == "dang"


def _batch(tmp_path: Path, extra: str = "", partners: str = "  - ma: PYT\n", roster: str | None = None) -> Path:
    roster_path = tmp_path / "danh-muc.yaml"
    roster_path.write_text(
        roster or (DATA / "co-quan" / "tien-lu-2019.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = (
        TIEN_LU.read_text(encoding="utf-8")
        .split("doi_tac:\n")[0]
        .replace("../co-quan/tien-lu-2019.yaml", "danh-muc.yaml")
    )
    path = tmp_path / "bo.yaml"
    path.write_text(text + extra + "doi_tac:\n" + partners, encoding="utf-8")
    return path


def test_unknown_partner_is_located_and_others_continue(tmp_path: Path) -> None:
    path = _batch(tmp_path, partners="  - ma: PYT\n  - ma: PYTT\n  - ma: PGDDT\n")
    plan = plan_batch(path)
    assert set(plan.problems) == {"PYTT"}
    d = plan.problems["PYTT"][0]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert d.code == "co-quan-khong-ro" and lines[d.location.line - 1].strip() == "- ma: PYTT"
    assert {it.doi_tac for it in plan.items} == {"PYT", "PGDDT"}


def test_bad_roster_row_is_located_in_the_roster(tmp_path: Path) -> None:
    roster = (
        (DATA / "co-quan" / "tien-lu-2019.yaml")
        .read_text(encoding="utf-8")
        .replace("    he_thong: nha_nuoc\n    ten: Phòng Y tế", "    he_thong: nha_nuoc_x\n    ten: Phòng Y tế")
    )
    with pytest.raises(DiagnosticError) as exc:
        plan_batch(_batch(tmp_path, roster=roster))
    d = exc.value.diagnostics[0]
    assert d.code == "gia-tri-khong-hop-le" and d.location.file.endswith("danh-muc.yaml")
    assert "nha_nuoc_x" in roster.splitlines()[d.location.line - 1]


def test_bad_csv_row_is_located_by_row_and_column(tmp_path: Path) -> None:
    csv_text = (
        (DATA / "co-quan" / "khanh-hoa-2022.csv").read_text(encoding="utf-8").replace("SYT,nha_nuoc,", "SYT,nhanuoc,")
    )
    (tmp_path / "dm.csv").write_text(csv_text, encoding="utf-8")
    batch = KHANH_HOA.read_text(encoding="utf-8").replace("../co-quan/khanh-hoa-2022.csv", "dm.csv")
    (tmp_path / "bo.yaml").write_text(batch, encoding="utf-8")
    with pytest.raises(DiagnosticError) as exc:
        plan_batch(tmp_path / "bo.yaml")
    d = exc.value.diagnostics[0]
    row = next(i for i, line in enumerate(csv_text.splitlines(), 1) if line.startswith("SYT,"))
    assert (d.code, d.location.line, d.location.column) == ("gia-tri-khong-hop-le", row, 2)


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("{{ doi_tac.khong_co }}", "mau-loi"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "mau-khong-an-toan"),
        ("{{ doi_tac.__class__ }}", "mau-khong-an-toan"),
        ("{% for i in range(10**9) %}x{% endfor %}", "mau-khong-an-toan"),
        ("{{ doi_tac.ten", "mau-loi"),
    ],
)
def test_template_errors_and_sandbox(tmp_path: Path, template: str, code: str) -> None:
    path = _batch(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        'trich_yeu: "Phối hợp công tác giữa Ban Tuyên giáo Huyện ủy và {{ doi_tac.ten }} năm 2019"',
        f'trich_yeu: "{template}"',
    )
    path.write_text(text, encoding="utf-8")
    plan = plan_batch(path)
    diags = plan.problems["PYT"]
    assert diags[0].code == code
    assert "trich_yeu" in text.splitlines()[diags[0].location.line - 1]


def test_values_from_data_are_never_evaluated(tmp_path: Path) -> None:
    roster = (
        (DATA / "co-quan" / "tien-lu-2019.yaml")
        .read_text(encoding="utf-8")
        .replace("ten: Phòng Y tế huyện Tiên Lữ", 'ten: "Phòng Y tế {{ 7*7 }} & <b>"')
    )
    plan = plan_batch(_batch(tmp_path, roster=roster))
    item = next(it for it in plan.items if it.id == "chuong_trinh:PYT")
    assert "Phòng Y tế {{ 7*7 }} & <b>" in item.data["trich_yeu"]


def test_roster_versions_by_date() -> None:
    old = CoQuan(ma="S", ten="Sở Thông tin và Truyền thông", hieu_luc_tu=dt.date(2008, 1, 1))
    new = CoQuan(ma="S", ten="Sở Khoa học và Công nghệ", hieu_luc_tu=dt.date(2025, 3, 1))
    versions = [(old, None), (new, None)]
    assert pick_version(versions, dt.date(2024, 12, 31))[0] is old
    assert pick_version(versions, dt.date(2025, 3, 1))[0] is new
    assert pick_version(versions, dt.date(2000, 1, 1)) is None
