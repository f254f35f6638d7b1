"""The register's audit trail (nhật ký): every change to a line — reserve, issue, correction, void — and every
Party term set is appended with the time, who made it and the line as it became, chained by SHA-256 so that a
line changed or removed behind quyche's back (an SQLite editor, a restored copy) is found by ``verify``.

The chain: ``bam = sha256(bam_truoc + "\\n" + json([id, luc, nguoi, hanh_dong, van_ban_id, noi_dung]))``, the
first ``bam_truoc`` being 64 zeros. Each line of ``van_ban`` must equal the snapshot of its last event, and each
series must hold every number from 01 to its last one (NĐ 30/2020, Điều 15: no number skipped or reused).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

GENESIS = "0" * 64
USER_VAR = "QUYCHE_USER"  # the editor's user, when quyche runs for someone else (a web form, a service)

GIU_SO, BAN_HANH, DINH_CHINH, HUY, NHIEM_KY, CHUYEN_DOI = (
    "giu_so",
    "ban_hanh",
    "dinh_chinh",
    "huy",
    "nhiem_ky",
    "chuyen_doi",
)
HANH_DONG_TEN = {
    GIU_SO: "giữ số",
    BAN_HANH: "ban hành",
    DINH_CHINH: "đính chính",
    HUY: "hủy số",
    NHIEM_KY: "đặt nhiệm kỳ",
    CHUYEN_DOI: "ghi nhận khi nâng cấp sổ",
}


# The person a server acts for (the editor's signed-in user), for the code running in one thread or task: two
# users' requests at once each journal their own name, which a process-wide variable could not promise.
ACTOR: ContextVar[str | None] = ContextVar("quyche_register_actor", default=None)


@contextlib.contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Journal every register change made inside this block under ``name``."""
    token = ACTOR.set(name)
    try:
        yield
    finally:
        ACTOR.reset(token)


def who() -> str:
    """The user a server acts for (``acting_as``), ``$QUYCHE_USER``, or the OS user running quyche."""
    name = (ACTOR.get() or os.environ.get(USER_VAR, "")).strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's uid)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "?"


def snapshot(conn: sqlite3.Connection, van_ban_id: int) -> str:
    """The line as stored, every column, as canonical JSON."""
    row = conn.execute("SELECT * FROM van_ban WHERE id = ?", (van_ban_id,)).fetchone()
    return _canon({k: row[k] for k in row.keys()}) if row is not None else "null"


def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _hash(prev: str, event_id: int, luc: str, nguoi: str, hanh_dong: str, van_ban_id: int | None, noi_dung: str) -> str:
    body = _canon([event_id, luc, nguoi, hanh_dong, van_ban_id, noi_dung])
    return hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()


def append(conn: sqlite3.Connection, hanh_dong: str, van_ban_id: int | None, noi_dung: str | None = None) -> None:
    """Inside the caller's write transaction: one event, chained to the last one."""
    last = conn.execute("SELECT id, bam FROM nhat_ky ORDER BY id DESC LIMIT 1").fetchone()
    prev, event_id = (last["bam"], last["id"] + 1) if last else (GENESIS, 1)
    content = noi_dung if noi_dung is not None else snapshot(conn, van_ban_id or 0)
    luc = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    nguoi = who()
    conn.execute(
        """INSERT INTO nhat_ky (id, luc, nguoi, hanh_dong, van_ban_id, noi_dung, bam_truoc, bam)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (event_id, luc, nguoi, hanh_dong, van_ban_id, content, prev,
         _hash(prev, event_id, luc, nguoi, hanh_dong, van_ban_id, content)),
    )  # fmt: skip


def baseline(conn: sqlite3.Connection) -> None:
    """A register from before the audit trail: one event per existing line and per Party term set, so later
    changes can be checked."""
    for row in conn.execute("SELECT id FROM van_ban ORDER BY id").fetchall():
        append(conn, CHUYEN_DOI, row["id"])
    for row in conn.execute("SELECT viet_tat, nhiem_ky FROM co_quan WHERE nhiem_ky IS NOT NULL").fetchall():
        append(conn, NHIEM_KY, None, term_record(row["viet_tat"], row["nhiem_ky"]))


def term_record(co_quan: str, nhiem_ky: str) -> str:
    return _canon({"co_quan": co_quan, "nhiem_ky": nhiem_ky})


def head(conn: sqlite3.Connection) -> str:
    """The hash of the last event. Written down elsewhere (on paper, in the exported book), it anchors the chain:
    someone able to rewrite the whole chain in the file cannot give it the same last hash."""
    row = conn.execute("SELECT bam FROM nhat_ky ORDER BY id DESC LIMIT 1").fetchone()
    return row["bam"] if row else GENESIS


def verify(conn: sqlite3.Connection) -> tuple[int, int, list[str]]:
    """(lines, events, problems): the chain, each line against its last event, each Party term against its last
    event, each series without a gap."""
    problems: list[str] = []
    prev, expected_id = GENESIS, 1
    last_state: dict[int, str] = {}
    terms: dict[str, str] = {}
    events = conn.execute("SELECT * FROM nhat_ky ORDER BY id").fetchall()
    for ev in events:
        if ev["id"] != expected_id:
            problems.append(f"nhật ký thiếu dòng {expected_id}–{ev['id'] - 1} (đã bị xóa).")
        if ev["bam_truoc"] != prev or ev["bam"] != _hash(
            ev["bam_truoc"], ev["id"], ev["luc"], ev["nguoi"], ev["hanh_dong"], ev["van_ban_id"], ev["noi_dung"]
        ):
            problems.append(f"nhật ký dòng {ev['id']} ({ev['luc']}) đã bị sửa: chuỗi mã băm không khớp.")
        prev, expected_id = ev["bam"], ev["id"] + 1
        if ev["van_ban_id"] is not None:
            last_state[ev["van_ban_id"]] = ev["noi_dung"]
        elif ev["hanh_dong"] == NHIEM_KY:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                term = json.loads(ev["noi_dung"])
                terms[term["co_quan"]] = term["nhiem_ky"]
    lines = conn.execute("SELECT id FROM van_ban ORDER BY id").fetchall()
    present = {r["id"] for r in lines}
    for row in lines:
        recorded = last_state.get(row["id"])
        if recorded is None:
            problems.append(f"mục {row['id']} không có trong nhật ký (được thêm ngoài quyche).")
        elif snapshot(conn, row["id"]) != recorded:
            changed = _diff(recorded, snapshot(conn, row["id"]))
            problems.append(f"mục {row['id']} đã bị sửa ngoài quyche ({changed}).")
    for missing in sorted(set(last_state) - present):
        problems.append(f"mục {missing} có trong nhật ký nhưng đã bị xóa khỏi sổ.")
    for body in conn.execute("SELECT viet_tat, nhiem_ky FROM co_quan WHERE he_thong = 'dang'"):
        if body["nhiem_ky"] != terms.get(body["viet_tat"]):
            problems.append(
                f"nhiệm kỳ của {body['viet_tat']} là {body['nhiem_ky']!r}, nhật ký ghi "
                f"{terms.get(body['viet_tat'])!r}: đã bị sửa ngoài quyche."
            )
    for d in conn.execute(
        "SELECT d.id, d.co_quan, d.so_cuoi, count(v.id) AS n, max(v.so) AS cuoi "
        "FROM day_so d LEFT JOIN van_ban v ON v.day_so_id = d.id GROUP BY d.id"
    ):
        if d["n"] != d["so_cuoi"] or (d["cuoi"] or 0) != d["so_cuoi"]:
            problems.append(
                f"dãy số {d['id']} ({d['co_quan']}): số cuối {d['so_cuoi']} nhưng có {d['n']} số (thiếu hoặc thừa số)."
            )
    return len(lines), len(events), problems


def _diff(before: str, after: str) -> str:
    a, b = json.loads(before), json.loads(after)
    if not isinstance(a, dict) or not isinstance(b, dict):
        return "dòng khác"
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return ", ".join(f"{k}: {a.get(k)!r} → {b.get(k)!r}" for k in keys) or "dòng khác"


def events_of(conn: sqlite3.Connection, van_ban_id: int | None = None) -> list[sqlite3.Row]:
    """The events, oldest first (of one line, or all)."""
    if van_ban_id is None:
        return conn.execute("SELECT * FROM nhat_ky ORDER BY id").fetchall()
    return conn.execute("SELECT * FROM nhat_ky WHERE van_ban_id = ? ORDER BY id", (van_ban_id,)).fetchall()
