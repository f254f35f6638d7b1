"""Flaws planted in quyche's own PDFs the way a later tool spoils them (pypdf rewriting the file): a PDF/A
claim left standing after the colour profile is dropped, the file encrypted, the Info title edited without the
XMP; a signature field lost. Each returns the rule id ``quyche check`` must report, or None when the PDF has
nothing to plant it on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

PdfFlaw = Callable[[Path, Path], "str | None"]


def _writer(source: Path) -> PdfWriter:
    return PdfWriter(clone_from=PdfReader(str(source)))


def no_output_intent(source: Path, out: Path) -> str | None:
    w = _writer(source)
    if "/OutputIntents" not in w._root_object:
        return None
    del w._root_object["/OutputIntents"]
    w.write(str(out))
    return "pdfa.claim"


def encrypted(source: Path, out: Path) -> str | None:
    w = _writer(source)
    w.encrypt(user_password="", owner_password="chi-van-thu", algorithm="AES-128")
    w.write(str(out))
    return "pdfa.claim"


def title_edited(source: Path, out: Path) -> str | None:
    w = _writer(source)
    w.add_metadata({"/Title": "Bản sửa"})
    w.write(str(out))
    return "pdfa.claim"


def field_lost(source: Path, out: Path) -> str | None:
    w = _writer(source)
    form = w._root_object.get("/AcroForm")
    fields = form.get_object().get("/Fields") if form is not None else None
    sigs = [f for f in (fields or []) if f.get_object().get("/FT") == "/Sig"]
    if len(sigs) < 2:
        return None
    lost = sigs[-1]
    form.get_object()[NameObject("/Fields")] = ArrayObject([f for f in fields if f != lost])
    for page in w.pages:
        annots = page.get("/Annots")
        if annots is not None:
            page[NameObject("/Annots")] = ArrayObject([a for a in annots.get_object() if a != lost])
    w.write(str(out))
    return "sign.digital_field"


PDF_FLAWS: dict[str, PdfFlaw] = {f.__name__: f for f in (no_output_intent, encrypted, title_edited, field_lost)}
