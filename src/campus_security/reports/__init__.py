"""Report formats: every format ``check --format`` writes is a sink of the one pipeline.

A format is a :class:`ReportFormat`: its name, what it is for (both languages), and a
factory that makes its :class:`~campus_security.pipeline.Sink` from the run's
:class:`ReportOptions`. :data:`FORMATS` holds the library's formats; the command line
offers exactly these, and an unknown name is a usage error that lists them.

Every format renders the report document (``docs/report-format.md``, the JSON Schema
``campus_security/report.schema.json``): the finding documents each part carries
(:attr:`~campus_security.pipeline.PartResult.findings`), then at the end the
:class:`~campus_security.pipeline.Outcome` (summary, rates, standards). No format reads
the roster again or evaluates anything itself, and each writes its file atomically
(:class:`~campus_security.pipeline.Output`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..pipeline.run import Sink
from ..pipeline.sinks import JsonReportSink, TextReportSink
from .csv import CsvReportSink
from .junit import JunitReportSink
from .sarif import SarifReportSink

__all__ = ["FORMATS", "ReportFormat", "ReportOptions", "report_format"]


@attrs.frozen
class ReportOptions:
    """What a run tells its report sink, whatever the format."""

    output: Path | None = None
    """The file to write (``None``: standard output)."""
    show_personal_data: bool = False
    """Show ID numbers in full (masked by default)."""
    verbose: bool = False
    """Text: every finding and its evidence, whatever the roster's size; CSV and SARIF:
    passing findings too."""
    by_region: bool = False
    """Text: the full table of rates by city and county (the other formats always hold it)."""
    plugin_failures: Iterable[Any] = ()
    """The plugins that failed to load or broke (reported, never silenced)."""
    rosters: tuple[str, ...] = ()
    """The roster files read, as named on the command line (locations for SARIF)."""
    versions: Mapping[str, Any] = attrs.field(factory=dict)
    """The library's and each plugin distribution's version."""
    color: bool | None = None
    """Text: colour forced on (``--color``) or off (``--no-color``); ``None``: as the
    terminal and the ``NO_COLOR``/``FORCE_COLOR`` environment say."""


@attrs.frozen
class ReportFormat:
    """One format ``check --format NAME`` can write."""

    name: str
    title: str
    """What it is and who reads it, Chinese then English."""
    make: Callable[[ReportOptions], Sink]
    terminal: bool = True
    """Whether it may be written to a terminal (binary formats need ``--output``)."""


def _text(options: ReportOptions) -> Sink:
    # ``detail`` is settled when the source is open (pipeline.cli): by its count of schools
    return TextReportSink(
        options.output,
        detail=True,
        verbose=options.verbose,
        show_personal_data=options.show_personal_data,
        by_region=options.by_region,
        color=options.color,
    )


def _json(options: ReportOptions) -> Sink:
    return JsonReportSink(
        options.output,
        plugin_failures=options.plugin_failures,
        show_personal_data=options.show_personal_data,
    )


def _html(options: ReportOptions) -> Sink:
    from .html import HtmlReportSink  # Jinja2 and the templates only when asked for

    return HtmlReportSink(
        options.output,
        show_personal_data=options.show_personal_data,
        plugin_failures=options.plugin_failures,
        versions=options.versions,
        rosters=options.rosters,
    )


def _csv(options: ReportOptions) -> Sink:
    return CsvReportSink(
        options.output,
        verbose=options.verbose,
        show_personal_data=options.show_personal_data,
    )


def _sarif(options: ReportOptions) -> Sink:
    return SarifReportSink(
        options.output,
        verbose=options.verbose,
        show_personal_data=options.show_personal_data,
        rosters=options.rosters,
        versions=options.versions,
        plugin_failures=options.plugin_failures,
    )


def _junit(options: ReportOptions) -> Sink:
    return JunitReportSink(
        options.output,
        show_personal_data=options.show_personal_data,
        versions=options.versions,
        plugin_failures=options.plugin_failures,
    )


FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat("text", "终端文本报告 / text for a terminal", _text),
        ReportFormat("json", "JSON 报告文档（有 JSON Schema）/ the JSON report document", _json),
        ReportFormat(
            "html",
            "自包含的网页报告（图表、可筛选的不合格项）/ a self-contained web page for a "
            "director (charts, a filterable table of failing findings)",
            _html,
            terminal=False,
        ),
        ReportFormat("csv", "CSV 表格，每条结果一行 / CSV, a row per finding", _csv),
        ReportFormat("sarif", "SARIF 2.1.0，供代码扫描平台 / SARIF for code scanning", _sarif),
        ReportFormat("junit", "JUnit XML，供持续集成 / JUnit XML for CI dashboards", _junit),
    )
}
"""The report formats, by name, in the order ``--help`` lists them."""


def report_format(name: str) -> ReportFormat:
    """The format called ``name``; a :class:`KeyError` naming every format if none is."""
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(FORMATS)
        raise KeyError(
            f"未知的报告格式 {name!r}（可用：{known}）/ unknown report format {name!r} "
            f"(known: {known})"
        ) from None
