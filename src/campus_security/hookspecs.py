"""Hook specifications: what a campus-security plugin can provide.

A plugin is any object or module with functions marked ``@hookimpl`` and named after
the hooks below. Installed plugins are found through the entry-point group
``campus_security``; the entry's name is the plugin's name, which a user writes to
block it. An application can also register a plugin in code with
:meth:`campus_security.plugins.PluginManager.register`.

Every hook returns an iterable of small frozen records. pluggy passes an
implementation only the arguments it names, so adding an argument to a hook later
breaks no plugin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .census_forms import FormLayout
    from .devices import DeviceAdapter
    from .engine import Standard
    from .record_sources import RecordSource

PROJECT = "campus_security"

hookspec = pluggy.HookspecMarker(PROJECT)
"""Marks the hook specifications below (for this module only; plugins never use it)."""
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a plugin's implementation of a hook: ``@hookimpl def campus_security_standards()``."""

__all__ = ["PROJECT", "hookimpl", "hookspec"]


@hookspec
def campus_security_standards() -> Iterable[Standard]:  # type: ignore[empty-body]
    """Provide regional standards (rule sets).

    Called once when the plugin manager collects standards, before any evaluation.
    Return an iterable of :class:`campus_security.engine.Standard`. Standard ids and
    rule ids must be unique across all installed plugins: a duplicate is reported
    against the plugin that brought it, naming the plugin that had it first, and is
    not loaded.

    Example plugin (a module named by an entry point in the ``campus_security``
    group)::

        import datetime as dt
        from campus_security.sdk import (
            Citation, Standard, Text, hookimpl, passed, failed, rule)

        DOC = "示例〔2024〕1号"

        @rule("example.guards", title=("配备专职保安员", "has a full-time guard"),
              citation=Citation(DOC, "一"))
        def guards(school, ctx):
            if ctx.guards(school, full_time=True):  # on staff on ctx.on
                return passed("有专职保安员", "has a full-time guard")
            return failed("无专职保安员", "no full-time guard")

        @hookimpl
        def campus_security_standards():
            return [Standard(
                id="example", title=Text("示例标准", "Example standard"), document=DOC,
                issued_by=Text("示例局", "Example bureau"), jurisdiction=["320100"],
                in_force_from=dt.date(2024, 1, 1), rules=[guards])]
    """


@hookspec
def campus_security_device_adapters() -> Iterable[DeviceAdapter]:  # type: ignore[empty-body]
    """Provide device adapters that probe the roster's technical-defence devices.

    Called once when the plugin manager collects adapters (``campus-security devices
    probe``). Return an iterable of :class:`campus_security.devices.DeviceAdapter`:
    each names the protocols it speaks and the device kinds it handles, and probes
    one device at a time, returning a :class:`campus_security.model.DeviceStatus`.

    Example::

        from campus_security.devices import DeviceAdapter
        from campus_security.model import DeviceKind, DeviceStatus
        from campus_security.sdk import hookimpl

        async def probe(device, credentials, timeout):
            ...  # talk to device.endpoint, return DeviceStatus(...)

        @hookimpl
        def campus_security_device_adapters():
            return [DeviceAdapter(name="acme-http", protocols=("acme",),
                                  kinds=(DeviceKind.ONE_KEY_ALARM,), probe=probe)]
    """


@hookspec
def campus_security_census_forms() -> Iterable[FormLayout]:  # type: ignore[empty-body]
    """Provide census forms: the exact printed layout of a region's census spreadsheet.

    Called when the plugin manager collects census forms
    (:meth:`campus_security.plugins.PluginManager.census_forms`), which ``campus-security
    import`` and ``export`` do, and so does reading a form with ``check``. Return an
    iterable of :class:`campus_security.formats.census.FormLayout`: its id (what a user
    passes to ``export --form``), its title exactly as printed, its kind (``"guard"``:
    one row per guard, one sheet per school; ``"school"``: one row per school), its
    header fields and its columns in printed order. Columns must be ones the core knows
    (:func:`campus_security.formats.census.guard_columns`); import recognises a form by
    its title, so give the title exactly as printed. Layout ids must be unique across
    the core and all plugins: a duplicate is reported against the plugin that brought
    it and is not loaded.

    Example::

        from campus_security.sdk import FormLayout, hookimpl

        LAYOUT = FormLayout(
            id="example-guard-census",
            title="示例市中小学幼儿园保安员基本情况调查表",
            kind="guard",
            header_fields=("填报单位", "联系人及联系方式", "签字（盖章）"),
            columns=("序号", "姓 名", "性别", "民族", "身份证号码", "保安员证编号",
                     "保安服务企业名称", "保安服务企业性质", "属地公安机关"),
        )

        @hookimpl
        def campus_security_census_forms():
            return [LAYOUT]
    """


@hookspec
def campus_security_record_sources() -> Iterable[RecordSource]:  # type: ignore[empty-body]
    """Provide record sources: readers of another system's export file or API.

    Called when the plugin manager collects record sources (``campus-security sources``
    and ``campus-security pull``). Return an iterable of
    :class:`campus_security.record_sources.RecordSource`: its name (what a user passes
    to ``pull``), the system it reads, the layout of the export it reads, the file types
    (or none, for an API read from a URL), and ``read(location, provenance)``, which
    returns a :class:`campus_security.record_sources.SourceRead`: the records (of
    :data:`campus_security.record_sources.RECORD_TYPES`, each carrying ``provenance``)
    and a problem for every row it could not read. Source names must be unique across
    plugins: a duplicate is reported against the plugin that brought it and is not
    loaded. A source whose ``read`` raises is reported by name; the others still run.

    Example::

        from campus_security.record_sources import (
            BackgroundReview, RecordSource, SourceRead)
        from campus_security.record_sources.tables import Column, read_tables
        from campus_security.sdk import BackgroundCheck, IdNumber, Text, hookimpl

        COLUMNS = (Column("id_number", ("身份证号码",)), Column("on", ("审查日期",)))

        def read(location, provenance):
            tables, problems = read_tables(location, {"reviews": COLUMNS})
            records = [
                BackgroundReview(IdNumber(row.get("id_number")),
                                 BackgroundCheck(row.get("on"), source=provenance),
                                 where=row.where())
                for table in tables for row in table.rows]
            return SourceRead(records, problems)

        @hookimpl
        def campus_security_record_sources():
            return [RecordSource(
                name="example-review", title=Text("背景审查", "background review"),
                layout=Text("身份证号码、审查日期", "ID number, reviewed on"),
                read=read, suffixes=(".xlsx", ".csv"), records=(BackgroundReview,))]
    """
