"""Reports of big evaluations: a text summary for people, a streamed JSON file for programs.

A national roster yields tens of millions of findings, far more than a terminal can
show or a person read. :func:`render_summary` prints what a person acts on: the
counts per standard and status, the rules that fail most, the first failing schools
and the rates. :class:`JsonReportWriter` writes the same document as
``campus-security check --format json`` (``format``, ``version``, ``on``,
``findings``, ``summary``, ``rates``...), with the findings streamed in as they are
evaluated, so memory does not grow with the roster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, BinaryIO

import orjson
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..engine import Rate, Standard, Status
from ..errors import mask_id_numbers
from ..report import (
    RATE_STYLE,
    REPORT_FORMAT,
    REPORT_VERSION,
    STATUS_STYLE,
    period_rates_table,
    rate_document,
)
from .stream import StreamSummary

__all__ = ["JsonReportWriter", "render_summary", "summary_document"]

TOP_RULES = 15


def summary_document(summary: StreamSummary) -> dict[str, Any]:
    """The counts of a summary as JSON-ready data (``by_standard``, ``failing_schools``...)."""
    by_standard: dict[str, dict[str, int]] = {}
    for (std, status), n in sorted(summary.counts.items()):
        by_standard.setdefault(std, dict.fromkeys((s.value for s in Status), 0))[status] = n
    by_rule: dict[str, dict[str, int]] = {}
    for (rule, status), n in sorted(summary.rule_counts.items()):
        by_rule.setdefault(rule, dict.fromkeys((s.value for s in Status), 0))[status] = n
    return {
        "schools": summary.schools,
        "schools_not_covered": summary.uncovered,
        "failing_schools": summary.failing_schools,
        "failing_sample": [
            {"school_id": mask_id_numbers(sid), "name": mask_id_numbers(name), "failing": n}
            for sid, name, n in summary.failing
        ],
        "by_standard": by_standard,
        "by_rule": by_rule,
    }


class JsonReportWriter:
    """Writes a report document with findings streamed in, to a binary file.

    Call :meth:`add` with finding objects, one per line, comma-separated (as
    :func:`campus_security.scale.stream.finding_bytes` or a part's ``findings`` give
    them) in roster order, then :meth:`close` with the summary and rates.
    """

    def __init__(self, out: BinaryIO, on: dt.date, since: dt.date | None = None) -> None:
        self.out = out
        self._first = True
        head = orjson.dumps(
            {"format": REPORT_FORMAT, "version": REPORT_VERSION, "on": on, "since": since}
        )
        out.write(head[:-1] + b',\n"findings":[\n')

    def add(self, findings: bytes | None) -> None:
        """Append findings (comma-separated JSON objects); empty input is ignored."""
        if not findings:
            return
        if not self._first:
            self.out.write(b",\n")
        self.out.write(findings)
        self._first = False

    def close(
        self,
        summary: StreamSummary,
        rates: Iterable[Rate],
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Finish the document: the status summary, the rates and ``extra`` fields."""
        counts = summary.status_counts()
        tail: dict[str, Any] = {
            "summary": {s.value: counts[s] for s in Status},
            "rates": [rate_document(r) for r in rates],
            "totals": summary_document(summary),
        }
        if extra:
            tail.update(extra)
        self.out.write(b"\n]," + orjson.dumps(tail, option=orjson.OPT_APPEND_NEWLINE)[1:])


def render_summary(
    summary: StreamSummary,
    rates: Sequence[Rate],
    standards: Sequence[Standard],
    on: dt.date,
    console: Console,
    since: dt.date | None = None,
) -> None:
    """Print a summary for a person: counts per standard, failing rules and schools, rates."""
    when = f"评估日期 / as of {on}" if since is None else f"评估期间 / window {since} – {on}"
    console.print(f"[bold]校园安全检查 / campus security check[/] — {when}")
    console.print(
        f"学校 schools {summary.schools} · "
        f"不在所检查标准辖区 not covered by the standards checked {summary.uncovered} · "
        f"有不合格项 failing {summary.failing_schools}"
    )
    table = Table(title="各标准检查结果 / findings per standard")
    table.add_column("standard")
    for s in Status:
        table.add_column(f"{s.zh} {s.value}", justify="right", style=STATUS_STYLE[s])
    for std in sorted({k[0] for k in summary.counts} | {s.id for s in standards}):
        table.add_row(escape(std), *(str(summary.counts.get((std, s.value), 0)) for s in Status))
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
            shown = escape(mask_id_numbers(f"{sid} {name}"))
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
    counts = summary.status_counts()
    console.print("\n" + " · ".join(f"{s.zh} {s.value} {counts[s]}" for s in Status))
