"""Sinks: where the results of a run go, part by part, in roster order.

- :class:`JsonReportSink`: the JSON report document, written by the one writer
  (:class:`~campus_security.report.JsonReportWriter`) with the findings streamed in;
- :class:`TextReportSink`: the text report. A roster of at most
  :data:`DETAIL_LIMIT` schools (or any roster with ``verbose``) gets a block per
  school; a bigger one is summarised by counts, whatever its format.

Both write atomically (:class:`Output`): through the library's atomic writer to a
temporary file beside the target, synced and renamed over it when the run ends
without a problem, or for standard output to a spooled temporary file copied out at
the end, so that a roster with problems leaves no report and no half-written output.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import orjson
from rich.console import Console

from .._atomic import atomic_write
from ..engine import Standard, Status
from ..report import (
    JsonReportWriter,
    render_counts,
    render_header,
    render_rates,
    render_regional_rates,
    render_school,
    render_summary,
    render_uncovered,
    summary_document,
)
from .run import Outcome
from .stream import PartResult

__all__ = [
    "DETAIL_LIMIT",
    "JsonReportSink",
    "JsonReportWriter",
    "Output",
    "TextReportSink",
    "render_summary",
    "summary_document",
]

DETAIL_LIMIT = 1000
"""Above this many schools, the text report summarises instead of listing schools."""
SPOOL_BYTES = 16 << 20
"""Standard output is held in memory up to this size, then in a temporary file."""


class _Discarded(Exception):
    """Thrown into the atomic writer to drop its temporary file."""


class Output:
    """A binary file written atomically, or standard output written at the end.

    ``path`` ``None`` means standard output, held in a spooled temporary file until
    :meth:`commit` copies it out; a path is written through
    ``campus_security._atomic.atomic_write`` (a temporary file beside the target,
    synced and renamed over it by :meth:`commit`). :meth:`discard` leaves nothing.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stack = contextlib.ExitStack()
        self.file: IO[bytes]
        if path is None:
            spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
            self.file = self._stack.enter_context(spool)
        else:
            self.file = self._stack.enter_context(atomic_write(path))

    def commit(self) -> None:
        """Publish the output: rename the synced file over the target, or copy to stdout."""
        if self.path is None:
            self.file.seek(0)
            shutil.copyfileobj(self.file, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        self._stack.close()

    def discard(self) -> None:
        """Drop what was written."""
        self._stack.__exit__(_Discarded, _Discarded(), None)


class JsonReportSink:
    """Writes the JSON report document, findings streamed in roster order."""

    wants_findings = True
    wants_names = False

    def __init__(
        self,
        output: Path | None,
        *,
        plugin_failures: Iterable[Any] = (),
        show_personal_data: bool = False,
    ) -> None:
        self.output = output
        self.plugin_failures = plugin_failures
        self.show_personal_data = show_personal_data
        self._out: Output | None = None
        self._writer: JsonReportWriter | None = None

    def start(
        self, on: dt.date, standards: Sequence[Standard], since: dt.date | None = None
    ) -> None:
        """Open the output and write the document's head."""
        self._out = Output(self.output)
        self._writer = JsonReportWriter(self._out.file, on, [s.id for s in standards], since=since)

    def part(self, result: PartResult) -> None:
        """Append the part's findings."""
        assert self._writer is not None
        self._writer.add(result.findings)

    def finish(self, outcome: Outcome) -> None:
        """Write the counts, rates and totals; publish the file."""
        assert self._writer is not None and self._out is not None
        self._writer.close(
            outcome.summary,
            outcome.rates,
            plugin_failures=list(self.plugin_failures),
            show_personal_data=self.show_personal_data,
            regional_rates=outcome.regional_rates,
        )
        self._out.commit()

    def abort(self) -> None:
        """Leave no report."""
        if self._out is not None:
            self._out.discard()


class TextReportSink:
    """Writes the text report: school blocks for a small roster, counts for a big one.

    ``detail`` (decided before the run, from the source's count of schools) keeps
    each school's findings until the end and prints a block per school with
    findings, in school id order, then the schools no standard covers, the rates and
    the counts; otherwise only counts are kept (:func:`~campus_security.report.render_summary`).
    ``by_region`` adds the full table of rates by city and county after the rates.
    """

    wants_findings = False
    wants_names = False

    def __init__(
        self,
        output: Path | None,
        *,
        detail: bool,
        verbose: bool = False,
        show_personal_data: bool = False,
        console: Callable[[IO[str]], Console] | None = None,
        by_region: bool = False,
        color: bool | None = None,
    ) -> None:
        self.output = output
        self.color = color
        """``True``: colour forced on (``--color``); ``False``: off; ``None``: as the terminal
        and ``NO_COLOR``/``FORCE_COLOR`` say (rich reads them)."""
        self.detail = detail
        self.verbose = verbose
        self.by_region = by_region
        """After the jurisdictions' rates, the full table of rates by city and county."""
        self.show_personal_data = show_personal_data
        self.wants_findings = self.wants_names = detail
        self._console = console
        self._out: Output | None = None
        self._on = dt.date.min
        self._schools: list[tuple[str, str, list[dict[str, Any]]]] = []

    def start(
        self, on: dt.date, standards: Sequence[Standard], since: dt.date | None = None
    ) -> None:
        """Remember the date; open the output."""
        self._on = on
        self._out = Output(self.output)

    def part(self, result: PartResult) -> None:
        """Keep the schools and their findings (detail only)."""
        if not self.detail or result.names is None:
            return
        docs: list[dict[str, Any]] = orjson.loads(b"[" + (result.findings or b"") + b"]")
        by_school: dict[str, list[dict[str, Any]]] = {}
        for d in docs:
            by_school.setdefault(d["school_id"], []).append(d)
        for sid, name in result.names:
            self._schools.append((sid, name, by_school.pop(sid, [])))

    def _make_console(self, text: IO[str]) -> Console:
        if self._console is not None:
            return self._console(text)
        if self.color is False:  # --no-color
            return Console(file=text, width=self._width(), color_system=None, highlight=False)
        if self.color:  # --color: colours whatever the terminal (a dumb one: 16 colours)
            probe = Console(highlight=False, force_terminal=True)
            return Console(
                file=text,
                width=self._width(),
                color_system=probe.color_system or "standard",  # type: ignore[arg-type]
                force_terminal=True,
                highlight=False,
            )
        if self.output is None:  # as standard output would show it (NO_COLOR, FORCE_COLOR)
            probe = Console(highlight=False)
            return Console(
                file=text,
                width=probe.width,
                color_system=probe.color_system,  # type: ignore[arg-type]
                force_terminal=probe.is_terminal,
                highlight=False,
            )
        return Console(file=text, width=120)

    def _width(self) -> int:
        return Console(highlight=False).width if self.output is None else 120

    def finish(self, outcome: Outcome) -> None:
        """Render the report and publish it."""
        assert self._out is not None
        import io

        text = io.TextIOWrapper(self._out.file, encoding="utf-8", write_through=True)
        console = self._make_console(text)
        if self.detail:
            render_header(console, outcome.on, outcome.since)
            covered = sorted((s for s in self._schools if s[2]), key=lambda s: s[0])
            show = self.show_personal_data
            for sid, name, findings in covered:
                render_school(
                    console,
                    sid,
                    name,
                    findings,
                    verbose=self.verbose,
                    show_personal_data=show,
                    window=outcome.since is not None,
                )
            uncovered = [sid for sid, _name, findings in self._schools if not findings]
            render_uncovered(console, uncovered, len(uncovered), show_personal_data=show)
            render_rates(console, outcome.rates)
            if self.by_region:
                render_regional_rates(console, outcome.regional_rates)
            counts = outcome.status_counts()
            render_counts(console, {s: counts[s] for s in Status})
        else:
            render_summary(
                outcome.summary,
                outcome.rates,
                outcome.standards,
                outcome.on,
                console,
                show_personal_data=self.show_personal_data,
                since=outcome.since,
                regional_rates=outcome.regional_rates if self.by_region else (),
            )
        text.flush()
        text.detach()
        self._out.commit()

    def abort(self) -> None:
        """Leave no report."""
        if self._out is not None:
            self._out.discard()
