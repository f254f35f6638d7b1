"""The register file: where it is, connections (WAL, busy timeout), schema creation, transactions, and
SQLite errors turned into the clerk's messages. SQLite locking needs a local file system."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import history
from .schema import _MIGRATIONS, _SCHEMA_V1, APPLICATION_ID, SCHEMA_VERSION
from .series import RegisterError

ENV_VAR = "QUYCHE_REGISTER"
DEFAULT_PATH = Path(".quyche") / "so-dang-ky.sqlite3"


def default_path() -> Path:
    """``$QUYCHE_REGISTER`` or ``./.quyche/so-dang-ky.sqlite3`` (one register per workspace)."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else DEFAULT_PATH


class Store:
    """One register file. Cheap to create; every call opens its own connection, so an instance may be used from
    any thread or process (and pickled)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout: float = 30.0) -> None:
        self.path = Path(os.path.abspath(Path(path).expanduser() if path is not None else default_path()))
        self.timeout = timeout
        self._ready = False

    def __repr__(self) -> str:
        return f"Register({str(self.path)!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_ready": False}

    # --- internals -----------------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._wal(conn)
            conn.execute("PRAGMA synchronous = FULL")  # a committed number survives a power cut
            conn.execute("PRAGMA foreign_keys = ON")
            if not self._ready:
                self._migrate(conn)
                self._ready = True
        except BaseException:
            conn.close()
            raise
        return conn

    def _wal(self, conn: sqlite3.Connection) -> None:
        """WAL lets readers work while one writer holds the lock. Switching needs a moment alone with the file
        (a first run of several processes at once), so a busy answer is retried until the timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    # a file system without WAL keeps its rollback journal: BEGIN IMMEDIATE still serialises
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version, app_id = self._header(conn)
        if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version, app_id = self._header(conn)  # another process may have created it meanwhile
            if version > SCHEMA_VERSION:
                raise RegisterError(
                    f"sổ đăng ký {self.path} được tạo bởi phiên bản quyche mới hơn (lược đồ {version}); "
                    "hãy cập nhật quyche."
                )
            if version == 0:
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise RegisterError(f"{self.path} là cơ sở dữ liệu khác, không phải sổ đăng ký của quyche.")
                for stmt in _SCHEMA_V1:
                    conn.execute(stmt)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                version = 1
            elif app_id != APPLICATION_ID:
                raise RegisterError(f"{self.path} là cơ sở dữ liệu khác, không phải sổ đăng ký của quyche.")
            for v in range(version, SCHEMA_VERSION):
                for stmt in _MIGRATIONS[v]:
                    conn.execute(stmt)
                if v == 1:  # lines written before the audit trail get one event each, the chain starts there
                    history.baseline(conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _header(conn: sqlite3.Connection) -> tuple[int, int]:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        return version, app_id

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. BEGIN IMMEDIATE takes the write lock first, so two processes never read the
        same last number; the busy timeout makes the second one wait instead of failing."""
        with self._errors():
            conn = self._open()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection: reading never creates, migrates or writes the file, so a register on read-only
        media (a CD, a read-only share, an archive copy) can be listed and exported. A missing file is an error
        naming the path: an empty book must never be mistaken for a wrong path."""
        if not self.path.is_file():
            raise RegisterError(
                f"không có sổ đăng ký tại {self.path} (sai đường dẫn, hoặc chưa giữ số nào); "
                f"ghi đúng tệp bằng --so-dang-ky TỆP hoặc biến môi trường {ENV_VAR}."
            )
        with self._errors():
            conn = self._open_read()
            try:
                yield conn
            finally:
                conn.close()

    def _open_read(self) -> sqlite3.Connection:
        uri = self.path.as_uri()
        conn = None
        try:
            conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=self.timeout)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            if "unable to open" not in str(exc) and "readonly" not in str(exc):
                raise
            # WAL needs its -shm file next to the register; on read-only media read the file as it is
            conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=self.timeout)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            version, app_id = self._header(conn)
            if version > SCHEMA_VERSION:
                raise RegisterError(
                    f"sổ đăng ký {self.path} được tạo bởi phiên bản quyche mới hơn (lược đồ {version}); "
                    "hãy cập nhật quyche."
                )
            if app_id != APPLICATION_ID:
                raise RegisterError(f"{self.path} là cơ sở dữ liệu khác, không phải sổ đăng ký của quyche.")
        except BaseException:
            conn.close()
            raise
        return conn

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                msg = f"sổ đăng ký {self.path} đang bị tiến trình khác giữ quá {self.timeout:g} giây; thử lại sau."
            elif "not a database" in text or "malformed" in text:
                msg = f"{self.path} không phải sổ đăng ký hoặc tệp đã hỏng ({text})."
            elif "unable to open" in text or "readonly" in text:
                msg = f"không mở được sổ đăng ký {self.path} để ghi ({text})."
            else:
                msg = f"lỗi sổ đăng ký {self.path}: {text}"
            raise RegisterError(msg) from exc
        except OSError as exc:
            raise RegisterError(f"không mở được sổ đăng ký {self.path}: {exc.strerror or exc}.") from exc
