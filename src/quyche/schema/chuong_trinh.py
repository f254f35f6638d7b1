"""Kind ``chuong_trinh`` — chương trình phối hợp (coordination programme), for a period ("giai đoạn
2021 - 2025") or a year ("năm 2019"), organised as Roman-numbered parts (I. Mục đích, yêu cầu;
II. Nội dung phối hợp; III. Tổ chức thực hiện …) — domain.md §2.2. Section titles are data."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .common import NoiDung
from .van_ban import VanBan


class Phan(NoiDung):
    """A part "I. TÊN PHẦN" with paragraphs, numbered items (khoản "1.") and tables."""

    label: ClassVar[str] = "phần"


class ChuongTrinh(VanBan):
    loai: Literal["chuong_trinh"] = Field(title="Loại văn bản", description="Luôn là chuong_trinh.")
    mo_dau: str | None = Field(default=None, title="Câu mở đầu", description="Đoạn trước phần I.")
    phan: list[Phan] = Field(
        min_length=1,
        title="Các phần",
        description="Các phần I, II, III… (Mục đích, yêu cầu; Nội dung; Tổ chức thực hiện).",
    )
