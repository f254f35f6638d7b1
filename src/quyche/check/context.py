"""One check run: the document, what it is, the profile that judges it, and the findings. Every finding
names a profile rule key; a rule the profile lacks is not checked; a rule whose status is ``confirmed`` or
``secondary`` gives a "lỗi", any other a "cảnh báo" (profile.py: only those may produce hard errors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..profile import Profile
from .detect import Identity
from .model import Finding, Line, Sheet

HARD = ("confirmed", "secondary")


@dataclass
class Context:
    sheet: Sheet
    ident: Identity
    profile: Profile
    findings: list[Finding] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return (
            key.split(".")[0] in ("sizes", "weights") and key.split(".")[0] in self.profile.rules
        ) or key in self.profile.rules

    def base(self, key: str) -> str:
        head = key.split(".")[0]
        return head if head in ("sizes", "weights") else key

    def find(
        self,
        key: str,
        message: str,
        line: Line | None = None,
        *,
        fix: str = "",
        excerpt: str | None = None,
        where: str | None = None,
        **data: Any,
    ) -> None:
        rule = self.profile.rules[self.base(key)]
        severity = data.pop("severity", None) or ("error" if rule.status in HARD else "warning")
        text = excerpt if excerpt is not None else (line.text if line else "")
        if len(text) > 70:
            text = text[:67] + "…"
        self.findings.append(
            Finding(
                rule=key,
                severity=severity,
                message=message,
                where=where if where is not None else (line.where if line else ""),
                excerpt=text,
                citation=f"{self.profile.id}: {rule.source}" if rule.source else self.profile.id,
                fix=fix,
                line=line,
                data=data,
            )
        )

    def lines(self, *roles: str) -> list[Line]:
        return [ln for ln in self.sheet.lines if ln.role in roles]
