"""The per-school rules of 苏公通〔2019〕635号 and its annex 八项措施, clause by clause.

The source is the original text (``seeds/004_e6646cfad1a5c38c.txt``); the colleague's
spec (``plugins/jiangsu/SPEC.md``) was checked against it figure by figure. Every
reading that the text leaves open is decided here, with its reason.

Citations
    Clauses are cited as the document prints them. Section 三 prints full-width brackets
    and items ``1.`` to ``5.``: ``三（一）2``. Section 四 prints ``(一) (二) (三)``
    half-width but ``（四）`` full-width: ``四(二)``, ``四（四）``. The annex is cited as
    ``附件 八项措施 <n>`` with the printed numeral. A rule carries one citation, the
    clause that gives it its date or its wording; the other clauses it rests on are
    named in its docstring and in ``docs/coverage/jiangsu.md``.

Deadlines ("2019年底前" and the like)
    "By the end of 2019" means the state must hold on 31 December 2019 itself, so a dated
    rule binds from the deadline day (``binding_from=2019-12-31``) and its rate target is
    due that day. The day before, a failure is reported as not yet binding; on the day
    it is a failure.

Construction items with no date of their own (rules guard-equipment, perimeter,
security-systems, police-room)
    四(二) closes the plan with 「有力有序推进校园人防、物防、技防建设，确保2022年前实现全面
    达标」. "2022年前" is read as "by the end of 2022" (2022-12-31), like the 「2022年底前」 of
    三（一）2 and 三（一）3 and the 2019-2022 span of the 三年行动; the literal "before 2022"
    (2021-12-31) would clash with those. These rules bind from 2022-12-31 and have
    derived 100 % targets due that day ("全面达标" read as every school).

Routines and records with no date
    They bind from the day the notice was distributed (2019-12-03, 「2019年12月3日印发」):
    the annex is to be passed down at once (「迅速传达…确保各项措施落到实处」).

Record windows never reach back before 2019-12-03
    A month, semester or patrol day that began before the notice is not judged.

Guards are counted as of the evaluation date
    A guard whose ``hired_on`` is after ``ctx.on`` is not yet in post and is ignored; a
    guard without ``hired_on`` counts as in post (the core's ``Guard.on_staff`` and
    ``School.guards_on_staff``).

Declared and probed devices (C6)
    A device counts when it is declared with the right kind and placement, unless
    ``judge_devices`` reports it failing: a device adapter probed it unreachable, or its
    clock is off by more than ``CLOCK_TOLERANCE`` (10 s). A dead device is not 达标, and
    neither is one whose clock is wrong: video and alarm records are kept to be used as
    evidence (the annex's cameras serve 公安机关监控报警平台), and a recording or alarm log
    whose clock is off cannot be aligned with the platform's records, an alarm log or a
    110 call record, so it is useless as evidence. The 10 s tolerance is the core's,
    justified at ``CLOCK_TOLERANCE`` and in docs/device-adapters.md (GB/T 28181-2016
    9.10.1 requires networked video devices to keep Beijing time by SIP or NTP; a
    synchronised device is within about 1 s, a probe measures to about 1 s, an
    unsynchronised device drifts by minutes); the comparison is strict, so an offset of
    exactly 10 s passes and 10.5 s fails. The same reading applies to the intrusion
    alarm, access control and electronic patrol systems (``jiangsu.security-systems``),
    whose logs are only evidence with a right clock. The evidence holds the probe's
    judgement of the judged devices under ``probe``; a failing rule's message gives its
    summary. Without a status file, or for a device with no status, the declaration is
    judged, as before. ``jiangsu.police-link`` also fails when any judged alarm or
    camera fails the probe: a dead or off-clock device is not 联网 in any useful sense,
    even if another device of its kind still counts.

School kinds and localities
    "中小学" is every kind but ``KINDERGARTEN`` (vocational and combined schools included);
    "幼儿园" is ``KINDERGARTEN``. 城市 is ``URBAN``; 城镇, 县城 and 乡镇 are ``TOWN``; 乡村
    and 农村 are ``RURAL``; 「治安交通环境复杂的乡村」 is ``RURAL`` with ``complex_area``.
    「乡镇中心学校」 is ``School.township_central`` on a school that is not a kindergarten:
    the annex sentence that names it (附件 八项措施 一, 六) lists 「城市中小学、幼儿园及乡镇
    中心学校」, naming 幼儿园 apart from 学校, so a township's central kindergarten is not
    one. A central school may lie in a 乡中心区, which statistics class as ``RURAL``; the
    flag, not the locality, decides.

Staffing (三（一）2)
    The per-school number depends on 「相关标准」 that the document does not give, so the
    checkable floor is one full-time guard (配备率 = the share of schools that have one).
    Part-time guards do not count. Private 中小学 are in the 2019 rule (「全省中小学」 has
    no ownership split); only private kindergartens have until 2020-12-31.

First-hire age (三（一）2, 「2022年底前…首次聘用专职保安员年龄不得超过50岁」)
    - The text says 50岁; age is counted in whole years (周岁), the legal reckoning, and
      "不得超过50岁" is "at most 50": a guard hired on the 50th birthday passes, one hired
      on the 51st birthday fails (someone born on 29 February turns 51 on 1 March).
    - Age is measured on the hire date (``hired_on``), not on the evaluation date: the
      condition attaches to 首次聘用; measuring later would invent a retirement age.
    - It governs first hires from the deadline day on (``hired_on >= 2022-12-31``) and
      binds from that day. Earlier hires are never judged: the same sentence asks only
      health and training of guards already in post (在职保安).
    - A full-time guard with no ``hired_on`` may be such a hire. Over 50 on the evaluation
      date, the roster cannot show compliance: FAIL, asking for the date. At most 50, the
      guard was at most 50 on any earlier hire date: judged and compliant.
    - Part-time guards are not judged (the text says 专职).

Background checks (三（一）2)
    Every guard in post is judged, full-time or not (the text says 门卫、保安员). The latest
    check dated on or before the evaluation date decides (``Guard.latest_background_check``):
    a later clear check supersedes an earlier flagged one, since a flag such as 涉诉 can
    lapse. Two checks on the same latest day are read together (any flag fails).

Anti-ramming (三（一）3, 附件 八项措施 三)
    Two rules split the schools, because the deadlines differ: urban, town and complex
    rural schools by 2019-12-31, other rural schools by 2022-12-31. A school whose gate no
    motor vehicle can reach (``vehicle_access`` false) is exempt in both: the 2022 sentence
    sets the end state for every school and exempts such gates, and an earlier stage
    cannot sensibly be stricter than the end state. The annex sentence
    「学校大门口应安装硬质防冲撞设施」 is the standing form of the same duty; its timing comes
    from 三（一）3.

Video (三（一）4, 附件 八项措施 四)
    The annex asks for cameras 「在校门口、重要部位及人员聚集场所」, so a school needs a
    counting camera at each of ``GATE``, ``KEY_AREA`` and ``CROWD_AREA``. The annex adds
    「并接入公安机关监控报警平台」 for all of them, so the police-link rule requires every
    counting one-key alarm and every counting camera at those three placements to be
    linked. ``full_coverage`` is not asked (that is Pucheng's wording). Cameras placed
    elsewhere (``OTHER``, ``PERIMETER``) are neither required nor judged for the link.

One-key alarm
    It must be in the gatehouse (「在门卫值班室设置一键式紧急报警装置」): an alarm with no
    placement or elsewhere does not count for the alarm rule. The link rule reads every
    counting alarm, wherever it is.

Police camera outside the gate
    A ``POLICE_CAMERA`` counts when placed ``OUTSIDE_GATE`` or undeclared (the kind itself
    is the police's own camera outside the gate); ``linked_to_police`` is not asked.

Security systems (三（一）4, 二(四))
    「进一步规范…入侵报警、视频监控、出入口控制和电子巡查等系统建设」 with 「技防系统建设实现
    全面达标」 is read as each school having an intrusion alarm, access control and an
    electronic patrol system (one-key alarm and video are judged by their own rules). The
    text never says each school must have each system in so many words; this is the
    strongest reading the plan's 全面达标 supports.

Gate duty, registration, passes (三（一）5, 附件 八项措施 五)
    Booleans of the roster, which is the school's state on the evaluation date. Vehicle
    passes are read into ``pass_system``. Pick-up checks bind 小学 and 幼儿园; ``COMBINED``
    schools are judged because a 九年一贯制 school has primary grades (a 完全中学 with no
    primary grades needs a waiver until the core splits the kind).

Monthly self-check (三（一）5, 「每月安全隐患自查整改制度」)
    Counting records are the school's own inspections (``InspectorLevel.SCHOOL``) with
    cadence ``MONTHLY`` or unstated. Daily, weekly and quarterly checks are other routines
    and do not count. A periodic rule (``every=Every.MONTH``). As of a date, the current
    calendar month is never failed before it ends: PASS if it already has a check
    (``ctx.current``), otherwise the previous month (``ctx.period``) decides. Over a
    window, each month wholly inside it is judged on its own records: the early pass is
    for a check as of a date, which must say something about the running month, while a
    window asks about each finished month. December 2019 began before the notice and is
    not judged, so January 2020 is the first month judged (on 1 February 2020).

Hazards and notices (三（一）5 「及时整改」, 附件 八项措施 八 「限期改正」)
    A hazard or notice fails once it is open the day after its deadline; rectifying on the
    deadline day passes. A hazard without a deadline is never overdue (「及时」 sets no
    period). Notices from any issuer count.

Police school-gate post (护学岗)
    三（二）1 dates it: 「2019年底前，公安机关在城市、县城及乡镇学校全部设立护学岗」 (``URBAN`` and
    ``TOWN``, every kind, 学校 being generic there). The annex (八项措施 一) adds
    乡镇中心学校 wherever they lie. One rule covers both, from 2019-12-31.

Police patrol (附件 八项措施 六, 「每日每校巡查工作不少于2次」)
    - Population: 城市中小学、幼儿园 (``URBAN``) and 乡镇中心学校 (``township_central``,
      not kindergartens). Other town schools are outside the sentence.
    - Window: a daily duty (``every=Every.DAY``). As of a date, the seven calendar days
      before it are judged together (``lookback=7``),
      ``Period(max(on - 7 days, 2019-12-03), on - 1 day)``. The evaluation day is left out
      because its patrols may still be under way; seven days cover a whole week, weekend
      included, without condemning a school for gaps long past. Nothing is judged on
      2019-12-03 itself. Over a window (``check --from/--to``) each day inside it is
      judged on its own, so the report lists the days that lapsed.
    - Every calendar day counts, not only school days: 每日 is unqualified, while the very
      next sentence limits 社会面巡防 to 「上、放学时段和师生在校期间」. The contrast shows
      that 每日每校 is not limited to school days.
    - The counts of all records of a day are summed; a day needs at least 2.

Police room (附件 八项措施 七)
    A campus police room set up 「按照…“五统一”要求」: the room and ``police_room_unified``.
    四（四） lists 校园警务室 among the plan's acceptance items, so it is a construction item
    binding from 2022-12-31.

Emergency drill (三（三）2, 「每学期至少开展1次应急演练」)
    Only ``DrillKind.EMERGENCY`` counts. Semesters follow the glossary (autumn 1 Sep - 31
    Jan, spring 1 Feb - 31 Aug); the document sets no other dates. A periodic rule
    (``every=Every.SEMESTER``), judged like the monthly self-check: as of a date the
    current semester is never failed before it ends (PASS if it already has a drill,
    otherwise the previous semester decides); over a window each semester wholly inside
    it is judged on its own drills. Autumn 2019 was three months old when the notice came
    out and is not judged, so spring 2020 is the first semester judged (on 1 September 2020).

Rural joint defence (三（二）1, 附件 八项措施 一)
    「农村学校要根据当地治安情况，依托村校联防机制」 names every rural school, so every
    ``RURAL`` school is judged, central schools included (a police post does not replace
    the village mechanism the clause asks for).

Legal vice principal (附件 八项措施 七)
    「选派社区民警担任法制副校长」 is a per-school appointment with no date: it binds from the
    notice. It is not a 人防/物防/技防 construction item, so 四(二)'s 2022 date does not apply.

School buses (三（一）5)
    「健全校车安全管理制度，配备安全管理人员」 binds the schools that run school buses
    (``operates_school_bus``); ``school_bus_management`` records both parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from campus_security.sdk import (
    CLOCK_TOLERANCE,
    BackgroundFlag,
    Cadence,
    Citation,
    Context,
    Device,
    DeviceJudgement,
    DeviceKind,
    DrillKind,
    Every,
    Guard,
    InspectorLevel,
    Locality,
    Outcome,
    Ownership,
    Period,
    Placement,
    School,
    SchoolKind,
    applies_when,
    failed,
    flag_rule,
    judge_certificates,
    judge_devices,
    kinds,
    not_applicable,
    passed,
    rule,
)

__all__ = [
    "DOCUMENT",
    "END_2019",
    "END_2020",
    "END_2022",
    "ISSUED",
    "MAX_FIRST_HIRE_AGE",
    "MIN_DAILY_PATROLS",
    "PATROL_WINDOW_DAYS",
    "RULES",
    "patrol_window",
]

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


# --- 1-6: guards (三（一）2) ---------------------------------------------------------------


def _staffing(school: School, ctx: Context) -> Outcome:
    in_post = school.guards_on_staff(ctx.on)
    ft = [g for g in in_post if g.full_time]
    ev = {
        "full_time": len(ft),
        "part_time": len(in_post) - len(ft),
        "not_yet_hired": len(school.guards) - len(in_post),
    }
    if ft:
        return passed("有专职保安员{full_time}名", "{full_time} full-time guard(s) in post", **ev)
    return failed(
        "无在岗专职保安员（兼职{part_time}名不计）",
        "no full-time guard in post ({part_time} part-time guard(s) do not count)",
        **ev,
    )


_STAFFING_PASSES = ("至少有1名在岗专职保安员", "at least one full-time guard in post")
_STAFFING_FAILS = (
    "没有在岗专职保安员（兼职或尚未入职的不计）",
    "no full-time guard in post (part-time guards and future hires do not count)",
)


@rule(
    "jiangsu.guard-staffing",
    title=("配备专职保安员", "full-time guard on staff"),
    citation=C_3_1_2,
    applies=SCHOOLS_AND_PUBLIC_KINDERGARTENS,
    binding_from=END_2019,
    passes=_STAFFING_PASSES,
    fails=_STAFFING_FAILS,
)
def guard_staffing(school: School, ctx: Context) -> Outcome:
    """「2019年底前，全省中小学和公办幼儿园专职保安员配备率达到100%」 (also 附件 八项措施 二)."""
    return _staffing(school, ctx)


@rule(
    "jiangsu.guard-staffing-private-kindergarten",
    title=("民办幼儿园配备专职保安员", "private kindergarten has a full-time guard"),
    citation=C_3_1_2,
    applies=PRIVATE_KINDERGARTENS,
    binding_from=END_2020,
    passes=_STAFFING_PASSES,
    fails=_STAFFING_FAILS,
)
def guard_staffing_private_kindergarten(school: School, ctx: Context) -> Outcome:
    """「2020年底前，民办幼儿园专职保安员配备率达到100%」 (also 附件 八项措施 二)."""
    return _staffing(school, ctx)


@rule(
    "jiangsu.guard-certificate",
    title=("专职保安员持证上岗", "full-time guards hold a guard certificate"),
    citation=C_3_1_2,
    passes=("每名在岗专职保安员有保安员证编号", "every full-time guard in post is certified"),
    fails=("有在岗专职保安员无保安员证", "a full-time guard in post has no certificate"),
)
def guard_certificate(school: School, ctx: Context) -> Outcome:
    """「专职保安员应考取《保安员证》后方能上岗」: every full-time guard in post certified."""
    ft = school.guards_on_staff(ctx.on, full_time=True)
    if not ft:
        return not_applicable(
            "无在岗专职保安员", "no full-time guard in post", uncertified=[], full_time=0
        )
    registry = judge_certificates(ft)  # the registry's word, when one was pulled
    bad = [_person(g) for g in ft if not g.certificate_valid]
    if not bad:
        return registry.annotate(
            passed(
                "{full_time}名在岗专职保安员均持证",
                "all {full_time} full-time guard(s) in post are certified",
                full_time=len(ft),
                uncertified=[],
            )
        )
    return registry.annotate(
        failed(
            "{n}名专职保安员无保安员证：{names}",
            "{n} full-time guard(s) without a certificate: {names_en}",
            n=len(bad),
            names=_names(bad, "、"),
            names_en=_names(bad, ", "),
            full_time=len(ft),
            uncertified=bad,
        )
    )


@rule(
    "jiangsu.guard-background-check",
    title=("保安员背景审查", "guards background-checked and clear"),
    citation=C_3_1_2,
    passes=(
        "每名在岗保安员（含兼职）最近一次背景审查无不良情形",
        "every guard in post, part-time included, has a clear latest background check",
    ),
    fails=(
        "有在岗保安员从未审查，或最近一次审查发现不适合情形",
        "a guard in post was never checked, or the latest check found a problem",
    ),
)
def guard_background_check(school: School, ctx: Context) -> Outcome:
    """「进一步加强门卫、保安员安全背景审查，防止不适合情形人员从事安全保卫工作」."""
    guards = school.guards_on_staff(ctx.on)
    if not guards:
        return not_applicable("无在岗保安员", "no guard in post", problems=[])
    problems: list[dict[str, Any]] = []
    zh: list[str] = []
    en: list[str] = []
    for g in guards:
        last = g.latest_background_check(ctx.on)
        if last is None:
            problems.append(_person(g, reason="never_checked"))
            zh.append(f"{g.name}（未审查）")
            en.append(f"{g.name} (never checked)")
            continue
        flags = sorted(last.flags, key=lambda f: f.value)
        if flags:
            values = [f.value for f in flags]
            problems.append(_person(g, reason="flagged", checked_on=last.checked_on, flags=values))
            zh.append(f"{g.name}（{last.checked_on}：{_flags_zh(flags)}）")
            en.append(f"{g.name} ({last.checked_on}: {', '.join(values)})")
    if not problems:
        return passed(
            "{n}名在岗保安员最近一次背景审查均无不良情形",
            "all {n} guard(s) in post have a clear latest background check",
            n=len(guards),
            problems=[],
        )
    return failed(
        "{n}名保安员背景审查不合格：{zh}",
        "{n} guard(s) fail the background check: {en}",
        n=len(problems),
        zh="、".join(zh),
        en=", ".join(en),
        problems=problems,
    )


@rule(
    "jiangsu.guard-first-hire-age",
    title=(
        "首次聘用专职保安员年龄不超过50岁",
        "full-time guards first hired at 50 or younger",
    ),
    citation=C_3_1_2,
    binding_from=END_2022,
    passes=(
        "2022年12月31日起首次聘用的专职保安员，聘用当日均不超过50周岁",
        "every full-time guard first hired on or after 2022-12-31 was 50 or younger on "
        "the hire date",
    ),
    fails=(
        "有专职保安员于2022年12月31日起首次聘用时已满51周岁，或未录入聘用日期且现已超过50周岁",
        "a full-time guard first hired on or after 2022-12-31 was over 50 on the hire "
        "date, or has no hire date and is over 50 now",
    ),
)
def guard_first_hire_age(school: School, ctx: Context) -> Outcome:
    """「2022年底前，全省中小学幼儿园首次聘用专职保安员年龄不得超过50岁」."""
    judged: list[dict[str, Any]] = []
    bad: list[dict[str, Any]] = []
    for g in school.guards_on_staff(ctx.on, full_time=True):
        if g.hired_on is None:
            age = g.age_on(ctx.on)
            row = _person(g, hired_on=None, age_now=age)
        elif g.hired_on >= END_2022:
            age = g.age_on(g.hired_on)
            row = _person(g, hired_on=g.hired_on, age_at_hire=age)
        else:
            continue
        judged.append(row)
        if age > MAX_FIRST_HIRE_AGE:
            bad.append(row)
    if not judged:
        return not_applicable(
            "无2022年12月31日起首次聘用的专职保安员",
            "no full-time guard first hired on or after 2022-12-31",
            judged=[],
            over_age=[],
        )
    if not bad:
        return passed(
            "{n}名受查专职保安员首次聘用时均不超过50周岁",
            "all {n} judged full-time guard(s) were 50 or younger when first hired",
            n=len(judged),
            judged=judged,
            over_age=[],
        )
    zh = "、".join(
        f"{b['name']}（聘用日期未录入，现{b['age_now']}岁）"
        if b["hired_on"] is None
        else f"{b['name']}（{b['hired_on']}聘用时{b['age_at_hire']}岁）"
        for b in bad
    )
    en = ", ".join(
        f"{b['name']} (hire date missing: cannot show the guard was first hired before "
        f"2022-12-31 or at 50 or younger; {b['age_now']} now)"
        if b["hired_on"] is None
        else f"{b['name']} ({b['age_at_hire']} when hired on {b['hired_on']})"
        for b in bad
    )
    return failed(
        "{n}名专职保安员首次聘用年龄超过50岁：{zh}",
        "{n} full-time guard(s) over 50 at first hire: {en}",
        n=len(bad),
        zh=zh,
        en=en,
        judged=judged,
        over_age=bad,
    )


@rule(
    "jiangsu.guard-equipment",
    title=("配备护卫器械", "protective equipment on hand"),
    citation=C_3_1_2,
    binding_from=END_2022,
    passes=("至少有一件护卫器械", "at least one item of protective equipment"),
    fails=(
        "没有护卫器械（数量为0的不计）",
        "no protective equipment (zero quantities do not count)",
    ),
)
def guard_equipment(school: School, ctx: Context) -> Outcome:
    """「配备相应的护卫器械」: the document names no list, so any kind counts."""
    held = sorted({e.kind.value for e in school.equipment if e.quantity >= 1})
    if held:
        return passed(
            "有护卫器械：{kinds}", "protective equipment held: {kinds}", kinds=", ".join(held)
        )
    return failed("没有护卫器械", "no protective equipment", kinds="")


# --- 7-11: physical defence (三（一）3) -----------------------------------------------------


# 「进一步完善中小学幼儿园围墙、护栏等实体防范设施建设」.
perimeter = flag_rule(
    "jiangsu.perimeter",
    title=("围墙、护栏等实体防范设施", "wall or fence around the campus"),
    citation=C_3_1_3,
    binding_from=END_2022,
    flag=lambda s: s.facilities.perimeter,
    evidence="perimeter",
    passes=("有围墙、护栏", "the campus has a wall or fence"),
    fails=("无围墙、护栏", "no wall or fence"),
)


# 「学校出入口设置门卫值班室」 (also 附件 八项措施 四).
#
# Dated 2019-12-31 by the 封闭化管理 target of the same sentence; the 2019 one-key-alarm
# target also needs a gatehouse to hold the alarm.
gatehouse = flag_rule(
    "jiangsu.gatehouse",
    title=("出入口设置门卫值班室", "gatehouse at the entrance"),
    citation=C_3_1_3,
    binding_from=END_2019,
    flag=lambda s: s.facilities.gatehouse,
    evidence="gatehouse",
    passes=("出入口设有门卫值班室", "there is a gatehouse at the entrance"),
    fails=("出入口未设门卫值班室", "no gatehouse at the entrance"),
)


# 「2019年底前，全省中小学幼儿园封闭化管理达到100%」 (also 附件 八项措施 五).
closed_management = flag_rule(
    "jiangsu.closed-management",
    title=("校园封闭化管理", "closed campus management"),
    citation=C_3_1_3,
    binding_from=END_2019,
    flag=lambda s: s.facilities.closed_management,
    evidence="closed_management",
    passes=("实行校园封闭化管理", "the campus is under closed management"),
    fails=("未实行校园封闭化管理", "the campus is not under closed management"),
)


_ANTI_PASSES = ("校门口装有硬质防冲撞设施", "hard anti-ramming barriers at the gate")
_ANTI_FAILS = ("校门口无硬质防冲撞设施", "no hard anti-ramming barrier at the gate")


# 「2019年底前…城市、城镇及治安交通环境复杂的乡村中小学幼儿园硬质防冲撞设施安装率达到100%」.
anti_ramming_priority = flag_rule(
    "jiangsu.anti-ramming-priority",
    title=(
        "城市、城镇及复杂乡村学校安装硬质防冲撞设施",
        "anti-ramming barrier: urban, town and complex rural schools",
    ),
    citation=C_3_1_3,
    applies=ANTI_RAMMING_2019,
    binding_from=END_2019,
    flag=lambda s: s.facilities.anti_ramming,
    evidence="anti_ramming",
    passes=_ANTI_PASSES,
    fails=_ANTI_FAILS,
)


# 「2022年底前，除校园门前区域无法通行机动车的，均应安装硬质防冲撞设施」 (附件 八项措施 三).
anti_ramming_other = flag_rule(
    "jiangsu.anti-ramming-other",
    title=("其他学校安装硬质防冲撞设施", "anti-ramming barrier: other rural schools"),
    citation=C_3_1_3,
    applies=ANTI_RAMMING_2022,
    binding_from=END_2022,
    flag=lambda s: s.facilities.anti_ramming,
    evidence="anti_ramming",
    passes=_ANTI_PASSES,
    fails=_ANTI_FAILS,
)


# --- 12-16: technical defence (三（一）4, 附件 八项措施 四) -----------------------------------


@rule(
    "jiangsu.one-key-alarm",
    title=("门卫值班室一键式紧急报警", "one-key emergency alarm in the gatehouse"),
    citation=C_3_1_4,
    binding_from=END_2019,
    passes=(
        "门卫值班室设有可用的一键式紧急报警装置",
        "a working one-key alarm is placed in the gatehouse",
    ),
    fails=(
        f"门卫值班室无一键式紧急报警装置（未注明位置、在别处、探测不可达或时钟偏差超过{_TOL}秒的不计）",
        "no one-key alarm in the gatehouse (unplaced, elsewhere, unreachable or off-clock ones "
        "do not count)",
    ),
    devices=(DeviceKind.ONE_KEY_ALARM,),
)
def one_key_alarm(school: School, ctx: Context) -> Outcome:
    """「在门卫值班室设置一键式紧急报警装置」, 100 % 达标 by 2019-12-31."""
    ok, probe = _devices(school, ctx, DeviceKind.ONE_KEY_ALARM, (Placement.GATEHOUSE,))
    elsewhere = [
        d.id
        for d in school.devices
        if d.kind is DeviceKind.ONE_KEY_ALARM and d.placement is not Placement.GATEHOUSE
    ]
    ev = {"devices": [d.id for d in ok], "not_in_gatehouse": elsewhere, "probe": probe.evidence()}
    if ok:
        return passed(
            "门卫值班室设有一键式紧急报警：{ids}",
            "one-key alarm in the gatehouse: {ids}",
            ids=", ".join(ev["devices"]),
            **ev,
        )
    pz, pe = _probe_note(probe, paren=False)
    return failed(
        "门卫值班室无可用的一键式紧急报警装置（位置不在门卫值班室或未注明：{e}{pz}）",
        "no working one-key alarm placed in the gatehouse (placement not the gatehouse or not "
        "given: {e}{pe})",
        pz=pz,
        pe=pe,
        e=", ".join(elsewhere) or "-",
        **ev,
    )


VIDEO_PLACEMENTS = (Placement.GATE, Placement.KEY_AREA, Placement.CROWD_AREA)


@rule(
    "jiangsu.video-surveillance",
    title=(
        "校门口、重要部位及人员聚集场所视频监控",
        "video at the gate, key areas and crowd areas",
    ),
    citation=C_3_1_4,
    binding_from=END_2019,
    passes=(
        "校门口、重要部位、人员聚集场所均有可用的视频监控",
        "working cameras at the gate, at key areas and at crowd areas",
    ),
    fails=(
        f"校门口、重要部位或人员聚集场所缺少可用的视频监控（探测不可达或时钟偏差超过{_TOL}秒的不计）",
        "no working camera at the gate, at key areas or at crowd areas (unreachable or "
        "off-clock ones do not count)",
    ),
    devices=(DeviceKind.VIDEO_SURVEILLANCE,),
)
def video_surveillance(school: School, ctx: Context) -> Outcome:
    """「在校门口、重要部位及人员聚集场所安装视频图像采集装置」 (附件 八项措施 四).

    Dated by 三（一）4 「视频监控系统达标率达到100%」.
    """
    ok, probe = _devices(school, ctx, DeviceKind.VIDEO_SURVEILLANCE, VIDEO_PLACEMENTS)
    found = {p.value: [d.id for d in ok if d.placement is p] for p in VIDEO_PLACEMENTS}
    missing = [p for p in VIDEO_PLACEMENTS if not found[p.value]]
    ev = {"found": found, "missing": [p.value for p in missing], "probe": probe.evidence()}
    if not missing:
        return passed(
            "校门口、重要部位、人员聚集场所均有视频监控",
            "cameras at the gate, key areas and crowd areas",
            **ev,
        )
    pz, pe = _probe_note(probe, paren=True)
    return failed(
        "缺少视频监控的位置：{zh}{pz}",
        "no working camera at: {en}{pe}",
        zh="、".join(p.zh for p in missing),
        en=", ".join(p.value for p in missing),
        pz=pz,
        pe=pe,
        **ev,
    )


@rule(
    "jiangsu.police-link",
    title=(
        "一键报警和重要部位视频与公安联网",
        "alarm and key-area video linked to the police",
    ),
    citation=C_3_1_4,
    binding_from=END_2019,
    passes=(
        "有一键式紧急报警和校门口、重要部位或人员聚集场所视频，且均与公安机关联网",
        "a one-key alarm and gate, key-area or crowd-area video exist, all linked to the police",
    ),
    fails=(
        f"缺少一键式紧急报警或上述视频，或其中有设备未与公安机关联网、探测不可达或时钟偏差超过{_TOL}秒",
        "no one-key alarm or no such video, or one of them is not linked to the police, "
        "probed unreachable or off-clock",
    ),
    devices=(DeviceKind.ONE_KEY_ALARM, DeviceKind.VIDEO_SURVEILLANCE),
)
def police_link(school: School, ctx: Context) -> Outcome:
    """「校园一键式紧急报警系统和重要部位视频监控与公安机关联网率达到100%」.

    Also 二(四) and 附件 八项措施 四 「并接入公安机关监控报警平台」.
    """
    declared_alarms = _select(school, DeviceKind.ONE_KEY_ALARM)
    declared_video = _select(school, DeviceKind.VIDEO_SURVEILLANCE, VIDEO_PLACEMENTS)
    # Every judged alarm and camera must answer with a right clock: a dead or off-clock
    # device is not 联网 (module docstring), even when another one still counts.
    linked = (DeviceKind.ONE_KEY_ALARM, DeviceKind.VIDEO_SURVEILLANCE)
    probe = judge_devices(school, ctx, linked, [*declared_alarms, *declared_video])
    alarms = _working(declared_alarms, probe)
    video = _working(declared_video, probe)
    unlinked = [d.id for d in (*alarms, *video) if not d.linked_to_police]
    missing = []
    if not alarms:
        missing.append(("一键式紧急报警", "one-key alarm"))
    if not video:
        missing.append(("校门口、重要部位或人员聚集场所视频", "gate, key-area or crowd-area video"))
    ev = {
        "alarms": [d.id for d in alarms],
        "video": [d.id for d in video],
        "unlinked": unlinked,
        "missing": [m[1] for m in missing],
        "probe": probe.evidence(),
    }
    if not missing and not unlinked and not probe.failing:
        return passed(
            "一键式紧急报警{a}台、视频{v}路均与公安机关联网",
            "{a} one-key alarm(s) and {v} camera(s), all linked to the police",
            a=len(alarms),
            v=len(video),
            **ev,
        )
    pz, pe = _probe_note(probe, paren=False)
    return failed(
        "缺少：{mz}；未联网：{ul}{pz}",
        "missing: {me}; not linked: {ul}{pe}",
        mz="、".join(m[0] for m in missing) or "无",
        me=", ".join(m[1] for m in missing) or "none",
        ul=", ".join(unlinked) or "-",
        pz=pz,
        pe=pe,
        **ev,
    )


@rule(
    "jiangsu.police-camera",
    title=("校门外公安自建探头", "police camera outside the gate"),
    citation=C_3_1_4,
    binding_from=END_2019,
    passes=("校门外有可用的公安自建探头", "a working police camera outside the gate"),
    fails=(
        f"校门外无可用的公安自建探头（探测不可达或时钟偏差超过{_TOL}秒的不计）",
        "no working police camera outside the gate (unreachable or off-clock ones do not count)",
    ),
    devices=(DeviceKind.POLICE_CAMERA,),
)
def police_camera(school: School, ctx: Context) -> Outcome:
    """「学校门外一定区域公安自建探头安装率达到100%」 (also 附件 八项措施 四)."""
    ok, probe = _devices(school, ctx, DeviceKind.POLICE_CAMERA, (Placement.OUTSIDE_GATE, None))
    ev = {"devices": [d.id for d in ok], "probe": probe.evidence()}
    if ok:
        return passed(
            "校门外有公安自建探头：{ids}",
            "police camera(s) outside the gate: {ids}",
            ids=", ".join(ev["devices"]),
            **ev,
        )
    pz, pe = _probe_note(probe, paren=True)
    return failed(
        "校门外无可用的公安自建探头{pz}",
        "no working police camera outside the gate{pe}",
        pz=pz,
        pe=pe,
        **ev,
    )


SYSTEM_KINDS = (DeviceKind.INTRUSION_ALARM, DeviceKind.ACCESS_CONTROL, DeviceKind.ELECTRONIC_PATROL)


@rule(
    "jiangsu.security-systems",
    title=(
        "入侵报警、出入口控制、电子巡查系统",
        "intrusion alarm, access control and electronic patrol systems",
    ),
    citation=C_3_1_4,
    binding_from=END_2022,
    passes=(
        "入侵报警、出入口控制、电子巡查系统各有可用设备",
        "a working intrusion alarm, access control and electronic patrol system",
    ),
    fails=(
        f"缺少其中某类系统（探测不可达或时钟偏差超过{_TOL}秒的设备不计）",
        "one of the three systems is missing (unreachable or off-clock devices do not count)",
    ),
    devices=SYSTEM_KINDS,
)
def security_systems(school: School, ctx: Context) -> Outcome:
    """「进一步规范…入侵报警、…出入口控制和电子巡查等系统建设」 with 二(四) 全面达标."""
    declared = [d for d in school.devices if d.kind in SYSTEM_KINDS]
    probe = judge_devices(school, ctx, SYSTEM_KINDS)
    ok = _working(declared, probe)
    missing = [k for k in SYSTEM_KINDS if not any(d.kind is k for d in ok)]
    ev = {"missing": [k.value for k in missing], "probe": probe.evidence()}
    if not missing:
        return passed(
            "入侵报警、出入口控制、电子巡查系统齐全",
            "intrusion alarm, access control and electronic patrol all present",
            **ev,
        )
    pz, pe = _probe_note(probe, paren=True)
    return failed(
        "缺少：{zh}{pz}",
        "missing: {en}{pe}",
        zh="、".join(k.zh for k in missing),
        en=", ".join(k.value for k in missing),
        pz=pz,
        pe=pe,
        **ev,
    )


# --- 17-24, 30, 31: routines and records (三（一）5, 附件 八项措施 五, 八) --------------------


# 「严格学校门卫值守制度」 (also 三（一）5 「重点加强校园门卫安全管理」).
gate_duty = flag_rule(
    "jiangsu.gate-duty",
    title=("门卫值守制度", "gate duty"),
    citation=C_ANNEX_5,
    flag=lambda s: s.routines.gate_duty,
    evidence="gate_duty",
    passes=("落实学校门卫值守制度", "gate duty is in place"),
    fails=("未落实学校门卫值守制度", "no gate duty"),
)


# 「重点加强…上下学校园门口教职员值守制度」.
staff_gate_duty = flag_rule(
    "jiangsu.staff-gate-duty",
    title=("上下学校园门口教职员值守", "staff on the gate when pupils arrive and leave"),
    citation=C_3_1_5,
    flag=lambda s: s.routines.staff_gate_duty,
    evidence="staff_gate_duty",
    passes=("落实上下学校园门口教职员值守制度", "staff keep the gate at arrival and leaving"),
    fails=("未落实上下学校园门口教职员值守制度", "no staff on the gate at arrival and leaving"),
)


@rule(
    "jiangsu.visitor-vehicle-registration",
    title=("外来人员、车辆登记", "visitor and vehicle registration"),
    citation=C_3_1_5,
    passes=("外来人员和车辆均登记", "visitors and vehicles are registered"),
    fails=("外来人员或车辆未登记", "visitors or vehicles are not registered"),
)
def visitor_vehicle_registration(school: School, ctx: Context) -> Outcome:
    """「严格实行外来人员、车辆登记和安全检查制度」 (also 附件 八项措施 五 访客登记)."""
    r = school.routines
    missing = [
        m
        for m, have in (
            (("外来人员登记", "visitor registration"), r.visitor_registration),
            (("外来车辆登记", "vehicle registration"), r.vehicle_registration),
        )
        if not have
    ]
    ev = {
        "visitor_registration": r.visitor_registration,
        "vehicle_registration": r.vehicle_registration,
    }
    if not missing:
        return passed("外来人员、车辆均登记", "visitors and vehicles are registered", **ev)
    return failed(
        "缺少：{zh}",
        "missing: {en}",
        zh="、".join(m[0] for m in missing),
        en=", ".join(m[1] for m in missing),
        **ev,
    )


# 「内部人员、车辆出入证制度」; vehicle passes are read into ``pass_system``.
pass_system = flag_rule(
    "jiangsu.pass-system",
    title=("内部人员、车辆出入证制度", "passes for staff, students and vehicles"),
    citation=C_3_1_5,
    flag=lambda s: s.routines.pass_system,
    evidence="pass_system",
    passes=("实行内部人员、车辆出入证制度", "insiders and their vehicles enter on passes"),
    fails=("未实行出入证制度", "no pass system"),
)


# 「小学、幼儿园家长接送查验制度」 (九年一贯制 and 完全中学 are judged as ``COMBINED``).
pickup_check = flag_rule(
    "jiangsu.pickup-check",
    title=("家长接送查验", "pick-up check by parents"),
    citation=C_3_1_5,
    applies=PICKUP_SCHOOLS,
    flag=lambda s: s.routines.pickup_check,
    evidence="pickup_check",
    passes=("实行家长接送查验制度", "pick-ups are checked"),
    fails=("未实行家长接送查验制度", "pick-ups are not checked"),
)


# 「强化校园及周边巡查制度」 (also 三（一）1 「值班巡逻」).
campus_patrol = flag_rule(
    "jiangsu.campus-patrol",
    title=("校园巡查制度", "campus patrol routine"),
    citation=C_3_1_5,
    flag=lambda s: s.routines.key_area_patrol,
    evidence="key_area_patrol",
    passes=("落实校园巡查制度", "the campus is patrolled"),
    fails=("未落实校园巡查制度", "no campus patrol routine"),
)


@rule(
    "jiangsu.monthly-self-check",
    title=("每月安全隐患自查", "monthly hazard self-check"),
    citation=C_3_1_5,
    passes=(
        "本月已自查，或上一个月有自查记录",
        "a self-check this month so far, or one in the previous month",
    ),
    fails=("上一个月没有安全隐患自查记录", "no hazard self-check in the previous month"),
    every=Every.MONTH,
)
def monthly_self_check(school: School, ctx: Context) -> Outcome:
    """「严格落实每月安全隐患自查整改制度」: one school self-check per calendar month."""

    def dates(start: dt.date, end: dt.date) -> Sequence[dt.date]:
        return school.inspection_days(
            start, end, level=InspectorLevel.SCHOOL, cadences=(Cadence.MONTHLY, None)
        )

    return _period_rule(ctx, dates, _month_label, ("安全隐患自查", "hazard self-check"))


def _overdue_outcome(items: list[dict[str, Any]], what: tuple[str, str]) -> Outcome:
    if not items:
        return passed(
            "无逾期未整改的{what_zh}",
            "no overdue {what_en}",
            what_zh=what[0],
            what_en=what[1],
            overdue=[],
        )
    return failed(
        "{n}项{what_zh}逾期未整改：{ids}",
        "{n} {what_en} overdue: {ids}",
        n=len(items),
        what_zh=what[0],
        what_en=what[1],
        ids=", ".join(f"{i['id']} ({i['rectify_by']})" for i in items),
        overdue=items,
    )


@rule(
    "jiangsu.hazard-rectification",
    title=("隐患及时整改", "hazards rectified by their deadline"),
    citation=C_3_1_5,
    passes=("没有逾期未整改的隐患", "no hazard open past its deadline"),
    fails=("有隐患过了整改期限仍未整改", "a hazard is open past its deadline"),
)
def hazard_rectification(school: School, ctx: Context) -> Outcome:
    """「发现问题隐患及时整改」: no hazard open after its ``rectify_by``."""
    items = [
        {"id": h.id, "rectify_by": h.rectify_by, "found_on": h.found_on}
        for h in school.hazards
        if h.is_overdue(ctx.on)
    ]
    return _overdue_outcome(items, ("隐患", "hazard(s)"))


@rule(
    "jiangsu.rectification-notice",
    title=("限期改正", "rectification notices met by their deadline"),
    citation=C_ANNEX_8,
    passes=("没有逾期未办结的整改通知书", "no rectification notice open past its deadline"),
    fails=("有整改通知书过了期限仍未办结", "a rectification notice is open past its deadline"),
)
def rectification_notice(school: School, ctx: Context) -> Outcome:
    """「…拒不整改或整改不到位的…责令其限期改正」: no notice open after its deadline."""
    items = [
        {"id": n.id, "rectify_by": n.rectify_by, "issued_by": n.issued_by}
        for n in school.rectification_notices
        if n.is_overdue(ctx.on)
    ]
    return _overdue_outcome(items, ("整改通知书", "rectification notice(s)"))


# 「健全校车安全管理制度，配备安全管理人员」 for schools that run school buses.
school_bus_safety = flag_rule(
    "jiangsu.school-bus-safety",
    title=("校车安全管理制度", "school-bus safety management"),
    citation=C_3_1_5,
    applies=SCHOOL_BUS_SCHOOLS,
    flag=lambda s: s.routines.school_bus_management,
    evidence="school_bus_management",
    passes=(
        "有校车安全管理制度并配备安全管理人员",
        "school-bus safety rules and a safety manager are in place",
    ),
    fails=(
        "开行校车但无校车安全管理制度或安全管理人员",
        "runs school buses without safety rules or a safety manager",
    ),
)


# --- 25-27, 32, 33: police at and around the school (三（二）1, 附件 八项措施 一, 六, 七) --------


# 「2019年底前，公安机关在城市、县城及乡镇学校全部设立护学岗」 (also 附件 八项措施 一).
guard_post = flag_rule(
    "jiangsu.guard-post",
    title=("公安护学岗", "police school-gate post"),
    citation=C_3_2_1,
    applies=GUARD_POST_SCHOOLS,
    binding_from=END_2019,
    flag=lambda s: s.facilities.guard_post,
    evidence="guard_post",
    passes=("校门前设有公安护学岗", "a police post at the gate"),
    fails=("校门前未设公安护学岗", "no police post at the gate"),
)


_PATROLLED: dict[Period, Outcome] = {}
"""The passing outcome of each judged span, shared by every school that passes it."""


@rule(
    "jiangsu.police-patrol",
    title=("公安每日每校巡查不少于2次", "police patrol at least twice a day"),
    citation=C_ANNEX_6,
    applies=PATROL_SCHOOLS,
    passes=(
        "评估日前7天（不含当日、不早于2019-12-03）每天公安巡查不少于2次",
        "at least 2 police patrols on each of the 7 days before the evaluation date "
        "(not before 2019-12-03)",
    ),
    fails=("上述期间有某天巡查少于2次", "a day in that window had fewer than 2 patrols"),
    every=Every.DAY,
    lookback=PATROL_WINDOW_DAYS,
)
def police_patrol(school: School, ctx: Context) -> Outcome:
    """「每日每校巡查工作不少于2次」: each day (as of a date, the seven days before it)."""
    judged = ctx.judged
    if judged.start >= ISSUED:
        window: Period | None = judged
    else:
        window = Period(ISSUED, judged.end) if judged.end >= ISSUED else None
    if window is None:
        return not_applicable(
            "本方案自{issued}起施行，评估日之前尚无可评判的日子",
            "the notice applies from {issued}: no day before the evaluation date to judge",
            issued=ISSUED,
        )
    totals = school.patrol_counts(window.start, window.end)
    short = []
    day = window.start
    while day <= window.end:
        if totals.get(day, 0) < MIN_DAILY_PATROLS:
            short.append({"date": day, "count": totals.get(day, 0)})
        day += ONE_DAY
    if not short:
        # the same for every school that kept the duty: one frozen Outcome per window
        hit = _PATROLLED.get(window)
        if hit is None:
            if len(_PATROLLED) > 4096:
                _PATROLLED.clear()
            hit = _PATROLLED[window] = passed(
                "{start}至{end}每天公安巡查均不少于2次",
                "at least 2 police patrols every day from {start} to {end}",
                start=window.start,
                end=window.end,
                window=window,
                short_days=[],
            )
        return hit
    ev = {"window": window, "short_days": short}
    return failed(
        "{start}至{end}有{n}天公安巡查少于2次：{zh}",
        "{n} day(s) from {start} to {end} with fewer than 2 police patrols: {en}",
        start=window.start,
        end=window.end,
        n=len(short),
        zh="、".join(f"{s['date']}（{s['count']}次）" for s in short),
        en=", ".join(f"{s['date']} ({s['count']})" for s in short),
        **ev,
    )


@rule(
    "jiangsu.police-room",
    title=("校园警务室（五统一）", "campus police room (five unified standards)"),
    citation=C_ANNEX_7,
    binding_from=END_2022,
    passes=("设有符合“五统一”要求的校园警务室", "a campus police room meeting the 五统一"),
    fails=(
        "未设校园警务室，或警务室不符合“五统一”要求",
        "no campus police room, or it does not meet the 五统一",
    ),
)
def police_room(school: School, ctx: Context) -> Outcome:
    """「按照外观标识、装备配备、警务公开、规章制度、工作台账“五统一”要求…设立校园警务室」."""
    f = school.facilities
    ev = {"police_room": f.police_room, "unified": f.police_room_unified}
    if f.police_room and f.police_room_unified:
        return passed(
            "设有符合“五统一”要求的校园警务室",
            "a campus police room meeting the five unified standards (五统一)",
            **ev,
        )
    if f.police_room:
        return failed(
            "校园警务室未达到外观标识、装备配备、警务公开、规章制度、工作台账“五统一”要求",
            "the campus police room does not meet the five unified standards (五统一: "
            "signage, equipment, openness, rules, records)",
            **ev,
        )
    return failed("未设校园警务室", "no campus police room", **ev)


# 「选派社区民警担任法制副校长」 (also 三（四）2 民警兼任学校法制辅导员).
legal_vice_principal = flag_rule(
    "jiangsu.legal-vice-principal",
    title=("民警担任法制副校长", "police officer as legal vice principal"),
    citation=C_ANNEX_7,
    flag=lambda s: s.legal_vice_principal,
    evidence="legal_vice_principal",
    passes=("有社区民警担任法制副校长", "a community police officer is legal vice principal"),
    fails=("无民警担任法制副校长", "no police officer serves as legal vice principal"),
)


# 「农村学校要…依托村校联防机制…加强校园周边巡逻守护工作」 (also 附件 八项措施 一).
village_joint_defence = flag_rule(
    "jiangsu.village-joint-defence",
    title=("农村学校村校联防", "rural school joint defence with the village"),
    citation=C_3_2_1,
    applies=RURAL_SCHOOLS,
    flag=lambda s: s.routines.village_joint_defence,
    evidence="village_joint_defence",
    passes=("依托村校联防机制开展巡逻守护", "patrols and guarding through village joint defence"),
    fails=("未建立村校联防机制", "no joint defence with the village"),
)


# --- 28-29: emergencies (三（三）) ----------------------------------------------------------


# 「指导中小学幼儿园分级分类制定细化应急处置预案」.
emergency_plan = flag_rule(
    "jiangsu.emergency-plan",
    title=("应急处置预案", "emergency response plan"),
    citation=C_3_3_1,
    flag=lambda s: s.routines.emergency_plan,
    evidence="emergency_plan",
    passes=("制定了应急处置预案", "an emergency response plan exists"),
    fails=("未制定应急处置预案", "no emergency response plan"),
)


@rule(
    "jiangsu.emergency-drill",
    title=("每学期至少1次应急演练", "an emergency drill each semester"),
    citation=C_3_3_2,
    passes=(
        "本学期已演练，或上学期至少有1次应急演练",
        "an emergency drill this semester so far, or one in the previous semester",
    ),
    fails=("上学期没有应急演练", "no emergency drill in the previous semester"),
    every=Every.SEMESTER,
)
def emergency_drill(school: School, ctx: Context) -> Outcome:
    """「中小学幼儿园每学期至少开展1次应急演练」: one ``EMERGENCY`` drill per semester."""
    held = sorted(d.held_on for d in school.drills if d.kind is DrillKind.EMERGENCY)

    def dates(start: dt.date, end: dt.date) -> Sequence[dt.date]:
        return [d for d in held if start <= d <= end]

    return _period_rule(ctx, dates, _semester_label, ("应急演练", "emergency drill"))


RULES = (
    guard_staffing,
    guard_staffing_private_kindergarten,
    guard_certificate,
    guard_background_check,
    guard_first_hire_age,
    guard_equipment,
    perimeter,
    gatehouse,
    closed_management,
    anti_ramming_priority,
    anti_ramming_other,
    one_key_alarm,
    video_surveillance,
    police_link,
    police_camera,
    security_systems,
    gate_duty,
    staff_gate_duty,
    visitor_vehicle_registration,
    pass_system,
    pickup_check,
    campus_patrol,
    monthly_self_check,
    hazard_rectification,
    rectification_notice,
    school_bus_safety,
    guard_post,
    police_patrol,
    police_room,
    legal_vice_principal,
    village_joint_defence,
    emergency_plan,
    emergency_drill,
)
