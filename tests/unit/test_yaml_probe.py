"""The nesting probe (yaml_probe.py) answers as its full character scan on any text: the counting shortcut only
ever says "shallow" where the scan finds nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quyche.yaml_probe import _scan, _shallow, nesting_probe

# The characters the scan reacts to, and a few it does not.
PIECES = st.sampled_from(["[", "]", "{", "}", "- ", "-\t", "-", '"', "'", "\\", "#", "\n", " ", "a", ":", ",", "\\\n"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join), st.integers(min_value=1, max_value=6))
def test_probe_is_the_scan(text: str, limit: int) -> None:
    assert nesting_probe(text, limit) == _scan(text, limit)
    if _shallow(text, limit):
        assert _scan(text, limit) is None


def test_chains_and_brackets_found_past_the_shortcut() -> None:
    assert nesting_probe("a: [[[x]]]\n", 2) == (1, 6)
    assert nesting_probe("- - - x\n", 2) == (1, 5)
    joined = '- "x\\\n" - - - x\n'  # a line end escaped inside double quotes does not end the chain
    assert max(line.count("-") for line in joined.split("\n")) == 3 and nesting_probe(joined, 3) == (1, 13)
    many_lines = "".join(f"- item {i}\n" for i in range(500))  # more "-" than the limit, one a line
    assert _shallow(many_lines, 64) and nesting_probe(many_lines, 64) is None
