"""Kind ``quy_che`` — quy chế phối hợp (coordination regulation): chapters → articles → clauses → points."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from .common import Model, NoiDung
from .van_ban import VanBan


class Dieu(NoiDung):
    """An article: "Điều n. Tên" then paragraphs, clauses (khoản) with points (điểm), tables."""

    label: ClassVar[str] = "điều"


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
