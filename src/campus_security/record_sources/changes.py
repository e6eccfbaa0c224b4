"""The result of a merge: each change (added, updated, conflict, unmatched) and the report.

Split from :mod:`campus_security.record_sources.merge`, which re-exports these names.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from ..errors import Problem
from ..model import (
    Roster,
    Text,
)

__all__ = ["Change", "ChangeKind", "MergeReport"]


class ChangeKind(str, enum.Enum):
    """What merging a record did."""

    ADDED = "added"
    UPDATED = "updated"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"
    UNMATCHED = "unmatched"

    @property
    def zh(self) -> str:
        """The Chinese label."""
        return _KIND_ZH[self]


_KIND_ZH = {
    ChangeKind.ADDED: "新增",
    ChangeKind.UPDATED: "更新",
    ChangeKind.CONFLICT: "冲突",
    ChangeKind.UNCHANGED: "未变",
    ChangeKind.UNMATCHED: "未匹配",
}


@attrs.frozen
class Change:
    """One thing the merge did or found: its kind, where in the roster, what, from where."""

    kind: ChangeKind
    path: str
    """Where in the roster (``schools[0].guards[2].registry_check``); ``$`` for none."""
    message: Text
    record: str
    """Where the record was read (``registry.xlsx: 保安员!row 7``)."""

    def __str__(self) -> str:
        return f"[{self.kind.zh}/{self.kind.value}] {self.path}: {self.message} ({self.record})"


@attrs.frozen
class MergeReport:
    """The merged roster, what the merge did, and the problems met while reading."""

    roster: Roster
    changes: tuple[Change, ...] = ()
    problems: tuple[Problem, ...] = ()

    def of(self, kind: ChangeKind) -> tuple[Change, ...]:
        """The changes of one kind, in order."""
        return tuple(c for c in self.changes if c.kind is kind)

    def counts(self) -> dict[str, int]:
        """How many changes of each kind, and how many problems."""
        out = {k.value: len(self.of(k)) for k in ChangeKind}
        out["problems"] = len(self.problems)
        return out

    def summary(self) -> Text:
        """One line: the counts in both languages."""
        c = self.counts()
        return Text(
            f"新增 {c['added']}，更新 {c['updated']}，冲突 {c['conflict']}，"
            f"未变 {c['unchanged']}，未匹配 {c['unmatched']}，问题 {c['problems']}",
            f"added {c['added']}, updated {c['updated']}, in conflict {c['conflict']}, "
            f"unchanged {c['unchanged']}, unmatched {c['unmatched']}, problems {c['problems']}",
        )

    def document(self) -> dict[str, Any]:
        """The report as a JSON-ready document (messages only: ID numbers print masked)."""
        return {
            "format": "campus-security/pull-report",
            "version": "1.0",
            "counts": self.counts(),
            "changes": [
                {
                    "kind": c.kind.value,
                    "path": c.path,
                    "message": {"zh": c.message.zh, "en": c.message.en},
                    "record": c.record,
                }
                for c in self.changes
            ],
            "problems": [
                {
                    "source": p.source,
                    "path": p.path,
                    "message": {"zh": p.message.zh, "en": p.message.en},
                }
                for p in self.problems
            ],
        }
