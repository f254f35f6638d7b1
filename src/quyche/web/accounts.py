"""Accounts of a shared editor: ``.quyche/nguoi-dung.json`` in the workspace, written atomically, mode 0600.

Passwords are stored only as argon2id hashes (argon2-cffi, its default parameters, RFC 9106). Roles:

- ``soan-thao`` (drafting clerk): opens, edits, previews, saves and exports documents;
- ``van-thu`` (văn thư): also issues a document's number ("Cấp số") and runs batches, which take numbers from
  the register (NĐ 30/2020, Điều 15–16:
  registering and numbering outgoing documents is the văn thư's task);
- ``quan-tri`` (administrator): everything a văn thư may do.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROLES = ("soan-thao", "van-thu", "quan-tri")
ROLE_NAMES = {"soan-thao": "soạn thảo", "van-thu": "văn thư", "quan-tri": "quản trị"}
FILE_NAME = "nguoi-dung.json"
MIN_PASSWORD = 8
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")


class AccountError(Exception):
    """A refused account operation; the message is for the user."""


@dataclass(frozen=True)
class User:
    ten: str
    vai_tro: str

    def can(self, action: str) -> bool:
        """Server-side role check: ``cap-so`` (take register numbers: Cấp số, batches) needs văn thư or quản trị."""
        if action == "cap-so":
            return self.vai_tro in ("van-thu", "quan-tri")
        return self.vai_tro in ROLES


LOCAL_USER = User("may-nay", "quan-tri")  # the only user of an editor bound to 127.0.0.1 without accounts


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


class Accounts:
    def __init__(self, config_dir: Path) -> None:
        self.path = config_dir / FILE_NAME

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("nguoi_dung"), dict):
            raise AccountError(f"{self.path}: không phải tệp tài khoản của quyche")
        return data["nguoi_dung"]

    def _store(self, users: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        text = json.dumps({"nguoi_dung": users}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", suffix=".tmp", dir=self.path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def any(self) -> bool:
        return bool(self._load())

    def users(self) -> list[User]:
        return [User(name, rec["vai_tro"]) for name, rec in sorted(self._load().items())]

    def add(self, ten: str, vai_tro: str, password: str, *, replace: bool = False) -> User:
        ten = unicodedata.normalize("NFC", ten.strip())
        if not _NAME.match(ten):
            raise AccountError(
                f"tên đăng nhập {ten!r} không hợp lệ: chữ thường không dấu, số, '.', '_', '-' (tối đa 40)"
            )
        if vai_tro not in ROLES:
            raise AccountError(f"vai trò {vai_tro!r} không có; dùng: {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự")
        users = self._load()
        if ten in users and not replace:
            raise AccountError(f"đã có người dùng {ten} (dùng --thay để đổi mật khẩu, vai trò)")
        users[ten] = {"vai_tro": vai_tro, "mat_khau": _hasher().hash(password)}
        self._store(users)
        return User(ten, vai_tro)

    def remove(self, ten: str) -> None:
        users = self._load()
        if ten not in users:
            raise AccountError(f"không có người dùng {ten}")
        del users[ten]
        self._store(users)

    def verify(self, ten: str, password: str) -> User | None:
        """The user when the password matches, else None (same work whether or not the name exists)."""
        from argon2.exceptions import Argon2Error

        users = self._load()
        rec = users.get(ten)
        hasher = _hasher()
        stored = rec["mat_khau"] if rec else _DUMMY_HASH
        try:
            hasher.verify(stored, password)
        except Argon2Error:
            return None
        return User(ten, rec["vai_tro"]) if rec else None


# A hash of a random password: verifying an unknown name costs as much as a known one (no user enumeration)
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$0V+0l2ZZ0wKqXG8s7b1q8c8bC0Yk2yVdM7mB0Qq6x2c"
