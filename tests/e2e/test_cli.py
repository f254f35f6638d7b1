"""The command line as a user runs it: exit codes, located messages, nothing written on error."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

import quyche
from quyche.output import OutputError, safe_name, target_path

from conftest import DATA, ROOT, example_files

INVALID = ROOT / "tests" / "fixtures" / "invalid"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_help() -> None:
    r = run("--help")
    assert r.returncode == 0 and "render" in r.stdout and "validate" in r.stdout


def test_help_lists_every_command_and_one_command_runs_alone() -> None:
    """`main` builds only the command being run; help, global flags and subcommand groups are unchanged."""
    from quyche.cli import COMMANDS, command_of

    r = run("--help")
    listed = {line.split()[0] for line in r.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == set(COMMANDS)
    assert command_of(["--debug", "-v", "validate", "x.yaml"]) == "validate"
    assert command_of(["--version"]) is None and command_of(["validatx"]) is None
    r = run("--debug", "-v", "validate", str(DATA / "quy-che-lam-dong-2016.yaml"))
    assert r.returncode == 0 and "hợp lệ" in r.stdout and "Bước 4/6" in r.stderr
    r = run("register", "--help")
    assert r.returncode == 0 and "issue" in r.stdout
    r = run("validatx")
    assert r.returncode == 2 and "validate" in r.stderr


# A `quyche validate` of every example in one process, counting the collector's runs while the command loads
# (from the pause to `loaded`) and during the work; the last line printed is the tally.
GC_PROBE = """
import gc, sys
from quyche.cli import common, main
import quyche.cli.documents as documents
phase, runs = ["start"], {"start": 0, "loading": 0, "work": 0}
gc.callbacks.append(lambda stage, info: stage == "stop" and runs.__setitem__(phase[0], runs[phase[0]] + 1))
pause, loaded = common.pause_collector, common.loaded
def paused():
    pause()
    phase[0] = "loading"
def resumed():
    loaded()
    phase[0] = "work"
common.pause_collector, documents.loaded = paused, resumed
sys.argv = ["quyche", "validate", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    print("GC", gc.isenabled(), gc.get_freeze_count() > 0, runs["loading"], runs["work"], exc.code)
"""


def test_collector_paused_only_while_a_command_loads() -> None:
    """validate pauses the garbage collector while its modules load, then freezes what start-up made and
    collects as usual during the work; other commands never pause it."""
    files = [str(f) for f in example_files()] * 3
    r = subprocess.run([sys.executable, "-c", GC_PROBE, *files], cwd=ROOT, capture_output=True, text=True, timeout=300)
    enabled, frozen, loading, work, code = r.stdout.strip().splitlines()[-1].split()[1:]
    assert (enabled, frozen, loading, code) == ("True", "True", "0", "0"), r.stderr
    assert int(work) > 0  # the work itself is collected
    probe = "import gc, sys; from quyche.cli import main; sys.argv = ['quyche', 'the-thuc']\ntry: main()\n"
    probe += "except SystemExit: pass\nprint('GC', gc.isenabled(), gc.get_freeze_count())"
    r = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.stdout.strip().splitlines()[-1] == "GC True 0", r.stderr


def test_validate_examples_ok() -> None:
    r = run("validate", *map(str, example_files()))
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("hợp lệ") == len(example_files())


def test_validate_invalid_is_located_and_exit_1() -> None:
    r = run("validate", str(INVALID / "hoc-ham-truoc-ten.yaml"))
    assert r.returncode == 1
    assert "hoc-ham-truoc-ten.yaml:21:13: lỗi [hoc-ham-truoc-ten]" in r.stderr
    assert "gợi ý:" in r.stderr and "không tạo tệp nào" in r.stderr
    assert "Traceback" not in r.stderr


def test_render_invalid_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run("render", str(INVALID / "nhieu-loi-mot-lan.yaml"), "-o", str(out))
    assert r.returncode == 1
    assert not out.exists() or not any(out.iterdir())


def test_render_all_examples(tmp_path: Path) -> None:
    r = run("render", *map(str, example_files()), "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    for path in example_files():
        target = tmp_path / f"{path.stem}.docx"
        assert Document(io.BytesIO(target.read_bytes())).paragraphs is not None
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_render_mixed_batch_keeps_going(tmp_path: Path) -> None:
    good = DATA / "quy-che-dak-lak-2017.yaml"
    r = run("render", str(INVALID / "yaml-tab.yaml"), str(good), "-o", str(tmp_path))
    assert r.returncode == 1
    assert (tmp_path / f"{good.stem}.docx").exists()
    assert not (tmp_path / "yaml-tab.docx").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    r = run("render", str(example_files()[0]), "--format", "odt", "-o", str(tmp_path))
    assert r.returncode == 2 and "odt" in r.stderr


def test_missing_file_is_a_document_error() -> None:
    r = run("validate", "khong-co.yaml")
    assert r.returncode == 1 and "Không đọc được tệp" in r.stderr and "Traceback" not in r.stderr


def test_profiles_listing_cites_rules() -> None:
    r = run("the-thuc", "nd30-2020")
    assert r.returncode == 0
    assert "header.tieu_ngu.text" in r.stdout and "ND30-PL1 §II.1.b" in r.stdout
    assert run("the-thuc", "khong-co").returncode == 2


def test_python_api_writes_atomically(tmp_path: Path) -> None:
    result = quyche.render(DATA / "quy-che-dak-lak-2017.yaml", out_dir=tmp_path)
    assert result.written == [
        tmp_path.resolve() / "quy-che-dak-lak-2017.docx",
        tmp_path.resolve() / "quy-che-dak-lak-2017.json",
    ]
    assert result.document.so_ky_hieu == "Số: 01/QC-UBND-UBMTTQ"


@pytest.mark.parametrize("name", ["../x.docx", "/etc/x.docx", "a/../../x.docx", "x\x00.docx"])
def test_no_path_escapes(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError):
        target_path(tmp_path, name)


@pytest.mark.parametrize("stem", ["CON", "..", "", "nul"])
def test_reserved_names_refused(stem: str) -> None:
    with pytest.raises(OutputError):
        safe_name(stem)


def test_pdf_render_does_not_import_pyhanko(tmp_path: Path) -> None:
    """The signature fields are written by WeasyPrint's writer itself: rendering a PDF never pays
    pyHanko's import (about 0.35 s); only ``quyche sign`` and ``verify`` need it."""
    pytest.importorskip("weasyprint")
    code = (
        "import sys; import quyche; "
        f"quyche.render({str(DATA / 'quy-che-dak-lak-2017.yaml')!r}, out_dir={str(tmp_path)!r}, formats=('pdf',)); "
        "assert 'weasyprint' in sys.modules and 'pyhanko' not in sys.modules, sorted(sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "quy-che-dak-lak-2017.pdf").stat().st_size > 0


def test_docx_only_render_does_not_import_weasyprint(tmp_path: Path) -> None:
    code = (
        "import sys; import quyche; "
        f"quyche.render({str(DATA / 'quy-che-dak-lak-2017.yaml')!r}, out_dir={str(tmp_path)!r}, formats=('docx',)); "
        "assert 'weasyprint' not in sys.modules and 'pyhanko' not in sys.modules, 'heavy import'"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    r = run("-v", "render", str(DATA / "quy-che-dak-lak-2017.yaml"), "-o", str(tmp_path), "-f", "docx")
    assert r.returncode == 0 and not (tmp_path / "quy-che-dak-lak-2017.pdf").exists()
    assert "Bước 1/6" in r.stderr and "Bước 6/6" in r.stderr  # --verbose logs the numbered steps
