"""The last line of defence (limits.py): a batch worker whose render runs past its CPU or memory budget is
stopped and reported as a located error for that document; the other documents of the batch are written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support import assert_refused, bounded

DATA = Path(__file__).resolve().parents[2] / "data"


def _heavy_batch(tmp_path: Path, paragraphs: int) -> Path:
    """The Tiên Lữ batch with one partner whose programme has ``paragraphs`` clauses (a PDF of hundreds of
    pages: seconds of CPU and hundreds of MB in the renderer)."""
    (tmp_path / "co-quan").mkdir()
    (tmp_path / "bo").mkdir()
    roster = (DATA / "co-quan" / "tien-lu-2019.yaml").read_text(encoding="utf-8")
    (tmp_path / "co-quan" / "tien-lu-2019.yaml").write_text(roster, encoding="utf-8")
    text = (DATA / "bo" / "tien-lu-2019.yaml").read_text(encoding="utf-8").split("doi_tac:\n")[0]
    clauses = "".join(
        f"        - Nội dung phối hợp số {i}, có người đầu mối và thời gian thực hiện rõ ràng.\n"
        for i in range(paragraphs)
    )
    anchor = "    - ten: Tổ chức thực hiện\n      khoan:\n"
    text = text.replace(anchor, anchor + clauses, 1)
    path = tmp_path / "bo" / "bo.yaml"
    path.write_text(text + "doi_tac:\n  - ma: PYT\n", encoding="utf-8")
    return path


def test_worker_cpu_breach_is_a_located_error(tmp_path: Path, case) -> None:
    case(
        "tiến trình",
        "CPU: 2 giây cho một văn bản PDF rất dài (15 000 khoản)",
        "lỗi vuot-gioi-han tại cơ quan đó, văn bản khác vẫn tạo, thoát 1, không sập",
    )
    path = _heavy_batch(tmp_path, 15_000)
    r = bounded(
        "batch", str(path), "-o", str(tmp_path / "out"), "--so-dang-ky", str(tmp_path / "so.sqlite3"),
        "-j", "2", "-f", "pdf", cwd=tmp_path, env={"QUYCHE_MAX_WORKER_CPU": "2"}, timeout=60,
    )  # fmt: skip
    assert_refused(r, "vuot-gioi-han")
    out = tmp_path / "out" / "bo"
    assert (out / "giay-moi-pyt.pdf").exists() and not (out / "chuong-trinh-pyt.pdf").exists()
    assert not list(out.glob(".*.tmp"))


_WORKER = """
import sys
from quyche.limits import WorkerLimitError, apply_worker_limits, guarded_render
apply_worker_limits()
try:
    with guarded_render():
        blocks = [bytearray(64 << 20) for _ in range(64)]  # 4 GiB, as a runaway renderer would
except WorkerLimitError as exc:
    print(exc)
    sys.exit(1)
sys.exit(0)
"""


def test_worker_memory_breach_is_reported(tmp_path: Path, case) -> None:
    case(
        "tiến trình",
        "bộ nhớ: 4 GiB cấp phát trong một văn bản (giới hạn 300 MB)",
        "WorkerLimitError rõ ràng, không sập",
    )
    r = subprocess.run(
        [sys.executable, "-c", _WORKER],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QUYCHE_MAX_WORKER_MEMORY": "300000000"},
    )
    assert r.returncode == 1 and "QUYCHE_MAX_WORKER_MEMORY" in r.stdout and "Traceback" not in r.stderr, r
