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
    ten: str = Field(min_length=1, title="Tên mục", description="Tên của mục trong chương.")
    dieu: list[Dieu] = Field(min_length=1, title="Các điều", description="Các điều của mục.")


class Chuong(Model):
    ten: str = Field(
        min_length=1,
        title="Tên chương",
        description="Tên chương (số chương I, II… được đánh tự động).",
        examples=["Những quy định chung"],
    )
    dieu: list[Dieu] = Field(
        default=[], title="Các điều", description="Các điều của chương (Điều 1, 2… đánh số liên tục)."
    )
    muc: list[Muc] = Field(default=[], title="Các mục", description="Các mục của chương, khi chương chia mục.")

    @model_validator(mode="after")
    def _content(self) -> Chuong:
        if not (self.dieu or self.muc):
            raise ValueError("chương không có điều nào")
        return self


class QuyChe(VanBan):
    loai: Literal["quy_che"] = Field(title="Loại văn bản", description="Luôn là quy_che.")
    mo_dau: str | None = Field(
        default=None,
        title="Câu mở đầu",
        description="Câu trước chương đầu tiên.",
        examples=["… thống nhất ban hành Quy chế phối hợp công tác như sau:"],
    )
    chuong: list[Chuong] = Field(min_length=1, title="Các chương", description="Các chương của quy chế.")
