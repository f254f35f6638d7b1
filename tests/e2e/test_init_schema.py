"""quyche init (a commented starter per kind that validates and renders), quyche schema, quyche --version."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from quyche.json_schema import KINDS, dumps, schema_for
from quyche.starters import STARTER_KINDS


def quyche(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quyche", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("kind", [k for k in STARTER_KINDS if k != "bo_van_ban"])
def test_init_validates_and_renders(kind: str, tmp_path) -> None:
    target = tmp_path / f"{kind}.yaml"
    assert quyche("init", kind, str(target)).returncode == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=file://") and text.count("#") > 5
    assert quyche("validate", str(target)).returncode == 0
    r = quyche("render", str(target), "-o", str(tmp_path / "out"), "-f", "docx")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / f"{kind}.docx").stat().st_size > 5000
    again = quyche("init", kind, str(target))
    assert again.returncode == 1 and "đã có" in again.stderr


def test_init_batch_writes_its_roster_and_runs(tmp_path) -> None:
    target = tmp_path / "bo.yaml"
    assert quyche("init", "bo_van_ban", str(target)).returncode == 0
    assert (tmp_path / "co-quan-mau.yaml").exists()
    r = quyche("batch", str(target), "-o", str(tmp_path / "out"), "--so-dang-ky", str(tmp_path / "so.sqlite3"))
    assert r.returncode == 0, r.stderr
    assert "2 văn bản mới" in r.stdout


def test_init_unknown_kind_is_usage(tmp_path) -> None:
    assert quyche("init", "to_trinh", str(tmp_path / "x.yaml")).returncode == 2


def test_schema_prints_the_shipped_schema_and_it_is_current() -> None:
    for kind in KINDS:
        r = quyche("schema", kind)
        assert r.returncode == 0
        shipped = json.loads(r.stdout)
        assert r.stdout == dumps(schema_for(kind)), f"chạy scripts/make_schemas.py ({kind})"
        nodes = [shipped, *shipped.get("$defs", {}).values()]
        for node in nodes:
            for name, prop in node.get("properties", {}).items():
                assert prop.get("title") and prop.get("description"), (kind, name)
                assert prop["title"] != name.replace("_", " ").title(), (kind, name)  # not pydantic's own title
    assert quyche("schema", "khong-co").returncode == 2
    assert "quy_che" in quyche("schema").stdout


def test_version() -> None:
    r = quyche("--version")
    assert r.returncode == 0 and r.stdout.startswith("quyche ")
