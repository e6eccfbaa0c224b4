"""What ``campus-security check`` does with a big roster: stream it, on every core.

A JSON Lines roster is never loaded whole. It is evaluated in this process
(``--jobs 1``, or by default when it is smaller than one part), on worker processes
(``--jobs N``, by default every core) or on a Dask cluster (``--dask [ADDRESS]``).
Text output is a summary (counts per standard and status, the most failed rules, the
first failing schools, the rates) rather than one line per finding; JSON output is
the usual report document with the findings streamed into it. On a terminal a
progress bar runs on standard error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from .._atomic import atomic_write
from ..engine import Report, SchoolResult, Standard
from ..errors import RosterError
from ..model import DeviceStatus, Every, School
from ..plugins import PluginManager
from .jsonl import open_lines
from .parallel import PART_BYTES, Setup, available_cores, evaluate_parallel
from .report import JsonReportWriter, render_summary
from .stream import PartResult, StreamSummary, evaluate_lines

__all__ = ["DETAIL_LIMIT", "STREAMED_SUFFIXES", "check_lines", "is_streamed", "summarise"]

DETAIL_LIMIT = 1000
"""Above this many schools, text output summarises instead of listing findings."""

STREAMED_SUFFIXES = (".jsonl",)
PROGRESS_BYTES = 4 << 20
"""A progress bar is shown for rosters larger than this (on a terminal)."""

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def is_streamed(path: Path) -> bool:
    """Whether ``check`` streams this roster (JSON Lines) rather than loading it whole."""
    return path.suffix.lower() in STREAMED_SUFFIXES


def summarise(
    schools: Sequence[School],
    results: Sequence[SchoolResult],
    report: Report,
    standards: Sequence[Standard],
    console: Console,
) -> None:
    """Print the summary of a roster evaluated whole (text output of a big ``.json``)."""
    summary = StreamSummary()
    for school, result in zip(schools, results, strict=True):
        summary.add(school, result)
    render_summary(summary, report.rates, standards, report.on, console, since=report.since)


@overload
def open_output(output: Path) -> contextlib.AbstractContextManager[BinaryIO]: ...
@overload
def open_output(output: Path, mode: Literal["w"]) -> contextlib.AbstractContextManager[TextIO]: ...
def open_output(
    output: Path, mode: Literal["wb", "w"] = "wb"
) -> contextlib.AbstractContextManager[IO[Any]]:
    """A report file, written atomically (``_atomic.atomic_write``); cannot write: usage error.

    The file replaces ``output`` when the block ends normally; an exception leaves the
    earlier file (or none) as it was.
    """
    return _output(output, mode)


@contextlib.contextmanager
def _output(output: Path, mode: Literal["wb", "w"]) -> Iterator[IO[Any]]:
    try:
        with atomic_write(output, mode) as f:
            yield f
    except OSError as exc:
        raise click.UsageError(f"无法写入 / cannot write {output}: {exc.strerror}") from None


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Progress | None]:
    if total < PROGRESS_BYTES or not sys.stderr.isatty():
        yield None
        return
    progress = Progress(
        TextColumn("[bold]检查 / checking[/]"),
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with progress:
        yield progress


def _mode(jobs: int | None, dask_address: str | None, body: int) -> str:
    if dask_address is not None:
        return "dask"
    if jobs == 1 or (jobs is None and (body <= PART_BYTES or available_cores() == 1)):
        return "process"
    return "parallel"


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
    since: dt.date | None = None,
    rate_every: Every = Every.QUARTER,
) -> int:
    """Evaluate a JSON Lines roster for ``check``, print or write the report, return the status.

    ``since``: a review window ``since``..``on`` (``check --from/--to``).
    """
    try:
        roster = open_lines(path)
    except RosterError as exc:
        click.echo(str(exc), err=True)
        return EXIT_USAGE
    setup = Setup(
        on=on,
        block=tuple(sorted(pm.blocked)),
        standard_ids=tuple(s.id for s in selected),
        collect_findings=fmt == "json",
        show_personal_data=show_personal_data,
        device_status=tuple(sorted((device_status or {}).items())),
        since=since,
        rate_every=rate_every,
    )
    mode = _mode(jobs, dask_address, roster.size - roster.schools_offset)
    # Written atomically: a reader sees the old report or the whole new one; a roster
    # with problems leaves no new report (an earlier one of the same name stays).
    try:
        with contextlib.ExitStack() as files:
            out: BinaryIO | None = None
            if fmt == "json":
                out = files.enter_context(open_output(output)) if output else sys.stdout.buffer
            writer = JsonReportWriter(out, on, since) if out is not None else None
            with _progress(roster.size - roster.schools_offset) as progress:
                task = (
                    progress.add_task("check", total=roster.size - roster.schools_offset)
                    if progress
                    else None
                )

                def advance(n: int) -> None:
                    if progress is not None and task is not None:
                        progress.advance(task, n)

                def on_part(part: PartResult) -> None:
                    if writer is not None:
                        writer.add(part.findings)
                    advance(part.end - part.start)

                if mode == "dask":
                    from .dask import evaluate_dask

                    address = None if dask_address == "local" else dask_address
                    summary, rates, in_force = evaluate_dask(
                        path, setup, address=address, workers=jobs, on_part=on_part
                    )
                elif mode == "parallel":
                    summary, rates, in_force = evaluate_parallel(
                        path, setup, jobs=jobs, on_part=on_part
                    )
                else:
                    summary, rates, in_force = evaluate_lines(
                        path,
                        selected,
                        on,
                        on_bytes=advance,
                        device_status=device_status,
                        on_findings=writer.add if writer is not None else None,
                        show_personal_data=show_personal_data,
                        since=since,
                        rate_every=rate_every,
                    )
            if writer is not None and out is not None:
                extra: dict[str, Any] = {
                    "standards": [s.id for s in in_force],
                    "plugin_failures": [
                        {
                            "plugin": f.plugin,
                            "stage": f.stage,
                            "message": {"zh": f.message.zh, "en": f.message.en},
                        }
                        for f in pm.failures
                    ],
                }
                writer.close(summary, rates, extra)
                if not output:
                    out.flush()
            else:
                console = (
                    Console(file=files.enter_context(open_output(output, "w")), width=120)
                    if output
                    else Console(highlight=False)
                )
                render_summary(summary, rates, in_force, on, console, since=since)
    except RosterError as exc:
        click.echo(str(exc), err=True)
        return EXIT_USAGE
    return EXIT_FAIL if summary.failed(rates) else EXIT_OK
