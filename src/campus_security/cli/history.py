"""``campus-security runs`` and ``diff``: ask the results store; ``check --store`` records.

The store needs the ``store`` extra (SQLAlchemy, Alembic, psycopg); it is imported only
when a store is used, so that the other commands work without it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..engine import Rate, SchoolResult, Standard
from ..errors import mask_id_numbers
from ..plugins import PluginVersion
from ._app import EXIT_FAIL, EXIT_OK, EXIT_USAGE, json_bytes, main

if TYPE_CHECKING:
    import datetime as dt

    from ..store import Diff, Run, Store, StoredFinding, StoreSink

__all__ = ["open_store", "record_run", "recorded", "store_option", "store_sink"]

store_option = click.option(
    "--store",
    "store_url",
    envvar="CAMPUS_SECURITY_STORE",
    metavar="URL",
    help="Results store: a file path, sqlite:///… or postgresql://… "
    "(default: $CAMPUS_SECURITY_STORE).",
)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_USAGE)


def open_store(url: str) -> Store:
    """Open the store at ``url`` or exit 2 with a bilingual message (never the password)."""
    try:
        from ..store import Store, StoreError
    except ImportError:
        _fail(
            "结果库需要 store 附加组件：pip install 'campus-security[store]' / "
            "the results store needs the store extra: pip install 'campus-security[store]'"
        )
        raise  # unreachable: _fail exits
    try:
        return Store.open(url, note=lambda n: click.echo(f"注意：{n.zh} / note: {n.en}", err=True))
    except StoreError as exc:
        _fail(str(exc))
        raise  # unreachable


def record_run(
    url: str,
    roster: Path,
    results: Iterable[SchoolResult],
    *,
    on: dt.date,
    standards: Sequence[Standard],
    rates: Iterable[Rate],
    plugins: dict[str, PluginVersion],
    since: dt.date | None = None,
) -> int:
    """Record a check into the store at ``url``; the run's id (exit 2 on any store error)."""
    from ..store import StoreError, roster_identity

    with open_store(url) as store:
        try:
            run = store.record(
                results,
                on=on,
                since=since,
                roster=roster_identity(roster),
                standards=standards,
                rates=rates,
                plugins=plugins,
            )
        except StoreError as exc:
            _fail(str(exc))
            raise  # unreachable
    click.echo(f"已记录为第{run.id}次运行 / recorded as run {run.id}", err=True)
    return run.id


def store_sink(
    url: str,
    rosters: Sequence[Path],
    plugins: dict[str, PluginVersion],
    *,
    show_personal_data: bool,
) -> StoreSink:
    """The sink ``check --store`` records through (the store opened now: exit 2 if it cannot).

    The run's roster identity: the file's name and SHA-256; for several rosters their names
    joined with ``+`` and the SHA-256 of their digests; standard input (``-``) is named
    ``-`` with no digest (``unknown``).
    """
    import hashlib

    from ..store import RosterIdentity, StoreSink, roster_identity

    store = open_store(url)
    try:
        ids = [
            RosterIdentity("-", "unknown") if str(r) == "-" else roster_identity(r) for r in rosters
        ]
    except OSError:
        store.close()
        raise  # the check names the unreadable roster
    if len(ids) == 1:
        identity = ids[0]
    else:
        joined = hashlib.sha256("".join(i.sha256 for i in ids).encode()).hexdigest()
        identity = RosterIdentity("+".join(i.name for i in ids), joined)
    return StoreSink(store, identity, plugins=plugins, show_personal_data=show_personal_data)


def recorded(sink: StoreSink) -> None:
    """Say which run the check was recorded as; release the store."""
    sink.store.close()
    if sink.run is not None:
        click.echo(f"已记录为第{sink.run.id}次运行 / recorded as run {sink.run.id}", err=True)


def _store_url(url: str | None) -> str:
    if not url:
        raise click.UsageError(
            "未指定结果库：用 --store URL 或环境变量 CAMPUS_SECURITY_STORE / "
            "no store given: use --store URL or CAMPUS_SECURITY_STORE"
        )
    return url


def _run_document(r: Run, *, show_personal_data: bool) -> dict[str, Any]:
    return {
        "id": r.id,
        "started_at": r.started_at.isoformat(),
        "finished_at": r.finished_at.isoformat(),
        "on": r.on.isoformat(),
        "since": r.since.isoformat() if r.since else None,
        "roster": {
            "name": r.roster.name if show_personal_data else mask_id_numbers(r.roster.name),
            "sha256": r.roster.sha256,
        },
        "standards": list(r.standards),
        "plugins": dict(r.plugins),
        "schools": r.schools,
    }


_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
_personal_option = click.option(
    "--show-personal-data",
    is_flag=True,
    help="Show ID numbers in full (they are masked by default).",
)


@main.command()
@store_option
@_format_option
@_personal_option
def runs(store_url: str | None, fmt: str, show_personal_data: bool) -> None:
    """List the runs recorded in the store.

    列出结果库中记录的各次检查。
    """
    with open_store(_store_url(store_url)) as store:
        recorded = store.runs()
    if fmt == "json":
        docs = [_run_document(r, show_personal_data=show_personal_data) for r in recorded]
        sys.stdout.buffer.write(json_bytes({"runs": docs}))
        return
    if not recorded:
        click.echo("结果库中还没有运行记录 / the store holds no runs yet")
        return
    click.echo("编号 / run  评估日 / on  学校 / schools  名册 / roster  开始 / started (UTC)")
    for r in recorded:
        on = f"{r.since}..{r.on}" if r.since else str(r.on)
        name = r.roster.name if show_personal_data else mask_id_numbers(r.roster.name)
        click.echo(
            f"{r.id:>5}  {on}  {r.schools:>7}  {name} ({r.roster.sha256[:12]})  "
            f"{r.started_at:%Y-%m-%d %H:%M:%S}"
        )


def _line(f: StoredFinding, show_personal_data: bool) -> str:
    doc = f.document(show_personal_data=show_personal_data)
    period = f" [{f.period.start}..{f.period.end}]" if f.period else ""
    msg = doc["message"]
    severity = f" ({f.severity})" if f.severity else ""
    return (
        f"  {doc['school_id']}  {f.rule_id}{period}  {f.status.value}{severity}  {f.citation}\n"
        f"      {msg['zh']} / {msg['en']}"
    )


def _counts(group: Sequence[StoredFinding]) -> dict[str, dict[str, int]]:
    """A group's findings counted by standard and by severity (``unknown`` when not recorded)."""
    by_standard: dict[str, int] = {}
    by_severity: dict[str, int] = {}
    for f in group:
        by_standard[f.standard_id] = by_standard.get(f.standard_id, 0) + 1
        key = f.severity or "unknown"
        by_severity[key] = by_severity.get(key, 0) + 1
    return {"by_standard": dict(sorted(by_standard.items())), "by_severity": by_severity}


def _counts_line(group: Sequence[StoredFinding]) -> str:
    c = _counts(group)
    parts = [f"{k} {n}" for k, n in c["by_standard"].items()]
    parts += [f"{k} {n}" for k, n in sorted(c["by_severity"].items())]
    return f"  （按标准、严重程度 / by standard, severity: {', '.join(parts)}）" if parts else ""


def _render_diff(d: Diff, show_personal_data: bool) -> None:
    click.echo(
        f"第{d.a.id}次（{d.a.on}）→ 第{d.b.id}次（{d.b.on}） / "
        f"run {d.a.id} ({d.a.on}) → run {d.b.id} ({d.b.on})"
    )
    sections = [
        ("新增不合格", "new failures", d.new),
        ("已整改", "resolved", d.resolved),
        ("仍不合格", "still failing", d.still_failing),
    ]
    for zh, en, group in sections:
        click.echo(f"{zh} / {en}: {len(group)}{_counts_line(group)}")
        if group is not d.still_failing:
            for f in group:
                click.echo(_line(f, show_personal_data))


@main.command()
@click.argument("run_a", required=False, type=int)
@click.argument("run_b", required=False, type=int)
@store_option
@_format_option
@_personal_option
def diff(
    run_a: int | None,
    run_b: int | None,
    store_url: str | None,
    fmt: str,
    show_personal_data: bool,
) -> None:
    """Compare two runs: new failures, resolved, still failing (default: the last two).

    RUN_A alone is compared with the last run. Exit status 1 when there are new failures.

    比较两次检查：新增不合格、已整改、仍不合格（默认最近两次）。有新增不合格时退出码为 1。
    """
    from ..store import StoreError

    with open_store(_store_url(store_url)) as store:
        try:
            d = store.diff(run_a, run_b)
        except StoreError as exc:
            _fail(str(exc))
            raise  # unreachable
    if fmt == "json":

        def docs(group: Sequence[StoredFinding]) -> list[dict[str, Any]]:
            return [f.document(show_personal_data=show_personal_data) for f in group]

        doc = {
            "a": _run_document(d.a, show_personal_data=show_personal_data),
            "b": _run_document(d.b, show_personal_data=show_personal_data),
            "new": docs(d.new),
            "resolved": docs(d.resolved),
            "still_failing": docs(d.still_failing),
            "counts": {
                "new": _counts(d.new),
                "resolved": _counts(d.resolved),
                "still_failing": _counts(d.still_failing),
            },
        }
        sys.stdout.buffer.write(json_bytes(doc))
    else:
        _render_diff(d, show_personal_data)
    sys.exit(EXIT_FAIL if d.new else EXIT_OK)
