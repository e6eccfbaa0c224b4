"""``campus-security check``: evaluate a roster as of a date."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from ..engine import Evaluator, Report, Status
from ..errors import RosterError
from ..formats import read_roster
from ..model import today_in_china
from ..report import render_text, report_document
from ._app import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_USAGE,
    block_option,
    json_bytes,
    load_plugins,
    main,
    write_output,
)


@main.command()
@click.argument("roster", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluation date YYYY-MM-DD (default: today in China, UTC+8).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--standard",
    "standards",
    multiple=True,
    metavar="ID",
    help="Only evaluate these standards (repeatable).",
)
@click.option(
    "--show-personal-data",
    is_flag=True,
    help="Show ID numbers in full (they are masked by default).",
)
@click.option("--verbose", "-v", is_flag=True, help="Text: show every finding and its evidence.")
@block_option
def check(
    roster: Path,
    on: dt.datetime | None,
    fmt: str,
    output: Path | None,
    standards: tuple[str, ...],
    show_personal_data: bool,
    verbose: bool,
    block: tuple[str, ...],
) -> None:
    """Evaluate ROSTER as of a date against every installed standard that applies.

    按评估日期，用适用于各校的全部已安装标准检查名册。
    """
    when = on.date() if on else today_in_china()
    try:
        data = read_roster(roster)
    except RosterError as exc:
        click.echo(str(exc), err=True)  # plain lines: paths must not be wrapped
        sys.exit(EXIT_USAGE)
    pm = load_plugins(block)
    selected = pm.standards()
    if standards:
        unknown = sorted(set(standards) - {s.id for s in selected})
        if unknown:
            raise click.UsageError(f"未安装的标准 / unknown standard: {', '.join(unknown)}")
        selected = tuple(s for s in selected if s.id in standards)
    ev = Evaluator(selected, when, companies=data.companies)
    results = [ev.school(s) for s in data.schools]
    report = Report.combine(when, (f for r in results for f in r.findings), ev.rates(results))
    if fmt == "json":
        extra: dict[str, Any] = {
            "standards": [s.id for s in ev.standards],
            "plugin_failures": [
                {
                    "plugin": f.plugin,
                    "stage": f.stage,
                    "message": {"zh": f.message.zh, "en": f.message.en},
                }
                for f in pm.failures
            ],
        }
        doc = report_document(report, show_personal_data=show_personal_data, extra=extra)
        write_output(output, json_bytes(doc))
    else:
        console = (
            Console(file=output.open("w", encoding="utf-8"), width=120)
            if output
            else Console(highlight=False)
        )
        render_text(
            report,
            console,
            schools=data.schools,
            verbose=verbose,
            show_personal_data=show_personal_data,
        )
        if output:
            console.file.close()
    sys.exit(EXIT_FAIL if report.failed or report.by_status(Status.ERROR) else EXIT_OK)
