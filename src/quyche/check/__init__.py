"""``quyche check``: audit a .docx or PDF against the same profiles compose uses, and fix what is safe.

read (package/read_docx/read_pdf) → detect (regime, kind, roles) → rules (rules_page, rules_text, by
profile rule key) → report (text, JSON) → fixes (--sua, .docx only, a new file).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .detect import Identity, assign_roles, identify
from .model import Finding, Sheet
from .package import CheckInputError

__all__ = ["CheckInputError", "CheckResult", "check_file", "check_sheet", "read_file"]


@dataclass
class CheckResult:
    path: str
    fmt: str = ""
    ident: Identity | None = None
    findings: list[Finding] = field(default_factory=list)
    failure: CheckInputError | None = None  # the file could not be read
    sheet: Sheet | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def clean(self) -> bool:
        return self.failure is None and not self.findings


def read_file(path: Path) -> Sheet:
    head = b""
    try:
        if stat.S_ISREG(os.stat(path).st_mode):  # never open a FIFO or a device: read_* refuses them
            with open(path, "rb") as fh:
                head = fh.read(8)
    except OSError:
        pass  # read_* reports it
    if head.startswith(b"%PDF") or (not head.startswith(b"PK") and path.suffix.lower() == ".pdf"):
        from .read_pdf import read_pdf

        return read_pdf(path)
    from .read_docx import read_docx

    return read_docx(path)


def check_sheet(sheet: Sheet, profile: str | None = None) -> CheckResult:
    from ..profile import load_profile
    from .context import Context
    from .rules import run_rules

    assign_roles(sheet)
    ident = identify(sheet, profile)
    ctx = Context(sheet, ident, load_profile(ident.profile))
    run_rules(ctx)
    # Reading order: what has no place (fonts of a PDF) first, then by page and paragraph.
    ctx.findings.sort(key=lambda f: (f.line is not None, (f.line.page or 0, f.line.index) if f.line else (0, 0)))
    return CheckResult(sheet.path, sheet.fmt, ident, ctx.findings, sheet=sheet)


def check_file(path: str | Path, profile: str | None = None) -> CheckResult:
    """Check one file. A file that cannot be read gives ``failure`` (a located, coded reason), never raises."""
    p = Path(path)
    try:
        sheet = read_file(p)
    except CheckInputError as exc:
        return CheckResult(str(path), failure=exc)
    sheet.path = str(path)
    return check_sheet(sheet, profile)
