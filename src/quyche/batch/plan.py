"""Planning a batch: the batch file (bo_van_ban) + the roster → one document per partner and kind."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from .. import __version__
from ..errors import Diagnostic, DiagnosticError, DiagnosticList, Location
from ..normalize import normalize_tree
from ..output import safe_name
from ..schema import validate_data
from ..schema.common import CoQuan, Model, NguoiKyMau, pydantic_diagnostics
from ..source import PathKey, Source, SourceMap, load_source
from .roster import _graft, check_partner_count, load_roster_versions, pick_version, roster_path
from .texts import fill_templates

KIND_FILE = {"chuong_trinh": "chuong-trinh", "giay_moi": "giay-moi"}


# --- the batch file ----------------------------------------------------------------------------------


class ThemNoiDung(Model):
    """Extra items for one partner, appended to part ``phan`` (1-based) of the programme."""

    phan: int = Field(ge=1)
    khoan: list[Any] = Field(min_length=1)


class DoiTac(Model):
    ma: str = Field(min_length=1)
    ky: NguoiKyMau | None = None
    them: list[ThemNoiDung] = []
    kinh_moi: str | None = None
    bo_qua_giay_moi: bool = False


class BoVanBan(Model):
    loai: Literal["bo_van_ban"]
    ten: str = Field(min_length=1)
    danh_muc: str | None = None  # roster: .yaml, .csv or .xlsx
    chu_tri: str = Field(min_length=1)
    nhiem_ky: str | None = None  # Party committee term for Party numbering ("2015-2020")
    so_dang_ky: str | None = None  # register database, relative to this file
    doi_tac: list[DoiTac] | None = None  # default: every roster body but the host
    chuong_trinh: dict[str, Any]
    giay_moi: dict[str, Any] | None = None


@dataclass
class PlanItem:
    id: str  # "chuong_trinh:PYT"
    kind: str
    doi_tac: str
    data: dict[str, Any]
    smap: SourceMap
    output: str  # file stem
    model: Any = None
    input_hash: str = ""


@dataclass
class Plan:
    path: Path
    batch: BoVanBan
    host: CoQuan
    items: list[PlanItem]
    problems: dict[str, list[Diagnostic]] = field(default_factory=dict)  # doi_tac → diagnostics
    warnings: list[Diagnostic] = field(default_factory=list)
    text: str = ""

    @property
    def register_path(self) -> Path | None:
        if self.batch.so_dang_ky:
            return (self.path.parent / self.batch.so_dang_ky).resolve()
        return None


def _signature(body: CoQuan, override: NguoiKyMau | None) -> dict[str, Any] | None:
    signer = override or body.nguoi_ky
    if signer is None:
        return None
    return {"co_quan": body.ma, **signer.model_dump(exclude_none=True)}


def _body_dict(body: CoQuan, lead: bool) -> dict[str, Any]:
    data = body.model_dump(exclude_none=True, exclude={"nguoi_ky", "chuc_vu_truong", "chuc_vu_pho", "chu_tri"})
    data["chu_tri"] = lead
    return data


def plan_batch(path: str | Path) -> Plan:
    """Read a batch file and build one document per partner and kind. Raises DiagnosticError only when
    the batch itself is unusable; a partner's problems are kept in ``plan.problems``."""
    path = Path(path)
    source = load_source(path)
    raw, text_diags = normalize_tree(source.data, source.source_map)
    smap = source.source_map
    diags = DiagnosticList()
    diags.extend(text_diags)
    if diags.errors:
        raise DiagnosticError(diags.items, source.text)
    try:
        batch = BoVanBan.model_validate(raw)
    except ValidationError as exc:
        diags.extend(pydantic_diagnostics(exc, smap, BoVanBan))
        raise DiagnosticError(diags.items, source.text) from None

    prog_date = raw["chuong_trinh"].get("ngay")
    on = prog_date if isinstance(prog_date, dt.date) else dt.date.today()
    roster: dict[str, list[tuple[CoQuan, Location]]] = {}
    if batch.danh_muc:
        roster_file = roster_path(path.parent, batch.danh_muc, smap)  # confined, regular, bounded (files.py)
        roster, roster_diags = load_roster_versions(roster_file, smap)
        diags.extend(roster_diags)
        if any(d.is_error for d in roster_diags):
            raise DiagnosticError(diags.items, source.text)
    host_pick = pick_version(roster.get(batch.chu_tri, []), on)
    if host_pick is None:
        diags.add(
            Diagnostic.make(
                "co-quan-khong-ro",
                smap.locate(("chu_tri",)),
                ma=batch.chu_tri,
                hint=f'thêm cơ quan "{batch.chu_tri}" vào danh mục.',
            )
        )
        raise DiagnosticError(diags.items, source.text)
    host = host_pick[0]

    partners = batch.doi_tac
    if partners is None:
        partners = [DoiTac(ma=ma) for ma in roster if ma != batch.chu_tri]
    check_partner_count(len(partners), smap, "doi_tac" if batch.doi_tac is not None else "danh_muc", source.text)
    _refuse_duplicates(partners, batch.doi_tac is not None, smap, diags, source.text)
    plan = Plan(path, batch, host, [], warnings=diags.warnings, text=source.text)
    where: dict[str, Location] = {}
    for i, partner in enumerate(partners):
        row_path: PathKey = ("doi_tac", i) if batch.doi_tac is not None else ("danh_muc",)
        pdiags = DiagnosticList()
        pick = pick_version(roster.get(partner.ma, []), on)
        if pick is None:
            pdiags.add(
                Diagnostic.make(
                    "co-quan-khong-ro",
                    smap.locate((*row_path, "ma")),
                    ma=partner.ma,
                    hint=f'thêm cơ quan "{partner.ma}" vào {batch.danh_muc or "danh mục"}.',
                )
            )
            plan.problems[partner.ma] = pdiags.items
            continue
        body, body_loc = pick
        where[partner.ma] = smap.locate((*row_path, "ma")) if batch.doi_tac is not None else body_loc
        context = {
            "chu_tri": host.model_dump(),
            "doi_tac": body.model_dump(),
            "bo": {"ten": batch.ten, "nhiem_ky": batch.nhiem_ky},
        }
        for kind in ("chuong_trinh", "giay_moi"):
            shared = raw.get(kind)
            if shared is None or (kind == "giay_moi" and partner.bo_qua_giay_moi):
                continue
            item_map = SourceMap(smap.file)
            _graft(smap, (kind,), item_map, ())
            item_map.values[()] = smap.values.get(row_path, smap.values.get((), (1, 1)))
            filled = fill_templates(copy.deepcopy(shared), context, item_map, pdiags)
            data = {"loai": kind, **filled}
            host_sig = data.pop("ky_chu_tri", None) if kind == "chuong_trinh" else data.pop("ky", None)
            data["co_quan"] = [_body_dict(host, True)] + ([_body_dict(body, False)] if kind == "chuong_trinh" else [])
            for j in range(len(data["co_quan"])):
                item_map.values[("co_quan", j)] = item_map.values[()]
            if kind == "chuong_trinh":
                sig = _signature(body, partner.ky)
                if sig is None:
                    pdiags.add(
                        Diagnostic.make(
                            "thieu-chu-ky",
                            Location(body_loc.file, body_loc.line, body_loc.column),
                            ten=body.ten,
                            ma=body.ma,
                        )
                    )
                    continue
                item_map.values[("ky", 1)] = smap.values.get((*row_path, "ky"), item_map.values[()])
                data["ky"] = [{"co_quan": host.ma, **(host_sig or {})}, sig]
                item_map.values[("ky", 0)] = smap.values.get((kind, "ky_chu_tri"), item_map.values[()])
                for extra in partner.them:
                    phan = data.get("phan") or []
                    if extra.phan > len(phan):
                        pdiags.add(
                            Diagnostic.make(
                                "sai-kieu",
                                smap.locate((*row_path, "them")),
                                field="phan",
                                detail=f"chương trình chỉ có {len(phan)} phần",
                            )
                        )
                        continue
                    phan[extra.phan - 1].setdefault("khoan", []).extend(copy.deepcopy(extra.khoan))
            else:
                data["ky"] = [{"co_quan": host.ma, **(host_sig or {})}]
                if partner.kinh_moi:
                    data["kinh_moi"] = partner.kinh_moi
            item = PlanItem(
                f"{kind}:{partner.ma}",
                kind,
                partner.ma,
                data,
                item_map,
                safe_name(f"{KIND_FILE[kind]}-{partner.ma.lower()}"),
            )
            plan.items.append(item)
        if pdiags.errors:
            plan.problems[partner.ma] = pdiags.items
            plan.items = [it for it in plan.items if it.doi_tac != partner.ma]
    _refuse_name_collisions(plan, where, diags, source.text)
    return plan


def _refuse_duplicates(partners: list[DoiTac], listed: bool, smap: SourceMap, diags: DiagnosticList, text: str) -> None:
    """The same partner twice would take numbers that are never issued: an error before anything."""
    first: dict[str, int] = {}
    for i, partner in enumerate(partners):
        if partner.ma in first and listed:
            line = smap.locate(("doi_tac", first[partner.ma], "ma")).line
            diags.add(Diagnostic.make("doi-tac-trung", smap.locate(("doi_tac", i, "ma")), ma=partner.ma, dong=line))
        first.setdefault(partner.ma, i)
    if diags.errors:
        raise DiagnosticError(diags.items, text)


def _refuse_name_collisions(plan: Plan, where: dict[str, Location], diags: DiagnosticList, text: str) -> None:
    """Two documents must never share an output file: codes that differ only by case ("PYT", "pyt") or by a
    character a file name cannot hold ("A/B", "A:B") are located errors before any number or file."""
    seen: dict[str, PlanItem] = {}
    for item in plan.items:
        key = item.output.casefold()
        other = seen.setdefault(key, item)
        if other is not item:
            diags.add(Diagnostic.make("trung-ten-tep", where.get(item.doi_tac), ten=item.output, a=other.id, b=item.id))
    if diags.errors:
        raise DiagnosticError(diags.items, text)


def validate_item(item: PlanItem, plan: Plan, number: int | None) -> list[Diagnostic]:
    """Validate one generated document (with its number); located in the batch file."""
    data = dict(item.data)
    if number is not None:
        data["so"] = number
    source = Source(plan.path, plan.text, data, item.smap)
    try:
        model, warnings = validate_data(data, source)
    except DiagnosticError as exc:
        return exc.diagnostics
    item.model = model
    item.input_hash = hashlib.sha256(
        json.dumps(
            [__version__, model.model_dump(mode="json"), _template_stamp(model, plan.path.parent)],
            sort_keys=True,
            ensure_ascii=False,
        ).encode()
    ).hexdigest()
    return warnings


def _template_stamp(model: Any, base: Path) -> list[int] | None:
    """A Word template's size and time (mau_word): a template saved again makes its documents render again."""
    ref = getattr(model, "mau_word", None)
    if not ref:
        return None
    from ..files import InputFileError, resolve_named

    try:
        st = resolve_named(base, ref, "mẫu Word").stat()
    except (InputFileError, OSError):
        return None  # reported when the document is rendered
    return [st.st_size, st.st_mtime_ns]
