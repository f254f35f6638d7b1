"""Kind ``bien_ban`` — minutes of a meeting, conference or workshop: the signing ceremony of a coordination
programme and the review conferences (sơ kết, tổng kết) that follow it (the-thuc §3, domain.md §5).

Two forms, chosen by the profile (compose/bien_ban.py): the State form of NĐ 30/2020, Phụ lục III,
Mẫu 1.9 (no date line; "Thời gian bắt đầu", "Địa điểm", …; THƯ KÝ / CHỦ TỌA) and the Party form of
Hướng dẫn 16-HD/VPTW ngày 23/02/2023 (date line; "- Thời gian", …; "1. Thành phần hội nghị" with
computed attendance; NGƯỜI GHI BIÊN BẢN / CHỦ TRÌ HỘI NGHỊ).

Signatures stay in the shared ``ky`` list, so the academic-title and prefix checks of van_ban.py keep
working and stay located: each entry says its role (``vai_tro: thu_ky`` or ``chu_toa``); ``co_quan``
defaults to the lead body. The chair's and the secretary's lead fields are written from these entries.

``co_quan`` may list every participating body: the one marked ``chu_tri`` convenes and keeps the
minutes (header, number), the others are named in the minutes' content and do not sign (only the
secretary and the chair sign). ``the_thuc`` at document level chooses the form for any convener, and
the signature prefixes follow that form (a Party-convened ceremony kept under Mẫu 1.9 signs "TM.").
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .common import Bang, CoQuan, Model, NguoiKy, as_list, needs_time, strings_as
from .van_ban import VanBan, profile_system

HinhThuc = Literal["cuoc_hop", "hoi_nghi", "hoi_thao"]
VaiTro = Literal["thu_ky", "chu_toa"]


class NguoiKyBienBan(NguoiKy):
    """One signer of the minutes: the secretary (``thu_ky``) or the chair (``chu_toa``).

    ``chuc_danh`` is the title written after the name in the lead fields ("Chủ tịch UBND thị xã");
    ``chuc_vu``/``thay_mat`` are optional lines of the signature block (Mẫu 1.9 footnote 5 "Ghi chức vụ
    chính quyền (nếu cần)"; HD16: "T/M …" instead of "CHỦ TRÌ HỘI NGHỊ")."""

    vai_tro: VaiTro
    co_quan: str = ""  # filled with the lead body by BienBan
    chuc_danh: str | None = None
    danh_xung: str | None = None  # "đồng chí" (profile default), "ông", "bà"


class NguoiDuHop(Model):
    """A person named in the minutes (speaker, absentee, attendee-table row)."""

    ho_ten: str = Field(min_length=1)
    chuc_danh: str | None = None
    danh_xung: str | None = None


class VangMat(NguoiDuHop):
    ly_do: str = Field(min_length=1)


class DaiBieuChinhThuc(Model):
    """HD16 "1.1. Đại biểu chính thức": the counts "Có mặt: N đồng chí." / "Vắng mặt: M đồng chí (…)" are
    computed, never typed. Give the names present (``co_mat``), or the total (``tong_so``), or both (then
    they must agree)."""

    co_mat: list[str] = []
    vang_mat: list[VangMat] = []
    tong_so: int | None = Field(default=None, ge=1)  # declared last: its check sees the two lists

    @field_validator("tong_so")
    @classmethod
    def _agree(cls, value: int | None, info: ValidationInfo) -> int | None:
        co_mat, vang_mat = info.data.get("co_mat", []), info.data.get("vang_mat", [])
        if value is None:
            return value
        if value < len(vang_mat):
            raise ValueError(f"tổng số {value} đồng chí ít hơn số vắng mặt ({len(vang_mat)})")
        if co_mat and len(co_mat) + len(vang_mat) != value:
            raise ValueError(
                f"tổng số {value} đồng chí không khớp: {len(co_mat)} có mặt + {len(vang_mat)} vắng mặt"
                f" = {len(co_mat) + len(vang_mat)}"
            )
        return value

    @model_validator(mode="after")
    def _some(self) -> DaiBieuChinhThuc:
        if not self.co_mat and self.tong_so is None:
            raise ValueError('ghi danh sách "co_mat" hoặc "tong_so" để tính số đại biểu có mặt')
        return self

    @property
    def so_co_mat(self) -> int:
        return len(self.co_mat) if self.co_mat else (self.tong_so or 0) - len(self.vang_mat)


class PhatBieu(NguoiDuHop):
    """One speaker's opinions: the speaker (name, title), then paragraphs."""

    doan: list[str] = Field(min_length=1)

    _doan = field_validator("doan", mode="before")(as_list)


class VanBanKy(Model):
    """A document signed at the ceremony ("Chương trình phối hợp … giai đoạn 2021 - 2025")."""

    ten: str = Field(min_length=1)
    so_ky_hieu: str | None = None
    nguoi_ky: list[str] = []  # who signed for each side, as written ("đồng chí …, Trưởng Ban Tuyên giáo")

    _nguoi = field_validator("nguoi_ky", mode="before")(as_list)


class MucDienBien(Model):
    """An agenda item in the order it happened: title, paragraphs, speakers, documents signed, tables."""

    tieu_de: str = Field(min_length=1)
    doan: list[str] = []
    phat_bieu: list[PhatBieu] = []
    van_ban_ky: list[VanBanKy] = []
    bang: list[Bang] = []

    _doan = field_validator("doan", mode="before")(as_list)

    _names = field_validator("van_ban_ky", mode="before")(strings_as("ten"))


class NhiemVu(Model):
    """An assigned task: what, the body in charge, who helps, the deadline (a date or words: "Quý I/2021")."""

    noi_dung: str = Field(min_length=1)
    chu_tri: str = Field(min_length=1)
    phoi_hop: str | None = None
    thoi_han: dt.date | str | None = None


class DaiBieu(NguoiDuHop):
    """A row of the optional attendee table (TT, họ và tên, chức vụ, cơ quan)."""

    co_quan: str | None = None


_TIME = re.compile(r"^(?P<h>\d{1,2})\s*(?::|h|giờ)\s*(?P<m>\d{1,2})?\s*(?:phút)?$", re.IGNORECASE)


class BienBan(VanBan):
    """``trich_yeu`` is the meeting name under "BIÊN BẢN" (Mẫu 1.9 footnote 4); ``ngay`` the date of the
    minutes (Party date line), by default the day the meeting starts."""

    every_body_signs: ClassVar[bool] = False  # participating bodies are listed, only thư ký and chủ tọa sign

    loai: Literal["bien_ban"]
    dia_danh: str = ""  # printed only in the Party form's date line (NĐ 30 Mẫu 1.9 has none)
    hinh_thuc: HinhThuc | None = None  # the one noun of the closing sentence; guessed from the name if absent
    bat_dau: dt.datetime
    ket_thuc: dt.datetime
    dia_diem: str = Field(min_length=1)
    noi_dung: str | None = None  # Party "- Nội dung:" (defaults to the meeting name); State: opening paragraph
    thanh_phan: list[str] = []  # State "Thành phần tham dự"
    dai_bieu_chinh_thuc: DaiBieuChinhThuc | None = None  # Party "1.1."
    dai_bieu_moi: list[str] = []  # Party "1.2. Đại biểu mời dự"
    bao_chi: list[str] = []  # Party "1.3. Thông tin về cơ quan báo chí, truyền hình đưa tin"
    tai_lieu: list[str] = []  # Party "- Tài liệu sử dụng trong hội nghị"
    thong_tin_khac: str | None = None  # Party "- Thông tin khác"
    danh_sach_dai_bieu: list[DaiBieu] = []
    dien_bien: list[MucDienBien] = Field(min_length=1)
    ket_luan: list[str] = []
    nhiem_vu: list[NhiemVu] = []
    loi_ket: list[str] = []  # closing formulas, user text (the-thuc §3.5: never constants)
    ky: list[NguoiKyBienBan] = Field(min_length=1)

    _lists = field_validator("thanh_phan", "dai_bieu_moi", "bao_chi", "tai_lieu", "ket_luan", "loi_ket", mode="before")(
        as_list
    )

    @model_validator(mode="before")
    @classmethod
    def _default_date(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "ngay" in data:
            return data
        start = data.get("bat_dau")
        if isinstance(start, str):  # "2021-01-11 08:00": YAML only reads a timestamp with seconds
            try:
                start = dt.datetime.fromisoformat(start.strip())
            except ValueError:
                return data  # the bat_dau field reports it
        if isinstance(start, dt.datetime):
            return {**data, "ngay": start.date()}
        return data

    _start = field_validator("bat_dau", mode="before")(needs_time("giờ bắt đầu", "2021-01-11 08:00"))

    @field_validator("bat_dau")
    @classmethod
    def _before_the_date(cls, value: dt.datetime, info: ValidationInfo) -> dt.datetime:
        ngay = info.data.get("ngay")
        if isinstance(ngay, dt.date) and ngay < value.date():
            raise ValueError(f"cuộc họp bắt đầu sau ngày lập biên bản (ngay: {ngay.isoformat()})")
        return value

    @field_validator("ket_thuc", mode="before")
    @classmethod
    def _end(cls, value: Any, info: ValidationInfo) -> Any:
        """A full date and time, or only the time ("11:30", "11 giờ 30") on the day the meeting starts."""
        start = info.data.get("bat_dau")
        if isinstance(value, int) and not isinstance(value, bool):  # YAML 1.1 reads 11:30 as 690
            raise ValueError('cần ngày và giờ, ví dụ 2021-01-11 11:30 (hoặc "11:30" trong ngoặc kép)')
        value = needs_time("giờ kết thúc", "2021-01-11 11:30")(value)
        if isinstance(value, str) and isinstance(start, dt.datetime):
            m = _TIME.match(value.strip())
            if m:
                h, mi = int(m["h"]), int(m["m"] or 0)
                if h > 23 or mi > 59:
                    raise ValueError(f'giờ "{value}" không tồn tại')
                return dt.datetime.combine(start.date(), dt.time(h, mi))
        return value

    @field_validator("ket_thuc")
    @classmethod
    def _after_start(cls, value: dt.datetime, info: ValidationInfo) -> dt.datetime:
        start = info.data.get("bat_dau")
        if isinstance(start, dt.datetime) and value <= start:
            raise ValueError(
                f"giờ kết thúc ({value:%H:%M} ngày {value:%d/%m/%Y}) phải sau giờ bắt đầu"
                f" ({start:%H:%M} ngày {start:%d/%m/%Y})"
            )
        return value

    @field_validator("ky")
    @classmethod
    def _roles(cls, value: list[NguoiKyBienBan]) -> list[NguoiKyBienBan]:
        for role, name in (("thu_ky", "thư ký (người ghi biên bản)"), ("chu_toa", "chủ tọa (người chủ trì)")):
            n = sum(k.vai_tro == role for k in value)
            if n != 1:
                raise ValueError(f'cần đúng một {name} ("vai_tro: {role}"), đang có {n}')
        return value

    @model_validator(mode="after")
    def _fill(self) -> BienBan:
        for k in self.ky:
            if not k.co_quan:
                k.co_quan = self.lead.ma
        if self.hinh_thuc is None:
            self.hinh_thuc = guess_hinh_thuc(self.trich_yeu)
        return self

    def prefix_system(self, body: CoQuan, base_dir: Path) -> str:
        """The secretary and the chair sign in the form of the minutes, whichever body they belong to: the
        document's ``the_thuc``, else the convener's (a Party body's chair signs "TM." in Mẫu 1.9, a State
        body's "T/M" in HD16; compose/bien_ban.py form_bodies makes the same choice)."""
        form = self.the_thuc or self.lead.the_thuc
        return profile_system(form, base_dir) or self.lead.he_thong or "nha_nuoc"

    @property
    def participants(self) -> list[CoQuan]:
        """The bodies other than the convener (the lead), in the order written."""
        lead = self.lead
        return [b for b in self.co_quan if b is not lead]

    def signer(self, role: VaiTro) -> NguoiKyBienBan:
        return next(k for k in self.ky if k.vai_tro == role)


def guess_hinh_thuc(name: str) -> HinhThuc:
    """The noun from the meeting name: "Hội thảo …" → hội thảo; "Hội nghị …", "Lễ …" → hội nghị; else cuộc họp."""
    low = name.lower()
    if low.startswith("hội thảo"):
        return "hoi_thao"
    if low.startswith(("hội nghị", "lễ ")):
        return "hoi_nghi"
    return "cuoc_hop"
