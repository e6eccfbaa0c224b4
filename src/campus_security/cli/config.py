"""``campus-security config``: which configuration file is read, and the defaults it sets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import click

from ._app import json_bytes, main, used_config, write_output
from ._config import CONFIG_FILE, describe


def _flat(table: Mapping[str, Any], path: str = "") -> Iterator[tuple[str, str, Any]]:
    """(command path, option name, value) of a ``default_map``, commands in order."""
    for key, value in table.items():
        if isinstance(value, Mapping):
            yield from _flat(value, f"{path} {key}".strip())
        else:
            yield path, key, value


def _option(root: click.Command, path: str, name: str) -> str:
    """The long option (``--skip-rule``) of parameter ``name`` of the command at ``path``."""
    cmd: click.Command | None = root
    for part in path.split():
        cmd = cmd.commands.get(part) if isinstance(cmd, click.Group) else None
    for p in cmd.params if cmd is not None else ():
        if p.name == name:
            return next((o for o in p.opts if o.startswith("--")), name)
    return name


@main.command("config")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
@click.pass_context
def config(ctx: click.Context, fmt: str) -> None:
    """Show the configuration file read (if any) and the option defaults it sets.

    显示所用的配置文件及其设定的选项默认值。

    The file is the first campus-security.toml, or pyproject.toml with a
    [tool.campus-security] table, found from the working directory upward (the search
    stops at a .git directory or the filesystem root); `campus-security --config FILE`
    names it, `--no-config` reads none. The command line overrides every default.
    """
    found = used_config(ctx)
    root = ctx.find_root()
    defaults = [(c, _option(root.command, c, o), v) for c, o, v in _flat(root.default_map or {})]
    if fmt == "json":
        doc = {
            "file": None if found is None else str(found.path),
            "defaults": [{"command": c, "option": o, "value": v} for c, o, v in defaults],
        }
        write_output(None, json_bytes(doc))
        return
    click.echo(describe(found))
    if found is None:
        click.echo(
            f"（从工作目录向上未找到 {CONFIG_FILE} 或含 [tool.campus-security] 的 "
            "pyproject.toml）/ "
            f"(no {CONFIG_FILE} nor pyproject.toml with [tool.campus-security] found from the "
            "working directory upward)"
        )
    for command, option, value in defaults:
        click.echo(f"  {command}: {option} = {value!r}")
