"""Kind ``ke_hoach`` — kế hoạch (plan) to carry out a coordination agreement: Roman-numbered parts
(I. Mục đích, yêu cầu; II. Nội dung; III. Tổ chức thực hiện) and tables of tasks with the lead body, the
partners and the deadline (domain.md §2.2; NĐ 30/2020, Phụ lục I, II.6.đ for the headings)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from .common import Model, NoiDung
from .van_ban import VanBan


class NhiemVu(Model):
    """One row of the task table: what, who leads, who takes part, by when."""

    noi_dung: str = Field(min_length=1)
    chu_tri: str | None = None
    phoi_hop: str | None = None
    thoi_gian: str | None = None


class PhanKeHoach(NoiDung):
    """A part "I. TÊN PHẦN": paragraphs, numbered items, tables, and a task table (``nhiem_vu``)."""

    label: ClassVar[str] = "phần"
    nhiem_vu: list[NhiemVu] = []

    @model_validator(mode="after")
    def _content(self) -> PhanKeHoach:  # replaces NoiDung's check: a part may be only a task table
        if not (self.doan or self.khoan or self.bang or self.nhiem_vu):
            raise ValueError('phần không có nội dung (cần "doan", "khoan" hoặc "nhiem_vu")')
        return self


class KeHoach(VanBan):
    loai: Literal["ke_hoach"]
    mo_dau: str | None = None
    phan: list[PhanKeHoach] = Field(min_length=1)
