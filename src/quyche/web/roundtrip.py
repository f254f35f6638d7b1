"""The form's data written back into the YAML text, keeping the clerk's comments, key order and quoting.

ruamel.yaml's round-trip loader keeps comments and order; the new data is merged into the loaded tree so
that only what changed is rewritten: an unchanged value keeps its node (a date stays a date, a quoted string
keeps its quotes), a key the form dropped is removed, a new key is appended. Reading and validation never go
through here: they use ``quyche.source`` (plain tags only, located errors).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2})?$")


class RoundTripError(Exception):
    """The current text is not YAML a merge can start from (the YAML tab shows why)."""


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.allow_unicode = True
    y.width = 4096  # never fold a long trích yếu the clerk wrote on one line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dt.datetime) and isinstance(new, str):
        return old.isoformat(sep=" ", timespec="minutes") == new.replace("T", " ")[:16]
    if isinstance(old, dt.date) and isinstance(new, str):
        return old.isoformat() == new
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float, str)) and isinstance(new, (int, float, str)):
        return (type(old) is type(new) and old == new) or str(old) == new
    return False


def _merge(old: Any, new: Any) -> Any:
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merge(old[key], value) if key in old else _plain(value)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = _merge(old[i], value)
            else:
                old.append(_plain(value))
        del old[len(new) :]
        return old
    if _same(old, new):
        return old
    return _plain(new)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _plain(v)
        return m
    if isinstance(value, list):
        s = CommentedSeq()
        s.extend(_plain(v) for v in value)
        return s
    if isinstance(value, str) and _DATE.match(value):
        try:  # the form gives "2016-10-20" and "2019-03-14T14:00": written back as YAML dates, as typed
            if len(value) == 10:
                return dt.date.fromisoformat(value)
            return dt.datetime.fromisoformat(value.replace("T", " ")[:16])
        except ValueError:
            return value
    return value


def _load(y: YAML, text: str) -> CommentedMap:
    try:
        tree = y.load(text) if text.strip() else CommentedMap()
    except Exception as exc:  # ruamel raises many types; the YAML tab reports the located error
        raise RoundTripError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    if tree is None:
        tree = CommentedMap()
    if not isinstance(tree, CommentedMap):
        raise RoundTripError("văn bản không phải một bảng khóa: giá trị")
    return tree


def _dump(y: YAML, tree: CommentedMap) -> str:
    out = io.StringIO()
    y.dump(tree, out)
    return out.getvalue()


def merge_into_text(text: str, data: dict[str, Any]) -> str:
    """``text`` with its data replaced by ``data``; comments and order of what stays are kept."""
    y = _yaml()
    return _dump(y, _merge(_load(y, text), data))


def apply_changes(text: str, changes: list[dict[str, Any]]) -> str:
    """``text`` with the form's edits applied: each change is ``{"duong_dan": [key or index, …]}`` plus
    ``"gia_tri"`` (set, merged into what is there) or ``"xoa": true`` (remove). Nothing else is rewritten."""
    y = _yaml()
    tree = _load(y, text)
    for change in changes:
        path = change.get("duong_dan")
        if not isinstance(path, list) or not path or not all(isinstance(p, (str, int)) for p in path):
            raise RoundTripError("thay đổi không hợp lệ")
        node: Any = tree
        for step, nxt in itertools.pairwise(path):
            node = _child(node, step, create=CommentedSeq if isinstance(nxt, int) else CommentedMap)
        last = path[-1]
        if change.get("xoa"):
            if isinstance(node, CommentedMap) and last in node:
                del node[last]
            elif isinstance(node, CommentedSeq) and isinstance(last, int) and 0 <= last < len(node):
                del node[last]
            continue
        value = change.get("gia_tri")
        if isinstance(node, CommentedMap) and isinstance(last, str):
            node[last] = _merge(node[last], value) if last in node else _plain(value)
        elif isinstance(node, CommentedSeq) and isinstance(last, int) and 0 <= last <= len(node):
            if last == len(node):
                node.append(_plain(value))
            else:
                node[last] = _merge(node[last], value)
        else:
            raise RoundTripError(f"không có {'.'.join(map(str, path))} trong văn bản")
    return _dump(y, tree)


def _child(node: Any, step: str | int, create: type) -> Any:
    if isinstance(node, CommentedMap) and isinstance(step, str):
        if step not in node or node[step] is None:
            node[step] = create()
        return node[step]
    if isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    raise RoundTripError(f"không có {step!r} trong văn bản")
