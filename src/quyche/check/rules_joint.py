"""The right-hand header of a joint document (the-thuc §2.8, ``joint.right_header``): with ``lead`` it is the
leading body's alone — "ĐẢNG CỘNG SẢN VIỆT NAM" when a Party body stands first among the issuing bodies, the
Quốc hiệu and Tiêu ngữ when a State (or Front) body does; with ``both`` the two stand stacked."""

from __future__ import annotations

from .context import Context
from .detect import body_system

NAMES = {"dang": '"ĐẢNG CỘNG SẢN VIỆT NAM"', "nha_nuoc": "Quốc hiệu và Tiêu ngữ"}


def right_systems(c: Context) -> set[str]:
    roles = {ln.role for ln in c.sheet.lines if ln.zone == "header"}
    return {s for role, s in (("tieu_de_dang", "dang"), ("quoc_hieu", "nha_nuoc"), ("tieu_ngu", "nha_nuoc"))
            if role in roles}  # fmt: skip


def lead_of_page(c: Context) -> str | None:
    """The system of the first issuing body named in the header (a Front body writes in the State's form)."""
    for ln in c.sheet.lines:
        if ln.zone == "header" and ln.role == "co_quan":
            system = body_system(ln.text)
            if system:
                return "nha_nuoc" if system == "mat_tran" else system
    return None


def header_out_of_system(c: Context) -> bool:
    """A joint page whose right header is not its lead body's: reported once, by check_joint_header."""
    return c.ident.regime == "lien_tich" and bool(right_systems(c)) and c.ident.lead not in right_systems(c)


def check_joint_header(c: Context) -> None:
    if c.ident.regime != "lien_tich" or not c.has("joint.right_header"):
        return
    right = right_systems(c)
    lead = lead_of_page(c)
    if not right or lead is None:
        return
    mode = str(c.profile.get("joint.right_header"))
    where = next((ln for ln in c.sheet.lines if ln.role in ("tieu_de_dang", "quoc_hieu", "tieu_ngu")), None)
    if mode == "both" and right != {"dang", "nha_nuoc"}:
        c.find(
            "joint.right_header",
            'Văn bản liên tịch theo bộ thể thức này có cả "ĐẢNG CỘNG SẢN VIỆT NAM" và Quốc hiệu, Tiêu ngữ ở đầu '
            "trang bên phải.",
            where,
        )
    elif mode != "both" and right != {lead}:
        c.find(
            "joint.right_header",
            f"Đầu trang bên phải theo cơ quan chủ trì (đứng đầu): chỉ {NAMES[lead]}.",
            where,
        )
