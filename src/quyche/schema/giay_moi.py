"""Kind ``giay_moi`` — giấy mời (NĐ 30/2020, Phụ lục III, Mẫu 1.7; Party number form "Số 27-GM/BTGTU").

One invitation to one invitee (``kinh_moi``), or one with a "Thành phần mời" list (``thanh_phan``).
The weekday is computed from the date and the time is phrased by the profile (the-thuc §4.4)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .common import as_list, needs_time
from .van_ban import VanBan


class GiayMoi(VanBan):
    loai: Literal["giay_moi"]
    trich_yeu: str = ""  # Mẫu 1.7: the subject line is optional; the event says what it is about
    kinh_moi: str | None = None
    thanh_phan: list[str] = []
    su_kien: str = Field(min_length=1)
    nguoi_chu_tri: str | None = None
    thoi_gian: dt.datetime
    thoi_luong: str | None = None  # "½ ngày"
    dia_diem: str = Field(min_length=1)
    ghi_chu: list[str] = []
    loi_ket: str | None = None

    _lists = field_validator("ghi_chu", "thanh_phan", mode="before")(as_list)
    _datetime = field_validator("thoi_gian", mode="before")(needs_time("giờ", "2019-03-15 14:00"))

    @model_validator(mode="after")
    def _who(self) -> GiayMoi:
        if bool(self.kinh_moi) == bool(self.thanh_phan):
            raise ValueError('ghi người được mời ("kinh_moi") hoặc danh sách "thanh_phan", không cả hai')
        return self
