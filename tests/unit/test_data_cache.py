"""The cache of parsed profiles, lexicon and font metrics (data_cache.py): the same data as a parse, never stale,
never in the way — an edited profile is seen by the next run, a damaged or unwritable cache is ignored."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import math
from pathlib import Path

import pytest
import yaml

from quyche.data_cache import cache_dir, load_json, load_yaml
from quyche.profile import PROFILE_DIR

from support import BASE, quyche, write

SRC = Path(__file__).resolve().parents[2] / "src" / "quyche"
SHIPPED = sorted(PROFILE_DIR.glob("*.yaml")) + sorted((SRC / "lexicon").glob("*.yaml"))
METRICS = SRC / "metrics" / "times.json"


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "data").glob("*.bin")) if (folder / "data").is_dir() else []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_cached_data_is_the_parse(path: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QUYCHE_CACHE_DIR", str(tmp_path))
    text = path.read_text(encoding="utf-8")
    parsed = yaml.safe_load(text)
    first = load_yaml(text, str(path))  # parsed, then stored
    assert len(entries(tmp_path)) == 1
    second = load_yaml(text, str(path))  # read from the entry
    assert first == parsed and second == parsed
    assert json.dumps(second, ensure_ascii=False) == json.dumps(parsed, ensure_ascii=False)  # key order too


def test_cached_metrics_are_the_parse(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QUYCHE_CACHE_DIR", str(tmp_path))
    text = METRICS.read_text(encoding="utf-8")
    assert load_json(text, str(METRICS)) == load_json(text, str(METRICS)) == json.loads(text)
    assert len(entries(tmp_path)) == 1


@pytest.mark.parametrize(
    ("text", "expected", "cached"),
    [
        ("ngay: 2021-01-05\n", {"ngay": dt.date(2021, 1, 5)}, False),
        ("x: .nan\n", None, False),
        ("sizes: {13: a, 14: b}\n", {"sizes": {13: "a", 14: "b"}}, True),
        ("x: !!set {a, b}\n", {"x": {"a", "b"}}, True),
        ("x: [1, 1.0, true, null, '1']\n", {"x": [1, 1.0, True, None, "1"]}, True),
    ],
    ids=["date", "nan", "int-keys", "set", "scalars"],
)
def test_only_data_carried_exactly_is_cached(text: str, expected, cached: bool, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QUYCHE_CACHE_DIR", str(tmp_path))
    for _ in range(2):
        got = load_yaml(text, str(tmp_path / "p.yaml"))
        if expected is None:
            assert math.isnan(got["x"])
        else:
            assert got == expected
            assert [type(v) for v in got.get("x", [])] == [type(v) for v in expected.get("x", [])]
            assert [type(k) for k in got.get("sizes", {})] == [type(k) for k in expected.get("sizes", {})]
    assert len(entries(tmp_path)) == int(cached)


def test_turned_off_and_default_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("QUYCHE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "quyche"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "quyche"
    monkeypatch.setenv("QUYCHE_CACHE_DIR", str(tmp_path / "named"))
    assert cache_dir() == tmp_path / "named"
    monkeypatch.setenv("QUYCHE_NO_CACHE", "1")
    assert cache_dir() is None
    assert load_yaml("a: 1\n", str(tmp_path / "p.yaml")) == {"a": 1}
    assert not (tmp_path / "named").exists()


def _profile(margin: int) -> str:
    return (
        "id: tt\nextends: nd30-2020\nrules:\n"
        f"  page.margin_mm.left: {{default: {margin}, range: [30, 35], source: 'quy chế nội bộ', status: practice}}\n"
    )


def _margin(r) -> str:
    line = next(x for x in r.stdout.splitlines() if x.startswith("page.margin_mm.left "))
    return line.split()[1]


def test_an_edited_profile_is_seen_by_the_next_run(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"QUYCHE_CACHE_DIR": str(cache)}
    prof = tmp_path / "tt.yaml"
    prof.write_text(_profile(35), encoding="utf-8")
    doc = write(tmp_path, BASE + "the_thuc: tt.yaml\n")
    assert quyche("validate", str(doc), env=env).returncode == 0
    assert _margin(quyche("the-thuc", str(prof), env=env)) == "35"
    assert len(entries(cache)) == 4  # the document's profile, the one it extends, the lexicon, the font metrics
    prof.write_text(_profile(33), encoding="utf-8")  # same size, same second: only the text says it changed
    assert _margin(quyche("the-thuc", str(prof), env=env)) == "33"
    prof.write_text(_profile(33).replace("default: 33,", "mac_dinh: 33,"), encoding="utf-8")
    broken = quyche("validate", str(doc), env=env)
    assert broken.returncode == 1 and "[the-thuc-loi]" in broken.stderr, broken.stderr
    uncached = quyche("validate", str(doc), env={"QUYCHE_NO_CACHE": "1"})
    assert (uncached.returncode, uncached.stdout, uncached.stderr) == (1, broken.stdout, broken.stderr)


def test_a_damaged_or_unwritable_cache_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    doc = write(tmp_path, BASE)
    first = quyche("validate", str(doc), env={"QUYCHE_CACHE_DIR": str(cache)})
    assert first.returncode == 0 and entries(cache)
    foreign = marshal.dumps(("0" * 64, {"id": "x"}))
    for i, entry in enumerate(entries(cache)):  # torn, garbage, or made from another text
        entry.write_bytes([foreign[:-3], b"\x00\xff garbage", foreign][i % 3])
    again = quyche("validate", str(doc), env={"QUYCHE_CACHE_DIR": str(cache)})
    assert (again.returncode, again.stdout, again.stderr) == (0, first.stdout, first.stderr)
    assert all(marshal.loads(e.read_bytes())[1] != {"id": "x"} for e in entries(cache))  # rewritten from the text
    not_a_folder = tmp_path / "tep"
    not_a_folder.write_text("x", encoding="utf-8")
    blocked = quyche("validate", str(doc), env={"QUYCHE_CACHE_DIR": str(not_a_folder / "cache")})
    assert (blocked.returncode, blocked.stdout, blocked.stderr) == (0, first.stdout, first.stderr)
