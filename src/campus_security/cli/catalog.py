"""``campus-security rules`` and ``plugins``: what is installed."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from ..report import render_rules, standard_document
from ._app import EXIT_FAIL, block_option, json_bytes, load_plugins, main, write_output


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
@block_option
def rules(fmt: str, standards: tuple[str, ...], block: tuple[str, ...]) -> None:
    """List the installed standards and their rules with citations.

    列出已安装的标准及其规则和出处。
    """
    pm = load_plugins(block)
    selected = [s for s in pm.standards() if not standards or s.id in standards]
    if fmt == "json":
        doc = {"standards": [standard_document(s) for s in selected]}
        write_output(None, json_bytes(doc))
    else:
        render_rules(selected, Console(highlight=False))


@main.command()
@block_option
def plugins(block: tuple[str, ...]) -> None:
    """List the loaded plugins, what they provide, and any that failed.

    列出已加载的插件及加载失败的插件。
    """
    pm = load_plugins(block)
    console = Console(highlight=False)
    for name in pm.plugin_names:
        console.print(name)
    for s in pm.standards():
        console.print(f"  standard {s.id}: {len(s.rules)} rules, {len(s.targets)} targets")
    for a in pm.device_adapters():
        console.print(f"  device adapter {a.name}: {', '.join(a.protocols)}")
    if pm.failures:
        sys.exit(EXIT_FAIL)
