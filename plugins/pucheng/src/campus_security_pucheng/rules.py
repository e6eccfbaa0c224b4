"""The rules of 蒲城县公安局's 2014 special action plan, clause by clause.

Clauses
    The plan numbers its sections ``一、``, (an unnumbered 组织领导: the ``二、`` is missing
    in the source), ``三、工作重点`` with items ``1、`` to ``8、``, ``四、`` with phases ``⑴、``
    to ``⑷、`` (the parenthesized digits U+2474-U+2477) and ``五、`` with ``㈠、`` to ``㈢、``.
    A clause string is the section marker plus the item marker without its trailing
    ``、``: ``三、1``, ``四、⑵``.

In force: from 2014-06-16, with no end; the campaign ran to 2014-10-30
    "自即日起至10月30日在全县范围内开展…专项行动": the special action (the campaign of
    section 四) runs from the day of issue, printed 二0一四年六月十六日, to the end of the
    acceptance phase, 2014-10-30. The requirements of section 三 outlast it: the plan
    sets them up as standing mechanisms ("贯彻警、校联动、快速反应长效工作机制", "建立经常性
    的校园安全隐患排查机制", police inspections "每学期至少开展两次", which only makes sense
    semester after semester), and the campaign's acceptance phase checks that schools
    meet them, not that they meet them until 10-30 only. So the standard stays in
    force (no ``in_force_until``; no later Pucheng document replacing it is known), the
    school requirements of 三 bind from 2014-09-01 as before, and the two phase rules
    of 四 (the September check and the October acceptance) judge the 2014 campaign only:
    they are not applicable after the campaign's semester ends (2015-01-31).

The schools' deadline: 2014-09-01
    Phase ⑴, "自我检查、自我完善阶段（6月20日至9月1日）", gives schools until 09-01 to
    comply, and the police inspections of phase ⑵ start that day. Every requirement on
    the school itself (staffing, duty, guards' training, certificate, uniform and
    equipment, video, walls, closed management, registration, routines, hazard notices)
    binds from 2014-09-01: before it, a failure is reported as not yet binding. A
    deadline day is judged on that day: a roster dated ``on`` is the state at the end of
    ``on``. Windows are closed, both ends included.

Guards on staff
    A guard is on staff on ``on`` when ``hired_on`` is unknown or not after ``on``
    (the core's ``Guard.on_staff`` and ``School.guards_on_staff``). The model has no
    departure date, so the roster's guards are the current staff. A rule
    about each guard is not applicable to a school with no guard on staff: staffing is
    judged by the staffing rules.

Urban and rural, 三、1
    The plan's 城区 is ``Locality.URBAN``; its 乡镇农村 is ``Locality.TOWN`` or
    ``Locality.RURAL``. Pucheng is a county, and under the national statistical split
    its county town (县城) is usually 镇区: the model has no county-town flag, so a
    roster must mark county-town schools URBAN for the urban rule to reach them; a
    county-town school marked TOWN is judged by the rural rule (at 100 or more pupils).
    以上 includes the number itself (Civil Code art. 1259): 100名学生以上 is
    ``enrollment >= 100`` and 2名以上 is ``>= 2``. Kindergartens are included, their
    enrollment counting 幼儿.

Urban staffing, "2至4名"
    A floor of 2 full-time guards, not a cap of 4: the section's aim is to strengthen
    guard forces, the rural rule of the same sentence is open-ended (2名以上), and the
    plan gives no size bands that would say which school needs 2 and which 4. A school
    with more than 4 passes, with ``above_range`` in the evidence.

Boarding duty
    "确保24小时有人值班" is ``Routines.round_the_clock_duty``. The 生活管理教师 are not
    recorded in the model and are not checked.

Guards: "经岗前培训后统一着保安服，持证上岗" and equipment
    Each guard on staff, part-time included, must have completed a pre-job course
    (``Training.completed_by(on)``: its last day, ``Training.ends_on`` =
    ``started_on + days - 1``, not after ``on``; no minimum length, rotation courses do
    not count), hold a certificate, and wear the uniform (``Guard.uniform``).
    经…后 puts the course before the start of work; that order is required only of
    guards engaged under the plan (``hired_on`` on or after 2014-06-16), whose course
    must end on or before ``hired_on``: a guard engaged earlier cannot be held to a
    sequence the plan had not yet required, and a completed course is the remedy.
    "所有保安必须配备橡胶棒、安全叉": the model holds equipment per school, not per guard,
    so the school needs at least one rubber baton and one safety fork (``STEEL_FORK``,
    防护钢叉) per guard on staff, quantities summed over entries. National-standard
    products are not required, and the unnamed other equipment (等必要的) is not checked.

Video, 三、2
    A usable system is a ``VIDEO_SURVEILLANCE`` device with ``full_coverage`` that does
    not fail the probe (``judge_devices``): the system must support 实时监控、网上巡查.
    A camera that a device adapter probed unreachable supports neither. A camera whose
    clock is off by more than ``CLOCK_TOLERANCE`` (10 s) does not count either: its
    recordings are kept to be used as evidence (网上巡查 and the investigation of
    incidents), and a recording with a wrong clock cannot be aligned with an alarm log,
    a 110 call record or a patrol's report, so it is useless as evidence. The 10 s
    tolerance is the core's, justified at ``CLOCK_TOLERANCE`` and in
    docs/device-adapters.md (GB/T 28181-2016 9.10.1 requires networked video devices to
    keep Beijing time by SIP or NTP; a synchronised device is within about 1 s, a probe
    measures to about 1 s, an unsynchronised device drifts by minutes); the comparison
    is strict, so an offset of exactly 10 s passes and 10.5 s fails. The probe of the
    whole-campus cameras is in the evidence (``probe``) and, when it fails the school,
    its summary in the message. Without probe data, or for a camera with no status, the
    declared devices are judged. Compliance with the whole national standard, and
    linking to the police (not stated as such), are not checked.

Walls and closed management, 三、2
    Both apply to every school: "特别是乡镇农村" marks emphasis, not a limit.

Routines, 三、3
    Visitor and vehicle registration are one rule; 值班、巡逻、隐患排查、应急处置 are
    ``duty_rota``, ``key_area_patrol``, ``hazard_check`` and ``emergency_plan``.

Police inspections, 三、7: "每学期至少开展两次"
    The current semester is judged, closed early by the plan's end on 2014-10-30.
    Semesters are the glossary's (autumn 1 Sep to 31 Jan, spring 1 Feb to 31 Aug). Neither
    literal reading works while the plan is in force: "the current semester once it has
    ended" would judge nothing (autumn 2014 ends after the plan; spring 2014 ends 08-31,
    before the police inspections start on 09-01), and "the last complete semester"
    would judge semesters that lie before the plan. The plan itself schedules two
    police visits to every school in autumn 2014 (09-01 to 09-15 and 10-08 to 10-30), so
    inspections by the police station (``InspectorLevel.POLICE_STATION``; a county
    check does not count) on distinct days from the semester's start to ``on`` are
    counted (``School.inspection_days``), and a shortfall binds on the plan's last day,
    2014-10-30. Two records on one day are one inspection. After the campaign's
    semester the last complete semester is judged whole. The rule is periodic
    (``every=Every.SEMESTER``): over a window (``check --from/--to``) each semester lying
    wholly inside it is judged whole (the engine's rule: a semester cut by the window's
    edges is not judged), the campaign's autumn 2014 included, judged on 2015-02-01.

Hazard notices, 三、4 and 四、⑵
    "发现隐患，及时下发《治安隐患限期整改通知书》" and "立即下发《责令限期整改治安隐患通知书》"
    name the same notice (``RectificationNotice``). A hazard needs one when it was found
    from 2014-09-01 (the police inspection phase; earlier hazards belong to the schools'
    self-check) up to ``on``, by the police station, and was not fixed on the day it
    was found (nothing is left to 限期). ``Hazard.found_by`` restricts the rule to the
    police station's finds: a hazard recorded as found by the school, the county or
    anyone else needs no police notice. When ``found_by`` is ``None`` (the record does
    not say), the hazard is treated as found by the police station, since from 09-01
    the plan's hazard finding is the police inspection; such hazards are listed under
    ``finder_unknown``, so a school that recorded its own finds without a finder can
    correct the record. A notice covers a hazard when it names it, is issued on or after
    the day it was found and not after ``on``, and was not issued by the school itself.
    立即 is read literally: a hazard is uncovered from the day it is found until its
    notice is issued. It is a record duty: a hazard that needed a notice still needs
    one after it has been fixed.

Overdue notices, 四、⑶
    "对于逾期不整改的学校…问责约谈": no notice may be open after its ``rectify_by``
    (``RectificationNotice.is_overdue``). Notices of every issuer count; there is no
    record window; the hazards' own ``rectify_by`` is not judged. The interviews
    themselves are police actions and not recorded.

Dated phases ⑵ and ⑷
    The September inspection needs a police-station inspection from 09-01 to 09-15
    (binding 09-15); the October acceptance one from 10-08 to 10-30 (binding 10-30).
    The model cannot mark an inspection as 验收 or record its result, so the date window
    alone identifies the acceptance visit.
"""

from __future__ import annotations

import datetime as dt

from campus_security.sdk import (
    CLOCK_TOLERANCE,
    Citation,
    Context,
    DeviceKind,
    EquipmentKind,
    Every,
    Guard,
    InspectorLevel,
    Locality,
    Outcome,
    School,
    TrainingKind,
    applies_when,
    boarding,
    every_guard,
    failed,
    flag_rule,
    judge_certificates,
    judge_devices,
    missing_routines,
    not_applicable,
    passed,
    rule,
    semester,
)

__all__ = [
    "ACCEPTANCE",
    "CAMPAIGN_END",
    "DOCUMENT",
    "IN_FORCE_FROM",
    "NOTICE_FROM",
    "RULES",
    "SCHOOL_DEADLINE",
    "SEPTEMBER_CHECK",
    "on_staff",
]

DOCUMENT = (
    "蒲城县公安局关于我县中小学幼儿园安全防范工作安全大检查、隐患大整改、责任严落实专项行动实施方案"
)
C_3_1 = Citation(DOCUMENT, "三、1")
C_3_2 = Citation(DOCUMENT, "三、2")
C_3_3 = Citation(DOCUMENT, "三、3")
C_3_4 = Citation(DOCUMENT, "三、4")
C_3_7 = Citation(DOCUMENT, "三、7")
C_4_2 = Citation(DOCUMENT, "四、⑵")
C_4_3 = Citation(DOCUMENT, "四、⑶")
C_4_4 = Citation(DOCUMENT, "四、⑷")

IN_FORCE_FROM = dt.date(2014, 6, 16)
"""自即日起: the day of issue, 二0一四年六月十六日."""
CAMPAIGN_END = dt.date(2014, 10, 30)
"""至10月30日: the end of the special action and of the acceptance phase ⑷."""
CAMPAIGN_SEMESTER_END = dt.date(2015, 1, 31)
"""The end of the autumn 2014 semester, the campaign's semester."""
SCHOOL_DEADLINE = dt.date(2014, 9, 1)
"""The end of phase ⑴ (6月20日至9月1日): the schools' own requirements bind from here."""
NOTICE_FROM = dt.date(2014, 9, 1)
"""The start of phase ⑵: hazards found from here on need a police notice."""
SEPTEMBER_CHECK = (dt.date(2014, 9, 1), dt.date(2014, 9, 15))
"""Phase ⑵, 检查整改、督促落实阶段（9月1日至15日）."""
ACCEPTANCE = (dt.date(2014, 10, 8), dt.date(2014, 10, 30))
"""Phase ⑷, 全面检查、验收阶段（10月8日至30日）."""
INSPECTIONS_PER_SEMESTER = 2


def on_staff(school: School, on: dt.date) -> tuple[Guard, ...]:
    """The guards on staff on ``on``: ``school.guards_on_staff(on)`` (kept for callers)."""
    return school.guards_on_staff(on)


def _no_guards() -> Outcome:
    return not_applicable("无在岗保安员", "no guards on staff", guards=0)


URBAN_SCOPE = applies_when(
    lambda s: s.locality is Locality.URBAN, "城区学校", "urban schools (城区)"
)
"""全县城区所有中小学幼儿园: schools marked ``Locality.URBAN``."""
RURAL_SCOPE = applies_when(
    lambda s: (
        s.locality in (Locality.TOWN, Locality.RURAL) and (s.enrollment >= 100 or s.complex_area)
    ),
    "乡镇农村100名学生以上学校及治安状况复杂学校",
    "town and rural schools with 100 or more students or in a complex area",
)
"""乡镇农村100名学生以上学校及治安状况复杂学校: 以上 includes 100."""


def _staffing(school: School, ctx: Context, urban: bool) -> Outcome:
    guards = school.guards_on_staff(ctx.on)
    n = sum(1 for g in guards if g.full_time)
    ev = {"full_time": n, "part_time": len(guards) - n, "required": 2}
    if urban:
        ev["above_range"] = n > 4
    if n >= 2 and urban and n > 4:
        return passed(
            "专职保安员{full_time}名（超出2至4名的范围，不视为不合格）",
            "{full_time} full-time guards (above the 2–4 range, which is not a failure)",
            **ev,
        )
    if n >= 2:
        return passed(
            "专职保安员{full_time}名，不少于2名",
            "{full_time} full-time guards, at least 2",
            **ev,
        )
    return failed(
        "专职保安员仅{full_time}名，应不少于2名（兼职{part_time}名不计）",
        "only {full_time} full-time guard(s), at least 2 needed "
        "(part-time guards, {part_time} here, do not count)",
        **ev,
    )


# --- 三、1: guard force ----------------------------------------------------------------


@rule(
    "pucheng.urban-guard-staffing",
    title=("城区学校配备2至4名专职保安员", "urban schools: 2 to 4 full-time guards"),
    citation=C_3_1,
    applies=URBAN_SCOPE,
    binding_from=SCHOOL_DEADLINE,
    passes=(
        "在岗专职保安员不少于2名（多于4名亦合格，证据中标注）",
        "at least 2 full-time guards on staff (more than 4 also passes, flagged in the evidence)",
    ),
    fails=(
        "专职保安员少于2名（兼职不计）",
        "fewer than 2 full-time guards (part-time do not count)",
    ),
)
def urban_guard_staffing(school: School, ctx: Context) -> Outcome:
    """全县城区所有中小学幼儿园必须配备2至4名专职保安员: at least 2 full-time guards."""
    return _staffing(school, ctx, urban=True)


@rule(
    "pucheng.rural-guard-staffing",
    title=(
        "乡镇农村百人以上及治安复杂学校配备2名以上专职保安员",
        "town and rural schools of 100+ students or in complex areas: at least 2 full-time guards",
    ),
    citation=C_3_1,
    applies=RURAL_SCOPE,
    binding_from=SCHOOL_DEADLINE,
    passes=("在岗专职保安员不少于2名", "at least 2 full-time guards on staff"),
    fails=(
        "专职保安员少于2名（兼职不计）",
        "fewer than 2 full-time guards (part-time do not count)",
    ),
)
def rural_guard_staffing(school: School, ctx: Context) -> Outcome:
    """乡镇农村100名学生以上学校及治安状况复杂学校必须配备2名以上专职保安员."""
    return _staffing(school, ctx, urban=False)


@rule(
    "pucheng.boarding-duty",
    title=("寄宿制学校24小时有人值班", "boarding schools: someone on duty round the clock"),
    citation=C_3_1,
    applies=boarding(),
    binding_from=SCHOOL_DEADLINE,
    passes=("已建立24小时值班", "round-the-clock duty is in place"),
    fails=("未建立24小时值班", "no round-the-clock duty"),
)
def boarding_duty(school: School, ctx: Context) -> Outcome:
    """寄宿制学校要配备专门的值班人员…确保24小时有人值班."""
    if school.routines.round_the_clock_duty:
        return passed(
            "寄宿生{boarders}名，已建立24小时值班",
            "{boarders} boarders; round-the-clock duty in place",
            boarders=school.boarders,
        )
    return failed(
        "寄宿生{boarders}名，未建立24小时值班",
        "{boarders} boarders; no round-the-clock duty",
        boarders=school.boarders,
    )


def _pre_job_gap(guard: Guard, on: dt.date) -> str | None:
    """Why the guard is not trained as the plan requires, or ``None`` when it is."""
    done = [t for t in guard.trainings if t.kind is TrainingKind.PRE_JOB and t.completed_by(on)]
    if guard.hired_on is not None and guard.hired_on >= IN_FORCE_FROM:
        if any(t.completed_by(guard.hired_on) for t in done):
            return None
        return "after_hire" if done else "none"
    return None if done else "none"


@rule(
    "pucheng.guard-pre-job-training",
    title=("保安员经岗前培训", "guards trained before starting"),
    citation=C_3_1,
    binding_from=SCHOOL_DEADLINE,
    passes=(
        "每名在岗保安员（含兼职）完成岗前培训；2014年6月16日起聘用的，培训在上岗前结束",
        "every guard on staff, part-time included, has completed a pre-job course; for guards "
        "engaged from 2014-06-16 it ended by the day they started",
    ),
    fails=(
        "有保安员无已结业的岗前培训，或2014年6月16日起聘用者上岗后才结束培训",
        "a guard has no completed pre-job course, or one engaged from 2014-06-16 finished it "
        "only after starting",
    ),
)
def guard_pre_job_training(school: School, ctx: Context) -> Outcome:
    """校园保安员要…经岗前培训后…上岗: a completed pre-job course, before the start."""
    guards = school.guards_on_staff(ctx.on)
    if not guards:
        return _no_guards()
    gaps = [(g, gap) for g in guards if (gap := _pre_job_gap(g, ctx.on)) is not None]
    if not gaps:
        return passed(
            "{n}名在岗保安员均经岗前培训",
            "all {n} guard(s) on staff completed a pre-job course",
            n=len(guards),
        )
    zh = {"none": "无已结业的岗前培训", "after_hire": "上岗后才结束岗前培训"}
    en = {"none": "no completed pre-job course", "after_hire": "course ended after starting"}
    return failed(
        "{count}名保安员未经岗前培训上岗：{names}",
        "{count} guard(s) not trained before starting: {names_en}",
        count=len(gaps),
        names="、".join(f"{g.name}（{zh[r]}）" for g, r in gaps),
        names_en=", ".join(f"{g.name} ({en[r]})" for g, r in gaps),
        untrained=[
            {"name": g.name, "id_number": g.id_number, "hired_on": g.hired_on, "reason": r}
            for g, r in gaps
        ],
    )


@rule(
    "pucheng.guard-certified",
    title=("保安员持证上岗", "guards certified"),
    citation=C_3_1,
    binding_from=SCHOOL_DEADLINE,
    passes=(
        "每名在岗保安员（含兼职）持保安员证",
        "every guard on staff, part-time included, is certified",
    ),
    fails=("有在岗保安员无保安员证", "a guard on staff has no certificate"),
)
def guard_certified(school: School, ctx: Context) -> Outcome:
    """持证上岗: every guard on staff holds a certificate (valid in the registry, if pulled)."""
    registry = judge_certificates(school.guards_on_staff(ctx.on))
    outcome = every_guard(
        school,
        ctx,
        lambda g: g.certificate_valid,
        ("{n}名在岗保安员均持证", "all {n} guard(s) on staff are certified"),
        (
            "{count}名保安员无证上岗：{names}",
            "{count} guard(s) on duty without a certificate: {names}",
        ),
        key="uncertified",
    )
    return registry.annotate(outcome)


@rule(
    "pucheng.guard-uniform",
    title=("保安员统一着保安服", "guards wear the guard uniform"),
    citation=C_3_1,
    binding_from=SCHOOL_DEADLINE,
    passes=(
        "每名在岗保安员（含兼职）统一着保安服",
        "every guard on staff, part-time included, wears the uniform",
    ),
    fails=("有在岗保安员未着保安服", "a guard on staff does not wear the uniform"),
)
def guard_uniform(school: School, ctx: Context) -> Outcome:
    """统一着保安服: every guard on staff wears the guard uniform."""
    return every_guard(
        school,
        ctx,
        lambda g: g.uniform,
        ("{n}名在岗保安员均统一着保安服", "all {n} guard(s) on staff wear the uniform"),
        ("{count}名保安员未着保安服：{names}", "{count} guard(s) without the uniform: {names}"),
        key="without_uniform",
    )


@rule(
    "pucheng.guard-equipment",
    title=("每名保安员配备橡胶棒、安全叉", "a rubber baton and a safety fork per guard"),
    citation=C_3_1,
    binding_from=SCHOOL_DEADLINE,
    passes=(
        "橡胶棒、安全叉各不少于在岗保安员人数（含兼职）",
        "at least as many rubber batons and as many safety forks as guards on staff "
        "(part-time included)",
    ),
    fails=("橡胶棒或安全叉少于保安员人数", "fewer rubber batons or safety forks than guards"),
)
def guard_equipment(school: School, ctx: Context) -> Outcome:
    """所有保安必须配备橡胶棒、安全叉: one of each per guard on staff."""
    n = len(school.guards_on_staff(ctx.on))
    if not n:
        return _no_guards()
    batons = sum(e.quantity for e in school.equipment if e.kind is EquipmentKind.RUBBER_BATON)
    forks = sum(e.quantity for e in school.equipment if e.kind is EquipmentKind.STEEL_FORK)
    ev = {"guards": n, "batons": batons, "forks": forks}
    if batons >= n and forks >= n:
        return passed(
            "保安员{guards}名，橡胶棒{batons}根，安全叉{forks}把",
            "{guards} guard(s), {batons} rubber baton(s), {forks} safety fork(s)",
            **ev,
        )
    return failed(
        "保安员{guards}名，橡胶棒仅{batons}根、安全叉仅{forks}把，每人应各一",
        "{guards} guard(s) but only {batons} rubber baton(s) and {forks} safety fork(s): "
        "one of each per guard",
        **ev,
    )


# --- 三、2: video, walls, closed management ----------------------------------------------


_TOL = f"{CLOCK_TOLERANCE:g}"


@rule(
    "pucheng.video-full-coverage",
    title=("视频监控全面无死角覆盖", "video covers the whole campus"),
    citation=C_3_2,
    binding_from=SCHOOL_DEADLINE,
    devices=(DeviceKind.VIDEO_SURVEILLANCE,),
    passes=(
        f"有全面无死角覆盖的视频监控系统，且未被探测为不可达、时钟偏差不超过{_TOL}秒",
        "a video surveillance system covering the whole campus, not probed unreachable, "
        f"its clock within {_TOL} s",
    ),
    fails=(
        f"无视频监控、未全覆盖，或全覆盖的系统被探测为不可达或时钟偏差超过{_TOL}秒",
        "no video surveillance, not whole-campus, or the whole-campus system probed "
        f"unreachable or its clock off by more than {_TOL} s",
    ),
)
def video_full_coverage(school: School, ctx: Context) -> Outcome:
    """视频监控…要求实现全面无死角覆盖…为实时监控、网上巡查提供支撑."""
    videos = [d for d in school.devices if d.kind is DeviceKind.VIDEO_SURVEILLANCE]
    full = [d for d in videos if d.full_coverage]
    probe = judge_devices(school, ctx, (DeviceKind.VIDEO_SURVEILLANCE,), full)
    failing = frozenset(probe.failing)
    usable = [d.id for d in full if d.id not in failing]
    ev = {"video_systems": len(videos), "usable": usable, "probe": probe.evidence()}
    if usable:
        return passed("视频监控全面无死角覆盖", "video surveillance covers the whole campus", **ev)
    if failing:
        why = probe.summary()
        return failed(
            "全覆盖的视频监控系统探测未通过（{zh}），无法实时监控、留存有效录像",
            "the whole-campus video system failed the probe ({en}): no live monitoring "
            "or usable recordings",
            zh=why.zh,
            en=why.en,
            **ev,
        )
    if videos:
        return failed(
            "视频监控未实现全面无死角覆盖",
            "video surveillance does not cover the whole campus",
            **ev,
        )
    return failed("无视频监控系统", "no video surveillance system", **ev)


# 加强围墙、防护栏等物防设施建设.
perimeter = flag_rule(
    "pucheng.perimeter",
    title=("围墙、防护栏", "walls or fences"),
    citation=C_3_2,
    binding_from=SCHOOL_DEADLINE,
    flag=lambda s: s.facilities.perimeter,
    evidence="perimeter",
    passes=("有围墙、防护栏", "walls or fences in place"),
    fails=("无围墙、防护栏", "no walls or fences"),
)


# 实行封闭式管理.
closed_management = flag_rule(
    "pucheng.closed-management",
    title=("封闭式管理", "closed management"),
    citation=C_3_2,
    binding_from=SCHOOL_DEADLINE,
    flag=lambda s: s.facilities.closed_management,
    evidence="closed_management",
    passes=("实行封闭式管理", "the campus is under closed management"),
    fails=("未实行封闭式管理", "no closed management"),
)


# --- 三、3: routines ------------------------------------------------------------------


def _routines(
    school: School, fields: tuple[tuple[str, str], ...], what: tuple[str, str]
) -> Outcome:
    return missing_routines(school, fields) or passed(
        "{zh_all}均已建立", "{en_all} in place", zh_all=what[0], en_all=what[1], missing=[]
    )


REGISTRATION = (("visitor_registration", "外来人员登记"), ("vehicle_registration", "车辆登记"))
MECHANISMS = (
    ("duty_rota", "值班"),
    ("key_area_patrol", "巡逻"),
    ("hazard_check", "隐患排查"),
    ("emergency_plan", "应急处置"),
)


@rule(
    "pucheng.visitor-vehicle-registration",
    title=("外来人员、车辆登记", "visitor and vehicle registration"),
    citation=C_3_3,
    binding_from=SCHOOL_DEADLINE,
    passes=("外来人员登记和车辆登记制度均已建立", "visitor and vehicle registration both in place"),
    fails=("缺少外来人员登记或车辆登记", "visitor or vehicle registration missing"),
)
def visitor_vehicle_registration(school: School, ctx: Context) -> Outcome:
    """健全完善校园内部外来人员、车辆登记制度."""
    return _routines(
        school, REGISTRATION, ("外来人员、车辆登记制度", "visitor and vehicle registration")
    )


@rule(
    "pucheng.security-routines",
    title=(
        "值班、巡逻、隐患排查、应急处置机制",
        "duty, patrol, hazard-check and emergency routines",
    ),
    citation=C_3_3,
    binding_from=SCHOOL_DEADLINE,
    passes=(
        "值班、巡逻、隐患排查、应急处置机制均已建立",
        "duty rota, patrols, hazard checks and an emergency plan all in place",
    ),
    fails=("缺少其中任一项", "any of them is missing"),
)
def security_routines(school: School, ctx: Context) -> Outcome:
    """建立完善值班、巡逻、隐患排查、应急处置等工作机制."""
    return _routines(
        school,
        MECHANISMS,
        ("值班、巡逻、隐患排查、应急处置机制", "duty, patrol, hazard-check and emergency routines"),
    )


# --- 三、7 and 四: police inspections ------------------------------------------------------


@rule(
    "pucheng.police-inspections",
    title=("派出所每学期至少督导检查两次", "police station inspects at least twice a semester"),
    citation=C_3_7,
    binding_from=CAMPAIGN_END,
    passes=(
        "本学期开学以来派出所督导检查不少于2次（按不同日期计）",
        "at least 2 police-station inspections on different days since the semester began",
    ),
    fails=(
        "至2014年10月30日本学期派出所督导检查不足2次",
        "fewer than 2 police-station inspections this semester by 2014-10-30",
    ),
    every=Every.SEMESTER,
)
def police_inspections(school: School, ctx: Context) -> Outcome:
    """各派出所每学期至少开展两次校园安全督导检查.

    As of a date during the campaign's semester (to 2015-01-31) the semester in
    progress (``ctx.current``) is counted up to ``on``; otherwise the judged semester
    (``ctx.period``) is counted whole.
    """
    if ctx.current is not None and ctx.on <= CAMPAIGN_SEMESTER_END:
        sem = semester(ctx.on)
        days = school.inspection_days(sem.start, ctx.on, level=InspectorLevel.POLICE_STATION)
    else:
        sem = ctx.judged
        days = school.inspection_days(sem.start, sem.end, level=InspectorLevel.POLICE_STATION)
    ev = {
        "semester": f"{sem.start}/{sem.end}",
        "dates": days,
        "count": len(days),
        "needed": INSPECTIONS_PER_SEMESTER,
    }
    if len(days) >= INSPECTIONS_PER_SEMESTER:
        return passed(
            "本学期派出所督导检查{count}次",
            "{count} police-station inspections this semester",
            **ev,
        )
    return failed(
        "本学期派出所督导检查仅{count}次，至少需{needed}次",
        "only {count} of {needed} police-station inspections this semester",
        **ev,
    )


def _window_inspection(school: School, ctx: Context, window: tuple[dt.date, dt.date]) -> Outcome:
    start, end = window
    if ctx.on > CAMPAIGN_SEMESTER_END:
        return not_applicable(
            "2014年专项行动的阶段性检查，已于{end}结束",
            "a phase of the 2014 campaign, over since {end}",
            end=CAMPAIGN_SEMESTER_END,
        )
    days = school.inspection_days(start, min(ctx.on, end), level=InspectorLevel.POLICE_STATION)
    ev = {"window": f"{start}/{end}", "dates": days}
    if days:
        return passed(
            "派出所于{first}检查", "police-station inspection on {first}", first=days[0], **ev
        )
    return failed(
        "{window}期间无派出所检查记录",
        "no police-station inspection recorded in {window}",
        **ev,
    )


@rule(
    "pucheng.september-inspection",
    title=("9月1日至15日派出所检查", "police check between 1 and 15 September 2014"),
    citation=C_4_2,
    binding_from=SEPTEMBER_CHECK[1],
    passes=(
        "2014年9月1日至15日有派出所检查记录",
        "a police-station inspection between 2014-09-01 and 2014-09-15",
    ),
    fails=(
        "2014年9月1日至15日无派出所检查记录",
        "no police-station inspection between 2014-09-01 and 2014-09-15",
    ),
)
def september_inspection(school: School, ctx: Context) -> Outcome:
    """检查整改、督促落实阶段（9月1日至15日）: 对辖区所有学校…进行彻底的检查."""
    return _window_inspection(school, ctx, SEPTEMBER_CHECK)


@rule(
    "pucheng.october-acceptance",
    title=("10月8日至30日全面验收", "acceptance check between 8 and 30 October 2014"),
    citation=C_4_4,
    binding_from=ACCEPTANCE[1],
    passes=(
        "2014年10月8日至30日有派出所检查（验收）记录",
        "a police-station inspection (acceptance) between 2014-10-08 and 2014-10-30",
    ),
    fails=(
        "2014年10月8日至30日无派出所检查记录",
        "no police-station inspection between 2014-10-08 and 2014-10-30",
    ),
)
def october_acceptance(school: School, ctx: Context) -> Outcome:
    """全面检查、验收阶段（10月8日至30日）: 对辖区所有中小学幼儿园…进行全面验收."""
    return _window_inspection(school, ctx, ACCEPTANCE)


# --- 三、4, 四、⑵, 四、⑶: notices ----------------------------------------------------------


@rule(
    "pucheng.hazard-notices",
    title=("隐患下发限期整改通知书", "every hazard gets a dated rectification notice"),
    citation=C_3_4,
    binding_from=SCHOOL_DEADLINE,
    passes=(
        "2014年9月1日起派出所发现（或未记录发现单位）且未当日整改的隐患，均已有公安下发的限期整改通知书",
        "every hazard found from 2014-09-01 by the police station (or with no finder recorded) "
        "and not fixed the same day is named in a notice issued by the police",
    ),
    fails=(
        "有此类隐患未下发限期整改通知书，或通知书晚于评估日",
        "such a hazard has no notice issued by the evaluation date",
    ),
)
def hazard_notices(school: School, ctx: Context) -> Outcome:
    """发现隐患，及时（立即）下发《治安隐患限期整改通知书》."""
    on = ctx.on
    in_window = [h for h in school.hazards if NOTICE_FROM <= h.found_on <= on]
    not_police = [
        h.id
        for h in in_window
        if h.found_by is not None and h.found_by is not InspectorLevel.POLICE_STATION
    ]
    need = [h for h in in_window if h.id not in not_police and h.rectified_on != h.found_on]
    finder_unknown = [h.id for h in need if h.found_by is None]
    uncovered: list[str] = []
    lag_days: dict[str, int] = {}
    for h in need:
        issued = [
            n.issued_on
            for n in school.rectification_notices
            if h.id in n.hazard_ids
            and h.found_on <= n.issued_on <= on
            and n.issued_by is not InspectorLevel.SCHOOL
        ]
        if issued:
            lag_days[h.id] = (min(issued) - h.found_on).days
        else:
            uncovered.append(h.id)
    ev = {
        "needing_notice": len(need),
        "uncovered": uncovered,
        "lag_days": lag_days,
        "finder_unknown": finder_unknown,
        "not_found_by_police": not_police,
    }
    if not uncovered:
        return passed(
            "需下发通知书的隐患{needing_notice}处，均已下发",
            "all {needing_notice} hazard(s) needing a notice have one",
            **ev,
        )
    unknown = [i for i in uncovered if i in finder_unknown]
    note_zh = f"（其中{len(unknown)}处未记录发现单位，按派出所发现处理）" if unknown else ""
    note_en = f" ({len(unknown)} with no finder recorded, taken as police finds)" if unknown else ""
    return failed(
        "{count}处隐患未下发限期整改通知书：{ids}{note_zh}",
        "{count} hazard(s) without a rectification notice: {ids}{note_en}",
        count=len(uncovered),
        ids="、".join(uncovered),
        note_zh=note_zh,
        note_en=note_en,
        **ev,
    )


@rule(
    "pucheng.notices-not-overdue",
    title=("限期整改不逾期", "no rectification notice overdue"),
    citation=C_4_3,
    passes=("没有逾期未整改的限期整改通知书", "no rectification notice open past its deadline"),
    fails=("有限期整改通知书逾期未整改", "a rectification notice is open past its deadline"),
)
def notices_not_overdue(school: School, ctx: Context) -> Outcome:
    """对于逾期不整改的学校…问责约谈: no notice open after its deadline."""
    late = [n for n in school.rectification_notices if n.is_overdue(ctx.on)]
    overdue = [{"id": n.id, "rectify_by": n.rectify_by} for n in late]
    issued = sum(1 for n in school.rectification_notices if n.issued_on <= ctx.on)
    if not overdue:
        return passed(
            "{notices}份通知书均无逾期",
            "none of {notices} notice(s) is overdue",
            notices=issued,
            overdue=[],
        )
    return failed(
        "{count}份通知书逾期未整改：{ids}",
        "{count} notice(s) overdue: {ids}",
        count=len(overdue),
        ids="、".join(n.id for n in late),
        notices=issued,
        overdue=overdue,
    )


RULES = (
    urban_guard_staffing,
    rural_guard_staffing,
    boarding_duty,
    guard_pre_job_training,
    guard_certified,
    guard_uniform,
    guard_equipment,
    video_full_coverage,
    perimeter,
    closed_management,
    visitor_vehicle_registration,
    security_routines,
    police_inspections,
    hazard_notices,
    notices_not_overdue,
    september_inspection,
    october_acceptance,
)
