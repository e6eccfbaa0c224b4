"""Device SDK: the device-status file and judging devices.

Re-exported by :mod:`campus_security.devices`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import attrs
import orjson

from .._atomic import write_bytes_atomic
from ..engine.rules import Context
from ..errors import Problem, RosterError, unreadable_file
from ..formats.roster_json import structure, unstructure
from ..model import Device, DeviceKind, DeviceStatus, School, Text
from ._credentials import _STATUS_VERSIONS, CLOCK_TOLERANCE, STATUS_FORMAT, STATUS_VERSION


def device_status_document(
    statuses: Iterable[DeviceStatus], probed_at: dt.datetime
) -> dict[str, Any]:
    """The statuses as a JSON-ready device-status document."""
    return {
        "format": STATUS_FORMAT,
        "version": STATUS_VERSION,
        "probed_at": probed_at.isoformat(),
        "statuses": unstructure(list(statuses)),
    }


def dumps_device_status(statuses: Iterable[DeviceStatus], probed_at: dt.datetime) -> bytes:
    """A device-status file's bytes (indented UTF-8 JSON, final newline)."""
    return orjson.dumps(
        device_status_document(statuses, probed_at),
        option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE,
    )


def dump_device_status(
    statuses: Iterable[DeviceStatus], probed_at: dt.datetime, path: str | PathLike[str]
) -> None:
    """Write a device-status file (atomically: the old file or the whole new one)."""
    write_bytes_atomic(path, dumps_device_status(statuses, probed_at))


def _problem(path: str, zh: str, en: str, source: str | None) -> Problem:
    return Problem(path, Text(zh, en), source)


def loads_device_status(data: bytes | str, *, source: str | None = None) -> dict[str, DeviceStatus]:
    """Read a device-status document; map device ids to statuses.

    Every problem is collected and raised as one
    :class:`~campus_security.errors.RosterError` with paths (``statuses[3].probed_at``).
    """
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise RosterError(
            [
                _problem(
                    f"line {exc.lineno}, column {exc.colno}",
                    f"不是有效的 JSON：{exc.msg}",
                    f"not valid JSON: {exc.msg}",
                    source,
                )
            ],
            source,
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != STATUS_FORMAT:
        got = doc.get("format") if isinstance(doc, dict) else None
        raise RosterError(
            [
                _problem(
                    "format",
                    f"不是设备状态文件：format 应为 {STATUS_FORMAT!r}，实为 {got!r}",
                    f"not a device-status file: format must be {STATUS_FORMAT!r}, got {got!r}",
                    source,
                )
            ],
            source,
        )
    problems: list[Problem] = []
    version = doc.get("version")
    if version not in _STATUS_VERSIONS:
        known = ", ".join(sorted(_STATUS_VERSIONS))
        problems.append(
            _problem(
                "version",
                f"不支持的设备状态文件版本 {version!r}（本版本库支持：{known}）",
                f"unsupported device-status version {version!r} (this library reads: {known})",
                source,
            )
        )
    extra = sorted(set(doc) - {"format", "version", "probed_at", "statuses"})
    problems += [
        _problem(
            k,
            "未知字段（本格式中没有此字段）",
            "unknown field (this format has no such field)",
            source,
        )
        for k in extra
    ]
    try:
        structure(doc.get("probed_at"), dt.datetime, path="probed_at", source=source)
    except RosterError as exc:
        problems.extend(exc.problems)
    items = doc.get("statuses", [])
    out: dict[str, DeviceStatus] = {}
    if not isinstance(items, list):
        problems.append(_problem("statuses", "应为数组", "expected an array", source))
        items = []
    for i, item in enumerate(items):
        try:
            st = structure(item, DeviceStatus, path=f"statuses[{i}]", source=source)
        except RosterError as exc:
            problems.extend(exc.problems)
            continue
        if st.device_id in out:
            problems.append(
                _problem(
                    f"statuses[{i}].device_id",
                    f"设备编号重复：{st.device_id}",
                    f"duplicate device id: {st.device_id}",
                    source,
                )
            )
        out[st.device_id] = st
    if problems:
        raise RosterError(problems, source)
    return out


def load_device_status(path: str | PathLike[str]) -> dict[str, DeviceStatus]:
    """Read a device-status file written by ``campus-security devices probe``."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise unreadable_file(str(p), exc) from None
    return loads_device_status(data, source=str(p))


# --- judging devices in rules -------------------------------------------------------------------


@attrs.frozen
class DeviceJudgement:
    """What the probed statuses say about a school's declared devices of some kinds.

    - ``devices``: the declared devices of those kinds (ids, roster order);
    - ``unreachable``: probed, did not answer;
    - ``clock_off``: answered, clock off by more than the tolerance: ``(id, offset)``;
    - ``unverified``: answered, but the probe reported a fault (e.g. the prober's
      credential was refused): online, not otherwise verified;
    - ``unprobed``: no status for the device, or one saying it was not contacted
      (``DeviceStatus.probed`` false: no endpoint, no adapter...): judge it by the
      roster's declaration;
    - ``faults``: the fault of every device that has one.

    A rule fails the school when :attr:`failing` is non-empty; :meth:`summary` says
    why, in both languages, and :meth:`evidence` is ready for the finding.
    """

    devices: tuple[str, ...]
    unreachable: tuple[str, ...]
    clock_off: tuple[tuple[str, float], ...]
    unverified: tuple[str, ...]
    unprobed: tuple[str, ...]
    faults: Mapping[str, Text] = attrs.field(factory=dict, hash=False)
    tolerance: float = CLOCK_TOLERANCE

    @property
    def failing(self) -> tuple[str, ...]:
        """Devices that fail: unreachable, or clock off by more than the tolerance."""
        return self.unreachable + tuple(i for i, _ in self.clock_off)

    @property
    def ok(self) -> bool:
        """No device fails."""
        return not self.failing

    @property
    def probed(self) -> bool:
        """Whether any of the devices has a probed status."""
        return len(self.unprobed) < len(self.devices)

    def summary(self) -> Text:
        """Why devices fail, e.g. ``探测不可达：cam1；时钟偏差超过10秒：cam2（+325秒）``."""
        zh: list[str] = []
        en: list[str] = []
        if self.unreachable:
            zh.append("探测不可达：" + "、".join(self.unreachable))
            en.append("probed unreachable: " + ", ".join(self.unreachable))
        if self.clock_off:
            tol = f"{self.tolerance:g}"
            zh.append(
                f"时钟偏差超过{tol}秒："
                + "、".join(f"{i}（{o:+.0f}秒）" for i, o in self.clock_off)
            )
            en.append(
                f"clock off by more than {tol} s: "
                + ", ".join(f"{i} ({o:+.0f} s)" for i, o in self.clock_off)
            )
        return Text("；".join(zh), "; ".join(en))

    def evidence(self) -> dict[str, Any]:
        """JSON-ready evidence for a finding."""
        return {
            "unreachable": list(self.unreachable),
            "clock_off": {i: round(o, 1) for i, o in self.clock_off},
            "clock_tolerance_s": self.tolerance,
            "unverified": list(self.unverified),
            "unprobed": list(self.unprobed),
        }


def judge_devices(
    school: School,
    ctx: Context,
    kinds: Iterable[DeviceKind],
    devices: Iterable[Device] | None = None,
    *,
    clock_tolerance: float = CLOCK_TOLERANCE,
) -> DeviceJudgement:
    """Judge ``school``'s declared devices of ``kinds`` by ``ctx.device_status``.

    ``devices`` narrows the judgement to those devices (matched by id; say, the
    devices at one placement that a rule counts): only the school's devices of
    ``kinds`` that are among them are judged, still in roster order. Without it
    every declared device of ``kinds`` is judged::

        cameras = [d for d in school.devices if d.placement is Placement.GATE]
        probe = judge_devices(school, ctx, (DeviceKind.VIDEO_SURVEILLANCE,), cameras)

    Without probed statuses (``check`` run without ``--device-status``, the common
    case) every device is ``unprobed`` and nothing fails: the rule judges the
    declaration, as before; this judgement is returned at once, without looking up a
    status per device.

    A rule that reads statuses declares the kinds in ``Rule.devices``::

        @rule("myregion.police-link", ..., devices=(DeviceKind.ONE_KEY_ALARM,))
        def police_link(school, ctx):
            ...  # the declaration checks
            probe = judge_devices(school, ctx, (DeviceKind.ONE_KEY_ALARM,))
            if not probe.ok:
                why = probe.summary()
                return failed("一键报警探测未通过：{zh}", "one-key alarm probe failed: {en}",
                              zh=why.zh, en=why.en, **probe.evidence())
    """
    wanted = frozenset(kinds)
    keep = None if devices is None else frozenset(d.id for d in devices)
    judged = [d for d in school.devices if d.kind in wanted and (keep is None or d.id in keep)]
    if not ctx.device_status:
        # Nothing probed: every device is unprobed and nothing fails.
        ids = tuple(d.id for d in judged)
        return DeviceJudgement(
            devices=ids,
            unreachable=(),
            clock_off=(),
            unverified=(),
            unprobed=ids,
            faults={},
            tolerance=clock_tolerance,
        )
    unreachable: list[str] = []
    clock_off: list[tuple[str, float]] = []
    unverified: list[str] = []
    unprobed: list[str] = []
    faults: dict[str, Text] = {}
    for d in judged:
        st = ctx.device_status.get(d.id)
        if st is None or not st.probed:
            unprobed.append(d.id)
            if st is not None and st.fault is not None:
                faults[d.id] = st.fault
            continue
        if st.fault is not None:
            faults[d.id] = st.fault
        if not st.reachable:
            unreachable.append(d.id)
            continue
        if st.clock_offset is not None and abs(st.clock_offset) > clock_tolerance:
            clock_off.append((d.id, st.clock_offset))
        if st.fault is not None:
            unverified.append(d.id)
    return DeviceJudgement(
        devices=tuple(d.id for d in judged),
        unreachable=tuple(unreachable),
        clock_off=tuple(clock_off),
        unverified=tuple(unverified),
        unprobed=tuple(unprobed),
        faults=faults,
        tolerance=clock_tolerance,
    )


STATUS_MAX_AGE_DAYS = 7
"""How old a probed status may be, in days before the evaluation date, before ``check``
warns that it no longer shows the devices as they are on that date (platforms poll
their devices daily; a week leaves room for a weekend and a holiday)."""


def stale_statuses(
    statuses: Mapping[str, DeviceStatus], on: dt.date, max_age_days: int = STATUS_MAX_AGE_DAYS
) -> tuple[list[str], list[str]]:
    """Device ids whose status was probed after ``on``, and those probed too long before it.

    Dates are compared in China's local time. Neither kind is dropped: the caller decides
    (``campus-security check`` warns on standard error).
    """
    from ..model import CHINA_TZ

    later: list[str] = []
    older: list[str] = []
    for device_id, status in sorted(statuses.items()):
        day = status.probed_at.astimezone(CHINA_TZ).date()
        if day > on:
            later.append(device_id)
        elif (on - day).days > max_age_days:
            older.append(device_id)
    return later, older
