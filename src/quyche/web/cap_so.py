"""Issuing one document's number from the editor ("Cấp số"), on the register's own path.

The number is taken and issued by ``Register.issue`` with the document's ``dinh_danh`` — what
``quyche register issue --dinh-danh`` does — in one transaction of the workspace's register
(``.quyche/so-dang-ky.sqlite3``), journaled under the signed-in user (``register.history.acting_as``).
Then ``so:`` is written into the YAML file with the round-trip writer (comments and key order kept),
atomically, so that the preview, the .docx and the PDF carry the number. Only văn thư and quản trị issue
numbers (NĐ 30/2020, Điều 15–16).

Never twice: the file's own ``so`` is checked under a per-document lock; the register gives a document one
live number (a unique index on ``dinh_danh``), so a document whose number reached the register but not the
file (a crash between the two writes) gets that same number written back, not a new one.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import Diagnostic
from .app import refused, user_of
from .jobs import register_path
from .renders import _LAST_DATA, TimedOut, WorkerDied, _build, _guarded, diagnostic_json, memory_json, timeout_json
from .roundtrip import _dump, _load, _yaml
from .workspace import PathRefused

REFUSED_ROLE = (
    "Chỉ văn thư hoặc quản trị được cấp số văn bản "
    "(Nghị định 30/2020/NĐ-CP, Điều 15–16: văn thư đăng ký, cấp số văn bản đi)."
)


def dinh_danh(doc: Path, register: Path) -> str:
    """What the number belongs to: the YAML file, as a path from the register's folder (a workspace moved or
    copied whole keeps its numbers), as a batch names its documents (batch/numbers.py)."""
    try:
        where = Path(os.path.relpath(doc.resolve(), register.parent.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        where = doc.resolve().as_posix()
    return f"van_ban:{where}"


def with_number(text: str, so: int) -> str:
    """``text`` with ``so: N`` set: in place if the key is there, else just before ``ngay`` (else at the end)."""
    y = _yaml()
    tree = _load(y, text)
    if "so" in tree or "ngay" not in tree:
        tree["so"] = so
    else:
        tree.insert(list(tree).index("ngay"), "so", so)
    return _dump(y, tree)


# --- in a render worker ------------------------------------------------------------------------------------


def _series(model: Any, doc_dir: Path) -> dict[str, Any]:
    """The register series of the document's lead body, as a batch finds it (batch/numbers.py)."""
    from ..profile import DEFAULT_FOR_SYSTEM, load_profile

    host = model.lead
    system = host.he_thong or "nha_nuoc"
    profile = load_profile(host.the_thuc or DEFAULT_FOR_SYSTEM[system], doc_dir)
    return {
        "he_thong": system,
        "co_quan": host.viet_tat or host.ma,
        "loai": profile.get("abbrev").get(model.loai, model.loai),
        "nam": model.ngay.year,
        "nhiem_ky": getattr(model, "nhiem_ky", None),
    }


def _refusal(detail: str, result: Any, rel: str) -> dict[str, Any]:
    where = result.source_map.locate(("ngay",)) if result.source_map is not None else None
    return {"hop_le": False, "chan_doan": [diagnostic_json(Diagnostic.make("cap-so-tu-choi", where, id=rel,
                                                                           detail=detail))]}  # fmt: skip


@_guarded
def issue_job(text: str, rel: str, root: str, register_file: str, user: str) -> dict[str, Any]:
    """Validate the saved document, then issue its number: ``{"so", "so_ky_hieu", "ma", "da_co"}``, or
    ``{"so_cu"}`` when the file already has one, or the diagnostics."""
    from ..register import Register, RegisterError
    from ..register.history import acting_as
    from ..register.series import BAN_HANH

    document, diags = _build(text, rel, root)
    if document is None:
        return {"hop_le": False, "chan_doan": diags}
    result = _LAST_DATA["ket_qua"]
    model, meta = result.data, document.meta
    if model.so:
        return {"hop_le": True, "so_cu": model.so, "so_ky_hieu": document.so_ky_hieu}
    doc = Path(root) / rel
    reg = Register(register_file)
    key = dinh_danh(doc, Path(register_file))
    subject = meta.subject[:1].lower() + meta.subject[1:] if meta.subject[1:2].islower() else meta.subject
    try:
        with acting_as(user):
            entry = reg.issue(
                _series(model, doc.parent),
                so_ky_hieu=meta.code_notation,
                ngay=model.ngay,
                trich_yeu=f"{meta.type_name} {subject}".strip(),
                nguoi_ky=", ".join(name for _, name in meta.signers),
                noi_nhan="; ".join(meta.to) or None,
                don_vi_luu=getattr(model, "luu", None),
                dinh_danh=key,
            )
        found = False
    except RegisterError as exc:
        live = [e for e in reg.list() if e.dinh_danh == key and e.trang_thai == BAN_HANH]
        if not live:  # a refusal of the register (term, date, a corrupt file): said at the date
            return _refusal(str(exc), result, rel)
        entry, found = live[0], True  # issued before, not yet in the file: the same number, written back
    return {"hop_le": True, "so": entry.so, "so_ky_hieu": entry.so_ky_hieu, "ma": entry.id, "da_co": found,
            "so_ten": entry.series.ten}  # fmt: skip


# --- in the server -----------------------------------------------------------------------------------------


def _lock(request: Request, path: Path) -> asyncio.Lock:
    locks = request.state.editor.cache.setdefault("khoa-cap-so", {})
    return locks.setdefault(str(path), asyncio.Lock())


async def cap_so(request: Request) -> Response:
    user = user_of(request)
    if not user.can("cap-so"):
        return refused(request, 403, REFUSED_ROLE)
    ed = request.state.editor
    rel = request.query_params.get("duong-dan") or ""
    try:
        path = ed.ws.resolve(rel)
        async with _lock(request, path):
            text = ed.ws.read(rel)
            args = (text, rel, str(ed.ws.root), str(register_path(ed.ws)), user.ten)
            result = await ed.pool.run(issue_job, *args)
            if not result["hop_le"]:
                return JSONResponse(result, status_code=422)
            if "so_cu" in result:
                loi = f"Văn bản đã có số ({result['so_ky_hieu'].strip()}); không cấp số lần hai."
                return JSONResponse({**result, "loi": loi}, status_code=409)
            new_text = with_number(text, result["so"])
            ed.ws.save(rel, new_text)
    except PathRefused as exc:
        return JSONResponse({"loi": str(exc)}, status_code=exc.status)
    except TimedOut:
        return JSONResponse(timeout_json(ed.pool.timeout), status_code=503)
    except WorkerDied:
        return JSONResponse(memory_json(), status_code=503)
    return JSONResponse({**result, "yaml": new_text, "duong_dan": rel})


def routes() -> list[Route]:
    return [Route("/api/cap-so", cap_so, methods=["POST"])]
