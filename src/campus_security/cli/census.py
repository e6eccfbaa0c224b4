"""``campus-security import`` and ``export``: census spreadsheets in and out.

``import FORM.xlsx -o roster.json`` reads a guard census form (XLSX, XLS, XLSM, ODS or
CSV) into a roster; ``export roster.json --form guard-census -o form.xlsx`` writes a
form from a roster. ``docs/census.md`` is the reference.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console

from ..errors import RosterError
from ..formats import dumps_roster, read_roster
from ..formats.census import (
    EXPORT_SUFFIXES,
    find_layout,
    import_census,
    write_census,
)
from ..model import Roster
from ._app import EXIT_USAGE, block_option, load_plugins, main, write_output


def _fail(exc: RosterError) -> NoReturn:
    click.echo(str(exc), err=True)  # plain lines: cell references must not be wrapped
    sys.exit(EXIT_USAGE)


@main.command("import")
@click.argument("form", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the roster (JSON) to this file instead of standard output. A roster holds "
    "ID numbers in full (personal data); see --mask-personal-data.",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Merge into this roster: sheets update its schools (matched by sheet name = "
    "school id, or by 填报单位 = school name) and add the others.",
)
@click.option(
    "--region-code",
    metavar="CODE",
    help="GB/T 2260 region code (行政区划代码) of every new school whose sheet does not state one.",
)
@click.option(
    "--kind",
    metavar="KIND",
    help="School kind of every new school whose sheet does not state one: kindergarten, "
    "primary, secondary, combined, vocational (or 幼儿园, 小学, 中学…).",
)
@click.option(
    "--mask-personal-data",
    is_flag=True,
    help="Mask every ID number (and any other run of 15 or more digits) as reports do, "
    "for a roster to be shared. The roster is marked as masked in its header and cannot "
    "be read or checked again.",
)
@block_option
def import_(
    form: Path,
    output: Path | None,
    into: Path | None,
    region_code: str | None,
    kind: str | None,
    mask_personal_data: bool,
    block: tuple[str, ...],
) -> None:
    """Read a guard census form (XLSX, XLS, ODS or CSV) into a roster.

    读取保安员基本情况调查表，生成名册（JSON）。一个工作表为一所学校。
    名册含完整身份证号码（个人信息）；供共享时请加 --mask-personal-data（脱敏后不能再读取）。

    The roster holds the guards' ID numbers in full, as any roster does:
    --mask-personal-data masks them (and marks the roster as masked, so it is not read
    back as if it were complete).
    """
    base: Roster | None = None
    if into is not None:
        try:
            base = read_roster(into)
        except RosterError as exc:
            _fail(exc)
    pm = load_plugins(block)
    try:
        result = import_census(
            form, into=base, region_code=region_code, kind=kind, layouts=pm.census_forms()
        )
    except RosterError as exc:
        _fail(exc)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for note in result.notes:
        err.print(f"注意 / note: {note}", markup=False)
    write_output(output, dumps_roster(result.roster, mask_personal_data=mask_personal_data))
    if output is not None:
        n_schools = len(result.roster.schools)
        n_guards = sum(len(s.guards) for s in result.roster.schools)
        err.print(
            f"{output}: {n_schools} 所学校 / school(s), {n_guards} 名保安员 / guard(s)",
            markup=False,
        )


@main.command("export")
@click.argument("roster", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--form",
    "form_id",
    default="guard-census",
    show_default=True,
    metavar="ID",
    help="The form's layout: guard-census, school-census, or one a plugin provides.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The file to write: .xlsx (for people) or .csv (for systems).",
)
@click.option(
    "--show-personal-data",
    is_flag=True,
    help="Write ID numbers and the contact's phone number in full (masked by default); "
    "needed for a form that goes back to the police or is imported again.",
)
@click.option(
    "--school-codes/--no-school-codes",
    default=True,
    show_default=True,
    help="Write 行政区划代码 and 学校类别 in each sheet's header line, so that the form can "
    "be checked or imported again without options; --no-school-codes writes the form "
    "exactly as printed.",
)
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="School census: the census date ages are counted on (default: today in China).",
)
@click.option("--unit", metavar="TEXT", help="School census: 填报单位 of the header.")
@click.option("--contact", metavar="TEXT", help="School census: 联系人及联系方式 of the header.")
@block_option
def export(
    roster: Path,
    form_id: str,
    output: Path,
    show_personal_data: bool,
    school_codes: bool,
    on: dt.datetime | None,
    unit: str | None,
    contact: str | None,
    block: tuple[str, ...],
) -> None:
    """Write a census form from ROSTER (any roster format, a census form included).

    The guard census has one sheet per school, the school census one row per school.

    按名册导出调查表：保安员基本情况调查表（一校一表）或学校汇总表。
    """
    pm = load_plugins(block)
    layouts = pm.census_forms()
    layout = find_layout(form_id, layouts)
    if layout is None:
        known = ", ".join(lay.id for lay in layouts)
        raise click.UsageError(f"未知的表格 / unknown form: {form_id} (known: {known})")
    if output.suffix.lower() not in EXPORT_SUFFIXES:
        known = ", ".join(EXPORT_SUFFIXES)
        raise click.UsageError(
            f"不支持的导出类型 / unsupported export type {output.suffix!r} (supported: {known})"
        )
    try:
        data = read_roster(roster)
    except RosterError as exc:
        _fail(exc)
    try:
        write_census(
            data,
            output,
            layout=layout,
            show_personal_data=show_personal_data,
            on=on.date() if on else None,
            school_codes=school_codes,
            unit=unit,
            contact=contact,
        )
    except OSError as exc:
        raise click.UsageError(f"无法写入 / cannot write {output}: {exc.strerror}") from None
