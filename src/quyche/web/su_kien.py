"""A batch run's progress streamed to the page as Server-Sent Events (HTML Living Standard, §9.2).

``GET /bo-van-ban/su-kien/<run>`` answers ``text/event-stream``: an event ``tien-do`` with the progress fragment
(tien-do.html) each time the run moves — item done, item started — and a last event ``xong`` with the final
fragment (summary, problems, the files written), then the stream ends. The page (static/tien-do.js) swaps each
fragment in; a comment line every 15 s keeps proxies from closing a quiet stream.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from .app import TEMPLATES, refused
from .jobs import BatchRun

POLL_SECONDS = 0.1  # how often the run's state is looked at (the run's thread updates it in place)
KEEPALIVE_SECONDS = 15.0


def event(name: str, html: str) -> str:
    """One event: every line of the fragment as its own ``data:`` line (a data line holds no newline)."""
    data = "".join(f"data: {line}\n" for line in html.splitlines() or [""])
    return f"event: {name}\n{data}\n"


def _fragment(run: BatchRun) -> str:
    return TEMPLATES.get_template("tien-do.html").render(run=run)


async def _events(request: Request, run: BatchRun) -> AsyncIterator[str]:
    last, quiet = None, time.monotonic()
    yield "retry: 2000\n\n"
    while True:
        state = (run.done, run.total, run.current, run.finished)
        if state != last:
            last, quiet = state, time.monotonic()
            yield event("xong" if run.finished else "tien-do", _fragment(run))
            if run.finished:
                return
        elif time.monotonic() - quiet > KEEPALIVE_SECONDS:
            quiet = time.monotonic()
            yield ": con-chay\n\n"
        if await request.is_disconnected():
            return
        await asyncio.sleep(POLL_SECONDS)


async def su_kien(request: Request) -> Response:
    run = request.state.editor.batches.get(request.path_params["run"])
    if run is None:
        return refused(request, 404, "không có lượt chạy này")
    return StreamingResponse(_events(request, run), media_type="text/event-stream", headers={"x-accel-buffering": "no"})


def routes() -> list[Route]:
    return [Route("/bo-van-ban/su-kien/{run}", su_kien)]
