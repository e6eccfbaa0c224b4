"""``campus-security sources`` and ``pull``: record sources, and merging their exports.

``sources`` lists the installed record sources and the export layout each reads;
``pull SOURCE FILE... --into ROSTER -o OUT`` reads the exports, merges their records
into the roster and writes the result (atomically), with a report of what was added,
updated and found in conflict.
"""

from __future__ import annotations

import sys
from pathlib import Path

import attrs
import click
from rich.console import Console
from rich.markup import escape

from .._atomic import write_bytes_atomic
from ..errors import RosterError
from ..formats import dumps_roster, read_roster
from ..model import School
from ..record_sources import describe
from ..record_sources.merge import ChangeKind, merge_records, read_sources
from ._app import EXIT_FAIL, EXIT_OK, EXIT_USAGE, block_option, json_bytes, main, write_output
from ._app import load_plugins as _load_plugins

__all__: list[str] = []


@main.command()
@block_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def sources(block: tuple[str, ...], fmt: str) -> None:
    """List the installed record sources and the export layout each reads.

    列出已安装的数据来源（外部系统导出文件或接口）及其读取的格式。
    """
    pm = _load_plugins(block)
    found = pm.record_sources()
    for failure in pm.failures:
        if failure.stage == "campus_security_record_sources":
            click.echo(f"插件问题 / plugin problem {failure}", err=True)
    if fmt == "json":
        doc = [
            {
                "name": s.name,
                "title": {"zh": s.title.zh, "en": s.title.en},
                "layout": {"zh": s.layout.zh, "en": s.layout.en},
                "suffixes": list(s.suffixes),
                "records": [t.__name__ for t in s.records],
                "templates": list(s.templates),
            }
            for s in found
        ]
        write_output(None, json_bytes(doc))
        return
    out = Console(highlight=False, soft_wrap=True)
    if not found:
        out.print("没有已安装的数据来源 / no record sources installed")
    for s in found:
        reads = ", ".join(s.suffixes) if s.suffixes else "URL (API)"
        out.print(f"[bold]{escape(s.name)}[/]  {escape(str(s.title))}  [dim]({reads})[/]")
        out.print(f"  格式 / layout: {escape(s.layout.zh)}")
        out.print(f"                 {escape(s.layout.en)}")
        if s.records:
            out.print(f"  记录 / records: {describe(s.records)}")
        if s.templates:
            out.print(
                f"  空白表格 / templates: {', '.join(s.templates)} (campus-security template)"
            )


@main.command()
@click.argument("source")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--into",
    "roster_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The roster to merge into (any roster format).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The merged roster to write (.json); may be the --into file itself.",
)
@click.option(
    "--report",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the report of the merge as JSON (ID numbers masked).",
)
@click.option(
    "--school",
    "school_id",
    help="Merge only into this school (its roster id): records of other schools are skipped.",
)
@click.option("-v", "--verbose", is_flag=True, help="Also list what the merge left unchanged.")
@block_option
def pull(
    source: str,
    files: tuple[str, ...],
    roster_path: Path,
    output: Path,
    report: Path | None,
    school_id: str | None,
    verbose: bool,
    block: tuple[str, ...],
) -> None:
    """Merge the records of SOURCE's export FILE(s) into a roster.

    从外部系统导出文件读取记录并合并入名册：报告新增、更新和冲突；名册原有数据不会被静默覆盖。

    Each FILE is read on its own: one that cannot be read is reported and the others
    are merged. Exit status: 0 when everything merged cleanly, 1 when a conflict or a
    problem was reported (the roster is still written), 2 when nothing could be read
    or the roster is bad (nothing written). ``--school ID`` merges into that school
    only: the other schools are left as they are, and records naming another school
    are skipped (their count is reported).
    """
    if output.suffix.lower() != ".json":
        raise click.UsageError("输出文件应以 .json 结尾 / the output must end in .json")
    pm = _load_plugins(block)
    by_name = {s.name: s for s in pm.record_sources()}
    chosen = by_name.get(source)
    if chosen is None:
        known = ", ".join(sorted(by_name)) or "-"
        raise click.UsageError(
            f"没有名为 {source!r} 的数据来源（已安装：{known}） / "
            f"no record source named {source!r} (installed: {known})"
        )
    for f in files:
        if not chosen.reads(f):
            reads = ", ".join(chosen.suffixes) if chosen.suffixes else "http(s) URL"
            raise click.UsageError(
                f"数据来源 {source} 不读取 {f}（可读：{reads}） / "
                f"record source {source} does not read {f} (it reads: {reads})"
            )
    try:
        roster = read_roster(roster_path)
    except RosterError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    whole = roster
    if school_id is not None:
        only = [s for s in roster.schools if s.id == school_id]
        if not only:
            raise click.UsageError(
                f"名册 {roster_path} 中没有编号为 {school_id!r} 的学校 / "
                f"the roster {roster_path} has no school with id {school_id!r}"
            )
        roster = attrs.evolve(roster, schools=only)
    records, problems, failed = read_sources([(chosen, f) for f in files])
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if school_id is not None:
        records, skipped = _of_school(records, roster.schools[0])
        if skipped:
            err.print(
                f"已跳过其他学校的记录 {skipped} 条（--school {escape(school_id)}） / "
                f"skipped {skipped} record(s) of other schools (--school {escape(school_id)})"
            )
    for p in problems:
        err.print(f"[yellow]问题 / problem[/] {escape(str(p))}")
    if failed == len(files):
        err.print("[red]没有读到任何记录，未写入 / nothing could be read; nothing written[/]")
        sys.exit(EXIT_USAGE)
    try:
        merged = merge_records(roster, records, problems)
    except RosterError as exc:  # a merged roster that does not validate
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    result = merged.roster
    if school_id is not None:  # put the merged school back among the others
        (done,) = result.schools
        result = attrs.evolve(
            whole,
            schools=[done if s.id == school_id else s for s in whole.schools],
            companies=result.companies,
        )
    colour = {
        ChangeKind.ADDED: "green",
        ChangeKind.UPDATED: "cyan",
        ChangeKind.CONFLICT: "red",
        ChangeKind.UNMATCHED: "yellow",
        ChangeKind.UNCHANGED: "dim",
    }
    for c in merged.changes:
        if c.kind is ChangeKind.UNCHANGED and not verbose:
            continue
        line = f"{c.path}: {c.message} ({c.record})"
        err.print(f"[{colour[c.kind]}]{c.kind.zh} / {c.kind.value}[/] {escape(line)}")
    try:
        write_bytes_atomic(output, dumps_roster(result))
        if report is not None:
            write_bytes_atomic(report, json_bytes(merged.document()))
    except OSError as exc:
        raise click.UsageError(f"无法写入 / cannot write: {exc.strerror or exc}") from None
    err.print(f"已写入 / wrote {escape(str(output))}: {merged.summary()}")
    bad = merged.of(ChangeKind.CONFLICT) or merged.problems
    sys.exit(EXIT_FAIL if bad else EXIT_OK)


def _of_school(records: list[object], school: School) -> tuple[list[object], int]:
    """The records for ``school`` (by id or exact name), and how many name another school.

    Records that name no school (a registry's guards, background reviews) are kept: they
    are matched against the school's own guards.
    """
    kept: list[object] = []
    skipped = 0
    for r in records:
        named = getattr(r, "school", None)
        if isinstance(named, str) and named not in (school.id, school.name):
            skipped += 1
        else:
            kept.append(r)
    return kept, skipped


@main.command()
@click.argument("form")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The blank form to write (.xlsx).",
)
@block_option
def template(form: str, output: Path, block: tuple[str, ...]) -> None:
    """Write the blank form FORM (a ledger, 台账) for a school to fill in.

    写出空白表格（台账）供学校填写：中文表头下附英文，类别和频次为下拉列表，日期格式已设，
    示例行已标明；填好后用 campus-security pull 读回。

    The forms are those the installed record sources offer (``campus-security sources``
    lists them); the filled form is read back with ``campus-security pull SOURCE``.
    """
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError("输出文件应以 .xlsx 结尾 / the output must end in .xlsx")
    pm = _load_plugins(block)
    offered = {t: s for s in pm.record_sources() for t in s.templates}
    source = offered.get(form)
    if source is None or source.write_template is None:
        known = ", ".join(sorted(offered)) or "-"
        raise click.UsageError(
            f"没有名为 {form!r} 的表格（可用：{known}） / "
            f"no form named {form!r} (available: {known})"
        )
    try:
        write_bytes_atomic(output, source.write_template(form))
    except OSError as exc:
        raise click.UsageError(f"无法写入 / cannot write {output}: {exc.strerror or exc}") from None
    click.echo(
        f"已写入 / wrote {output}（填写后 / when filled in: campus-security pull {source.name} "
        f"{output.name} --into ROSTER -o ROSTER）",
        err=True,
    )
