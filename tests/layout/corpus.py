"""Documents generated from real names (tests/fixtures/ten-co-quan.yaml: 34 provinces, bodies of every
system, long places): every body under every province alone, and joint headers of 2–4 bodies, State-led and
Party-led, all with the longest date line of their place. The corpus is the input of the layout tests."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

NAMES = Path(__file__).resolve().parent.parent / "fixtures" / "ten-co-quan.yaml"
LONGEST_DAY = dt.date(2026, 12, 29)  # "ngày 29 tháng 12 năm 2026": the widest date of a year


@dataclass
class Body:
    ten: str  # full name, place included
    he_thong: str
    viet_tat: str
    cap_tren: str | None = None
    ten_dau_trang: str | None = None  # the name printed under cap_tren (Party bodies: "Ban Tuyên giáo")
    chuc_vu: str = "Trưởng ban"

    def record(self, ma: str, lead: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"ma": ma, "he_thong": self.he_thong, "ten": self.ten, "viet_tat": self.viet_tat}
        if self.cap_tren:
            out["cap_tren"] = self.cap_tren
        if self.ten_dau_trang:
            out["ten_dau_trang"] = self.ten_dau_trang
        if lead:
            out["chu_tri"] = True
        return out


@dataclass
class Province:
    ten: str  # "Khánh Hòa"
    thanh_pho: bool

    @property
    def place(self) -> str:
        """The place as a body's name ends with it: "tỉnh Khánh Hòa", "Thành phố Hồ Chí Minh"."""
        if self.ten == "Hồ Chí Minh":
            return "Thành phố Hồ Chí Minh"
        return f"thành phố {self.ten}" if self.thanh_pho else f"tỉnh {self.ten}"

    @property
    def dia_danh(self) -> str:
        """The place of the date line (NĐ 30/2020, Phụ lục I, II.4.a)."""
        return "Thành phố Hồ Chí Minh" if self.ten == "Hồ Chí Minh" else self.ten

    @property
    def cap_uy(self) -> str:
        return f"Thành ủy {self.ten}" if self.thanh_pho else f"Tỉnh ủy {self.ten}"


@lru_cache(maxsize=1)
def names() -> dict[str, Any]:
    return yaml.safe_load(NAMES.read_text(encoding="utf-8"))


def provinces() -> list[Province]:
    n = names()
    out = [Province(t, True) for t in n["tinh_thanh_2025"]["thanh_pho"]]
    out += [Province(t, False) for t in n["tinh_thanh_2025"]["tinh"] + n["tinh_truoc_2025"]["tinh"]]
    return out


def _abbrev(name: str) -> str:
    letters = "".join(w[0] for w in name.replace("-", " ").replace(",", " ").split() if w[0].isalpha())
    return unicodedata.normalize("NFC", letters.upper())[:6]


def bodies(province: Province) -> list[Body]:
    """Every body of the list, named as its header prints it in that province."""
    n = names()
    place = province.place
    out: list[Body] = []
    for name in n["nha_nuoc"]:
        out.append(Body(f"{name} {place}", "nha_nuoc", _abbrev(name), chuc_vu="Giám đốc"))
    for name in n["mat_tran_doan_the"]:
        out.append(Body(f"{name} {place}", "mat_tran", _abbrev(name), chuc_vu="Chủ tịch"))
    for name in n["dang"]["co_quan_tham_muu"]:
        party = "TU" if not province.thanh_pho else "THU"
        full = f"{name} {province.cap_uy}"
        out.append(Body(full, "dang", _abbrev(name) + party, cap_tren=province.cap_uy, ten_dau_trang=name))
    for name in n["dang"]["to_chuc_dang"]:
        out.append(Body(f"{name} {place}", "dang", _abbrev(name), cap_tren=province.cap_uy))
    out.append(Body(province.cap_uy, "dang", "TU", chuc_vu="Bí thư"))
    return out


def district_bodies() -> list[tuple[Body, str]]:
    """Bodies of the district level under the long places of the list (Tiên Lữ, Phan Rang - Tháp Chàm)."""
    out = []
    for place, dia_danh in (("huyện Tiên Lữ", "Tiên Lữ"), ("thành phố Phan Rang - Tháp Chàm", "Phan Rang - Tháp Chàm")):
        for name in ["Phòng Văn hóa, Khoa học và Thông tin", "Phòng Lao động - Thương binh và Xã hội"] + names()[
            "mat_tran_doan_the"
        ]:
            out.append((Body(f"{name} {place}", "mat_tran", _abbrev(name), chuc_vu="Chủ tịch"), dia_danh))
    return out


@dataclass
class Case:
    id: str
    data: dict[str, Any]
    bodies: list[Body] = field(default_factory=list)

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.id}.yaml"
        path.write_text(yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path


def document(case_id: str, members: list[Body], lead: int, dia_danh: str, *, doan: int = 1) -> Case:
    codes = [f"CQ{i + 1}" for i in range(len(members))]
    data: dict[str, Any] = {
        "loai": "chuong_trinh",
        "co_quan": [b.record(c, i == lead) for i, (b, c) in enumerate(zip(members, codes, strict=True))],
        "so": 27,
        "ngay": LONGEST_DAY,
        "dia_danh": dia_danh,
        "trich_yeu": "Phối hợp công tác tuyên truyền giai đoạn 2026 - 2030",
        "phan": [
            {
                "ten": "Mục đích, yêu cầu",
                "doan": [
                    "Nâng cao hiệu quả phối hợp công tác tuyên truyền giữa các cơ quan; bảo đảm thông tin "
                    "kịp thời, chính xác, đúng định hướng." + " Nội dung được triển khai thường xuyên." * (i % 3)
                    for i in range(doan)
                ],
            }
        ],
        "ky": [
            {"co_quan": c, "chuc_vu": b.chuc_vu, "ho_ten": f"Nguyễn Văn {chr(65 + i)}"}
            for i, (b, c) in enumerate(zip(members, codes, strict=True))
        ],
        "noi_nhan": ["Thường trực Tỉnh ủy", "Các cơ quan phối hợp"],
        "luu": "VT",
    }
    return Case(case_id, data, members)


def alone() -> list[Case]:
    """Every body under every province as the only issuing body."""
    out = []
    for p in provinces():
        for j, b in enumerate(bodies(p)):
            out.append(document(f"mot-{_slug(p.ten)}-{j}", [b], 0, p.dia_danh))
    for j, (b, dia_danh) in enumerate(district_bodies()):
        out.append(document(f"mot-huyen-{j}", [b], 0, dia_danh))
    return out


def joint(count: int = 400, seed: int = 2026) -> list[Case]:
    """Joint documents of 2–4 bodies of one province, half led by a Party body, half by a State body."""
    rng = random.Random(seed)
    out = []
    all_provinces = provinces()
    for k in range(count):
        p = all_provinces[k % len(all_provinces)]
        pool = bodies(p)
        party = [b for b in pool if b.he_thong == "dang"]
        others = [b for b in pool if b.he_thong != "dang"]
        n = 2 + k % 3
        party_led = k % 2 == 0
        first = rng.choice(party if party_led else others)
        rest = rng.sample([b for b in pool if b is not first], n - 1)
        members = [first, *rest]
        out.append(document(f"lien-tich-{k}", members, 0, p.dia_danh))
    return out


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()
