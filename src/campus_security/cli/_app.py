"""The command group and what its commands share: plugin loading, output, exit codes."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click
import orjson
from rich.console import Console
from rich.markup import escape

from .. import __version__
from .._atomic import write_bytes_atomic, write_text_atomic
from ..engine import Standard
from ..errors import CampusSecurityError, mask_id_numbers
from ..pipeline.filters import closest
from ..plugins import PluginManager, installed_plugin_names, installed_versions
from ._config import Config, default_map, load_config

__all__ = [
    "CONFIG_KEY",
    "EXIT_FAIL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "ClosestChoice",
    "block_option",
    "json_bytes",
    "load_plugins",
    "main",
    "require_dask",
    "require_standards",
    "unknown",
    "used_config",
    "write_output",
]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT, as shells report it): not 1, which says a rule failed."""


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def load_plugins(block: Sequence[str]) -> PluginManager:
    """Load every installed plugin but the blocked ones; report failures on stderr.

    Every hook is collected now (standards, device adapters, census forms, record
    sources), so that each failure is printed before any output, whatever the command
    uses. A blocked name that is no installed plugin is a usage error (exit 2) listing
    the installed ones.
    """
    installed = installed_plugin_names()
    unknown = sorted(set(block) - set(installed))
    if unknown:
        names = ", ".join(installed) or "—"
        raise click.UsageError(
            f"没有名为 {', '.join(unknown)} 的已安装插件（已安装：{names}）/ "
            f"--block-plugin {', '.join(unknown)}: no installed plugin has this name "
            f"(installed: {names})"
        )
    pm = PluginManager(block=block)
    pm.standards()  # collect now so that failures are known before output
    pm.device_adapters()
    pm.census_forms()
    pm.record_sources()
    err = _stderr()
    for failure in pm.failures:
        shown = escape(mask_id_numbers(str(failure)))
        err.print(f"[yellow]插件问题 / plugin problem[/] {shown}", markup=True)
    return pm


def require_dask() -> None:
    """``--dask`` without Dask installed is a usage error (exit 2) saying what to install."""
    try:
        importlib.import_module("dask.distributed")
    except ImportError:
        raise click.UsageError(
            "--dask 需要 Dask，但未安装：pip install 'campus-security[dask]' / "
            "--dask needs Dask, which is not installed: pip install 'campus-security[dask]'"
        ) from None


def require_standards(pm: PluginManager) -> tuple[Standard, ...]:
    """The standards of the loaded plugins; none is a usage error (exit 2) saying why."""
    found = pm.standards()
    if not found:
        why = "all blocked by --block-plugin" if pm.blocked else "none is installed"
        raise click.UsageError(
            "没有可检查的标准：未安装任何标准插件，或已全部屏蔽 / "
            f"no standard to check against ({why}); install a regional plugin "
            "such as campus-security-cangzhou"
        )
    return found


def json_bytes(doc: object) -> bytes:
    """A JSON document as indented UTF-8 with a final newline."""
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def write_output(output: Path | None, text: str | bytes) -> None:
    """Write to the file, or to standard output when ``output`` is None."""
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
        else:
            click.echo(text, nl=False)
        return
    try:  # atomically: a reader sees the old file or the whole new one
        if isinstance(text, bytes):
            write_bytes_atomic(output, text)
        else:
            write_text_atomic(output, text)
    except OSError as exc:
        raise click.UsageError(f"无法写入 / cannot write {output}: {exc.strerror}") from None


block_option = click.option(
    "--block-plugin",
    "block",
    multiple=True,
    metavar="NAME",
    help="Do not load the plugin of this entry-point name (repeatable).",
)


# click words its usage errors in English; each is shown with a Chinese summary first.
_USAGE_ZH = (
    ("No such command", "没有这个命令"),
    ("No such option", "没有这个选项"),
    ("Missing argument", "缺少参数"),
    ("Missing option", "缺少选项"),
    ("Invalid value", "取值无效"),
    ("Got unexpected extra argument", "多余的参数"),
    ("requires an argument", "选项缺少取值"),
)


def usage_error_text(message: str) -> str:
    """A click usage error as one line in Chinese and English."""
    zh = next((z for en, z in _USAGE_ZH if en in message), "用法错误")
    return mask_id_numbers(f"错误：{zh} / Error: {message}")  # it may quote what was typed


class BilingualGroup(click.Group):
    """A click group whose usage errors are printed in Chinese and English (exit 2)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; in standalone mode, show usage errors bilingually."""
        run = super().main
        if not standalone_mode:
            return run(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            return run(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            if exc.ctx is not None:
                click.echo(exc.ctx.get_usage(), err=True)
            click.echo(usage_error_text(exc.format_message()), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(usage_error_text(exc.format_message()), err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中止 / Aborted!", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except CampusSecurityError as exc:  # bad input a command did not catch: no traceback
            click.echo(mask_id_numbers(str(exc)), err=True)
            sys.exit(EXIT_USAGE)


def version_text() -> str:
    """The library's version and every installed plugin's distribution and version."""
    lines = [f"campus-security {__version__}", "插件 / plugins:"]
    found = installed_versions().values()
    lines += [
        f"  {v.plugin}: {v.distribution} {v.version}"
        if v.distribution
        else f"  {v.plugin}: 发行包未知 / distribution unknown"
        for v in found
    ]
    return "\n".join(lines if found else [*lines, "  (无 / none)"])


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit()


class ClosestChoice(click.Choice):  # type: ignore[type-arg]
    """A choice whose error lists every choice, the closest to what was typed first."""

    def fail(
        self, message: str, param: click.Parameter | None = None, ctx: click.Context | None = None
    ) -> NoReturn:
        """Say what exists, closest first (a wrong value is a usage error, exit 2)."""
        typed = message.split("'")[1] if message.count("'") >= 2 else ""
        known = closest(typed, [str(c) for c in self.choices])
        super().fail(
            f"{typed!r} 不是可用的取值（可用：{', '.join(known)}）/ "
            f"{typed!r} is not one of: {', '.join(known)}",
            param,
            ctx,
        )


def unknown(
    kind_zh: str,
    kind_en: str,
    typed: Sequence[str],
    known: Sequence[str],
    *,
    ordered: bool = False,
) -> NoReturn:
    """A usage error (exit 2) for names that do not exist, listing what does, closest first.

    The first :data:`SHOWN` are listed, then how many more there are. ``ordered``:
    ``known`` is already closest first.
    """
    listed = list(known) if ordered else closest(typed[0], known) if typed else sorted(known)
    more = len(listed) - SHOWN
    shown = "; ".join(listed[:SHOWN]) + (f"; … (+{more})" if more > 0 else "")
    raise click.UsageError(
        f"未知的{kind_zh} / unknown {kind_en}: {', '.join(typed)}"
        f"（可用，最接近的在前 / known, closest first: {shown or '—'}）"
    )


SHOWN = 15
"""Names an error about an unknown name lists (the closest first)."""


CONFIG_KEY = "campus_security.config"
"""Where the group keeps the configuration file it read (``ctx.meta``)."""


def used_config(ctx: click.Context) -> Config | None:
    """The configuration file this command line read, if any."""
    found: Config | None = ctx.find_root().meta.get(CONFIG_KEY)
    return found


@click.group(cls=BilingualGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version of the library and of every installed plugin, and exit. "
    "显示本库及每个已安装插件的版本。",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Read option defaults from this file (a campus-security.toml, or a pyproject.toml "
    "with [tool.campus-security]) instead of the one found from the working directory upward.",
)
@click.option(
    "--no-config", is_flag=True, help="Read no configuration file: every default is built in."
)
@click.pass_context
def main(ctx: click.Context, config_file: Path | None, no_config: bool) -> None:
    """campus-security: check school security rosters against regional standards.

    校园安全防范名册检查：按地方标准检查中小学幼儿园安全防范名册。

    Option defaults come from a configuration file when one is found (see `campus-security
    config`); the command line overrides them.
    """
    if config_file is not None and no_config:
        raise click.UsageError(
            "--config 与 --no-config 不能同时使用 / --config and --no-config exclude each other"
        )
    config = load_config(config_file, disabled=no_config)
    ctx.meta[CONFIG_KEY] = config
    if config is not None:
        assert isinstance(ctx.command, click.Group)
        ctx.default_map = default_map(config, ctx.command)
