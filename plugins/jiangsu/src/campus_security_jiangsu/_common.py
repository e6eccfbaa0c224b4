"""Shared constants, citations, populations and helpers of the Jiangsu rules (see ``rules``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from campus_security.sdk import (
    CLOCK_TOLERANCE,
    BackgroundFlag,
    Citation,
    Context,
    Device,
    DeviceJudgement,
    DeviceKind,
    Guard,
    Locality,
    Outcome,
    Ownership,
    Period,
    Placement,
    School,
    SchoolKind,
    applies_when,
    failed,
    judge_devices,
    kinds,
    not_applicable,
    passed,
)

DOCUMENT = "苏公通〔2019〕635号"
ISSUED = dt.date(2019, 12, 3)
"""印发 date: the notice is in force from this day; no record window reaches before it."""
END_2019 = dt.date(2019, 12, 31)
END_2020 = dt.date(2020, 12, 31)
END_2022 = dt.date(2022, 12, 31)

MAX_FIRST_HIRE_AGE = 50
MIN_DAILY_PATROLS = 2
PATROL_WINDOW_DAYS = 7
ONE_DAY = dt.timedelta(days=1)
_TOL = f"{CLOCK_TOLERANCE:g}"


def _c(clause: str) -> Citation:
    return Citation(DOCUMENT, clause)


C_3_1_2 = _c("三（一）2")
C_3_1_3 = _c("三（一）3")
C_3_1_4 = _c("三（一）4")
C_3_1_5 = _c("三（一）5")
C_3_2_1 = _c("三（二）1")
C_3_3_1 = _c("三（三）1")
C_3_3_2 = _c("三（三）2")
C_ANNEX_5 = _c("附件 八项措施 五")
C_ANNEX_6 = _c("附件 八项措施 六")
C_ANNEX_7 = _c("附件 八项措施 七")
C_ANNEX_8 = _c("附件 八项措施 八")

# --- populations -----------------------------------------------------------------------


def _is_central(s: School) -> bool:
    """乡镇中心学校: a township central school that is not a kindergarten."""
    return s.township_central and not s.kind.is_kindergarten


SCHOOLS_AND_PUBLIC_KINDERGARTENS = applies_when(
    lambda s: not s.kind.is_kindergarten or s.ownership is Ownership.PUBLIC,
    "中小学和公办幼儿园",
    "primary and secondary schools and public kindergartens",
)
PRIVATE_KINDERGARTENS = applies_when(
    lambda s: s.kind.is_kindergarten and s.ownership is Ownership.PRIVATE,
    "民办幼儿园",
    "private kindergartens",
)
ANTI_RAMMING_2019 = applies_when(
    lambda s: (
        s.vehicle_access
        and (
            s.locality in (Locality.URBAN, Locality.TOWN)
            or (s.locality is Locality.RURAL and s.complex_area)
        )
    ),
    "校门前可通行机动车的城市、城镇及治安交通环境复杂的乡村学校",
    "urban, town and complex-area rural schools whose gate motor vehicles can reach",
)
ANTI_RAMMING_2022 = applies_when(
    lambda s: s.vehicle_access and s.locality is Locality.RURAL and not s.complex_area,
    "校门前可通行机动车的其他乡村学校",
    "other rural schools whose gate motor vehicles can reach",
)
PICKUP_SCHOOLS = kinds(SchoolKind.PRIMARY, SchoolKind.KINDERGARTEN, SchoolKind.COMBINED)
GUARD_POST_SCHOOLS = applies_when(
    lambda s: s.locality in (Locality.URBAN, Locality.TOWN) or _is_central(s),
    "城市、县城及乡镇学校和乡镇中心学校",
    "urban and town schools and township central schools",
)
PATROL_SCHOOLS = applies_when(
    lambda s: s.locality is Locality.URBAN or _is_central(s),
    "城市中小学、幼儿园及乡镇中心学校",
    "urban schools and kindergartens and township central schools",
)
RURAL_SCHOOLS = applies_when(
    lambda s: s.locality is Locality.RURAL, "农村（乡村）学校", "rural schools"
)
SCHOOL_BUS_SCHOOLS = applies_when(
    lambda s: s.operates_school_bus, "开行校车的学校", "schools that run school buses"
)

# --- helpers ---------------------------------------------------------------------------


def _person(g: Guard, **more: Any) -> dict[str, Any]:
    """A guard in the evidence: name and ID number (reports mask the number), then ``more``."""
    return {"name": g.name, "id_number": g.id_number, **more}


def _flags_zh(flags: Iterable[BackgroundFlag]) -> str:
    return "、".join(f.zh for f in flags)


def _names(items: Sequence[dict[str, Any]], sep: str) -> str:
    return sep.join(str(i["name"]) for i in items)


def _select(
    school: School, kind: DeviceKind, placements: Iterable[Placement | None] | None = None
) -> list[Device]:
    """The declared devices of ``kind`` (optionally at ``placements``), in roster order."""
    wanted = None if placements is None else frozenset(placements)
    return [
        d for d in school.devices if d.kind is kind and (wanted is None or d.placement in wanted)
    ]


def _working(devices: Sequence[Device], probe: DeviceJudgement) -> list[Device]:
    """The devices that do not fail the probe (unreachable or clock off)."""
    failing = probe.failing
    if not failing:  # the common case: nothing probed, or every device answered
        return list(devices)
    failing_ids = frozenset(failing)
    return [d for d in devices if d.id not in failing_ids]


def _devices(
    school: School,
    ctx: Context,
    kind: DeviceKind,
    placements: Iterable[Placement | None] | None = None,
) -> tuple[list[Device], DeviceJudgement]:
    """Counting devices of ``kind`` (optionally at ``placements``) and the probe of all of them.

    A device counts unless ``judge_devices`` reports it failing (unreachable, or its
    clock off by more than the tolerance); see the module docstring.
    """
    selected = _select(school, kind, placements)
    probe = judge_devices(school, ctx, (kind,), selected)
    return _working(selected, probe), probe


def _probe_note(probe: DeviceJudgement, *, paren: bool) -> tuple[str, str]:
    """The probe's summary as a note to a message (in brackets, or after a semicolon).

    Empty when no device fails the probe, so a message without a status file reads as
    it did before devices were probed.
    """
    if not probe.failing:
        return "", ""
    why = probe.summary()
    if paren:
        return f"（{why.zh}）", f" ({why.en})"
    return f"；{why.zh}", f"; {why.en}"


def _period_rule(
    ctx: Context,
    dates: Callable[[dt.date, dt.date], Sequence[dt.date]],
    label: Callable[[Period], str],
    what: tuple[str, str],
) -> Outcome:
    """At least one record per period (``ctx.period``); the running one may pass early.

    As of a date, PASS when the current period (``ctx.current``) already has a record
    up to ``on``; otherwise the previous period (``ctx.period``) decides, unless it
    began before the notice (not judged). Over a window, each period is judged on its
    own records. ``dates(start, end)`` gives the sorted record dates in a span.
    """
    on, prev, cur = ctx.on, ctx.judged, ctx.current
    days = dates(prev.start, on)
    names = {"what_zh": what[0], "what_en": what[1]}
    in_cur = [d for d in days if cur.start <= d <= on] if cur is not None else []
    if cur is not None and in_cur:
        return passed(
            "本期（{period}）已有{what_zh}：{last}",
            "this period ({period}) already has a {what_en}: {last}",
            period=label(cur),
            judged=cur,
            last=in_cur[-1],
            **names,
        )
    if prev.start < ISSUED:
        return not_applicable(
            "上一期（{period}）始于本方案印发（{issued}）之前，不予评判；本期尚未结束",
            "the previous period ({period}) began before the notice ({issued}) and is "
            "not judged; the current one has not ended",
            period=label(prev),
            judged=None,
            issued=ISSUED,
            **names,
        )
    in_prev = [d for d in days if prev.start <= d <= prev.end]
    if in_prev:
        return passed(
            "上一期（{period}）有{what_zh}：{last}",
            "the previous period ({period}) had a {what_en}: {last}",
            period=label(prev),
            judged=prev,
            last=in_prev[-1],
            **names,
        )
    return failed(
        "{period}没有{what_zh}",
        "no {what_en} in {period}",
        period=label(prev),
        judged=prev,
        last=earlier[-1] if (earlier := dates(dt.date.min, on)) else None,
        **names,
    )


def _month_label(p: Period) -> str:
    return f"{p.start:%Y-%m}"


def _semester_label(p: Period) -> str:
    return f"{p.start}–{p.end}"


def patrol_window(on: dt.date) -> Period | None:
    """The days whose police patrols are judged on ``on``, or ``None`` when there are none.

    The seven days before ``on`` (``on`` excluded), never before 2019-12-03.

    >>> patrol_window(dt.date(2019, 12, 3)) is None
    True
    >>> patrol_window(dt.date(2019, 12, 4))
    Period(start=datetime.date(2019, 12, 3), end=datetime.date(2019, 12, 3))
    >>> patrol_window(dt.date(2024, 11, 20))
    Period(start=datetime.date(2024, 11, 13), end=datetime.date(2024, 11, 19))
    """
    start = max(on - dt.timedelta(days=PATROL_WINDOW_DAYS), ISSUED)
    end = on - ONE_DAY
    return Period(start, end) if end >= start else None
