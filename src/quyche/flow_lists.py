"""Items of a YAML flow list that look like pieces of one item split at its commas.

``noi_nhan: [Thường trực Tỉnh ủy, Các sở, ban, ngành tỉnh]`` is four items to YAML: "Các sở", "ban",
"ngành tỉnh". Recipients, attendees and bodies start with a capital letter; an unquoted flow item that
starts with a lowercase word right after an item that does not end a clause is most likely the tail of
that item. Each such run is reported once, located at its first piece, with the joined item to write.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import Diagnostic
from .source import PathKey, SourceMap

# Words that continue a list of bodies inside one recipient ("Các sở, ban, ngành", "UBND các xã, thị trấn").
# Both patterns are needed only for flow lists ("[a, b]"): compiled on first use (re's cache), not at every start.
_TAIL_WORDS = (
    r"^(ban|ngành|đoàn thể|đơn vị|hội|phòng|sở|cơ quan|tổ chức|địa phương|huyện|quận|xã|phường|thị trấn|"
    r"thị xã|thành phố|doanh nghiệp|trường|trung tâm|các|và|cùng)\b"
)
_PEOPLE = r"^(đồng chí|ông|bà|anh|chị)\b"  # "đồng chí Nguyễn Văn A" is a whole item
# Lists whose items are recipients, attendees, bodies or cited texts, each one whole and capitalised; header
# lines (ten_dau_trang, cap_tren: "Ủy ban nhân dân" / "tỉnh Lâm Đồng"), points and settings are split on purpose.
LIST_KEYS = {"noi_nhan", "thanh_phan", "dai_bieu_moi", "bao_chi", "tai_lieu", "can_cu", "co_mat"}


def flow_fragments(data: Any, smap: SourceMap) -> list[Diagnostic]:
    out: list[Diagnostic] = []

    def walk(node: Any, path: PathKey) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            if path and path[-1] in LIST_KEYS:
                out.extend(_check_list(node, path, smap))
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk(data, ())
    return out


def _is_tail(item: Any, before: Any) -> bool:
    if not isinstance(item, str) or not isinstance(before, str) or not item[:1].islower():
        return False
    if before.rstrip().endswith((".", ";", ":")) or re.match(_PEOPLE, item):
        return False  # "[chủ động;, kịp thời.]": clauses of their own
    return len(item.split()) <= 3 or bool(re.match(_TAIL_WORDS, item))


def _check_list(items: list[Any], path: PathKey, smap: SourceMap) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    i = 1
    while i < len(items):
        flow = (*path, i) in smap.flow_plain and (*path, i - 1) in smap.flow_plain
        if not (flow and _is_tail(items[i], items[i - 1])):
            i += 1
            continue
        head, start = items[i - 1], i
        while i < len(items) and (*path, i) in smap.flow_plain and _is_tail(items[i], items[i - 1]):
            i += 1
        joined = ", ".join([head, *items[start:i]])
        out.append(
            Diagnostic.make(
                "danh-sach-tach-dau-phay",
                smap.locate((*path, start)),
                severity="warning",
                item=items[start],
                head=head,
                joined=joined,
                key=key,
            )
        )
    return out
