"""The rules of 娄底市公安局's four measures (四项举措), measure by measure.

Source
    The only source is a news report, 《婁底市公安局四項舉措助推校園保安升級強能提質》,
    published by 淮安保安網 on 2021-01-15. It has no document number, so every
    citation names the report by its printed headline, publisher and date, in the
    traditional characters the page prints. Clauses are the report's own markers for
    the four measures: ``一是``, ``二是``, ``三是``, ``四是``.

In force: from 2020-11-01, with no end
    Measures 二 to 四 answer the census of measure 一, which is dated 2020年11月. The
    county deployment meetings (2020年11月) and the training classes (2020年11月-12月)
    are dated November or later, and no measure is dated earlier. The measures are
    standing duties (定期開展, 日常管理監督, 動態管理) and carry no expiry. The one deadline,
    the 100 % staffing target, is a dated target, not the end of the standard.

Guards on staff
    A guard is on staff on ``on`` when ``hired_on`` is unknown or not after ``on``: a
    guard hired later does not count yet (the core's ``Guard.on_staff`` and
    ``School.guards_on_staff``). The model records no departure date, so the roster's
    guards are taken as the current staff.

Deadlines: "2020年底前" is judged on 2020-12-31
    A roster dated ``on`` records the state at the end of that day, so a deadline day
    is judged on that day. "確保2020年底前…配備率100%" makes 2020-12-31 both the target's
    ``due`` and the ``binding_from`` of the staffing rule. Before that day a school
    without a full-time guard is "not yet binding", and still counts as not met in the
    target (the engine counts a failing check towards targets whatever its binding
    date).

Full-time staffing (二是), ``loudi.full-time-guard``
    The report sets a rate (專職保安配備率100%) and names the problem as
    專職保安員配備不足, but gives no number of guards per school. A school is staffed
    when it has at least one full-time guard on staff. Certification and hire source
    are separate rules and are not conditions of staffing.

No uncertified guard (二是), ``loudi.certified-guards``
    "堅決杜絕無證上崗現象" covers every 從業人員, part-time guards included. The ban
    is paired with its remedy, the certification courses of 2020年11月-12月, so it
    binds from 2020-12-31, when the last course had closed. A school without guards
    passes: staffing is judged by the staffing rule.

New full-time guards from a security company (二是), ``loudi.company-hired-new-guards``
    The report does not date the requirement. It belongs to measure 二, deployed at
    county meetings held one after another in November 2020, so 2020-12-01 is the
    first day by which every county had deployed it: full-time guards hired on or
    after 2020-12-01 are "new" and must come from a security company
    (``HireSource.COMPANY``); hires of November 2020 get the benefit of the doubt. A
    guard without a hire date cannot be shown to be new and is not judged, but is
    listed in the evidence when not company-placed. Removing existing self-hired or
    property guards is 逐步 (gradual), with no deadline or share, and is not checked.
    "原則上" (in principle) allows justified exceptions: record them as a ``Waiver``.
    Whether the company is licensed is not checked: the report says only 安保服務公司.

Pre-job training (三是), ``loudi.pre-job-training``
    "由具備省公安廳批準保安員培訓資質的5家學校開展為期不少于5天的崗前培訓" asks for one
    course: a pre-job course (``TrainingKind.PRE_JOB``) of at least 5 days, by a
    provider approved by the provincial police (``Training.provider_approved``),
    completed by ``on`` (``Training.completed_by(on)``: its last day,
    ``Training.ends_on`` = ``started_on + days - 1``, is not after ``on``).
    Shorter courses are not added up, and rotation courses do not count. The course
    need not precede the hire: the Loudi courses trained guards already at work
    (未持保安證的從業人員). Every guard on staff is covered, part-time included,
    because the course is the report's route to the certificate that every guard must
    hold. The rule binds from 2020-12-31, the end of the course window 2020年11月-12月.

Hazards rectified (四是), ``loudi.hazards-rectified``
    "發現隱患138處,責令現場整改42處": a hazard ordered rectified on the spot
    (``on_the_spot``) is due the day it was found; any other hazard is due on its
    ``rectify_by``. A hazard is overdue when it is still open on ``on`` (not rectified,
    or rectified after ``on``) and ``on`` is after its due day. An open hazard without
    a deadline does not fail (the report sets none beyond 現場整改) but is listed in the
    evidence. There is no record window: every hazard found by ``on`` is judged on its
    state on ``on``, and a hazard closed late but closed by ``on`` is not a failure.

Routines (四是), ``loudi.security-routines``
    "建立健全保衛組織、嚴格門衛制度、出入登記手續、校園安全巡查、突發事件處置": five
    routines, mapped to ``security_organization``, ``gate_duty``,
    ``visitor_registration``, ``key_area_patrol`` and ``emergency_plan``. ``gate_duty``
    (a dedicated, equipped guard on the gate) is the nearest field to 門衛制度. Vehicle
    registration is not required: the report says only 出入登記.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from campus_security.sdk import (
    Citation,
    Context,
    Guard,
    HireSource,
    Outcome,
    School,
    TrainingKind,
    failed,
    judge_certificates,
    missing_routines,
    not_applicable,
    passed,
    rule,
)

__all__ = [
    "DOCUMENT",
    "HIRE_CUTOFF",
    "MIN_TRAINING_DAYS",
    "ROUTINES",
    "RULES",
    "STAFFING_DUE",
    "on_staff",
]

DOCUMENT = "婁底市公安局四項舉措助推校園保安升級強能提質（淮安保安網，2021-01-15）"
C_2 = Citation(DOCUMENT, "二是")
C_3 = Citation(DOCUMENT, "三是")
C_4 = Citation(DOCUMENT, "四是")

STAFFING_DUE = dt.date(2020, 12, 31)
"""2020年底前: the day the staffing target, the certificate ban and the training bind."""
HIRE_CUTOFF = dt.date(2020, 12, 1)
"""First hire date at which a full-time guard is "new" (新進) under measure 二."""
MIN_TRAINING_DAYS = 5
"""為期不少于5天: the minimum length of the one pre-job course."""


def on_staff(school: School, on: dt.date) -> tuple[Guard, ...]:
    """The guards on staff on ``on``: ``school.guards_on_staff(on)`` (kept for callers)."""
    return school.guards_on_staff(on)


def _person(g: Guard, **more: Any) -> dict[str, Any]:
    """A guard in the evidence: name and ID number (masked in reports), then ``more``."""
    return {"name": g.name, "id_number": g.id_number, **more}


def _names(guards: Iterable[Guard]) -> tuple[str, str]:
    names = [g.name for g in guards]
    return "、".join(names), ", ".join(names)


# --- 二是: staffing, certificates, hire source --------------------------------------------


@rule(
    "loudi.full-time-guard",
    title=("配备专职保安员", "has a full-time guard"),
    citation=C_2,
    binding_from=STAFFING_DUE,
    passes=("在岗专职保安员至少1名", "at least one full-time guard on staff"),
    fails=(
        "无在岗专职保安员（兼职不计）",
        "no full-time guard on staff (part-time ones do not count)",
    ),
)
def full_time_guard(school: School, ctx: Context) -> Outcome:
    """確保2020年底前全面實現中小學幼兒園專職保安配備率100%: at least one full-time guard."""
    guards = school.guards_on_staff(ctx.on)
    ft = sum(1 for g in guards if g.full_time)
    ev = {"full_time": ft, "part_time": len(guards) - ft}
    if ft >= 1:
        return passed(
            "在岗专职保安员{full_time}名，兼职{part_time}名",
            "{full_time} full-time and {part_time} part-time guard(s) on staff",
            **ev,
        )
    return failed(
        "无在岗专职保安员（兼职{part_time}名）",
        "no full-time guard on staff ({part_time} part-time)",
        **ev,
    )


@rule(
    "loudi.certified-guards",
    title=("保安员持证上岗", "no uncertified guard on duty"),
    citation=C_2,
    binding_from=STAFFING_DUE,
    passes=(
        "每名在岗保安员（含兼职）均有保安员证编号",
        "every guard on staff, part-time included, has a certificate number",
    ),
    fails=("有在岗保安员无保安员证", "a guard on staff has no certificate"),
)
def certified_guards(school: School, ctx: Context) -> Outcome:
    """堅決杜絕無證上崗現象: no guard on staff, full-time or part-time, without a certificate."""
    guards = school.guards_on_staff(ctx.on)
    registry = judge_certificates(guards)  # the registry's word, when one was pulled
    missing = [g for g in guards if not g.certificate_valid]
    if not missing:
        return registry.annotate(
            passed(
                "{n}名在岗保安员均持证", "all {n} guard(s) on staff are certified", n=len(guards)
            )
        )
    zh, en = _names(missing)
    return registry.annotate(
        failed(
            "{count}名保安员无证上岗：{names}",
            "{count} guard(s) on duty without a certificate: {names_en}",
            count=len(missing),
            names=zh,
            names_en=en,
            uncertified=[_person(g) for g in missing],
        )
    )


@rule(
    "loudi.company-hired-new-guards",
    title=(
        "新进专职保安员从保安服务公司聘请",
        "new full-time guards hired from a security company",
    ),
    citation=C_2,
    passes=(
        "2020年12月1日起新进的专职保安员均由保安服务公司派驻",
        "every full-time guard hired on or after 2020-12-01 is placed by a security company",
    ),
    fails=(
        "有2020年12月1日起新进的专职保安员为学校自聘或物业人员",
        "a full-time guard hired on or after 2020-12-01 is self-hired or from a property company",
    ),
)
def company_hired_new_guards(school: School, ctx: Context) -> Outcome:
    """新進專職保安員原則上從安保服務公司聘請: new full-time guards are company-placed."""
    guards = school.guards_on_staff(ctx.on)
    new = [
        g for g in guards if g.full_time and g.hired_on is not None and g.hired_on >= HIRE_CUTOFF
    ]
    undated = [
        g
        for g in guards
        if g.full_time and g.hired_on is None and g.hire_source is not HireSource.COMPANY
    ]
    undated_ev = [_person(g, hire_source=g.hire_source) for g in undated]
    if not new:
        return not_applicable(
            "无2020年12月1日起新进的专职保安员",
            "no full-time guard hired since 2020-12-01",
            new=0,
            undated_non_company=undated_ev,
        )
    bad = [g for g in new if g.hire_source is not HireSource.COMPANY]
    if not bad:
        return passed(
            "{new}名新进专职保安员均由保安服务公司派驻",
            "all {new} new full-time guard(s) are placed by a security company",
            new=len(new),
            undated_non_company=undated_ev,
        )
    zh, en = _names(bad)
    not_company = [_person(g, hired_on=g.hired_on, hire_source=g.hire_source) for g in bad]
    return failed(
        "{count}名新进专职保安员不是由保安服务公司派驻：{names}",
        "{count} new full-time guard(s) not placed by a security company: {names_en}",
        count=len(bad),
        names=zh,
        names_en=en,
        new=len(new),
        not_company=not_company,
        undated_non_company=undated_ev,
    )


# --- 三是: training ----------------------------------------------------------------------


def _training_gap(guard: Guard, on: dt.date) -> tuple[str, int] | None:
    """Why the guard lacks the pre-job course, or ``None`` when it has one.

    The reason is the closest the guard came: ``in_progress`` (a qualifying course not
    finished by ``on``), ``provider_not_approved``, ``too_short`` or ``none``; with the
    longest completed pre-job course in days.
    """
    pre_job = [t for t in guard.trainings if t.kind is TrainingKind.PRE_JOB and t.started_on <= on]
    long_enough = [t for t in pre_job if t.days >= MIN_TRAINING_DAYS]
    if any(t.provider_approved and t.completed_by(on) for t in long_enough):
        return None
    longest = max((t.days for t in pre_job if t.completed_by(on)), default=0)
    if any(t.provider_approved for t in long_enough):
        return "in_progress", longest
    if any(t.completed_by(on) for t in long_enough):
        return "provider_not_approved", longest
    if longest:
        return "too_short", longest
    return "none", longest


_GAP_ZH = {
    "none": "无岗前培训",
    "too_short": "岗前培训不足5天",
    "provider_not_approved": "培训机构无省公安厅批准的培训资质",
    "in_progress": "岗前培训尚未结业",
}
_GAP_EN = {
    "none": "no pre-job course",
    "too_short": "no single pre-job course of 5 days",
    "provider_not_approved": "provider not approved",
    "in_progress": "course not yet finished",
}


@rule(
    "loudi.pre-job-training",
    title=("岗前培训不少于5天", "pre-job training of at least 5 days"),
    citation=C_3,
    binding_from=STAFFING_DUE,
    passes=(
        "每名在岗保安员（含兼职）完成一次不少于5天、由具备省公安厅批准培训资质的机构举办的岗前培训",
        "every guard on staff, part-time included, has completed one pre-job course of at "
        "least 5 days by a provider approved by the provincial police",
    ),
    fails=(
        "有保安员无此培训：无岗前培训、单次不足5天（不累加）、机构无资质或尚未结业",
        "a guard lacks it: no pre-job course, none of 5 days (courses are not added up), "
        "provider not approved, or not yet finished",
    ),
)
def pre_job_training(school: School, ctx: Context) -> Outcome:
    """為期不少于5天的崗前培訓 by an approved training school, completed by ``on``."""
    guards = school.guards_on_staff(ctx.on)
    gaps = [(g, gap) for g in guards if (gap := _training_gap(g, ctx.on)) is not None]
    if not gaps:
        return passed(
            "{n}名在岗保安员均完成不少于5天的岗前培训",
            "all {n} guard(s) on staff have completed a pre-job course of at least 5 days",
            n=len(guards),
        )
    untrained = [_person(g, reason=reason, longest_pre_job_days=days) for g, (reason, days) in gaps]
    names_zh = "、".join(f"{g.name}（{_GAP_ZH[reason]}）" for g, (reason, _) in gaps)
    names_en = ", ".join(f"{g.name} ({_GAP_EN[reason]})" for g, (reason, _) in gaps)
    return failed(
        "{count}名保安员未完成不少于5天的岗前培训：{names}",
        "{count} guard(s) without a completed pre-job course of at least 5 days: {names_en}",
        count=len(gaps),
        names=names_zh,
        names_en=names_en,
        untrained=untrained,
    )


# --- 四是: hazards and routines --------------------------------------------------------


@rule(
    "loudi.hazards-rectified",
    title=("隐患按期整改", "hazards rectified on time"),
    citation=C_4,
    passes=(
        "没有逾期未整改的隐患（责令现场整改的当日整改，其余在整改期限内）",
        "no hazard open past its deadline (the same day for on-the-spot orders, "
        "otherwise its rectify-by date)",
    ),
    fails=(
        "有隐患逾期未整改：现场整改的当日未整改，或已过整改期限",
        "a hazard is still open past its deadline: an on-the-spot order not fixed the same "
        "day, or past its rectify-by date",
    ),
)
def hazards_rectified(school: School, ctx: Context) -> Outcome:
    """發現隱患…責令現場整改: no hazard still open past its deadline on ``on``."""
    on = ctx.on
    found = [h for h in school.hazards if h.found_on <= on]
    overdue: list[dict[str, Any]] = []
    no_deadline: list[str] = []
    for h in found:
        if not h.is_open(on):
            continue
        due = h.found_on if h.on_the_spot else h.rectify_by
        if due is None:
            no_deadline.append(h.id)
        elif on > due:
            overdue.append({"id": h.id, "due": due, "on_the_spot": h.on_the_spot})
    ev = {"hazards": len(found), "open_without_deadline": no_deadline}
    if not overdue:
        return passed(
            "{hazards}处隐患均无逾期未整改",
            "none of {hazards} hazard(s) is open past its deadline",
            overdue=[],
            **ev,
        )
    return failed(
        "{count}处隐患逾期未整改：{ids}",
        "{count} hazard(s) open past the deadline: {ids}",
        count=len(overdue),
        ids="、".join(o["id"] for o in overdue),
        overdue=overdue,
        **ev,
    )


ROUTINES = (
    ("security_organization", "保卫组织"),
    ("gate_duty", "门卫制度"),
    ("visitor_registration", "出入登记手续"),
    ("key_area_patrol", "校园安全巡查"),
    ("emergency_plan", "突发事件处置"),
)
"""The five routines of 四是, as ``Routines`` fields with the report's words."""


@rule(
    "loudi.security-routines",
    title=(
        "保卫组织、门卫、出入登记、巡查、突发事件处置制度",
        "security organisation, gate, sign-in, patrol and emergency routines",
    ),
    citation=C_4,
    passes=(
        "保卫组织、门卫制度、出入登记、校园安全巡查、突发事件处置均已建立",
        "security organisation, gate duty, visitor registration, patrols and an emergency "
        "plan are all in place",
    ),
    fails=("缺少其中任一项", "any of them is missing"),
)
def security_routines(school: School, ctx: Context) -> Outcome:
    """建立健全保衛組織、嚴格門衛制度、出入登記手續、校園安全巡查、突發事件處置."""
    return missing_routines(school, ROUTINES) or passed(
        "五项制度均已建立", "all five routines are in place", missing=[]
    )


RULES = (
    full_time_guard,
    certified_guards,
    company_hired_new_guards,
    pre_job_training,
    hazards_rectified,
    security_routines,
)
