"""``campus-security devices probe``: probe the roster's devices, write a device-status file."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from ..devices import (
    DEFAULT_CONCURRENCY,
    DEFAULT_TIMEOUT,
    CredentialError,
    Credentials,
    dumps_device_status,
    probe_devices,
)
from ..errors import RosterError
from ..formats import read_roster
from ..model import DeviceStatus
from ._app import EXIT_FAIL, EXIT_OK, EXIT_USAGE, block_option, load_plugins, main, write_output


@main.group()
def devices() -> None:
    """Technical-defence devices: probe them through the installed device adapters.

    技防设备：通过已安装的设备适配器探测名册中的设备。
    """


def _state(status: DeviceStatus) -> str:
    """What a status says of its device, for the probe's summary.

    ``up`` (answered, no fault), ``unverified`` (answered with a fault: e.g. HTTP 404,
    not a device that speaks the protocol), ``down`` (did not answer) or ``not probed``.
    """
    if not status.probed:
        return "not probed"
    if not status.reachable:
        return "down"
    return "unverified" if status.fault is not None else "up"


_MARK = {
    "up": "[green]在线 / up[/]",
    "unverified": "[yellow]有应答未验证 / unverified[/]",
    "down": "[red]不可达 / down[/]",
    "not probed": "[yellow]未探测 / not probed[/]",
}


def _line(status: DeviceStatus) -> str:
    mark = _MARK[_state(status)]
    parts = [f"{escape(status.device_id)}: {mark}"]
    if status.clock_offset is not None:
        parts.append(f"时钟偏差 / clock offset {status.clock_offset:+.1f} s")
    what = " ".join(p for p in (status.manufacturer, status.model, status.firmware) if p)
    if what:
        parts.append(escape(what))
    if status.fault is not None:
        parts.append(f"[yellow]{escape(str(status.fault))}[/]")
    return " · ".join(parts)


@devices.command()
@click.argument("roster", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--concurrency",
    type=click.IntRange(1, 4096),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Devices probed at once.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600.0),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds one device's probe may take.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the device-status file here instead of standard output.",
)
@click.option(
    "--credentials",
    "credentials_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="TOML or JSON file of credentials by reference (else the environment only).",
)
@click.option(
    "--insecure-device",
    "insecure",
    multiple=True,
    metavar="DEVICE_ID",
    help="Do not verify this device's TLS certificate (repeatable; prefer fixing the device).",
)
@click.option("--verbose", "-v", is_flag=True, help="List every device, not only the faulty.")
@block_option
def probe(
    roster: Path,
    concurrency: int,
    timeout: float,
    output: Path | None,
    credentials_file: Path | None,
    insecure: tuple[str, ...],
    verbose: bool,
    block: tuple[str, ...],
) -> None:
    """Probe every device of ROSTER and write their statuses (JSON) with the probe time.

    探测名册中的每台设备，输出其状态（JSON）及探测时间。

    Credentials come from the environment (CAMPUS_SECURITY_CRED_<REF>_USERNAME and
    _PASSWORD) or the --credentials file, never from the roster, and never appear
    in the output. Exit status: 0 when every device answered without fault, 1 when
    one did not, 2 on bad input.
    """
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per device
    try:
        data = read_roster(roster)
    except RosterError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    try:
        creds = Credentials.from_file(credentials_file) if credentials_file else Credentials()
    except CredentialError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    for warning in creds.warnings:
        err.print(f"[yellow]警告 / warning[/] {escape(str(warning))}")
    items = [d for s in data.schools for d in s.devices]
    unknown = sorted(set(insecure) - {d.id for d in items})
    if unknown:
        raise click.UsageError(f"名册中没有该设备 / no such device: {', '.join(unknown)}")
    pm = load_plugins(block)  # prints the failures of every hook
    adapters = pm.device_adapters()
    if not adapters:
        err.print("[yellow]未安装设备适配器 / no device adapter is installed[/]")
    probed_at = dt.datetime.now(dt.UTC)
    statuses = asyncio.run(
        probe_devices(
            items,
            adapters,
            concurrency=concurrency,
            timeout=timeout,
            credentials=creds,
            insecure_devices=insecure,
        )
    )
    write_output(output, dumps_device_status(statuses, probed_at))
    bad = [s for s in statuses if not s.reachable or s.fault is not None]
    for status in statuses if verbose else bad:
        err.print(_line(status))
    n = {k: 0 for k in _MARK}
    for status in statuses:
        n[_state(status)] += 1
    err.print(
        f"{len(statuses)}台设备，{n['up']}台在线，{n['unverified']}台有应答未验证，"
        f"{n['down']}台不可达，{n['not probed']}台未探测，{len(bad)}台有问题 / "
        f"{len(statuses)} device(s): {n['up']} up, {n['unverified']} unverified, "
        f"{n['down']} down, {n['not probed']} not probed, {len(bad)} with a problem"
    )
    sys.exit(EXIT_FAIL if bad else EXIT_OK)
