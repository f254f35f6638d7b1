"""The batch's side of the register: its series, reserving all numbers at once, recording issued documents."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, DiagnosticError
from ..schema.common import CoQuan
from .plan import KIND_FILE, Plan, PlanItem


def _series(host: CoQuan, plan: Plan, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    from ..profile import DEFAULT_FOR_SYSTEM, load_profile

    profile = load_profile(host.the_thuc or DEFAULT_FOR_SYSTEM[host.he_thong or "nha_nuoc"], plan.path.parent)
    abbrev = profile.get("abbrev").get(kind, kind)
    ngay = data.get("ngay")
    year = ngay.year if isinstance(ngay, dt.date) else dt.date.today().year
    return {
        "he_thong": host.he_thong or "nha_nuoc",
        "co_quan": host.viet_tat or host.ma,
        "loai": abbrev,
        "nam": year,
        "nhiem_ky": plan.batch.nhiem_ky,
    }


def dinh_danh(plan: Plan, item: PlanItem, register_dir: Path) -> str:
    """What a batch document is, for the register: its batch file — as a path from the register's folder, so a
    project moved or copied whole keeps its numbers — and its item (kind and partner). The output folder is not
    part of it: a re-run into any folder finds the same number."""
    batch = plan.path.resolve()
    try:
        where = Path(os.path.relpath(batch, register_dir.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        where = batch.as_posix()
    return f"bo_van_ban:{where}#{item.id}"


def _reserve(register: Any, plan: Plan, valid: list[PlanItem]) -> dict[str, Any]:
    """Every document's register line in one transaction, ``{item id: Entry}``: the number it already has, or
    the next of its series (programmes first, then invitations). A refusal (term, date, a corrupt register) is
    a located error before any file is written."""
    from ..register import RegisterError

    order = {item.id: n for n, item in enumerate(valid)}
    items = sorted(valid, key=lambda i: (list(KIND_FILE).index(i.kind), order[i.id]))
    if not items:
        return {}
    home = register.path.parent
    requests = [(_series(plan.host, plan, i.kind, i.data), dinh_danh(plan, i, home), _date(i.data)) for i in items]
    try:
        lines = register.reserve_documents(requests)
    except RegisterError as exc:
        where = items[0].smap.locate(("ngay",))
        raise DiagnosticError([Diagnostic.make("so-dang-ky", where, id=plan.path.name, detail=str(exc))]) from None
    return {i.id: lines[dinh_danh(plan, i, home)] for i in items}


def _date(data: dict[str, Any]) -> dt.date | None:
    ngay = data.get("ngay")
    return ngay if isinstance(ngay, dt.date) else None


def _issue(register: Any, plan: Plan, item: PlanItem, entry: dict[str, Any], result: dict[str, Any]) -> None:
    """Record the issued document in the register's 10 columns (NĐ 30/2020, Phụ lục IV): issue its reserved
    number, or correct its line when the document was rendered again (đính chính, in the audit trail)."""
    model = item.model
    ten_loai = "Chương trình" if item.kind == "chuong_trinh" else "Giấy mời"
    subject = model.trich_yeu or getattr(model, "su_kien", "")
    subject = subject[:1].lower() + subject[1:] if subject[:1].isupper() and not subject[1:2].isupper() else subject
    register.record(
        int(entry["ma_so_dang_ky"]),
        so_ky_hieu=result["so_ky_hieu"].replace("Số: ", "").replace("Số ", ""),
        ngay=model.ngay,
        trich_yeu=f"{ten_loai} {subject}".strip(),
        nguoi_ky=", ".join(result["signers"]),
        noi_nhan="; ".join(model.noi_nhan),
        don_vi_luu=model.luu,
    )
