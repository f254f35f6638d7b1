"""JSON Schema of every document kind, from the pydantic models (titles, descriptions and examples in
Vietnamese come from the models' Field metadata).

``schema_for(kind)`` builds it; ``scripts/make_schemas.py`` writes it to ``schemas/<kind>.json`` in the
package, which ``quyche schema`` prints and editors read (VS Code: ``# yaml-language-server: $schema=…``).
``form_schema(kind)`` is the same schema shaped for the editor's form (json-editor): ``definitions`` instead
of ``$defs``, optional values without their ``null`` branch.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any

from .schema import KINDS as SCHEMA_KINDS

SCHEMAS = Path(__file__).parent / "schemas"
KINDS: dict[str, tuple[str, str]] = {
    **SCHEMA_KINDS,  # every document kind the pipeline validates
    "bo_van_ban": ("quyche.batch", "BoVanBan"),
}
TITLES = {
    "quy_che": "Quy chế phối hợp",
    "chuong_trinh": "Chương trình phối hợp",
    "giay_moi": "Giấy mời (Mẫu 1.7, NĐ 30/2020)",
    "bien_ban": "Biên bản (Mẫu 1.9, NĐ 30/2020; HD 16-HD/VPTW)",
    "ke_hoach": "Kế hoạch",
    "quyet_dinh": "Quyết định",
    "bao_cao": "Báo cáo",
    "thong_bao": "Thông báo",
    "cong_van": "Công văn",
    "bo_van_ban": "Bộ văn bản (quyche batch)",
}
BASE_URL = "https://quyche.invalid/schemas"  # an identifier, never fetched

# The records' names in the form and in VS Code (the models' docstrings are for developers, in English)
MODEL_TITLES = {
    "CoQuan": "Cơ quan",
    "NguoiKy": "Khối chữ ký",
    "NguoiKyMau": "Người ký",
    "NguoiKyBienBan": "Người ký biên bản",
    "Khoan": "Khoản",
    "Diem": "Điểm",
    "Bang": "Bảng",
    "Dieu": "Điều",
    "Muc": "Mục",
    "Chuong": "Chương",
    "Phan": "Phần",
    "PhuLuc": "Phụ lục",
    "DauTrangChung": "Đầu trang chung",
    "NguoiDuHop": "Người dự họp",
    "VangMat": "Người vắng mặt",
    "DaiBieuChinhThuc": "Đại biểu chính thức",
    "PhatBieu": "Phát biểu",
    "VanBanKy": "Văn bản ký kết",
    "MucDienBien": "Mục diễn biến",
    "NhiemVu": "Nhiệm vụ",
    "DaiBieu": "Đại biểu",
    "ThemNoiDung": "Nội dung thêm cho một cơ quan",
    "DoiTac": "Cơ quan phối hợp",
    "PhanBaoCao": "Phần",
    "PhanKeHoach": "Phần",
    "PhanThongBao": "Phần",
    "DieuQuyetDinh": "Điều",
    "VanBanKemTheo": "Văn bản kèm theo",
}
# The batch file's model lives with the batch code (quyche.batch); its fields are described here.
BATCH_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "BoVanBan": {
        "loai": ("Loại văn bản", "Luôn là bo_van_ban."),
        "ten": ("Tên bộ", "Tên của bộ văn bản, dùng trong báo cáo và thư mục kết quả."),
        "danh_muc": ("Danh mục cơ quan", "Tệp danh mục cơ quan (.yaml, .csv, .xlsx), tương đối với tệp này."),
        "chu_tri": ("Cơ quan chủ trì", "Mã cơ quan chủ trì trong danh mục."),
        "nhiem_ky": (
            "Nhiệm kỳ",
            'Nhiệm kỳ cấp ủy, ví dụ "2020-2025": số văn bản của Đảng theo nhiệm kỳ (HD 36-HD/VPTW).',
        ),
        "so_dang_ky": ("Sổ đăng ký", "Tệp sổ đăng ký (SQLite), tương đối với tệp này; mặc định sổ của thư mục."),
        "doi_tac": (
            "Các cơ quan phối hợp",
            "Các cơ quan nhận văn bản (mặc định: mọi cơ quan trong danh mục trừ cơ quan chủ trì).",
        ),
        "chuong_trinh": ("Chương trình", "Nội dung chương trình dùng chung; {{ doi_tac.ten }} là tên từng cơ quan."),
        "giay_moi": ("Giấy mời", "Nội dung giấy mời dùng chung (bỏ trống: không có giấy mời)."),
    },
    "DoiTac": {
        "ma": ("Mã", "Mã cơ quan trong danh mục."),
        "ky": ("Người ký", "Người ký của cơ quan này, khi khác người ký trong danh mục."),
        "them": ("Nội dung thêm", "Các khoản thêm vào một phần của chương trình cho riêng cơ quan này."),
        "kinh_moi": ("Kính mời", "Dòng kính mời riêng của cơ quan này."),
        "bo_qua_giay_moi": ("Không gửi giấy mời", "Không tạo giấy mời cho cơ quan này."),
    },
    "ThemNoiDung": {
        "phan": ("Phần", "Số thứ tự của phần (từ 1) được thêm khoản."),
        "khoan": ("Các khoản", "Các khoản thêm vào phần đó."),
    },
}


def _models(model: Any, seen: dict[str, Any]) -> dict[str, Any]:
    """Every pydantic model reachable from ``model``'s fields, by class name (pydantic's $defs keys)."""
    from typing import get_args

    from pydantic import BaseModel

    def walk(t: Any) -> None:
        if isinstance(t, type) and issubclass(t, BaseModel):
            if t.__name__ not in seen:
                seen[t.__name__] = t
                for f in t.model_fields.values():
                    walk(f.annotation)
            return
        for arg in get_args(t):
            walk(arg)

    walk(model)
    return seen


def _shorthands(model: Any, node: dict[str, Any]) -> None:
    """What the before-validators accept besides the typed shape: a string for a list (``as_list``), a string
    for a record in a list (``strings_as``). The schema says so, or VS Code and the form would refuse them."""
    props = node.get("properties", {})
    for dec in model.__pydantic_decorators__.field_validators.values():
        name = getattr(dec.func, "__qualname__", "")
        for field in dec.info.fields:
            prop = props.get(field)
            if prop is None or dec.info.mode != "before":
                continue
            if name == "as_list":
                meta = {k: v for k, v in prop.items() if k in ("title", "description", "examples")}
                typed = {k: v for k, v in prop.items() if k not in meta}
                props[field] = {
                    **meta,
                    "anyOf": [{"type": "string", "title": "một dòng"}, {**typed, "title": "nhiều dòng"}],
                }
            elif name == "strings_as.<locals>.wrap" and "items" in prop:
                prop["items"] = {"anyOf": [{"type": "string", "title": "chỉ nội dung"}, prop["items"]]}


def _describe(schema: dict[str, Any], models: dict[str, Any], root: Any) -> None:
    defs = schema.get("$defs", {})
    for name, model in models.items():
        node = schema if model is root else defs.get(name)
        if node is None:
            continue
        _shorthands(model, node)
        if model is not root:
            node["title"] = MODEL_TITLES.get(name, node.get("title", name))
            node.pop("description", None)
        for field, (title, text) in BATCH_FIELDS.get(name, {}).items():
            if field in node.get("properties", {}):
                node["properties"][field].update(title=title, description=text)


def schema_for(kind: str) -> dict[str, Any]:
    module, name = KINDS[kind]
    model = getattr(import_module(module), name)
    schema = model.model_json_schema(mode="validation")
    _describe(schema, _models(model, {}), model)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URL}/{kind}.json",
        **schema,
        "title": TITLES[kind],
        "description": f"{TITLES[kind]}: tệp YAML của quyche (quyche init {kind} TỆP.yaml tạo tệp mẫu).",
    }


def shipped(kind: str) -> dict[str, Any]:
    """The schema file shipped in the package (written by scripts/make_schemas.py)."""
    return json.loads((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"))


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _drop_null(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _drop_null(v) for k, v in node.items()}
        branches = node.get("anyOf")
        if isinstance(branches, list):
            kept = [b for b in branches if b != {"type": "null"}]
            if len(kept) == 1 and len(kept) < len(branches):
                rest = {k: v for k, v in node.items() if k != "anyOf"}
                node = {**kept[0], **rest}
            elif len(kept) < len(branches):
                node["anyOf"] = kept
        if "$ref" in node:
            node["$ref"] = node["$ref"].replace("#/$defs/", "#/definitions/")
        return node
    if isinstance(node, list):
        return [_drop_null(v) for v in node]
    return node


@lru_cache(maxsize=8)
def form_schema(kind: str) -> dict[str, Any]:
    schema = dict(shipped(kind))
    defs = schema.pop("$defs", {})
    schema.pop("$schema", None)
    schema.pop("$id", None)
    out = _drop_null(schema)
    out["definitions"] = _drop_null(defs)
    return out
