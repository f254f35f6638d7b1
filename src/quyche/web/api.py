"""The editor's HTTP API (the page uses it; the tests drive it). Every path is confined to the workspace.

POST /api/kiem-tra                 YAML → JSON diagnostics (ma/code, message, dong, cot, goi_y, duong_dan)
POST /api/xem-truoc                YAML → the HTML of the PDF renderer (text/html, or JSON with diagnostics)
POST /api/xuat?dinh-dang=docx|pdf  YAML → the file
GET  /api/tai/<path>?dinh-dang=…   a workspace document rendered
POST /api/luu?duong-dan=…          YAML → saved atomically (the diagnostics come back too)
POST /api/bieu-mau                 {yaml, thay_doi} → the YAML text with the form's edits applied
GET  /api/luoc-do/<loai>           the JSON Schema of a kind, for the form
GET  /api/phien                    the session: user, role, CSRF token
The query ``duong-dan`` names the file the text belongs to, so that its relative paths (danh_muc) resolve.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .. import budget
from .renders import TimedOut, WorkerDied, check_job, export_job, memory_json, preview_job, timeout_json
from .roundtrip import RoundTripError, apply_changes
from .workspace import PathRefused

UNSAVED = "van-ban-moi.yaml"  # the name an unsaved text is checked under, at the workspace's top
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class TooLarge(Exception):
    pass


async def read_body(request: Request, limit: int | None = None) -> bytes:
    """The request body, refused past ``limit`` bytes (the YAML budget) without reading the rest (HTTP 413)."""
    limit = budget.limit("yaml_bytes") if limit is None else limit
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def read_text(request: Request) -> str:
    raw = await read_body(request)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PathRefused("nội dung không phải UTF-8", 400) from None


def doc_name(request: Request) -> str:
    """The workspace-relative name the text is checked as (its folder resolves danh_muc)."""
    ws = request.state.editor.ws
    rel = request.query_params.get("duong-dan") or UNSAVED
    ws.resolve(rel, must_exist=False)  # confined, or PathRefused
    return rel


def guarded(handler):
    """Workspace refusals, size limits and the time budget as HTTP answers."""

    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except PathRefused as exc:
            return JSONResponse({"loi": str(exc)}, status_code=exc.status)
        except TooLarge:
            return JSONResponse({"loi": f"nội dung lớn hơn {budget.limit('yaml_bytes')} byte"}, status_code=413)
        except TimedOut:
            return JSONResponse(timeout_json(request.state.editor.pool.timeout), status_code=503)
        except WorkerDied:
            return JSONResponse(memory_json(), status_code=503)

    return wrapped


@guarded
async def kiem_tra(request: Request) -> Response:
    text, rel = await read_text(request), doc_name(request)
    ed = request.state.editor
    return JSONResponse(await ed.pool.run(check_job, text, rel, str(ed.ws.root)))


@guarded
async def xem_truoc(request: Request) -> Response:
    text, rel = await read_text(request), doc_name(request)
    ed = request.state.editor
    result = await ed.pool.run(preview_job, text, rel, str(ed.ws.root))
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(result)
    if result["html"] is None:
        return JSONResponse(result, status_code=422)
    return HTMLResponse(result["html"])


async def _export(request: Request, text: str, rel: str) -> Response:
    fmt = request.query_params.get("dinh-dang", "docx")
    if fmt not in MEDIA:
        return JSONResponse({"loi": f"định dạng không hỗ trợ: {fmt}; dùng docx hoặc pdf"}, status_code=400)
    ed = request.state.editor
    result = await ed.pool.run(export_job, text, rel, str(ed.ws.root), fmt)
    if result.get("data") is None:
        return JSONResponse({k: v for k, v in result.items() if k != "data"}, status_code=422)
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    name = f"{stem}.{fmt}"
    return Response(
        result["data"], media_type=MEDIA[fmt], headers={"content-disposition": f'attachment; filename="{name}"'}
    )


@guarded
async def xuat(request: Request) -> Response:
    return await _export(request, await read_text(request), doc_name(request))


@guarded
async def tai(request: Request) -> Response:
    rel = request.path_params["path"]
    return await _export(request, request.state.editor.ws.read(rel), rel)


@guarded
async def luu(request: Request) -> Response:
    text = await read_text(request)
    rel = request.query_params.get("duong-dan")
    if not rel:
        raise PathRefused("thiếu duong-dan", 400)
    ed = request.state.editor
    ed.ws.save(rel, text, new=request.query_params.get("moi") == "1")
    result = await ed.pool.run(check_job, text, rel, str(ed.ws.root))
    return JSONResponse({"da_luu": rel, **result})


@guarded
async def bieu_mau(request: Request) -> Response:
    try:
        payload = json.loads(await read_body(request, 4 * budget.limit("yaml_bytes")))
        text, changes = payload["yaml"], payload["thay_doi"]
        if not isinstance(text, str) or not isinstance(changes, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"loi": "cần {yaml: chuỗi, thay_doi: danh sách}"}, status_code=400)
    try:
        new_text = apply_changes(text, changes)
    except RoundTripError as exc:
        return JSONResponse({"loi": f"không ghép được biểu mẫu vào YAML: {exc}"}, status_code=422)
    if len(new_text.encode("utf-8")) > budget.limit("yaml_bytes"):
        raise TooLarge
    return JSONResponse({"yaml": new_text})


async def luoc_do(request: Request) -> Response:
    from ..json_schema import KINDS, form_schema

    kind = request.path_params["loai"]
    if kind not in KINDS:
        return JSONResponse({"loi": f"không có loại {kind}"}, status_code=404)
    return JSONResponse(form_schema(kind))


async def phien(request: Request) -> Response:
    s = request.state.session
    return JSONResponse({"csrf": s.csrf, "nguoi_dung": s.user.ten if s.user else None,
                         "vai_tro": s.user.vai_tro if s.user else None})  # fmt: skip


def routes() -> list[Route]:
    return [
        Route("/api/kiem-tra", kiem_tra, methods=["POST"]),
        Route("/api/xem-truoc", xem_truoc, methods=["POST"]),
        Route("/api/xuat", xuat, methods=["POST"]),
        Route("/api/tai/{path:path}", tai, methods=["GET"]),
        Route("/api/luu", luu, methods=["POST"]),
        Route("/api/bieu-mau", bieu_mau, methods=["POST"]),
        Route("/api/luoc-do/{loai}", luoc_do, methods=["GET"]),
        Route("/api/phien", phien, methods=["GET"]),
    ]
