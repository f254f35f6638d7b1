"""Fields every document kind shares (header, number, date, signatures, recipients) and the
cross-field checks that need the source map: roster references, the lead body, signature prefixes
of each system, academic titles, typed dates."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from ..errors import Diagnostic, DiagnosticError, DiagnosticList
from ..files import InputFileError, check_regular, resolve_named
from ..messages import PREFIX_HINTS
from ..normalize import normalize_tree
from ..source import SourceMap, load_source
from .common import HE_THONG_TEN, Bang, CoQuan, DanhMuc, Model, NguoiKy, coerce_date, pydantic_diagnostics


class PhuLuc(Model):
    """An appendix (NĐ 30/2020, Phụ lục I, III.1)."""

    ten: str = Field(min_length=1)
    doan: list[str] = []
    bang: list[Bang] = []

    @field_validator("doan", mode="before")
    @classmethod
    def _one(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class VanBan(Model):
    loai: str
    the_thuc: str | None = None
    the_thuc_tuy_chinh: dict[str, Any] = {}
    danh_muc: str | None = None
    co_quan: list[CoQuan] = Field(min_length=1)
    so: int | None = Field(default=None, ge=1)
    ky_hieu: str | None = None
    ten_loai: str | None = None
    ngay: dt.date
    dia_danh: str = Field(min_length=1)
    trich_yeu: str = Field(min_length=1)
    can_cu: list[str] = []
    ky: list[NguoiKy] = Field(min_length=1)
    noi_nhan: list[str] = []
    luu: str = "VT"
    ky_hieu_nguoi_soan: str | None = None
    phu_luc: list[PhuLuc] = []

    _date = field_validator("ngay", mode="before")(coerce_date)

    @property
    def lead(self) -> CoQuan:
        return next((c for c in self.co_quan if c.chu_tri), self.co_quan[0])

    def body(self, ma: str) -> CoQuan:
        return next(c for c in self.co_quan if c.ma == ma)


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
    signed: set[str] = set()
    for i, ky in enumerate(doc.ky):
        if ky.co_quan not in by_ma:
            close = difflib.get_close_matches(ky.co_quan, list(by_ma), n=1, cutoff=0.4)
            hint = f'Có phải ý bạn là "{close[0]}"?' if close else None
            diags.add(Diagnostic.make("co-quan-khong-ro", smap.locate(("ky", i, "co_quan")), ma=ky.co_quan, hint=hint))
            continue
        signed.add(ky.co_quan)
        diags.extend(_check_signature(ky, by_ma[ky.co_quan], smap, i))
    for i, c in enumerate(resolved):
        if c.ma not in signed and not any(d.code == "co-quan-khong-ro" for d in diags.items):
            diags.add(Diagnostic.make("thieu-chu-ky", smap.locate(("co_quan", i)), ten=c.ten, ma=c.ma))
    return diags.items


def _check_signature(ky: NguoiKy, body: CoQuan, smap: SourceMap, i: int) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    party = body.he_thong == "dang"
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
                        he_thong=HE_THONG_TEN[body.he_thong or "nha_nuoc"],
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
