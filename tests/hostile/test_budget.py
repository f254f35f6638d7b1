"""The one budget policy (budget.py) where plain input enters: environment overrides, YAML expanded bytes,
register integers, profile files, long file names, symlinks in the output folder and files named by a
document. Each case runs the CLI in a bounded child process (support.bounded): exit 1 or 2, never 3, a
located code, no traceback, nothing written."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
import yaml

from quyche import budget

from support import BASE, assert_refused, bounded, write

SECRET = "mat-khau-bi-mat-7f3a"


def _bad_values() -> list[str]:
    """Generated malformed overrides: words, signs, decimals, units, blanks inside, overflows."""
    rng = random.Random(11)
    words = ["abc", "2MB", "1e6", "0x10", "-5", "0", "1.5", " 12 3", "١٢٣", "10**9", "∞", "9" * 30]
    words += ["".join(rng.choice("abc-+.%$ 0123") for _ in range(rng.randint(1, 8))) for _ in range(6)]
    # an empty value means "unset" (the default); everything else that is not 1…max must be refused
    return [
        w
        for w in dict.fromkeys(words)
        if w.strip() and (not w.strip().replace("_", "").isdigit() or int(w) < 1 or len(w) > 20)
    ]


@pytest.mark.parametrize("value", _bad_values())
def test_malformed_override_is_a_usage_error(tmp_path: Path, case, value: str) -> None:
    case("giới hạn", f"QUYCHE_MAX_BYTES={value!r}", "thoát 2, bien-moi-truong-sai, không traceback, không ghi gì")
    path = write(tmp_path, BASE)
    r = bounded("render", str(path), "-o", str(tmp_path / "out"), "-f", "docx", env={"QUYCHE_MAX_BYTES": value})
    assert_refused(r, "bien-moi-truong-sai", exit_code=2, located=False, folder=tmp_path / "out")


@pytest.mark.parametrize("key", sorted(budget.LIMITS))
def test_every_override_is_validated(key: str) -> None:
    lim = budget.LIMITS[key]
    os.environ[lim.env] = "abc"
    try:
        assert any(lim.env in p for p in budget.check_environment())
    finally:
        del os.environ[lim.env]
    assert budget.limit(key) == lim.default


@pytest.mark.parametrize(("size_kib", "aliases"), [(64, 200), (256, 60), (1024, 1500), (512, 40)])
def test_aliases_of_big_strings(tmp_path: Path, case, size_kib: int, aliases: int) -> None:
    case(
        "YAML",
        f"chuỗi {size_kib} KiB, {aliases} bí danh (≈ {size_kib * aliases // 1024} MiB sau khi mở)",
        "lỗi yaml-qua-phuc-tap tại bí danh, không treo",
    )
    big = "x" * (size_kib * 1024)
    refs = ", ".join(["*s"] * aliases)
    text = re.sub(r"(?m)^noi_nhan:.*$", lambda _: f"noi_nhan: [&s {big}, {refs}]", BASE)
    assert "*s" in text
    r = bounded("render", str(write(tmp_path, text)), "-o", str(tmp_path / "out"), "-f", "docx")
    assert_refused(r, "yaml-qua-phuc-tap", folder=tmp_path / "out")


def _big_ints() -> list[str]:
    rng = random.Random(63)
    return ["9223372036854775808", "-9223372036854775809", "-1", "0", "1" + "0" * 40] + [
        str(rng.randint(2**62, 2**70) * rng.choice((1, -1))) for _ in range(3)
    ]


@pytest.mark.parametrize("value", _big_ints())
@pytest.mark.parametrize("option", ["--nam", "--so-luong", "--so-ban-ma"])
def test_register_integers_out_of_range(tmp_path: Path, case, value: str, option: str) -> None:
    case("sổ đăng ký", f"{option} {value[:24]}", "thoát 2 (lỗi dùng lệnh), không traceback, sổ không đổi")
    db = tmp_path / "so.sqlite3"
    if option == "--so-ban-ma":
        args = ["void", value, "--ly-do", "thử", "--so-dang-ky", str(db)]
    else:
        args = ["reserve", "--co-quan", "UBND", option, value, "--so-dang-ky", str(db)]
    r = bounded("register", *args, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    # a negative MÃ reads as an unknown option ("-9…"): a usage error as well
    assert "phải là số nguyên" in r.stderr or "No such option" in r.stderr, r.stderr
    assert not db.exists()


@pytest.mark.parametrize("n_bytes", [200, 240, 245, 250, 251, 254, 255])
def test_long_vietnamese_file_names_render(tmp_path: Path, case, n_bytes: int) -> None:
    case("tệp kết quả", f"tên tệp tiếng Việt {n_bytes} byte", "tạo .docx (tên rút gọn trong 255 byte), không tệp tạm")
    stem = ""
    while len((stem + "ạ.yaml").encode()) <= n_bytes:
        stem += "ạ" if len(stem) % 3 else "Đ"
    path = write(tmp_path, BASE, stem + ".yaml")
    r = bounded("render", str(path), "-o", str(tmp_path / "out"), "-f", "docx")
    assert r.returncode == 0, r.stderr
    outs = sorted(p for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))  # not the write record
    assert [p.suffix for p in outs] == [".docx", ".json"]  # the document and its sidecar, one stem
    assert outs[0].stem == outs[1].stem and all(len(p.name.encode()) <= 255 for p in outs)


@pytest.mark.parametrize("where", ["file", "folder"])
def test_symlink_in_output_folder_not_followed(tmp_path: Path, case, where: str) -> None:
    case("tệp kết quả", f"liên kết tượng trưng trong thư mục kết quả ({where})", "không ghi qua liên kết, thoát 1")
    victim = tmp_path / "ngoai.docx"
    victim.write_bytes(b"do not touch")
    out = tmp_path / "out"
    out.mkdir()
    if where == "file":
        (out / "vb.docx").symlink_to(victim)
    else:
        (tmp_path / "elsewhere").mkdir()
        (out / "sub").symlink_to(tmp_path / "elsewhere")
        (out / "sub" / "x").mkdir()
    path = write(tmp_path, BASE)
    target = out if where == "file" else out / "sub" / ".." / "sub"
    r = bounded("render", str(path), "-o", str(target), "-f", "docx")
    assert victim.read_bytes() == b"do not touch"
    if where == "file":
        assert r.returncode == 1 and "liên kết" in r.stderr and "Traceback" not in r.stderr
        assert (out / "vb.docx").is_symlink()
    else:  # a folder link chosen as the output folder is the user's choice: written inside it, never beside
        assert r.returncode == 0 and not list(tmp_path.glob("*.docx.tmp"))


def test_profile_file_read_bounded(tmp_path: Path, case) -> None:
    case("thể thức", "tệp thể thức 300 MB (thưa)", "lỗi the-thuc-loi, không đọc cả tệp, < 1 GiB bộ nhớ")
    prof = tmp_path / "tt.yaml"
    with prof.open("wb") as fh:
        fh.write(b"id: x\n")
        fh.truncate(300 * 1024 * 1024)
    data = yaml.safe_load(BASE)
    data["the_thuc"] = "tt.yaml"
    path = write(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    r = bounded("render", str(path), "-o", str(tmp_path / "out"), "-f", "docx", memory=1 << 30)
    assert_refused(r, "the-thuc-loi", folder=tmp_path / "out")


def _named(tmp_path: Path) -> list[tuple[str, str, str]]:
    """(reference written in danh_muc, what it is, the expected code): generated from the kinds of files
    that must never be read as a roster."""
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    link = tmp_path / "lien-ket.yaml"
    link.symlink_to("/etc/passwd")
    (tmp_path / "thu-muc.yaml").mkdir()
    (tmp_path.parent / ".ssh").mkdir(exist_ok=True)
    (tmp_path.parent / ".ssh" / "id_rsa").write_text("khoa: bi-mat-ssh\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("khoa: bi-mat-git\n", encoding="utf-8")
    return [
        ("/proc/self/environ", "/proc/self/environ", "duong-dan-ngoai-thu-muc"),
        ("/proc/self/cmdline", "/proc/self/cmdline", "duong-dan-ngoai-thu-muc"),
        ("/dev/zero", "thiết bị /dev/zero", "duong-dan-ngoai-thu-muc"),
        ("/dev/urandom", "thiết bị /dev/urandom", "duong-dan-ngoai-thu-muc"),
        ("/etc/passwd", "đường dẫn tuyệt đối ngoài thư mục", "duong-dan-ngoai-thu-muc"),
        ("../../../../../../../etc/hostname", "../ ra ngoài", "duong-dan-ngoai-thu-muc"),
        ("lien-ket.yaml", "liên kết trỏ ra ngoài", "duong-dan-ngoai-thu-muc"),
        ("fifo.yaml", "FIFO (sẽ treo)", "tep-khong-thuong"),
        ("../.ssh/id_rsa", "thư mục ẩn ngay trên thư mục văn bản", "duong-dan-ngoai-thu-muc"),
        (".git/config", "thư mục ẩn trong thư mục văn bản", "duong-dan-ngoai-thu-muc"),
        ("thu-muc.yaml", "thư mục", "tep-khong-thuong"),
        ("khong-co.yaml", "tệp không có", "danh-muc-khong-doc-duoc"),
    ]


def test_named_files_confined_and_never_echoed(tmp_path: Path, case) -> None:
    case(
        "tệp được nêu",
        "danh_muc: /proc/self/environ, /dev/zero, FIFO, ../, liên kết ra ngoài, thư mục ẩn (~/.ssh), thư mục",
        "lỗi có vị trí tại danh_muc, không in nội dung tệp (QUYCHE_P12_PASSWORD không lộ), không treo",
    )
    work = tmp_path / "vb"
    work.mkdir()
    for ref, what, code in _named(work):
        data = yaml.safe_load(BASE)
        data["danh_muc"] = ref
        path = write(work, yaml.safe_dump(data, allow_unicode=True), "vb.yaml")
        r = bounded(
            "render", str(path), "-o", str(work / "out"), "-f", "docx", cwd=tmp_path,
            env={"QUYCHE_P12_PASSWORD": SECRET}, timeout=30,
        )  # fmt: skip
        assert_refused(r, code, folder=work / "out")
        assert SECRET not in r.stderr + r.stdout, what
        assert "root:" not in r.stderr and "bi-mat" not in r.stderr, what
