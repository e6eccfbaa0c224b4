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
import orjson
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .engine import Finding, Rate, RateStatus, Report, Rule, Standard, Status
from .errors import describe_exception, mask_id_numbers
from .model import IdNumber, Period, RegionCode, School, Text
from .model.values import unformatted

__all__ = [
    "RATE_STYLE",
    "REPORT_FORMAT",
    "STATUS_STYLE",
    "documented_finding",
    "finding_document",
    "finding_json",
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
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise TypeError(f"the integer {value} is too large for JSON")
        return value
    if isinstance(value, dt.time):
        return value.isoformat()
    raise TypeError(f"a {type(value).__name__} value cannot be encoded as JSON")


_INT_MIN, _INT_MAX = -(1 << 63), (1 << 64) - 1
"""The integers a JSON report holds (orjson's range)."""


def _valid(text: str) -> str:
    """``text`` with anything UTF-8 cannot hold (lone surrogates) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _unencodable(f: Finding, exc: BaseException) -> Finding:
    """The ERROR finding that replaces ``f`` when its message or evidence cannot be encoded."""
    desc = _valid(describe_exception(exc))
    try:
        said = _valid(f"{f.status.value}: {f.message.en}")
    except Exception:
        said = f.status.value
    return Finding(
        f.rule_id,
        f.standard_id,
        f.school_id,
        Status.ERROR,
        f.citation,
        Text(
            f"规则的检查结果无法写入报告（{desc}）；原结论：{f.status.zh}",
            f"the rule's outcome cannot be written to the report ({desc}); "
            f"the rule had said {said}",
        ),
        {"error": desc},
        period=f.period,
    )


def finding_json(f: Finding, *, show_personal_data: bool = False) -> tuple[bytes, Finding]:
    """A finding as the JSON object a report file holds, and the finding it documents.

    As :func:`documented_finding`, down to the bytes: a finding that cannot be encoded
    is written, and returned, as an ERROR finding saying so. Never raises, but for
    ``KeyboardInterrupt``.
    """
    try:
        return orjson.dumps(finding_document(f, show_personal_data=show_personal_data)), f
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # plugin data: a broken finding must not break the report
        g = _unencodable(f, exc)
        return orjson.dumps(finding_document(g, show_personal_data=show_personal_data)), g


def documented_finding(
    f: Finding, *, show_personal_data: bool = False
) -> tuple[dict[str, Any], Finding]:
    """A finding as a JSON-ready object, and the finding that object documents.

    When the finding's message or evidence cannot be encoded (a value JSON does not
    hold, a string that is not valid Unicode, plugin code that raises while being
    read), the object documents an ERROR finding saying so instead, which is returned
    in its place (for the report's counts and exit status). The object is encoded once
    to be sure. Never raises, but for ``KeyboardInterrupt``.
    """
    try:
        doc = finding_document(f, show_personal_data=show_personal_data)
        orjson.dumps(doc)
        return doc, f
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # plugin data: a broken finding must not break the report
        g = _unencodable(f, exc)
        return finding_document(g, show_personal_data=show_personal_data), g


def finding_document(f: Finding, *, show_personal_data: bool = False) -> dict[str, Any]:
    """One finding as a JSON-ready object (ID-shaped values masked unless asked).

    Raises :class:`TypeError` for evidence JSON cannot hold and :class:`ValueError` for a
    message whose templates could not be formatted; :func:`documented_finding` never
    raises.
    """
    show = show_personal_data
    broken = unformatted(f.message)
    if broken is not None:
        raise ValueError(broken)
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
        "period": None
        if r.period is None
        else {"start": r.period.start.isoformat(), "end": r.period.end.isoformat()},
    }


def report_document(
    report: Report, *, show_personal_data: bool = False, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The whole report as a JSON-ready document.

    A finding whose message or evidence cannot be encoded is documented, and counted,
    as an ERROR finding saying so (:func:`documented_finding`).
    """
    counts = dict.fromkeys(Status, 0)
    findings = []
    for f in report.findings:
        doc_f, g = documented_finding(f, show_personal_data=show_personal_data)
        findings.append(doc_f)
        counts[g.status] += 1
    doc: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "on": report.on.isoformat(),
        "since": report.since.isoformat() if report.since else None,
        "summary": {s.value: counts[s] for s in Status},
        "findings": findings,
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
    if report.since is None:
        when = f"评估日期 / as of {report.on}"
    else:
        when = f"评估期间 / window {report.since} – {report.on}"
    console.print(f"[bold]校园安全检查 / campus security check[/] — {when}")
    for school_id, findings in by_school.items():
        n_pass = sum(f.status is Status.PASS for f in findings)
        n_fail = sum(f.status is Status.FAIL for f in findings)
        head = escape(_shown(f"{names.get(school_id, '')} ({school_id})".strip(), show))
        console.print(f"\n[bold]{head}[/]  合格 pass {n_pass} · 不合格 fail {n_fail}")
        for group in _by_rule(findings):
            f = group[-1] if len(group) == 1 else _worst(group)
            if not (verbose or any(g.status in shown or g.waiver_expired for g in group)):
                continue
            style = STATUS_STYLE[f.status]
            console.print(
                f"  [{style}]{f.status.zh} {f.status.value.upper()}[/] "
                f"[cyan]{escape(f.rule_id)}[/] [dim]{escape(str(f.citation))}[/]"
            )
            if len(group) > 1 or (report.since is not None and f.period is not None):
                for line in period_lines(group):
                    console.print(f"    {escape(line)}")
            console.print(f"    {escape(_shown(f.message.zh, show))}")
            console.print(f"    {escape(_shown(f.message.en, show))}")
            if verbose and f.evidence:
                try:
                    ev = str(plain(f.evidence, show_personal_data=show_personal_data))
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:  # plugin data
                    desc = describe_exception(exc)
                    ev = f"证据无法显示 / the evidence cannot be shown: {desc}"
                console.print(f"    [dim]{escape(ev)}[/]")
    uncovered = [s for s in schools if s.id not in by_school]
    if uncovered:
        console.print(
            f"\n[dim]{len(uncovered)}所学校不在所检查标准的辖区内 / "
            f"{len(uncovered)} school(s) not covered by the standards checked: "
            f"{escape(_shown(', '.join(s.id for s in uncovered[:10]), show))}"
            f"{' …' if len(uncovered) > 10 else ''}[/]"
        )
    if any(r.period is None for r in report.rates):
        table = Table(title="达标率 / rates against targets", show_lines=False)
        for col in ("target", "region", "citation", "due", "rate", "status"):
            table.add_column(col, overflow="fold")
        for r in report.rates:
            if r.period is not None:
                continue
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
    if any(r.period is not None for r in report.rates):
        console.print()
        console.print(period_rates_table(report.rates))
    counts = report.counts()
    console.print("\n" + " · ".join(f"{s.zh} {s.value} {counts[s]}" for s in Status))


def _longest(rules: Iterable[Rule]) -> int:
    """The width of the longest citation, up to 30 columns (folded beyond)."""
    return min(30, max((cell_len(str(r.citation)) for r in rules), default=8))


def period_rates_table(rates: Iterable[Rate]) -> Table:
    """A window's rates, per target and region, period by period (one line a period)."""
    table = Table(title="达标率（逐期）/ rates per period", show_lines=True)
    for col in ("target", "region", "citation", "period: rate"):
        table.add_column(col, overflow="fold")
    rows: dict[tuple[str, str, str], list[Rate]] = {}
    for r in rates:
        if r.period is not None:
            rows.setdefault((r.standard_id, r.target_id, r.region.value), []).append(r)
    for group in rows.values():
        r = group[0]
        lines = []
        for p in sorted(group, key=lambda x: x.period.start if x.period else dt.date.min):
            assert p.period is not None
            value = "—" if p.value is None else f"{p.value:.1%} ({p.tally.met}/{p.tally.counted})"
            lines.append(
                f"{period_label(p.period)}: {value} [{RATE_STYLE[p.status]}]{p.status.zh} "
                f"{p.status.value}[/]"
            )
        table.add_row(
            escape(f"{r.target_id}\n{r.title.zh}\n{r.title.en}"),
            f"{r.region.value} {r.region.name}",
            escape(str(r.citation)),
            "\n".join(lines),
        )
    return table


def period_label(p: Period) -> str:
    """A period, short: ``2019-10-16..31``, ``2019-10-16..11-15``, ``2019-12-28..2020-01-03``.

    >>> period_label(Period(dt.date(2019, 10, 16), dt.date(2019, 10, 31)))
    '2019-10-16..31'
    >>> period_label(Period(dt.date(2024, 3, 5), dt.date(2024, 3, 5)))
    '2024-03-05'
    """
    a, b = p.start, p.end
    if a == b:
        return a.isoformat()
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.isoformat()}..{b.day:02d}"
    if a.year == b.year:
        return f"{a.isoformat()}..{b.month:02d}-{b.day:02d}"
    return f"{a.isoformat()}..{b.isoformat()}"


def period_lines(group: Sequence[Finding]) -> list[str]:
    """What a rule's periods came to, in two lines (Chinese, English).

    ``missed 2 of 8: 2019-10-16..31, 2019-12-01..15`` names the failing periods among
    those judged (not applicable ones are not counted); waived and broken periods
    follow the same way.
    """
    judged = [f for f in group if f.status is not Status.NOT_APPLICABLE]
    zh: list[str] = []
    en: list[str] = []
    for status, word_zh, word_en in (
        (Status.FAIL, "未达要求", "missed"),
        (Status.WAIVED, "豁免", "waived"),
        (Status.ERROR, "出错", "errors in"),
    ):
        hit = [f.period for f in judged if f.status is status and f.period]
        if hit:
            spans = _runs(hit)
            more = len(spans) > _SPANS_SHOWN
            shown_zh = "、".join(spans[:_SPANS_SHOWN]) + ("……" if more else "")
            shown_en = ", ".join(spans[:_SPANS_SHOWN]) + (" …" if more else "")
            zh.append(f"{word_zh}{len(hit)}/{len(judged)}个周期：{shown_zh}")
            en.append(f"{word_en} {len(hit)} of {len(judged)}: {shown_en}")
    if not zh:
        if not judged:
            return [f"{len(group)}个周期均不适用", f"not applicable in all {len(group)} period(s)"]
        return [f"{len(judged)}个周期均合格", f"kept in all {len(judged)} period(s)"]
    return ["；".join(zh), "; ".join(en)]


_SPANS_SHOWN = 12
"""How many runs of periods a text report lists per rule and status (the JSON has all)."""


def _runs(periods: Sequence[Period]) -> list[str]:
    """Periods joined into runs of consecutive ones: ``2024-01-01..03-31 (13)``."""
    out: list[str] = []
    i = 0
    while i < len(periods):
        j = i
        while j + 1 < len(periods) and periods[j + 1].start == periods[j].end + _DAY:
            j += 1
        if j == i:
            out.append(period_label(periods[i]))
        else:
            span = Period(periods[i].start, periods[j].end)
            out.append(f"{period_label(span)} ({j - i + 1})")
        i = j + 1
    return out


_DAY = dt.timedelta(days=1)

_SEVERITY = {
    Status.ERROR: 0,
    Status.FAIL: 1,
    Status.WAIVED: 2,
    Status.PASS: 3,
    Status.NOT_APPLICABLE: 4,
}


def _worst(group: Sequence[Finding]) -> Finding:
    """The latest finding of the most severe status (its message speaks for the group)."""
    top = min(_SEVERITY[f.status] for f in group)
    return [f for f in group if _SEVERITY[f.status] == top][-1]


def _by_rule(findings: Sequence[Finding]) -> list[list[Finding]]:
    """A school's findings grouped by rule, in order (a periodic rule's periods together)."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.standard_id, f.rule_id), []).append(f)
    return list(groups.values())


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
        table.add_column("rule", style="cyan", overflow="fold")
        # never cut a citation: a narrow terminal folds it onto the next line
        table.add_column("citation", overflow="fold", min_width=_longest(s.rules))
        for col in ("title", "applies to"):
            table.add_column(col, overflow="fold")
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
