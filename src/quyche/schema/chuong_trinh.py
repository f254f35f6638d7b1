"""Kind ``chuong_trinh`` — chương trình phối hợp (coordination programme), for a period ("giai đoạn
2021 - 2025") or a year ("năm 2019"), organised as Roman-numbered parts (I. Mục đích, yêu cầu;
II. Nội dung phối hợp; III. Tổ chức thực hiện …) — domain.md §2.2. Section titles are data."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .common import Bang, Khoan, Model, wrap_khoan
from .van_ban import VanBan


class Phan(Model):
    """A part "I. TÊN PHẦN" with paragraphs, numbered items (khoản "1.") and tables."""

    ten: str = Field(min_length=1)
    doan: list[str] = []
    khoan: list[Khoan] = []
    bang: list[Bang] = []

    _khoan = field_validator("khoan", mode="before")(wrap_khoan)

    @field_validator("doan", mode="before")
    @classmethod
    def _one(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _content(self) -> Phan:
        if not (self.doan or self.khoan or self.bang):
            raise ValueError("phần không có nội dung (cần \"doan\" hoặc \"khoan\")")
        return self


class ChuongTrinh(VanBan):
    loai: Literal["chuong_trinh"]
    mo_dau: str | None = None
    phan: list[Phan] = Field(min_length=1)
