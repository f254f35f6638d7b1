"""User Word templates (mau_word) in a batch — ratios against a baseline measured in the same run.

    .venv/bin/python bench/mau_word.py [--rounds 5]

The Tiên Lữ batch's 12 invitations (data/bo/tien-lu-2019.yaml) filled through the office's template
data/mau/giay-moi-van-phong.docx, with the same contexts on both sides (computed before the clock starts):
- quyche: the template read and compiled once (bounded zip, docxtpl's tag rules, the budgeted sandbox on every
  part), then re-rendered per partner;
- naive docxtpl: per partner, load the template, render, save (docxtpl issue #110: the cost of a re-render is
  the reload) — unsandboxed, as most users run it.
Target: quyche ≤ 1/3 of the naive loop. Also shown: the whole per-document cost (compose + context + fill).
The runs alternate (A B A B …) and each figure is the median of its rounds.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quyche.batch import plan_batch, validate_item  # noqa: E402
from quyche.compose import compose  # noqa: E402
from quyche.word import template as word_template  # noqa: E402
from quyche.word.context import build_context  # noqa: E402

BATCH = ROOT / "data" / "bo" / "tien-lu-2019.yaml"
TEMPLATE = ROOT / "data" / "mau" / "giay-moi-van-phong.docx"


def partners() -> list:
    """The batch's invitations, validated and composed, each naming the office template."""
    plan = plan_batch(BATCH)
    out = []
    for i, item in enumerate(it for it in plan.items if it.kind == "giay_moi"):
        assert validate_item(item, plan, i + 1) == []
        item.model.mau_word = str(TEMPLATE)
        out.append((item, plan.path.parent))
    return out


def contexts(docs: list) -> list[tuple[dict, dict]]:
    return [build_context(item.model, compose(item.model, item.smap, base)) for item, base in docs]


def quyche_fill(ctxs: list) -> float:
    word_template._load.cache_clear()  # the batch's one parse is counted
    t = time.perf_counter()
    compiled = word_template.load(TEMPLATE)
    for ctx, styles in ctxs:
        compiled.render(ctx, styles)
    return (time.perf_counter() - t) / len(ctxs)


def naive_fill(ctxs: list) -> float:
    from docxtpl import DocxTemplate

    t = time.perf_counter()
    for ctx, _ in ctxs:  # the naive way: load, render, save — per partner
        tpl = DocxTemplate(str(TEMPLATE))
        tpl.render(ctx)
        tpl.save(io.BytesIO())
    return (time.perf_counter() - t) / len(ctxs)


def whole(docs: list) -> float:
    from quyche.word.render import render_word

    word_template._load.cache_clear()
    t = time.perf_counter()
    for item, base in docs:
        render_word(item.model, compose(item.model, item.smap, base), base, item.smap)
    return (time.perf_counter() - t) / len(docs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    docs = partners()
    ctxs = contexts(docs)
    quyche_fill(ctxs[:2])  # warm-up: imports on both sides
    naive_fill(ctxs[:2])
    ours, theirs, full = [], [], []
    for _ in range(args.rounds):
        ours.append(quyche_fill(ctxs))
        theirs.append(naive_fill(ctxs))
        full.append(whole(docs))
    o, n = statistics.median(ours), statistics.median(theirs)
    results = {
        "partners": len(ctxs),
        "quyche_ms_per_doc": round(o * 1000, 2),
        "docxtpl_naive_ms_per_doc": round(n * 1000, 2),
        "ratio": round(o / n, 3),
        "quyche_whole_ms_per_doc": round(statistics.median(full) * 1000, 2),
        "target_met": o / n <= 1 / 3,
    }
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
