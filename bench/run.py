"""quyche benchmarks — ratios against baselines measured in the same run (these machines are noisy).

    make bench            # or: .venv/bin/python bench/run.py [--docs 100] [--rounds 5]

1. DOCX per document: validate + compose + render of 100 programmes in one process, against the naive
   docxtpl way (load the template, render, save — per document) on comparable content. Target ≤ 1/3.
2. Processes: the same documents rendered by 2 worker processes against 1 (warm pools). Target ≥ 1.8×.
3. Peak memory of a worker (ru_maxrss). Target < 200 MB.
4. Start-up: `quyche --help` and `quyche validate FILE`, next to `python -c pass`. Target < 0.3 s.
5. PDF per page: quyche's tagged PDF/A-2b (WeasyPrint, one process) against LibreOffice headless converting
   the same documents' .docx in one soffice call (its best case), the fastest LibreOffice round as the
   baseline. Target ≤ 0.8×. Also measured in the same rounds: the untagged PDF (the cost of tagging) and
   WeasyPrint's own HTML5 user-agent stylesheet instead of quyche's small one (templates/pdf/ua.css), and
   the same comparison with start-up counted on both sides (a cold quyche process) or on neither
   (soffice's marginal cost per page): bench/pdf_bench.py.
6. PDF tuning: the cached font configuration and CSS against an untuned WeasyPrint call that builds them
   for every document. Target ≥ 1.3×.
7. Growth: a quy chế of 1 000, 2 000, 5 000 and 10 000 articles; time per article should stay flat.
The runs alternate (A B A B …) and each figure is the median of its rounds.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pdf_bench import pdf_bench  # noqa: E402
from typer_baseline import BARE_TYPER  # noqa: E402

from quyche.batch import plan_batch, validate_item  # noqa: E402
from quyche.compose import compose  # noqa: E402
from quyche.render.docx import DocxRenderer  # noqa: E402

BATCH = ROOT / "data" / "bo" / "tien-lu-2019.yaml"


def programmes(n: int) -> list:
    """n distinct validated programmes (the Tiên Lữ batch's partners, renamed per copy)."""
    plan = plan_batch(BATCH)
    items = [it for it in plan.items if it.kind == "chuong_trinh"]
    out = []
    for i in range(n):
        item = copy.deepcopy(items[i % len(items)])
        item.data["trich_yeu"] += f" (bản {i + 1})"
        assert validate_item(item, plan, i + 1) == []
        out.append((item, plan.path.parent))
    return out


def quyche_once(docs: list) -> float:
    renderer = DocxRenderer()
    t = time.perf_counter()
    for item, base in docs:
        document = compose(item.model, item.smap, base)
        renderer.render(document)
    return (time.perf_counter() - t) / len(docs)


def docxtpl_template(path: Path) -> None:
    """A docxtpl template with the same parts as a programme: header table, title, căn cứ, parts with
    items, signature table, recipients."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "{{ cap_tren }}\n{{ co_quan }}\n*"
    t.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    t.cell(1, 0).text = "{{ so }}"
    t.cell(1, 1).text = "{{ dia_danh_ngay }}"
    doc.add_paragraph("{{ ten_loai }}").runs[0].font.size = Pt(16)
    doc.add_paragraph("{{ trich_yeu }}")
    doc.add_paragraph("{%p for c in can_cu %}")
    doc.add_paragraph("{{ c }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ mo_dau }}")
    doc.add_paragraph("{%p for p in phan %}")
    doc.add_paragraph("{{ p.so }}- {{ p.ten }}")
    doc.add_paragraph("{%p for k in p.khoan %}")
    doc.add_paragraph("{{ k }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    s = doc.add_table(rows=2, cols=2)
    s.cell(0, 0).text = "{{ ky1_chuc_vu }}"
    s.cell(0, 1).text = "{{ ky2_chuc_vu }}"
    s.cell(1, 0).text = "{{ ky1_ho_ten }}"
    s.cell(1, 1).text = "{{ ky2_ho_ten }}"
    doc.add_paragraph("Nơi nhận:")
    doc.add_paragraph("{%p for n in noi_nhan %}")
    doc.add_paragraph("- {{ n }};")
    doc.add_paragraph("{%p endfor %}")
    doc.save(str(path))


def docxtpl_contexts(docs: list) -> list[dict]:
    out = []
    for item, _ in docs:
        m = item.model
        out.append(
            {
                "cap_tren": "HUYỆN ỦY TIÊN LỮ",
                "co_quan": "BAN TUYÊN GIÁO",
                "so": f"Số {m.so:02d}-CTr/BTGHU",
                "dia_danh_ngay": f"{m.dia_danh}, ngày {m.ngay.day:02d} tháng {m.ngay.month} năm {m.ngay.year}",
                "ten_loai": "CHƯƠNG TRÌNH",
                "trich_yeu": m.trich_yeu,
                "can_cu": m.can_cu,
                "mo_dau": m.mo_dau,
                "phan": [
                    {"so": i + 1, "ten": p.ten.upper(), "khoan": [k.noi_dung or k.tieu_de for k in p.khoan]}
                    for i, p in enumerate(m.phan)
                ],
                "ky1_chuc_vu": "TRƯỞNG BAN",
                "ky1_ho_ten": m.ky[0].ho_ten,
                "ky2_chuc_vu": " ".join(m.ky[1].chuc_vu or []).upper(),
                "ky2_ho_ten": m.ky[1].ho_ten,
                "noi_nhan": m.noi_nhan,
            }
        )
    return out


def docxtpl_once(template: Path, contexts: list[dict]) -> float:
    from docxtpl import DocxTemplate

    t = time.perf_counter()
    for ctx in contexts:  # the naive way: load, render, save — per document
        tpl = DocxTemplate(str(template))
        tpl.render(ctx)
        tpl.save(io.BytesIO())
    return (time.perf_counter() - t) / len(contexts)


# --- processes -----------------------------------------------------------------------------------------


def _work(args: tuple) -> int:
    model, smap, base = args
    data = DocxRenderer().render(compose(model, smap, Path(base)))
    return len(data)


def _rss(_: int) -> int:
    time.sleep(0.05)  # lets both workers take one
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def pool_time(pool: ProcessPoolExecutor, docs: list) -> float:
    args = [(item.model, item.smap, str(base)) for item, base in docs]
    t = time.perf_counter()
    list(pool.map(_work, args, chunksize=max(1, len(args) // 16)))
    return time.perf_counter() - t


# --- start-up ------------------------------------------------------------------------------------------


def startup(cmd: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def growth(results: dict) -> None:
    """Time per article for 1 000 … 10 000 articles (the-thuc hostile case "10 000 articles")."""
    import yaml

    from quyche.pipeline import render

    base = yaml.safe_load((ROOT / "tests" / "fixtures" / "base.yaml").read_text(encoding="utf-8"))
    per = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1000, 2000, 5000, 10000):
            base["chuong"] = [
                {"ten": f"Chương {c}", "dieu": [{"ten": f"Điều {c}-{i}", "doan": "Nội dung."} for i in range(n // 10)]}
                for c in range(10)
            ]
            path = Path(tmp) / f"{n}.yaml"
            path.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
            t = time.perf_counter()
            render(path, ("docx",))
            per[n] = (time.perf_counter() - t) / n * 1000
    results["growth_ms_per_article"] = {k: round(v, 3) for k, v in per.items()}
    results["growth_ratio"] = round(per[10000] / per[1000], 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pdf-only", action="store_true", help="only the PDF measures (5 and 6)")
    args = ap.parse_args()
    if args.pdf_only:
        only: dict[str, object] = {"rounds": args.rounds, "cpus": os.cpu_count()}
        pdf_bench(only, args.rounds)
        print(json.dumps(only, ensure_ascii=False, indent=1))
        return
    docs = programmes(args.docs)
    results: dict[str, object] = {"docs": args.docs, "rounds": args.rounds, "cpus": os.cpu_count()}

    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "baseline.docx"
        docxtpl_template(template)
        contexts = docxtpl_contexts(docs)
        quyche_once(docs[:5])
        docxtpl_once(template, contexts[:5])
        ours, theirs = [], []
        for _ in range(args.rounds):  # alternate A B A B
            ours.append(quyche_once(docs))
            theirs.append(docxtpl_once(template, contexts))
        q, d = statistics.median(ours), statistics.median(theirs)
        results["docx_ms_per_doc"] = round(q * 1000, 2)
        results["docxtpl_naive_ms_per_doc"] = round(d * 1000, 2)
        results["docx_ratio"] = round(q / d, 3)

    big = docs * 4  # enough work per process that the measure is the rendering, not the dispatch
    with ProcessPoolExecutor(1) as one, ProcessPoolExecutor(2) as two:
        list(one.map(_work, [(docs[0][0].model, docs[0][0].smap, str(docs[0][1]))] * 2))
        list(two.map(_work, [(docs[0][0].model, docs[0][0].smap, str(docs[0][1]))] * 4))
        t1, t2 = [], []
        for _ in range(args.rounds):
            t1.append(pool_time(one, big))
            t2.append(pool_time(two, big))
        results["one_process_s"] = round(statistics.median(t1), 3)
        results["two_processes_s"] = round(statistics.median(t2), 3)
        results["speedup_2_processes"] = round(statistics.median(t1) / statistics.median(t2), 2)
        results["worker_peak_rss_mb"] = round(max(two.map(_rss, range(2))) / 1024, 1)

    quyche = str(ROOT / ".venv" / "bin" / "quyche")
    if not Path(quyche).exists():
        quyche = "quyche"
    results["python_startup_s"] = round(startup([sys.executable, "-c", "pass"], args.rounds), 3)
    # The floor of the required CLI stack: a bare typer app with one Path argument (typer coerces
    # parameters through pydantic TypeAdapters, so it imports pydantic before any command runs).
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_typer.py"
        bare.write_text(BARE_TYPER, encoding="utf-8")
        results["bare_typer_s"] = round(startup([sys.executable, str(bare), "validate", "x.yaml"], args.rounds), 3)
    results["help_s"] = round(startup([quyche, "--help"], args.rounds), 3)
    results["validate_s"] = round(
        startup([quyche, "validate", str(ROOT / "data" / "quy-che-lam-dong-2016.yaml")], args.rounds), 3
    )

    results["validate_over_bare_typer"] = round(results["validate_s"] / results["bare_typer_s"], 2)

    pdf_bench(results, args.rounds)
    growth(results)

    print(json.dumps(results, ensure_ascii=False, indent=1))
    verdict = {
        "tagged PDF per page ≤ 0.8× LibreOffice's best": results.get("pdf_tagged_vs_libreoffice_best", 9) <= 0.8,
        "  … start-up on both sides (cold process)": results.get("pdf_cold_vs_libreoffice_best", 9) <= 0.8,
        "  … start-up on neither (LibreOffice's marginal page)": results.get("pdf_tagged_vs_libreoffice_marginal", 9)
        <= 0.8,
        "tuned PDF ≥ 1.3× untuned": results.get("pdf_tuning_speedup", 0) >= 1.3,
        "10 000 articles: per-article time ≤ 1.5× of 1 000": results.get("growth_ratio", 9) <= 1.5,
        "docx ≤ 1/3 of naive docxtpl": results["docx_ratio"] <= 1 / 3,
        "2 processes ≥ 1.8×": results["speedup_2_processes"] >= 1.8,
        "worker < 200 MB": results["worker_peak_rss_mb"] < 200,
        "--help < 0.3 s": results["help_s"] < 0.3,
        "validate < 0.3 s": results["validate_s"] < 0.3,
        "validate ≤ 1.3× bare typer": results["validate_over_bare_typer"] <= 1.3,
    }
    for name, ok in verdict.items():
        print(f"{'đạt ' if ok else 'CHƯA'}  {name}")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
