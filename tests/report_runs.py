"""Helpers of the report format tests: one run into every format, and reading them back."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson
from junitparser import JUnitXml

from campus_security.pipeline import Outcome, Source, run
from campus_security.pipeline.parallel import Setup
from campus_security.reports import FORMATS, ReportOptions
from campus_security.reports.csv import restore_cell

ON = dt.date(2024, 11, 20)
VENDOR = Path(__file__).parent / "vendor"
MACHINE_FORMATS = ("json", "csv", "sarif", "junit")


def run_formats(
    source: Source,
    standards: Sequence[Any],
    folder: Path,
    *,
    formats: Iterable[str] = MACHINE_FORMATS,
    verbose: bool = False,
    show_personal_data: bool = False,
    rosters: tuple[str, ...] = (),
    versions: dict[str, Any] | None = None,
    plugin_failures: Sequence[Any] = (),
    jobs: int | None = 1,
    part_bytes: int | None = None,
    on: dt.date = ON,
    since: dt.date | None = None,
) -> tuple[dict[str, Path], Outcome]:
    """One run of ``source`` into every format of ``formats`` (through the registry)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"report.{name}" for name in formats}
    sinks = [
        FORMATS[name].make(
            ReportOptions(
                path,
                show_personal_data=show_personal_data,
                verbose=verbose,
                plugin_failures=plugin_failures,
                rosters=rosters,
                versions=versions or {},
            )
        )
        for name, path in paths.items()
    ]
    outcome = run(
        source,
        Setup(on=on, since=since, show_personal_data=show_personal_data),
        sinks=sinks,
        jobs=jobs,
        standards=standards,
        part_bytes=part_bytes,
    )
    return paths, outcome


def json_findings(path: Path) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = orjson.loads(path.read_bytes())["findings"]
    return findings


def csv_rows(path: Path) -> list[dict[str, str]]:
    """The CSV's rows as dicts of restored cells (the header row gives the keys)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{k: restore_cell(v) for k, v in row.items()} for row in csv.DictReader(f)]


def sarif_log(path: Path) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return log


def junit_cases(path: Path) -> list[tuple[str, str, str, str]]:
    """(suite, classname, name, outcome) of every test case; outcome pass/failure/error/skipped."""
    out = []
    for suite in JUnitXml.fromfile(str(path)):
        for case in suite:
            results = case.result
            kind = type(results[0]).__name__.lower() if results else "pass"
            out.append((suite.name, case.classname, case.name, kind))
    return out
