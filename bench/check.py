"""`quyche check` speed — ratios against rendering measured in the same run (these machines are noisy).

    .venv/bin/python bench/check.py [--rounds 9]     # also run by `make bench`

1. A three-page document (data/quy-che-lam-dong-2016.yaml): checking its .docx against rendering it as
   `quyche render` does (YAML → .docx and PDF). Target ≤ 1/5. Also shown: against the .docx alone.
2. Its PDF: checking against rendering the PDF.
3. A year's folder: every example of data/ (.docx), checked in one process.
Runs alternate (render, check, render, check …); each figure is the median of its rounds, warm.
``--profile`` also prints where checking the .docx spends its time (cProfile, 30 runs): reading the package
and the paragraphs' effective formatting (check/read_docx.py, styles.py) is most of it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import quyche  # noqa: E402
from quyche.check import check_file  # noqa: E402
from quyche.check.package import open_package  # noqa: E402

DOC = ROOT / "data" / "quy-che-lam-dong-2016.yaml"


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        written = {p.suffix: p for p in quyche.render(DOC, out_dir=out, formats=("docx", "pdf")).written}
        docx, pdf = written[".docx"], written[".pdf"]
        examples = [p for p in sorted((ROOT / "data").glob("*.yaml"))]
        folder = [w for p in examples for w in quyche.render(p, out_dir=out / "nam", formats=("docx",)).written]
        keys = ("render", "render_docx", "render_pdf", "check", "check_pdf", "open")
        rows: dict[str, list[float]] = {k: [] for k in keys}
        check_file(docx)  # warm: imports, profile cache
        check_file(pdf)
        for _ in range(args.rounds):
            rows["render"].append(timed(lambda: quyche.render(DOC, formats=("docx", "pdf"))))
            rows["check"].append(timed(lambda: check_file(docx)))
            rows["render_docx"].append(timed(lambda: quyche.render(DOC, formats=("docx",))))
            rows["render_pdf"].append(timed(lambda: quyche.render(DOC, formats=("pdf",))))
            rows["check_pdf"].append(timed(lambda: check_file(pdf)))
            rows["open"].append(timed(lambda: open_package(docx)))  # the floor: unzip and parse, no rule
        year = statistics.median(timed(lambda: [check_file(p) for p in folder]) for _ in range(3))
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(lambda: [check_file(docx) for _ in range(30)])
            pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    med = {k: statistics.median(v) * 1000 for k, v in rows.items()}
    print(f"three-page .docx ({DOC.name}), median of {args.rounds} rounds:")
    print(f"  quyche render (.docx + PDF) {med['render']:.0f} ms; .docx only {med['render_docx']:.1f} ms")
    print(f"  quyche check .docx          {med['check']:.1f} ms")
    print(f"  ratio check / render        {med['check'] / med['render']:.3f}  (target ≤ 0.2)")
    print(f"  ratio check / .docx render  {med['check'] / med['render_docx']:.2f}")
    print(
        f"  of which opening the package (unzip, parse document.xml): {med['open']:.1f} ms = "
        f"{med['open'] / med['render_docx']:.2f} of the .docx render"
    )
    print(
        f"  PDF: check {med['check_pdf']:.0f} ms / render {med['render_pdf']:.0f} ms = "
        f"{med['check_pdf'] / med['render_pdf']:.2f}"
    )
    print(f"  a year's folder: {len(folder)} .docx checked in {year:.2f} s")


if __name__ == "__main__":
    main()
