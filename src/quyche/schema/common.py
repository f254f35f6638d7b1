"""Stage 2 — validate: shared models and the translation of pydantic errors into located diagnostics.

Models use the YAML keys as field names (Vietnamese snake_case), forbid unknown keys (so a typo
gets "Có phải ý bạn là …?"), and never see raw YAML: they receive the normalized tree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import Diagnostic
from ..normalize import parse_typed_date
from ..source import PathKey, SourceMap

HeThong = Literal["dang", "nha_nuoc", "mat_tran"]
HE_THONG_TEN = {"dang": "Đảng", "nha_nuoc": "Nhà nước", "mat_tran": "Mặt trận"}


class Model(BaseModel):
    # defer_build: a model is compiled on first use, so one validation pays only for its own kind
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False, defer_build=True)


def as_list(value: Any) -> Any:
    """A single string where a list is expected becomes a one-item list (a clerk's shorthand)."""
    return [value] if isinstance(value, str) else value


def strings_as(key: str):
    """A before-validator for a list of records where a plain string is shorthand for ``{key: string}``."""

    def wrap(value: Any) -> Any:
        if isinstance(value, list):
            return [{key: v} if isinstance(v, str) else v for v in value]
        return value

    return wrap


def needs_time(what: str, example: str):
    """A before-validator refusing a bare date where a date and a clock time are needed."""

    def check(value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            raise ValueError(f"cần cả {what}, ví dụ {example}")
        return value

    return check


class NguoiKyMau(Model):
    """A body's usual signer in a roster: used when a batch composes that body's signature block."""

    thay_mat: str | None = Field(
        default=None,
        title="Thay mặt",
        description='Tập thể mà người ký thay mặt: "Ủy ban nhân dân" → "TM. ỦY BAN NHÂN DÂN" (Đảng: "T/M").',
        examples=["Ủy ban nhân dân", "Ban Thường vụ"],
    )
    quyen: str | None = Field(
        default=None,
        title="Quyền",
        description='Chức vụ được giao quyền: "Giám đốc" → "Q. GIÁM ĐỐC" (chỉ văn bản nhà nước).',
    )
    ky_thay: str | None = Field(
        default=None,
        title="Ký thay",
        description='Người đứng đầu mà cấp phó ký thay: "Chủ tịch" → "KT. CHỦ TỊCH" (Đảng: "K/T").',
        examples=["Chủ tịch", "Trưởng ban"],
    )
    thua_lenh: str | None = Field(
        default=None,
        title="Thừa lệnh",
        description='Người đứng đầu mà người ký thừa lệnh: "TL. GIÁM ĐỐC" (Đảng: "T/L").',
    )
    thua_uy_quyen: str | None = Field(
        default=None,
        title="Thừa ủy quyền",
        description='Người đứng đầu đã ủy quyền: "TUQ. GIÁM ĐỐC" (chỉ văn bản nhà nước).',
    )
    chuc_vu: list[str] | None = Field(
        default=None,
        title="Chức vụ",
        description="Chức vụ của người ký, in hoa trên khối chữ ký; một hoặc nhiều dòng.",
        examples=["Trưởng ban", "Phó Chủ tịch"],
    )
    ho_ten: str = Field(
        min_length=1,
        title="Họ và tên",
        description="Họ tên người ký, không kèm học hàm, học vị (NĐ 30/2020, Phụ lục I, II.7.c).",
        examples=["Trần Văn Hiệp"],
    )

    _lists = field_validator("chuc_vu", mode="before")(as_list)


class CoQuan(Model):
    """An issuing body (cơ quan ban hành) as written in a document or in a roster (danh mục)."""

    # Built at import, not deferred: every document and every roster validates bodies, and the models that hold
    # one (each kind, DanhMuc) reuse this built schema instead of building it again each (start-up of validate).
    model_config = ConfigDict(defer_build=False)  # (merged with Model's)

    ma: str = Field(
        min_length=1,
        title="Mã",
        description="Mã cơ quan dùng trong tệp này (ky: co_quan: …) và trong danh mục.",
        examples=["UBND", "BTGTU"],
    )
    he_thong: HeThong | None = Field(
        default=None,
        title="Hệ thống",
        description="dang (HD 36-HD/VPTW), nha_nuoc (NĐ 30/2020) hoặc mat_tran: thể thức đầu trang, số, chữ ký.",
        examples=["nha_nuoc", "dang"],
    )
    ten: str | None = Field(
        default=None,
        title="Tên đầy đủ",
        description="Tên đầy đủ của cơ quan, dùng trong câu văn và sổ đăng ký.",
        examples=["Ủy ban nhân dân tỉnh Lâm Đồng"],
    )
    ten_dau_trang: list[str] | None = Field(
        default=None,
        min_length=1,
        title="Tên trên đầu trang",
        description='Các dòng tên cơ quan ở ô 2 đầu trang; "|" trong một dòng là chỗ được xuống dòng.',
        examples=[["Ủy ban nhân dân", "tỉnh Lâm Đồng"]],
    )  # header lines; "|" = may break here
    cap_tren: list[str] | None = Field(
        default=None,
        title="Cơ quan cấp trên",
        description="Dòng tên cơ quan chủ quản trực tiếp, in trên tên cơ quan ban hành.",
        examples=["Tỉnh ủy Lâm Đồng"],
    )
    viet_tat: str | None = Field(
        default=None,
        title="Chữ viết tắt",
        description="Chữ viết tắt của cơ quan trong ký hiệu văn bản và sổ đăng ký.",
        examples=["UBND", "BTGTU"],
    )
    chu_tri: bool = Field(
        default=False,
        title="Chủ trì",
        description="Cơ quan chủ trì văn bản liên tịch: số và đầu trang theo thể thức của cơ quan này.",
    )
    the_thuc: str | None = Field(
        default=None,
        title="Thể thức",
        description="Bộ thể thức riêng của cơ quan (mặc định theo hệ thống).",
        examples=["nd30-2020", "hd36-2018"],
    )
    hieu_luc_tu: dt.date | None = Field(
        default=None,
        title="Hiệu lực từ",
        description="Ngày tên này bắt đầu dùng (danh mục có nhiều tên của một cơ quan sau sắp xếp).",
    )
    ghi_chu: str | None = Field(
        default=None, title="Ghi chú", description="Ghi chú của người lập danh mục; không in ra văn bản."
    )
    chuc_vu_truong: str | None = Field(
        default=None,
        title="Chức vụ người đứng đầu",
        description="Chức vụ người đứng đầu, dùng trong giấy mời của bộ văn bản.",
        examples=["Trưởng phòng", "Giám đốc"],
    )  # head's title ("Trưởng phòng", "Giám đốc"), for invitations
    chuc_vu_pho: str | None = Field(
        default=None,
        title="Chức vụ cấp phó",
        description="Chức vụ cấp phó của người đứng đầu.",
        examples=["Phó Trưởng phòng"],
    )
    nguoi_ky: NguoiKyMau | None = Field(
        default=None, title="Người ký thường lệ", description="Người ký của cơ quan khi bộ văn bản tự dựng khối chữ ký."
    )
    thay_the: list[str] | None = Field(
        default=None, title="Thay cho", description="Tên các cơ quan mà cơ quan này thay thế sau sắp xếp năm 2025."
    )  # names of the bodies it replaced (2025 reorganisation, schema/sap_xep.py)

    _lists = field_validator("ten_dau_trang", "cap_tren", "thay_the", mode="before")(as_list)


class DanhMuc(Model):
    """A roster file: one list of bodies that many documents reference by ``ma``."""

    danh_muc: Literal["co_quan"] = Field(
        default="co_quan", title="Loại danh mục", description="Luôn là co_quan: tệp này là danh mục cơ quan."
    )
    co_quan: list[CoQuan] = Field(title="Các cơ quan", description="Các cơ quan của danh mục.")


class NguoiKy(NguoiKyMau):
    """One signature block (NĐ 30/2020, Phụ lục I, II.7; HD36 1.7.1): a roster signer plus its body."""

    co_quan: str = Field(
        title="Cơ quan", description="Mã cơ quan của khối chữ ký này (một mã trong co_quan).", examples=["UBND"]
    )
    cho_phep_hoc_ham: bool = Field(
        default=False,
        title="Cho phép học hàm",
        description="Ngành được phép ghi học hàm, học vị trước họ tên người ký.",
    )


class Diem(Model):
    noi_dung: str = Field(min_length=1, title="Nội dung", description="Nội dung của điểm a), b), c)…")


class Khoan(Model):
    """A numbered item "1." (Party "1-"): optional bold title, text, points a) b) …, dash items "- "."""

    tieu_de: str | None = Field(
        default=None, title="Tiêu đề", description="Tiêu đề in đậm của khoản (không bắt buộc).", examples=["Mục đích"]
    )
    noi_dung: str | None = Field(
        default=None, title="Nội dung", description='Nội dung của khoản "1." (văn bản Đảng: "1-").'
    )
    diem: list[Diem] = Field(
        default=[], title="Các điểm", description="Các điểm a), b), c)… của khoản; mỗi điểm một chuỗi."
    )
    gach: list[str] = Field(default=[], title="Gạch đầu dòng", description='Các dòng "- " của khoản.')

    _wrap_diem = field_validator("diem", mode="before")(strings_as("noi_dung"))

    @model_validator(mode="after")
    def _not_empty(self) -> Khoan:
        if not (self.tieu_de or self.noi_dung or self.diem or self.gach):
            raise ValueError("khoản trống")
        return self


class Bang(Model):
    """A simple table: header row and rows of cells (text)."""

    tieu_de: str | None = Field(default=None, title="Tiêu đề bảng", description="Dòng tiêu đề in trên bảng.")
    cot: list[str] = Field(
        min_length=1,
        title="Cột",
        description="Tên các cột (hàng đầu của bảng).",
        examples=[["TT", "Nội dung", "Thời gian"]],
    )
    dong: list[list[str | int | float | None]] = Field(
        default=[], title="Các hàng", description="Các hàng của bảng, mỗi hàng một danh sách ô."
    )
    do_rong: list[float] | None = Field(
        default=None, title="Độ rộng cột", description="Độ rộng tương đối của các cột.", examples=[[1, 6, 3]]
    )  # relative column widths

    @field_validator("dong", mode="before")
    @classmethod
    def _cells(cls, value: Any) -> Any:
        return value


class NoiDung(Model):
    """A titled block of body content — an article (Điều), a part (phần I, II …): paragraphs, numbered
    items (khoản) with points, tables."""

    label: ClassVar[str] = "mục"
    ten: str = Field(min_length=1, title="Tên", description="Tên của điều hoặc phần.")
    doan: list[str] = Field(default=[], title="Đoạn văn", description="Các đoạn văn không đánh số.")
    khoan: list[Khoan] = Field(
        default=[],
        title="Các khoản",
        description='Các khoản "1.", "2."…; mỗi khoản một chuỗi, hoặc một bảng có tiêu đề, nội dung, điểm.',
    )
    bang: list[Bang] = Field(default=[], title="Bảng", description="Các bảng.")

    _khoan = field_validator("khoan", mode="before")(strings_as("noi_dung"))
    _doan = field_validator("doan", mode="before")(as_list)

    @model_validator(mode="after")
    def _content(self) -> NoiDung:
        if not (self.doan or self.khoan or self.bang):
            raise ValueError(f'{self.label} không có nội dung (cần "doan" hoặc "khoan")')
        return self


def coerce_date(value: Any) -> Any:
    """Accept a real date; a typed date string is parsed (the caller warns, ngay-go-tay)."""
    if isinstance(value, str):
        parsed = parse_typed_date(value)
        if parsed is not None:
            return parsed
    return value


# --- pydantic errors → located diagnostics ---------------------------------------------------------

_TYPE_TEXT = {
    "string_type": "cần một chuỗi ký tự",
    "int_type": "cần một số nguyên",
    "int_parsing": "cần một số nguyên",
    "bool_type": "cần true hoặc false",
    "bool_parsing": "cần true hoặc false",
    "list_type": 'cần một danh sách (mỗi mục bắt đầu bằng "- ")',
    "dict_type": "cần một bảng khóa: giá trị",
    "model_type": "cần một bảng khóa: giá trị",
    "model_attributes_type": "cần một bảng khóa: giá trị",
    "date_type": "cần một ngày dạng năm-tháng-ngày, ví dụ 2021-01-05",
    "date_parsing": "cần một ngày dạng năm-tháng-ngày, ví dụ 2021-01-05",
    "date_from_datetime_parsing": "cần một ngày dạng năm-tháng-ngày, ví dụ 2021-01-05",
    "string_too_short": "không được để trống",
    "too_short": "cần ít nhất một mục",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "greater_than": "phải lớn hơn {gt}",
    "float_type": "cần một số",
    "float_parsing": "cần một số",
}


def pydantic_diagnostics(
    exc: ValidationError, smap: SourceMap, model: type[BaseModel], prefix: PathKey = ()
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for err in exc.errors():
        loc: PathKey = (*prefix, *err["loc"])
        kind = err["type"]
        field_name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "văn bản")
        parent = _parent_name(loc)
        if kind == "extra_forbidden":
            allowed = _allowed_keys(model, err["loc"])
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.5)
            hint = (
                f'Có phải ý bạn là "{close[0]}"?'
                if close
                else ("các trường được phép: " + ", ".join(allowed) if allowed else None)
            )
            out.append(
                Diagnostic.make("truong-la", smap.locate(loc, key=True), field=loc[-1], parent=parent, hint=hint)
            )
        elif kind == "missing":
            out.append(Diagnostic.make("thieu-truong", smap.locate(loc[:-1]), field=loc[-1], parent=parent))
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            out.append(
                Diagnostic.make(
                    "gia-tri-khong-hop-le",
                    smap.locate(loc),
                    value=err.get("input"),
                    field=field_name,
                    choices=expected.replace("'", '"'),
                )
            )
        else:
            template = _TYPE_TEXT.get(kind)
            if template:
                detail = template.format(**err.get("ctx", {}))
            else:
                detail = re.sub(r"^Value error, ", "", err["msg"])
            out.append(Diagnostic.make("sai-kieu", smap.locate(loc), field=field_name, detail=detail))
    return out


def _parent_name(loc: PathKey) -> str:
    names = [str(p) for p in loc[:-1] if isinstance(p, str)]
    return names[-1] if names else "văn bản"


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model that owns the unknown key at ``loc``."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
