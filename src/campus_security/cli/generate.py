"""``campus-security generate``: a synthetic roster, seeded and realistic."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from ..pipeline.parallel import available_cores
from ..scale.generate import BLOCK, DEFAULT_ON, GeneratorConfig, write_roster
from ._app import main


@main.command()
@click.option("--schools", type=click.IntRange(min=0), required=True, help="Number of schools.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same bytes.")
@click.option(
    "--violations",
    type=click.FloatRange(0.0, 1.0),
    default=0.2,
    show_default=True,
    help="Share of schools with one to three deliberate violations.",
)
@click.option(
    "--others",
    type=click.FloatRange(0.0, 1.0),
    default=0.25,
    show_default=True,
    help="Share of schools outside the five seed jurisdictions.",
)
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=DEFAULT_ON.isoformat(),
    show_default=True,
    help="Records run up to the day before this date (evaluate as of it).",
)
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=365,
    show_default=True,
    help="Days of records (checks, drills, patrols) before --on.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes building the schools (default: all cores for big rosters).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The roster file: .json (one document) or .jsonl (JSON Lines, for streaming).",
)
def generate(
    schools: int,
    seed: int,
    violations: float,
    others: float,
    on: dt.datetime,
    days: int,
    jobs: int | None,
    output: Path,
) -> None:
    """Write a synthetic roster of SCHOOLS schools across the seed jurisdictions and others.

    生成合成名册：按种子可复现，含学校、保安员、装备、设备和一年的检查、演练、巡逻记录。
    """
    if output.suffix.lower() not in (".json", ".jsonl"):
        raise click.UsageError(
            "输出文件应以 .json 或 .jsonl 结尾 / the output must end in .json or .jsonl"
        )
    config = GeneratorConfig(
        schools=schools,
        seed=seed,
        violations=violations,
        others=others,
        on=on.date(),
        history_days=days,
    )
    if jobs is None:
        jobs = available_cores() if schools >= 10 * BLOCK else 1
    started = time.perf_counter()
    try:
        size = write_roster(config, output, jobs=jobs)
    except OSError as exc:
        raise click.UsageError(f"无法写入 / cannot write {output}: {exc.strerror}") from None
    took = time.perf_counter() - started
    click.echo(
        f"已生成 / wrote {schools} schools, {size / 1e6:.1f} MB to {output} in {took:.1f} s",
        err=True,
    )
