"""The upload-and-check page: a .docx or PDF given by the user is checked as ``quyche check`` does (the same
report data as ``--json``), and a .docx's safe fixes (``--sua``) are offered as a new file to download.

The upload is bounded by the shared budget (``check_bytes``, budget.py) before it is read: a request without a
length, or longer than the budget, is refused; the check runs in the editor's process pool like every check and
render of the editor (worker memory and CPU limits, ``web_seconds``). The file lives only in a temporary folder
for the time of the check; the fixed .docx is held in memory for the session that asked for it (the last few,
never on disk). Every role may use it: it reads and writes nothing of the workspace."""

from __future__ import annotations

import secrets
import tempfile
import unicodedata
from collections import OrderedDict
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import budget
from .app import page, refused
from .renders import TimedOut, WorkerDied

FORM_OVERHEAD = 64 * 1024  # the multipart framing and the other fields around the file
KEEP_FIXED = 16  # fixed files held for download, across sessions
CHUNK = 256 * 1024


def _display_name(name: str | None) -> str:
    """The user's file name for the report and the download: its last part, printable, at most 100 chars."""
    base = Path((name or "").replace("\\", "/")).name
    clean = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable() and ch not in '"<>|')
    return clean.strip()[:100] or "van-ban"


def _fixed_store(request: Request) -> OrderedDict[str, tuple[str, str, bytes]]:
    return request.state.editor.cache.setdefault("kiem-tra-da-sua", OrderedDict())


def check_job(path_text: str, name: str) -> dict[str, Any]:
    """The check of one file, as ``quyche check --json`` gives it (in a worker of the editor's pool, under its
    memory, CPU and time budgets); a .docx with safe fixes also gets the fixed bytes and the check of the fixed
    file (what is left for a person)."""
    from ..check import check_file
    from ..check.fixes import apply_fixes
    from ..check.report import as_json

    path = Path(path_text)
    result = check_file(path)
    result.path = name
    report = as_json(result)
    report["fixed"] = None
    if result.failure is None and result.fmt == "docx" and any(f.fix for f in result.findings):
        data, applied = apply_fixes(result)
        fixed_path = path.with_name("da-sua.docx")
        fixed_path.write_bytes(data)
        again = check_file(fixed_path)
        again.path = name
        report["fixed"] = {"fixes": applied, "left": as_json(again), "bytes": data}
    return report


async def check_form(request: Request) -> Response:
    limit = budget.limit("check_bytes")
    return page(request, "kiem-tra.html", limit=budget.human(limit, "byte"))


async def check_upload(request: Request) -> Response:
    limit = budget.limit("check_bytes")
    shown = budget.human(limit, "byte")
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        return refused(request, 411, "Cần độ dài của tệp gửi lên (Content-Length).")
    if int(length) > limit + FORM_OVERHEAD:
        return refused(request, 413, f"Tệp quá lớn: giới hạn {shown} (QUYCHE_CHECK_MAX_BYTES).")
    form = await request.form(max_files=1, max_fields=4)
    upload = form.get("tep")
    if not isinstance(upload, UploadFile):
        await form.close()
        return refused(request, 400, "Chưa chọn tệp .docx hoặc PDF.")
    name = _display_name(upload.filename)
    with tempfile.TemporaryDirectory(prefix="quyche-kiem-tra-") as tmp:
        head = await upload.read(8)
        suffix = ".pdf" if head.startswith(b"%PDF") else ".docx"
        path = Path(tmp) / f"van-ban{suffix}"
        size = len(head)
        with open(path, "wb") as out:
            out.write(head)
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    await form.close()
                    return refused(request, 413, f"Tệp quá lớn: giới hạn {shown} (QUYCHE_CHECK_MAX_BYTES).")
                out.write(chunk)
        await form.close()
        try:  # in the pool, as every check and render of the editor: worker memory, CPU and web_seconds budgets
            report = await request.state.editor.pool.run(check_job, str(path), name)
        except TimedOut:
            seconds = budget.limit("web_seconds")
            return refused(request, 503, f"Kiểm tra quá {seconds} giây (QUYCHE_MAX_WEB_SECONDS); tệp quá phức tạp.")
        except WorkerDied:
            cap = budget.human(budget.limit("worker_memory"), "byte")
            return refused(request, 413, f"Kiểm tra vượt {cap} bộ nhớ (QUYCHE_MAX_WORKER_MEMORY).")
    fixed = report.pop("fixed")
    token = None
    if fixed is not None:
        token = secrets.token_urlsafe(16)
        store = _fixed_store(request)
        store[token] = (request.state.session.id, f"{Path(name).stem}-da-sua.docx", fixed.pop("bytes"))
        while len(store) > KEEP_FIXED:
            store.popitem(last=False)
        report["fixes"] = fixed["fixes"]
        report["after_fix"] = fixed["left"]
    report["download"] = f"/kiem-tra/tai/{token}" if token else None
    wants_json = request.query_params.get("dinh-dang") == "json" or "application/json" in request.headers.get(
        "accept", ""
    )
    if wants_json:
        return JSONResponse({"files": [report]})
    return page(request, "kiem-tra-ket-qua.html", r=report)


async def fixed_download(request: Request) -> Response:
    item = _fixed_store(request).get(request.path_params["token"])
    if item is None or item[0] != request.state.session.id:
        return refused(request, 404, "Không còn tệp đã sửa này; kiểm tra lại tệp gốc.")
    _, filename, data = item
    from urllib.parse import quote

    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def routes() -> list[Route]:
    return [
        Route("/kiem-tra", check_form),
        Route("/kiem-tra", check_upload, methods=["POST"]),
        Route("/kiem-tra/tai/{token}", fixed_download),
    ]
