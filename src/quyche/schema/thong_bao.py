"""Kind ``thong_bao`` — thông báo kết luận of a conference: how it was held (``mo_dau``), the conclusions in
numbered parts or paragraphs, and an optional closing line ("… trân trọng thông báo."; the-thuc §4.3)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from .common import NoiDung, as_list
from .van_ban import VanBan


class PhanThongBao(NoiDung):
    label: ClassVar[str] = "phần"


class ThongBao(VanBan):
    loai: Literal["thong_bao"] = Field(title="Loại văn bản", description="Luôn là thong_bao.")
    mo_dau: str | None = Field(default=None, title="Câu mở đầu", description="Đoạn mở đầu.")
    doan: list[str] = Field(default=[], title="Đoạn văn", description="Các đoạn văn.")
    phan: list[PhanThongBao] = Field(default=[], title="Các phần", description="Các phần của thông báo.")
    loi_ket: str | None = Field(default=None, title="Lời kết", description="Câu cuối thông báo.")

    _lists = field_validator("doan", mode="before")(as_list)

    @model_validator(mode="after")
    def _content(self) -> ThongBao:
        if not (self.doan or self.phan):
            raise ValueError('thông báo không có nội dung (cần "doan" hoặc "phan")')
        return self
