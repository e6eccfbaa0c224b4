"""Merging records into a roster: what was added, updated, and found in conflict.

The merge never overwrites what the roster holds in silence. It fills a field the
roster leaves empty (an uncertified guard's certificate number, when the registry has
one for that ID number) and reports it as *updated*; it adds records (a background
check) and reports them as *added*; where the roster and the source disagree it keeps
the roster's value, reports a *conflict*, and records the disagreement where the rules
see it (a :class:`~campus_security.model.RegistryCheck` whose status says
``number_mismatch``, ``held_by_another`` or ``not_registered``). Records that match
nothing in the roster are reported as *unmatched*.

Every message masks ID numbers (they print masked); the report's JSON form shows them
in full only when asked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from ..errors import Problem, RosterError
from ..model import (
    Drill,
    GridArea,
    Guard,
    IdNumber,
    Inspection,
    Provenance,
    RegistryCheck,
    RegistryStatus,
    Roster,
    School,
    SchoolPatrol,
    Text,
)
from . import (
    RECORD_TYPES,
    BackgroundReview,
    GridRecord,
    LedgerRecord,
    PatrolRecord,
    RecordSource,
    RegisteredCompany,
    RegisteredGuard,
    SourceRead,
    now,
)
from .changes import Change, ChangeKind, MergeReport
from .tables import TableError

__all__ = ["Change", "ChangeKind", "MergeReport", "merge_records", "read_sources"]


def _at(record: Any) -> str:
    src: Provenance | None = getattr(record, "source", None)
    if src is None and hasattr(record, "check"):
        src = record.check.source
    location = src.location if src is not None else "-"
    return f"{location}: {record.where}" if record.where else location


def _norm(number: str | None) -> str | None:
    if number is None:
        return None
    text = "".join(number.split()).upper()
    return text or None


class _Merge:
    def __init__(self, roster: Roster) -> None:
        self.schools = [list(s.guards) for s in roster.schools]
        self.companies = list(roster.companies)
        self.roster = roster
        self.changes: list[Change] = []
        self.evolved: dict[int, School] = {}
        """Schools with records added (patrols, grid), by index (guards come from ``schools``)."""

    def change(self, kind: ChangeKind, path: str, zh: str, en: str, record: Any) -> None:
        self.changes.append(Change(kind, path, Text(zh, en), _at(record)))

    def guards(self) -> Iterable[tuple[int, int, Guard]]:
        for i, guards in enumerate(self.schools):
            for j, g in enumerate(guards):
                yield i, j, g

    def set_guard(self, i: int, j: int, guard: Guard) -> None:
        self.schools[i][j] = guard

    def result(self) -> Roster:
        schools: list[School] = []
        for i, (s, g) in enumerate(zip(self.roster.schools, self.schools, strict=True)):
            s = self.evolved.get(i, s)
            schools.append(s if tuple(g) == s.guards else attrs.evolve(s, guards=tuple(g)))
        return Roster(schools=schools, companies=self.companies)

    # --- the certificate registry: guards ----------------------------------------------

    def registered_guards(self, records: Sequence[RegisteredGuard]) -> None:
        by_id: dict[IdNumber, RegisteredGuard] = {}
        by_number: dict[str, RegisteredGuard] = {}
        for r in records:
            by_id.setdefault(r.id_number, r)
            key = _norm(r.certificate_number)
            if key is not None:
                by_number.setdefault(key, r)
        source = records[0].source
        matched: set[IdNumber] = set()
        for i, j, g in self.guards():
            path = f"schools[{i}].guards[{j}]"
            who = f"{g.name}（{g.id_number}）"
            who_en = f"{g.name} ({g.id_number})"
            entry = by_id.get(g.id_number)
            mine = _norm(g.certificate_number)
            if entry is not None:
                matched.add(g.id_number)
                theirs = _norm(entry.certificate_number)
                check = RegistryCheck(
                    entry.status,
                    entry.source,
                    entry.certificate_number,
                    entry.issued_by,
                    entry.issued_on,
                )
                if mine is None:
                    g = attrs.evolve(g, certificate_number=entry.certificate_number)
                    self.change(
                        ChangeKind.UPDATED,
                        f"{path}.certificate_number",
                        f"{who}：名册无保安员证编号，登记为 {entry.certificate_number}"
                        f"（{entry.status.zh}）",
                        f"{who_en}: no certificate number in the roster; the registry has "
                        f"{entry.certificate_number} ({entry.status.value})",
                        entry,
                    )
                elif mine != theirs:
                    check = attrs.evolve(check, status=RegistryStatus.NUMBER_MISMATCH)
                    self.change(
                        ChangeKind.CONFLICT,
                        f"{path}.certificate_number",
                        f"{who}：名册证号 {g.certificate_number} 与登记证号 "
                        f"{entry.certificate_number} 不符，保留名册证号",
                        f"{who_en}: the roster's certificate number {g.certificate_number} "
                        f"differs from the registry's {entry.certificate_number}; "
                        "the roster's is kept",
                        entry,
                    )
            else:
                other = by_number.get(mine) if mine is not None else None
                if other is not None:
                    check = RegistryCheck(
                        RegistryStatus.HELD_BY_ANOTHER, other.source, other.certificate_number
                    )
                    self.change(
                        ChangeKind.CONFLICT,
                        f"{path}.certificate_number",
                        f"{who}：证号 {g.certificate_number} 在登记中属于另一身份证号"
                        f"（{other.id_number}）",
                        f"{who_en}: the registry gives certificate {g.certificate_number} "
                        f"to another ID number ({other.id_number})",
                        other,
                    )
                else:
                    check = RegistryCheck(RegistryStatus.NOT_REGISTERED, source)
                    self.change(
                        ChangeKind.CONFLICT,
                        f"{path}.registry_check",
                        f"{who}：登记中查无此人"
                        + (f"及证号 {g.certificate_number}" if mine else ""),
                        f"{who_en}: the registry does not know this guard"
                        + (f" nor certificate {g.certificate_number}" if mine else ""),
                        _Loc(source),
                    )
            if g.registry_check == check:
                self.change(
                    ChangeKind.UNCHANGED,
                    f"{path}.registry_check",
                    f"{who}：核验结果未变（{check.status.zh}）",
                    f"{who_en}: registry check unchanged ({check.status.value})",
                    entry or _Loc(source),
                )
                continue
            if (
                g.registry_check is None
                and entry is not None
                and mine == _norm(entry.certificate_number)
            ):
                self.change(
                    ChangeKind.UPDATED,
                    f"{path}.registry_check",
                    f"{who}：保安员证已核验，{check.status.zh}",
                    f"{who_en}: certificate checked in the registry: {check.status.value}",
                    entry,
                )
            elif g.registry_check is not None:
                old = g.registry_check
                self.change(
                    ChangeKind.UPDATED,
                    f"{path}.registry_check",
                    f"{who}：核验结果由 {old.status.zh}（{old.source.retrieved_at:%Y-%m-%d}）"
                    f"改为 {check.status.zh}",
                    f"{who_en}: registry check {old.status.value} "
                    f"({old.source.retrieved_at:%Y-%m-%d}) replaced by {check.status.value}",
                    entry or _Loc(source),
                )
            self.set_guard(i, j, attrs.evolve(g, registry_check=check))
        extra = [r for r in records if r.id_number not in matched]
        if extra:
            self.change(
                ChangeKind.UNMATCHED,
                "$",
                f"登记中另有 {len(extra)} 名保安员不在名册中（未合并）",
                f"{len(extra)} other registered guard(s) are not in the roster (not merged)",
                _Loc(source),
            )

    # --- the certificate registry: companies -------------------------------------------

    def registered_companies(self, records: Sequence[RegisteredCompany]) -> None:
        by_code = {r.credit_code: r for r in records if r.credit_code is not None}
        by_name: dict[str, RegisteredCompany] = {}
        for r in records:
            by_name.setdefault("".join(r.name.split()), r)
        source = records[0].source
        matched: set[int] = set()
        for k, c in enumerate(self.companies):
            path = f"companies[{k}]"
            entry = by_code.get(c.credit_code) if c.credit_code is not None else None
            if entry is None and c.credit_code is None:
                entry = by_name.get("".join(c.name.split()))
            new = c
            if entry is None:
                check = RegistryCheck(RegistryStatus.NOT_REGISTERED, source)
                self.change(
                    ChangeKind.CONFLICT,
                    f"{path}.registry_check",
                    f"{c.name}：登记中查无此企业",
                    f"{c.name}: the registry does not know the company",
                    _Loc(source),
                )
            else:
                matched.add(id(entry))
                check = RegistryCheck(entry.status, entry.source, entry.permit_number)
                mine, theirs = _norm(c.permit_number), _norm(entry.permit_number)
                if c.credit_code is None and entry.credit_code is not None:
                    new = attrs.evolve(new, credit_code=entry.credit_code)
                    self.change(
                        ChangeKind.UPDATED,
                        f"{path}.credit_code",
                        f"{c.name}：补充统一社会信用代码 {entry.credit_code}",
                        f"{c.name}: credit code {entry.credit_code} added from the registry",
                        entry,
                    )
                if mine is None and theirs is not None:
                    new = attrs.evolve(new, permit_number=entry.permit_number)
                    self.change(
                        ChangeKind.UPDATED,
                        f"{path}.permit_number",
                        f"{c.name}：名册无许可证编号，登记为 {entry.permit_number}",
                        f"{c.name}: no permit number in the roster; the registry has "
                        f"{entry.permit_number}",
                        entry,
                    )
                elif mine is not None and mine != theirs:
                    check = attrs.evolve(check, status=RegistryStatus.NUMBER_MISMATCH)
                    self.change(
                        ChangeKind.CONFLICT,
                        f"{path}.permit_number",
                        f"{c.name}：名册许可证号 {c.permit_number} 与登记 "
                        f"{entry.permit_number or '（无）'} 不符，保留名册许可证号",
                        f"{c.name}: the roster's permit number {c.permit_number} differs "
                        f"from the registry's {entry.permit_number or '(none)'}; "
                        "the roster's is kept",
                        entry,
                    )
            if c.registry_check == check and new == c:
                self.change(
                    ChangeKind.UNCHANGED,
                    f"{path}.registry_check",
                    f"{c.name}：核验结果未变（{check.status.zh}）",
                    f"{c.name}: registry check unchanged ({check.status.value})",
                    entry or _Loc(source),
                )
                continue
            if check.status in (
                RegistryStatus.VALID,
                RegistryStatus.REVOKED,
                RegistryStatus.SUSPENDED,
            ):
                self.change(
                    ChangeKind.UPDATED,
                    f"{path}.registry_check",
                    f"{c.name}：许可证已核验，{check.status.zh}",
                    f"{c.name}: permit checked in the registry: {check.status.value}",
                    entry or _Loc(source),
                )
            self.companies[k] = attrs.evolve(new, registry_check=check)
        extra_c = [r for r in records if id(r) not in matched]
        if extra_c:
            self.change(
                ChangeKind.UNMATCHED,
                "$",
                f"登记中另有 {len(extra_c)} 家企业不在名册中（未合并）",
                f"{len(extra_c)} other registered company(ies) are not in the roster (not merged)",
                _Loc(source),
            )

    # --- background reviews --------------------------------------------------------------

    def background_reviews(self, records: Sequence[BackgroundReview]) -> None:
        by_id: dict[IdNumber, list[BackgroundReview]] = defaultdict(list)
        for r in records:
            by_id[r.id_number].append(r)
        matched: set[IdNumber] = set()
        for i, j, g in self.guards():
            reviews = by_id.get(g.id_number)
            if not reviews:
                continue
            matched.add(g.id_number)
            path = f"schools[{i}].guards[{j}].background_checks"
            checks = list(g.background_checks)
            for r in reviews:
                new = r.check
                who = f"{g.name}（{g.id_number}）"
                who_en = f"{g.name} ({g.id_number})"
                flags = "、".join(f.zh for f in sorted(new.flags)) or "无异常"
                flags_en = ", ".join(f.value for f in sorted(new.flags)) or "nothing found"
                same = [
                    c for c in checks if c.checked_on == new.checked_on and c.flags == new.flags
                ]
                if same:
                    self.change(
                        ChangeKind.UNCHANGED,
                        path,
                        f"{who}：{new.checked_on} 的审查已在名册中",
                        f"{who_en}: the review of {new.checked_on} is already in the roster",
                        r,
                    )
                    continue
                other = [c for c in checks if c.checked_on == new.checked_on]
                checks.append(new)
                if other:
                    self.change(
                        ChangeKind.CONFLICT,
                        f"{path}[{len(checks) - 1}]",
                        f"{who}：名册中 {new.checked_on} 已有结论不同的审查；两者均保留"
                        f"（任一发现均计入）：{flags}",
                        f"{who_en}: the roster has a review of {new.checked_on} with other "
                        f"findings; both kept (the findings of either count): {flags_en}",
                        r,
                    )
                else:
                    self.change(
                        ChangeKind.ADDED,
                        f"{path}[{len(checks) - 1}]",
                        f"{who}：新增 {new.checked_on} 背景审查：{flags}",
                        f"{who_en}: background check of {new.checked_on} added: {flags_en}",
                        r,
                    )
            self.set_guard(i, j, attrs.evolve(g, background_checks=tuple(checks)))
        for idn, reviews in by_id.items():
            if idn not in matched:
                for r in reviews:
                    self.change(
                        ChangeKind.UNMATCHED,
                        "$",
                        f"审查对象（{idn}）不是名册中的保安员",
                        f"the person reviewed ({idn}) is not a guard of the roster",
                        r,
                    )


def _school_patrols(m: _Merge, records: Sequence[PatrolRecord]) -> None:
    """Check-ins added to the school the export names (by id, else by exact name)."""
    schools = m.roster.schools
    by_id = {s.id: i for i, s in enumerate(schools)}
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(schools):
        by_name["".join(s.name.split())].append(i)
    grouped: dict[str, list[PatrolRecord]] = defaultdict(list)
    for r in records:
        grouped[r.school].append(r)
    for key, recs in grouped.items():
        index = by_id.get(key)
        if index is None:
            named = by_name.get("".join(key.split()), [])
            index = named[0] if len(named) == 1 else None
        if index is None:
            m.change(
                ChangeKind.UNMATCHED,
                "$",
                f"{len(recs)} 条巡查记录的学校 {key!r} 不在名册中（或名称不唯一）",
                f"{len(recs)} patrol record(s) of school {key!r}, which the roster does not "
                "have (or whose name is not unique)",
                recs[0],
            )
            continue
        school = m.evolved.get(index, schools[index])
        have = {(p.patrolled_at, p.place, p.checkpoint, p.guard) for p in school.school_patrols}
        new: list[SchoolPatrol] = []
        for r in recs:
            p = r.patrol
            key4 = (p.patrolled_at, p.place, p.checkpoint, p.guard)
            if key4 not in have:
                have.add(key4)
                new.append(p)
        path = f"schools[{index}].school_patrols"
        if len(recs) > len(new):
            m.change(
                ChangeKind.UNCHANGED,
                path,
                f"{school.name}：{len(recs) - len(new)} 条巡查记录已在名册中",
                f"{school.name}: {len(recs) - len(new)} patrol record(s) already in the roster",
                recs[0],
            )
        if new:
            days = sorted(p.day for p in new)
            m.change(
                ChangeKind.ADDED,
                path,
                f"{school.name}：新增 {len(new)} 条巡查记录（{days[0]} 至 {days[-1]}）",
                f"{school.name}: {len(new)} patrol record(s) added ({days[0]} to {days[-1]})",
                recs[0],
            )
            m.evolved[index] = attrs.evolve(
                school,
                school_patrols=tuple(
                    sorted((*school.school_patrols, *new), key=lambda p: p.patrolled_at)
                ),
            )


def _school_index(m: _Merge, key: str) -> int | None:
    schools = m.roster.schools
    for i, s in enumerate(schools):
        if s.id == key:
            return i
    named = [i for i, s in enumerate(schools) if "".join(s.name.split()) == "".join(key.split())]
    return named[0] if len(named) == 1 else None


def _grid(m: _Merge, records: Sequence[GridRecord | LedgerRecord]) -> None:
    """Grid areas, checks of areas and hazards added to the school the export names."""
    grouped: dict[str, list[GridRecord | LedgerRecord]] = defaultdict(list)
    for r in records:
        grouped[r.school].append(r)
    for key, recs in grouped.items():
        index = _school_index(m, key)
        if index is None:
            m.change(
                ChangeKind.UNMATCHED,
                "$",
                f"{len(recs)} 条记录的学校 {key!r} 不在名册中（或名称不唯一）",
                f"{len(recs)} record(s) of school {key!r}, which the roster does not have "
                "(or whose name is not unique)",
                recs[0],
            )
            continue
        school = m.evolved.get(index, m.roster.schools[index])
        path = f"schools[{index}]"
        areas = {a.id: a for a in school.grid_areas}
        order = [a.id for a in school.grid_areas]
        for r in recs:
            a = r.item
            if not isinstance(a, GridArea):
                continue
            had = areas.get(a.id)
            if had is None:
                areas[a.id] = a
                order.append(a.id)
                m.change(
                    ChangeKind.ADDED,
                    f"{path}.grid_areas",
                    f"{school.name}：新增网格 {a.id}（{a.name}，"
                    f"责任人 {a.responsible or '未明确'}）",
                    f"{school.name}: grid area {a.id} added ({a.name}, responsible: "
                    f"{a.responsible or 'none named'})",
                    r,
                )
            elif (had.name, had.responsible) == (a.name, a.responsible):
                m.change(
                    ChangeKind.UNCHANGED,
                    f"{path}.grid_areas",
                    f"{school.name}：网格 {a.id} 未变",
                    f"{school.name}: grid area {a.id} unchanged",
                    r,
                )
            elif had.responsible is None and had.name == a.name:
                areas[a.id] = attrs.evolve(had, responsible=a.responsible, source=a.source)
                m.change(
                    ChangeKind.UPDATED,
                    f"{path}.grid_areas",
                    f"{school.name}：网格 {a.id} 补充责任人 {a.responsible}",
                    f"{school.name}: grid area {a.id}: responsible person {a.responsible} added",
                    r,
                )
            else:
                m.change(
                    ChangeKind.CONFLICT,
                    f"{path}.grid_areas",
                    f"{school.name}：网格 {a.id} 名册为 {had.name}／{had.responsible}，来源为 "
                    f"{a.name}／{a.responsible}；保留名册",
                    f"{school.name}: grid area {a.id} is {had.name}/{had.responsible} in the "
                    f"roster and {a.name}/{a.responsible} in the source; the roster's is kept",
                    r,
                )
        inspections = list(school.inspections)
        seen: set[object] = set(inspections)
        drills = list(school.drills)
        seen.update(drills)
        hazards = {h.id: h for h in school.hazards}
        hazard_order = [h.id for h in school.hazards]
        added = unchanged = added_drills = 0
        for r in recs:
            item = r.item
            if isinstance(item, GridArea):
                continue
            if isinstance(item, Drill):
                if item in seen:
                    unchanged += 1
                else:
                    seen.add(item)
                    drills.append(item)
                    added_drills += 1
                continue
            if item.grid_area is not None and item.grid_area not in areas:
                m.change(
                    ChangeKind.CONFLICT,
                    "$",
                    f"{school.name}：记录引用了不存在的网格 {item.grid_area}，未合并",
                    f"{school.name}: the record names grid area {item.grid_area}, which neither "
                    "the roster nor the export has; not merged",
                    r,
                )
                continue
            if isinstance(item, Inspection):
                if item in seen:
                    unchanged += 1
                else:
                    seen.add(item)
                    inspections.append(item)
                    added += 1
                continue
            had_h = hazards.get(item.id)
            if had_h is None:
                hazards[item.id] = item
                hazard_order.append(item.id)
                m.change(
                    ChangeKind.ADDED,
                    f"{path}.hazards",
                    f"{school.name}：新增隐患 {item.id}（{item.found_on} 发现）",
                    f"{school.name}: hazard {item.id} added (found {item.found_on})",
                    r,
                )
            elif had_h == item:
                unchanged += 1
            elif had_h.rectified_on is None and attrs.evolve(
                item, rectified_on=None
            ) == attrs.evolve(had_h, rectified_on=None):
                hazards[item.id] = item
                m.change(
                    ChangeKind.UPDATED,
                    f"{path}.hazards",
                    f"{school.name}：隐患 {item.id} 已于 {item.rectified_on} 整改完成",
                    f"{school.name}: hazard {item.id} rectified on {item.rectified_on}",
                    r,
                )
            else:
                m.change(
                    ChangeKind.CONFLICT,
                    f"{path}.hazards",
                    f"{school.name}：隐患 {item.id} 与名册记录不同，保留名册",
                    f"{school.name}: hazard {item.id} differs from the roster's; the roster's "
                    "is kept",
                    r,
                )
        if added:
            m.change(
                ChangeKind.ADDED,
                f"{path}.inspections",
                f"{school.name}：新增 {added} 条检查记录",
                f"{school.name}: {added} inspection record(s) added",
                recs[0],
            )
        if added_drills:
            m.change(
                ChangeKind.ADDED,
                f"{path}.drills",
                f"{school.name}：新增 {added_drills} 条演练记录",
                f"{school.name}: {added_drills} drill record(s) added",
                recs[0],
            )
        if unchanged:
            m.change(
                ChangeKind.UNCHANGED,
                path,
                f"{school.name}：{unchanged} 条记录已在名册中",
                f"{school.name}: {unchanged} record(s) already in the roster",
                recs[0],
            )
        m.evolved[index] = attrs.evolve(
            school,
            grid_areas=tuple(areas[k] for k in order),
            drills=tuple(drills),
            inspections=tuple(inspections),
            hazards=tuple(hazards[k] for k in hazard_order),
        )


@attrs.frozen
class _Loc:
    """A record-less place in an export (the export as a whole)."""

    source: Provenance
    where: str = ""


_MERGERS: dict[type, Callable[[_Merge, Any], None]] = {
    RegisteredGuard: _Merge.registered_guards,
    RegisteredCompany: _Merge.registered_companies,
    BackgroundReview: _Merge.background_reviews,
    PatrolRecord: _school_patrols,
    GridRecord: _grid,
    LedgerRecord: _grid,
}
assert set(_MERGERS) == set(RECORD_TYPES)


def merge_records(
    roster: Roster, records: Iterable[object], problems: Iterable[Problem] = ()
) -> MergeReport:
    """Merge ``records`` (of :data:`RECORD_TYPES`) into ``roster``; report what changed.

    Records of each type are merged together, in the order of :data:`RECORD_TYPES`:
    a registry's guards as one registry (every guard of the roster is checked against
    it), its companies likewise, background reviews added to the guards with their ID
    numbers. A record of another type is reported as a problem and not merged.
    ``problems`` (the sources' reading problems) are carried into the report.
    """
    found: dict[type, list[Any]] = defaultdict(list)
    out_problems = list(problems)
    for r in records:
        if type(r) in _MERGERS:
            found[type(r)].append(r)
        else:
            out_problems.append(
                Problem(
                    "$",
                    Text(
                        f"数据来源返回了无法合并的记录类型 {type(r).__name__}",
                        f"the source returned a record of a type that cannot be merged: "
                        f"{type(r).__name__}",
                    ),
                )
            )
    m = _Merge(roster)
    for kind in RECORD_TYPES:
        if found.get(kind):
            _MERGERS[kind](m, found[kind])
    return MergeReport(m.result(), tuple(m.changes), tuple(out_problems))


def read_sources(
    reads: Iterable[tuple[RecordSource, str]], *, at: dt.datetime | None = None
) -> tuple[list[object], list[Problem], int]:
    """Read each ``(source, location)`` on its own: records, problems, how many reads failed.

    A source that raises is reported as a problem naming the source and the location,
    and the others are still read; so is one that returns something other than a
    :class:`SourceRead`. ``at`` is the time recorded in each read's provenance
    (default: now, UTC).
    """
    records: list[object] = []
    problems: list[Problem] = []
    failed = 0
    for source, location in reads:
        prov = Provenance(source.name, location, at or now())
        try:
            got = source.read(location, prov)
        except RosterError as exc:
            problems.extend(exc.problems)
            failed += 1
            continue
        except TableError as exc:
            problems.append(exc.problem)
            failed += 1
            continue
        except Exception as exc:
            problems.append(
                Problem(
                    "$",
                    Text(
                        f"数据来源 {source.name} 读取失败：{type(exc).__name__}: {exc}",
                        f"record source {source.name} failed: {type(exc).__name__}: {exc}",
                    ),
                    location,
                )
            )
            failed += 1
            continue
        if not isinstance(got, SourceRead):
            problems.append(
                Problem(
                    "$",
                    Text(
                        f"数据来源 {source.name} 返回了 {type(got).__name__}，不是 SourceRead",
                        f"record source {source.name} returned a {type(got).__name__}, "
                        "not a SourceRead",
                    ),
                    location,
                )
            )
            failed += 1
            continue
        records.extend(got.records)
        problems.extend(got.problems)
    return records, problems, failed
