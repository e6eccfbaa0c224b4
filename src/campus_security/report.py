"""Rendering reports for people and programs: JSON documents and rich text.

This is an edge of the library: it formats what the engine returned. ID numbers
(personal data) are masked unless the caller passes ``show_personal_data=True``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .engine import Finding, Rate, RateStatus, Report, Rule, Standard, Status
from .errors import mask_id_numbers
from .model import IdNumber, RegionCode, School, Text

__all__ = [
    "RATE_STYLE",
    "REPORT_FORMAT",
    "STATUS_STYLE",
    "finding_document",
    "rate_document",
    "render_rules",
    "render_text",
    "report_document",
    "rule_document",
]

REPORT_FORMAT = "campus-security/report"
REPORT_VERSION = "1.0"


def _shown(text: str, show_personal_data: bool) -> str:
    return text if show_personal_data else mask_id_numbers(text)


def plain(value: Any, *, show_personal_data: bool = False) -> Any:
    """Evidence and other values as JSON-ready data; ID numbers masked unless asked.

    Unless ``show_personal_data``, every ID-shaped value in a string is masked too
    (:func:`~campus_security.errors.mask_id_numbers`): an ID number typed into another
    field is personal data all the same.
    """
    if isinstance(value, str):
        return _shown(value, show_personal_data)
    if isinstance(value, IdNumber):
        return value.value if show_personal_data else value.masked
    if isinstance(value, Text):
        return {
            "zh": _shown(value.zh, show_personal_data),
            "en": _shown(value.en, show_personal_data),
        }
    if isinstance(value, RegionCode):
        return value.value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {
            _shown(str(k), show_personal_data): plain(v, show_personal_data=show_personal_data)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v, show_personal_data=show_personal_data) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if attrs.has(type(value)):
        return {
            a.name: plain(getattr(value, a.name), show_personal_data=show_personal_data)
            for a in attrs.fields(type(value))
        }
    return value


def finding_document(f: Finding, *, show_personal_data: bool = False) -> dict[str, Any]:
    """One finding as a JSON-ready object (ID-shaped values masked unless asked)."""
    show = show_personal_data
    return {
        "rule_id": f.rule_id,
        "standard_id": f.standard_id,
        "school_id": _shown(f.school_id, show),
        "status": f.status.value,
        "citation": {"document": f.citation.document, "clause": f.citation.clause},
        "message": {"zh": _shown(f.message.zh, show), "en": _shown(f.message.en, show)},
        "evidence": plain(f.evidence, show_personal_data=show_personal_data),
        "waiver": plain(f.waiver) if f.waiver else None,
        "waiver_expired": f.waiver_expired,
        "period": None
        if f.period is None
        else {"start": f.period.start.isoformat(), "end": f.period.end.isoformat()},
    }


def rate_document(r: Rate) -> dict[str, Any]:
    """One rate as a JSON-ready object."""
    return {
        "target_id": r.target_id,
        "standard_id": r.standard_id,
        "region": r.region.value,
        "title": {"zh": r.title.zh, "en": r.title.en},
        "citation": {"document": r.citation.document, "clause": r.citation.clause},
        "due": r.due.isoformat(),
        "threshold": r.threshold,
        "met": r.tally.met,
        "not_met": r.tally.not_met,
        "waived": r.tally.waived,
        "errors": r.tally.errors,
        "value": r.value,
        "status": r.status.value,
    }


def report_document(
    report: Report, *, show_personal_data: bool = False, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The whole report as a JSON-ready document."""
    counts = report.counts()
    doc: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "on": report.on.isoformat(),
        "summary": {s.value: counts[s] for s in Status},
        "findings": [
            finding_document(f, show_personal_data=show_personal_data) for f in report.findings
        ],
        "rates": [rate_document(r) for r in report.rates],
    }
    if extra:
        doc.update(extra)
    return doc


STATUS_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "bold red",
    Status.NOT_APPLICABLE: "dim",
    Status.WAIVED: "yellow",
    Status.ERROR: "bold magenta",
}
"""The rich style of each finding status, in every text report."""
RATE_STYLE = {
    RateStatus.MET: "green",
    RateStatus.NOT_MET: "bold red",
    RateStatus.PENDING: "yellow",
    RateStatus.NO_SCHOOLS: "dim",
}
"""The rich style of each rate status, in every text report."""


def render_text(
    report: Report,
    console: Console,
    *,
    schools: Sequence[School] = (),
    verbose: bool = False,
    show_personal_data: bool = False,
) -> None:
    """Print a report for a person: problems per school, then rates, then a summary.

    ID-shaped values (in school names and ids, messages, evidence) are masked unless
    ``show_personal_data``.
    """
    show = show_personal_data
    names = {s.id: s.name for s in schools}
    by_school: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_school[f.school_id].append(f)
    shown = (Status.FAIL, Status.ERROR, Status.WAIVED)
    console.print(f"[bold]校园安全检查 / campus security check[/] — 评估日期 / as of {report.on}")
    for school_id, findings in by_school.items():
        visible = [f for f in findings if verbose or f.status in shown or f.waiver_expired]
        n_pass = sum(f.status is Status.PASS for f in findings)
        n_fail = sum(f.status is Status.FAIL for f in findings)
        head = escape(_shown(f"{names.get(school_id, '')} ({school_id})".strip(), show))
        console.print(f"\n[bold]{head}[/]  合格 pass {n_pass} · 不合格 fail {n_fail}")
        for f in visible:
            style = STATUS_STYLE[f.status]
            console.print(
                f"  [{style}]{f.status.zh} {f.status.value.upper()}[/] "
                f"[cyan]{escape(f.rule_id)}[/] [dim]{escape(str(f.citation))}[/]"
            )
            console.print(f"    {escape(_shown(f.message.zh, show))}")
            console.print(f"    {escape(_shown(f.message.en, show))}")
            if verbose and f.evidence:
                ev = plain(f.evidence, show_personal_data=show_personal_data)
                console.print(f"    [dim]{escape(str(ev))}[/]")
    uncovered = [s for s in schools if s.id not in by_school]
    if uncovered:
        console.print(
            f"\n[dim]{len(uncovered)}所学校不在任何已安装标准的辖区内 / "
            f"{len(uncovered)} school(s) not covered by any installed standard: "
            f"{escape(_shown(', '.join(s.id for s in uncovered[:10]), show))}"
            f"{' …' if len(uncovered) > 10 else ''}[/]"
        )
    if report.rates:
        table = Table(title="达标率 / rates against targets", show_lines=False)
        for col in ("target", "region", "citation", "due", "rate", "status"):
            table.add_column(col)
        for r in report.rates:
            value = "—" if r.value is None else f"{r.value:.1%} ({r.tally.met}/{r.tally.counted})"
            status = r.status.value
            if r.status is RateStatus.PENDING:
                status = f"pending: due {r.due}"
            table.add_row(
                escape(f"{r.target_id}\n{r.title.zh}\n{r.title.en}"),
                f"{r.region.value} {r.region.name}",
                escape(str(r.citation)),
                r.due.isoformat(),
                f"{value} ≥ {r.threshold:.0%}",
                f"[{RATE_STYLE[r.status]}]{r.status.zh} {escape(status)}[/]",
            )
        console.print()
        console.print(table)
    counts = report.counts()
    console.print("\n" + " · ".join(f"{s.zh} {s.value} {counts[s]}" for s in Status))


def rule_document(standard: Standard, r: Rule) -> dict[str, Any]:
    """A rule's metadata as a JSON-ready object (the rule catalogue's record)."""
    return {
        "id": r.id,
        "standard_id": standard.id,
        "title": plain(r.title),
        "citation": {"document": r.citation.document, "clause": r.citation.clause},
        "applies": plain(r.applies.description),
        "binding_from": r.binding_from.isoformat() if r.binding_from else None,
        "passes": plain(r.passes) if r.passes else None,
        "fails": plain(r.fails) if r.fails else None,
        "every": r.every.value if r.every else None,
        "lookback": r.lookback,
    }


def standard_document(s: Standard) -> dict[str, Any]:
    """A standard with its rules and targets as a JSON-ready object."""
    return {
        "id": s.id,
        "title": plain(s.title),
        "document": s.document,
        "issued_by": plain(s.issued_by),
        "jurisdiction": [j.value for j in s.jurisdiction],
        "in_force_from": s.in_force_from.isoformat(),
        "in_force_until": s.in_force_until.isoformat() if s.in_force_until else None,
        "rules": [rule_document(s, r) for r in s.rules],
        "targets": [
            {
                "id": t.id,
                "title": plain(t.title),
                "rule_id": t.rule_id,
                "citation": {"document": t.citation.document, "clause": t.citation.clause},
                "due": t.due.isoformat(),
                "threshold": t.threshold,
                "applies": plain(t.applies.description),
            }
            for t in s.targets
        ],
    }


def render_rules(standards: Iterable[Standard], console: Console) -> None:
    """Print the installed standards and their rules with citations."""
    for s in standards:
        until = s.in_force_until or "—"
        console.print(
            f"\n[bold]{escape(s.id)}[/]  {escape(s.title.zh)} / {escape(s.title.en)}\n"
            f"  {escape(s.document)} · {escape(s.issued_by.zh)} · "
            f"辖区 jurisdiction {', '.join(f'{j.value} {j.name}' for j in s.jurisdiction)} · "
            f"施行 in force {s.in_force_from} – {until}"
        )
        table = Table(show_header=True, box=None, padding=(0, 1))
        table.add_column("rule", no_wrap=True, style="cyan")
        for col in ("citation", "title", "applies to"):
            table.add_column(col)
        for r in s.rules:
            table.add_row(
                escape(r.id),
                escape(str(r.citation)),
                escape(f"{r.title.zh}\n{r.title.en}"),
                escape(f"{r.applies.description.zh}\n{r.applies.description.en}"),
            )
        console.print(table)
        for t in s.targets:
            console.print(
                f"  target [cyan]{escape(t.id)}[/] {escape(str(t.citation))}: "
                f"{escape(t.title.zh)} / {escape(t.title.en)} — ≥ {t.threshold:.0%} by {t.due}"
            )
