"""Which root certificates are trusted: given on the command line, or a configured trust list.

Vietnamese CA roots are not in the usual trust stores. The trust list is the union of:
- the files given (``quyche verify --tin-cay FILE``; a folder means every .cer/.crt/.pem/.der in it);
- the paths in QUYCHE_TRUST (separated by ``:`` — ``;`` on Windows — files or folders);
- the folder ``$XDG_CONFIG_HOME/quyche/tin-cay/`` (by default ``~/.config/quyche/tin-cay/``).
Adding the national root (the Vietnam National Root CA run by NEAC, the root the licensed CAs — VNPT-CA,
Viettel-CA, BkavCA, FPT-CA … — chain to; and the Ban Cơ yếu Chính phủ's root for State bodies) is copying
its certificate, downloaded from the issuer's site (UNCONFIRMED addresses: rootca.gov.vn for NEAC,
ca.gov.vn for the Ban Cơ yếu), into that folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from asn1crypto import x509 as asn1_x509

from .. import budget
from .inputs import _read_file
from .model import SignError

TRUST_ENV = "QUYCHE_TRUST"
CERT_SUFFIXES = (".cer", ".crt", ".pem", ".der")


def trust_folder() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "quyche" / "tin-cay"


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        cap = budget.limit("trust_files")
        found: list[Path] = []
        for entry in path.iterdir():  # counted while listing: a folder of a million files is never sorted whole
            if entry.suffix.lower() in CERT_SUFFIXES and entry.is_file():
                found.append(entry)
                if len(found) > cap:
                    raise SignError(
                        "vuot-gioi-han",
                        f"Thư mục tin cậy {path} có hơn {budget.human(cap, 'tệp')} chứng thư (QUYCHE_MAX_TRUST_FILES).",
                        "chỉ để chứng thư gốc (Root CA) được tin cậy trong thư mục đó.",
                    )
        return sorted(found)
    return [path]


def trust_sources(given: Iterable[Path] = (), *, configured: bool = True) -> list[Path]:
    """The certificate files to trust: ``given`` first, then (when ``configured``) QUYCHE_TRUST and the folder."""
    paths = [Path(p) for p in given]
    if configured:
        paths += [Path(p) for p in os.environ.get(TRUST_ENV, "").split(os.pathsep) if p.strip()]
        folder = trust_folder()
        if folder.is_dir():
            paths.append(folder)
    out: list[Path] = []
    for path in paths:
        out += _expand(path)
    return out


def load_roots(paths: Iterable[Path]) -> list[asn1_x509.Certificate]:
    from pyhanko.keys import load_certs_from_pemder

    roots: list[asn1_x509.Certificate] = []
    for path in paths:
        _read_file(Path(path), "chứng thư gốc", "p12_bytes")
        try:
            roots.extend(load_certs_from_pemder([str(path)]))
        except Exception as exc:
            raise SignError(
                "chung-thu-goc-khong-hop-le",
                f"Không đọc được chứng thư gốc {path}: {exc}.",
                "dùng tệp chứng thư .cer/.crt/.pem (PEM hoặc DER).",
            ) from None
    return roots
