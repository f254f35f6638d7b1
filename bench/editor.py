"""The editor's benchmarks (quyche serve) — ratios against baselines measured in the same run.

    make bench            # or: .venv/bin/python bench/editor.py [--rounds 7]

1. Preview against PDF: the HTML preview of a three-page document (what /api/xem-truoc computes: the source
   checked, composed and written as the PDF renderer's HTML) against the PDF render of the same document
   (the same steps, then WeasyPrint), in one process, warm; and the same two requests through a real server.
   Target: preview ≤ 1/5 of the PDF.
2. One request never blocks another: a preview's latency while PDF exports run, against its latency alone.
3. 20 concurrent preview requests: all answered without error (and how long the slowest took).
4. `quyche validate FILE` against a bare typer app with one Path argument, both started fresh. Target ≤ 1.3×.
   Both run from byte-compiled modules, as after `pip install` (an editable checkout with
   PYTHONDONTWRITEBYTECODE would recompile quyche on every start and not typer); figures in wall time and
   in CPU time of the child (steadier on a shared machine).
Each figure is the median of its rounds; runs alternate (A B A B …).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import httpx  # noqa: E402
from typer_baseline import BARE_TYPER  # noqa: E402

from quyche.pipeline import build_source  # noqa: E402
from quyche.render.pdf import PdfRenderer, document_html  # noqa: E402
from quyche.source import parse_text  # noqa: E402

DOC = ROOT / "data" / "quy-che-lam-dong-2016.yaml"  # three A4 pages


def timed(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def in_process(results: dict, rounds: int) -> None:
    text = DOC.read_text(encoding="utf-8")

    def preview() -> str:
        return document_html(build_source(parse_text(text, DOC.name, DOC)).document)

    renderer = PdfRenderer()

    def pdf() -> bytes:
        return renderer.render(build_source(parse_text(text, DOC.name, DOC)).document)

    preview(), pdf()  # warm: fonts, CSS, templates
    p, f = [], []
    for _ in range(rounds):
        p.append(timed(preview, 1))
        f.append(timed(pdf, 1))
    results["preview_ms"] = round(statistics.median(p) * 1000, 1)
    results["pdf_ms"] = round(statistics.median(f) * 1000, 1)
    results["preview_over_pdf"] = round(statistics.median(p) / statistics.median(f), 3)


def over_http(results: dict, rounds: int) -> None:
    from web.conftest import start_server, stop_server

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / DOC.name).write_text(DOC.read_text(encoding="utf-8"), encoding="utf-8")
        (folder / "co-quan").mkdir()
        roster = ROOT / "data" / "co-quan" / "lam-dong-2016.yaml"
        (folder / "co-quan" / roster.name).write_text(roster.read_text(encoding="utf-8"), encoding="utf-8")
        server = start_server(folder)
        try:
            with server.client() as c:
                body = DOC.read_bytes()
                preview_url, pdf_url = (
                    f"/api/xem-truoc?duong-dan={DOC.name}",
                    f"/api/xuat?dinh-dang=pdf&duong-dan={DOC.name}",
                )
                c.post(preview_url, content=body), c.post(pdf_url, content=body)
                p, f = [], []
                for _ in range(rounds):
                    p.append(timed(lambda: c.post(preview_url, content=body).raise_for_status(), 1))
                    f.append(timed(lambda: c.post(pdf_url, content=body).raise_for_status(), 1))
                results["http_preview_ms"] = round(statistics.median(p) * 1000, 1)
                results["http_pdf_ms"] = round(statistics.median(f) * 1000, 1)
                results["http_preview_over_pdf"] = round(statistics.median(p) / statistics.median(f), 3)
                cookies, token = dict(c.cookies), c.headers["X-CSRF-Token"]

            async def burst(n: int) -> tuple[list[int], float]:
                async with httpx.AsyncClient(base_url=server.url, cookies=cookies, timeout=300) as ac:
                    t = time.perf_counter()
                    rs = await asyncio.gather(
                        *(ac.post(preview_url, content=body, headers={"X-CSRF-Token": token}) for _ in range(n))
                    )
                    return [r.status_code for r in rs], time.perf_counter() - t

            async def preview_during_export() -> float:
                async with httpx.AsyncClient(base_url=server.url, cookies=cookies, timeout=300) as ac:
                    h = {"X-CSRF-Token": token}
                    export = asyncio.create_task(ac.post(pdf_url, content=body, headers=h))
                    await asyncio.sleep(0.01)
                    t = time.perf_counter()
                    (await ac.post(preview_url, content=body, headers=h)).raise_for_status()
                    took = time.perf_counter() - t
                    (await export).raise_for_status()
                    return took

            codes, took = asyncio.run(burst(20))
            results["concurrent_previews"] = len(codes)
            results["concurrent_previews_errors"] = sum(c != 200 for c in codes)
            results["concurrent_previews_s"] = round(took, 2)
            during = [asyncio.run(preview_during_export()) for _ in range(rounds)]
            results["http_preview_during_pdf_ms"] = round(statistics.median(during) * 1000, 1)
        finally:
            stop_server(server)


def startup(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def start_up(results: dict, rounds: int) -> None:
    quyche = str(ROOT / ".venv" / "bin" / "quyche")
    if not Path(quyche).exists():
        quyche = "quyche"
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_typer.py"
        bare.write_text(BARE_TYPER, encoding="utf-8")
        compileall.compile_dir(ROOT / "src" / "quyche", quiet=1)
        b, v = [], []
        for _ in range(max(rounds, 15)):
            b.append(startup([sys.executable, str(bare), "validate", "x.yaml"]))
            v.append(startup([quyche, "validate", str(DOC)]))
    for i, name in ((0, ""), (1, "_cpu")):
        bare_s, validate_s = statistics.median(x[i] for x in b), statistics.median(x[i] for x in v)
        results[f"bare_typer{name}_s"] = round(bare_s, 3)
        results[f"validate{name}_s"] = round(validate_s, 3)
        results[f"validate_over_bare_typer{name}"] = round(validate_s / bare_s, 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    results: dict[str, object] = {"rounds": args.rounds, "cpus": os.cpu_count()}
    in_process(results, args.rounds)
    over_http(results, args.rounds)
    start_up(results, args.rounds)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    verdict = {
        "preview ≤ 1/5 of PDF (in process)": results["preview_over_pdf"] <= 0.2,
        "preview ≤ 1/5 of PDF (over HTTP)": results["http_preview_over_pdf"] <= 0.2,
        "20 concurrent previews, no error": results["concurrent_previews_errors"] == 0,
        "validate ≤ 1.3× bare typer": results["validate_over_bare_typer"] <= 1.3,
    }
    for name, ok in verdict.items():
        print(f"{'đạt ' if ok else 'CHƯA'}  {name}")
    (ROOT / "bench" / "results-editor.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
