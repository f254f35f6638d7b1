"""Kind ``cong_van`` — công văn: no type name; the subject ("V/v …", Party "về việc …") under the number
(ô 5b); "Kính gửi:" (ô 9a); the body; "Nơi nhận" opening with "Như trên" (NĐ 30/2020, Phụ lục I, II.5.b,
II.9; Mẫu 1.5; the-thuc §1.8). The ký hiệu is the body's abbreviation and the drafting unit's ("UBND-VX";
Party "CV/BTGTU")."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from .common import Bang, Khoan, as_list, strings_as
from .van_ban import VanBan


class CongVan(VanBan):
    loai: Literal["cong_van"]
    don_vi: str | None = None  # the drafting unit's abbreviation in the ký hiệu ("VX" → "Số: 12/UBND-VX")
    kinh_gui: list[str] = Field(min_length=1)
    doan: list[str] = []
    khoan: list[Khoan] = []
    bang: list[Bang] = []
    loi_ket: str | None = None

    _lists = field_validator("kinh_gui", "doan", mode="before")(as_list)
    _khoan = field_validator("khoan", mode="before")(strings_as("noi_dung"))

    @model_validator(mode="after")
    def _content(self) -> CongVan:
        if not (self.doan or self.khoan or self.bang):
            raise ValueError('công văn không có nội dung (cần "doan" hoặc "khoan")')
        return self
