"""Budgets of a YAML document measured before it is built into data (budget.py; source.py builds).

- ``nesting_probe`` on the text, before any parser: libyaml's composer recurses in C, and 100 000 "["
  crash the interpreter instead of raising;
- ``expansion_probe`` on the composed node graph: value nodes and scalar bytes with every alias
  expanded, each distinct node measured once — a "billion laughs" or a 1 MiB string aliased 1 500
  times is refused in microseconds, located at the smallest node that is alone too big.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode

from . import budget
from .errors import Diagnostic, Location


def nesting_probe(text: str, limit: int | None = None) -> tuple[int, int] | None:
    """(line, column) where flow brackets or "- - -" chains nest deeper than ``limit``, else None.

    libyaml's composer recurses in C: a file of 100 000 "[" crashes the interpreter instead of raising,
    so such input is refused before any parser sees it. Quoted text and comments are skipped."""
    limit = budget.limit("yaml_depth") if limit is None else limit
    return None if _shallow(text, limit) else _scan(text, limit)


def _shallow(text: str, limit: int) -> bool:
    """True when ``text`` cannot nest deeper than ``limit`` however it is quoted — the common case, decided by
    counting in C instead of the character loop of ``_scan`` (≈1 ms for a three-page document): no
    more "[" and "{" than the limit in all, and no line with more "-" than the limit (a "- - -" chain ends
    at a line end; one escaped by a backslash inside double quotes does not end it, so such text is scanned)."""
    if text.count("[") + text.count("{") > limit:
        return False
    if text.count("-") <= limit:
        return True
    if "\\\n" in text:
        return False
    return all(line.count("-") <= limit for line in text.split("\n"))


def _scan(text: str, limit: int) -> tuple[int, int] | None:
    """The character scan: brackets and dash chains counted outside quotes and comments."""
    depth = 0
    line, col = 1, 0
    quote = ""
    i, n = 0, len(text)
    at_line_start = True
    chain = 0
    while i < n:
        ch = text[i]
        col += 1
        if ch == "\n":
            line, col, at_line_start, chain = line + 1, 0, True, 0
            i += 1
            continue
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                col += 1
                continue
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == 0 or text[i - 1] in " \t[{,:-\n"):
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t\n"):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return line, col
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif at_line_start and ch == "-" and i + 1 < n and text[i + 1] in " \t":
            chain += 1
            if chain > limit:
                return line, col
        elif ch not in " \t":
            at_line_start = False
        i += 1
    return None


def expansion_probe(root: Node, name: str) -> Diagnostic | None:
    """yaml-qua-phuc-tap when the document, with every alias expanded, has more value nodes than
    ``yaml_nodes`` or more scalar bytes than ``yaml_expanded``; located at the smallest node that is
    alone too big. Each distinct node is measured once, so a "billion laughs" costs microseconds."""
    max_nodes, max_bytes = budget.limit("yaml_nodes"), budget.limit("yaml_expanded")
    max_depth = budget.limit("yaml_depth")
    memo: dict[int, tuple[int, int]] = {}

    def measure(node: Node, depth: int) -> tuple[int, int]:
        hit = memo.get(id(node))
        if hit is not None:
            return hit
        if isinstance(node, ScalarNode) or depth > max_depth:  # depth itself is _Builder's error
            size = (1, len(node.value) if isinstance(node, ScalarNode) else 0)
        else:
            children = [v for _, v in node.value] if isinstance(node, MappingNode) else list(node.value)
            parts = [measure(c, depth + 1) for c in children]
            size = (1 + sum(p[0] for p in parts), sum(p[1] for p in parts))
        memo[id(node)] = size
        return size

    def over(size: tuple[int, int]) -> bool:
        return size[0] > max_nodes or size[1] > max_bytes

    total = measure(root, 0)
    if not over(total):
        return None
    node = root
    while not isinstance(node, ScalarNode):
        children = [v for _, v in node.value] if isinstance(node, MappingNode) else list(node.value)
        inner = next((c for c in children if over(memo.get(id(c), (0, 0)))), None)
        if inner is None:
            break
        node = inner
    if total[0] > max_nodes:
        detail = f"hơn {max_nodes} nút sau khi mở các bí danh (QUYCHE_MAX_NODES)"
    else:
        detail = f"hơn {budget.human(max_bytes, 'byte')} chữ sau khi mở các bí danh (QUYCHE_MAX_EXPANDED_BYTES)"
    loc = Location(name, node.start_mark.line + 1, node.start_mark.column + 1)
    return Diagnostic.make("yaml-qua-phuc-tap", loc, detail=detail)
