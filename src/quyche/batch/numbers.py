"""The batch's side of the register: its series, reserving all numbers at once, recording issued documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..schema.common import CoQuan
from .plan import Plan, PlanItem


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


def _reserve(
    register: Any, host: CoQuan, plan: Plan, requests: list[tuple[str, int, dict[str, Any]]]
) -> dict[str, list[int]]:
    """All numbers of the batch in one transaction (never issued twice, also across processes)."""
    series = [(kind, count, _series(host, plan, kind, data)) for kind, count, data in requests]
    return register.reserve_many([(s, count) for _, count, s in series], keys=[k for k, _, _ in series])


def _issue(
    register: Any, host: CoQuan, plan: Plan, item: PlanItem, entry: dict[str, Any], result: dict[str, Any]
) -> None:
    """Record the issued document in the register's 10 columns (NĐ 30/2020, Phụ lục IV)."""
    model = item.model
    ten_loai = "Chương trình" if item.kind == "chuong_trinh" else "Giấy mời"
    subject = model.trich_yeu or getattr(model, "su_kien", "")
    subject = subject[:1].lower() + subject[1:] if subject[:1].isupper() and not subject[1:2].isupper() else subject
    register.issue(
        _series(host, plan, item.kind, item.data),
        int(entry["so"]),
        so_ky_hieu=result["so_ky_hieu"].replace("Số: ", "").replace("Số ", ""),
        ngay=model.ngay,
        trich_yeu=f"{ten_loai} {subject}".strip(),
        nguoi_ky=", ".join(result["signers"]),
        noi_nhan="; ".join(model.noi_nhan),
        don_vi_luu=model.luu,
    )
