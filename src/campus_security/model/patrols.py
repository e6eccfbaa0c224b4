"""A school's own patrols (电子巡查): check-ins at checkpoints, and their compact form.

An electronic patrol system (电子巡查) records each check-in of a guard at a checkpoint
with its time; a school without one keeps a patrol log. These are the school's own
patrols, not the police patrols of :class:`~campus_security.model.PolicePatrol`.

Rules ask for patrols of key places (重点部位: the gate, teaching buildings, dormitories,
the canteen, offices, laboratories) and, at boarding schools, for night patrols of the
dormitories. A patrol is at night when its local (China) time is from 22:00 to 06:00,
the span the PRC's noise law defines as 夜间 (《噪声污染防治法》第八十八条: "夜间是指晚上十点至
次日早晨六点之间的期间"); a night belongs to the day it began, so a check-in at 01:30 on
the 5th is a patrol of the night of the 4th.

Like the day series of inspections, routine check-ins may be kept compactly as
:class:`SchoolPatrolSeries`: a count per day (or per night) for one place kind.
:func:`patrol_counts` counts both forms for a period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

import attrs

from ._checks import check_fields
from .calendar import CHINA_TZ
from .enums import PlaceKind
from .provenance import Provenance
from .series import DaySeries
from .values import invalid

__all__ = [
    "DORMITORIES",
    "KEY_PLACES",
    "NIGHT_ENDS",
    "NIGHT_STARTS",
    "GridArea",
    "SchoolPatrol",
    "SchoolPatrolSeries",
    "patrol_counts",
]

NIGHT_STARTS = dt.time(22, 0)
"""夜间 begins at 22:00 local time."""
NIGHT_ENDS = dt.time(6, 0)
"""夜间 ends at 06:00 local time (a check-in at 06:00 is by day)."""

KEY_PLACES: frozenset[PlaceKind] = frozenset(
    {
        PlaceKind.GATE,
        PlaceKind.TEACHING_BUILDING,
        PlaceKind.DORMITORY,
        PlaceKind.GIRLS_DORMITORY,
        PlaceKind.CANTEEN,
        PlaceKind.OFFICE,
        PlaceKind.LABORATORY,
    }
)
"""重点部位: the places the documents list (教学楼、学生宿舍、食堂、办公楼、实验室、校门口)."""

DORMITORIES: frozenset[PlaceKind] = frozenset({PlaceKind.DORMITORY, PlaceKind.GIRLS_DORMITORY})
"""学生宿舍, girls' dormitories included."""


def _aware(_inst: object, attribute: attrs.Attribute[Any], value: dt.datetime) -> None:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        raise invalid("时间须带时区", "a timestamp needs a UTC offset", field=attribute.name)


@attrs.frozen
class SchoolPatrol:
    """电子巡查记录: one check-in of the school's own patrol at a checkpoint."""

    patrolled_at: dt.datetime = attrs.field(validator=_aware)
    """巡查时间: when the guard checked in, with its UTC offset."""
    place: PlaceKind
    """巡查部位: the kind of place of the checkpoint."""
    checkpoint: str | None = None
    """巡查点: the checkpoint, as the system names it."""
    guard: str | None = None
    """巡查人: who patrolled, by name (never an ID number)."""
    source: Provenance | None = None
    """数据来源: where the record was pulled from (``None``: entered in the roster)."""

    __attrs_post_init__ = check_fields

    @property
    def night(self) -> bool:
        """Whether the check-in was at night (22:00 to 06:00, China time)."""
        t = self.patrolled_at.astimezone(CHINA_TZ).time()
        return t >= NIGHT_STARTS or t < NIGHT_ENDS

    @property
    def day(self) -> dt.date:
        """The day the patrol counts for: its local date, or for a night the night's first day."""
        local = self.patrolled_at.astimezone(CHINA_TZ)
        if local.time() < NIGHT_ENDS:
            return local.date() - dt.timedelta(days=1)
        return local.date()


@attrs.frozen
class SchoolPatrolSeries:
    """电子巡查（按日计数）: patrols of one place kind counted per day, by day or at night.

    A count of ``n`` on a day stands for ``n`` :class:`SchoolPatrol` check-ins at a
    place of this kind on that day (``night=False``) or in the night that began that
    day (``night=True``), with no checkpoint, guard or time kept.
    """

    days: DaySeries
    """巡查日期及次数: how many check-ins on each day (or night)."""
    place: PlaceKind
    """巡查部位: the kind of place."""
    night: bool = False
    """夜间: the counts are of night patrols, each on the day its night began."""

    __attrs_post_init__ = check_fields


def patrol_counts(
    patrols: Iterable[SchoolPatrol],
    series: Iterable[SchoolPatrolSeries],
    start: dt.date,
    end: dt.date,
    *,
    places: Collection[PlaceKind] | None = None,
    night: bool | None = None,
) -> dict[dt.date, int]:
    """Check-ins per day in ``[start, end]`` (a night counts on the day it began).

    ``places`` keeps those place kinds; ``night`` keeps night (``True``) or day
    (``False``) patrols. Days without a patrol are left out.
    """
    counts: dict[dt.date, int] = {}
    for s in series:
        if (places is None or s.place in places) and (night is None or s.night is night):
            for d, n in s.days.counts_between(start, end):
                counts[d] = counts.get(d, 0) + n
    for p in patrols:
        if places is not None and p.place not in places:
            continue
        if night is not None and p.night is not night:
            continue
        d = p.day
        if start <= d <= end:
            counts[d] = counts.get(d, 0) + 1
    return counts


def _non_empty(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if isinstance(value, str) and not value.strip():  # a non-string: check_fields says so
        raise invalid("不能为空", "must not be empty", field=attribute.name)


@attrs.frozen
class GridArea:
    """网格: an area of the campus with the person responsible for its checks (网格化管理).

    A school's own checks (:class:`~campus_security.model.Inspection`) and the hazards
    found (:class:`~campus_security.model.Hazard`) may name their area by ``id``.
    """

    id: str = attrs.field(validator=_non_empty)
    """网格编号: the area's id, unique in the school; checks and hazards refer to it."""
    name: str = attrs.field(validator=_non_empty)
    """网格名称: the area, as the school names it (教学区, 宿舍区...)."""
    responsible: str | None = None
    """网格责任人: the person responsible for the area's checks; ``None``: nobody named."""
    source: Provenance | None = None
    """数据来源: where the record was pulled from (``None``: entered in the roster)."""

    __attrs_post_init__ = check_fields
