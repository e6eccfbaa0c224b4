"""The ``campus-security`` command line: an edge over the library's public API.

Exit status, as linters do: 0 when nothing fails, 1 when a rule fails, a rule breaks
or a due target is not met, 2 on bad input or usage.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import orjson
from rich.console import Console

from . import __version__
from .engine import Evaluator, Report, Status
from .errors import CampusSecurityError, RosterError
from .formats import load_roster
from .model import today_in_china
from .plugins import PluginManager
from .report import render_rules, render_text, report_document, standard_document

__all__ = ["main"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _manager(block: Sequence[str]) -> PluginManager:
    pm = PluginManager(block=block)
    pm.standards()  # collect now so that failures are known before output
    err = _stderr()
    for failure in pm.failures:
        err.print(f"[yellow]插件问题 / plugin problem[/] {failure}", markup=True)
    return pm


def _write(output: Path | None, text: str | bytes) -> None:
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
        else:
            click.echo(text, nl=False)
        return
    try:
        if isinstance(text, bytes):
            output.write_bytes(text)
        else:
            output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"无法写入 / cannot write {output}: {exc.strerror}") from None


def _report_roster_error(exc: RosterError) -> None:
    click.echo(str(exc), err=True)  # plain lines: paths must not be wrapped


_block_option = click.option(
    "--block-plugin",
    "block",
    multiple=True,
    metavar="NAME",
    help="Do not load the plugin of this entry-point name (repeatable).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campus-security")
def main() -> None:
    """campus-security: check school security rosters against regional standards.

    校园安全防范名册检查：按地方标准检查中小学幼儿园安全防范名册。
    """


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
@_block_option
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
        data = load_roster(roster)
    except RosterError as exc:
        _report_roster_error(exc)
        sys.exit(EXIT_USAGE)
    pm = _manager(block)
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
        _write(output, orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
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


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--standard",
    "standards",
    multiple=True,
    metavar="ID",
    help="Only list these standards (repeatable).",
)
@_block_option
def rules(fmt: str, standards: tuple[str, ...], block: tuple[str, ...]) -> None:
    """List the installed standards and their rules with citations.

    列出已安装的标准及其规则和出处。
    """
    pm = _manager(block)
    selected = [s for s in pm.standards() if not standards or s.id in standards]
    if fmt == "json":
        doc = {"standards": [standard_document(s) for s in selected]}
        _write(None, orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    else:
        render_rules(selected, Console(highlight=False))


@main.command()
@_block_option
def plugins(block: tuple[str, ...]) -> None:
    """List the loaded plugins, what they provide, and any that failed.

    列出已加载的插件及加载失败的插件。
    """
    pm = _manager(block)
    console = Console(highlight=False)
    for name in pm.plugin_names:
        console.print(name)
    for s in pm.standards():
        console.print(f"  standard {s.id}: {len(s.rules)} rules, {len(s.targets)} targets")
    for a in pm.device_adapters():
        console.print(f"  device adapter {a.name}: {', '.join(a.protocols)}")
    if pm.failures:
        sys.exit(EXIT_FAIL)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI in-process and return the exit status (for tests and embedding)."""
    try:
        main.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except CampusSecurityError as exc:
        _stderr().print(str(exc), markup=False)
        return EXIT_USAGE
    return EXIT_OK
