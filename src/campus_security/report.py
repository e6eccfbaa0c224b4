"""Rendering reports for people and programs: JSON documents and rich text.

This is an edge of the library: it formats what the engine returned. ID numbers
(personal data) are masked unless the caller passes ``show_personal_data=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .engine import Finding, Rate, RateStatus, RegionalRate, Report, Rule, Standard, Status
from .engine.summary import StreamSummary
from .errors import describe_exception
from .model import Period, School
from .report_json import (
    REPORT_FORMAT,
    REPORT_SCHEMA_RESOURCE,
    REPORT_VERSION,
    JsonReportWriter,
    _shown,
    documented_finding,
    failure_document,
    finding_bytes,
    finding_document,
    finding_json,
    load_report_schema,
    plain,
    rate_document,
    region_document,
    report_document,
    report_summary,
    summary_document,
    write_report,
)

__all__ = [
    "RATE_STYLE",
    "REPORT_FORMAT",
    "REPORT_SCHEMA_RESOURCE",
    "REPORT_VERSION",
    "STATUS_STYLE",
    "JsonReportWriter",
    "documented_finding",
    "failure_document",
    "finding_bytes",
    "finding_document",
    "finding_json",
    "load_report_schema",
    "rate_document",
    "region_document",
    "render_counts",
    "render_header",
    "render_rates",
    "render_regional_rates",
    "render_rules",
    "render_school",
    "render_summary",
    "render_text",
    "render_uncovered",
    "report_document",
    "report_summary",
    "rule_document",
    "summary_document",
    "write_report",
]

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


SHOWN = frozenset({"fail", "error", "waived"})
"""Statuses a school's block lists without ``--verbose``."""
TOP_RULES = 15
"""Rules listed in a summary's table of the most failed rules."""


def render_header(console: Console, on: dt.date, since: dt.date | None = None) -> None:
    """The first line of every text report (the date, or the window ``since``..``on``)."""
    when = f"评估日期 / as of {on}" if since is None else f"评估期间 / window {since} – {on}"
    console.print(f"[bold]校园安全检查 / campus security check[/] — {when}")


class _Judged(Protocol):
    """What :func:`period_lines` reads of a finding: its status and period."""

    @property
    def status(self) -> Status: ...

    @property
    def period(self) -> Period | None: ...


@attrs.frozen
class _DocFinding:
    """A finding document's status and period, for :func:`period_lines`."""

    status: Status
    period: Period | None

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> _DocFinding:
        p = doc.get("period")
        period = (
            None
            if p is None
            else Period(dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"]))
        )
        return cls(Status(doc["status"]), period)


def render_school(
    console: Console,
    school_id: str,
    name: str,
    findings: Sequence[Mapping[str, Any]],
    *,
    verbose: bool = False,
    show_personal_data: bool = False,
    window: bool = False,
) -> None:
    """One school's block: its counts, then its failed, broken and waived findings.

    ``findings`` are finding documents (:func:`finding_document`), so a report read
    back from JSON bytes prints as one built in memory (their ID numbers already
    masked); the school's name and id are masked here unless ``show_personal_data``.
    A periodic rule's findings (one per period) print as one entry with the periods
    it missed; ``window`` says the report covers a window, not a date.
    """
    n_pass = sum(f["status"] == "pass" for f in findings)
    n_fail = sum(f["status"] == "fail" for f in findings)
    head = escape(_shown(f"{name} ({school_id})".strip(), show_personal_data))
    console.print(f"\n[bold]{head}[/]  合格 pass {n_pass} · 不合格 fail {n_fail}")
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for d in findings:
        groups.setdefault((d["standard_id"], d["rule_id"]), []).append(d)
    for group in groups.values():
        if not (verbose or any(g["status"] in SHOWN or g["waiver_expired"] for g in group)):
            continue
        f = group[-1] if len(group) == 1 else _worst_doc(group)
        status = Status(f["status"])
        citation = f"{f['citation']['document']} {f['citation']['clause']}"
        console.print(
            f"  [{STATUS_STYLE[status]}]{status.zh} {status.value.upper()}[/] "
            f"[cyan]{escape(f['rule_id'])}[/] [dim]{escape(citation)}[/]"
        )
        if len(group) > 1 or (window and f.get("period") is not None):
            for line in period_lines([_DocFinding.of(g) for g in group]):
                console.print(f"    {escape(line)}")
        console.print(f"    {escape(f['message']['zh'])}")
        console.print(f"    {escape(f['message']['en'])}")
        if verbose and f["evidence"]:
            console.print(f"    [dim]{escape(str(f['evidence']))}[/]")


def _worst_doc(group: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The latest finding of the most severe status (its message speaks for the group)."""
    top = min(_SEVERITY[Status(f["status"])] for f in group)
    return [f for f in group if _SEVERITY[Status(f["status"])] == top][-1]


def render_uncovered(
    console: Console, ids: Sequence[str], total: int, *, show_personal_data: bool = False
) -> None:
    """The schools no installed standard covers (the first ten ids, and how many)."""
    if not total:
        return
    console.print(
        f"\n[dim]{total}所学校不在所检查标准的辖区内 / "
        f"{total} school(s) not covered by the standards checked: "
        f"{escape(_shown(', '.join(ids[:10]), show_personal_data))}"
        f"{' …' if total > 10 else ''}[/]"
    )


def render_rates(console: Console, rates: Sequence[Rate]) -> None:
    """The table of rates against targets (then, in a window, the rates per period)."""
    if any(r.period is None for r in rates):
        _render_dated_rates(console, rates)
    if any(r.period is not None for r in rates):
        console.print()
        console.print(period_rates_table(rates))


def _render_dated_rates(console: Console, rates: Sequence[Rate]) -> None:
    table = Table(title="达标率 / rates against targets", show_lines=False)
    for col in ("target", "region", "citation", "due", "rate", "status"):
        table.add_column(col, overflow="fold")
    for r in rates:
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


def render_regional_rates(console: Console, rows: Sequence[RegionalRate]) -> None:
    """The full table of rates by region (``check --by-region``): a table per target.

    Each target's jurisdiction, then its cities and counties with schools by code,
    indented city → county, each with its name (the code alone when GB/T 2260 has
    none); a column for the rate as of the date and, in a window, one per period.
    """
    groups: dict[tuple[str, str, str], list[RegionalRate]] = {}
    for row in rows:
        r = row.rate
        groups.setdefault((r.standard_id, r.target_id, row.jurisdiction.value), []).append(row)
    for group in groups.values():
        first = group[0].rate
        periods = sorted({row.rate.period for row in group if row.rate.period is not None})
        dated = any(row.rate.period is None for row in group)
        console.print()
        console.print(
            f"[bold]达标率（按行政区划）/ rates by region · {escape(first.target_id)}[/]\n"
            + escape(
                f"{first.title.zh} / {first.title.en}\n{first.citation} · "
                f"≥ {first.threshold:.0%} · 期限 due {first.due.isoformat()}"
            )
        )
        table = Table()
        table.add_column("行政区划 region", no_wrap=True)
        if dated:
            table.add_column("达标率 rate")
        for p in periods:
            table.add_column(period_label(p), overflow="fold")
        cells: dict[str, dict[Any, str]] = {}
        order: dict[str, RegionalRate] = {}
        for row in group:
            code = row.region.value
            order.setdefault(code, row)
            cells.setdefault(code, {})[row.rate.period] = _rate_cell(row.rate)
        for code in sorted(order):
            row = order[code]
            label = "  " * row.level.depth + escape(row.label)
            columns = ([None] if dated else []) + list(periods)
            table.add_row(label, *(cells[code].get(p, "") for p in columns))
        console.print(table)


def _rate_cell(r: Rate) -> str:
    value = "—" if r.value is None else f"{r.value:.1%} ({r.tally.met}/{r.tally.counted})"
    return f"{value} [{RATE_STYLE[r.status]}]{r.status.zh} {r.status.value}[/]"


def render_counts(console: Console, counts: Mapping[Status, int]) -> None:
    """The last line: findings of each status."""
    console.print("\n" + " · ".join(f"{s.zh} {s.value} {counts[s]}" for s in Status))


def render_text(
    report: Report,
    console: Console,
    *,
    schools: Sequence[School] = (),
    verbose: bool = False,
    show_personal_data: bool = False,
    by_region: bool = False,
) -> None:
    """Print a report for a person: problems per school, then rates, then a summary.

    ID-shaped values (in school names and ids, messages, evidence) are masked unless
    ``show_personal_data``. ``by_region``: after the jurisdictions' rates, the full
    table of rates by city and county (:func:`render_regional_rates`).
    """
    show = show_personal_data
    names = {s.id: s.name for s in schools}
    by_school: dict[str, list[dict[str, Any]]] = {}
    for f in report.findings:
        by_school.setdefault(f.school_id, []).append(_text_document(f, show))
    render_header(console, report.on, report.since)
    for school_id, findings in by_school.items():
        render_school(
            console,
            school_id,
            names.get(school_id, ""),
            findings,
            verbose=verbose,
            show_personal_data=show,
            window=report.since is not None,
        )
    uncovered = [s.id for s in schools if s.id not in by_school]
    render_uncovered(console, uncovered, len(uncovered), show_personal_data=show)
    render_rates(console, report.rates)
    if by_region:
        render_regional_rates(console, report.regional_rates)
    render_counts(console, report.counts())


def _text_document(f: Finding, show_personal_data: bool) -> dict[str, Any]:
    """A finding's document for the text report; evidence that cannot be shown says so."""
    try:
        return finding_document(f, show_personal_data=show_personal_data)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # plugin data
        doc = finding_document(attrs.evolve(f, evidence={}), show_personal_data=show_personal_data)
        doc["evidence"] = f"证据无法显示 / the evidence cannot be shown: {describe_exception(exc)}"
        return doc


def render_summary(
    summary: StreamSummary,
    rates: Sequence[Rate],
    standards: Sequence[Standard],
    on: dt.date,
    console: Console,
    *,
    show_personal_data: bool = False,
    since: dt.date | None = None,
    regional_rates: Sequence[RegionalRate] = (),
) -> None:
    """Print a big roster's report by counts: per standard, failing rules and schools, rates.

    ID-shaped values in the failing schools' names and ids are masked unless asked.
    ``regional_rates`` (``check --by-region``) are printed after the jurisdictions' rates
    (:func:`render_regional_rates`).
    """
    render_header(console, on, since)
    console.print(
        f"学校 schools {summary.schools} · "
        f"不在所检查标准辖区 not covered by the standards checked {summary.uncovered} · "
        f"有不合格项 failing {summary.failing_schools}"
    )
    table = Table(title="各标准检查结果 / findings per standard")
    table.add_column("standard")
    for s in Status:
        table.add_column(f"{s.zh} {s.value}", justify="right", style=STATUS_STYLE[s])
    counts = summary.counts
    for std in sorted({k[0] for k in counts} | {s.id for s in standards}):
        table.add_row(escape(std), *(str(counts.get((std, s.value), 0)) for s in Status))
    console.print()
    console.print(table)
    failing = sorted(
        ((rule, n) for (rule, status), n in summary.rule_counts.items() if status == "fail"),
        key=lambda kv: (-kv[1], kv[0]),
    )
    if failing:
        rules = Table(title=f"不合格最多的规则 / most failed rules (top {TOP_RULES})")
        rules.add_column("rule", style="cyan")
        rules.add_column("不合格 fail", justify="right")
        for rule, n in failing[:TOP_RULES]:
            rules.add_row(escape(rule), str(n))
        console.print()
        console.print(rules)
    if summary.failing:
        console.print(
            f"\n[bold]有不合格项的学校 / failing schools[/] "
            f"（前{len(summary.failing)}所 / first {len(summary.failing)} "
            f"of {summary.failing_schools}）"
        )
        for sid, name, n in summary.failing:
            shown = escape(_shown(f"{sid} {name}", show_personal_data))
            console.print(f"  {shown}  [bold red]不合格 fail {n}[/]")
    if any(r.period is None for r in rates):
        rt = Table(title="达标率 / rates against targets")
        for col in ("target", "region", "due", "rate", "status"):
            rt.add_column(col)
        for r in rates:
            if r.period is not None:  # a window's rates per period: the table below
                continue
            value = "—" if r.value is None else f"{r.value:.1%} ({r.tally.met}/{r.tally.counted})"
            rt.add_row(
                escape(f"{r.target_id}\n{r.title.zh}"),
                f"{r.region.value} {r.region.name}",
                r.due.isoformat(),
                f"{value} ≥ {r.threshold:.0%}",
                f"[{RATE_STYLE[r.status]}]{r.status.zh} {r.status.value}[/]",
            )
        console.print()
        console.print(rt)
    if any(r.period is not None for r in rates):
        console.print()
        console.print(period_rates_table(rates))
    if regional_rates:
        render_regional_rates(console, regional_rates)
    render_counts(console, summary.status_counts())


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


def period_lines(group: Sequence[_Judged]) -> list[str]:
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
