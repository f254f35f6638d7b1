"""The cost of the input budgets on normal work — this tree against a baseline tree, in the same run.

    .venv/bin/python bench/budget.py [--base main] [--rounds 5]

The baseline is a git revision (default ``main``) checked out into a temporary worktree; both trees run
the same workload in fresh processes, alternating (A B A B …), and each figure is the median of its rounds:
1. render: every document example in data/ validated, composed and rendered to .docx in one process
   (YAML budgets, named files, the Word renderer);
2. batch: every batch in data/bo/ planned (rosters as tables, the Jinja sandbox on every shared text);
3. verify: a signed PDF of an example checked (the PDF structure scan before pyHanko).
One untimed warm-up call of each comes first: only the timed loops are measured, not first-call
imports. A ratio of 1.00 means the budgets cost nothing measurable.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKLOAD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    root, pdf, repeat = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    import quyche
    from quyche.batch import plan_batch
    docs = sorted((root / "data").glob("*.yaml"))
    batches = sorted((root / "data" / "bo").glob("*.yaml"))
    out = {}
    quyche.render(docs[0], formats=("docx",))  # warm-up: first-call imports are not the budgets' cost
    plan_batch(batches[0])
    if pdf:
        from quyche.sign import verify_pdf
        verify_pdf(Path(pdf))
    t = time.perf_counter()
    for _ in range(repeat):
        for d in docs:
            quyche.render(d, formats=("docx",))
    out["render"] = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(repeat):
        for b in batches:
            plan_batch(b)
    out["batch"] = time.perf_counter() - t
    if pdf:
        t = time.perf_counter()
        for _ in range(repeat * 10):
            verify_pdf(Path(pdf))
        out["verify"] = time.perf_counter() - t
    out["module"] = quyche.__file__
    print(json.dumps(out))
    """
)


def signed_pdf(tmp: Path) -> str:
    """An example rendered to PDF and signed once with a throw-away certificate (setup, not timed)."""
    script = textwrap.dedent(
        f"""
        import datetime as dt
        from pathlib import Path
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.serialization import pkcs12
        from cryptography.x509.oid import NameOID
        import quyche
        from quyche.sign import sign_pdf
        tmp = Path({str(tmp)!r})
        r = quyche.render(Path({str(ROOT / "data" / "giay-moi-tien-lu-2019.yaml")!r}), formats=("pdf",))
        (tmp / "vb.pdf").write_bytes(r.outputs["pdf"])
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench")])
        now = dt.datetime.now(dt.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(1).not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=9)).sign(key, hashes.SHA256()))
        (tmp / "k.p12").write_bytes(pkcs12.serialize_key_and_certificates(
            b"k", key, cert, None, serialization.BestAvailableEncryption(b"pw")))
        sign_pdf(tmp / "vb.pdf", tmp / "da-ky.pdf", tmp / "k.p12", b"pw")
        """
    )
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    return str(tmp / "da-ky.pdf") if r.returncode == 0 else ""


def run(src: Path, data_root: Path, pdf: str, repeat: int) -> dict[str, float]:
    """One workload in a fresh process importing quyche from ``src`` (checked: not the installed tree)."""
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}
    r = subprocess.run(
        [sys.executable, "-c", WORKLOAD, str(data_root), pdf, str(repeat)],
        cwd=data_root,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert Path(out.pop("module")).is_relative_to(src), "imported the wrong tree"
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="main")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        base = tmp / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        try:
            pdf = signed_pdf(tmp)
            times: dict[str, dict[str, list[float]]] = {"base": {}, "this": {}}
            for _ in range(args.rounds):
                for label, src in (("base", base / "src"), ("this", ROOT / "src")):
                    # the same inputs for both: this tree's data/
                    for key, value in run(src, ROOT, pdf, args.repeat).items():
                        times[label].setdefault(key, []).append(value)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
    print(f"budgets: this tree against {args.base}, median of {args.rounds} alternating rounds")
    print(f"{'workload':10} {args.base:>10} {'this':>10} {'ratio':>7}")
    for key in times["this"]:
        b, t = statistics.median(times["base"][key]), statistics.median(times["this"][key])
        print(f"{key:10} {b:9.3f}s {t:9.3f}s {t / b:7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
