"""Crash safety of `quyche batch` with real processes and signals: Ctrl-C (SIGINT to the process group), SIGTERM,
SIGKILL of the parent or of a worker at random moments, a write limit reached mid-batch — then a plain re-run must leave
every document rendered once, every number issued once, no reservation dangling, no temporary file, hand edits
kept, and no worker alive after its parent."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quyche.register import Register

from conftest import DATA, ROOT
from outline import docx_text

PARTNERS = ("PYT", "PVHTT", "DTT")
DOCS = {f"{kind}-{ma.lower()}.docx" for kind in ("chuong-trinh", "giay-moi") for ma in PARTNERS}
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def small_batch(folder: Path) -> Path:
    """The Tiên Lữ batch cut to three partners: six documents, quick enough for many trials."""
    (folder / "co-quan").mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "co-quan" / "tien-lu-2019.yaml", folder / "co-quan")
    (folder / "bo").mkdir(exist_ok=True)
    head = (DATA / "bo" / "tien-lu-2019.yaml").read_text(encoding="utf-8").split("doi_tac:\n")[0]
    batch = folder / "bo" / "bo.yaml"
    batch.write_text(
        head + "doi_tac:\n  - ma: PYT\n  - ma: PVHTT\n  - ma: DTT\n"
        "    ky: {ky_thay: Trưởng đài, chuc_vu: Phó Trưởng đài, ho_ten: Nguyễn Văn Tùng}\n",
        encoding="utf-8",
    )
    return batch


def start(batch: Path, out: Path, reg: Path, *extra: str, **kw) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "quyche", "batch", str(batch), "-o", str(out), "--so-dang-ky", str(reg), *extra]
    return subprocess.Popen(
        cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, **kw
    )


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return proc.returncode, out + err


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc: the pool's workers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def check_complete(out: Path, reg: Path, *, edited: dict[str, bytes] | None = None) -> None:
    """The state every plain re-run must reach."""
    folder = out / "bo"
    edited = edited or {}
    assert {p.name for p in folder.glob("*.docx")} == DOCS
    assert not list(folder.rglob("*.tmp")) and not (folder / ".quyche-nhat-ky.jsonl").exists()
    entries = Register(reg).list()
    assert len(entries) == 6 and all(e.trang_thai == "ban_hanh" for e in entries), [
        (e.id, e.trang_thai) for e in entries
    ]
    for loai in ("CTr", "GM"):
        assert sorted(e.so for e in entries if e.series.loai == loai) == [1, 2, 3]
    assert Register(reg).verify()[2] == []
    manifest = {m["id"]: m for m in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["muc"]}
    numbers = {e.dinh_danh.rsplit("#", 1)[1]: e for e in entries}
    for item_id, m in manifest.items():
        name = m["outputs"]["docx"]["path"] if "outputs" in m else None
        assert name, m
        if name in edited:
            assert (folder / name).read_bytes() == edited[name] and m["trang_thai"] == "sua-tay"
            continue
        assert m["trang_thai"] == "xong" and m["so"] == numbers[item_id].so
        text = docx_text((folder / name).read_bytes())  # opens: the file is whole
        assert numbers[item_id].so_ky_hieu.split("/")[0] in text  # the file carries its register number


def test_rerun_into_a_new_folder_issues_no_number(tmp_path: Path, case) -> None:
    case("sổ đăng ký", "chạy lại một bộ vào thư mục mới (hoặc sau khi xóa thư mục cũ)", "không lấy số nào, đúng số cũ")
    batch, reg = small_batch(tmp_path), tmp_path / "so.sqlite3"
    assert finish(start(batch, tmp_path / "a", reg))[0] == 0
    before = [(e.id, e.so, e.so_ky_hieu) for e in Register(reg).list()]
    shutil.rmtree(tmp_path / "a")
    for out in ("b", "a"):
        code, text = finish(start(batch, tmp_path / out, reg))
        assert code == 0, text
        check_complete(tmp_path / out, reg)
    assert [(e.id, e.so, e.so_ky_hieu) for e in Register(reg).list()] == before
    assert len(Register(reg).history()) == 12  # 6 reservations + 6 issues, nothing more
    moved = tmp_path / "may-khac"  # the project copied whole to another place (another computer)
    for name in ("bo", "co-quan", "so.sqlite3"):
        (shutil.copytree if (tmp_path / name).is_dir() else shutil.copy)(tmp_path / name, moved / name)
    code, text = finish(start(moved / "bo" / "bo.yaml", moved / "out", moved / "so.sqlite3"))
    assert code == 0, text
    check_complete(moved / "out", moved / "so.sqlite3")
    assert [(e.id, e.so) for e in Register(moved / "so.sqlite3").list()] == [(i, so) for i, so, _ in before]
    assert len(Register(moved / "so.sqlite3").history()) == 12


def test_signals_at_random_moments_then_a_plain_rerun(tmp_path: Path, case) -> None:
    case(
        "bộ văn bản",
        "20 lần Ctrl-C / SIGTERM / SIGKILL tiến trình cha / SIGKILL tiến trình con vào lúc ngẫu nhiên, rồi chạy lại",
        "mỗi văn bản một tệp, mỗi số ban hành một lần, không số treo, không *.tmp, tệp sửa tay còn nguyên, "
        "tiến trình con chết theo tiến trình cha",
    )
    rng = random.Random(int(os.environ.get("QUYCHE_SEED", "20251130")))
    batch = small_batch(tmp_path)
    text = batch.read_text(encoding="utf-8")
    how = ["int", "kill", "kill-worker", "term"] * 5  # 20 trials
    clock = time.monotonic()  # one whole run sets the window: the machine may be slow or busy
    assert finish(start(batch, tmp_path / "mesure", tmp_path / "mesure.sqlite3", "-j", "2"))[0] == 0
    span = time.monotonic() - clock
    orphans_checked = 0
    for trial, signal_kind in enumerate(how):
        reg, out = tmp_path / f"so-{trial // 2}.sqlite3", tmp_path / f"out-{trial}"
        edited: dict[str, bytes] = {}
        if trial % 4 == 3:  # a finished folder with a clerk's edit, then a changed input re-renders everything
            assert finish(start(batch, out, reg))[0] == 0
            target = out / "bo" / "giay-moi-pyt.docx"
            target.write_bytes(target.read_bytes() + b"\0")
            edited[target.name] = target.read_bytes()
            batch.write_text(text.replace("Hội trường Huyện ủy Tiên Lữ", f"Hội trường số {trial}"), encoding="utf-8")
        proc = start(batch, out, reg, "-j", "2")
        if signal_kind == "kill-worker" or (signal_kind == "kill" and trial % 8 == 1):  # while workers run
            deadline = time.monotonic() + 2 * span
            while not descendants(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            # soon after they start: a batch that starts fast runs its workers only a short while
            time.sleep(rng.uniform(0, span / 4 if signal_kind == "kill-worker" else span / 10))
        else:  # anywhere: start-up, reservation, rendering, recording
            time.sleep(rng.uniform(0.05, span))
        workers = descendants(proc.pid)
        if signal_kind == "int":
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        elif signal_kind == "kill":
            os.kill(proc.pid, signal.SIGKILL)
        elif signal_kind == "term":
            os.kill(proc.pid, signal.SIGTERM)  # kill, a service manager stopping it
        elif workers:
            os.kill(rng.choice(sorted(workers)), signal.SIGKILL)
        code, output = finish(proc)
        assert code in (0, 1, 130, -signal.SIGINT, -signal.SIGKILL, -signal.SIGTERM), output
        # A Ctrl-C while the interpreter is still importing (before quyche's main runs) or already finalizing is
        # reported by Python itself; anything else must be quyche's own message
        last = output.rstrip().splitlines()[-1] if output.strip() else ""
        python_own = last.startswith("KeyboardInterrupt") and (code == -signal.SIGINT or "Exception ignored" in output)
        assert "Traceback" not in output or (signal_kind != "kill" and python_own), output
        if signal_kind in ("kill", "term"):
            deadline = time.monotonic() + 5
            while any(alive(w) for w in workers) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not any(alive(w) for w in workers), "a worker outlived its killed parent"
            orphans_checked += bool(workers)
        code, output = finish(start(batch, out, reg, "-j", "2"))
        assert code == 0, output
        check_complete(out, reg, edited=edited)
        batch.write_text(text, encoding="utf-8")
    assert orphans_checked, "no parent was killed while its workers ran: widen the random window"


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="POSIX write limit")
def test_write_limit_mid_batch_then_a_plain_rerun(tmp_path: Path, case) -> None:
    case(
        "bộ văn bản",
        "ổ đầy (tiến trình thật, RLIMIT_FSIZE): trước khi giữ số, và giữa bộ (một tệp .docx quá giới hạn)",
        "thoát 1 với lỗi có vị trí (so-dang-ky, loi-tao-tep), không tệp dở; chạy lại hoàn tất với đúng số cũ",
    )
    batch, reg = small_batch(tmp_path), tmp_path / "so.sqlite3"
    rng = random.Random(7)  # a long random text: the PYT programme compresses to well over the limit
    words = [" ".join("".join(rng.choices("abcdeghiklmnopqrstuvxy", k=rng.randint(2, 9))) for _ in range(7000))]
    extra = "".join(f"          - {w}\n" for w in words * 4)
    text = batch.read_text(encoding="utf-8")
    batch.write_text(text.replace("  - ma: PYT\n", f"  - ma: PYT\n    them:\n      - phan: 2\n        khoan:\n{extra}"))

    def limit(size: int):
        def apply() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

        return apply

    code, output = finish(start(batch, tmp_path / "a", reg, "-j", "1", preexec_fn=limit(4000)))
    assert code == 1 and "[so-dang-ky]" in output and "bo.yaml:" in output and "Traceback" not in output, output
    assert not list((tmp_path / "a").rglob("*.docx")) and not list(tmp_path.rglob("*.tmp"))
    assert finish(start(batch, tmp_path / "a", reg))[0] == 0
    code, output = finish(start(batch, tmp_path / "b", reg, "-j", "1", preexec_fn=limit(60_000)))
    assert code == 1 and "[loi-tao-tep]" in output and "chuong_trinh:PYT" in output, output
    assert "bo.yaml:" in output and "Traceback" not in output
    written = {p.name for p in (tmp_path / "b" / "bo").glob("*.docx")}
    assert written == DOCS - {"chuong-trinh-pyt.docx"} and not list((tmp_path / "b").rglob("*.tmp"))
    code, output = finish(start(batch, tmp_path / "b", reg))
    assert code == 0, output
    check_complete(tmp_path / "b", reg)


def test_a_voided_number_is_replaced_by_the_next_run_and_both_stay_recorded(tmp_path: Path, case) -> None:
    case(
        "sổ đăng ký",
        "hủy số một văn bản của bộ (register void) rồi chạy lại",
        "văn bản đó nhận số mới, tệp ghi lại với số mới; số cũ vẫn là đã hủy; cả hai trong nhật ký",
    )
    batch, reg = small_batch(tmp_path), tmp_path / "so.sqlite3"
    assert finish(start(batch, tmp_path / "out", reg))[0] == 0
    old = next(e for e in Register(reg).list() if e.dinh_danh.endswith("#giay_moi:PVHTT"))
    r = subprocess.run(
        [sys.executable, "-m", "quyche", "register", "void", str(old.id), "--ly-do", "Sai nơi nhận", "--so-dang-ky",
         str(reg)], env=ENV, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    code, output = finish(start(batch, tmp_path / "out", reg))
    assert code == 0 and "1 văn bản mới, 5 không đổi" in output, output
    entries = Register(reg).list()
    new = next(e for e in entries if e.dinh_danh.endswith("#giay_moi:PVHTT") and e.trang_thai == "ban_hanh")
    assert (new.so, Register(reg).get(old.id).trang_thai) == (4, "huy") and len(entries) == 7
    assert new.so_ky_hieu.split("/")[0] in docx_text((tmp_path / "out" / "bo" / "giay-moi-pvhtt.docx").read_bytes())
    trail = [h["hanh_dong"] for h in Register(reg).history() if h["van_ban_id"] in (old.id, new.id)]
    assert trail == ["giu_so", "ban_hanh", "huy", "giu_so", "ban_hanh"] and Register(reg).verify()[2] == []
