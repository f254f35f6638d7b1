"""Kind ``bao_cao`` — báo cáo sơ kết / tổng kết of a coordination agreement: results, limits and causes,
lessons, directions, in Roman-numbered parts with figure tables; "Kính gửi" when sent to a superior
(NĐ 30/2020, Phụ lục I, II.9.b: báo cáo to a superior uses both Kính gửi and Nơi nhận)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator

from .common import NoiDung, as_list
from .van_ban import VanBan


class PhanBaoCao(NoiDung):
    label: ClassVar[str] = "phần"


class BaoCao(VanBan):
    loai: Literal["bao_cao"]
    kinh_gui: list[str] = []
    mo_dau: str | None = None
    phan: list[PhanBaoCao] = Field(min_length=1)

    _lists = field_validator("kinh_gui", mode="before")(as_list)
