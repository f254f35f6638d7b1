"""Diagnostics: located, coded, in Vietnamese (design.md §5).

A Diagnostic carries a stable kebab-case code, a 1-based file:line:column, the message and a hint.
Every stage collects all of its problems and raises DiagnosticError once, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum

from .messages import render_message


class ExitCode(IntEnum):
    OK = 0
    DOCUMENT_ERRORS = 1
    USAGE = 2
    INTERNAL = 3


@dataclass(frozen=True)
class Location:
    """A position in a file quyche read: 1-based line and column."""

    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding: stable code, Vietnamese message, severity, where, a hint and the rule it rests on."""

    code: str
    message: str
    severity: str = "error"  # "error" | "warning"
    location: Location | None = None
    hint: str | None = None
    rule: str | None = None  # profile rule key and citation, when the finding rests on one

    @classmethod
    def make(
        cls,
        code: str,
        location: Location | None = None,
        *,
        severity: str = "error",
        rule: str | None = None,
        **fields: object,
    ) -> Diagnostic:
        message, hint = render_message(code, **fields)
        return cls(code=code, message=message, severity=severity, location=location, hint=hint, rule=rule)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self, source_lines: list[str] | None = None) -> str:
        label = "lỗi" if self.is_error else "cảnh báo"
        where = f"{self.location}: " if self.location else ""
        out = [f"{where}{label} [{self.code}] {self.message}"]
        if self.location and source_lines and 0 < self.location.line <= len(source_lines):
            text = source_lines[self.location.line - 1].rstrip("\n")
            if len(text) > 160:
                text = text[:157] + "…"
            num = str(self.location.line)
            out.append(f"   {num} | {text}")
            caret_col = min(max(self.location.column - 1, 0), len(text))
            out.append(f"   {' ' * len(num)} | {' ' * caret_col}^")
        if self.hint:
            out.append(f"   gợi ý: {self.hint}")
        if self.rule:
            out.append(f"   căn cứ: {self.rule}")
        return "\n".join(out)


@dataclass
class DiagnosticList:
    """Collects the findings of one stage; ``raise_if_errors`` stops the pipeline before rendering."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self.items:
            self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise DiagnosticError(list(self.items))


class DiagnosticError(Exception):
    """Raised with every finding of the failing stage (errors and the warnings gathered so far)."""

    def __init__(self, diagnostics: list[Diagnostic], source_text: str | None = None) -> None:
        self.diagnostics = sorted(diagnostics, key=_sort_key)
        self.source_text = source_text
        first = next((d for d in self.diagnostics if d.is_error), self.diagnostics[0] if diagnostics else None)
        super().__init__(first.format() if first else "lỗi")

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def _sort_key(d: Diagnostic) -> tuple[str, int, int]:
    if d.location is None:
        return ("", 0, 0)
    return (d.location.file, d.location.line, d.location.column)


def summary_line(diagnostics: list[Diagnostic], wrote_nothing: bool) -> str:
    n_err = sum(d.is_error for d in diagnostics)
    n_warn = len(diagnostics) - n_err
    text = f"Có {n_err} lỗi, {n_warn} cảnh báo"
    return text + (" — không tạo tệp nào." if wrote_nothing else ".")
