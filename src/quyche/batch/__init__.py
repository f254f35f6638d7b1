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

from .plan import KIND_FILE, BoVanBan, DoiTac, Plan, PlanItem, ThemNoiDung, plan_batch, validate_item
from .roster import load_roster_versions, pick_version
from .run import BatchReport, run_batch
from .texts import fill_templates

__all__ = [
    "KIND_FILE",
    "BatchReport",
    "BoVanBan",
    "DoiTac",
    "Plan",
    "PlanItem",
    "ThemNoiDung",
    "fill_templates",
    "load_roster_versions",
    "pick_version",
    "plan_batch",
    "run_batch",
    "validate_item",
]
