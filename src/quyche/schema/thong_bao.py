"""Kind ``thong_bao`` — thông báo kết luận of a conference: how it was held (``mo_dau``), the conclusions in
numbered parts or paragraphs, and an optional closing line ("… trân trọng thông báo."; the-thuc §4.3)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import field_validator, model_validator

from .common import NoiDung, as_list
from .van_ban import VanBan


class PhanThongBao(NoiDung):
    label: ClassVar[str] = "phần"


class ThongBao(VanBan):
    loai: Literal["thong_bao"]
    mo_dau: str | None = None
    doan: list[str] = []
    phan: list[PhanThongBao] = []
    loi_ket: str | None = None

    _lists = field_validator("doan", mode="before")(as_list)

    @model_validator(mode="after")
    def _content(self) -> ThongBao:
        if not (self.doan or self.phan):
            raise ValueError('thông báo không có nội dung (cần "doan" hoặc "phan")')
        return self
