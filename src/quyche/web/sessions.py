"""Sessions, CSRF and the host check of the editor.

- A session is a random 256-bit id in a cookie (HttpOnly, SameSite=Strict, Path=/; Secure is left to a TLS
  proxy in front) mapped in memory to its user and CSRF token; a restart logs everyone out.
- Every POST carries the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``), compared in
  constant time: a page of another site cannot make the browser act (OWASP CSRF cheat sheet, synchronizer token).
- The Host header must name the address the server listens on, so that a page of another site cannot reach a
  127.0.0.1 server through DNS rebinding.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

from .accounts import User

COOKIE = "quyche_phien"
IDLE_S = 8 * 3600  # a working day
MAX_SESSIONS = 10_000


@dataclass
class Session:
    id: str
    csrf: str
    user: User | None = None
    seen: float = field(default_factory=time.monotonic)


class Sessions:
    def __init__(self) -> None:
        self._items: dict[str, Session] = {}
        self._lock = threading.Lock()

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            s = self._items.get(sid)
            if s is None:
                return None
            now = time.monotonic()
            if now - s.seen > IDLE_S:
                del self._items[sid]
                return None
            s.seen = now
            return s

    def new(self, user: User | None = None) -> Session:
        s = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), user)
        with self._lock:
            if len(self._items) >= MAX_SESSIONS:  # drop the oldest rather than grow without bound
                oldest = min(self._items.values(), key=lambda x: x.seen)
                del self._items[oldest.id]
            self._items[s.id] = s
        return s

    def drop(self, sid: str) -> None:
        with self._lock:
            self._items.pop(sid, None)


def csrf_ok(session: Session | None, token: str | None) -> bool:
    return bool(session and token and hmac.compare_digest(session.csrf, token))


def host_ok(host_header: str | None, allowed: set[str]) -> bool:
    return bool(host_header) and host_header.lower() in allowed


def cookie_args(sid: str) -> dict[str, object]:
    return {"key": COOKIE, "value": sid, "httponly": True, "samesite": "strict", "path": "/", "max_age": IDLE_S}


class LoginThrottle:
    """After ``limit`` wrong passwords for one name, that name waits ``lock_s`` seconds (slows guessing; the
    argon2 hash already costs each try tens of milliseconds)."""

    def __init__(self, limit: int = 5, lock_s: int = 300) -> None:
        self.limit, self.lock_s = limit, lock_s
        self._fails: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def blocked(self, name: str) -> int:
        with self._lock:
            count, until = self._fails.get(name, (0, 0.0))
            left = until - time.monotonic()
            return int(left) + 1 if count >= self.limit and left > 0 else 0

    def failed(self, name: str) -> None:
        with self._lock:
            count, until = self._fails.get(name, (0, 0.0))
            if count >= self.limit and until <= time.monotonic():
                count = 0  # the lock ran out: a fresh series
            count += 1
            self._fails[name] = (count, time.monotonic() + self.lock_s if count >= self.limit else 0.0)
            if len(self._fails) > MAX_SESSIONS:
                self._fails.clear()

    def passed(self, name: str) -> None:
        with self._lock:
            self._fails.pop(name, None)
