"""What ``campus-security check`` does with a roster of any format: the pipeline, end to end.

The roster file is opened as a source (:func:`~campus_security.pipeline.sources.open_source`),
evaluated in this process (``--jobs 1``, or by default when it is smaller than one
part), on worker processes (``--jobs N``, by default every core) or on a Dask
cluster (``--dask [ADDRESS]``), and written by a sink: the text report (a block per
school up to :data:`~campus_security.pipeline.sinks.DETAIL_LIMIT` schools, counts
beyond) or the JSON report document. On a terminal a progress bar runs on standard
error for big rosters.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..engine import Report, SchoolResult, Standard
from ..errors import RosterError
from ..model import DeviceStatus, Every, School
from ..plugins import PluginManager
from ..report import render_summary
from ..reports import ReportOptions, report_format
from .parallel import Setup
from .run import Sink, run
from .sinks import DETAIL_LIMIT, TextReportSink
from .sources import Source, open_source

__all__ = [
    "DETAIL_LIMIT",
    "STREAMED_SUFFIXES",
    "check_lines",
    "check_source",
    "is_streamed",
    "summarise",
]

STREAMED_SUFFIXES = (".json", ".jsonl")
PROGRESS_BYTES = 4 << 20
"""A progress bar is shown for rosters larger than this (on a terminal)."""

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def is_streamed(path: Path) -> bool:
    """Whether ``check`` reads this roster part by part (JSON, JSON Lines) rather than whole."""
    return path.suffix.lower() in STREAMED_SUFFIXES


def summarise(
    schools: Sequence[School],
    results: Sequence[SchoolResult],
    report: Report,
    standards: Sequence[Standard],
    console: Console,
) -> None:
    """Print the summary of a roster evaluated whole (kept for callers of 0.1)."""
    from ..engine.summary import StreamSummary

    summary = StreamSummary()
    for school, result in zip(schools, results, strict=True):
        summary.add(school, result)
    render_summary(summary, report.rates, standards, report.on, console)


@contextlib.contextmanager
def _progress(quiet: bool = False) -> Iterator[Progress | None]:
    if quiet or not sys.stderr.isatty():
        yield None
        return
    progress = Progress(
        TextColumn("[bold]检查 / checking[/]"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with progress:
        yield progress


def check_source(
    source: Source | Sequence[Source],
    on: dt.date,
    pm: PluginManager,
    selected: Sequence[Standard],
    *,
    fmt: str,
    output: Path | None,
    show_personal_data: bool,
    verbose: bool = False,
    by_region: bool = False,
    device_status: Mapping[str, DeviceStatus] | None,
    jobs: int | None,
    dask_address: str | None,
    since: dt.date | None = None,
    rate_every: Every = Every.QUARTER,
    rules: Sequence[str] = (),
    skip_rules: Sequence[str] = (),
    schools: Sequence[str] = (),
    regions: Sequence[str] = (),
    quiet: bool = False,
    color: bool | None = None,
    extra_sinks: Sequence[Sink] = (),
) -> int:
    """Run roster sources (one or several: one report) through the pipeline for ``check``.

    Returns the exit status. ``since``: a review window ``since``..``on`` (``check
    --from/--to``); ``by_region``: the text report's full table of rates by city and county
    (``check --by-region``). ``rules``, ``skip_rules``, ``schools`` and ``regions`` choose
    what is checked (``campus_security.pipeline.filters``); ``selected`` is narrowed to the
    rules kept. ``quiet``: no report unless to ``output``, no progress bar. ``color``:
    force colour on or off in the text report (``None``: as the terminal and
    ``NO_COLOR``/``FORCE_COLOR`` say).
    ``extra_sinks``: more sinks after the report's (a results store: ``check --store``),
    finished after it.
    """
    sources = [source] if isinstance(source, Source) else list(source)
    setup = Setup(
        on=on,
        block=tuple(sorted(pm.blocked)),
        standard_ids=tuple(s.id for s in selected),
        show_personal_data=show_personal_data,
        device_status=tuple(sorted((device_status or {}).items())),
        since=since,
        rate_every=rate_every,
        rules=tuple(rules),
        skip_rules=tuple(skip_rules),
        schools=tuple(schools),
        regions=tuple(regions),
    )
    selected = setup.select(selected)
    chosen = report_format(fmt)
    silent = quiet and output is None
    if not silent and not chosen.terminal and output is None and sys.stdout.isatty():
        raise click.UsageError(
            f"{fmt} 报告不能写到终端，请用 --output / a {fmt} report cannot go to a terminal: "
            "give --output FILE (or redirect standard output)"
        )
    sinks: list[Sink] = []
    if not silent:
        sinks.append(
            chosen.make(
                ReportOptions(
                    output,
                    show_personal_data=show_personal_data,
                    verbose=verbose,
                    by_region=by_region,
                    plugin_failures=tuple(pm.failures),
                    rosters=tuple(s.name for s in sources),
                    versions=pm.versions(),
                    color=color,
                )
            )
        )
    with _progress(quiet) as progress:
        task = None
        counted: list[int | None] = []
        sizes: list[int] = []

        def opened(src: Source, _mode: str) -> None:
            nonlocal task
            counted.append(src.count)
            sizes.append(src.size if src.splits else (src.count or 0))
            known = None if None in counted else sum(c or 0 for c in counted)
            for sink in sinks:
                if isinstance(sink, TextReportSink):
                    sink.detail = sink.wants_findings = sink.wants_names = verbose or (
                        known is not None and known <= DETAIL_LIMIT
                    )
            if progress is not None and len(counted) == len(sources):
                total = sum(sizes)
                if (src.splits and total >= PROGRESS_BYTES) or (
                    not src.splits and total > DETAIL_LIMIT
                ):
                    task = progress.add_task("check", total=total)

        def advance(n: int) -> None:
            if progress is not None and task is not None:
                progress.advance(task, n)

        try:
            outcome = run(
                sources,
                setup,
                sinks=[*sinks, *extra_sinks],
                jobs=jobs,
                dask=dask_address,
                standards=selected,
                on_progress=advance,
                on_open=opened,
            )
        except RosterError as exc:
            click.echo(str(exc), err=True)  # plain lines: paths must not be wrapped
            return EXIT_USAGE
        except OSError as exc:
            raise click.UsageError(f"无法写入 / cannot write {output}: {exc.strerror}") from None
    if (schools or regions) and not outcome.summary.schools and not quiet:
        click.echo(
            "注意：没有学校符合 --school/--region / note: no school matches --school/--region",
            err=True,
        )
    return EXIT_FAIL if outcome.failed else EXIT_OK


def check_lines(
    path: Path,
    on: dt.date,
    pm: PluginManager,
    selected: Sequence[Standard],
    *,
    fmt: str,
    output: Path | None,
    show_personal_data: bool,
    device_status: Mapping[str, DeviceStatus] | None,
    jobs: int | None,
    dask_address: str | None,
) -> int:
    """``check`` on a roster file of any format (the name is kept from 0.1)."""
    return check_source(
        open_source(path),
        on,
        pm,
        selected,
        fmt=fmt,
        output=output,
        show_personal_data=show_personal_data,
        device_status=device_status,
        jobs=jobs,
        dask_address=dask_address,
    )
