"""The 2025 reorganisation (schema/sap_xep.py): a document dated from 01/07/2025 that names a district body —
issuing body, parent line, recipient — gets a located warning; before that day, or for commune and province
bodies, nothing; a catalogue that records the successor (``thay_the``) names it in the hint."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from quyche.pipeline import build

DISTRICT = [
    "Ủy ban nhân dân huyện Tiên Lữ",
    "UBND quận Ba Đình",
    "Ủy ban nhân dân thị xã Ngã Bảy",
    "Huyện ủy Tiên Lữ",
    "Quận ủy Quận 6",
    "Tòa án nhân dân huyện Tiên Lữ",
    "Viện kiểm sát nhân dân huyện Tiên Lữ",
    "Phòng Văn hóa và Thông tin huyện Tiên Lữ",
]
NOT_DISTRICT = [
    "Ủy ban nhân dân xã Tiên Lữ",
    "Ủy ban nhân dân tỉnh Hưng Yên",
    "Tỉnh ủy Hưng Yên",
    "Tòa án nhân dân khu vực 1 - Hưng Yên",
    "Sở Lao động - Thương binh và Xã hội",
]


def doc(tmp_path: Path, ngay: dt.date, recipient: str, *, roster: list | None = None) -> Path:
    data = {
        "loai": "cong_van",
        "co_quan": [{"ma": "BTG", "he_thong": "dang", "ten": "Ban Tuyên giáo và Dân vận Tỉnh ủy Hưng Yên",
                     "cap_tren": "Tỉnh ủy Hưng Yên", "ten_dau_trang": "Ban Tuyên giáo và Dân vận",
                     "viet_tat": "BTGDVTU"}],
        "so": 5, "ngay": ngay, "dia_danh": "Hưng Yên", "trich_yeu": "Đề nghị báo cáo",
        "kinh_gui": [recipient], "doan": ["Đề nghị các cơ quan báo cáo kết quả phối hợp."],
        "ky": [{"co_quan": "BTG", "chuc_vu": "Trưởng ban", "ho_ten": "Nguyễn Văn A"}],
        "noi_nhan": ["Thường trực Tỉnh ủy"],
    }  # fmt: skip
    if roster is not None:
        (tmp_path / "dm.yaml").write_text(
            yaml.safe_dump({"danh_muc": "co_quan", "co_quan": roster}, allow_unicode=True), encoding="utf-8"
        )
        data["danh_muc"] = "dm.yaml"
    path = tmp_path / "cv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def warnings_of(path: Path):
    return [d for d in build(path).warnings if d.code == "cap-huyen-da-ket-thuc"]


@pytest.mark.parametrize("name", DISTRICT)
@pytest.mark.parametrize("ngay", [dt.date(2025, 7, 1), dt.date(2026, 3, 2)])
def test_a_district_body_after_july_2025_is_located(tmp_path: Path, name: str, ngay: dt.date) -> None:
    path = doc(tmp_path, ngay, name)
    found = warnings_of(path)
    assert len(found) == 1, found
    line = path.read_text(encoding="utf-8").splitlines()[found[0].location.line - 1]
    assert name in line


@pytest.mark.parametrize("name", DISTRICT)
def test_before_the_reorganisation_it_is_fine(tmp_path: Path, name: str) -> None:
    assert warnings_of(doc(tmp_path, dt.date(2025, 6, 30), name)) == []


@pytest.mark.parametrize("name", NOT_DISTRICT)
def test_commune_and_province_bodies_are_fine(tmp_path: Path, name: str) -> None:
    assert warnings_of(doc(tmp_path, dt.date(2026, 3, 2), name)) == []


def test_the_catalogue_names_the_successor(tmp_path: Path) -> None:
    roster = [{"ma": "TAKV1", "he_thong": "nha_nuoc", "ten": "Tòa án nhân dân khu vực 1 - Hưng Yên",
               "viet_tat": "TAKV1", "thay_the": ["Tòa án nhân dân huyện Tiên Lữ"]}]  # fmt: skip
    found = warnings_of(doc(tmp_path, dt.date(2026, 3, 2), "Tòa án nhân dân huyện Tiên Lữ", roster=roster))
    assert len(found) == 1 and "Tòa án nhân dân khu vực 1 - Hưng Yên" in found[0].hint
