"""``campus-security history``, ``trend`` and ``hazards``: the results store across runs.

``history`` follows a school (or a rule) run by run: what failed, what was new, what
was fixed. ``trend`` lists a target's rate per run against its threshold and due date.
``hazards`` lists the hazards and rectification notices a run recorded: open, overdue
(with days overdue), rectified on time or late, fixed since an earlier run, and those
that vanished from the roster. Text or JSON; ID numbers masked unless asked.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

import click

from ..errors import mask_id_numbers
from ._app import json_bytes, main
from .history import _fail, _format_option, _personal_option, _run_document, _store_url
from .history import open_store as _open_store
from .history import store_option as _store_option

if TYPE_CHECKING:
    from ..store import HazardReport, HistoryEntry, StoredFinding, StoredHazard, TrendPoint

__all__: list[str] = []


def _shown(value: str | None, show: bool) -> str | None:
    return value if value is None or show else mask_id_numbers(value)


def _finding_line(f: StoredFinding, mark: str, show: bool) -> str:
    doc = f.document(show_personal_data=show)
    period = f" [{f.period.start}..{f.period.end}]" if f.period else ""
    severity = f" ({f.severity})" if f.severity else ""
    msg = doc["message"]
    return (
        f"  {mark} {doc['school_id']}  {f.rule_id}{period}  {f.status.value}{severity}  "
        f"{f.citation}\n      {msg['zh']} / {msg['en']}"
    )


@main.command()
@click.argument("school", required=False)
@click.option("--rule", "rule_id", metavar="RULE_ID", help="Only this rule (alone: every school).")
@_store_option
@_format_option
@_personal_option
def history(
    school: str | None,
    rule_id: str | None,
    store_url: str | None,
    fmt: str,
    show_personal_data: bool,
) -> None:
    """A school's (or with --rule, a rule's) failing findings run by run.

    Each run says what failed, what was new since the run before and what was fixed.

    按次列出一所学校（或用 --rule 列出一条规则）的不合格项：新增、已整改、仍不合格。
    """
    from ..store import StoreError

    if school is None and rule_id is None:
        raise click.UsageError(
            "请给出学校编号或 --rule 规则编号 / give a SCHOOL id or --rule RULE_ID"
        )
    with _open_store(_store_url(store_url)) as store:
        try:
            entries = store.history(school, rule_id)
        except StoreError as exc:
            _fail(str(exc))
            raise  # unreachable
    show = show_personal_data
    if fmt == "json":
        sys.stdout.buffer.write(json_bytes(_history_document(school, rule_id, entries, show)))
        return
    who = " / ".join(
        x
        for x in (
            f"学校 {_shown(school, show)} / school {_shown(school, show)}" if school else "",
            f"规则 {rule_id} / rule {rule_id}" if rule_id else "",
        )
        if x
    )
    click.echo(f"历史 / history: {who}")
    if not entries:
        click.echo("结果库中还没有运行记录 / the store holds no runs yet")
    first = True
    for e in entries:
        r = e.run
        head = f"第{r.id}次（{r.on}） / run {r.id} ({r.on})"
        if not e.present:
            click.echo(f"{head}: 本次未检查 / not checked in this run")
            continue
        click.echo(
            f"{head}: 不合格 {len(e.failing)} / failing {len(e.failing)}; "
            f"新增 {len(e.new)} / new {len(e.new)}; 已整改 {len(e.resolved)} / "
            f"resolved {len(e.resolved)}; 豁免 {len(e.waived)} / waived {len(e.waived)}"
        )
        for f in e.failing if first else e.new:
            click.echo(_finding_line(f, "✗" if first else "+", show))
        for f in e.resolved:
            click.echo(_finding_line(f, "✓", show))
        first = False


def _history_document(
    school: str | None, rule_id: str | None, entries: tuple[HistoryEntry, ...], show: bool
) -> dict[str, Any]:
    def docs(group: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [f.document(show_personal_data=show) for f in group]

    return {
        "school_id": _shown(school, show),
        "rule_id": rule_id,
        "runs": [
            {
                "run": _run_document(e.run, show_personal_data=show),
                "present": e.present,
                "failing": docs(e.failing),
                "waived": docs(e.waived),
                "new": docs(e.new),
                "resolved": docs(e.resolved),
            }
            for e in entries
        ],
    }


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _point_document(p: TrendPoint) -> dict[str, Any]:
    return {
        "run": p.run.id,
        "on": p.run.on.isoformat(),
        "standard_id": p.standard_id,
        "region": p.region,
        "title": None if p.title is None else {"zh": p.title.zh, "en": p.title.en},
        "period": None
        if p.period is None
        else {"start": p.period.start.isoformat(), "end": p.period.end.isoformat()},
        "value": p.value,
        "threshold": p.threshold,
        "due": p.due.isoformat(),
        "met": p.met,
        "not_met": p.not_met,
        "waived": p.waived,
        "errors": p.errors,
        "status": p.status,
    }


@main.command()
@click.argument("target")
@click.option("--region", metavar="CODE", help="Only the rates of this region (6 digits).")
@_store_option
@_format_option
def trend(target: str, region: str | None, store_url: str | None, fmt: str) -> None:
    """A target's rate (达标率) run by run, against its threshold and due date.

    按次列出一个目标的达标率，以及目标值和期限。
    """
    with _open_store(_store_url(store_url)) as store:
        points = store.trend(target, region)
    if not points:
        where = f"（地区 {region}）" if region else ""
        where_en = f" (region {region})" if region else ""
        _fail(
            f"结果库中没有目标 {target}{where}的达标率 / "
            f"the store has no rates of target {target}{where_en}"
        )
    if fmt == "json":
        doc = {"target_id": target, "points": [_point_document(p) for p in points]}
        sys.stdout.buffer.write(json_bytes(doc))
        return
    title = next((p.title for p in points if p.title is not None), None)
    click.echo(f"目标 / target {target}" + (f": {title.zh} / {title.en}" if title else ""))
    click.echo(
        "编号 / run  评估日 / on  地区 / region  期间 / period  达标率 / rate  "
        "目标 / threshold  期限 / due  状态 / status"
    )
    for p in points:
        period = f"{p.period.start}..{p.period.end}" if p.period else "—"
        bar = "█" * round((p.value or 0) * 20)
        click.echo(
            f"{p.run.id:>5}  {p.run.on}  {p.region}  {period}  {_percent(p.value):>6} "
            f"{bar:<20}  {p.threshold:.0%}  {p.due}  {p.status}"
        )


def _hazard_document(h: StoredHazard, as_of: dt.date, show: bool) -> dict[str, Any]:
    return {
        "kind": h.kind,
        "school_id": _shown(h.school_id, show),
        "region": h.region,
        "id": _shown(h.id, show),
        "found_on": h.found_on.isoformat(),
        "rectify_by": h.rectify_by.isoformat() if h.rectify_by else None,
        "rectified_on": h.rectified_on.isoformat() if h.rectified_on else None,
        "location": _shown(h.location, show),
        "category": _shown(h.category, show),
        "on_the_spot": h.on_the_spot,
        "found_by": h.found_by,
        "hazard_ids": [_shown(i, show) for i in h.hazard_ids],
        "open": h.is_open(as_of),
        "days_overdue": h.days_overdue(as_of),
        "on_time": h.on_time,
        "days_to_rectify": h.days_to_rectify,
    }


def _hazards_document(r: HazardReport, show: bool) -> dict[str, Any]:
    def docs(group: tuple[StoredHazard, ...]) -> list[dict[str, Any]]:
        return [_hazard_document(h, r.as_of, show) for h in group]

    return {
        "run": _run_document(r.run, show_personal_data=show),
        "as_of": r.as_of.isoformat(),
        "since": None if r.since is None else _run_document(r.since, show_personal_data=show),
        "open": docs(r.open()),
        "overdue": docs(r.overdue()),
        "rectified": docs(r.rectified()),
        "fixed_since": docs(r.fixed),
        "vanished": docs(r.vanished),
        "notices": {"open": docs(r.open("notice")), "overdue": docs(r.overdue("notice"))},
        "by_region": r.by_region(),
    }


def _hazard_line(h: StoredHazard, as_of: dt.date, show: bool) -> str:
    where = " ".join(x for x in (_shown(h.location, show), _shown(h.category, show)) if x)
    parts = [f"  {_shown(h.school_id, show)}  {_shown(h.id, show)}  {where}".rstrip()]
    parts.append(f"发现 / found {h.found_on}")
    if h.rectify_by:
        parts.append(f"期限 / due {h.rectify_by}")
    late = h.days_overdue(as_of)
    if late:
        parts.append(f"逾期 {late} 天 / {late} days overdue")
    if h.rectified_on:
        took = h.days_to_rectify
        timing = {True: "按期 / on time", False: "逾期 / late", None: ""}[h.on_time]
        parts.append(f"整改 / rectified {h.rectified_on} ({took} 天 / days) {timing}".rstrip())
    if h.hazard_ids:
        parts.append("隐患 / hazards " + ", ".join(str(_shown(i, show)) for i in h.hazard_ids))
    return "  ".join(parts)


@main.command()
@click.option("--run", "run_id", type=int, help="The run (default: the last).")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Judge open and overdue as of this day (default: the run's date).",
)
@click.option(
    "--since",
    "since",
    type=int,
    metavar="RUN",
    help="Compare with this run (default: the one before).",
)
@click.option("--region", metavar="CODE", help="Only schools of this region (and under it).")
@_store_option
@_format_option
@_personal_option
def hazards(
    run_id: int | None,
    as_of: dt.datetime | None,
    since: int | None,
    region: str | None,
    store_url: str | None,
    fmt: str,
    show_personal_data: bool,
) -> None:
    """Hazards and rectification notices a run recorded: open, overdue, rectified, vanished.

    列出一次运行记录的隐患和整改通知书：未整改、逾期（天数）、按期或逾期整改、
    自上次以来整改的，以及从名册中消失的。
    """
    from ..store import StoreError

    with _open_store(_store_url(store_url)) as store:
        try:
            r = store.hazards(
                run_id, as_of=as_of.date() if as_of else None, since=since, region=region
            )
        except StoreError as exc:
            _fail(str(exc))
            raise  # unreachable
    show = show_personal_data
    if fmt == "json":
        sys.stdout.buffer.write(json_bytes(_hazards_document(r, show)))
        return
    _render_hazards(r, show)


def _render_hazards(r: HazardReport, show: bool) -> None:
    echo = click.echo
    echo(
        f"第{r.run.id}次运行（{r.run.on}）的隐患，截至 {r.as_of} / "
        f"hazards of run {r.run.id} ({r.run.on}), as of {r.as_of}"
    )
    opened, overdue, rectified = r.open(), r.overdue(), r.rectified()
    on_time = sum(1 for h in rectified if h.on_time)
    late = sum(1 for h in rectified if h.on_time is False)
    echo(f"未整改 / open: {len(opened)}; 其中逾期 / overdue: {len(overdue)}")
    for h in overdue:
        echo(_hazard_line(h, r.as_of, show))
    for h in opened:
        if not h.days_overdue(r.as_of):
            echo(_hazard_line(h, r.as_of, show))
    echo(
        f"已整改 / rectified: {len(rectified)}（按期 {on_time}，逾期 {late}） / "
        f"({on_time} on time, {late} late)"
    )
    for h in rectified:
        echo(_hazard_line(h, r.as_of, show))
    if r.since is not None:
        n = r.since.id
        echo(f"自第{n}次运行以来整改 / fixed since run {n}: {len(r.fixed)}")
        for h in r.fixed:
            echo(_hazard_line(h, r.as_of, show))
        echo(
            f"自第{n}次运行以来从名册中消失（未见整改记录） / "
            f"gone from the roster since run {n} (no rectification recorded): {len(r.vanished)}"
        )
        for h in r.vanished:
            echo(_hazard_line(h, r.since.on, show))
    n_open, n_late = r.open("notice"), r.overdue("notice")
    echo(
        f"整改通知书 / rectification notices: 未销号 / open {len(n_open)}; "
        f"逾期 / overdue {len(n_late)}"
    )
    for h in n_open:
        echo(_hazard_line(h, r.as_of, show))
    regions = r.by_region()
    if regions:
        echo(
            "按地区 / by region: 未整改 / open, 逾期 / overdue, 按期 / on time, 逾期整改 / late, "
            "通知书未销号 / notices open, 通知书逾期 / notices overdue"
        )
        for code, c in regions.items():
            echo(
                f"  {code}  {c['open']:>5} {c['overdue']:>5} {c['on_time']:>5} {c['late']:>5} "
                f"{c['notices_open']:>5} {c['notices_overdue']:>5}"
            )
