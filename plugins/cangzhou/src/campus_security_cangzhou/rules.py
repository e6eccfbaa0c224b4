"""The rules of 沧教〔2019〕79号, clause by clause.

Every interpretation decision is recorded here, with its reason. Clause numbers are
written as the document numbers them, all brackets full-width (一（一）, 三（二）).
The document was issued on 2019-05-13 (:data:`ISSUED`); the standard is in force from
that day.

Staffing bands, 一（一）(1)-(3)
    The document sets three bands by school size, and the bands share their end
    points: "3000人以上" (band 1) and "3000人以下、1000人以上" (band 2) both name 3000,
    and "1000人以上" (band 2) and "1000人以下" (band 3) both name 1000 (for
    kindergartens: 1000 and 300). In Chinese legal usage 以上 and 以下 include the
    number itself (Civil Code art. 1259), so a school of exactly 3000 lies in bands 1
    and 2 at once. It must then satisfy both, which is the higher band's minimum:
    exactly 3000 pupils needs at least 6 full-time guards, exactly 1000 at least 4
    (kindergartens: 1000 needs 6, 300 needs 4). "4—6名" is read as a minimum of 4: the
    point of the clause is enough guards, and band 1 ("6名以上") shows that more than 6
    is never too many, so 7 guards at a 2000-pupil school pass.

    Size is the enrollment (在校生数): "3000人以上的中小学校" states a school's size,
    which Chinese school statistics give as its number of students (幼儿 for
    kindergartens); staff are counted separately.

Age, 一（一）
    "专职保安年龄应控制在18—50周岁": a full-time guard must be at least 18 and at most 50
    in whole years (周岁) on the evaluation date; the day a guard turns 51 he fails.

Training, 一（一） (``cangzhou.guard-trained``)
    "保安公司必须对学校的保安员进行相应的正规培训": every full-time guard has at least
    one training course (``Guard.trainings``) that has ended by the evaluation date
    (``Training.completed_by(ctx.on)``: ``started_on + days - 1 <= ctx.on``); a course
    still running does not count yet.
    The document names neither a kind nor a length of training, so any kind
    (pre-job or rotation) and any length counts. ``Training.provider`` is free text
    and is not matched against the guard's company: the roster cannot prove who ran a
    course, only that the guard was trained. Part-time guards are not judged, as in
    the other guard rules of this clause (the clause speaks of 专职保安).

Video and alarm connection, 一（一） (``cangzhou.platform-link``, target ``-rate``)
    "城市校园视频监控系统和应急报警装置要在年内全部接入公安机关、教育部门监控或报警平台".
    城市校园 is ``Locality.URBAN`` (城区, the glossary's mapping of 城市); town and rural
    schools are not covered by this dated sentence (二（一） only asks the police to
    guide schools towards connection, with no date). 年内 is the year of issue, so the
    obligation binds on 2019-12-31 itself (``binding_from``), and the rate target of
    100 % (全部) is due the same day. 应急报警装置 is the one-key emergency alarm
    (``DeviceKind.ONE_KEY_ALARM``; 二（一） calls it 紧急报警装置); intrusion alarms are
    not emergency alarms. The school passes when it has at least one video device and
    one emergency alarm, and every one of them is linked to the police's or the
    education bureau's platform (``Device.linked_to_police`` or
    ``Device.linked_to_education``; 公安机关、教育部门…平台 names either): a school with no
    system has nothing connected, so it fails ("missing" in the evidence).

    Probed devices (``check --device-status``; ``judge_devices``): a device that a
    device adapter probed as unreachable is not connected to anything, and a device
    whose clock is off by more than ``CLOCK_TOLERANCE`` (10 s) is not usefully
    connected: a recording or alarm log with a wrong clock is useless as evidence,
    since it cannot be aligned with the platform's own records, the alarm log or a
    110 call record. The 10 s tolerance is justified at ``CLOCK_TOLERANCE``
    (GB/T 28181-2016 9.10.1 requires networked video devices to keep Beijing time by
    SIP or NTP; a synchronised device is within about 1 s, a probe measures to about
    1 s, an unsynchronised one drifts by minutes; see docs/device-adapters.md). The
    comparison is strict: an offset of exactly 10 s passes, 10.5 s fails. Either
    fails the school, with the probe's summary in the message and its judgement under
    ``probe`` in the evidence. A device with no probed status is judged by its
    declaration, as without a status file.

Hard isolation and anti-ramming, 一（一） (``cangzhou.anti-ramming``)
    "因地制宜在校园门口设置硬质隔离和防冲撞设施，确保学生上下学时与外来人员、车辆的安全
    距离". 因地制宜 is read as leaving the form (bollards, fences, lifting posts) and the
    need to local conditions, not as making the facility optional: a school whose gate
    a motor vehicle can reach (``School.vehicle_access``) must have it
    (``Facilities.anti_ramming``), and a school whose gate no motor vehicle can reach is
    not covered, since the facility is there against vehicles. 苏公通〔2019〕635号
    三（一）3 states the same exemption explicitly. The sentence has no date, so it
    binds from the day of issue.

Gate, patrols and guard room, 一（二） and 一（三）
    ``Routines.gate_duty`` records "专人值守，持械上岗" as one fact (a dedicated guard,
    carrying equipment). "外来人员和车辆审查登记制度" needs both registrations, one rule
    whose evidence names the missing one. "寄宿制中小学校要加强夜间校园巡查力度" covers
    boarding schools other than kindergartens: the document names 中小学校 here, and
    everywhere else it sets 中小学校 and 幼儿园 apart (the staffing bands); girls'
    dormitories are not recorded separately. 校园警卫室 is
    ``Facilities.guard_room``; its signage and equipment are not recorded.

Hazard checks, 一（四） (``cangzhou.hazard-check-daily`` / ``-weekly`` / ``-monthly`` /
``-quarterly``)
    "坚持日巡查、周检查、月排查、季度总结": four rules, one per cadence, each a periodic rule
    (``every=Every.DAY``, ``WEEK``, ``MONTH``, ``QUARTER``): the engine hands it the
    period to judge. As of a date, that is the last complete period of its cadence:
    yesterday; the last ISO week (Monday-Sunday) that has ended; the last calendar
    month; the last calendar quarter. Over a window (``check --from/--to``), it is every
    such period lying wholly inside the window; a period cut by the window's edges is
    not judged (the engine's rule, which this plugin follows: a part of a week cannot
    fail a weekly duty). It passes when the period holds at least one school-level
    ``Inspection`` (``level=SCHOOL``) of exactly that cadence. Reasons:

    - the current period is never judged before it ends (a school that runs its weekly
      check on Friday has not missed the week on Wednesday), and a record in the
      current period does not make up for a finished period without one;
    - each period is judged by every evaluation made during the period after it, so
      a platform that evaluates daily sees every lapse, and a report names the one
      period it judged (``period_start`` and ``period_end`` in the evidence);
    - the four routines differ in depth (巡查 a walk-round, 检查 a check, 排查 a full
      sweep, 总结 a review), so a daily record does not count as a weekly one, and a
      record without a cadence cannot be attributed to any of them;
    - periods are calendar periods, weekends and holidays included: 日 is every day,
      and the document makes no exception for days without classes. A bureau that
      excuses a school during a closure grants a ``Waiver`` until the day it reopens;
    - the period is the engine's (``ctx.period``), of the cadence's calendar period
      (as of a date it is :func:`last_complete_period`);
    - the evidence counts records, not days (``n`` and ``held`` list every record, two
      on one day included), unlike ``School.inspection_days``, which gives distinct
      days: the outcome is the same (at least one record is at least one day), and the
      record count is what a school's log book shows.

    A period that began before the day of issue is not judged (NOT_APPLICABLE): the
    first judged day is 2019-05-13 (judged from 2019-05-14), the first week
    2019-05-13..19 (the issue date was a Monday), the first month June 2019, the first
    quarter July-September 2019. "重要时期要增加排查频次" cannot be checked: the roster
    does not say which periods are 重要时期.

    ``Routines.grid_management`` records the grid with a responsible person per area
    ("明确网格排查责任人").

Risks and hazards, 三（二） (``cangzhou.risk-list``, ``cangzhou.hazard-rectification-plan``,
``cangzhou.hazard-rectified-on-time``)
    ``Routines.risk_list`` records the risk list with its responsible person. "对存在的
    安全隐患，要立行立改，一时解决不了的，要制定整改方案": a hazard is either fixed at once
    or gets a plan, and a plan's trace in the roster is its deadline
    (``Hazard.rectify_by``). 立行立改 allows the day of discovery: a hazard still open
    on a later day with no deadline fails the plan rule (the day it was found it
    passes). An open hazard past its deadline fails the second rule ("彻底根除隐患"):
    the deadline day itself still passes, the day after fails (``Hazard.is_overdue``);
    a hazard fixed on the evaluation date counts as fixed. A hazard that was fixed,
    even late, no longer fails: the rules judge the state on the evaluation date.
    "专人盯办" cannot be checked: a hazard records no responsible person.

Emergency plan and drills, 四（一） (``cangzhou.emergency-plan``, ``cangzhou.emergency-drill``)
    ``Routines.emergency_plan`` records the plan. "定期开展应急演练" gives no interval;
    the rule asks for at least one ``DrillKind.EMERGENCY`` drill in each semester
    (``every=Every.SEMESTER``: autumn 1 September-31 January, spring 1 February-31
    August), judged like the hazard checks: as of a date the last complete semester
    (the current semester never fails before it ends), over a window every semester
    wholly inside it. The semester is the unit schools plan their year in, and
    one drill per semester is the floor that 苏公通〔2019〕635号 三（三）2 states; the
    Ministry's 2014 evacuation-drill guide (教基一厅〔2014〕2号) asks more of evacuation
    drills, but this document does not cite it, so its frequency is not imported.
    Formation, equipment and fire-equipment practice are not emergency drills. Spring
    2019 began before the day of issue and is not judged: the first judged semester
    is autumn 2019, from 2020-02-01.

Communication and defence equipment, 四（三）
    "为门卫、保安人员配备必要的通讯、保卫器材": the defence equipment (保卫器材) is the
    eight kinds 一（一） names, already checked by ``cangzhou.protective-equipment`` (and
    carried at the gate under ``cangzhou.gate-duty``), so no second rule counts it
    twice. Communication equipment (通讯器材) is checked by ``cangzhou.gate-communication``:
    at least one radio (``EquipmentKind.RADIO``, 对讲机) at the school. Phones are not
    recorded, so a radio is the evidence the roster can give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from campus_security.sdk import (
    CLOCK_TOLERANCE,
    DORMITORIES,
    KEY_PLACES,
    Cadence,
    Citation,
    Context,
    DeviceKind,
    DrillKind,
    EquipmentKind,
    Every,
    HireSource,
    InspectorLevel,
    Locality,
    Outcome,
    Period,
    PlaceKind,
    Rule,
    School,
    SchoolKind,
    SecurityCompany,
    Target,
    Text,
    Verdict,
    applies_when,
    failed,
    flag_rule,
    judge_certificates,
    judge_devices,
    judge_permits,
    month,
    not_applicable,
    passed,
    previous_period,
    quarter,
    rule,
    semester,
    week,
)

__all__ = [
    "DOCUMENT",
    "ISSUED",
    "RULES",
    "TARGETS",
    "last_complete_period",
    "minimum_full_time_guards",
]

DOCUMENT = "沧教〔2019〕79号"
ISSUED = dt.date(2019, 5, 13)
"""The day of issue: the standard is in force from it, and no period before it is judged."""

C_1_1 = Citation(DOCUMENT, "一（一）")
C_1_2 = Citation(DOCUMENT, "一（二）")
C_1_3 = Citation(DOCUMENT, "一（三）")
C_1_4 = Citation(DOCUMENT, "一（四）")
C_3_2 = Citation(DOCUMENT, "三（二）")
C_4_1 = Citation(DOCUMENT, "四（一）")
C_4_3 = Citation(DOCUMENT, "四（三）")

MIN_AGE, MAX_AGE = 18, 50


def minimum_full_time_guards(kind: SchoolKind, enrollment: int) -> tuple[int, str]:
    """The minimum number of full-time guards and the band (1, 2 or 3) that sets it.

    Shared end points belong to the higher band (see the module docstring).

    >>> minimum_full_time_guards(SchoolKind.PRIMARY, 3000)
    (6, '(1)')
    >>> minimum_full_time_guards(SchoolKind.PRIMARY, 2999)
    (4, '(2)')
    >>> minimum_full_time_guards(SchoolKind.KINDERGARTEN, 299)
    (2, '(3)')
    """
    high, low = (1000, 300) if kind is SchoolKind.KINDERGARTEN else (3000, 1000)
    if enrollment >= high:
        return 6, "(1)"
    if enrollment >= low:
        return 4, "(2)"
    return 2, "(3)"


@rule(
    "cangzhou.guard-staffing",
    title=("按学校规模配备专职保安员", "full-time guards staffed by school size"),
    citation=C_1_1,
    passes=(
        "专职保安员人数不少于所在规模档次的最低人数（6、4或2名）",
        "at least the band's minimum of full-time guards (6, 4 or 2)",
    ),
    fails=("专职保安员人数少于规模档次的最低人数", "fewer full-time guards than the band requires"),
)
def guard_staffing(school: School, ctx: Context) -> Outcome:
    """Full-time guards at least the minimum of the school's size band."""
    need, band = minimum_full_time_guards(school.kind, school.enrollment)
    have = len(school.full_time_guards)
    ev = {"full_time_guards": have, "required": need, "band": band, "enrollment": school.enrollment}
    if have >= need:
        return passed(
            "在校生{enrollment}人，第{band}档，需专职保安员{required}名以上，现有{full_time_guards}名",
            "{enrollment} pupils, band {band}: needs at least {required} full-time "
            "guards, has {full_time_guards}",
            **ev,
        )
    return failed(
        "在校生{enrollment}人，第{band}档，需专职保安员{required}名以上，仅有{full_time_guards}名",
        "{enrollment} pupils, band {band}: needs at least {required} full-time "
        "guards, has only {full_time_guards}",
        **ev,
    )


@rule(
    "cangzhou.guard-age",
    title=("专职保安员年龄18—50周岁", "full-time guards aged 18 to 50"),
    citation=C_1_1,
    passes=(
        "每名专职保安员在评估日年满18周岁且不超过50周岁",
        "every full-time guard is 18 to 50 in whole years on the evaluation date",
    ),
    fails=("有专职保安员不满18周岁或超过50周岁", "a full-time guard is under 18 or over 50"),
)
def guard_age(school: School, ctx: Context) -> Outcome:
    """Every full-time guard aged 18-50 (周岁) on the evaluation date."""
    guards = school.full_time_guards
    if not guards:
        return passed(
            "无专职保安员，无需核查年龄", "no full-time guards whose age to check", outside=[]
        )
    outside = [
        {"name": g.name, "id_number": g.id_number, "age": g.age_on(ctx.on)}
        for g in guards
        if not MIN_AGE <= g.age_on(ctx.on) <= MAX_AGE
    ]
    if not outside:
        return passed(
            "{n}名专职保安员年龄均在18—50周岁",
            "all {n} full-time guards are 18 to 50",
            n=len(guards),
            outside=[],
        )
    names = "、".join(f"{o['name']}（{o['age']}岁）" for o in outside)
    names_en = ", ".join(f"{o['name']} ({o['age']})" for o in outside)
    return failed(
        "{count}名专职保安员年龄不在18—50周岁：{names}",
        "{count} full-time guard(s) outside 18 to 50: {names_en}",
        count=len(outside),
        names=names,
        names_en=names_en,
        outside=outside,
    )


@rule(
    "cangzhou.guard-certified",
    title=("专职保安员持保安员证", "full-time guards hold a guard certificate"),
    citation=C_1_1,
    passes=("每名专职保安员有保安员证编号", "every full-time guard has a certificate number"),
    fails=("有专职保安员无保安员证", "a full-time guard has no certificate"),
)
def guard_certified(school: School, ctx: Context) -> Outcome:
    """学校必须雇佣正规保安公司有保安员证的保安员: every full-time guard certified."""
    guards = school.full_time_guards
    registry = judge_certificates(guards)  # the registry's word, when one was pulled
    missing = [g.name for g in guards if not g.certificate_valid]
    if not missing:
        return registry.annotate(
            passed("专职保安员均持证", "every full-time guard is certified", uncertified=[])
        )
    return registry.annotate(
        failed(
            "{n}名专职保安员无保安员证：{names}",
            "{n} full-time guard(s) without a certificate: {names}",
            n=len(missing),
            names="、".join(missing),
            uncertified=missing,
        )
    )


@rule(
    "cangzhou.guard-licensed-company",
    title=("专职保安员由正规保安公司派驻", "full-time guards come from a licensed company"),
    citation=C_1_1,
    passes=(
        "每名专职保安员由持保安服务许可证的保安公司派驻",
        "every full-time guard is placed by a company holding a security service permit",
    ),
    fails=(
        "有专职保安员为学校自聘、物业人员，或所属公司无保安服务许可证",
        "a full-time guard is self-hired, from a property company, or from an unlicensed company",
    ),
)
def guard_licensed_company(school: School, ctx: Context) -> Outcome:
    """学校必须雇佣正规保安公司...的保安员: placed by a licensed security company."""
    problems: list[dict[str, str]] = []
    companies: dict[str, SecurityCompany] = {}
    for g in school.full_time_guards:
        company = ctx.company(g.company_id)
        if company is not None and g.hire_source is HireSource.COMPANY:
            companies.setdefault(company.id, company)
        if g.hire_source is not HireSource.COMPANY:
            problems.append({"name": g.name, "reason": g.hire_source.value})
        elif company is None:
            problems.append({"name": g.name, "reason": "no_company"})
        elif not company.licensed:
            problems.append(
                {"name": g.name, "reason": "unlicensed_company", "company": company.name}
            )
        elif not company.permit_valid:  # the registry does not hold the permit as valid
            problems.append({"name": g.name, "reason": "permit_invalid", "company": company.name})
    registry = judge_permits(companies.values())  # the registry's word, when one was pulled
    if not problems:
        return registry.annotate(
            passed(
                "专职保安员均由持证保安公司派驻",
                "every full-time guard is placed by a licensed company",
                problems=[],
            )
        )
    names = "、".join(p["name"] for p in problems)
    return registry.annotate(
        failed(
            "{n}名专职保安员不是由持证保安公司派驻：{names}",
            "{n} full-time guard(s) not placed by a licensed company: {names}",
            n=len(problems),
            names=names,
            problems=problems,
        )
    )


EIGHT_KINDS = (
    EquipmentKind.RUBBER_BATON,
    EquipmentKind.STEEL_FORK,
    EquipmentKind.SHIELD,
    EquipmentKind.CUT_RESISTANT_GLOVES,
    EquipmentKind.STAB_RESISTANT_VEST,
    EquipmentKind.DEFENSE_SPRAY,
    EquipmentKind.FLASHLIGHT,
    EquipmentKind.RIOT_HELMET,
)


@rule(
    "cangzhou.protective-equipment",
    title=("配齐八类国标安保防护装备", "all eight kinds of national-standard protective equipment"),
    citation=C_1_1,
    passes=(
        "橡胶保安棍、防护钢叉、防护盾牌、防割手套、防刺背心、自卫喷雾剂、强光手电、防暴头盔各有至少一件国标产品",
        "at least one national-standard item of each of the eight kinds",
    ),
    fails=(
        "缺少某类装备，或该类装备均非国标产品",
        "a kind is missing, or none of its items is a national-standard product",
    ),
)
def protective_equipment(school: School, ctx: Context) -> Outcome:
    """配齐配全安保防护装备…防护装备必须是国标产品."""
    have = {e.kind for e in school.equipment if e.quantity > 0 and e.national_standard}
    non_standard = sorted(
        {e.kind.value for e in school.equipment if e.quantity > 0 and not e.national_standard}
    )
    missing = [k for k in EIGHT_KINDS if k not in have]
    if not missing:
        return passed(
            "八类国标防护装备齐全",
            "all eight kinds present as national-standard products",
            missing=[],
            non_standard=non_standard,
        )
    return failed(
        "缺少国标防护装备：{zh}",
        "missing national-standard equipment: {en}",
        zh="、".join(k.zh for k in missing),
        en=", ".join(k.value for k in missing),
        missing=[k.value for k in missing],
        non_standard=non_standard,
    )


def _day(d: dt.date) -> Period:
    return Period(d, d)


_PERIOD_OF: dict[str, Callable[[dt.date], Period]] = {
    "daily": _day,
    "weekly": week,
    "monthly": month,
    "quarterly": quarter,
    "semester": semester,
}


def last_complete_period(unit: str, on: dt.date) -> Period:
    """The last period of ``unit`` that ended before ``on`` (the period before ``on``'s).

    ``unit`` is ``daily``, ``weekly`` (ISO weeks, Monday-Sunday), ``monthly``,
    ``quarterly`` or ``semester``; the period is the core's ``previous_period`` of the
    unit's calendar period.

    >>> last_complete_period("weekly", dt.date(2024, 11, 18))  # a Monday
    Period(start=datetime.date(2024, 11, 11), end=datetime.date(2024, 11, 17))
    >>> last_complete_period("quarterly", dt.date(2024, 10, 1)).start
    datetime.date(2024, 7, 1)
    >>> last_complete_period("semester", dt.date(2024, 9, 1))
    Period(start=datetime.date(2024, 2, 1), end=datetime.date(2024, 8, 31))
    """
    return previous_period(_PERIOD_OF[unit], on)


# --- 一（一）: training, platform link, anti-ramming ---------------------------------------


@rule(
    "cangzhou.guard-trained",
    title=("专职保安员经过正规培训", "full-time guards trained"),
    citation=C_1_1,
    passes=(
        "每名专职保安员至少有一次在评估日前已结束的培训记录",
        "every full-time guard has at least one training course that ended by the evaluation date",
    ),
    fails=(
        "有专职保安员没有已结束的培训记录",
        "a full-time guard has no training course that has ended",
    ),
)
def guard_trained(school: School, ctx: Context) -> Outcome:
    """保安公司必须对学校的保安员进行相应的正规培训: a completed course per full-time guard."""
    guards = school.full_time_guards
    untrained = [g.name for g in guards if not any(t.completed_by(ctx.on) for t in g.trainings)]
    if not untrained:
        return passed(
            "{n}名专职保安员均经过培训",
            "all {n} full-time guard(s) trained",
            n=len(guards),
            untrained=[],
        )
    return failed(
        "{count}名专职保安员无已结束的培训记录：{names}",
        "{count} full-time guard(s) without a completed training course: {names}",
        count=len(untrained),
        names="、".join(untrained),
        untrained=untrained,
    )


LINKED_KINDS = (DeviceKind.VIDEO_SURVEILLANCE, DeviceKind.ONE_KEY_ALARM)
LINK_DUE = dt.date(2019, 12, 31)


_TOL = f"{CLOCK_TOLERANCE:g}"


@rule(
    "cangzhou.platform-link",
    title=(
        "城市校园视频监控和应急报警装置接入监控报警平台",
        "urban school video and emergency alarms connected to the platform",
    ),
    citation=C_1_1,
    applies=applies_when(lambda s: s.locality is Locality.URBAN, "城区学校", "urban schools"),
    binding_from=LINK_DUE,
    devices=LINKED_KINDS,
    passes=(
        "有视频监控和一键式紧急报警装置，且全部接入公安机关或教育部门平台；经探测的设备均可达、"
        f"时钟偏差不超过{_TOL}秒",
        "has video surveillance and a one-key emergency alarm, every one linked to the police "
        f"or education platform; probed devices answer, clocks within {_TOL} s",
    ),
    fails=(
        f"缺少视频监控或紧急报警装置，或有设备未联网、探测不可达或时钟偏差超过{_TOL}秒",
        "video or emergency alarm missing, or a device unlinked, probed unreachable or with "
        f"its clock off by more than {_TOL} s",
    ),
)
def platform_link(school: School, ctx: Context) -> Outcome:
    """城市校园视频监控系统和应急报警装置…年内全部接入…监控或报警平台."""
    devices = [d for d in school.devices if d.kind in LINKED_KINDS]
    missing = [k for k in LINKED_KINDS if not any(d.kind is k for d in devices)]
    # 接入公安机关、教育部门监控或报警平台: either platform will do.
    unlinked = [d.id for d in devices if not (d.linked_to_police or d.linked_to_education)]
    # A dead device, or one whose clock is off, is not usefully connected (docstring).
    probe = judge_devices(school, ctx, LINKED_KINDS)
    ev = {
        "devices": len(devices),
        "missing": [k.value for k in missing],
        "unlinked": unlinked,
        "probe": probe.evidence(),
    }
    if not (missing or unlinked or probe.failing):
        return passed(
            "{devices}台视频监控、紧急报警设备均已接入平台",
            "all {devices} video and emergency-alarm device(s) are connected to the platform",
            **ev,
        )
    problems_zh, problems_en = [], []
    if missing:
        problems_zh.append("缺少" + "、".join(k.zh for k in missing))
        problems_en.append("missing " + ", ".join(k.value for k in missing))
    if unlinked:
        problems_zh.append("未联网：" + "、".join(unlinked))
        problems_en.append("not linked: " + ", ".join(unlinked))
    if probe.failing:
        why = probe.summary()
        problems_zh.append(why.zh)
        problems_en.append(why.en)
    return failed(
        "视频监控、紧急报警未全部接入平台：{zh}",
        "video and emergency alarms not all connected: {en}",
        zh="；".join(problems_zh),
        en="; ".join(problems_en),
        **ev,
    )


# 因地制宜在校园门口设置硬质隔离和防冲撞设施 (where a vehicle can reach the gate).
anti_ramming = flag_rule(
    "cangzhou.anti-ramming",
    title=("校园门口设置硬质隔离和防冲撞设施", "hard isolation and anti-ramming at the gate"),
    citation=C_1_1,
    applies=applies_when(
        lambda s: s.vehicle_access,
        "机动车可通行至校门的学校",
        "schools whose gate a motor vehicle can reach",
    ),
    flag=lambda s: s.facilities.anti_ramming,
    evidence="anti_ramming",
    passes=("校门口设有硬质防冲撞设施", "the gate has hard anti-ramming facilities"),
    fails=("校门口无硬质防冲撞设施", "no hard anti-ramming facility at the gate"),
)


# --- 一（二）, 一（三）: gate, registration, patrols, guard room ------------------------------


# 学校要制定并落实门卫管理制度，配备安保人员，做到专人值守，持械上岗.
gate_duty = flag_rule(
    "cangzhou.gate-duty",
    title=("门卫专人值守、持械上岗", "gate guarded by a dedicated, equipped guard"),
    citation=C_1_2,
    flag=lambda s: s.routines.gate_duty,
    evidence="gate_duty",
    passes=("落实门卫专人值守、持械上岗", "a dedicated guard is on the gate, with equipment"),
    fails=("未落实门卫专人值守、持械上岗", "no dedicated, equipped guard on the gate"),
)


@rule(
    "cangzhou.visitor-vehicle-registration",
    title=("外来人员和车辆审查登记", "visitors and vehicles checked and registered"),
    citation=C_1_2,
    passes=(
        "外来人员登记和外来车辆登记制度均已落实",
        "both visitor and vehicle registration are in place",
    ),
    fails=(
        "外来人员或外来车辆未审查登记",
        "visitor or vehicle registration is missing",
    ),
)
def visitor_vehicle_registration(school: School, ctx: Context) -> Outcome:
    """要严格落实外来人员和车辆审查登记制度: both registrations in place."""
    r = school.routines
    missing = [
        name
        for name, ok in (
            ("visitor_registration", r.visitor_registration),
            ("vehicle_registration", r.vehicle_registration),
        )
        if not ok
    ]
    if not missing:
        return passed(
            "外来人员、车辆均审查登记", "visitors and vehicles are registered", missing=[]
        )
    zh = {"visitor_registration": "外来人员登记", "vehicle_registration": "外来车辆登记"}
    return failed(
        "未落实：{zh}",
        "not in place: {en}",
        zh="、".join(zh[m] for m in missing),
        en=", ".join(m.replace("_", " ") for m in missing),
        missing=missing,
    )


# 要定时对校内重点部位（教学楼、学生宿舍、食堂、办公楼、实验室、校门口等）进行巡视、巡逻.
_KEY_AREA_YES = Text("落实重点部位巡视巡逻", "key places are patrolled")
_KEY_AREA_NO = Text("未落实重点部位巡视巡逻", "key places are not patrolled")


def _missing_days(counts: dict[dt.date, int], period: Period) -> list[dt.date]:
    days = [period.start + dt.timedelta(days=k) for k in range(period.days)]
    return [d for d in days if d not in counts]


@rule(
    "cangzhou.key-area-patrol",
    title=("定时巡视巡逻校内重点部位", "regular patrols of key places"),
    citation=C_1_2,
    passes=(
        "落实重点部位巡视巡逻；有电子巡查记录时，上一完整周每天均有重点部位巡查",
        "key places are patrolled; with patrol records, a key place was patrolled on every "
        "day of the last complete week",
    ),
    fails=(
        "未落实重点部位巡视巡逻；有电子巡查记录时，上一完整周有一天无重点部位巡查",
        "key places are not patrolled; with patrol records, a day of the last complete week "
        "without a patrol of a key place",
    ),
    every=Every.WEEK,
)
def key_area_patrol(school: School, ctx: Context) -> Outcome:
    """定时…巡视、巡逻: judged from the school's patrol records when it has any.

    With records (``School.has_school_patrols``), 定时 is read as daily: every day of the
    judged week (``every=Every.WEEK``: as of a date the last complete ISO week, Monday to
    Sunday; over a window each week wholly inside it) has a check-in at a key place
    (``KEY_PLACES``: 校门口、教学楼、学生宿舍、食堂、办公楼、实验室). Without records the
    yes/no fact ``Routines.key_area_patrol`` decides, as before.
    """
    if not school.has_school_patrols:
        holds = school.routines.key_area_patrol
        return Outcome(
            Verdict.PASS if holds else Verdict.FAIL,
            _KEY_AREA_YES if holds else _KEY_AREA_NO,
            {"key_area_patrol": holds},
        )
    period = ctx.judged
    counts = school.school_patrol_counts(period.start, period.end, places=KEY_PLACES)
    missing = _missing_days(counts, period)
    ev: dict[str, Any] = {
        "period": str(period),
        "patrols": sum(counts.values()),
        "days_without": [d.isoformat() for d in missing],
    }
    if not missing:
        return passed(
            "电子巡查记录：{period}每天均巡查重点部位（共{patrols}次）",
            "patrol records: a key place was patrolled every day of {period} ({patrols} in all)",
            **ev,
        )
    days = "、".join(d.isoformat() for d in missing)
    return failed(
        "电子巡查记录：{period}有{n}天无重点部位巡查：{days}",
        "patrol records: {n} day(s) of {period} without a patrol of a key place: {days}",
        n=len(missing),
        days=days,
        **ev,
    )


@rule(
    "cangzhou.night-patrol",
    title=("寄宿制中小学校夜间巡查", "night patrols at boarding schools"),
    citation=C_1_2,
    applies=applies_when(
        lambda s: s.is_boarding and not s.kind.is_kindergarten,
        "寄宿制中小学校",
        "boarding primary and secondary schools",
    ),
    passes=(
        "落实夜间校园巡查；有电子巡查记录时，上一完整周每夜均巡查学生宿舍",
        "the campus is patrolled at night; with patrol records, a dormitory was patrolled "
        "every night of the last complete week",
    ),
    fails=(
        "未落实夜间校园巡查；有电子巡查记录时，上一完整周有一夜未巡查学生宿舍",
        "no night patrol of the campus; with patrol records, a night of the last complete "
        "week without a patrol of a dormitory",
    ),
    every=Every.WEEK,
)
def night_patrol(school: School, ctx: Context) -> Outcome:
    """寄宿制中小学校要加强夜间校园巡查力度，加大对宿舍特别是女生宿舍的巡逻.

    With patrol records, every night (22:00-06:00, China time; a night counts on the day
    it began) of the judged week (``every=Every.WEEK``, as ``key_area_patrol``) has a
    check-in at a dormitory (学生宿舍 or
    女生宿舍); the nights with a patrol of a girls' dormitory are in the evidence.
    Without records the yes/no fact ``Routines.night_patrol`` decides, as before.
    """
    if not school.has_school_patrols:
        if school.routines.night_patrol:
            return passed(
                "有{boarders}名住宿生，落实夜间巡查",
                "{boarders} boarders; the campus is patrolled at night",
                boarders=school.boarders,
            )
        return failed(
            "有{boarders}名住宿生，未落实夜间巡查",
            "{boarders} boarders, but no night patrol",
            boarders=school.boarders,
        )
    period = ctx.judged
    counts = school.school_patrol_counts(period.start, period.end, places=DORMITORIES, night=True)
    girls = school.school_patrol_counts(
        period.start, period.end, places=(PlaceKind.GIRLS_DORMITORY,), night=True
    )
    missing = _missing_days(counts, period)
    ev: dict[str, Any] = {
        "boarders": school.boarders,
        "period": str(period),
        "patrols": sum(counts.values()),
        "girls_dormitory_nights": len(girls),
        "nights_without": [d.isoformat() for d in missing],
    }
    if not missing:
        return passed(
            "电子巡查记录：{period}每夜均巡查学生宿舍（共{patrols}次，女生宿舍{girls_dormitory_nights}夜）",
            "patrol records: a dormitory was patrolled every night of {period} ({patrols} in "
            "all; girls' dormitories on {girls_dormitory_nights} night(s))",
            **ev,
        )
    nights = "、".join(d.isoformat() for d in missing)
    return failed(
        "电子巡查记录：{period}有{n}夜未巡查学生宿舍（夜间22时至次日6时）：{nights}",
        "patrol records: {n} night(s) of {period} without a dormitory patrol "
        "(22:00-06:00): {nights}",
        n=len(missing),
        nights=nights,
        **ev,
    )


# 各地各学校要…建设“校园警卫室”.
guard_room = flag_rule(
    "cangzhou.guard-room",
    title=("建立校园警卫室", "campus guard room"),
    citation=C_1_3,
    flag=lambda s: s.facilities.guard_room,
    evidence="guard_room",
    passes=("已建立校园警卫室", "the school has a campus guard room"),
    fails=("未建立校园警卫室", "no campus guard room"),
)


# --- 一（四）: grid management and the hazard-check cadence --------------------------------


# 全面实施网格化管理，对校园划分安全区域，明确网格排查责任人.
_GRID_YES = Text(
    "校园划分安全网格，每个网格有排查责任人",
    "the campus is divided into grids, each with a responsible person",
)
_GRID_NO = Text("未实施网格化管理或未明确网格责任人", "no grid management or no person per grid")


@rule(
    "cangzhou.grid-management",
    title=("网格化管理，明确网格排查责任人", "grid management with a person per grid"),
    citation=C_1_4,
    passes=_GRID_YES,
    fails=_GRID_NO,
)
def grid_management(school: School, ctx: Context) -> Outcome:
    """明确网格排查责任人: judged from the school's grid areas when it has any.

    With grid areas (``School.grid_areas``), every area names its responsible person
    (``GridArea.responsible``); the areas without one are named. Without them the
    yes/no fact ``Routines.grid_management`` decides, as before.
    """
    if not school.grid_areas:
        holds = school.routines.grid_management
        return Outcome(
            Verdict.PASS if holds else Verdict.FAIL,
            _GRID_YES if holds else _GRID_NO,
            {"grid_management": holds},
        )
    unnamed = [a for a in school.grid_areas if not (a.responsible or "").strip()]
    ev: dict[str, Any] = {
        "grid_areas": len(school.grid_areas),
        "without_responsible": [a.id for a in unnamed],
    }
    if not unnamed:
        return passed(
            "校园划分{grid_areas}个安全网格，均明确排查责任人",
            "{grid_areas} grid area(s), each with a responsible person",
            **ev,
        )
    return failed(
        "{n}个网格未明确排查责任人：{names}",
        "{n} grid area(s) without a responsible person: {names}",
        n=len(unnamed),
        names="、".join(f"{a.id} {a.name}" for a in unnamed),
        **ev,
    )


_SCHOOL_LEVEL = InspectorLevel.SCHOOL  # bound once: an enum member lookup is not free

_CADENCE_UNIT = {
    Cadence.DAILY: ("daily", "日", "day", Every.DAY),
    Cadence.WEEKLY: ("weekly", "周", "week", Every.WEEK),
    Cadence.MONTHLY: ("monthly", "月", "month", Every.MONTH),
    Cadence.QUARTERLY: ("quarterly", "季度", "quarter", Every.QUARTER),
}


def _cadence_rule(cadence: Cadence) -> Rule:
    """The rule that each period of ``cadence`` holds a check of that cadence."""
    unit, unit_zh, unit_en, every = _CADENCE_UNIT[cadence]
    what, what_en = cadence.zh, f"{unit} check"

    known: dict[dt.date, dict[str, str]] = {}

    def evidence(period: Period) -> dict[str, str]:
        """The judged period's evidence: the same for every school (kept by its start).

        The dict is only ever spread into keyword arguments (copied), never mutated.
        """
        hit = known.get(period.start)
        if hit is not None:
            return hit
        if len(known) > 4096:
            known.clear()
        one_day = period.start == period.end
        hit = known[period.start] = {
            "cadence": cadence.value,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "span": str(period.start) if one_day else f"{period.start}至{period.end}",
            "span_en": str(period.start) if one_day else f"{period.start} to {period.end}",
        }
        return hit

    def check(school: School, ctx: Context) -> Outcome:
        period = ctx.judged
        ev = evidence(period)
        if period.start < ISSUED:
            return not_applicable(
                "上一{unit_zh}（{span}）始于文件印发（2019-05-13）之前，不予评判",
                "the last {unit_en} ({span_en}) began before the document was issued "
                "(2019-05-13): not judged",
                unit_zh=unit_zh,
                unit_en=unit_en,
                **ev,
            )
        # Records, not distinct days (``School.inspection_days``): see the docstring.
        held = school.inspection_dates(
            period.start, period.end, level=_SCHOOL_LEVEL, cadences=(cadence,)
        )
        # Most schools keep their routine: the outcome of a period with the same records
        # (none, or one a day) is the same object for all of them (Outcomes are frozen).
        key = (period.start, len(held), held[0] if held else None, held[-1] if held else None)
        usual = len(held) <= 1 or held == [held[0]] * len(held)
        if usual:
            hit = outcomes.get(key)
            if hit is not None:
                return hit
            if len(outcomes) > 4096:
                outcomes.clear()
            outcome = outcomes[key] = judge(held, ev)
            return outcome
        return judge(held, ev)

    outcomes: dict[tuple[dt.date, int, dt.date | None, dt.date | None], Outcome] = {}

    def judge(held: list[dt.date], ev: dict[str, str]) -> Outcome:
        if held:
            return passed(
                "{span}有{n}次学校{what}记录",
                "{n} school {what_en} record(s) in {span_en}",
                n=len(held),
                what=what,
                what_en=what_en,
                held=[d.isoformat() for d in held],
                **ev,
            )
        return failed(
            "{span}无学校{what}记录",
            "no school {what_en} in {span_en}",
            what=what,
            what_en=what_en,
            held=[],
            **ev,
        )

    check.__doc__ = f"坚持{cadence.zh}: a {unit} school check in every {unit_en}."
    check.__name__ = f"hazard_check_{unit}"
    return rule(
        f"cangzhou.hazard-check-{unit}",
        title=(f"坚持{cadence.zh}", f"{unit} hazard check"),
        citation=C_1_4,
        every=every,
        passes=(
            f"上一完整{unit_zh}内至少有一次学校{cadence.zh}记录",
            f"the last complete {unit_en} holds at least one school {unit} check",
        ),
        fails=(
            f"上一完整{unit_zh}内无学校{cadence.zh}记录",
            f"no school {unit} check in the last complete {unit_en}",
        ),
    )(check)


hazard_check_daily = _cadence_rule(Cadence.DAILY)
hazard_check_weekly = _cadence_rule(Cadence.WEEKLY)
hazard_check_monthly = _cadence_rule(Cadence.MONTHLY)
hazard_check_quarterly = _cadence_rule(Cadence.QUARTERLY)


# --- 三（二）: risk list, hazard rectification ---------------------------------------------


# 建立本地、本学校安全风险隐患清单，明确责任人，加强管控.
risk_list = flag_rule(
    "cangzhou.risk-list",
    title=("建立安全风险隐患清单并明确责任人", "risk list with a responsible person"),
    citation=C_3_2,
    flag=lambda s: s.routines.risk_list,
    evidence="risk_list",
    passes=("已建立安全风险隐患清单并明确责任人", "a risk list with a responsible person exists"),
    fails=("未建立安全风险隐患清单或未明确责任人", "no risk list, or no responsible person"),
)


@rule(
    "cangzhou.hazard-rectification-plan",
    title=("一时解决不了的隐患制定整改方案", "hazards not fixed at once have a plan"),
    citation=C_3_2,
    passes=(
        "没有发现当日之后仍未整改且无整改期限的隐患",
        "no hazard is still open after the day it was found without a rectification deadline",
    ),
    fails=(
        "有隐患发现当日未整改，也无整改期限（整改方案）",
        "a hazard not fixed on the day it was found has no deadline (no plan)",
    ),
)
def hazard_rectification_plan(school: School, ctx: Context) -> Outcome:
    """立行立改，一时解决不了的，要制定整改方案: open after day one means a deadline."""
    unplanned = sorted(
        (h for h in school.hazards if h.is_open(ctx.on) and h.rectify_by is None),
        key=lambda h: (h.found_on, h.id),
    )
    late = [h for h in unplanned if ctx.on > h.found_on]
    if not late:
        return passed(
            "未整改隐患均有整改期限",
            "every hazard open after its first day has a deadline",
            unplanned=[],
            found_today=[h.id for h in unplanned],
        )
    return failed(
        "{n}项隐患未立行立改，也无整改期限：{ids}",
        "{n} hazard(s) neither fixed at once nor given a deadline: {ids_en}",
        n=len(late),
        ids="、".join(f"{h.id}（{h.found_on}发现）" for h in late),
        ids_en=", ".join(f"{h.id} (found {h.found_on})" for h in late),
        unplanned=[{"id": h.id, "found_on": h.found_on.isoformat()} for h in late],
        found_today=[h.id for h in unplanned if h.found_on == ctx.on],
    )


@rule(
    "cangzhou.hazard-rectified-on-time",
    title=("隐患按整改期限整改完毕", "hazards rectified by their deadline"),
    citation=C_3_2,
    passes=("没有超过整改期限仍未整改的隐患", "no open hazard is past its deadline"),
    fails=("有隐患超过整改期限仍未整改", "an open hazard is past its deadline"),
)
def hazard_rectified_on_time(school: School, ctx: Context) -> Outcome:
    """专人盯办，彻底根除隐患: no hazard open after its rectification deadline."""
    overdue = sorted(
        (h for h in school.hazards if h.is_overdue(ctx.on)),
        key=lambda h: (h.rectify_by, h.id),
    )
    if not overdue:
        return passed(
            "没有逾期未整改的隐患",
            "no open hazard is past its deadline",
            overdue=[],
            open=sum(1 for h in school.hazards if h.is_open(ctx.on)),
        )
    return failed(
        "{n}项隐患逾期未整改：{ids}",
        "{n} hazard(s) open past the deadline: {ids_en}",
        n=len(overdue),
        ids="、".join(f"{h.id}（期限{h.rectify_by}）" for h in overdue),
        ids_en=", ".join(f"{h.id} (due {h.rectify_by})" for h in overdue),
        overdue=[
            {"id": h.id, "rectify_by": h.rectify_by.isoformat() if h.rectify_by else None}
            for h in overdue
        ],
    )


# --- 四（一）: emergency plan and drills ------------------------------------------------------


# 健全完善紧急事件应急处置工作机制和应急预案.
emergency_plan = flag_rule(
    "cangzhou.emergency-plan",
    title=("健全应急预案", "emergency plan"),
    citation=C_4_1,
    flag=lambda s: s.routines.emergency_plan,
    evidence="emergency_plan",
    passes=("已制定应急预案", "the school has an emergency plan"),
    fails=("未制定应急预案", "no emergency plan"),
)


@rule(
    "cangzhou.emergency-drill",
    title=("定期开展应急演练（每学期至少1次）", "regular emergency drills (one a semester)"),
    citation=C_4_1,
    passes=(
        "上一完整学期内至少开展1次应急演练",
        "at least one emergency drill in the last complete semester",
    ),
    fails=("上一完整学期内未开展应急演练", "no emergency drill in the last complete semester"),
    every=Every.SEMESTER,
)
def emergency_drill(school: School, ctx: Context) -> Outcome:
    """定期开展应急演练: an emergency drill in every semester (``ctx.period``)."""
    period = ctx.judged
    ev = {"period_start": period.start.isoformat(), "period_end": period.end.isoformat()}
    if period.start < ISSUED:
        return not_applicable(
            "上一学期（{period_start}至{period_end}）始于文件印发之前，不予评判",
            "the last semester ({period_start} to {period_end}) began before the document "
            "was issued: not judged",
            **ev,
        )
    start, end, emergency = period.start, period.end, DrillKind.EMERGENCY
    held = sorted(
        h for d in school.drills if start <= (h := d.held_on) <= end and d.kind is emergency
    )
    if held:
        return passed(
            "上一学期（{period_start}至{period_end}）开展应急演练{n}次",
            "{n} emergency drill(s) in the last semester ({period_start} to {period_end})",
            n=len(held),
            held=[d.isoformat() for d in held],
            **ev,
        )
    return failed(
        "上一学期（{period_start}至{period_end}）未开展应急演练",
        "no emergency drill in the last semester ({period_start} to {period_end})",
        held=[],
        **ev,
    )


@rule(
    "cangzhou.gate-communication",
    title=("为门卫、保安人员配备通讯器材", "communication equipment for gate guards"),
    citation=C_4_3,
    passes=("学校至少配备1部对讲机", "the school has at least one radio"),
    fails=("学校未配备对讲机等通讯器材", "no radio or other communication equipment"),
)
def gate_communication(school: School, ctx: Context) -> Outcome:
    """为门卫、保安人员配备必要的通讯…器材."""
    radios = sum(e.quantity for e in school.equipment if e.kind is EquipmentKind.RADIO)
    if radios:
        return passed("配备对讲机{radios}部", "{radios} radio(s)", radios=radios)
    return failed("未配备对讲机等通讯器材", "no radio for the gate guards", radios=0)


RULES = (
    guard_staffing,
    guard_age,
    guard_certified,
    guard_licensed_company,
    protective_equipment,
    guard_trained,
    platform_link,
    anti_ramming,
    gate_duty,
    visitor_vehicle_registration,
    key_area_patrol,
    night_patrol,
    guard_room,
    grid_management,
    hazard_check_daily,
    hazard_check_weekly,
    hazard_check_monthly,
    hazard_check_quarterly,
    risk_list,
    hazard_rectification_plan,
    hazard_rectified_on_time,
    emergency_plan,
    emergency_drill,
    gate_communication,
)

TARGETS = (
    Target(
        id="cangzhou.platform-link-rate",
        title=Text(
            "城市校园视频监控、应急报警装置接入平台率",
            "urban schools with video and emergency alarms connected",
        ),
        citation=C_1_1,
        rule_id="cangzhou.platform-link",
        due=LINK_DUE,
        threshold=1.0,
    ),
)
