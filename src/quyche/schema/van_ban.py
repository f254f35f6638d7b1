"""Fields every document kind shares (header, number, date, signatures, recipients) and the
cross-field checks that need the source map: roster references, the lead body, signature prefixes
of each system, academic titles, typed dates."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, StrictInt, ValidationError, field_validator

from ..errors import Diagnostic, DiagnosticError, DiagnosticList
from ..files import InputFileError, check_regular, resolve_named
from ..messages import PREFIX_HINTS
from ..normalize import normalize_tree
from ..profile import ProfileError, load_profile
from ..source import SourceMap, load_source
from .common import (
    HE_THONG_TEN,
    Bang,
    CoQuan,
    DanhMuc,
    Model,
    NguoiKy,
    as_list,
    coerce_date,
    pydantic_diagnostics,
)
from .dau_trang import check_shared_header
from .phat_hanh import DO_KHAN_FIELD, HAN_TRA_LOI_FIELD, SO_BAN_FIELD, check_phat_hanh, do_khan_key
from .sap_xep import check_reorganisation


class PhuLuc(Model):
    """An appendix (NĐ 30/2020, Phụ lục I, III.1)."""

    ten: str = Field(min_length=1, title="Tên phụ lục", description="Tên của phụ lục (đánh số trang lại từ 1).")
    doan: list[str] = Field(default=[], title="Đoạn văn", description="Các đoạn văn của phụ lục.")
    bang: list[Bang] = Field(default=[], title="Bảng", description="Các bảng của phụ lục.")

    @field_validator("doan", mode="before")
    @classmethod
    def _one(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class DauTrangChung(Model):
    """Bodies sharing one header block (the-thuc §1.14; "THƯỜNG TRỰC / HĐND - UBND TỈNH …",
    "UBND - UBMTTQ / TỈNH …"): printed once in ô 2, each body still signing its own block."""

    co_quan: list[str] = Field(
        default=[], title="Các cơ quan", description="Mã các cơ quan dùng chung khối đầu trang (bỏ trống: mọi cơ quan)."
    )  # the codes of the bodies it stands for; empty = every body of the document
    cap_tren: list[str] | None = Field(
        default=None, title="Cơ quan cấp trên", description="Dòng cơ quan cấp trên của khối chung."
    )  # parent lines above it (default: the first body's)
    dong: list[str] = Field(
        min_length=1,
        title="Các dòng",
        description='Các dòng của khối đầu trang chung; "|" là chỗ được xuống dòng.',
        examples=[["Thường trực", "HĐND - UBND tỉnh Hòa Bình"]],
    )  # its lines, top to bottom; "|" inside a line = may break here

    _lists = field_validator("co_quan", "cap_tren", "dong", mode="before")(as_list)

    def co_quan_ma(self, doc: VanBan) -> list[str]:
        return self.co_quan or [c.ma for c in doc.co_quan]


def _shared_header(value: Any) -> Any:
    """``dau_trang_chung: [line, line]`` (every body) or one group as a mapping: a list of groups."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [{"dong": value}]
    if isinstance(value, dict):
        return [value]
    return value


class VanBan(Model):
    # Every issuing body signs its own block (the-thuc §1.14); minutes list participating bodies that do not.
    every_body_signs: ClassVar[bool] = True

    loai: str = Field(title="Loại văn bản", description="quy_che, chuong_trinh, giay_moi hoặc bien_ban.")
    the_thuc: str | None = Field(
        default=None,
        title="Thể thức",
        description="Bộ thể thức cho cả văn bản (mặc định: theo hệ thống của từng cơ quan).",
        examples=["nd30-2020", "hd36-2018"],
    )
    the_thuc_tuy_chinh: dict[str, Any] = Field(
        default={},
        title="Tùy chỉnh thể thức",
        description="Thiết lập riêng của văn bản này trong bộ thể thức.",
        examples=[{"size_set": "12/13"}],
    )
    danh_muc: str | None = Field(
        default=None,
        title="Danh mục cơ quan",
        description="Tệp danh mục cơ quan dùng chung, đường dẫn tương đối với tệp này.",
        examples=["co-quan/lam-dong-2016.yaml"],
    )
    co_quan: list[CoQuan] = Field(
        min_length=1, title="Cơ quan ban hành", description="Các cơ quan ban hành, theo thứ tự trên đầu trang."
    )
    so: int | None = Field(
        default=None,
        ge=1,
        title="Số",
        description="Số văn bản; bỏ trống cho bản dự thảo (văn thư cấp số khi ban hành).",
        examples=[1],
    )
    ky_hieu: str | None = Field(
        default=None,
        title="Ký hiệu",
        description="Ký hiệu văn bản, khi khác ký hiệu tự tạo.",
        examples=["QC-BTGTU-UBND"],
    )
    ten_loai: str | None = Field(
        default=None, title="Tên loại", description="Tên loại văn bản in trên trích yếu, khi khác tên mặc định."
    )
    ngay: dt.date = Field(
        title="Ngày", description="Ngày ban hành; dòng địa danh, ngày tháng được tạo tự động.", examples=["2025-01-15"]
    )
    dia_danh: str = Field(
        min_length=1, title="Địa danh", description="Địa danh trên dòng ngày tháng.", examples=["Lâm Đồng"]
    )
    trich_yeu: str = Field(
        min_length=1,
        title="Trích yếu",
        description="Trích yếu nội dung văn bản.",
        examples=["Phối hợp công tác giữa Ban Tuyên giáo Tỉnh ủy và Ủy ban nhân dân tỉnh"],
    )
    can_cu: list[str] = Field(
        default=[], title="Căn cứ", description='Các căn cứ ban hành, mỗi căn cứ một dòng "Căn cứ …".'
    )
    ky: list[NguoiKy] = Field(
        min_length=1, title="Khối chữ ký", description="Một khối chữ ký cho mỗi cơ quan ban hành."
    )
    noi_nhan: list[str] = Field(
        default=[],
        title="Nơi nhận",
        description='Mỗi nơi nhận một dòng "- …".',
        examples=[["Thường trực Tỉnh ủy", "Các sở, ban, ngành tỉnh"]],
    )
    luu: str = Field(
        default="VT", title="Lưu", description='Nơi lưu: dòng cuối "- Lưu: VT, …".', examples=["VT, BTGTU"]
    )
    ky_hieu_nguoi_soan: str | None = Field(
        default=None, title="Ký hiệu người soạn", description="Chữ viết tắt người soạn thảo và số bản, sau dòng Lưu."
    )
    phu_luc: list[PhuLuc] = Field(default=[], title="Phụ lục", description="Các phụ lục kèm văn bản.")
    dau_trang_chung: list[DauTrangChung] = Field(
        default=[], title="Đầu trang chung", description="Các khối tên cơ quan in chung ở đầu trang."
    )
    do_khan: str | None = DO_KHAN_FIELD  # phat_hanh.py: ô 10b, Priority
    so_ban: StrictInt | None = SO_BAN_FIELD  # IssuedAmount
    han_tra_loi: dt.date | None = HAN_TRA_LOI_FIELD  # DueDate
    mau_word: str | None = Field(
        default=None,
        title="Mẫu Word riêng",
        description="Tệp .docx có chỗ điền {{ … }}: văn bản .docx được soạn theo mẫu này thay cho bố cục sẵn có.",
        examples=["mau/giay-moi-van-phong.docx"],
    )  # word/template.py

    _shared = field_validator("dau_trang_chung", mode="before")(_shared_header)
    _date = field_validator("ngay", "han_tra_loi", mode="before")(coerce_date)
    _khan = field_validator("do_khan", mode="before")(do_khan_key)

    @property
    def lead(self) -> CoQuan:
        return next((c for c in self.co_quan if c.chu_tri), self.co_quan[0])

    def body(self, ma: str) -> CoQuan:
        return next(c for c in self.co_quan if c.ma == ma)

    def prefix_system(self, body: CoQuan, base_dir: Path) -> str:
        """The system whose signature prefixes a block of ``body`` uses: the body's own profile when it
        names one, else its system (NĐ 30/2020, Phụ lục I, II.7.b; HD 36-HD/VPTW 1.7.1)."""
        return profile_system(body.the_thuc, base_dir) or body.he_thong or "nha_nuoc"


def profile_system(name: str | None, base_dir: Path) -> str | None:
    """The system of a named profile; None when no profile is named or it does not load (compose reports
    an unknown profile, located, as the-thuc-khong-ro)."""
    if not name:
        return None
    try:
        return load_profile(name, base_dir).system
    except ProfileError:
        return None


_STATE_PREFIX = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s*", re.IGNORECASE)
_PARTY_PREFIX = re.compile(r"^(T/M|K/T|T/L)\b\s*", re.IGNORECASE)
_ACADEMIC = re.compile(
    r"^(GS\.?\s*TSKH|GS\.?\s*TS|PGS\.?\s*TS|TSKH|PGS|GS|TS|ThS|Ths|Th\.S|BSCKII|BSCKI|BS|KS|NGND|NGƯT|"
    r"Giáo sư|Phó Giáo sư|Tiến sĩ|Thạc sĩ)(\.|\s)"
)
_SIGN_FIELDS = ("thay_mat", "quyen", "ky_thay", "thua_lenh", "thua_uy_quyen", "chuc_vu")


def load_roster(doc_path: Path, ref: str, smap: SourceMap) -> tuple[dict[str, CoQuan], SourceMap | None]:
    """Read a roster (danh mục cơ quan) referenced by a document; errors are located in the roster."""
    where = smap.locate(("danh_muc",))
    try:  # confined to the document's folders, a regular file, bounded (files.py); never echoed
        path = resolve_named(doc_path.parent, ref, "danh mục")
        if not path.exists():
            raise DiagnosticError(
                [Diagnostic.make("danh-muc-khong-doc-duoc", where, path=ref, detail="không có tệp này")]
            )
        check_regular(path, "roster_bytes", "danh mục")
    except InputFileError as exc:
        raise DiagnosticError([Diagnostic.make(exc.code, where, detail=exc.detail)]) from None
    src = load_source(path)
    data, text_diags = normalize_tree(src.data, src.source_map)
    diags = DiagnosticList()
    diags.extend(text_diags)
    try:
        roster = DanhMuc.model_validate(data)
    except ValidationError as exc:
        diags.extend(pydantic_diagnostics(exc, src.source_map, DanhMuc))
        raise DiagnosticError(diags.items, src.text) from None
    out: dict[str, CoQuan] = {}
    for i, cq in enumerate(roster.co_quan):
        if cq.ma in out:
            diags.add(Diagnostic.make("co-quan-trung-ma", src.source_map.locate(("co_quan", i, "ma")), ma=cq.ma))
        out[cq.ma] = cq
    if diags.errors:
        raise DiagnosticError(diags.items, src.text)
    return out, src.source_map


def check_van_ban(doc: VanBan, raw: dict[str, Any], smap: SourceMap, doc_path: Path) -> list[Diagnostic]:
    """Resolve bodies against the roster and check what clerks get wrong. Mutates ``doc.co_quan``."""
    diags = DiagnosticList()
    roster: dict[str, CoQuan] = {}
    if doc.danh_muc:
        roster, _ = load_roster(doc_path, doc.danh_muc, smap)

    if doc.ky_hieu:
        diags.extend(_check_ky_hieu(doc, smap))

    diags.extend(check_phat_hanh(doc, raw, smap))
    if isinstance(raw.get("ngay"), str):
        iso = doc.ngay.isoformat()
        diags.add(Diagnostic.make("ngay-go-tay", smap.locate(("ngay",)), severity="warning", text=raw["ngay"], iso=iso))

    resolved: list[CoQuan] = []
    seen: set[str] = set()
    for i, cq in enumerate(doc.co_quan):
        loc = smap.locate(("co_quan", i, "ma"))
        if cq.ma in seen:
            diags.add(Diagnostic.make("co-quan-trung-ma", loc, ma=cq.ma))
            continue
        seen.add(cq.ma)
        given = cq.model_dump(exclude_unset=True)
        if cq.ma in roster:
            base = roster[cq.ma].model_dump(exclude_unset=True)
            merged = CoQuan.model_validate({**base, **given})
        else:
            merged = cq
            if doc.danh_muc and not cq.ten:
                close = difflib.get_close_matches(cq.ma, list(roster), n=1, cutoff=0.4)
                hint = f'Có phải ý bạn là "{close[0]}"?' if close else f'thêm cơ quan "{cq.ma}" vào {doc.danh_muc}.'
                diags.add(Diagnostic.make("co-quan-khong-ro", loc, ma=cq.ma, hint=hint))
                continue
        for req in ("he_thong", "ten", "viet_tat"):
            if getattr(merged, req) in (None, ""):
                diags.add(Diagnostic.make("thieu-truong", smap.locate(("co_quan", i)), field=req, parent="co_quan"))
        resolved.append(merged)
    if diags.errors:
        return diags.items
    doc.co_quan = resolved

    leads = [i for i, c in enumerate(resolved) if c.chu_tri]
    if len(leads) > 1:
        diags.add(
            Diagnostic.make(
                "chu-tri", smap.locate(("co_quan", leads[1], "chu_tri")), detail="Có nhiều hơn một cơ quan chủ trì."
            )
        )
    elif not leads and len(resolved) > 1:
        diags.add(
            Diagnostic.make(
                "chu-tri", smap.locate(("co_quan",)), detail="Văn bản liên tịch chưa chỉ rõ cơ quan chủ trì."
            )
        )

    by_ma = {c.ma: c for c in resolved}
    diags.extend(check_shared_header(doc, smap))
    diags.extend(check_reorganisation(doc, smap, roster))
    signed: set[str] = set()
    for i, ky in enumerate(doc.ky):
        if ky.co_quan not in by_ma:
            close = difflib.get_close_matches(ky.co_quan, list(by_ma), n=1, cutoff=0.4)
            hint = f'Có phải ý bạn là "{close[0]}"?' if close else None
            diags.add(Diagnostic.make("co-quan-khong-ro", smap.locate(("ky", i, "co_quan")), ma=ky.co_quan, hint=hint))
            continue
        signed.add(ky.co_quan)
        system = doc.prefix_system(by_ma[ky.co_quan], doc_path.parent)
        diags.extend(_check_signature(ky, by_ma[ky.co_quan], system, smap, i))
    for i, c in enumerate(resolved):
        if doc.every_body_signs and c.ma not in signed and not any(d.code == "co-quan-khong-ro" for d in diags.items):
            diags.add(Diagnostic.make("thieu-chu-ky", smap.locate(("co_quan", i)), ten=c.ten, ma=c.ma))
    return diags.items


# "Số   593 - QĐ-TU", "593-QĐ/TU", "Số: 12/QC-UBND": the number (and the label) typed into the symbol. Only a
# document with ky_hieu needs it: compiled on first use (re's cache), not at every start.
_TYPED_NUMBER = r"^(?P<label>Số\b\s*:?)?\s*(?P<so>\d+)?\s*(?P<sep>[-/])?\s*(?P<rest>.*)$"


def _check_ky_hieu(doc: VanBan, smap: SourceMap) -> list[Diagnostic]:
    """``ky_hieu`` is the symbol only; the number goes in ``so`` and "Số:" is printed by the profile
    (NĐ 30/2020, Phụ lục I, II.3; HD 36-HD/VPTW 1.3). A year before "/" ("2021/QĐ-UBND") is a symbol part."""
    m = re.match(_TYPED_NUMBER, doc.ky_hieu or "", re.IGNORECASE)
    if not m or not (m["label"] or m["so"]):
        return []
    if not m["label"] and m["so"] and (not m["sep"] or (len(m["so"]) == 4 and m["sep"] == "/")):
        return []  # "2021/QĐ-UBND" (year), "15CP" (no separator): not a typed document number
    symbol = re.sub(r"\s*([-/])\s*", r"\1", m["rest"]).strip(" -/:")
    typed = int(m["so"]) if m["so"] else None
    parts = []
    if typed is not None and doc.so is None:
        parts.append(f'"so: {typed}"')
    parts.append(f'"ky_hieu: {symbol}"' if symbol else 'bỏ "ky_hieu" (ký hiệu được ghép từ loại văn bản và cơ quan)')
    hint = "ghi " + " và ".join(parts)
    if typed is not None and doc.so is not None and typed != doc.so:
        hint += f' (số gõ trong ký hiệu là {typed}, khác "so: {doc.so}")'
    return [
        Diagnostic.make(
            "so-trong-ky-hieu",
            smap.locate(("ky_hieu",)),
            text=doc.ky_hieu,
            hint=hint + ".",
            rule="number.format (ND30-PL1 §II.3; HD36 1.3)",
        )
    ]


def _check_signature(ky: NguoiKy, body: CoQuan, system: str, smap: SourceMap, i: int) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    party = system == "dang"
    for name in _SIGN_FIELDS:
        values = getattr(ky, name)
        if values is None:
            continue
        for j, text in enumerate(values if isinstance(values, list) else [values]):
            path = ("ky", i, name, j) if isinstance(values, list) else ("ky", i, name)
            wrong = _STATE_PREFIX.match(text) if party else _PARTY_PREFIX.match(text)
            if wrong:
                prefix = wrong.group(0).strip()
                hint = PREFIX_HINTS["dang" if party else "nha_nuoc"]
                out.append(
                    Diagnostic.make(
                        "tien-to-sai-he-thong",
                        smap.locate(path),
                        he_thong=HE_THONG_TEN[system],
                        prefix=prefix,
                        other="Nhà nước" if party else "Đảng",
                        hint=hint,
                        rule="sign.prefix (ND30-PL1 §II.7.b; HD36 1.7.1)",
                    )
                )
    m = _ACADEMIC.match(ky.ho_ten + " ")
    if m and not ky.cho_phep_hoc_ham:
        out.append(
            Diagnostic.make(
                "hoc-ham-truoc-ten",
                smap.locate(("ky", i, "ho_ten")),
                title=m.group(1),
                rule="sign.no_academic_titles (ND30-PL1 §II.7.c)",
            )
        )
    return out
