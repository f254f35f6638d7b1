"""Stage 1 — load: a YAML file → plain data + a source map (line/column of every key and value).

Safe by construction: only YAML's plain data tags are accepted (no Python objects), the file size,
the number of nodes after alias expansion and the nesting depth are bounded, duplicate keys are
errors, and every problem carries the position it was found at.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import budget
from .errors import Diagnostic, DiagnosticError, DiagnosticList, Location
from .files import InputFileError, read_bounded
from .yaml_probe import expansion_probe, nesting_probe

PathKey = tuple[str | int, ...]
# libyaml's parser when the wheel has it (about 10× faster); same nodes and marks as the pure one.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class SourceMap:
    """Positions (1-based line, column) of values and keys, addressed by their path in the data."""

    file: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # Items of a flow list ("[a, b, c]") written without quotes: YAML splits them at every comma.
    flow_plain: set[PathKey] = field(default_factory=set)
    # Single-line scalars written as they read (no escapes): where their text starts after the value's
    # position (0 plain, 1 quoted), so a finding inside the text can point at its own column.
    text_offset: dict[PathKey, int] = field(default_factory=dict)

    def locate_in_text(self, path: PathKey, index: int) -> Location:
        """The position of the ``index``-th character of the string at ``path`` (its start when the
        string spans lines or holds escapes)."""
        loc = self.locate(path)
        offset = self.text_offset.get(tuple(path))
        if offset is None or tuple(path) not in self.values:
            return loc
        return Location(loc.file, loc.line, loc.column + offset + index)

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The position of ``path``; falls back to the nearest enclosing node that has one."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                line, col = table[probe]
                return Location(self.file, line, col)
            if probe in self.values:
                line, col = self.values[probe]
                return Location(self.file, line, col)
            probe = probe[:-1]
        line, col = self.values.get((), (1, 1))
        return Location(self.file, line, col)


@dataclass
class Source:
    """A loaded YAML file: its text, plain data and source map."""

    path: Path
    text: str
    data: Any
    source_map: SourceMap
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def display_name(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def decode_bytes(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM → str with "\\n" line ends."""
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DiagnosticError([Diagnostic.make("ma-hoa-tep", Location(name, 1, 1), byte=raw[exc.start])]) from None
    else:
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            col = len(before) - (before.rfind(b"\n") + 1) + 1
            loc = Location(name, line, col)
            raise DiagnosticError([Diagnostic.make("ma-hoa-tep", loc, byte=raw[exc.start])]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Files whose text was decoded here: the only ones whose lines a diagnostic may quote (a named file that
# is not quyche's own input — /proc/self/environ, a key file — is never echoed).
DECODED: set[str] = set()


def read_text(path: Path, name: str | None = None, limit_key: str = "yaml_bytes") -> str:
    """A regular file's text, read up to its budget (budget.py) and decoded; errors located, never echoed."""
    name = name or display_name(path)
    cap = budget.limit(limit_key)
    try:
        raw = read_bounded(path, limit_key, "tệp")
    except InputFileError as exc:
        if exc.code == "tep-qua-lon":
            size = path.stat().st_size if path.is_file() else cap + 1
            diag = Diagnostic.make("tep-qua-lon", Location(name, 1, 1), size=max(size, cap + 1), limit=cap)
        elif exc.code == "tep-khong-doc-duoc":
            diag = Diagnostic.make("tep-khong-doc-duoc", None, detail=exc.detail.removeprefix("tệp "))
        else:
            diag = Diagnostic.make(exc.code, Location(name, 1, 1), detail=exc.detail)
        raise DiagnosticError([diag]) from None
    if b"\x00" in raw and not (raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE)):
        off = raw.index(b"\x00")
        line = raw[:off].count(b"\n") + 1
        col = off - (raw[:off].rfind(b"\n") + 1) + 1
        raise DiagnosticError([Diagnostic.make("ma-hoa-tep", Location(name, line, col), byte=0)])
    text = decode_bytes(raw, name)
    DECODED.add(name)
    return text


def load_source(path: str | os.PathLike[str]) -> Source:
    """Read and parse one YAML file; raise DiagnosticError with located problems."""
    p = Path(path)
    name = display_name(p)
    text = read_text(p, name)
    return parse_text(text, name, p)


def parse_text(text: str, name: str, path: Path | None = None) -> Source:
    diags = DiagnosticList()
    deep = nesting_probe(text)
    if deep:
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "yaml-qua-phuc-tap", Location(name, *deep), detail=f"lồng sâu hơn {budget.limit('yaml_depth')} mức"
                )
            ],
            text,
        )
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name, 1, 1)
        line_text = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
        if "\t" in line_text[: (mark.column + 1) if mark else 0] or "found character '\\t'" in str(exc):
            raise DiagnosticError([Diagnostic.make("yaml-tab", loc)], text) from None
        problem = exc.problem or str(exc)
        raise DiagnosticError(
            [Diagnostic.make("yaml-cu-phap", loc, detail=_translate_problem(problem), hint=_yaml_hint(problem))],
            text,
        ) from None
    except yaml.YAMLError as exc:
        raise DiagnosticError([Diagnostic.make("yaml-cu-phap", Location(name, 1, 1), detail=str(exc))], text) from None
    smap = SourceMap(name)
    if root is None:
        raise DiagnosticError([Diagnostic.make("yaml-rong", Location(name, 1, 1))], text)
    too_big = expansion_probe(root, name)  # aliases measured before anything is built (O(distinct nodes))
    if too_big:
        raise DiagnosticError([too_big], text)
    builder = _Builder(name, smap, diags)
    data = builder.build(root, (), 0)
    if diags.errors:
        raise DiagnosticError(diags.items, text)
    if not isinstance(data, dict):
        raise DiagnosticError([Diagnostic.make("yaml-rong", Location(name, 1, 1))], text)
    return Source(path or Path(name), text, data, smap, diags.warnings)


def _translate_problem(problem: str) -> str:
    table = {
        "mapping values are not allowed": 'dấu ":" không được phép ở đây',
        "could not find expected ':'": 'thiếu dấu ":" sau khóa',
        "found undefined alias": "bí danh chưa được định nghĩa",
        "did not find expected key": "thụt lề không khớp với các dòng trên",
        "did not find expected '-' indicator": "thụt lề không khớp với danh sách",
        "found unexpected end of stream": "tệp kết thúc đột ngột",
        "found character that cannot start any token": "ký tự không thể bắt đầu một giá trị",
    }
    for en, vi in table.items():
        if problem.startswith(en):
            return vi
    return problem


def _yaml_hint(problem: str) -> str | None:
    if problem.startswith("mapping values are not allowed"):
        return 'đặt giá trị có dấu ":" trong ngoặc kép, ví dụ: trich_yeu: "Quy chế: phối hợp".'
    if problem.startswith("did not find expected key") or problem.startswith("did not find expected '-'"):
        return "kiểm tra số dấu cách thụt lề của dòng này và dòng trên."
    return None


class _Builder:
    """Builds plain Python data from a composed node graph, recording positions as it goes."""

    def __init__(self, name: str, smap: SourceMap, diags: DiagnosticList) -> None:
        self.name = name
        self.smap = smap
        self.diags = diags
        self.count = 0
        self.scalar = SafeConstructor()
        self.too_big = False
        self.bytes = 0  # scalar bytes after alias expansion: a 1 MiB string aliased 1 500 times is 1.5 GB
        self.max_nodes = budget.limit("yaml_nodes")
        self.max_depth = budget.limit("yaml_depth")
        self.max_bytes = budget.limit("yaml_expanded")

    def loc(self, node: Node) -> Location:
        return Location(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.too_big:
            return None
        if isinstance(node, ScalarNode):
            self.bytes += len(node.value)
        if self.count > self.max_nodes or depth > self.max_depth or self.bytes > self.max_bytes:
            self.too_big = True
            if self.count > self.max_nodes:
                detail = f"hơn {self.max_nodes} nút sau khi mở các bí danh (QUYCHE_MAX_NODES)"
            elif depth > self.max_depth:
                detail = f"lồng sâu hơn {self.max_depth} mức"
            else:
                limit = budget.human(self.max_bytes, "byte")
                detail = f"hơn {limit} chữ sau khi mở các bí danh (QUYCHE_MAX_EXPANDED_BYTES)"
            self.diags.add(Diagnostic.make("yaml-qua-phuc-tap", self.loc(node), detail=detail))
            return None
        self.smap.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, ScalarNode):
            if node.tag not in _PLAIN_TAGS:
                self.diags.add(Diagnostic.make("yaml-the-khong-an-toan", self.loc(node), tag=_tag(node.tag)))
                return None
            try:
                value = self.scalar.construct_object(node)
            except (ConstructorError, ValueError):
                if node.tag == "tag:yaml.org,2002:timestamp":
                    self.diags.add(Diagnostic.make("ngay-khong-hop-le", self.loc(node), text=node.value))
                else:
                    self.diags.add(
                        Diagnostic.make("sai-kieu", self.loc(node), field=_last_key(path), detail=node.value)
                    )
                return None
            if isinstance(value, dt.datetime):
                value = value.date() if value.time() == dt.time() else value
            if isinstance(value, str):
                quoted = node.style in ("'", '"')  # plain: None or ""
                width = node.end_mark.column - node.start_mark.column
                if node.start_mark.line == node.end_mark.line and width == len(node.value) + 2 * quoted:
                    self.smap.text_offset[path] = int(quoted)
            return value
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.diags.add(Diagnostic.make("yaml-the-khong-an-toan", self.loc(node), tag=_tag(node.tag)))
                return None
            if node.flow_style:
                for i, child in enumerate(node.value):
                    if isinstance(child, ScalarNode) and not child.style:  # plain: None (pure), "" (libyaml)
                        self.smap.flow_plain.add((*path, i))
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                self.diags.add(Diagnostic.make("yaml-the-khong-an-toan", self.loc(node), tag=_tag(node.tag)))
                return None
            out: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.diags.add(Diagnostic.make("yaml-the-khong-an-toan", self.loc(key_node), tag="<<"))
                    continue
                if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                    kind = "một danh sách" if isinstance(key_node, SequenceNode) else "một bảng"
                    self.diags.add(Diagnostic.make("yaml-khoa-khong-hop-le", self.loc(key_node), kind=kind))
                    continue
                key = str(key_node.value)
                kpath = (*path, key)
                if key in out or key in first_line:
                    self.diags.add(
                        Diagnostic.make("yaml-khoa-trung", self.loc(key_node), key=key, first=first_line[key])
                    )
                    continue
                first_line[key] = key_node.start_mark.line + 1
                self.smap.keys[kpath] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.build(value_node, kpath, depth + 1)
            return out
        return None  # pragma: no cover - yaml has no other node kinds


def _tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _last_key(path: PathKey) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "giá trị"


from .table import load_table  # noqa: E402  (rosters as tables; re-exported where callers expect it)

__all__ = ["Source", "SourceMap", "load_source", "load_table", "parse_text", "read_text"]
