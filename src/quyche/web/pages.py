"""The editor's pages: index, editor, new document, login, batches, register, downloads, preview frame."""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..starters import COMPANIONS, STARTER_KINDS, companion_text, starter_text
from .accounts import AccountError
from .app import KIND_NAMES, page, refused, user_of, workspace_error
from .jobs import OUT_DIR, OUTPUT_SUFFIXES, export_register, register_entries
from .renders import TimedOut, WorkerDied, plain, stylesheet_job, summary_job
from .sessions import cookie_args
from .workspace import PathRefused


async def _summary(request: Request, rel: str) -> dict[str, Any]:
    ed = request.state.editor
    path = ed.ws.root / rel
    st = path.stat()
    key = ("tom-tat", rel, st.st_mtime_ns, st.st_size)
    if key not in ed.cache:
        try:
            ed.cache[key] = await ed.pool.run(summary_job, rel, str(ed.ws.root))
        except (TimedOut, WorkerDied):
            return {"duong_dan": rel, "loai": None, "trich_yeu": None, "so": None, "hop_le": False, "so_loi": 1}
    return ed.cache[key]


async def index(request: Request) -> Response:
    ed = request.state.editor
    docs = await asyncio.gather(*(_summary(request, rel) for rel in ed.ws.documents()))
    return page(request, "index.html", docs=docs, kinds=STARTER_KINDS, folder=ed.ws.root.name)


async def editor(request: Request) -> Response:
    ed = request.state.editor
    rel = request.path_params["path"]
    try:
        text = ed.ws.read(rel)
    except PathRefused as exc:
        return workspace_error(request, exc)
    from ..errors import DiagnosticError
    from ..source import parse_text

    kind, start, numbered = None, "{}", False
    try:
        data = parse_text(text, rel).data
        kind = data.get("loai") if isinstance(data.get("loai"), str) else None
        numbered = data.get("so") not in (None, "")
        start = json.dumps(plain(data), ensure_ascii=False)
    except DiagnosticError:
        pass  # the YAML tab shows the located error; the form waits for a text it can read
    if kind == "bo_van_ban":
        return RedirectResponse(f"/bo-van-ban?duong-dan={rel}", status_code=303)
    # "Cấp số" (cap_so.py): for a document without a number, shown to văn thư and quản trị only
    can_number = user_of(request).can("cap-so") and not numbered
    return page(request, "editor.html", rel=rel, text=text, kind=kind, start=start, can_number=can_number)


async def new_form(request: Request) -> Response:
    kind = request.query_params.get("loai", "quy_che")
    if kind not in STARTER_KINDS:
        return refused(request, 404, f"không có loại {kind}")
    return page(request, "tao-moi.html", kind=kind, suggested=f"{kind.replace('_', '-')}-moi.yaml")


async def new_create(request: Request) -> Response:
    form = await request.form()
    kind, name = str(form.get("loai", "")), str(form.get("ten_tep", "")).strip()
    if kind not in STARTER_KINDS:
        return refused(request, 400, f"không có loại {kind}")
    if not name.lower().endswith((".yaml", ".yml")):
        name += ".yaml"
    ed = request.state.editor
    try:
        ed.ws.save(name, starter_text(kind), new=True)
    except PathRefused as exc:
        return JSONResponse({"loi": str(exc)}, status_code=exc.status)
    folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
    for companion in COMPANIONS.get(kind, ()):  # the sample roster a batch starter names
        with contextlib.suppress(PathRefused):
            ed.ws.save(folder + companion, companion_text(companion), new=True)
    target = f"/bo-van-ban?duong-dan={name}" if kind == "bo_van_ban" else f"/soan/{name}"
    return Response(status_code=204, headers={"HX-Redirect": target})


async def login_form(request: Request) -> Response:
    return page(request, "dang-nhap.html", error=None)


async def login(request: Request) -> Response:
    ed = request.state.editor
    form = await request.form()
    name, password = str(form.get("ten", ""))[:64], str(form.get("mat_khau", ""))[:1024]
    wait = ed.throttle.blocked(name)
    if wait:
        return page(request, "dang-nhap-loi.html", error=f"Đăng nhập sai nhiều lần; thử lại sau {wait} giây.")
    try:
        user = await asyncio.to_thread(ed.accounts.verify, name, password) if name else None
    except AccountError as exc:
        return JSONResponse({"loi": str(exc)}, status_code=500)
    if user is None:
        ed.throttle.failed(name)
        return page(request, "dang-nhap-loi.html", status=200, error="Sai tên đăng nhập hoặc mật khẩu.")
    ed.throttle.passed(name)
    old = request.state.session
    ed.sessions.drop(old.id)  # a new session id at login (no session fixation)
    session = ed.sessions.new(user)
    request.state.new_cookie = {**_cookie(session.id)}
    return Response(status_code=204, headers={"HX-Redirect": "/"})


def _cookie(sid: str) -> dict[str, Any]:
    return cookie_args(sid)


async def logout(request: Request) -> Response:
    ed = request.state.editor
    ed.sessions.drop(request.state.session.id)
    return Response(status_code=204, headers={"HX-Redirect": "/dang-nhap"})


async def batches(request: Request) -> Response:
    ed = request.state.editor
    docs = [d for d in await asyncio.gather(*(_summary(request, r) for r in ed.ws.documents()))
            if d["loai"] == "bo_van_ban"]  # fmt: skip
    chosen = request.query_params.get("duong-dan")
    runs = sorted(ed.batches.runs.values(), key=lambda r: -r.started)
    return page(request, "bo-van-ban.html", docs=docs, chosen=chosen, runs=runs,
                can_number=user_of(request).can("cap-so"))  # fmt: skip


async def batch_start(request: Request) -> Response:
    user = user_of(request)
    if not user.can("cap-so"):
        # NĐ 30/2020, Điều 16: numbering outgoing documents is the văn thư's; a batch takes numbers
        return refused(request, 403, "Chỉ văn thư hoặc quản trị được chạy bộ văn bản (lấy số từ sổ đăng ký).")
    form = await request.form()
    ed = request.state.editor
    try:
        run = ed.batches.start(str(form.get("duong_dan", "")), user.ten)
    except PathRefused as exc:
        return workspace_error(request, exc)
    return page(request, "tien-do.html", run=run)


async def batch_progress(request: Request) -> Response:
    run = request.state.editor.batches.get(request.path_params["run"])
    if run is None:
        return refused(request, 404, "không có lượt chạy này")
    return page(request, "tien-do.html", run=run)


async def register(request: Request) -> Response:
    ed = request.state.editor
    entries = await asyncio.to_thread(register_entries, ed.ws)
    return page(request, "so-dang-ky.html", entries=entries)


async def register_xlsx(request: Request) -> Response:
    ed = request.state.editor
    tmp = Path(tempfile.mkdtemp(prefix="quyche-so-"))
    target = tmp / "so-dang-ky.xlsx"
    await asyncio.to_thread(export_register, ed.ws, target)
    data = target.read_bytes()
    target.unlink()
    tmp.rmdir()
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"content-disposition": 'attachment; filename="so-dang-ky.xlsx"'})  # fmt: skip


async def output_file(request: Request) -> Response:
    ed = request.state.editor
    rel = request.path_params["path"]
    try:
        if not rel.startswith(f"{OUT_DIR}/"):
            raise PathRefused("chỉ tải được tệp trong thư mục kết quả", 403)
        path = ed.ws.resolve(rel, suffixes=OUTPUT_SUFFIXES)
    except PathRefused as exc:
        return workspace_error(request, exc)
    return FileResponse(path, filename=path.name)


async def preview_frame(request: Request) -> Response:
    return page(request, "khung-xem-truoc.html")


async def preview_css(request: Request) -> Response:
    ed = request.state.editor
    if "kieu" not in ed.cache:
        ed.cache["kieu"] = await ed.pool.run(stylesheet_job, "/phong/")
    return Response(ed.cache["kieu"]["css"], media_type="text/css; charset=utf-8")


async def font(request: Request) -> Response:
    ed = request.state.editor
    if "kieu" not in ed.cache:
        ed.cache["kieu"] = await ed.pool.run(stylesheet_job, "/phong/")
    files = ed.cache["kieu"]["files"]
    index = request.path_params["i"]
    if not 0 <= index < len(files):
        return Response(status_code=404)
    return FileResponse(files[index], media_type="font/ttf")


def routes() -> list[Route]:
    return [
        Route("/", index),
        Route("/soan/{path:path}", editor),
        Route("/tao-moi", new_form),
        Route("/tao-moi", new_create, methods=["POST"]),
        Route("/dang-nhap", login_form),
        Route("/dang-nhap", login, methods=["POST"]),
        Route("/dang-xuat", logout, methods=["POST"]),
        Route("/bo-van-ban", batches),
        Route("/bo-van-ban/chay", batch_start, methods=["POST"]),
        Route("/bo-van-ban/tien-do/{run}", batch_progress),
        Route("/so-dang-ky", register),
        Route("/so-dang-ky/so-dang-ky.xlsx", register_xlsx),
        Route("/tep/{path:path}", output_file),
        Route("/xem-truoc/khung", preview_frame),
        Route("/xem-truoc/kieu.css", preview_css),
        Route("/phong/{i:int}", font),
        Route("/favicon.ico", lambda _r: Response(status_code=204)),
    ]


__all__ = ["KIND_NAMES", "routes"]
