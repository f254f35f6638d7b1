"""Commented starters for ``quyche init`` and the editor's "Tạo mới": one per kind, each validates and renders."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
STARTER_KINDS = (
    "quy_che", "chuong_trinh", "giay_moi", "bien_ban", "ke_hoach", "quyet_dinh", "bao_cao", "thong_bao", "cong_van",
    "bo_van_ban",
)  # fmt: skip
COMPANIONS = {"bo_van_ban": ("co-quan-mau.yaml",)}  # files a starter names, written next to it when missing


def starter_text(kind: str) -> str:
    return (HERE / f"{kind}.yaml").read_text(encoding="utf-8")


def companion_text(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")
