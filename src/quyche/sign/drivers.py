"""Finding the PKCS#11 driver of a USB token when none is named (``quyche sign --token … --key-label …``).

Vietnamese CAs hand out USB tokens (mostly Feitian ePass2003 / ePass3003 and SafeNet eToken hardware) with
the CA's own PKCS#11 library. The list below holds the library file names those installers put on disk; the
first one found is used. It is overridable: QUYCHE_PKCS11_LIBS holds file names or paths separated by ``:``
(``;`` on Windows), tried in that order instead of the list. ``--pkcs11-lib`` always wins.

UNCONFIRMED: the file names come from the CAs' Windows/Linux driver packages as commonly seen in practice,
not from a published specification; a site that finds its driver missing adds it through QUYCHE_PKCS11_LIBS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .model import SignError

DRIVERS_ENV = "QUYCHE_PKCS11_LIBS"

# (file name, whose driver) — Linux/macOS first, then Windows; tried in this order.
KNOWN_DRIVERS: tuple[tuple[str, str], ...] = (
    ("libvnpt-ca_p11.so", "VNPT-CA"),
    ("libviettel-ca_v6.so", "Viettel-CA"),
    ("libbkavca.so", "BkavCA"),
    ("libfpt-ca.so", "FPT-CA"),
    ("libbcy-p11.so", "Ban Cơ yếu Chính phủ"),
    ("libcastle.so.1.0.0", "token Feitian ePass2003 (nhiều CA dùng)"),
    ("libshuttle_p11v220.so.1.0.0", "token Feitian ePass3003 (nhiều CA dùng)"),
    ("libeTPkcs11.so", "token SafeNet eToken"),
    ("opensc-pkcs11.so", "OpenSC (ePass2003 và thẻ thông minh)"),
    ("vnpt-ca_csp11.dll", "VNPT-CA"),
    ("viettel-ca_v6.dll", "Viettel-CA"),
    ("BkavCA.dll", "BkavCA"),
    ("fpt-ca.dll", "FPT-CA"),
    ("ShuttleCsp11_3003.dll", "token Feitian ePass3003 (nhiều CA dùng)"),
    ("eps2003csp11.dll", "token Feitian ePass2003 (nhiều CA dùng)"),
    ("eTPKCS11.dll", "token SafeNet eToken"),
)
SEARCH_DIRS_POSIX = (
    "/usr/lib",
    "/usr/lib64",
    "/usr/local/lib",
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib/pkcs11",
    "/usr/lib/x86_64-linux-gnu/pkcs11",
    "/usr/local/lib/pkcs11",
    "/Library/OpenSC/lib",
    "/usr/lib/softhsm",  # SoftHSM2 (Debian): a software token for trying signing without a USB token
)
SEARCH_DIRS_WINDOWS = (r"C:\Windows\System32", r"C:\Windows\SysWOW64")


def candidates() -> list[str]:
    """The names or paths to try: QUYCHE_PKCS11_LIBS when set, else the known drivers."""
    override = [p.strip() for p in os.environ.get(DRIVERS_ENV, "").split(os.pathsep) if p.strip()]
    return override or [name for name, _ in KNOWN_DRIVERS]


def _where(name: str) -> Path | None:
    path = Path(name)
    if path.is_absolute() or os.sep in name or "/" in name:
        return path if path.is_file() else None
    for folder in SEARCH_DIRS_WINDOWS if sys.platform == "win32" else SEARCH_DIRS_POSIX:
        found = Path(folder) / name
        if found.is_file():
            return found
    return None


def find_driver() -> Path:
    """The first installed PKCS#11 library among the candidates; a SignError naming what was tried otherwise."""
    tried = candidates()
    for name in tried:
        found = _where(name)
        if found is not None:
            return found
    shown = ", ".join(tried[:8]) + (f" … ({len(tried)} tên)" if len(tried) > 8 else "")
    raise SignError(
        "pkcs11-khong-co-thu-vien",
        f"Không tìm thấy thư viện PKCS#11 của USB token nào trên máy (đã tìm: {shown}).",
        "cài phần mềm USB token của nhà cung cấp (VNPT-CA, Viettel-CA, BkavCA …), rồi ghi đường dẫn thư viện "
        f"bằng --pkcs11-lib, hoặc thêm tên/đường dẫn vào biến {DRIVERS_ENV}.",
    )
