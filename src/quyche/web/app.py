"""The editor's Starlette application: pages (server-side Jinja2, htmx) and the access rules around them.

Access (docs/architecture.md, "The editor"): on 127.0.0.1 without accounts every visitor is the machine's
own user (role quản trị); with accounts, or on any other address, every page but the login page needs a
session. Every POST needs the session's CSRF token; the Host header must be the served address. Roles are
checked here, on the server: taking register numbers (batch runs) needs văn thư or quản trị.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .accounts import LOCAL_USER, ROLE_NAMES, Accounts, User
from .jobs import BatchRuns
from .renders import RenderPool
from .sessions import COOKIE, LoginThrottle, Session, Sessions, cookie_args, csrf_ok, host_ok
from .workspace import PathRefused, Workspace

HERE = Path(__file__).parent
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
KIND_NAMES = {
    "quy_che": "Quy chế phối hợp",
    "chuong_trinh": "Chương trình phối hợp",
    "giay_moi": "Giấy mời",
    "bien_ban": "Biên bản",
    "ke_hoach": "Kế hoạch",
    "quyet_dinh": "Quyết định",
    "bao_cao": "Báo cáo",
    "thong_bao": "Thông báo",
    "cong_van": "Công văn",
    "bo_van_ban": "Bộ văn bản",
    "danh_muc": "Danh mục cơ quan",
}
PUBLIC = ("/dang-nhap", "/static/", "/api/phien", "/favicon.ico")  # /api/phien: the caller's own token
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)


@dataclass
class Editor:
    """Everything a request handler needs, made once per server."""

    ws: Workspace
    host: str
    port: int
    pool: RenderPool
    sessions: Sessions = field(default_factory=Sessions)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    accounts: Accounts | None = None
    batches: BatchRuns | None = None
    allowed_hosts: set[str] = field(default_factory=set)
    cache: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.accounts = Accounts(self.ws.config_dir)
        self.batches = BatchRuns(self.ws)
        names = {self.host, "localhost"} if self.host in LOCAL_HOSTS else {self.host}
        self.allowed_hosts = {f"{h}:{self.port}" for h in names} | (
            {f"[{self.host}]:{self.port}"} if ":" in self.host else set()
        )

    @property
    def local(self) -> bool:
        return self.host in LOCAL_HOSTS

    def needs_login(self) -> bool:
        return not self.local or self.accounts.any()


class LanWithoutAccounts(Exception):
    """Serving on another address than 127.0.0.1 needs accounts (quyche nguoi-dung them …)."""


def _env() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(kind_names=KIND_NAMES, role_names=ROLE_NAMES)
    env.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


TEMPLATES = _env()


def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    session: Session = request.state.session
    html = TEMPLATES.get_template(name).render(
        request_path=request.url.path,
        user=session.user,
        csrf=session.csrf,
        lan=request.state.editor.needs_login(),
        **ctx,
    )
    return HTMLResponse(html, status_code=status)


def refused(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/") or request.headers.get("hx-request"):
        return JSONResponse({"loi": message}, status_code=status)
    return page(request, "loi.html", status=status, message=message)


class Guard:
    """Pure ASGI middleware: host check, session, login, CSRF, security headers."""

    def __init__(self, app: Callable[..., Awaitable[None]], editor: Editor) -> None:
        self.app, self.editor = app, editor

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope, receive)
        response = await self._check(request)
        if response is not None:
            return await self._send(response, request, scope, receive, send)

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                for k, v in _security_headers():
                    headers.append((k.encode(), v.encode()))
                cookie = request.state.new_cookie
                if cookie:
                    probe = Response()
                    probe.set_cookie(**cookie)
                    headers.extend(h for h in probe.raw_headers if h[0] == b"set-cookie")
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _send(self, response: Response, request: Request, scope: Any, receive: Any, send: Any) -> None:
        for k, v in _security_headers():
            response.headers[k] = v
        if getattr(request.state, "new_cookie", None):
            response.set_cookie(**request.state.new_cookie)
        await response(scope, receive, send)

    async def _check(self, request: Request) -> Response | None:
        ed = self.editor
        request.state.editor = ed
        request.state.new_cookie = None
        if not host_ok(request.headers.get("host"), ed.allowed_hosts):
            return Response("Host không hợp lệ.", status_code=421, media_type="text/plain; charset=utf-8")
        session = ed.sessions.get(request.cookies.get(COOKIE))
        if session is None:
            session = ed.sessions.new(None if ed.needs_login() else LOCAL_USER)
            request.state.new_cookie = cookie_args(session.id)
        request.state.session = session
        path = request.url.path
        if request.method == "POST":
            # every change goes through htmx or fetch with the header (hx-headers on <body>), never a bare form
            if not csrf_ok(session, request.headers.get("x-csrf-token")):
                return refused(request, 403, "Thiếu hoặc sai mã chống giả mạo (CSRF); tải lại trang rồi thử lại.")
        if session.user is None and not path.startswith(PUBLIC):
            if path.startswith("/api/") or request.method != "GET":
                return refused(request, 401, "Cần đăng nhập.")
            return RedirectResponse("/dang-nhap", status_code=303)
        return None


def _security_headers() -> list[tuple[str, str]]:
    return [
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("cache-control", "no-store"),
    ]


def user_of(request: Request) -> User:
    return request.state.session.user


def create_app(
    folder: str | Path, host: str = "127.0.0.1", port: int = 8321, pool: RenderPool | None = None
) -> Starlette:
    """The editor over ``folder``. Raises LanWithoutAccounts for a non-local address without accounts."""
    from . import api, cap_so, kiem_tra, pages, su_kien

    ws = Workspace.open(folder)
    editor = Editor(ws, host, port, pool or RenderPool())
    if not editor.local and not editor.accounts.any():
        raise LanWithoutAccounts(host)
    routes = [
        *pages.routes(),
        *api.routes(),
        *kiem_tra.routes(),
        *cap_so.routes(),
        *su_kien.routes(),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        editor.pool.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.editor = editor
    app.add_middleware(Guard, editor=editor)
    return app


def workspace_error(request: Request, exc: PathRefused) -> Response:
    return refused(request, exc.status, str(exc))


__all__ = ["Editor", "LanWithoutAccounts", "Route", "create_app", "page", "refused", "user_of", "workspace_error"]
