"""Asking the store across runs: a school's or a rule's history, a target's trend, hazards.

Each query reads what the runs recorded (never a roster) and returns typed values; the
command line renders them as text or JSON (``campus-security history``, ``trend``, ``hazards``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from ..model import Period, RegionCode, Text
from . import schema

__all__ = [
    "HazardReport",
    "HistoryEntry",
    "StoredHazard",
    "TrendPoint",
    "hazard_report",
    "history",
    "trend",
]


@attrs.frozen
class HistoryEntry:
    """One run in a school's (or a rule's) history: what failed, what was new, what was fixed.

    ``new`` and ``resolved`` compare with the previous run of the history in which the
    school (the rule) was checked; ``present`` says whether it was checked in this run
    (a school missing from a run's roster resolves nothing).
    """

    run: Any
    """The run (:class:`~campus_security.store.Run`)."""
    present: bool
    failing: tuple[Any, ...]
    """The failing findings (:data:`~campus_security.store.FAILING`) of this run."""
    waived: tuple[Any, ...]
    """The waived findings of this run."""
    new: tuple[Any, ...]
    resolved: tuple[Any, ...]


def history(
    runs: Sequence[Any],
    findings: Iterable[Any],
    present: Callable[[int], bool],
) -> tuple[HistoryEntry, ...]:
    """The history over ``runs`` (oldest first) of the stored ``findings`` (any runs).

    ``findings`` are (run id, :class:`StoredFinding`) pairs; ``present(run_id)`` whether the
    school (rule) was checked in that run.
    """
    by_run: dict[int, list[Any]] = {}
    for run_id, f in findings:
        by_run.setdefault(run_id, []).append(f)
    out: list[HistoryEntry] = []
    before: dict[Any, Any] | None = None
    for run in runs:
        here = present(run.id)
        got = by_run.get(run.id, [])
        failing = {f.key: f for f in got if f.status.value in ("fail", "error")}
        waived = tuple(f for f in got if f.status.value == "waived")
        if not here:
            out.append(HistoryEntry(run, False, (), (), (), ()))
            continue
        new = tuple(f for k, f in failing.items() if before is not None and k not in before)
        resolved = tuple(f for k, f in (before or {}).items() if k not in failing)
        out.append(HistoryEntry(run, True, tuple(failing.values()), waived, new, resolved))
        before = failing
    return tuple(out)


@attrs.frozen
class TrendPoint:
    """A target's rate as one run recorded it."""

    run: Any
    """The run (:class:`~campus_security.store.Run`)."""
    standard_id: str
    target_id: str
    region: str
    title: Text | None
    period: Period | None
    due: dt.date
    threshold: float
    met: int
    not_met: int
    waived: int
    errors: int
    status: str

    @property
    def value(self) -> float | None:
        """The share of counted schools that met the target (``None``: none counted)."""
        counted = self.met + self.not_met
        return self.met / counted if counted else None


def trend(
    conn: sa.Connection, runs: Mapping[int, Any], target_id: str, region: str | None
) -> tuple[TrendPoint, ...]:
    """Every recorded rate of ``target_id`` (in ``region`` if given), by run, region, period."""
    r = schema.rates.c
    query = sa.select(schema.rates).where(r.target_id == target_id)
    if region is not None:
        query = query.where(r.region == region)
    query = query.order_by(r.run_id, r.region, r.period_start, r.standard_id)
    out = []
    for row in conn.execute(query):
        m = row._mapping
        start, end = m["period_start"], m["period_end"]
        out.append(
            TrendPoint(
                run=runs[m["run_id"]],
                standard_id=m["standard_id"],
                target_id=m["target_id"],
                region=m["region"],
                title=Text(m["title_zh"], m["title_en"]) if m["title_zh"] is not None else None,
                period=Period(start, end) if start is not None and end is not None else None,
                due=m["due"],
                threshold=m["threshold"],
                met=m["met"],
                not_met=m["not_met"],
                waived=m["waived"],
                errors=m["errors"],
                status=m["status"],
            )
        )
    return tuple(out)


@attrs.frozen
class StoredHazard:
    """A hazard (``kind`` ``hazard``) or a rectification notice (``notice``) as a run recorded it.

    For a notice, ``found_on`` is the day it was issued and ``rectified_on`` the day it
    was closed (整改销号).
    """

    school_id: str
    region: str
    kind: str
    id: str
    found_on: dt.date
    rectify_by: dt.date | None
    rectified_on: dt.date | None
    location: str | None
    category: str | None
    on_the_spot: bool
    found_by: str | None
    hazard_ids: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        """The item's identity across runs: kind, school, id."""
        return (self.kind, self.school_id, self.id)

    def is_open(self, on: dt.date) -> bool:
        """Found (issued) on or before ``on`` and not rectified (closed) by then."""
        return self.found_on <= on and (self.rectified_on is None or self.rectified_on > on)

    def days_overdue(self, on: dt.date) -> int | None:
        """Days past the deadline on ``on`` when open and overdue, else ``None``."""
        if self.is_open(on) and self.rectify_by is not None and on > self.rectify_by:
            return (on - self.rectify_by).days
        return None

    def rectified_by(self, on: dt.date) -> bool:
        """Whether it was rectified (closed) on or before ``on``."""
        return self.rectified_on is not None and self.rectified_on <= on

    @property
    def on_time(self) -> bool | None:
        """Rectified by its deadline (``None``: not rectified, or no deadline)."""
        if self.rectified_on is None or self.rectify_by is None:
            return None
        return self.rectified_on <= self.rectify_by

    @property
    def days_to_rectify(self) -> int | None:
        """Days from found (issued) to rectified (closed); ``None`` while open."""
        return None if self.rectified_on is None else (self.rectified_on - self.found_on).days


@attrs.frozen
class HazardReport:
    """The hazards and notices of a run, as of a date, against an earlier run.

    ``since`` (default: the run before) is the run compared with: ``fixed`` are the items
    open in it (as of its date) and rectified since; ``vanished`` those open in it that
    this run's roster no longer holds, rectified or not (never dropped silently).
    """

    run: Any
    as_of: dt.date
    items: tuple[StoredHazard, ...]
    since: Any | None = None
    fixed: tuple[StoredHazard, ...] = ()
    vanished: tuple[StoredHazard, ...] = ()

    def open(self, kind: str = "hazard") -> tuple[StoredHazard, ...]:
        """Items of ``kind`` open on :attr:`as_of`."""
        return tuple(h for h in self.items if h.kind == kind and h.is_open(self.as_of))

    def overdue(self, kind: str = "hazard") -> tuple[StoredHazard, ...]:
        """Items of ``kind`` open past their deadline on :attr:`as_of`, most overdue first."""
        late = [h for h in self.items if h.kind == kind and h.days_overdue(self.as_of)]
        return tuple(sorted(late, key=lambda h: -(h.days_overdue(self.as_of) or 0)))

    def rectified(self, kind: str = "hazard") -> tuple[StoredHazard, ...]:
        """Items of ``kind`` rectified (closed) on or before :attr:`as_of`."""
        return tuple(h for h in self.items if h.kind == kind and h.rectified_by(self.as_of))

    def by_region(self) -> dict[str, dict[str, int]]:
        """Per region: hazards open, overdue, rectified on time or late; notices open, overdue."""
        out: dict[str, dict[str, int]] = {}
        keys = ("open", "overdue", "on_time", "late", "notices_open", "notices_overdue")
        for h in self.items:
            c = out.setdefault(h.region, dict.fromkeys(keys, 0))
            prefix = "" if h.kind == "hazard" else "notices_"
            if h.is_open(self.as_of):
                c[prefix + "open"] += 1
                if h.days_overdue(self.as_of):
                    c[prefix + "overdue"] += 1
            elif h.kind == "hazard" and h.rectified_by(self.as_of) and h.on_time is not None:
                c["on_time" if h.on_time else "late"] += 1
        return dict(sorted(out.items()))


def stored_hazards(
    conn: sa.Connection, run_id: int, region: RegionCode | None
) -> list[StoredHazard]:
    """The hazards and notices run ``run_id`` recorded (in ``region`` and the regions under it)."""
    h = schema.hazards.c
    query = sa.select(schema.hazards).where(h.run_id == run_id)
    out = []
    for row in conn.execute(query.order_by(h.kind, h.school_id, h.item_id)):
        m = row._mapping
        if region is not None and not region.covers(RegionCode(m["region"])):
            continue
        out.append(
            StoredHazard(
                school_id=m["school_id"],
                region=m["region"],
                kind=m["kind"],
                id=m["item_id"],
                found_on=m["found_on"],
                rectify_by=m["rectify_by"],
                rectified_on=m["rectified_on"],
                location=m["location"],
                category=m["category"],
                on_the_spot=bool(m["on_the_spot"]),
                found_by=m["found_by"],
                hazard_ids=tuple(m["hazard_ids"] or ()),
            )
        )
    return out


def hazard_report(
    run: Any,
    items: Sequence[StoredHazard],
    as_of: dt.date,
    since: Any | None,
    before: Sequence[StoredHazard],
) -> HazardReport:
    """The report of ``items`` (run ``run``) as of ``as_of``, against ``before`` (run ``since``)."""
    now = {h.key: h for h in items}
    fixed, vanished = [], []
    if since is not None:
        for h in before:
            if not h.is_open(since.on):
                continue
            later = now.get(h.key)
            if later is None:
                vanished.append(h)
            elif later.rectified_by(as_of):
                fixed.append(later)
    return HazardReport(run, as_of, tuple(items), since, tuple(fixed), tuple(vanished))
