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
    loai: Literal["giay_moi"] = Field(title="Loại văn bản", description="Luôn là giay_moi.")
    trich_yeu: str = Field(
        default="", title="Trích yếu", description="Trích yếu (không bắt buộc với giấy mời: sự kiện đã nói nội dung)."
    )  # Mẫu 1.7: the subject line is optional; the event says what it is about
    kinh_moi: str | None = Field(
        default=None,
        title="Kính mời",
        description="Người hoặc cơ quan được mời (một giấy mời cho một nơi).",
        examples=["Lãnh đạo Phòng Y tế huyện"],
    )
    thanh_phan: list[str] = Field(
        default=[], title="Thành phần mời", description='Danh sách "Thành phần mời" khi mời nhiều nơi.'
    )
    su_kien: str = Field(
        min_length=1,
        title="Sự kiện",
        description="Tên sự kiện, hội nghị được mời dự.",
        examples=["Lễ ký kết Chương trình phối hợp công tác năm 2025"],
    )
    nguoi_chu_tri: str | None = Field(default=None, title="Người chủ trì", description="Người chủ trì sự kiện.")
    thoi_gian: dt.datetime = Field(
        title="Thời gian",
        description="Ngày và giờ bắt đầu; thứ trong tuần được tính tự động.",
        examples=["2025-03-14 14:00"],
    )
    thoi_luong: str | None = Field(
        default=None, title="Thời lượng", description="Thời lượng sự kiện.", examples=["½ ngày"]
    )  # "½ ngày"
    dia_diem: str = Field(min_length=1, title="Địa điểm", description="Nơi tổ chức.", examples=["Hội trường Huyện ủy"])
    ghi_chu: list[str] = Field(default=[], title="Ghi chú", description="Các dòng lưu ý cho người được mời.")
    loi_ket: str | None = Field(
        default=None, title="Lời kết", description="Câu cuối giấy mời.", examples=["Rất mong đồng chí đến dự đúng giờ"]
    )

    _lists = field_validator("ghi_chu", "thanh_phan", mode="before")(as_list)
    _datetime = field_validator("thoi_gian", mode="before")(needs_time("giờ", "2019-03-15 14:00"))

    @model_validator(mode="after")
    def _who(self) -> GiayMoi:
        if bool(self.kinh_moi) == bool(self.thanh_phan):
            raise ValueError('ghi người được mời ("kinh_moi") hoặc danh sách "thanh_phan", không cả hai')
        return self
