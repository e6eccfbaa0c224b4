"""``campus-security check``: evaluate a roster as of a date."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..devices import STATUS_MAX_AGE_DAYS, load_device_status, stale_statuses
from ..errors import RosterError
from ..model import Every, today_in_china
from ..pipeline.cli import check_source
from ..reports import FORMATS
from ._app import (
    EXIT_USAGE,
    ClosestChoice,
    block_option,
    load_plugins,
    main,
    require_dask,
    require_standards,
    used_config,
)
from ._config import describe
from ._rosters import open_rosters
from ._selection import check_regions, select_rules, select_standards
from .history import recorded, store_option


@main.command()
@click.argument(
    "rosters",
    nargs=-1,
    required=True,
    metavar="ROSTER...",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
)
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluation date YYYY-MM-DD (default: today in China, UTC+8).",
)
@click.option(
    "--from",
    "since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Review window: its first day YYYY-MM-DD. Every periodic rule judges each of its "
    "periods lying wholly inside the window; other rules are judged as of its last day.",
)
@click.option(
    "--to",
    "until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Review window: its last day YYYY-MM-DD (default: today in China); needs --from.",
)
@click.option(
    "--rates-every",
    "rates_every",
    type=click.Choice([e.value for e in Every]),
    default=Every.QUARTER.value,
    show_default=True,
    help="Review window: rate the targets of rules that are not periodic per this period "
    "(month: month by month, at some cost).",
)
@click.option(
    "--format",
    "fmt",
    type=ClosestChoice(list(FORMATS)),
    default="text",
    show_default=True,
    help="Report format: " + "; ".join(f"{f.name}: {f.title}" for f in FORMATS.values()) + ".",
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
    "--rule",
    "rules",
    multiple=True,
    metavar="GLOB",
    help="Only check the rules whose id matches (repeatable; fnmatch: 'jiangsu.guard*').",
)
@click.option(
    "--skip-rule",
    "skip_rules",
    multiple=True,
    metavar="GLOB",
    help="Do not check the rules whose id matches (repeatable); their targets are not rated.",
)
@click.option(
    "--school",
    "schools",
    multiple=True,
    metavar="GLOB",
    help="Only check the schools whose id matches (repeatable; fnmatch).",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="CODE",
    help="Only check the schools lying in this region (repeatable; GB/T 2260: 320000 a "
    "province, 320100 a city with its counties and zones, 320102 a county).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Print nothing but errors: the exit status says the result (a report goes to --output).",
)
@click.option(
    "--color/--no-color",
    "color",
    default=None,
    help="Colour the text report (default: on a terminal, unless NO_COLOR is set; "
    "FORCE_COLOR forces it).",
)
@click.option(
    "--show-personal-data",
    is_flag=True,
    help="Show ID numbers in full (they are masked by default).",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Text: show every finding and its evidence. CSV, SARIF: passing findings too.",
)
@click.option(
    "--by-region",
    is_flag=True,
    help="Text: after the jurisdictions' rates, every target's rate for each city and county "
    "with schools (GB/T 2260: by code, city then county, with names). "
    "按行政区划列出各市、县（区）的达标率。",
)
@click.option(
    "--device-status",
    "device_status_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Judge devices by the statuses in this file (written by `devices probe`).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Worker processes (default: all cores for a roster over one part; 1: this process).",
)
@click.option(
    "--dask",
    "dask_address",
    is_flag=False,
    flag_value="local",
    metavar="[ADDRESS]",
    help="Evaluate on a Dask cluster at ADDRESS (alone: a LocalCluster).",
)
@store_option
@block_option
def check(
    rosters: tuple[Path, ...],
    on: dt.datetime | None,
    fmt: str,
    output: Path | None,
    standards: tuple[str, ...],
    show_personal_data: bool,
    verbose: bool,
    block: tuple[str, ...],
    by_region: bool = False,
    device_status_file: Path | None = None,
    jobs: int | None = None,
    dask_address: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    rates_every: str = Every.QUARTER.value,
    rules: tuple[str, ...] = (),
    skip_rules: tuple[str, ...] = (),
    schools: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    quiet: bool = False,
    color: bool | None = None,
    store_url: str | None = None,
) -> None:
    """Evaluate each ROSTER as of a date, or over a window, against every installed standard.

    按评估日期（或评估期间 --from/--to），用适用于各校的全部已安装标准检查名册。

    Several rosters make one report (a school in two of them is a problem); `-` reads
    a roster from standard input (JSON, JSON Lines or an .xlsx workbook).
    """
    if until is not None and since is None:
        raise click.UsageError("--to 需要 --from / --to needs --from (the window's first day)")
    if since is not None and on is not None:
        raise click.UsageError(
            "--on 与 --from/--to 不能同时使用 / --on cannot be combined with --from/--to: "
            "a window is judged as of its last day (--to)"
        )
    last = until or on
    when = last.date() if last is not None else today_in_china()
    first = since.date() if since is not None else None
    if first is not None and first > when:
        raise click.UsageError(
            f"评估期间的起始日 {first} 晚于结束日 {when} / "
            f"the window starts ({first}) after it ends ({when})"
        )
    if dask_address is not None:
        require_dask()
    if verbose and not quiet:
        click.echo(describe(used_config(click.get_current_context())), err=True)
    pm = load_plugins(block)
    selected = select_standards(require_standards(pm), standards)
    selected = select_rules(selected, rules, skip_rules, quiet=quiet)
    region_codes = check_regions(regions, pm.standards())
    # --device-status: probed device statuses for the rules that read them (devices.py).
    device_status = None
    if device_status_file is not None:
        try:
            device_status = load_device_status(device_status_file)
        except RosterError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_USAGE)
        later, older = stale_statuses(device_status, when)
        if later and not quiet:
            click.echo(
                f"注意：{len(later)}台设备的探测时间晚于评估日 {when}；"
                f"note: {len(later)} device status(es) were probed after the evaluation date "
                f"{when}: {', '.join(later[:5])}{' …' if len(later) > 5 else ''}",
                err=True,
            )
        if older and not quiet:
            click.echo(
                f"注意：{len(older)}台设备的探测结果早于评估日{STATUS_MAX_AGE_DAYS}天以上；"
                f"note: {len(older)} device status(es) are more than {STATUS_MAX_AGE_DAYS} days "
                f"older than {when}: {', '.join(older[:5])}{' …' if len(older) > 5 else ''}",
                err=True,
            )
    extra_sinks = []
    store_errors: tuple[type[Exception], ...] = ()
    if store_url:  # --store: the run is recorded too (one transaction, after the report)
        from .history import store_sink

        extra_sinks.append(
            store_sink(store_url, rosters, pm.versions(), show_personal_data=show_personal_data)
        )
        from ..store import StoreError

        store_errors = (StoreError,)
    try:
        with open_rosters(rosters) as sources:
            status = check_source(
                sources,
                when,
                pm,
                selected,
                fmt=fmt,
                output=output,
                show_personal_data=show_personal_data,
                verbose=verbose,
                by_region=by_region,
                device_status=device_status,
                jobs=jobs,
                dask_address=dask_address,
                since=first,
                rate_every=Every(rates_every),
                rules=rules,
                skip_rules=skip_rules,
                schools=schools,
                regions=region_codes,
                quiet=quiet,
                color=color,
                extra_sinks=extra_sinks,
            )
    except store_errors as exc:  # the store could not record: the report stands
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    finally:
        for sink in extra_sinks:
            recorded(sink)
    sys.exit(status)
