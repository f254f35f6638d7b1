"""Measures 5 and 6 of bench/run.py: quyche's tagged PDF/A-2b per page against LibreOffice headless converting the
same documents' .docx in one soffice call, from the examples in data/.

LibreOffice's figure includes its start-up (one soffice process for the batch); quyche's warm figure does not
(one process already running, fonts and CSS cached). So two more figures count start-up on both sides or on
neither: a cold quyche process that loads the composed documents and writes every PDF against the one soffice
command, and soffice's marginal cost per page (the batch less the first document converted alone) against the
warm time.
"""

from __future__ import annotations

import io
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quyche.render.docx import DocxRenderer

ROOT = Path(__file__).resolve().parents[1]


def _examples() -> list:
    from quyche.pipeline import build

    return [build(p).document for p in sorted((ROOT / "data").glob("*.yaml"))]


COLD = """\
import pickle, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from quyche.render.pdf import PdfRenderer
documents = pickle.loads(Path(sys.argv[2]).read_bytes())
out = Path(sys.argv[3])
out.mkdir(exist_ok=True)
renderer = PdfRenderer()
for i, d in enumerate(documents):
    (out / f"{i}.pdf").write_bytes(renderer.render(d))
"""


def pdf_bench(results: dict, rounds: int) -> None:
    import shutil

    from pypdf import PdfReader

    try:
        from quyche.render import pdf as pdfmod
        from quyche.render.pdf_source import document_css
    except ImportError:
        results["pdf"] = "WeasyPrint missing"
        return
    documents = _examples()
    renderer = pdfmod.PdfRenderer()  # tagged PDF/A-2b, the default
    untagged_renderer = pdfmod.PdfRenderer(tagged=False)
    html5_renderer = pdfmod.PdfRenderer(small_ua=False)
    html5_source_renderer = pdfmod.PdfRenderer(fast_source=False)  # WeasyPrint's HTML5 parser, <style> in place
    counts = [len(PdfReader(io.BytesIO(renderer.render(d))).pages) for d in documents]
    pages, first_pages = sum(counts), counts[0]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")

    def ours() -> float:
        document_css.cache_clear()  # each round's documents are new ones: their <style> is parsed again
        t = time.perf_counter()
        for d in documents:
            renderer.render(d)
        return time.perf_counter() - t

    def timed(r) -> float:
        document_css.cache_clear()
        t = time.perf_counter()
        for d in documents:
            r.render(d)
        return time.perf_counter() - t

    def untuned() -> float:
        t = time.perf_counter()
        for d in documents:
            pdfmod._resources.cache_clear()  # a new FontConfiguration and CSS parse per document
            document_css.cache_clear()
            renderer.render(d)
        return time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        docx_files = []
        for d, path in zip(documents, sorted((ROOT / "data").glob("*.yaml")), strict=True):
            target = Path(tmp) / f"{path.stem}.docx"
            target.write_bytes(DocxRenderer().render(d))
            docx_files.append(str(target))
        profile = Path(tmp) / "lo-profile"

        def libreoffice(files: list[str] = docx_files) -> float:
            t = time.perf_counter()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(Path(tmp) / "lo"),
                    *files,
                ],
                capture_output=True,
                check=True,
            )
            return time.perf_counter() - t

        # Both sides from a cold process: one Python process that loads the composed documents, imports
        # WeasyPrint, finds the fonts and writes every PDF, against the one soffice command.
        pickled = Path(tmp) / "documents.pickle"
        pickled.write_bytes(pickle.dumps(documents))

        def ours_cold() -> float:
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", COLD, str(ROOT / "src"), str(pickled), str(Path(tmp) / "ours")], check=True
            )
            return time.perf_counter() - t

        a, b, c, e, f, g, h, k = [], [], [], [], [], [], [], []
        if soffice:
            libreoffice()  # first start creates the profile: not the steady state
        for _ in range(rounds):  # alternate
            a.append(ours())
            if soffice:
                b.append(libreoffice())
                h.append(libreoffice(docx_files[:1]))  # start-up + the first document alone
            g.append(ours_cold())
            c.append(untuned())
            e.append(timed(untagged_renderer))
            f.append(timed(html5_renderer))
            k.append(timed(html5_source_renderer))
        pdfmod._resources.cache_clear()
    results["pdf_pages"] = pages
    results["pdf_ms_per_page"] = round(statistics.median(a) / pages * 1000, 1)
    results["pdf_untuned_ms_per_page"] = round(statistics.median(c) / pages * 1000, 1)
    results["pdf_tuning_speedup"] = round(statistics.median(c) / statistics.median(a), 2)
    results["pdf_untagged_ms_per_page"] = round(statistics.median(e) / pages * 1000, 1)
    results["pdf_tagging_cost"] = round(statistics.median(a) / statistics.median(e), 2)
    results["pdf_html5_ua_ms_per_page"] = round(statistics.median(f) / pages * 1000, 1)
    results["pdf_small_ua_speedup"] = round(statistics.median(f) / statistics.median(a), 2)
    results["pdf_html5_source_ms_per_page"] = round(statistics.median(k) / pages * 1000, 1)
    results["pdf_fast_source_speedup"] = round(statistics.median(k) / statistics.median(a), 2)
    results["pdf_cold_process_ms_per_page"] = round(statistics.median(g) / pages * 1000, 1)
    if b:
        results["libreoffice_ms_per_page"] = round(statistics.median(b) / pages * 1000, 1)
        results["libreoffice_best_ms_per_page"] = round(min(b) / pages * 1000, 1)
        results["pdf_vs_libreoffice"] = round(statistics.median(a) / statistics.median(b), 2)
        results["pdf_tagged_vs_libreoffice_best"] = round(statistics.median(a) / min(b), 2)
        # Start-up counted on both sides: one cold quyche process against the one soffice command.
        results["pdf_cold_vs_libreoffice_best"] = round(statistics.median(g) / min(b), 2)
        # Start-up counted on neither: soffice's marginal cost per page (the batch less the first document
        # converted alone, over the other pages) against quyche's warm per-page time.
        rest = pages - first_pages
        marginal = (min(b) - min(h)) / rest if rest else 0.0
        results["libreoffice_startup_plus_first_s"] = round(min(h), 2)
        if marginal > 0:
            results["libreoffice_marginal_ms_per_page"] = round(marginal * 1000, 1)
            results["pdf_tagged_vs_libreoffice_marginal"] = round(statistics.median(a) / pages / marginal, 2)
