"""``campus-security convert``: a roster from one format into another, optionally compacted."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs
import click

from .._atomic import atomic_write
from ..errors import Problem, RosterError
from ..formats import dumps_roster, read_roster
from ..model import InvalidValue, School, SecurityCompany
from ..pipeline.jsonl import header_line, object_line, open_lines, read_schools
from ._app import EXIT_USAGE, main

_OUTPUTS = (".json", ".jsonl")


@main.command()
@click.argument("roster", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The roster to write: .json (one document) or .jsonl (JSON Lines, for streaming). "
    "A roster holds ID numbers in full (personal data); see --mask-personal-data.",
)
@click.option(
    "--compact",
    is_flag=True,
    help="Write routine records as day series: inspections that name no inspector and "
    "police patrols (what the rules read is unchanged; files shrink several times).",
)
@click.option(
    "--mask-personal-data",
    is_flag=True,
    help="Mask every ID number (and any other run of 15 or more digits) as reports do, "
    "for a roster to be shared. The roster is marked as masked in its header and cannot "
    "be read or checked again.",
)
def convert(roster: Path, output: Path, compact: bool, mask_personal_data: bool) -> None:
    """Write ROSTER (any roster format, or a census form) as a JSON or JSON Lines roster.

    转换名册格式（JSON、JSON Lines、普查表 → JSON 或 JSON Lines）；
    --compact 将日常检查和公安巡逻记录写为按日计数。
    名册含完整身份证号码（个人信息）；供共享时请加 --mask-personal-data（脱敏后不能再读取）。

    A JSON Lines roster converted to JSON Lines is streamed, one school at a time. The
    output is written only when the whole input has been read without a problem. The
    roster written holds the guards' ID numbers in full, as any roster does:
    --mask-personal-data masks them (and marks the roster as masked, so it is not read
    back as if it were complete).
    """
    if output.suffix.lower() not in _OUTPUTS:
        raise click.UsageError(
            "输出文件应以 .json 或 .jsonl 结尾 / the output must end in .json or .jsonl"
        )
    started = time.perf_counter()
    try:
        mask = mask_personal_data
        if roster.suffix.lower() == ".jsonl" and output.suffix.lower() == ".jsonl":
            lines = open_lines(roster)
            schools = read_schools(lines)
            n = _write(output, _lines(lines.companies, schools, compact, str(roster), mask))
        else:
            whole = read_roster(roster)
            if compact:
                compacted = tuple(_compacted(s, str(roster)) for s in whole.schools)
                whole = attrs.evolve(whole, schools=compacted)
            if output.suffix.lower() == ".json":
                n = _write(output, iter([dumps_roster(whole, mask_personal_data=mask)]))
            else:
                n = _write(output, _lines(whole.companies, iter(whole.schools), False, "", mask))
    except RosterError as exc:
        click.echo(str(exc), err=True)  # every problem, with its file, line or path
        sys.exit(EXIT_USAGE)
    took = time.perf_counter() - started
    click.echo(f"已写入 / wrote {output}: {n / 1e6:.1f} MB in {took:.1f} s", err=True)


def _compacted(school: School, source: str) -> School:
    """The school compacted, or a roster error naming it (a day above what a series counts)."""
    try:
        return school.compacted()
    except InvalidValue as exc:
        raise RosterError([Problem(f"school {school.id}", exc.message, source)], source) from None


def _lines(
    companies: Iterable[SecurityCompany],
    schools: Iterator[School],
    compact: bool,
    source: str,
    mask: bool = False,
) -> Iterator[bytes]:
    yield header_line(mask_personal_data=mask)
    for c in companies:
        yield object_line("company", c, mask_personal_data=mask)
    for s in schools:
        out = _compacted(s, source) if compact else s
        yield object_line("school", out, mask_personal_data=mask)


def _write(output: Path, chunks: Iterator[bytes]) -> int:
    """Write the chunks to ``output`` atomically: a problem found while reading leaves none."""
    size = 0
    try:
        with atomic_write(output) as f:
            for chunk in chunks:  # a RosterError raised while reading leaves no output
                f.write(chunk)
                size += len(chunk)
    except OSError as exc:
        raise click.UsageError(f"无法写入 / cannot write {output}: {exc.strerror}") from None
    return size
