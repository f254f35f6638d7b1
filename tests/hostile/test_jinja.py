"""Batch texts (Jinja) that try to exhaust the machine instead of escaping it: arithmetic, repetition,
padding and format widths, nested loops, recursion, concatenation that doubles. Each is refused while it
runs (sandbox.py), located at the text, in well under a second — and ordinary texts still render."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.exceptions import SecurityError, TemplateError

from quyche.sandbox import TemplateBudgetError, render_text

from support import assert_refused, bounded

DATA = Path(__file__).resolve().parents[2] / "data"
CONTEXT = {"doi_tac": {"ten": "Sở Y tế", "ma": "SYT"}, "chu_tri": {"ten": "Ban Tuyên giáo"}, "bo": {"ten": "Bộ"}}


def _families() -> list[tuple[str, str]]:
    """Hostile expressions, generated per family over sizes and spellings."""
    out: list[tuple[str, str]] = []
    for base, exp in itertools.product((9, 10, 123456789), (9**9, 10**6, 100)):
        out.append((f"lũy thừa {base}**{exp}", f"{{{{ {base} ** {exp} }}}}"))
    out.append(("lũy thừa lồng 9**9**9", "{{ 9**9**9 }}"))
    for n in (10**6, 10**9, 2**40):
        out.append((f"lặp chuỗi 'x' * {n}", f"{{{{ 'x' * {n} }}}}"))
        out.append((f"lặp danh sách [1] * {n}", f"{{{{ ([1] * {n})|length }}}}"))
    for width in (10**6, 10**9):
        for form in (
            "'a'|center({w})",
            "'a'.center({w})",
            "'a'.ljust({w})",
            "'a'.rjust({w})",
            "'1'.zfill({w})",
            "'a'|indent({w})",
            "'a b'|wordwrap(1)|truncate({w})",
            "'{{:>{w}}}'.format(1)",
            "'%{w}d' % 1",
            "'%{w}d'|format(1)",
            "'a\\tb'.expandtabs({w})",
        ):
            expr = form.format(w=width)
            out.append((f"độ rộng {expr}", "{{ " + expr + " }}"))
    for depth in (2, 3, 4):
        loops = "".join(f"{{% for i{k} in range(100000) %}}" for k in range(depth))
        out.append((f"{depth} vòng lặp lồng nhau × 100 000", loops + "x" + "{% endfor %}" * depth))
        silent = "".join(f"{{% for j{k} in doi_tac.ten * 50 %}}" for k in range(depth + 2))
        out.append((f"{depth + 2} vòng lặp lồng trên chữ, không in gì", silent + "{% endfor %}" * (depth + 2)))
    out += [
        ("macro đệ quy trực tiếp", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
        (
            "macro đệ quy qua macro khác",
            "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}",
        ),
        ("macro đệ quy phân nhánh", "{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}"),
        ("caller() đệ quy", "{% macro f() %}{{ caller() }}{% endmacro %}{% call f() %}{{ f() }}{% endcall %}"),
        ("vòng lặp recursive", "{% for x in [[1]] recursive %}{{ loop(x) }}{% endfor %}"),
        ("nối chuỗi gấp đôi bằng ~", "{% set a = 'x' * 60000 %}{% set b = a ~ a %}{{ b }}"),
        (
            "namespace nối gấp đôi 40 lần",
            "{% set ns = namespace(s='ab') %}{% for i in range(40) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        ),
        ("join của danh sách lặp", "{{ (['x' * 90000] * 90000)|join }}"),
        ("replace chuỗi rỗng", "{{ ('x' * 90000)|replace('', 'yyyyyyyy') }}"),
        ("kết quả quá dài (in trong vòng lặp)", "{% for i in range(99999) %}{{ doi_tac.ten }}{% endfor %}"),
        ("biểu thức lồng 5 000 ngoặc", "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}"),
    ]
    return out


_HOSTILE = _families()


@pytest.mark.parametrize(("tried", "template"), _HOSTILE, ids=[t for t, _ in _HOSTILE])
def test_hostile_texts_are_refused_quickly(tried: str, template: str) -> None:
    t = time.perf_counter()
    with pytest.raises((TemplateBudgetError, SecurityError, TemplateError)):
        render_text(template, CONTEXT)
    assert time.perf_counter() - t < 10  # the budget is 2 s of wall clock; most stop in milliseconds


_CLI = [
    ("lũy thừa 9**9**9", "{{ 9**9**9 }}"),
    ("'x' * 10**9", "{{ 'x' * 10**9 }}"),
    ("center(10**9)", "{{ doi_tac.ten|center(1000000000) }}"),
    (
        "3 vòng lặp lồng × 100 000",
        "{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}"
        "{% endfor %}{% endfor %}{% endfor %}",
    ),
    ("macro đệ quy", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
    (
        "nối chuỗi gấp đôi",
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    ),
]


@pytest.mark.parametrize(("tried", "template"), _CLI, ids=[t for t, _ in _CLI])
def test_hostile_batch_text_is_a_located_error(tmp_path: Path, case, tried: str, template: str) -> None:
    case(
        "mẫu người dùng",
        f"vắt kiệt máy: {tried}",
        "lỗi mau-vuot-gioi-han tại trich_yeu, thoát 1, không treo, không ghi",
    )
    (tmp_path / "co-quan").mkdir()
    (tmp_path / "bo").mkdir()
    roster = (DATA / "co-quan" / "tien-lu-2019.yaml").read_text(encoding="utf-8")
    (tmp_path / "co-quan" / "tien-lu-2019.yaml").write_text(roster, encoding="utf-8")
    text = (DATA / "bo" / "tien-lu-2019.yaml").read_text(encoding="utf-8").split("doi_tac:\n")[0]
    text = text.replace(
        'trich_yeu: "Phối hợp công tác giữa Ban Tuyên giáo Huyện ủy và {{ doi_tac.ten }} năm 2019"',
        "trich_yeu: '" + template.replace("'", "''") + "'",
    )
    path = tmp_path / "bo" / "bo.yaml"
    path.write_text(text + "doi_tac:\n  - ma: PYT\n", encoding="utf-8")
    r = bounded(
        "batch", str(path), "-o", str(tmp_path / "out"), "--so-dang-ky", str(tmp_path / "so.sqlite3"), cwd=tmp_path
    )
    assert_refused(r, "mau-vuot-gioi-han")
    assert "trich_yeu" in r.stderr
    assert not list((tmp_path / "out").rglob("*.docx"))


_ATOMS = st.sampled_from(
    ["doi_tac.ten", "chu_tri.ten", "bo.ten", "'ab'", "3", "7", "99999", "(doi_tac.ten * 3)", "range(9)|list", "[1, 2]"]
)
_OPS = st.sampled_from(["+", "*", "**", "~", "%", "//"])
_FILTERS = st.sampled_from(["", "|upper", "|center(40000)", "|join", "|length", "|string", "|list", "|indent(5000)"])


@st.composite
def _expressions(draw, depth: int = 0) -> str:
    if depth > 3 or draw(st.booleans()):
        return draw(_ATOMS) + draw(_FILTERS)
    return f"({draw(_expressions(depth + 1))} {draw(_OPS)} {draw(_expressions(depth + 1))}){draw(_FILTERS)}"


@settings(max_examples=150, deadline=None)
@given(_expressions(), st.integers(0, 2))
def test_generated_expressions_end_within_budget(expr: str, loops: int) -> None:
    """Any mix of operators and filters, inside up to two loops: a text within budget or a refusal — never
    a hang, a memory blow-up or an exception outside Jinja's and the sandbox's."""
    template = "{% for i in range(300) %}" * loops + "{{ " + expr + " }}" + "{% endfor %}" * loops
    t = time.perf_counter()
    try:
        out = render_text(template, CONTEXT)
        assert len(out) <= 100_000
    except (TemplateBudgetError, SecurityError, TemplateError):
        pass
    assert time.perf_counter() - t < 10


def test_ordinary_texts_still_render() -> None:
    text = (
        "{{ doi_tac.ten }} – {{ bo.ten|upper }} "
        "{% for i in range(3) %}{{ i + 1 }}{% if not loop.last %}, {% endif %}{% endfor %}"
    )
    assert render_text(text, CONTEXT) == "Sở Y tế – BỘ 1, 2, 3"
    assert (
        render_text("{{ '%05d'|format(42) }} {{ '{:>6}'.format('a') }} {{ 2 ** 10 }}", CONTEXT) == "00042      a 1024"
    )


def test_factory_meters_every_environment_it_makes() -> None:
    """The factory a Word-template renderer will use: any template it compiles is metered in metered()."""
    from quyche.sandbox import environment, metered

    env = environment(autoescape=True)
    for source in ("{{ 'x' * 10**9 }}", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "{{ 9**9**9 }}"):
        with metered(), pytest.raises(TemplateBudgetError):
            env.from_string(source).render(**CONTEXT)
    with metered():
        assert env.from_string("<w:t>{{ doi_tac.ten }}</w:t>").render(**CONTEXT) == "<w:t>Sở Y tế</w:t>"
