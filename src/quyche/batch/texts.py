"""Shared texts of a batch are user templates: ``{{ doi_tac.ten }}`` is evaluated in Jinja's
ImmutableSandboxedEnvironment with StrictUndefined; values coming from data are inserted literally and never
evaluated."""

from __future__ import annotations

from typing import Any

from ..errors import Diagnostic, DiagnosticList
from ..source import PathKey, SourceMap


def _sandbox():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def fill_templates(
    data: Any, context: dict[str, Any], smap: SourceMap, diags: DiagnosticList, path: PathKey = ()
) -> Any:
    """Evaluate ``{{ … }}`` in the shared texts of a batch, sandboxed; errors are located diagnostics."""
    if isinstance(data, dict):
        return {k: fill_templates(v, context, smap, diags, (*path, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [fill_templates(v, context, smap, diags, (*path, i)) for i, v in enumerate(data)]
    if not isinstance(data, str) or ("{{" not in data and "{%" not in data):
        return data
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError, UndefinedError

    try:
        out = _sandbox().from_string(data).render(**context)
    except (SecurityError, OverflowError) as exc:  # sandbox refusals, incl. range() beyond MAX_RANGE
        diags.add(Diagnostic.make("mau-khong-an-toan", smap.locate(path), detail=str(exc)))
        return data
    except UndefinedError as exc:
        diags.add(Diagnostic.make("mau-loi", smap.locate(path), detail=f"biến không có: {exc.message}"))
        return data
    except (TemplateError, MemoryError, TypeError, ValueError) as exc:
        diags.add(Diagnostic.make("mau-loi", smap.locate(path), detail=str(exc)))
        return data
    if len(out) > 100_000:
        diags.add(Diagnostic.make("mau-loi", smap.locate(path), detail="kết quả quá dài"))
        return data
    return out
