"""The configuration file: every command's option defaults, as click's ``default_map``.

Where it is found: from the working directory upward, the first directory holding a
``campus-security.toml`` (its keys at the top level) or a ``pyproject.toml`` with a
``[tool.campus-security]`` table (a ``pyproject.toml`` without the table is passed
over, as is a ``campus-security.toml`` in the same directory wins). The search stops
at the filesystem root and after the first directory holding ``.git`` (the
repository's root: a file above it belongs to no one here). ``--config FILE`` names
the file instead (either kind), ``--no-config`` reads none.

What it holds: a key is an option's long name without its dashes (``format``,
``skip-rule``; ``skip_rule`` too), a value what the option takes (a string, a number,
``true``/``false`` for a flag, an array of them for a repeatable option). Keys at the
top level apply to every command that has the option; a table named after a command
(``[tool.campus-security.check]``, ``[devices.probe]`` for a subcommand) applies to
that command and wins over the top level. A file path (``output = "reports/r.json"``) is
relative to the configuration file's folder. The command line wins over both. Whatever
option a command has is configurable this way, with nothing else to declare.

A key no command has, a key the command's table cannot have, a value of the wrong type
or out of range, or a file that is not TOML is a usage error (exit 2) naming the file,
the key and what is expected.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import click

from ..pipeline.filters import closest

__all__ = ["CONFIG_FILE", "Config", "default_map", "find_config", "load_config"]

CONFIG_FILE = "campus-security.toml"
PYPROJECT = "pyproject.toml"
TOOL = "campus-security"


@attrs.frozen
class Config:
    """A configuration file read: where it is, and its table (``[tool.campus-security]``)."""

    path: Path
    table: Mapping[str, Any]

    @property
    def where(self) -> str:
        """The file, and the table in a ``pyproject.toml``."""
        if self.path.name == PYPROJECT:
            return f"{self.path} [tool.{TOOL}]"
        return str(self.path)


def _error(path: Path | str, what_zh: str, what_en: str) -> click.UsageError:
    return click.UsageError(f"配置文件 {path}：{what_zh} / config file {path}: {what_en}")


def _read(path: Path, *, named: bool) -> Config | None:
    """The configuration in ``path`` (``None``: a pyproject.toml without the table)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        why = exc.strerror
        raise _error(path, f"无法读取（{why}）", f"cannot be read ({why})") from None
    except UnicodeDecodeError:
        raise _error(path, "不是 UTF-8 文本", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise _error(path, f"不是有效的 TOML：{exc}", f"not valid TOML: {exc}") from None
    if path.name != PYPROJECT:
        return Config(path, data)
    tool = data.get("tool", {})
    table = tool.get(TOOL) if isinstance(tool, dict) else None
    if table is None:
        if named:
            raise _error(path, f"没有 [tool.{TOOL}] 表", f"has no [tool.{TOOL}] table")
        return None
    if not isinstance(table, dict):
        raise _error(path, f"tool.{TOOL} 应为表", f"tool.{TOOL} must be a table")
    return Config(path, table)


def find_config(start: Path) -> Config | None:
    """The configuration found from ``start`` upward (see the module), or ``None``."""
    for folder in (start, *start.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            return _read(own, named=False)
        project = folder / PYPROJECT
        if project.is_file():
            found = _read(project, named=False)
            if found is not None:
                return found
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path | None, *, disabled: bool = False) -> Config | None:
    """The configuration of ``--config PATH`` / ``--no-config`` / the working directory."""
    if disabled:
        return None
    if path is not None:
        return _read(path, named=True)
    return find_config(Path.cwd())


def _options(command: click.Command) -> dict[str, click.Option]:
    """A command's options by the keys a file may use (long names, dashes or underscores)."""
    out: dict[str, click.Option] = {}
    for p in command.params:
        if not isinstance(p, click.Option) or p.hidden or p.name in (None, "help", "version"):
            continue
        longs = [o for o in (*p.opts, *p.secondary_opts) if o.startswith("--")]
        if not longs:
            continue
        key = longs[0][2:]
        out[key] = out[key.replace("-", "_")] = p
    return out


def _expected(p: click.Option) -> str:
    if p.is_flag and not p.multiple:
        return "true 或 false / true or false"
    kind = p.type.get_metavar(p, click.Context(click.Command("x"))) or p.type.name
    return f"{kind} 的数组 / an array of {kind}" if p.multiple else kind


def _value(where: str, key: str, p: click.Option, value: Any, base: Path) -> Any:
    """The value for ``default_map``, checked as the option would check it."""
    if p.is_flag and not p.multiple and not isinstance(value, bool):
        raise _error(where, f"{key} 应为 true 或 false", f"{key} must be true or false")
    items = value if p.multiple else [value]
    if p.multiple and not isinstance(value, list):
        raise _error(where, f"{key} 应为数组", f"{key} must be an array ({_expected(p)})")
    for item in items:
        if isinstance(item, dict | list) or (
            isinstance(item, bool) and not (p.is_flag and not p.multiple)
        ):
            want = _expected(p)
            raise _error(where, f"{key} 的取值类型错误：应为 {want}", f"{key}: expected {want}")
    if isinstance(p.type, click.Path):  # relative to the file's folder, as ruff and mypy do
        items = [v if str(v) == "-" else str(base / str(v)) for v in items]
    items = [v if isinstance(v, bool | str) else str(v) for v in items]
    if not (p.is_flag and not p.multiple):
        for item in items:
            try:
                p.type.convert(item, p, None)
            except click.BadParameter as exc:
                raise _error(
                    where,
                    f"{key} 的取值 {item!r} 无效：{exc.message}",
                    f"{key}: {item!r} is not valid: {exc.message}",
                ) from None
    return items if p.multiple else items[0]


def _commands(group: click.Group) -> dict[str, click.Command]:
    return dict(group.commands)


def _all_options(group: click.Group) -> dict[str, list[click.Command]]:
    """Every option key of every command (subcommands too), with the commands that have it."""
    out: dict[str, list[click.Command]] = {}
    for cmd in _commands(group).values():
        if isinstance(cmd, click.Group):
            for key, cmds in _all_options(cmd).items():
                out.setdefault(key, []).extend(cmds)
        for key in _options(cmd):
            out.setdefault(key, []).append(cmd)
    return out


def _command_map(
    where: str,
    base: Path,
    path: str,
    command: click.Command,
    shared: Mapping[str, Any],
    table: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``default_map`` of one command: the shared keys it has, then its own table."""
    options = _options(command)
    subs = _commands(command) if isinstance(command, click.Group) else {}
    out: dict[str, Any] = {}
    for key, value in shared.items():
        p = options.get(key)
        if p is not None and p.name is not None:
            out[p.name] = _value(where, f"{key} ({path})", p, value, base)
    for key, value in table.items():
        if key in subs:
            if not isinstance(value, dict):
                raise _error(where, f"{path}.{key} 应为表", f"{path}.{key} must be a table")
            out[key] = _command_map(where, base, f"{path}.{key}", subs[key], shared, value)
            continue
        p = options.get(key)
        if p is None or p.name is None:
            known = ", ".join(closest(key, [k for k in options if "_" not in k] + list(subs)))
            raise _error(
                where,
                f"命令 {path} 没有选项 {key}（可用：{known or '—'}）",
                f"{key}: the command {path} has no such option (known: {known or '—'})",
            )
        out[p.name] = _value(where, f"{path}.{key}", p, value, base)
    for name, sub in subs.items():
        if name not in out:
            out[name] = _command_map(where, base, f"{path}.{name}", sub, shared, {})
    return out


def default_map(config: Config, group: click.Group) -> dict[str, Any]:
    """The ``default_map`` of ``group`` (the command line's root) from ``config``."""
    where = config.where
    commands = _commands(group)
    everywhere = _all_options(group)
    shared = {k: v for k, v in config.table.items() if k not in commands}
    for key in shared:
        if key not in everywhere:
            known = closest(key, [k for k in everywhere if "_" not in k] + list(commands))
            raise _error(
                where,
                f"未知的键 {key}：既不是命令也不是任何命令的选项"
                f"（可用：{', '.join(known[:12])} …）",
                f"unknown key {key}: no command and no option of any command "
                f"(known: {', '.join(known[:12])} …)",
            )
    out: dict[str, Any] = {}
    for name, cmd in commands.items():
        own = config.table.get(name, {})
        if not isinstance(own, dict):
            raise _error(where, f"{name} 应为表", f"{name} must be a table (the command's options)")
        out[name] = _command_map(where, config.path.parent, name, cmd, shared, own)
    return out


def describe(config: Config | None) -> str:
    """One line saying which configuration file is used."""
    if config is None:
        return "配置文件：无 / config file: none"
    return f"配置文件 / config file: {config.where}"
