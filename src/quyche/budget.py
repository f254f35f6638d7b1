"""One budget policy for every input quyche reads (docs/reliability.md, "Giới hạn").

Every input has a size, count, depth, time and memory budget, checked before the expensive work;
exceeding one is a located error (code ``vuot-gioi-han`` or the stage's own code), never a hang, a
memory blow-up or a traceback. Each limit has a default, the reason for it, and an environment
variable that overrides it; the variable is validated when read (``QUYCHE_MAX_BYTES=abc`` is a usage
error, exit 2, not a traceback).

This module imports nothing from quyche: every stage may use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class Limit:
    """One bounded quantity: its key, the environment variable that overrides it, its default and why."""

    key: str
    env: str
    default: int
    unit: str  # "byte", "giây", or a counted noun
    why: str  # the reason, in Vietnamese (docs/reliability.md is generated from it)
    area: str
    maximum: int = 2**40  # an override may raise a limit, never to something absurd


class BudgetError(ValueError):
    """An environment override that is not a positive integer in range (a usage error, exit 2)."""

    code = "bien-moi-truong-sai"


_LIMITS = [
    # YAML documents and rosters
    Limit(
        "yaml_bytes",
        "QUYCHE_MAX_BYTES",
        2 * MIB,
        "byte",
        "văn bản thật dưới 100 KiB; không đọc tệp khổng lồ vào bộ nhớ",
        "YAML",
    ),
    Limit(
        "yaml_nodes",
        "QUYCHE_MAX_NODES",
        200_000,
        "nút",
        'quy chế 10 000 điều ≈ 40 000 nút; chặn "billion laughs"',
        "YAML",
    ),
    Limit(
        "yaml_expanded",
        "QUYCHE_MAX_EXPANDED_BYTES",
        8 * MIB,
        "byte",
        "bí danh của chuỗi lớn nhân kích thước lên; tính theo byte sau khi mở bí danh",
        "YAML",
    ),
    Limit(
        "yaml_depth",
        "QUYCHE_MAX_DEPTH",
        64,
        "mức",
        "libyaml đệ quy trong C: lồng quá sâu làm sập trình thông dịch",
        "YAML",
        200,
    ),
    Limit("so_ban", "QUYCHE_MAX_SO_BAN", 1_000_000, "bản", "số bản phát hành thật vài trăm; chặn số gõ nhầm", "YAML"),
    Limit("profile_bytes", "QUYCHE_MAX_PROFILE_BYTES", 1 * MIB, "byte", "bộ thể thức thật dưới 20 KiB", "thể thức"),
    # rosters (danh mục cơ quan): YAML, CSV, XLSX
    Limit("roster_bytes", "QUYCHE_MAX_ROSTER_BYTES", 16 * MIB, "byte", "danh mục 5 000 cơ quan dưới 2 MiB", "danh mục"),
    Limit(
        "roster_rows",
        "QUYCHE_MAX_ROWS",
        10_000,
        "dòng",
        "một tỉnh có vài trăm cơ quan; một triệu dòng làm treo",
        "danh mục",
    ),
    Limit("roster_cells", "QUYCHE_MAX_CELLS", 200_000, "ô", "dòng × cột; chặn bảng rộng bất thường", "danh mục"),
    Limit("roster_field", "QUYCHE_MAX_FIELD", 64 * KIB, "byte", "tên cơ quan dài nhất vài trăm byte", "danh mục"),
    Limit(
        "xlsx_strings",
        "QUYCHE_MAX_XLSX_STRINGS_BYTES",
        16 * MIB,
        "byte",
        "sharedStrings.xml được nạp cả vào bộ nhớ: đo kích thước trong zip trước khi mở",
        "danh mục",
    ),
    Limit(
        "partners",
        "QUYCHE_MAX_PARTNERS",
        2_000,
        "cơ quan",
        "một bộ văn bản một năm có vài chục cơ quan phối hợp",
        "bộ văn bản",
    ),
    # Word style templates (--mau) and every zip quyche opens
    Limit(
        "zip_bytes", "QUYCHE_MAX_ZIP_BYTES", 32 * MIB, "byte", "mẫu .docx thật dưới 1 MiB; tệp .xlsx vài MiB", "tệp zip"
    ),
    Limit("zip_members", "QUYCHE_MAX_ZIP_MEMBERS", 2_000, "phần", "một .docx có khoảng 20 phần", "tệp zip"),
    Limit(
        "zip_member_bytes",
        "QUYCHE_MAX_ZIP_MEMBER_BYTES",
        32 * MIB,
        "byte",
        "chặn bom zip: mỗi phần sau giải nén",
        "tệp zip",
    ),
    Limit(
        "zip_total_bytes", "QUYCHE_MAX_ZIP_TOTAL_BYTES", 96 * MIB, "byte", "chặn bom zip: tổng sau giải nén", "tệp zip"
    ),
    Limit(
        "zip_ratio", "QUYCHE_MAX_ZIP_RATIO", 200, "lần", "XML nén tốt khoảng 10 lần; 1 000 lần là bom zip", "tệp zip"
    ),
    # batch texts (Jinja)
    Limit(
        "jinja_output",
        "QUYCHE_MAX_TEMPLATE_OUTPUT",
        100_000,
        "ký tự",
        "đoạn văn dài nhất vài nghìn ký tự; đo trong lúc tạo",
        "mẫu người dùng",
    ),
    Limit(
        "jinja_loop",
        "QUYCHE_MAX_TEMPLATE_LOOP",
        100_000,
        "vòng",
        "tổng số vòng lặp của một lần điền mẫu",
        "mẫu người dùng",
    ),
    Limit(
        "jinja_number",
        "QUYCHE_MAX_TEMPLATE_NUMBER",
        10**12,
        "",
        "số lớn hơn nghìn tỷ không có trong văn bản; chặn 9**9**9",
        "mẫu người dùng",
        10**18,
    ),
    Limit("jinja_depth", "QUYCHE_MAX_TEMPLATE_DEPTH", 20, "mức", "macro gọi lại chính nó", "mẫu người dùng", 200),
    Limit("jinja_ms", "QUYCHE_MAX_TEMPLATE_MS", 2_000, "ms", "một lần điền mẫu thật mất dưới 1 ms", "mẫu người dùng"),
    Limit("jinja_source", "QUYCHE_MAX_TEMPLATE_SOURCE", 64 * KIB, "ký tự", "mẫu dài nhất vài trang", "mẫu người dùng"),
    Limit(
        "word_source",
        "QUYCHE_MAX_WORD_TEMPLATE_XML",
        4 * MIB,
        "ký tự",
        "XML của một phần mẫu Word (mau_word) vài trang dưới 300 KiB",
        "mẫu người dùng",
    ),
    Limit(
        "word_output",
        "QUYCHE_MAX_WORD_OUTPUT",
        32 * MIB,
        "ký tự",
        "XML của văn bản điền từ mẫu Word; đo trong lúc tạo",
        "mẫu người dùng",
    ),
    # signing inputs
    Limit("pdf_bytes", "QUYCHE_MAX_PDF_BYTES", 200 * MIB, "byte", "văn bản scan 100 trang khoảng 50 MiB", "ký số"),
    Limit("p12_bytes", "QUYCHE_MAX_P12_BYTES", 256 * KIB, "byte", "tệp .p12 thật vài KiB", "ký số"),
    Limit(
        "trust_files",
        "QUYCHE_MAX_TRUST_FILES",
        200,
        "tệp",
        "danh sách tin cậy là vài chứng thư gốc; thư mục khổng lồ là nhầm lẫn",
        "ký số",
        10_000,
    ),
    Limit(
        "kdf_iterations",
        "QUYCHE_MAX_KDF_ITERATIONS",
        2_000_000,
        "vòng",
        "OpenSSL, Windows dùng 2 048–600 000 vòng; 10⁹ vòng treo hàng giờ",
        "ký số",
    ),
    Limit("image_bytes", "QUYCHE_MAX_IMAGE_BYTES", 16 * MIB, "byte", "ảnh chữ ký, con dấu vài trăm KiB", "ký số"),
    Limit(
        "image_pixels",
        "QUYCHE_MAX_IMAGE_PIXELS",
        25_000_000,
        "điểm ảnh",
        "con dấu 36 mm ở 600 DPI ≈ 720 000 điểm; đọc từ đầu tệp trước khi giải mã",
        "ký số",
    ),
    Limit("pdf_depth", "QUYCHE_MAX_PDF_DEPTH", 100, "mức", "đối tượng PDF lồng sâu làm tràn ngăn xếp", "ký số", 1_000),
    Limit(
        "pdf_stream",
        "QUYCHE_MAX_PDF_STREAM_BYTES",
        256 * MIB,
        "byte",
        "một luồng PDF sau giải nén; chặn bom luồng",
        "ký số",
    ),
    Limit(
        "sig_contents",
        "QUYCHE_MAX_SIGNATURE_BYTES",
        512 * KIB,
        "byte",
        "/Contents một chữ ký CAdES kèm LTV dưới 100 KiB",
        "ký số",
    ),
    Limit(
        "pdf_objects",
        "QUYCHE_MAX_PDF_OBJECTS",
        2_000_000,
        "đối tượng",
        "văn bản 1 000 trang khoảng 100 000 đối tượng",
        "ký số",
    ),
    # documents given to `quyche check` (check/limits.py reads these)
    Limit(
        "check_bytes",
        "QUYCHE_CHECK_MAX_BYTES",
        50 * MIB,
        "byte",
        "văn bản .docx/PDF cần kiểm tra thật dưới 10 MiB",
        "kiểm tra văn bản",
    ),
    Limit(
        "check_pages",
        "QUYCHE_CHECK_MAX_PAGES",
        200,
        "trang",
        "văn bản hành chính dài nhất vài chục trang",
        "kiểm tra văn bản",
    ),
    Limit(
        "check_paragraphs",
        "QUYCHE_CHECK_MAX_PARAGRAPHS",
        100_000,
        "đoạn",
        "quy chế dài nhất vài nghìn đoạn; chặn tệp .docx sinh máy hàng triệu đoạn",
        "kiểm tra văn bản",
    ),
    # the last line of defence: each worker's render
    Limit(
        "worker_memory",
        "QUYCHE_MAX_WORKER_MEMORY",
        2 * GIB,
        "byte",
        "một văn bản dùng dưới 300 MiB; máy văn phòng 4–8 GiB",
        "tiến trình",
    ),
    Limit("worker_cpu", "QUYCHE_MAX_WORKER_CPU", 300, "giây", "văn bản 10 000 điều mất 5 s", "tiến trình", 86_400),
    # the editor (quyche serve): one request's render, wall-clock, so that no request holds a worker for long
    Limit(
        "web_seconds",
        "QUYCHE_MAX_WEB_SECONDS",
        30,
        "giây",
        "xem trước một quy chế 10 trang mất dưới 1 s; một yêu cầu không giữ tiến trình soạn của người khác",
        "trình soạn thảo",
        3_600,
    ),
]
LIMITS: dict[str, Limit] = {lim.key: lim for lim in _LIMITS}
_cache: dict[str, tuple[str | None, int]] = {}


def limit(key: str) -> int:
    """The current value of a limit: its environment override if set (validated), else the default."""
    lim = LIMITS[key]
    raw = os.environ.get(lim.env)
    hit = _cache.get(key)
    if hit is not None and hit[0] == raw:
        return hit[1]
    value = lim.default if raw is None or raw.strip() == "" else _parse(lim, raw)
    _cache[key] = (raw, value)
    return value


def _parse(lim: Limit, raw: str) -> int:
    text = raw.strip().replace("_", "")
    if not text.isascii() or not text.isdigit() or len(text) > 20:
        raise BudgetError(f"biến môi trường {lim.env} phải là số nguyên dương ({lim.unit}), không phải {_shown(raw)}")
    value = int(text)
    if value < 1 or value > lim.maximum:
        raise BudgetError(f"biến môi trường {lim.env}={value}: ngoài khoảng 1–{lim.maximum}")
    return value


def _shown(raw: str) -> str:
    """An environment value is the user's own, but keep the message short and printable."""
    clean = "".join(c if c.isprintable() else "?" for c in raw[:40])
    return repr(clean + ("…" if len(raw) > 40 else ""))


def check_environment() -> list[str]:
    """Every malformed override, as messages (the CLI turns them into exit 2 before doing anything)."""
    problems = []
    for key in LIMITS:
        try:
            limit(key)
        except BudgetError as exc:
            problems.append(str(exc))
    return problems


def human(value: int, unit: str) -> str:
    if unit == "byte":
        for size, name in ((GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")):
            if value >= size and value % size == 0:
                return f"{value // size} {name}"
    return f"{value:,}".replace(",", " ") + (f" {unit}" if unit else "")


class Exceeded(Exception):
    """A budget exceeded while reading an input; the caller turns it into a located diagnostic."""

    def __init__(self, key: str, found: int | str, where: str = "") -> None:
        self.key = key
        self.found = found
        self.where = where
        lim = LIMITS[key]
        value = limit(key)
        self.detail = f"{where + ': ' if where else ''}{found} > {human(value, lim.unit)} ({lim.env})"
        super().__init__(self.detail)


def check(key: str, found: int, where: str = "") -> None:
    """Raise Exceeded when ``found`` is over the limit ``key``."""
    if found > limit(key):
        raise Exceeded(key, found, where)
