"""Run the hostile suite and print (or write) the table of docs/reliability.md.

    .venv/bin/python scripts/reliability.py            # print the table
    .venv/bin/python scripts/reliability.py --write    # refresh docs/reliability.md between its markers

Each hostile test records what was tried and the expected outcome (the ``case`` fixture in
tests/conftest.py); this script reads them back from pytest's JUnit XML with the actual result.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITES = [
    "tests/hostile",
    "tests/batch/test_run.py",
    "tests/batch/test_crash.py",
    "tests/register/test_record.py",
    "tests/sign",
    "tests/pdf/test_pdf.py",
]
BEGIN, END = "<!-- bang-tu-dong: bat-dau -->", "<!-- bang-tu-dong: ket-thuc -->"


def run() -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "r.xml"
        suites = [s for s in SUITES if (ROOT / s).exists()]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                *suites,
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={xml}",
                "-o",
                "junit_family=xunit1",
            ],
            cwd=ROOT,
            check=False,
            capture_output=True,
        )
        tree = ET.parse(xml)
    rows = []
    for tc in tree.iter("testcase"):
        props = {p.get("name"): p.get("value") for p in tc.iter("property")}
        if "tried" not in props:
            continue
        if tc.find("failure") is not None or tc.find("error") is not None:
            result = "HỎNG"
        elif tc.find("skipped") is not None:
            result = "bỏ qua"
        else:
            result = "đạt"
        rows.append({**props, "result": result, "time": f"{float(tc.get('time', 0)):.2f} s"})
    return rows


def table(rows: list[dict[str, str]]) -> str:
    out = ["| khu vực | đã thử | kết quả mong đợi | kết quả | thời gian |", "|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: r.get("area", "")):
        cells = [r.get("area", ""), r.get("tried", ""), r.get("outcome", ""), r["result"], r["time"]]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    passed = sum(r["result"] == "đạt" for r in rows)
    out.append("")
    out.append(f"{passed}/{len(rows)} trường hợp đạt.")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    rows = run()
    text = table(rows)
    if args.write:
        doc = ROOT / "docs" / "reliability.md"
        current = doc.read_text(encoding="utf-8")
        head, rest = current.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        doc.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
    print(text)
    return 0 if all(r["result"] != "HỎNG" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
