"""The plugin manager: finds plugins, loads each on its own, collects what they provide.

Patterns from sqlfluff and tox: entry points are loaded one at a time and a failing
plugin is reported by name while the others load; a plugin can be blocked by name;
a hook implementation whose name matches no hook spec is an error, not a silent
no-op; standards and rules are checked for duplicate ids across plugins, naming
both plugins.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs
import pluggy

from . import hookspecs
from .census_forms import BUILTIN_LAYOUTS, FormLayout
from .devices import DeviceAdapter
from .engine import Standard
from .errors import describe_exception
from .model import InvalidValue, Text
from .record_sources import RecordSource

__all__ = [
    "PluginFailure",
    "PluginManager",
    "PluginVersion",
    "default_manager",
    "installed_plugin_names",
    "installed_versions",
]

ENTRY_POINT_GROUP = hookspecs.PROJECT
T = TypeVar("T")


@attrs.frozen
class PluginFailure:
    """A plugin that could not be loaded or whose hook failed, and why."""

    plugin: str
    stage: str
    """``load``, ``register`` or the hook name."""
    message: Text

    def __str__(self) -> str:
        return f"{self.plugin} [{self.stage}]: {self.message}"


@attrs.frozen
class PluginVersion:
    """Which distribution, at which version, installed a plugin.

    ``distribution`` and ``version`` are None for a plugin registered in code rather
    than installed through an entry point (an embedding application's own plugin).
    """

    plugin: str
    """The plugin's name: its entry-point name (what ``--block-plugin`` takes)."""
    distribution: str | None
    """The distribution's name as its metadata spells it (``campus-security-cangzhou``)."""
    version: str | None
    """The distribution's version (PEP 440)."""

    def __str__(self) -> str:
        if self.distribution is None:
            return f"{self.plugin} (registered in code / 代码注册)"
        return f"{self.plugin} ({self.distribution} {self.version})"


def _entry_point_version(ep: importlib.metadata.EntryPoint) -> PluginVersion:
    dist = ep.dist
    if dist is None:
        return PluginVersion(ep.name, None, None)
    return PluginVersion(ep.name, dist.name, dist.version)


def installed_versions(group: str = ENTRY_POINT_GROUP) -> dict[str, PluginVersion]:
    """Every installed plugin's distribution and version, by plugin name, sorted.

    Reads the installed distributions' metadata only: no plugin is imported, so a plugin
    that fails to load is listed too. Where two distributions declare the same plugin
    name, the one :meth:`PluginManager.load_entrypoints` loads is listed.
    """
    out: dict[str, PluginVersion] = {}
    for ep in sorted(importlib.metadata.entry_points(group=group), key=lambda e: e.name):
        out.setdefault(ep.name, _entry_point_version(ep))
    return out


class PluginManager:
    """campus-security's pluggy plugin manager.

    ``load_entrypoints=False`` gives an empty manager (tests, embedding applications
    that register their plugins in code). ``block`` names entry points not to load.
    """

    def __init__(self, *, load_entrypoints: bool = True, block: Iterable[str] = ()) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.blocked = frozenset(block)
        self.failures: list[PluginFailure] = []
        self._standards: tuple[Standard, ...] | None = None
        self._versions: dict[str, PluginVersion] = {}
        for name in self.blocked:
            self.pm.set_blocked(name)
        if load_entrypoints:
            self.load_entrypoints()

    # --- loading ------------------------------------------------------------------

    def _fail(self, plugin: str, stage: str, zh: str, en: str) -> None:
        failure = PluginFailure(plugin, stage, Text(zh, en))
        if failure not in self.failures:  # a hook collected twice fails twice: say it once
            self.failures.append(failure)

    def _raised(self, plugin: str, stage: str, zh: str, en: str, exc: BaseException) -> None:
        """Record plugin code that raised ``exc`` (``zh``/``en`` say which code)."""
        desc = describe_exception(exc)
        if isinstance(exc, InvalidValue):
            self._fail(
                plugin, stage, f"{zh}出错：{exc.message.zh}", f"{en} raised: {exc.message.en}"
            )
        elif isinstance(exc, SystemExit):
            self._fail(
                plugin,
                stage,
                f"{zh}试图结束程序（{desc}），已拦截",
                f"{en} tried to end the program ({desc}); it was stopped",
            )
        else:
            self._fail(plugin, stage, f"{zh}出错：{desc}", f"{en} raised {desc}")

    def load_entrypoints(self, group: str = ENTRY_POINT_GROUP) -> None:
        """Load every entry point of ``group``, each on its own."""
        for ep in sorted(importlib.metadata.entry_points(group=group), key=lambda e: e.name):
            if ep.name in self.blocked or self.pm.has_plugin(ep.name):
                continue
            try:
                plugin = ep.load()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # SystemExit at import too: not the run's end
                desc = describe_exception(exc)
                self._fail(
                    ep.name,
                    "load",
                    f"插件无法导入：{desc}",
                    f"the plugin failed to import: {desc}",
                )
                continue
            if self.register(plugin, ep.name):
                self._versions[ep.name] = _entry_point_version(ep)

    def register(self, plugin: object, name: str | None = None) -> bool:
        """Register a plugin object or module; return whether it was accepted.

        A plugin with a hook implementation that matches no hook spec is rejected and
        reported, so that a misspelt hook name is an error.
        """
        label = name or getattr(plugin, "__name__", None) or repr(plugin)
        try:
            self.pm.register(plugin, name=name)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            desc = describe_exception(exc)
            self._fail(
                label,
                "register",
                f"插件注册失败：{desc}",
                f"the plugin could not be registered: {desc}",
            )
            return False
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self.pm.unregister(plugin)
            self._fail(
                label,
                "register",
                f"插件实现了不存在的钩子：{exc}",
                f"the plugin implements an unknown hook: {exc}",
            )
            return False
        self._standards = None
        return True

    @property
    def plugin_names(self) -> tuple[str, ...]:
        """Names of the registered plugins."""
        return tuple(
            sorted(n for n, p in self.pm.list_name_plugin() if n is not None and p is not None)
        )

    def versions(self) -> dict[str, PluginVersion]:
        """The distribution and version of every registered plugin, by plugin name.

        What a report or a store records so that a result can be traced to the exact
        rules that produced it. A plugin registered in code has no distribution (None).
        """
        return {
            name: self._versions.get(name, PluginVersion(name, None, None))
            for name in self.plugin_names
        }

    # --- collecting -----------------------------------------------------------------

    def _collect(self, hook_name: str, kind: type[T], **kwargs: Any) -> list[tuple[str, T]]:
        """Call ``hook_name`` on each plugin separately; flatten; report failures.

        Each implementation gets only the arguments it names (pluggy's rule). Whatever
        an implementation raises (``SystemExit`` included; not ``KeyboardInterrupt``)
        is reported against its plugin, and the other plugins' results are kept.
        """
        caller = getattr(self.pm.hook, hook_name)
        out: list[tuple[str, T]] = []
        for impl in caller.get_hookimpls():  # registration order
            name = impl.plugin_name
            try:
                items = list(impl.function(*(kwargs[a] for a in impl.argnames)) or ())
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                self._raised(name, hook_name, "钩子执行", "the hook", exc)
                continue
            bad = [i for i in items if not isinstance(i, kind)]
            if bad:
                self._fail(
                    name,
                    hook_name,
                    f"钩子返回了非 {kind.__name__} 对象：{type(bad[0]).__name__}",
                    f"the hook returned a {type(bad[0]).__name__}, not a {kind.__name__}",
                )
                continue
            out.extend((name, i) for i in items)
        return out

    def standards(self) -> tuple[Standard, ...]:
        """Every standard the plugins provide, sorted by id, duplicates reported."""
        if self._standards is not None:
            return self._standards
        seen: dict[str, str] = {}
        kept: list[Standard] = []
        for plugin, std in self._collect("campus_security_standards", Standard):
            # Rule ids start with their standard's id (Standard checks it), so unique
            # standard ids make rule ids unique across plugins too.
            try:
                std.check()  # a standard can be altered after it was built
            except KeyboardInterrupt:
                raise
            except InvalidValue as exc:
                self._fail(
                    plugin,
                    "campus_security_standards",
                    f"标准无效，未加载：{exc.message.zh}",
                    f"an invalid standard was not loaded: {exc.message.en}",
                )
                continue
            except BaseException as exc:
                self._raised(
                    plugin, "campus_security_standards", "检查标准时", "checking the standard", exc
                )
                continue
            if std.id in seen:
                self._fail(
                    plugin,
                    "campus_security_standards",
                    f"标准编号 {std.id} 与插件 {seen[std.id]} 重复，未加载",
                    f"standard id {std.id} is already provided by plugin "
                    f"{seen[std.id]}; not loaded",
                )
                continue
            seen[std.id] = plugin
            kept.append(std)
        self._standards = tuple(sorted(kept, key=lambda s: s.id))
        return self._standards

    def device_adapters(self) -> tuple[DeviceAdapter, ...]:
        """Every device adapter the plugins provide, duplicates by name reported."""
        seen: dict[str, str] = {}
        kept: list[DeviceAdapter] = []
        for plugin, adapter in self._collect("campus_security_device_adapters", DeviceAdapter):
            if adapter.name in seen:
                self._fail(
                    plugin,
                    "campus_security_device_adapters",
                    f"设备适配器 {adapter.name} 与插件 {seen[adapter.name]} 重复",
                    f"device adapter {adapter.name} is already provided by plugin "
                    f"{seen[adapter.name]}",
                )
                continue
            seen[adapter.name] = plugin
            kept.append(adapter)
        return tuple(sorted(kept, key=lambda a: a.name))

    def census_forms(self) -> tuple[FormLayout, ...]:
        """Every census form layout: the core's first, then the plugins', sorted by id.

        A layout whose id is already taken (by the core or another plugin) is reported
        against the plugin that brought it and not loaded.
        """
        core = "campus_security"
        seen: dict[str, str] = {lay.id: core for lay in BUILTIN_LAYOUTS}
        kept: list[FormLayout] = []
        for plugin, layout in self._collect("campus_security_census_forms", FormLayout):
            if layout.id in seen:
                self._fail(
                    plugin,
                    "campus_security_census_forms",
                    f"调查表格式 {layout.id} 与 {seen[layout.id]} 重复，未加载",
                    f"census form {layout.id} is already provided by {seen[layout.id]}; not loaded",
                )
                continue
            seen[layout.id] = plugin
            kept.append(layout)
        return BUILTIN_LAYOUTS + tuple(sorted(kept, key=lambda lay: lay.id))

    def record_sources(self) -> tuple[RecordSource, ...]:
        """Every record source the plugins provide, sorted by name, duplicates reported.

        Each plugin's hook is called on its own: one that raises or returns something
        other than a :class:`~campus_security.record_sources.RecordSource` is reported
        by name and the others' sources are still collected.
        """
        seen: dict[str, str] = {}
        kept: list[RecordSource] = []
        for plugin, source in self._collect("campus_security_record_sources", RecordSource):
            if source.name in seen:
                self._fail(
                    plugin,
                    "campus_security_record_sources",
                    f"数据来源 {source.name} 与插件 {seen[source.name]} 重复，未加载",
                    f"record source {source.name} is already provided by plugin "
                    f"{seen[source.name]}; not loaded",
                )
                continue
            seen[source.name] = plugin
            kept.append(source)
        return tuple(sorted(kept, key=lambda s: s.name))

    def call(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call any hook on all plugins (pluggy semantics, no isolation)."""
        hook: Callable[..., list[Any]] = getattr(self.pm.hook, hook_name)
        return hook(**kwargs)


def installed_plugin_names(group: str = ENTRY_POINT_GROUP) -> tuple[str, ...]:
    """The names of the installed plugins (entry points of ``group``), sorted; none is loaded."""
    return tuple(sorted({ep.name for ep in importlib.metadata.entry_points(group=group)}))


def default_manager(block: Iterable[str] = ()) -> PluginManager:
    """A manager with every installed plugin loaded from entry points."""
    return PluginManager(load_entrypoints=True, block=block)
