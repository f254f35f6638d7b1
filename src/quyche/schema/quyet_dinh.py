"""Kind ``quyet_dinh`` — quyết định ban hành (NĐ 30/2020, Phụ lục III, Mẫu 1.1–1.2; Party: HD 36):
the issuing authority line, căn cứ, "QUYẾT ĐỊNH:", Điều 1–n; and the regulation it issues (``kem_theo``)
composed after it under "(Ban hành kèm theo Quyết định số … ngày … của …)", with no number of its own."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .common import Model, NoiDung
from .quy_che import Chuong
from .van_ban import VanBan


class DieuQuyetDinh(NoiDung):
    label: ClassVar[str] = "điều"


class VanBanKemTheo(Model):
    """The regulation a decision issues: its type name, subject and chapters (as a quy chế)."""

    ten_loai: str = "Quy chế"
    trich_yeu: str = Field(min_length=1)
    chuong: list[Chuong] = Field(min_length=1)


class QuyetDinh(VanBan):
    loai: Literal["quyet_dinh"]
    tham_quyen: str = Field(min_length=1)  # "Chủ tịch Ủy ban nhân dân tỉnh …", "Ban Thường vụ Tỉnh ủy"
    dieu: list[DieuQuyetDinh] = Field(min_length=1)
    kem_theo: VanBanKemTheo | None = None
