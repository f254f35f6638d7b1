"""Kind ``giay_moi`` — giấy mời (NĐ 30/2020, Phụ lục III, Mẫu 1.7; Party number form "Số 27-GM/BTGTU").

One invitation to one invitee (``kinh_moi``), or one with a "Thành phần mời" list (``thanh_phan``).
The weekday is computed from the date and the time is phrased by the profile (the-thuc §4.4)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

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

    @field_validator("ghi_chu", "thanh_phan", mode="before")
    @classmethod
    def _one(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("thoi_gian", mode="before")
    @classmethod
    def _datetime(cls, value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            raise ValueError("cần cả giờ, ví dụ 2019-03-15 14:00")
        return value

    @model_validator(mode="after")
    def _who(self) -> GiayMoi:
        if bool(self.kinh_moi) == bool(self.thanh_phan):
            raise ValueError('ghi người được mời ("kinh_moi") hoặc danh sách "thanh_phan", không cả hai')
        return self
