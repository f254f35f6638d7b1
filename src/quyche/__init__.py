"""quyche — Vietnamese official documents (quy chế, chương trình phối hợp, giấy mời, biên bản) from YAML.

    import quyche
    result = quyche.render("data/quy-che-lam-dong-2016.yaml", out_dir="out/")
    problems = quyche.validate("data/quy-che-lam-dong-2016.yaml")   # [] when valid

Heavy modules are imported on first use so that ``quyche --help`` starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import render as _render_stage  # noqa: F401  (loaded first, so the function below keeps the name)
from .errors import Diagnostic, DiagnosticError

if TYPE_CHECKING:
    from .pipeline import Result

__version__ = "0.1.0"
__all__ = ["Diagnostic", "DiagnosticError", "__version__", "render", "validate"]


def validate(path: str | Path) -> list[Diagnostic]:
    """All diagnostics of one file (errors and warnings); an empty list means valid and clean."""
    from .pipeline import build

    try:
        return build(path).warnings
    except DiagnosticError as exc:
        return exc.diagnostics


def render(
    path: str | Path,
    out_dir: str | Path | None = None,
    formats: tuple[str, ...] = ("docx",),
    template: str | Path | None = None,
    *,
    force: bool = False,
) -> Result:
    """Render one YAML file. With ``out_dir`` the files are written (atomically); the bytes are always
    in ``result.outputs``. Raises DiagnosticError when the input has errors (nothing is written), and
    quyche.written.HandEdited when a file there was changed since quyche wrote it (kept, unless ``force``)."""
    from .pipeline import render as _render
    from .pipeline import render_to

    if out_dir is None:
        return _render(path, formats, template)
    return render_to(path, out_dir, formats, template, force=force)
