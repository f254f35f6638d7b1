"""A cache of parsed data files — the profiles, the line-break lexicon, the font metrics: what PyYAML (or json) made
of a file's text, kept in the user's cache folder in Python's own marshal format, so that the next process
neither runs PyYAML's constructor nor loads json (about 12 ms of every ``quyche validate``; docs/architecture.md,
"Caches").

Never stale: an entry belongs to one file (named by the hash of its path and the Python that wrote it, as
``__pycache__`` names bytecode) and holds the SHA-256 of the text it was parsed from, with the parser and its
version; any other text is parsed again and the entry replaced. An entry that cannot be read or decoded, or
whose hash differs, is ignored; data marshal cannot carry exactly (dates, NaN) is never cached. Written
atomically (output.atomic_write); any error reading or writing the cache is ignored — the file is parsed as if
there were none. Documents and rosters are never cached (their diagnostics need the parse's positions).
Entries are trusted as ``__pycache__`` is: the folder must be the user's own.

``QUYCHE_CACHE_DIR`` names the folder (default: ``$XDG_CACHE_HOME/quyche``, ``~/.cache/quyche``;
``%LOCALAPPDATA%\\quyche\\cache`` on Windows); ``QUYCHE_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

FORMAT = 2  # bump when an entry's layout or meaning changes
CACHE_DIR_ENV = "QUYCHE_CACHE_DIR"
NO_CACHE_ENV = "QUYCHE_NO_CACHE"
# libyaml's parser when the wheel has it; the same data as the pure one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def cache_dir() -> Path | None:
    """The folder of quyche's caches, or None when caching is turned off or there is no home to put it in."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    named = os.environ.get(CACHE_DIR_ENV)
    if named:
        return Path(named)
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "quyche" / "cache" if base else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG rule: a relative path is ignored
        return Path(xdg) / "quyche"
    try:
        return Path.home() / ".cache" / "quyche"
    except RuntimeError:  # no home directory
        return None


def load_yaml(text: str, origin: str) -> Any:
    """``yaml.safe_load(text)`` (libyaml when available) of the file ``origin`` (an absolute path: the entry's
    name), through the cache. Raises yaml.YAMLError as the parse does."""
    return _through_cache(text, origin, f"yaml {yaml.__version__}", lambda: yaml.load(text, Loader=_LOADER))


def load_json(text: str, origin: str) -> Any:
    """``json.loads(text)`` of the file ``origin`` through the cache (json itself is imported only to parse)."""

    def parse() -> Any:
        import json

        return json.loads(text)

    return _through_cache(text, origin, "json", parse)


def _through_cache(text: str, origin: str, parser: str, parse: Callable[[], Any]) -> Any:
    folder = cache_dir()
    if folder is None:
        return parse()
    digest = hashlib.sha256(f"{FORMAT}\0{parser}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    name = hashlib.sha256(origin.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    entry = folder / "data" / f"{name}.{sys.implementation.cache_tag}.bin"
    found = _read(entry, digest)
    if found is not None:
        return found[0]
    data = parse()
    _write(entry, digest, data)
    return data


def _read(entry: Path, digest: str) -> tuple[Any] | None:
    """(data,) of an entry made from the same text, or None."""
    try:
        stored = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if type(stored) is tuple and len(stored) == 2 and stored[0] == digest:
        return (stored[1],)
    return None


def _write(entry: Path, digest: str, data: Any) -> None:
    try:
        body = marshal.dumps((digest, data))
        if marshal.loads(body)[1] != data:  # not carried exactly (NaN): parsed each time
            return
        from .output import atomic_write

        atomic_write(entry, body)
    except (OSError, ValueError, RecursionError):
        pass
