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
def _progress() -> Iterator[Progress | None]:
    if not sys.stderr.isatty():
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
    source: Source,
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
) -> int:
    """Run a roster source through the pipeline for ``check``; return the exit status.

    ``since``: a review window ``since``..``on`` (``check --from/--to``); ``by_region``:
    the text report's full table of rates by city and county (``check --by-region``).
    """
    setup = Setup(
        on=on,
        block=tuple(sorted(pm.blocked)),
        standard_ids=tuple(s.id for s in selected),
        show_personal_data=show_personal_data,
        device_status=tuple(sorted((device_status or {}).items())),
        since=since,
        rate_every=rate_every,
    )
    chosen = report_format(fmt)
    if not chosen.terminal and output is None and sys.stdout.isatty():
        raise click.UsageError(
            f"{fmt} 报告不能写到终端，请用 --output / a {fmt} report cannot go to a terminal: "
            "give --output FILE (or redirect standard output)"
        )
    sink: Sink = chosen.make(
        ReportOptions(
            output,
            show_personal_data=show_personal_data,
            verbose=verbose,
            by_region=by_region,
            plugin_failures=tuple(pm.failures),
            rosters=(source.name,),
            versions=pm.versions(),
        )
    )
    with _progress() as progress:
        task = None

        def opened(src: Source, _mode: str) -> None:
            nonlocal task
            if isinstance(sink, TextReportSink):
                sink.detail = sink.wants_findings = sink.wants_names = verbose or (
                    src.count is not None and src.count <= DETAIL_LIMIT
                )
            if progress is not None:
                total = src.size if src.splits else (src.count or 0)
                if (src.splits and total >= PROGRESS_BYTES) or (
                    not src.splits and total > DETAIL_LIMIT
                ):
                    task = progress.add_task("check", total=total)

        def advance(n: int) -> None:
            if progress is not None and task is not None:
                progress.advance(task, n)

        try:
            outcome = run(
                source,
                setup,
                sinks=[sink],
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
