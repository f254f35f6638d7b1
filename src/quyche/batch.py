"""A year's set of documents in one command: one host body, one shared programme (and invitation),
N partners → per partner a chương trình phối hợp and a giấy mời, numbered from the register, rendered
in parallel processes, recorded in a manifest (domain.md §2.2 "bilateral batch", §8).

Guarantees:
- one partner's bad data is reported with its location (the partner's row in the batch file or the
  roster) and the others still complete; exit status 1;
- a re-run renders only what changed (input hash per document), keeps the numbers already given, and
  never overwrites an output edited by hand since it was written, unless ``force``;
- numbers for the whole batch are reserved in one register transaction; an interrupted run (Ctrl-C, a
  killed worker) leaves no half-written file, and the next run completes the set with the same numbers.

Shared texts are user templates: ``{{ doi_tac.ten }}`` is evaluated in Jinja's SandboxedEnvironment with
StrictUndefined; values coming from data are inserted literally and never evaluated.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from . import __version__
from .errors import Diagnostic, DiagnosticError, DiagnosticList, Location
from .normalize import normalize_tree
from .output import atomic_write, safe_name, target_path
from .schema import validate_data
from .schema.common import CoQuan, Model, NguoiKyMau, pydantic_diagnostics
from .source import PathKey, Source, SourceMap, load_source, load_table

KIND_FILE = {"chuong_trinh": "chuong-trinh", "giay_moi": "giay-moi"}
_TRUE = {"1", "x", "có", "co", "true", "yes", "kt", "ky thay", "ký thay"}


# --- the batch file ----------------------------------------------------------------------------------


class ThemNoiDung(Model):
    """Extra items for one partner, appended to part ``phan`` (1-based) of the programme."""

    phan: int = Field(ge=1)
    khoan: list[Any] = Field(min_length=1)


class DoiTac(Model):
    ma: str = Field(min_length=1)
    ky: NguoiKyMau | None = None
    them: list[ThemNoiDung] = []
    kinh_moi: str | None = None
    bo_qua_giay_moi: bool = False


class BoVanBan(Model):
    loai: Literal["bo_van_ban"]
    ten: str = Field(min_length=1)
    danh_muc: str | None = None  # roster: .yaml, .csv or .xlsx
    chu_tri: str = Field(min_length=1)
    nhiem_ky: str | None = None  # Party committee term for Party numbering ("2015-2020")
    so_dang_ky: str | None = None  # register database, relative to this file
    doi_tac: list[DoiTac] | None = None  # default: every roster body but the host
    chuong_trinh: dict[str, Any]
    giay_moi: dict[str, Any] | None = None


@dataclass
class PlanItem:
    id: str  # "chuong_trinh:PYT"
    kind: str
    doi_tac: str
    data: dict[str, Any]
    smap: SourceMap
    output: str  # file stem
    model: Any = None
    input_hash: str = ""


@dataclass
class Plan:
    path: Path
    batch: BoVanBan
    host: CoQuan
    items: list[PlanItem]
    problems: dict[str, list[Diagnostic]] = field(default_factory=dict)  # doi_tac → diagnostics
    warnings: list[Diagnostic] = field(default_factory=list)
    text: str = ""

    @property
    def register_path(self) -> Path | None:
        if self.batch.so_dang_ky:
            return (self.path.parent / self.batch.so_dang_ky).resolve()
        return None


def _graft(src: SourceMap, src_prefix: PathKey, dst: SourceMap, dst_prefix: PathKey) -> None:
    """Copy the positions under ``src_prefix`` to ``dst_prefix`` (locating generated data in the batch file)."""
    n = len(src_prefix)
    for table_src, table_dst in ((src.values, dst.values), (src.keys, dst.keys)):
        for path, pos in table_src.items():
            if path[:n] == src_prefix:
                table_dst[(*dst_prefix, *path[n:])] = pos


def _sandbox():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def fill_templates(
    data: Any, context: dict[str, Any], smap: SourceMap, diags: DiagnosticList, path: PathKey = ()
) -> Any:
    """Evaluate ``{{ … }}`` in the shared texts of a batch, sandboxed; errors are located diagnostics."""
    if isinstance(data, dict):
        return {k: fill_templates(v, context, smap, diags, (*path, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [fill_templates(v, context, smap, diags, (*path, i)) for i, v in enumerate(data)]
    if not isinstance(data, str) or ("{{" not in data and "{%" not in data):
        return data
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError, UndefinedError

    try:
        out = _sandbox().from_string(data).render(**context)
    except (SecurityError, OverflowError) as exc:  # sandbox refusals, incl. range() beyond MAX_RANGE
        diags.add(Diagnostic.make("mau-khong-an-toan", smap.locate(path), detail=str(exc)))
        return data
    except UndefinedError as exc:
        diags.add(Diagnostic.make("mau-loi", smap.locate(path), detail=f"biến không có: {exc.message}"))
        return data
    except (TemplateError, MemoryError, TypeError, ValueError) as exc:
        diags.add(Diagnostic.make("mau-loi", smap.locate(path), detail=str(exc)))
        return data
    if len(out) > 100_000:
        diags.add(Diagnostic.make("mau-loi", smap.locate(path), detail="kết quả quá dài"))
        return data
    return out


def _roster_rows(path: Path, batch_smap: SourceMap) -> tuple[list[dict[str, Any]], SourceMap, str]:
    """Rows of a roster in YAML (``co_quan:`` list), CSV or XLSX, with positions in that file."""
    if not path.is_file():
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "danh-muc-khong-doc-duoc",
                    batch_smap.locate(("danh_muc",)),
                    path=str(path),
                    detail="không có tệp này",
                )
            ]
        )
    if path.suffix.lower() in (".csv", ".xlsx", ".txt"):
        rows, smap = load_table(path)
        return rows, smap, "table"
    src = load_source(path)
    data, diags = normalize_tree(src.data, src.source_map)
    if any(d.is_error for d in diags):
        raise DiagnosticError(diags)
    rows = data.get("co_quan") or []
    shifted = SourceMap(src.source_map.file)
    _graft(src.source_map, ("co_quan",), shifted, ())
    return rows, shifted, "yaml"


def _table_row_to_body(row: dict[str, Any]) -> dict[str, Any]:
    """A flat roster row (CSV/XLSX) → the fields of CoQuan. Columns: ma, he_thong, ten, ten_dau_trang
    (lines separated by "|"), cap_tren, viet_tat, chuc_vu_truong, chuc_vu_pho, nguoi_ky, thay_mat, ky_thay
    (x = the deputy signs "KT."/"K/T"), hieu_luc_tu."""
    out: dict[str, Any] = {}
    for key in ("ma", "he_thong", "ten", "viet_tat", "chuc_vu_truong", "chuc_vu_pho", "ghi_chu", "the_thuc"):
        if key in row:
            out[key] = str(row[key])
    for key in ("ten_dau_trang", "cap_tren"):
        if key in row:
            out[key] = [x.strip() for x in str(row[key]).split("|") if x.strip()]
    if "hieu_luc_tu" in row:
        value = row["hieu_luc_tu"]
        out["hieu_luc_tu"] = value.date() if isinstance(value, dt.datetime) else value
    if row.get("nguoi_ky"):
        deputy = str(row.get("ky_thay", "")).strip().lower() in _TRUE
        signer: dict[str, Any] = {"ho_ten": str(row["nguoi_ky"])}
        if row.get("thay_mat"):
            signer["thay_mat"] = str(row["thay_mat"])
        if deputy:
            signer["ky_thay"] = str(row.get("chuc_vu_truong", ""))
            signer["chuc_vu"] = [str(row.get("chuc_vu_pho", ""))]
        else:
            signer["chuc_vu"] = [str(row.get("chuc_vu_truong", ""))]
        out["nguoi_ky"] = signer
    return out


def load_roster_versions(
    path: Path, batch_smap: SourceMap
) -> tuple[dict[str, list[tuple[CoQuan, Location]]], list[Diagnostic]]:
    rows, smap, kind = _roster_rows(path, batch_smap)
    diags = DiagnosticList()
    out: dict[str, list[tuple[CoQuan, Location]]] = {}
    for i, row in enumerate(rows):
        data = _table_row_to_body(row) if kind == "table" else row
        data, text_diags = normalize_tree(data, _Shift(smap, (i,)))
        diags.extend(text_diags)
        try:
            body = CoQuan.model_validate(data)
        except ValidationError as exc:
            diags.extend(pydantic_diagnostics(exc, smap, CoQuan, (i,)))
            continue
        out.setdefault(body.ma, []).append((body, smap.locate((i,))))
    return out, diags.items


class _Shift(SourceMap):
    """A view of a source map under a prefix (for cleaning one roster row)."""

    def __init__(self, base: SourceMap, prefix: PathKey) -> None:
        super().__init__(base.file, base.values, base.keys)
        self.prefix = prefix

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        return super().locate((*self.prefix, *path), key=key)


def pick_version(versions: list[tuple[CoQuan, Location]], on: dt.date) -> tuple[CoQuan, Location] | None:
    """The roster entry in force on ``on``: the latest ``hieu_luc_tu`` not after it (2025 renames, mergers)."""
    valid = [(b, loc) for b, loc in versions if b.hieu_luc_tu is None or b.hieu_luc_tu <= on]
    if not valid:
        return None
    return max(valid, key=lambda v: v[0].hieu_luc_tu or dt.date.min)


def _signature(body: CoQuan, override: NguoiKyMau | None) -> dict[str, Any] | None:
    signer = override or body.nguoi_ky
    if signer is None:
        return None
    return {"co_quan": body.ma, **signer.model_dump(exclude_none=True)}


def _body_dict(body: CoQuan, lead: bool) -> dict[str, Any]:
    data = body.model_dump(exclude_none=True, exclude={"nguoi_ky", "chuc_vu_truong", "chuc_vu_pho", "chu_tri"})
    data["chu_tri"] = lead
    return data


def plan_batch(path: str | Path) -> Plan:
    """Read a batch file and build one document per partner and kind. Raises DiagnosticError only when
    the batch itself is unusable; a partner's problems are kept in ``plan.problems``."""
    path = Path(path)
    source = load_source(path)
    raw, text_diags = normalize_tree(source.data, source.source_map)
    smap = source.source_map
    diags = DiagnosticList()
    diags.extend(text_diags)
    if diags.errors:
        raise DiagnosticError(diags.items, source.text)
    try:
        batch = BoVanBan.model_validate(raw)
    except ValidationError as exc:
        diags.extend(pydantic_diagnostics(exc, smap, BoVanBan))
        raise DiagnosticError(diags.items, source.text) from None

    prog_date = raw["chuong_trinh"].get("ngay")
    on = prog_date if isinstance(prog_date, dt.date) else dt.date.today()
    roster: dict[str, list[tuple[CoQuan, Location]]] = {}
    if batch.danh_muc:
        roster, roster_diags = load_roster_versions((path.parent / batch.danh_muc), smap)
        diags.extend(roster_diags)
        if any(d.is_error for d in roster_diags):
            raise DiagnosticError(diags.items, source.text)
    host_pick = pick_version(roster.get(batch.chu_tri, []), on)
    if host_pick is None:
        diags.add(
            Diagnostic.make(
                "co-quan-khong-ro",
                smap.locate(("chu_tri",)),
                ma=batch.chu_tri,
                hint=f'thêm cơ quan "{batch.chu_tri}" vào danh mục.',
            )
        )
        raise DiagnosticError(diags.items, source.text)
    host = host_pick[0]

    partners = batch.doi_tac
    if partners is None:
        partners = [DoiTac(ma=ma) for ma in roster if ma != batch.chu_tri]
    plan = Plan(path, batch, host, [], warnings=diags.warnings, text=source.text)
    for i, partner in enumerate(partners):
        row_path: PathKey = ("doi_tac", i) if batch.doi_tac is not None else ("danh_muc",)
        pdiags = DiagnosticList()
        pick = pick_version(roster.get(partner.ma, []), on)
        if pick is None:
            pdiags.add(
                Diagnostic.make(
                    "co-quan-khong-ro",
                    smap.locate((*row_path, "ma")),
                    ma=partner.ma,
                    hint=f'thêm cơ quan "{partner.ma}" vào {batch.danh_muc or "danh mục"}.',
                )
            )
            plan.problems[partner.ma] = pdiags.items
            continue
        body, body_loc = pick
        context = {
            "chu_tri": host.model_dump(),
            "doi_tac": body.model_dump(),
            "bo": {"ten": batch.ten, "nhiem_ky": batch.nhiem_ky},
        }
        for kind in ("chuong_trinh", "giay_moi"):
            shared = raw.get(kind)
            if shared is None or (kind == "giay_moi" and partner.bo_qua_giay_moi):
                continue
            item_map = SourceMap(smap.file)
            _graft(smap, (kind,), item_map, ())
            item_map.values[()] = smap.values.get(row_path, smap.values.get((), (1, 1)))
            filled = fill_templates(copy.deepcopy(shared), context, item_map, pdiags)
            data = {"loai": kind, **filled}
            host_sig = data.pop("ky_chu_tri", None) if kind == "chuong_trinh" else data.pop("ky", None)
            data["co_quan"] = [_body_dict(host, True)] + ([_body_dict(body, False)] if kind == "chuong_trinh" else [])
            for j in range(len(data["co_quan"])):
                item_map.values[("co_quan", j)] = item_map.values[()]
            if kind == "chuong_trinh":
                sig = _signature(body, partner.ky)
                if sig is None:
                    pdiags.add(
                        Diagnostic.make(
                            "thieu-chu-ky",
                            Location(body_loc.file, body_loc.line, body_loc.column),
                            ten=body.ten,
                            ma=body.ma,
                        )
                    )
                    continue
                item_map.values[("ky", 1)] = smap.values.get((*row_path, "ky"), item_map.values[()])
                data["ky"] = [{"co_quan": host.ma, **(host_sig or {})}, sig]
                item_map.values[("ky", 0)] = smap.values.get((kind, "ky_chu_tri"), item_map.values[()])
                for extra in partner.them:
                    phan = data.get("phan") or []
                    if extra.phan > len(phan):
                        pdiags.add(
                            Diagnostic.make(
                                "sai-kieu",
                                smap.locate((*row_path, "them")),
                                field="phan",
                                detail=f"chương trình chỉ có {len(phan)} phần",
                            )
                        )
                        continue
                    phan[extra.phan - 1].setdefault("khoan", []).extend(copy.deepcopy(extra.khoan))
            else:
                data["ky"] = [{"co_quan": host.ma, **(host_sig or {})}]
                if partner.kinh_moi:
                    data["kinh_moi"] = partner.kinh_moi
            item = PlanItem(
                f"{kind}:{partner.ma}",
                kind,
                partner.ma,
                data,
                item_map,
                safe_name(f"{KIND_FILE[kind]}-{partner.ma.lower()}"),
            )
            plan.items.append(item)
        if pdiags.errors:
            plan.problems[partner.ma] = pdiags.items
            plan.items = [it for it in plan.items if it.doi_tac != partner.ma]
    return plan


def validate_item(item: PlanItem, plan: Plan, number: int | None) -> list[Diagnostic]:
    """Validate one generated document (with its number); located in the batch file."""
    data = dict(item.data)
    if number is not None:
        data["so"] = number
    source = Source(plan.path, plan.text, data, item.smap)
    try:
        model, warnings = validate_data(data, source)
    except DiagnosticError as exc:
        return exc.diagnostics
    item.model = model
    item.input_hash = hashlib.sha256(
        json.dumps([__version__, model.model_dump(mode="json")], sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return warnings


# --- running -------------------------------------------------------------------------------------------


@dataclass
class BatchReport:
    out_dir: Path
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # up to date
    protected: list[str] = field(default_factory=list)  # edited by hand, kept
    failed: dict[str, list[Diagnostic]] = field(default_factory=dict)
    interrupted: bool = False
    manifest: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _render_worker(model: Any, base_dir: str, smap: SourceMap, target: str, formats: tuple[str, ...]) -> dict[str, Any]:
    """In a worker process: compose, render, write atomically; returns output hashes."""
    from .compose import compose
    from .render import get_renderer

    document = compose(model, smap, Path(base_dir))
    outputs = {}
    for fmt in formats:
        data = get_renderer(fmt).render(document)
        path = Path(f"{target}.{fmt}")
        atomic_write(path, data)
        outputs[fmt] = {"path": path.name, "sha256": hashlib.sha256(data).hexdigest()}
    return {"outputs": outputs, "so_ky_hieu": document.so_ky_hieu, "signers": [s.ho_ten for s in document.signers]}


def _warm() -> None:  # pragma: no cover - runs in workers
    import quyche.compose
    import quyche.render.docx  # noqa: F401


MANIFEST_FIELDS = ["id", "loai", "doi_tac", "so", "so_ky_hieu", "input_sha256", "tep", "tep_sha256", "trang_thai"]


def _write_manifest(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    rows = [entries[k] for k in sorted(entries)]
    atomic_write(path, (json.dumps({"quyche": __version__, "muc": rows}, ensure_ascii=False, indent=1) + "\n").encode())
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MANIFEST_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        files = row.get("outputs", {})
        writer.writerow(
            {
                **row,
                "tep": ";".join(v["path"] for v in files.values()),
                "tep_sha256": ";".join(v["sha256"] for v in files.values()),
            }
        )
    atomic_write(path.with_suffix(".csv"), buf.getvalue().encode("utf-8-sig"))


def _read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {row["id"]: row for row in data.get("muc", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def run_batch(
    plan: Plan,
    out_dir: str | Path,
    *,
    jobs: int | None = None,
    force: bool = False,
    formats: tuple[str, ...] = ("docx",),
    register_path: str | Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BatchReport:
    from .register import Register

    out = Path(out_dir) / safe_name(plan.path.stem)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # left by a worker killed mid-write (SIGKILL): never a document
        stale.unlink(missing_ok=True)
    report = BatchReport(out, failed=dict(plan.problems))
    manifest_path = out / "manifest.json"
    report.manifest = manifest_path
    entries = _read_manifest(manifest_path)
    register = Register(register_path or plan.register_path)

    # 1. numbers: keep those already given to an item (re-runs, interrupted runs), reserve the rest in one go
    host = plan.host
    needs: dict[str, list[PlanItem]] = {}
    for item in plan.items:
        if item.id in entries and entries[item.id].get("so"):
            continue
        needs.setdefault(item.kind, []).append(item)
    numbers: dict[str, int] = {k: int(v["so"]) for k, v in entries.items() if v.get("so")}
    if needs:
        requests = []
        for kind, items in needs.items():
            sample = items[0].data
            requests.append((kind, len(items), sample))
        reserved = _reserve(register, host, plan, requests)
        for kind, items in needs.items():
            for item, n in zip(items, reserved[kind], strict=True):
                numbers[item.id] = n
                entries[item.id] = {
                    "id": item.id,
                    "loai": item.kind,
                    "doi_tac": item.doi_tac,
                    "so": n,
                    "trang_thai": "da-giu-so",
                }
        _write_manifest(manifest_path, entries)

    # 2. validate each document with its number; decide what to render
    todo: list[PlanItem] = []
    for item in plan.items:
        diags = validate_item(item, plan, numbers.get(item.id))
        if any(d.is_error for d in diags):
            report.failed.setdefault(item.doi_tac, []).extend(diags)
            continue
        entry = entries.setdefault(item.id, {"id": item.id, "loai": item.kind, "doi_tac": item.doi_tac})
        target = target_path(out, item.output)
        on_disk = {fmt: _sha(Path(f"{target}.{fmt}")) for fmt in formats}
        recorded = {fmt: v.get("sha256") for fmt, v in entry.get("outputs", {}).items()}
        edited = [fmt for fmt, sha in on_disk.items() if sha and recorded.get(fmt) and sha != recorded[fmt]]
        unknown = [fmt for fmt, sha in on_disk.items() if sha and not recorded.get(fmt)]
        if (edited or unknown) and not force:
            report.protected.append(item.id)
            entry["trang_thai"] = "sua-tay"
            continue
        up_to_date = entry.get("input_sha256") == item.input_hash and all(
            on_disk.get(fmt) and on_disk[fmt] == recorded.get(fmt) for fmt in formats
        )
        if up_to_date and not force:
            report.skipped.append(item.id)
            continue
        todo.append(item)

    # 3. render in parallel processes; Ctrl-C leaves finished files and a consistent manifest
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    done = 0
    try:
        if workers == 1:
            for item in todo:
                result = _render_worker(
                    item.model, str(plan.path.parent), item.smap, str(target_path(out, item.output)), formats
                )
                _finish(item, result, entries, register, host, plan, report)
                done += 1
                if progress:
                    progress(item.id, done, len(todo))
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_warm) as pool:
                futures: dict[Future[dict[str, Any]], PlanItem] = {
                    pool.submit(
                        _render_worker,
                        item.model,
                        str(plan.path.parent),
                        item.smap,
                        str(target_path(out, item.output)),
                        formats,
                    ): item
                    for item in todo
                }
                pending = set(futures)
                try:
                    while pending:
                        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for fut in finished:
                            item = futures[fut]
                            try:
                                result = fut.result()
                            except Exception as exc:
                                report.failed.setdefault(item.doi_tac, []).append(
                                    Diagnostic.make("loi-tao-tep", item.smap.locate(()), id=item.id, detail=str(exc))
                                )
                                entries[item.id]["trang_thai"] = "loi"
                                continue
                            _finish(item, result, entries, register, host, plan, report)
                            done += 1
                            if progress:
                                progress(item.id, done, len(todo))
                except KeyboardInterrupt:
                    for fut in pending:
                        fut.cancel()
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        _write_manifest(manifest_path, entries)
        _write_summary(out, plan, entries)
    return report


def _finish(
    item: PlanItem,
    result: dict[str, Any],
    entries: dict[str, dict[str, Any]],
    register: Any,
    host: CoQuan,
    plan: Plan,
    report: BatchReport,
) -> None:
    entry = entries[item.id]
    entry.update(
        {
            "so_ky_hieu": result["so_ky_hieu"],
            "input_sha256": item.input_hash,
            "outputs": result["outputs"],
            "trang_thai": "xong",
        }
    )
    report.rendered.append(item.id)
    _issue(register, host, plan, item, entry, result)


def _write_summary(out: Path, plan: Plan, entries: dict[str, dict[str, Any]]) -> None:
    """The summary list (danh sách văn bản của bộ), one line per document, for the clerk."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["TT", "Cơ quan phối hợp", "Loại", "Số, ký hiệu", "Tệp", "Trạng thái"])
    for i, row in enumerate(sorted(entries.values(), key=lambda r: (r.get("doi_tac", ""), r.get("loai", ""))), 1):
        files = ", ".join(v["path"] for v in row.get("outputs", {}).values())
        writer.writerow(
            [i, row.get("doi_tac"), row.get("loai"), row.get("so_ky_hieu", ""), files, row.get("trang_thai")]
        )
    atomic_write(out / "danh-sach.csv", buf.getvalue().encode("utf-8-sig"))


# --- register adapter ------------------------------------------------------------------------------------


def _series(host: CoQuan, plan: Plan, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    from .profile import DEFAULT_FOR_SYSTEM, load_profile

    profile = load_profile(host.the_thuc or DEFAULT_FOR_SYSTEM[host.he_thong or "nha_nuoc"], plan.path.parent)
    abbrev = profile.get("abbrev").get(kind, kind)
    ngay = data.get("ngay")
    year = ngay.year if isinstance(ngay, dt.date) else dt.date.today().year
    return {
        "he_thong": host.he_thong or "nha_nuoc",
        "co_quan": host.viet_tat or host.ma,
        "loai": abbrev,
        "nam": year,
        "nhiem_ky": plan.batch.nhiem_ky,
    }


def _reserve(
    register: Any, host: CoQuan, plan: Plan, requests: list[tuple[str, int, dict[str, Any]]]
) -> dict[str, list[int]]:
    """All numbers of the batch in one transaction (never issued twice, also across processes)."""
    series = [(kind, count, _series(host, plan, kind, data)) for kind, count, data in requests]
    return register.reserve_many([(s, count) for _, count, s in series], keys=[k for k, _, _ in series])


def _issue(
    register: Any, host: CoQuan, plan: Plan, item: PlanItem, entry: dict[str, Any], result: dict[str, Any]
) -> None:
    """Record the issued document in the register's 10 columns (NĐ 30/2020, Phụ lục IV)."""
    model = item.model
    ten_loai = "Chương trình" if item.kind == "chuong_trinh" else "Giấy mời"
    subject = model.trich_yeu or getattr(model, "su_kien", "")
    subject = subject[:1].lower() + subject[1:] if subject[:1].isupper() and not subject[1:2].isupper() else subject
    register.issue(
        _series(host, plan, item.kind, item.data),
        int(entry["so"]),
        so_ky_hieu=result["so_ky_hieu"].replace("Số: ", "").replace("Số ", ""),
        ngay=model.ngay,
        trich_yeu=f"{ten_loai} {subject}".strip(),
        nguoi_ky=", ".join(result["signers"]),
        noi_nhan="; ".join(model.noi_nhan),
        don_vi_luu=model.luu,
    )
