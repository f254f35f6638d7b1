"""Kind ``quy_che`` — quy chế phối hợp (coordination regulation): chapters → articles → clauses → points."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .common import Bang, Khoan, Model, wrap_khoan
from .van_ban import VanBan


class Dieu(Model):
    """An article: "Điều n. Tên" then paragraphs, clauses (khoản) with points (điểm), tables."""

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
    def _content(self) -> Dieu:
        if not (self.doan or self.khoan or self.bang):
            raise ValueError('điều không có nội dung (cần "doan" hoặc "khoan")')
        return self


class Muc(Model):
    ten: str = Field(min_length=1)
    dieu: list[Dieu] = Field(min_length=1)


class Chuong(Model):
    ten: str = Field(min_length=1)
    dieu: list[Dieu] = []
    muc: list[Muc] = []

    @model_validator(mode="after")
    def _content(self) -> Chuong:
        if not (self.dieu or self.muc):
            raise ValueError("chương không có điều nào")
        return self


class QuyChe(VanBan):
    loai: Literal["quy_che"]
    mo_dau: str | None = None
    chuong: list[Chuong] = Field(min_length=1)
