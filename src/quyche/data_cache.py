"""A cache of parsed YAML data files — the profiles and the line-break lexicon: what PyYAML made of a file's
text, kept as JSON in the user's cache folder, so that the next process skips PyYAML's constructor (about
10 ms of every ``quyche validate``; docs/architecture.md, "Bộ nhớ đệm").

Never stale: an entry belongs to one file (named by the hash of its path) and holds the SHA-256 of the text it
was parsed from, with PyYAML's version and this format's; any other text is parsed again and the entry
replaced. Never trusted beyond that: an entry that cannot be read or decoded, or whose hash differs, is
ignored; data that JSON cannot carry exactly (dates, sets, keys that are not text, NaN) is never cached.
Written atomically (output.atomic_write); any error reading or writing the cache is ignored — the file is
parsed as if there were none. Documents themselves are never cached (their source map needs the parse).

``QUYCHE_CACHE_DIR`` names the folder (default: ``$XDG_CACHE_HOME/quyche``, ``~/.cache/quyche``;
``%LOCALAPPDATA%\\quyche\\cache`` on Windows); ``QUYCHE_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

FORMAT = 1  # bump when an entry's layout or meaning changes
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
    folder = cache_dir()
    if folder is None:
        return yaml.load(text, Loader=_LOADER)
    digest = hashlib.sha256(f"{FORMAT}\0{yaml.__version__}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    entry = folder / "yaml" / (hashlib.sha256(origin.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json")
    found = _read(entry, digest)
    if found is not None:
        return found[0]
    data = yaml.load(text, Loader=_LOADER)
    _write(entry, digest, data)
    return data


def _read(entry: Path, digest: str) -> tuple[Any] | None:
    """(data,) of an entry made from the same text, or None."""
    try:
        stored = json.loads(entry.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if isinstance(stored, dict) and stored.get("sha256") == digest and "data" in stored:
        return (stored["data"],)
    return None


def _write(entry: Path, digest: str, data: Any) -> None:
    try:
        body = json.dumps({"sha256": digest, "data": data}, ensure_ascii=False, allow_nan=False)
        if json.loads(body)["data"] != data:  # not carried exactly (keys that are not text): parse each time
            return
        from .output import atomic_write

        atomic_write(entry, body.encode("utf-8"))
    except (OSError, TypeError, ValueError, RecursionError):
        pass
