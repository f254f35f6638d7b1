"""Profiles: the layout rules as data (design.md §2, the-thuc "How to use this spec in code").

A profile is a YAML file of rule records ``key: {value | default, source, status, …}``. A profile may
``extends:`` another and override only what changes; an organisation or a document may override
settings on top (``the_thuc_tuy_chinh:``) without editing the profile. Only ``confirmed`` and
``secondary`` rules may produce hard errors; the others are settings with documented defaults.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT_FOR_SYSTEM = {"nha_nuoc": "nd30-2020", "mat_tran": "nd30-2020", "dang": "hd36-2018"}


class ProfileError(Exception):
    def __init__(self, name: str, detail: str, choices: list[str] | None = None) -> None:
        super().__init__(detail)
        self.name = name
        self.detail = detail
        self.choices = choices or []


@dataclass(frozen=True)
class Rule:
    """One rule record of a profile: its value, citation (source) and how sure the reading is (status)."""

    key: str
    value: Any
    source: str = ""
    status: str = "confirmed"
    choices: tuple[Any, ...] | None = None
    range: tuple[float, float] | None = None

    @property
    def citation(self) -> str:
        return f"{self.key} ({self.source})" if self.source else self.key


@dataclass
class Profile:
    """A profile with its ``extends:`` chain merged: the rules by key, and the settings a document overrides."""

    id: str
    title: str
    system: str
    rules: dict[str, Rule]
    chain: tuple[str, ...] = ()
    overrides: dict[str, Any] = field(default_factory=dict)
    # Keys read through get() while one document is composed, when tracking (see tracking()): a document
    # setting that is never read had no effect, and the composer refuses it instead of ignoring it.
    reads: set[str] | None = None

    def rule(self, key: str) -> Rule:
        try:
            return self.rules[key]
        except KeyError:
            raise KeyError(f"profile {self.id} has no rule {key!r}") from None

    def get(self, key: str, default: Any = ...) -> Any:
        if self.reads is not None:
            self.reads.add(key)
        if key in self.overrides:
            return self.overrides[key]
        if key not in self.rules:
            if default is ...:
                raise KeyError(f"profile {self.id} has no rule {key!r}")
            return default
        return self.rules[key].value

    def cite(self, key: str) -> str:
        return self.rules[key].citation if key in self.rules else key

    def size(self, role: str) -> float:
        """Point size of a role in the chosen size set (one switch for all ranged sizes, ND30-PL1 §V)."""
        table = self.get("sizes")
        chosen = str(self.get("size_set"))
        if chosen not in table:
            chosen = next(iter(table))
        return float(table[chosen][role])

    def with_overrides(self, overrides: dict[str, Any]) -> Profile:
        """A copy with settings overridden; unknown keys raise KeyError (caller reports them)."""
        for key in overrides:
            if key not in self.rules:
                raise KeyError(key)
        merged = {**self.overrides, **overrides}
        return Profile(self.id, self.title, self.system, self.rules, self.chain, merged, self.reads)

    def tracking(self) -> Profile:
        """A copy that records every key read (the cached profiles are shared and never record)."""
        return Profile(self.id, self.title, self.system, self.rules, self.chain, dict(self.overrides), set())

    def differences(self, other: Profile) -> list[tuple[str, Rule | None, Rule | None]]:
        """(key, this profile's rule, the other's) for every rule whose value, status or source differs,
        or that only one of the two has — what changes when a document moves from one to the other."""
        out = []
        for key in sorted(set(self.rules) | set(other.rules)):
            a, b = self.rules.get(key), other.rules.get(key)
            if a is None or b is None or (a.value, a.status, a.source) != (b.value, b.status, b.source):
                out.append((key, a, b))
        return out

    def suggest(self, key: str) -> str | None:
        close = difflib.get_close_matches(key, list(self.rules), n=1, cutoff=0.6)
        return close[0] if close else None


def available_profiles(extra_dirs: tuple[Path, ...] = ()) -> list[str]:
    names = {p.stem for p in PROFILE_DIR.glob("*.yaml")}
    for d in extra_dirs:
        names |= {p.stem for p in Path(d).glob("*.yaml")}
    return sorted(names)


def load_profile(name: str, base_dir: Path | None = None) -> Profile:
    """Load a profile by id (built in) or by path (a user's YAML, relative to ``base_dir``)."""
    return _load_profile_cached(name, str(base_dir) if base_dir else "")


@lru_cache(maxsize=64)
def _load_profile_cached(name: str, base_dir: str) -> Profile:
    return _load(name, Path(base_dir) if base_dir else None, ())


def _resolve_path(name: str, base_dir: Path | None) -> Path:
    if name.endswith((".yaml", ".yml")):
        from .files import InputFileError, resolve_named

        try:  # a profile named by a document is confined like every named file (files.py)
            p = resolve_named(base_dir, name, "bộ thể thức") if base_dir is not None else Path(name)
        except InputFileError as exc:
            raise ProfileError(name, exc.detail) from None
        if p.is_file():
            return p
        raise ProfileError(name, f"không tìm thấy tệp {p}", available_profiles())
    p = PROFILE_DIR / f"{name}.yaml"
    if p.is_file():
        return p
    raise ProfileError(name, "không có bộ thể thức này", available_profiles())


def _load(name: str, base_dir: Path | None, seen: tuple[str, ...]) -> Profile:
    path = _resolve_path(name, base_dir)
    key = str(path.resolve())
    if key in seen:
        raise ProfileError(name, "vòng lặp extends: " + " → ".join([*seen, key]))
    from .data_cache import load_yaml
    from .files import InputFileError, read_bounded
    from .yaml_probe import nesting_probe

    try:  # bounded before reading (QUYCHE_MAX_PROFILE_BYTES): a 300 MB file is refused, not loaded
        text = read_bounded(path, "profile_bytes", "bộ thể thức").decode("utf-8")
        deep = nesting_probe(text) if path.parent != PROFILE_DIR else None  # (built-in profiles are ours)
        if deep:
            raise ProfileError(name, f"lồng quá sâu ở dòng {deep[0]}")
        doc = load_yaml(text, key)  # parsed once per text, then read from the cache (data_cache.py)
    except InputFileError as exc:
        raise ProfileError(name, exc.detail) from None
    except UnicodeDecodeError:
        raise ProfileError(name, "tệp không phải văn bản UTF-8") from None
    except yaml.YAMLError as exc:  # the position only, never a quote of the file
        mark = getattr(exc, "problem_mark", None)
        where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "lỗi cú pháp"
        raise ProfileError(name, f"YAML không hợp lệ{where}: {problem}") from None
    if not isinstance(doc, dict) or "id" not in doc:
        raise ProfileError(name, 'thiếu "id"')
    rules: dict[str, Rule] = {}
    system = doc.get("system")
    chain: tuple[str, ...] = ()
    if doc.get("extends"):
        parent = _load(str(doc["extends"]), path.parent, (*seen, key))
        rules.update(parent.rules)
        system = system or parent.system
        chain = parent.chain
    for rkey, record in (doc.get("rules") or {}).items():
        rules[rkey] = _rule(rkey, record, name)
    return Profile(
        id=str(doc["id"]),
        title=str(doc.get("title", doc["id"])),
        system=str(system or "nha_nuoc"),
        rules=rules,
        chain=(*chain, str(doc["id"])),
    )


def _rule(key: str, record: Any, profile: str) -> Rule:
    if not isinstance(record, dict) or not ({"value", "default"} & set(record)):
        raise ProfileError(profile, f'quy tắc {key} phải có "value" hoặc "default"')
    value = record.get("value", record.get("default"))
    rng = record.get("range")
    choices = record.get("choices")
    return Rule(
        key=key,
        value=value,
        source=str(record.get("source", "")),
        status=str(record.get("status", "unconfirmed")),
        choices=tuple(choices) if choices else None,
        range=(float(rng[0]), float(rng[1])) if rng else None,
    )
