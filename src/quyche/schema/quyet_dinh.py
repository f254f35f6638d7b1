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

    ten_loai: str = Field(
        default="Quy chế", title="Tên loại", description="Tên loại văn bản ban hành kèm theo.", examples=["Quy chế"]
    )
    trich_yeu: str = Field(min_length=1, title="Trích yếu", description="Trích yếu của văn bản kèm theo.")
    chuong: list[Chuong] = Field(min_length=1, title="Các chương", description="Các chương của văn bản kèm theo.")


class QuyetDinh(VanBan):
    loai: Literal["quyet_dinh"] = Field(title="Loại văn bản", description="Luôn là quyet_dinh.")
    tham_quyen: str = Field(
        min_length=1,
        title="Thẩm quyền",
        description="Người, tập thể có thẩm quyền ban hành.",
        examples=["Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng"],
    )  # "Chủ tịch Ủy ban nhân dân tỉnh …", "Ban Thường vụ Tỉnh ủy"
    dieu: list[DieuQuyetDinh] = Field(min_length=1, title="Các điều", description="Các điều của quyết định.")
    kem_theo: VanBanKemTheo | None = Field(
        default=None, title="Văn bản kèm theo", description="Văn bản ban hành kèm theo quyết định."
    )
