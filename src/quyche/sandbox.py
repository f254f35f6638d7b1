"""One Jinja sandbox for every user template (batch texts now, user Word templates later).

Jinja's ImmutableSandboxedEnvironment stops escapes (no private attributes, no mutation of data) but not
cost: arithmetic, repetition, padding widths, nested loops and recursion can take minutes and gigabytes
before any length check. Here every costly operation is metered while it runs (budget.py):
- ``**`` refused when the result would pass ``jinja_number``; ``*`` and ``+`` on strings and lists, ``~``
  (concatenation), ``%`` and ``str.format`` widths, and the width/count arguments of ``center``,
  ``indent``, ``wordwrap``, ``truncate``, ``ljust``, ``rjust``, ``zfill``, ``replace``, ``join`` … are
  checked *before* the string is built, against ``jinja_output``;
- every loop iteration, call and filter is a step (``jinja_loop``) and looks at the wall clock
  (``jinja_ms``); macros nest at most ``jinja_depth`` deep (a recursive macro is an error, not a crash);
  ``recursive`` loops are refused;
- the output is counted as it is generated and stops at ``jinja_output``;
- compile-time constant folding is off, so nothing runs before the meter does; ``lipsum``, ``random``
  and ``pprint`` are not offered.

``environment()`` is the factory; ``metered()`` opens a budget for one render of any template made by
it (docxtpl renders through it); ``render_text`` does both for one string.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter

from . import budget

_LOOP_FILTER = "_qc_vong"
_DROPPED_GLOBALS = ("lipsum",)
_DROPPED_FILTERS = ("random", "pprint")
_WIDTH_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "replace", "format", "join"}
_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join", "format", "format_map"}
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")


class TemplateBudgetError(SecurityError):
    """A template exceeded a budget (budget.py); the message says which, in Vietnamese."""


class _Meter:
    def __init__(self) -> None:
        self.steps = 0
        self.depth = 0
        self.max_steps = budget.limit("jinja_loop")
        self.max_depth = budget.limit("jinja_depth")
        self.max_out = budget.limit("jinja_output")
        self.max_number = budget.limit("jinja_number")
        self.deadline = time.monotonic() + budget.limit("jinja_ms") / 1000

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > self.max_steps:
            raise TemplateBudgetError(f"quá {self.max_steps} bước (vòng lặp, lời gọi) (QUYCHE_MAX_TEMPLATE_LOOP)")
        if time.monotonic() > self.deadline:
            raise TemplateBudgetError(f"chạy quá {budget.limit('jinja_ms')} ms (QUYCHE_MAX_TEMPLATE_MS)")

    def size(self, n: int, what: str = "kết quả") -> None:
        if n > self.max_out:
            raise TemplateBudgetError(f"{what} dài {n} > {self.max_out} (QUYCHE_MAX_TEMPLATE_OUTPUT)")


_meter: contextvars.ContextVar[_Meter | None] = contextvars.ContextVar("quyche_jinja_meter", default=None)


def _current() -> _Meter:
    m = _meter.get()
    if m is None:  # a template rendered outside metered(): its first operation opens a budget
        m = _Meter()
        _meter.set(m)
    return m


@contextlib.contextmanager
def metered() -> Iterator[None]:
    """A fresh budget (steps, depth, clock) for one render."""
    token = _meter.set(_Meter())
    try:
        yield
    finally:
        _meter.reset(token)


def tick(total: int, limit_key: str = "jinja_output") -> None:
    """For a caller streaming a render: the output so far (``total`` characters) against ``limit_key``, and
    the clock of the current budget."""
    m = _current()
    cap = budget.limit(limit_key)
    if total > cap:
        raise TemplateBudgetError(f"kết quả dài hơn {cap} ký tự ({budget.LIMITS[limit_key].env})")
    m.step(0)


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else 0


def _check_printf(fmt: str, m: _Meter) -> None:
    for match in _PRINTF.finditer(fmt):
        for group in match.groups():
            if group == "*" or (group and int(group) > m.max_out):
                raise TemplateBudgetError(f"độ rộng định dạng {group} quá lớn")


def _check_args(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], m: _Meter) -> None:
    """Width and count arguments, and joins and replacements, sized before the string is built."""
    values = [*args, *kwargs.values()]
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > m.max_out:
            raise TemplateBudgetError(f"tham số {v} của {name} quá lớn")
        if isinstance(v, str):
            m.size(len(v), f"tham số của {name}")
    if name == "join" and args:
        seq = args[-1] if not isinstance(args[-1], str) else args[0]
        if isinstance(seq, (list, tuple)):
            m.size(sum(len(str(x)) for x in seq[: m.max_out + 1]), "chuỗi ghép")
    if name == "replace" and len(args) >= 3 and all(isinstance(a, str) for a in args[:3]):
        text, old, new = args[:3]
        m.size(len(text) + (len(text) + 1) * len(new) // max(len(old), 1), "kết quả thay thế")
    if name == "format" and args and isinstance(args[0], str):
        _check_printf(args[0], m)


class _Formatter(SandboxedFormatter):
    """str.format with widths bounded (``"{:>999999999}"``)."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        m = _current()
        m.step()
        for number in re.findall(r"\d+", format_spec):
            if int(number) > m.max_out:
                raise TemplateBudgetError(f"độ rộng định dạng {number} quá lớn")
        out = super().format_field(value, format_spec)
        m.size(len(out))
        return out


class _Generator(CodeGenerator):
    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:  # "~" is metered like "+"
        self.write("environment.qc_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"**", "*", "+", "%", "//"})
    intercepted_unops = frozenset()
    code_generator_class = _Generator
    source_limit = "jinja_source"  # a Word template's XML parts use "word_source" (word/template.py)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        m = _current()
        m.step()
        num = (int, float)
        if operator == "**" and isinstance(left, num) and isinstance(right, num) and abs(left) > 1 and right > 0:
            if right * math.log10(abs(left)) > math.log10(m.max_number):
                raise TemplateBudgetError(f"lũy thừa {left!r} ** {right!r} quá lớn (QUYCHE_MAX_TEMPLATE_NUMBER)")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if _length(seq) and isinstance(n, int):
                    m.size(_length(seq) * max(n, 0), "chuỗi lặp")
        if operator == "+" and _length(left) and _length(right):
            m.size(_length(left) + _length(right), "chuỗi nối")
        if operator == "%" and isinstance(left, str):
            _check_printf(left, m)
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, int) and abs(result) > m.max_number**2:
            raise TemplateBudgetError("số quá lớn (QUYCHE_MAX_TEMPLATE_NUMBER)")
        m.size(_length(result))
        return result

    def qc_concat(self, parts: tuple[Any, ...]) -> str:
        m = _current()
        m.step()
        texts = [str(p) for p in parts]
        m.size(sum(len(t) for t in texts), "chuỗi nối")
        return "".join(texts)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        m = _current()
        m.step()
        name = getattr(__obj, "__name__", "")
        if isinstance(getattr(__obj, "__self__", None), str) and name in _WIDTH_METHODS:
            _check_args(name, (__obj.__self__, *args), kwargs, m)
        if isinstance(__obj, Macro):
            m.depth += 1
            try:
                if m.depth > m.max_depth:
                    raise TemplateBudgetError(f"macro lồng quá {m.max_depth} mức (đệ quy?)")
                result = super().call(__context, __obj, *args, **kwargs)
            finally:
                m.depth -= 1
        else:
            result = super().call(__context, __obj, *args, **kwargs)
        m.size(_length(result))
        return result

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        f_self, is_map = value.__self__, value.__name__ == "format_map"
        vformat = _Formatter(self).vformat

        def fmt(*args: Any, **kwargs: Any) -> str:
            if is_map:
                return vformat(f_self, (), args[0] if args else {})
            return vformat(f_self, args, kwargs)

        return fmt

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        budget_chars = budget.limit(self.source_limit)
        if len(source) > budget_chars:
            env_name = budget.LIMITS[self.source_limit].env
            raise TemplateBudgetError(f"mẫu dài {len(source)} ký tự > {budget_chars} ({env_name})")
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            if loop.recursive:
                raise TemplateBudgetError("vòng lặp đệ quy (recursive) không được phép")
            loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
        return tree


def _count_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    m = _current()
    for item in iterable:
        m.step()
        yield item


def _guard_filter(name: str, fn: Any) -> Any:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        m = _current()
        m.step()
        if name in _WIDTH_FILTERS:
            plain = [a for a in args if not _is_env_or_context(a)]
            _check_args(name, tuple(plain), kwargs, m)
        result = fn(*args, **kwargs)
        m.size(_length(result))
        return result

    for attr in ("jinja_pass_arg",):  # keep the environment/context passing markers
        if hasattr(fn, attr):
            setattr(guarded, attr, getattr(fn, attr))
    guarded.__name__ = getattr(fn, "__name__", name)
    return guarded


def _is_env_or_context(value: Any) -> bool:
    from jinja2.nodes import EvalContext
    from jinja2.runtime import Context

    return isinstance(value, (BudgetedSandbox, Context, EvalContext))


def environment(**options: Any) -> BudgetedSandbox:
    """A new budgeted sandbox (StrictUndefined, no autoescape unless asked, no constant folding)."""
    options.setdefault("undefined", StrictUndefined)
    options.setdefault("autoescape", False)
    options.setdefault("keep_trailing_newline", False)
    env = BudgetedSandbox(**options)
    env.optimized = False  # constant folding would run filters at compile time, before the meter
    for g in _DROPPED_GLOBALS:
        env.globals.pop(g, None)
    filters = {k: _guard_filter(k, v) for k, v in env.filters.items() if k not in _DROPPED_FILTERS}
    filters[_LOOP_FILTER] = _count_loop
    env.filters = filters
    return env


_ENV: BudgetedSandbox | None = None


def render_text(source: str, context: dict[str, Any]) -> str:
    """Compile and render ``source`` under a fresh budget; the output is counted as it grows.

    Raises TemplateBudgetError (a SecurityError) when a budget is exceeded, and Jinja's own errors
    (TemplateSyntaxError, UndefinedError, …) unchanged; RecursionError and MemoryError become
    TemplateBudgetError, and a filter's TypeError/AttributeError… becomes TemplateRuntimeError, so that no
    caller sees a crash."""
    global _ENV
    if _ENV is None:
        _ENV = environment()
    with metered():
        m = _current()
        try:
            template = _ENV.from_string(source)
            out: list[str] = []
            total = 0
            for chunk in template.generate(**context):
                total += len(chunk)
                m.size(total)
                m.step(0)
                out.append(chunk)
        except RecursionError:
            raise TemplateBudgetError("mẫu lồng quá sâu") from None
        except MemoryError:
            raise TemplateBudgetError("mẫu dùng quá nhiều bộ nhớ") from None
        except OverflowError:  # Jinja's own range() refusal: the caller reports it as unsafe
            raise
        except (AttributeError, TypeError, ValueError, LookupError, ArithmeticError) as exc:
            # a filter applied to the wrong kind of value: the template's mistake, reported as Jinja's
            raise TemplateRuntimeError(f"{type(exc).__name__}: {str(exc)[:200]}") from None
        return "".join(out)


__all__ = ["BudgetedSandbox", "TemplateBudgetError", "environment", "metered", "render_text", "tick"]
