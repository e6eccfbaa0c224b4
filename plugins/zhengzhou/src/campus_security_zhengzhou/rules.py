"""The per-school rules of 郑教安〔2019〕53号, clause by clause.

The plan sets dated campaign steps for 2019 (三) and standing requirements (四). The
rules check what a school's roster can show: the census record of every guard
(三（一）), the standing outcome of the 2019 background review (三（二）), and the
routine of 四（二） (a team leader, half-monthly drills, two skill assessments a
year). What the roster cannot show is listed, with reasons, in
``docs/coverage/zhengzhou.md``.

Interpretation decisions, with their reasons:

Guards present (all rules)
    The guards judged on ``ctx.on`` are those with ``hired_on`` unset or on or before
    that day (the core's ``Guard.on_staff`` and ``School.guards_on_staff``); a guard
    hired later is not yet at the school. Full-time and part-time
    guards are judged alike: the plan speaks of "配备的保安员" and "招录保安员" and never
    distinguishes them. A school with no guard present is NOT_APPLICABLE for every
    rule: this plan sets no staffing number (三（一） refers to 公治〔2015〕168号 and
    郑教明电〔2018〕557号 for it), so it has nothing to judge there. Records dated after
    ``ctx.on`` are ignored everywhere.

Personal data
    Messages name guards, never their ID numbers. The evidence carries the guard's
    ``IdNumber`` object (as the author's guide asks), which every report masks unless
    the caller asks for personal data; the school's contact is never copied, only
    whether it is missing.

Binding dates
    "即日起至7月20日前完成" (三（一）) is read as done by 20 July 2019 inclusive, the
    usual administrative reading, so ``census-complete`` binds from 2019-07-21.
    "2019年8月底前完成" (三（二）) means done by 31 August 2019, so the four review
    rules bind from 2019-09-01. Before those days a failure is reported as not yet
    binding (the engine's ``binding_from``). The team leader has no date: the plan
    presupposes one from the day it was signed (2019-06-24).

Census, 三（一）
    "逐人逐项填写…调查表…做到一校一表，一人一档": the school's census is complete when
    the annexed form can be filled for every guard present, item by item, and its
    header can be filled. Per guard, 姓名, 性别 (from the ID number) and 身份证号码 are
    always present (the model validates them); 民族 is missing when empty or blank.
    保安员证编号 is not required: the form records an uncertified guard as such, and
    ``guard-certified`` judges it, so it is not counted twice. The three company
    columns (企业名称, 企业性质, 属地公安机关) are required for a company-placed guard
    (``hire_source`` COMPANY, or any ``company_id``) and missing when the company is
    unknown or the field blank; a self-hired or property guard with no company leaves
    them blank by right. In the header, 填报单位 is the school's name (always present)
    and 联系人及联系方式 is ``School.contact``, missing when empty or blank: a form
    without it is not "逐项" complete. (This header check goes beyond the colleague's
    spec, which used the contact only for import and export; the printed form has the
    field, and the original rules.) 签字（盖章） is a signature or seal, not data.

Background review, 三（二）
    ``background-checked`` fails a guard with no background check on or before
    ``ctx.on``. There is no grace period for new hires ("严格保安员准入": the check comes
    before the guard starts), a check dated before ``hired_on`` counts (it is the entry
    check), and checks do not expire (the plan sets no cadence).

    ``background-clear`` judges the checked guards: the flags of a guard's latest check
    decide (every check on that latest date, united: the core's
    ``Guard.latest_background_check``), because a re-check reflects the current state
    and a 涉诉 lawsuit or 涉法 case can close. ``CRIMINAL_RECORD`` is the exception, and
    the one place where this plugin departs on purpose from the core's latest check:
    前科 is a past conviction, which no later check removes, so it counts from any
    check on or before ``ctx.on`` (:func:`current_flags` adds it to the latest check's
    flags). A flagged guard still on the roster fails the school, since the
    plan orders such guards cleaned out (清理出). Unchecked guards are left to
    ``background-checked``; with no checked guard the rule is NOT_APPLICABLE.

Licensed company and certificate, 三（二）
    A company-placed guard fails when the company is unknown or has no 保安服务许可证
    (``permit_number`` empty). Self-hired and property guards with no company are not
    judged: the plan does not forbid engaging guards directly ("谁招聘、谁负责",
    四（四）); with none company-placed the rule is NOT_APPLICABLE. Every guard present,
    part-time and self-hired included, must hold a 国家保安员证 ("持证上岗").

Team leader and half-monthly drills, 四（二）
    "保安班长每半月组织1次保安员队列训练和防护器械、消防器材使用及应急处置演练". The school
    needs at least one guard present flagged ``team_leader``. Each half-month (the
    1st-15th, then the 16th to the month's end, as ``half_month`` counts) must hold at
    least one drill of each of the four kinds: FORMATION, EQUIPMENT, FIRE_EQUIPMENT
    and EMERGENCY; a combined session is recorded as one drill per kind. The judged
    half-month is the engine's (``every=Every.HALF_MONTH``): as of a date, the last one
    that ended before ``ctx.on`` (as :func:`judged_half_month` gives it); over a window
    (``check --from/--to``), every half-month lying wholly inside it, each judged as of
    the day after it ends (a half-month cut by the window's edges is not judged, the
    engine's rule). The current one is still running and cannot fail yet, not even on
    the 15th or on the month's last day, when a drill can still be held that day. So
    on the 16th the 1st-15th is judged, and on the 1st (and up to the 15th) the
    previous month's second half, whatever its length (28, 29, 30 or 31 days). As of a
    date, the current half-month's drills are shown in the evidence only (``current``;
    ``None`` over a window). A team formed during the judged half-month (every guard
    present hired after its first day) was not there for the whole of it, and the rule
    is NOT_APPLICABLE; a guard with no ``hired_on`` has always been there. The rule binds from
    2019-07-16: 2019-07-01..15 is the first half-month wholly after the signing date.
    The roster cannot show who organised a drill, nor tell a guards' 应急处置演练 from a
    school-wide emergency drill: any drill of the kind counts.

Skill assessments, 四（二）
    "每年对招录保安员进行不少于2次的技能考核". "每年" is the calendar year (年度): the
    assessments feed the annual 绩效考核 named in the same sentence. A trailing
    365-day window would demand two in every such window, stricter than the text, and
    the current year cannot fail before it ends; so the judged year is the last
    complete calendar year (on 2024-12-31 that is 2023, on 2025-01-01 it is 2024;
    ``every=Every.YEAR``, as :func:`judged_year` gives it); over a window, every calendar
    year lying wholly inside it. A guard is judged for that
    year only when engaged for all of it (on staff on 1 January: ``hired_on`` unset or
    on or before it): the quota is for a whole year and the text gives no
    pro-rata share, so a guard hired during the year (even on 2 January) is first
    judged for the following one. Assessments are counted on distinct dates, since a
    record holds only a date and a result and two on one day cannot be told from a
    duplicate, and whether passed or not, since the text requires them held
    ("进行…考核"), not passed. The rule binds from 2021-01-01: 2020 is the first full
    calendar year under the plan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from campus_security.sdk import (
    BackgroundFlag,
    Citation,
    Context,
    DrillKind,
    Every,
    Guard,
    HireSource,
    Outcome,
    Period,
    School,
    every_guard,
    failed,
    half_month,
    not_applicable,
    passed,
    previous_period,
    rule,
    year,
)

from .census import (
    CENSUS_HEADER_LABELS,
    COL_COMPANY_NAME,
    COL_COMPANY_NATURE,
    COL_ETHNICITY,
    COL_POLICE_AUTHORITY,
)

__all__ = [
    "ASSESSMENTS_BINDING_FROM",
    "CENSUS_BINDING_FROM",
    "C_3_1",
    "C_3_2",
    "C_4_2",
    "DOCUMENT",
    "DRILLS_BINDING_FROM",
    "MIN_ASSESSMENTS_PER_YEAR",
    "REQUIRED_DRILLS",
    "REVIEW_BINDING_FROM",
    "RULES",
    "background_checked",
    "background_clear",
    "census_complete",
    "company_placed",
    "current_flags",
    "guard_certified",
    "guards_present",
    "half_monthly_drills",
    "judged_half_month",
    "judged_year",
    "licensed_company",
    "skill_assessments",
    "team_leader",
]

DOCUMENT = "郑教安〔2019〕53号"
C_3_1 = Citation(DOCUMENT, "三（一）")
C_3_2 = Citation(DOCUMENT, "三（二）")
C_4_2 = Citation(DOCUMENT, "四（二）")

CENSUS_BINDING_FROM = dt.date(2019, 7, 21)
"""三（一） "即日起至7月20日前完成": done by 2019-07-20, binding from the next day."""
REVIEW_BINDING_FROM = dt.date(2019, 9, 1)
"""三（二） "2019年8月底前完成": done by 2019-08-31, binding from the next day."""
DRILLS_BINDING_FROM = dt.date(2019, 7, 16)
"""The first half-month wholly after signing (2019-07-01..15) is first judged on 07-16."""
ASSESSMENTS_BINDING_FROM = dt.date(2021, 1, 1)
"""The first full calendar year under the plan (2020) is first judged on 2021-01-01."""

REQUIRED_DRILLS: tuple[DrillKind, ...] = (
    DrillKind.FORMATION,
    DrillKind.EQUIPMENT,
    DrillKind.FIRE_EQUIPMENT,
    DrillKind.EMERGENCY,
)
"""队列训练、防护器械使用、消防器材使用、应急处置演练, in the clause's order."""

MIN_ASSESSMENTS_PER_YEAR = 2
"""不少于2次的技能考核 per guard and year."""

CONTACT_LABEL = CENSUS_HEADER_LABELS[1]
COMPANY_COLUMNS = (COL_COMPANY_NAME, COL_COMPANY_NATURE, COL_POLICE_AUTHORITY)
_COLUMN_EN = {
    COL_ETHNICITY: "ethnicity",
    COL_COMPANY_NAME: "company name",
    COL_COMPANY_NATURE: "company nature",
    COL_POLICE_AUTHORITY: "local police authority",
}


# --- shared definitions ---------------------------------------------------------------


def guards_present(school: School, on: dt.date) -> tuple[Guard, ...]:
    """The school's guards on ``on``: ``school.guards_on_staff(on)`` (kept for callers)."""
    return school.guards_on_staff(on)


def company_placed(guard: Guard) -> bool:
    """Whether a security company placed the guard (派驻): by hire source or company id."""
    return guard.hire_source is HireSource.COMPANY or guard.company_id is not None


def judged_half_month(on: dt.date) -> Period:
    """The half-month judged on ``on``: the last one that ended before ``on``.

    >>> judged_half_month(dt.date(2024, 3, 16))
    Period(start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 15))
    >>> judged_half_month(dt.date(2024, 3, 15))
    Period(start=datetime.date(2024, 2, 16), end=datetime.date(2024, 2, 29))
    """
    return previous_period(half_month, on)


def judged_year(on: dt.date) -> Period:
    """The calendar year judged on ``on``: the last complete one.

    >>> judged_year(dt.date(2025, 1, 1)).start
    datetime.date(2024, 1, 1)
    """
    return previous_period(year, on)


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _person(g: Guard, **more: Any) -> dict[str, Any]:
    """A guard in the evidence: name and ID number (reports mask the number)."""
    return {"name": g.name, "id_number": g.id_number, **more}


_NO_GUARDS = ("学校未配备保安员", "the school has no guards")


def _no_guards() -> Outcome:
    return not_applicable(*_NO_GUARDS, guards=0)


def _period(p: Period) -> str:
    return f"{p.start.isoformat()}..{p.end.isoformat()}"


# --- 三（一） census -------------------------------------------------------------------


@rule(
    "zhengzhou.census-complete",
    title=("保安员基本情况一人一档", "census record complete for every guard"),
    citation=C_3_1,
    binding_from=CENSUS_BINDING_FROM,
    passes=(
        "《郑州市中小学幼儿园保安员基本情况调查表》可逐人逐项填写：每名保安员有民族，"
        "企业派驻的保安员有保安服务企业名称、性质和属地公安机关，表头有联系人及联系方式",
        "the census form can be filled for every guard and item: each guard's ethnicity, "
        "and for company-placed guards the company's name, nature and police authority; "
        "the header's contact is recorded",
    ),
    fails=(
        "有保安员缺少调查表所列项目，或表头缺联系人及联系方式",
        "a guard lacks an item of the census form, or the form header lacks the contact",
    ),
)
def census_complete(school: School, ctx: Context) -> Outcome:
    """逐人逐项填写…调查表，做到一校一表，一人一档."""
    guards = school.guards_on_staff(ctx.on)
    if not guards:
        return _no_guards()
    incomplete: list[dict[str, Any]] = []
    for g in guards:
        missing: list[str] = []
        if _blank(g.ethnicity):
            missing.append(COL_ETHNICITY)
        if company_placed(g):
            company = ctx.company(g.company_id)
            if company is None:
                missing.extend(COMPANY_COLUMNS)
            else:
                if _blank(company.nature):
                    missing.append(COL_COMPANY_NATURE)
                if _blank(company.police_authority):
                    missing.append(COL_POLICE_AUTHORITY)
        if missing:
            incomplete.append(_person(g, missing=missing))
    header_missing = [CONTACT_LABEL] if _blank(school.contact) else []
    ev: dict[str, Any] = {
        "guards": len(guards),
        "incomplete": incomplete,
        "header_missing": header_missing,
    }
    if not incomplete and not header_missing:
        return passed(
            "{guards}名保安员基本情况逐人逐项齐全",
            "the census record of all {guards} guards is complete",
            **ev,
        )
    zh_parts = [f"{i['name']}（缺{'、'.join(i['missing'])}）" for i in incomplete]
    en_parts = [
        f"{i['name']} (missing {', '.join(_COLUMN_EN[c] for c in i['missing'])})"
        for i in incomplete
    ]
    if header_missing:
        zh_parts.append(f"表头缺{CONTACT_LABEL}")
        en_parts.append("the form header lacks the contact person and phone")
    return failed(
        "保安员基本情况调查表不全：{detail}",
        "the guard census is incomplete: {detail_en}",
        detail="；".join(zh_parts),
        detail_en="; ".join(en_parts),
        **ev,
    )


# --- 三（二） background review, company permit, guard certificate ---------------------------


@rule(
    "zhengzhou.background-checked",
    title=("保安员经背景审查", "every guard background-checked"),
    citation=C_3_2,
    binding_from=REVIEW_BINDING_FROM,
    passes=(
        "每名在岗保安员在评估日前至少有一次背景审查记录",
        "every guard present has a background check on or before the evaluation date",
    ),
    fails=("有保安员无背景审查记录", "a guard has no background check on record"),
)
def background_checked(school: School, ctx: Context) -> Outcome:
    """对…配备的保安员进行全面审查: every guard present has been checked."""
    return every_guard(
        school,
        ctx,
        lambda g: g.latest_background_check(ctx.on) is not None,
        ("{guards}名保安员均经背景审查", "all {guards} guards have been background-checked"),
        ("{n}名保安员无背景审查记录：{names}", "{n} guard(s) never background-checked: {names_en}"),
        key="unchecked",
        none=_NO_GUARDS,
        detailed=True,
    )


def current_flags(g: Guard, on: dt.date) -> tuple[frozenset[BackgroundFlag], dt.date] | None:
    """The guard's flags on ``on`` and the latest check's date; ``None`` if never checked.

    The latest check (all checks on that date, united: ``Guard.latest_background_check``)
    decides, except that a criminal record found by any earlier check stays: this is
    where the plan's reading departs from the core's latest check (module docstring).
    """
    latest = g.latest_background_check(on)
    if latest is None:
        return None
    flags = set(latest.flags)
    if any(
        BackgroundFlag.CRIMINAL_RECORD in c.flags for c in g.background_checks if c.checked_on <= on
    ):
        flags.add(BackgroundFlag.CRIMINAL_RECORD)
    return frozenset(flags), latest.checked_on


_FLAG_ORDER = list(BackgroundFlag)


@rule(
    "zhengzhou.background-clear",
    title=(
        "无涉毒、涉法、涉诉和有精神疾病、犯罪前科的保安员",
        "no guard involved with drugs, law cases or lawsuits, mentally ill or with a record",
    ),
    citation=C_3_2,
    binding_from=REVIEW_BINDING_FROM,
    passes=(
        "经审查的保安员最近一次背景审查无问题，且从无犯罪前科",
        "every checked guard's latest background check is clear and no check ever found "
        "a criminal record",
    ),
    fails=(
        "有保安员最近一次审查发现涉毒、涉法、涉诉或精神疾病，或曾查出犯罪前科",
        "a guard's latest check found drugs, a law case, a lawsuit or mental illness, or "
        "some check found a criminal record",
    ),
)
def background_clear(school: School, ctx: Context) -> Outcome:
    """清理出一批涉毒、涉法、涉诉和有精神疾病、犯罪前科等重点人员."""
    guards = school.guards_on_staff(ctx.on)
    if not guards:
        return _no_guards()
    found: list[tuple[Guard, list[BackgroundFlag], dt.date]] = []
    unchecked: list[dict[str, Any]] = []
    judged = 0
    for g in guards:
        state = current_flags(g, ctx.on)
        if state is None:
            unchecked.append(_person(g))
            continue
        judged += 1
        flags, latest = state
        if flags:
            found.append((g, [f for f in _FLAG_ORDER if f in flags], latest))
    if not judged:
        return not_applicable(
            "尚无背景审查记录", "no background check on record", unchecked=unchecked
        )
    if not found:
        return passed(
            "{judged}名经审查的保安员均无问题",
            "all {judged} checked guard(s) are clear",
            judged=judged,
            flagged=[],
            unchecked=unchecked,
        )
    flagged = [_person(g, flags=[f.value for f in fl], checked_on=last) for g, fl, last in found]
    detail = "、".join(f"{g.name}（{'、'.join(f.zh for f in fl)}）" for g, fl, _ in found)
    detail_en = ", ".join(f"{g.name} ({', '.join(f.value for f in fl)})" for g, fl, _ in found)
    return failed(
        "{n}名保安员属应清理的重点人员：{detail}",
        "{n} guard(s) to be removed after the background review: {detail_en}",
        n=len(flagged),
        detail=detail,
        detail_en=detail_en,
        judged=judged,
        flagged=flagged,
        unchecked=unchecked,
    )


@rule(
    "zhengzhou.licensed-company",
    title=(
        "保安服务企业持《保安服务许可证》",
        "the guards' security company holds a security service permit",
    ),
    citation=C_3_2,
    binding_from=REVIEW_BINDING_FROM,
    passes=(
        "每名企业派驻的保安员所属企业在名册中且持保安服务许可证",
        "every company-placed guard's company is on the roster and holds a permit",
    ),
    fails=(
        "有企业派驻的保安员所属企业不明或无保安服务许可证",
        "a company-placed guard's company is unknown or holds no permit",
    ),
)
def licensed_company(school: School, ctx: Context) -> Outcome:
    """无《保安服务许可证》的保安服务企业…终止合同."""
    guards = school.guards_on_staff(ctx.on)
    if not guards:
        return _no_guards()
    placed = [g for g in guards if company_placed(g)]
    if not placed:
        return not_applicable(
            "无保安服务企业派驻的保安员",
            "no guard placed by a company",
            guards=len(guards),
            problems=[],
        )
    problems: list[dict[str, Any]] = []
    for g in placed:
        company = ctx.company(g.company_id)
        if company is None:
            problems.append(_person(g, reason="no_company", company=None))
        elif not company.licensed:
            problems.append(_person(g, reason="unlicensed_company", company=company.name))
    if not problems:
        return passed(
            "{n}名企业派驻的保安员所属企业均持保安服务许可证",
            "the companies of all {n} company-placed guard(s) hold a permit",
            n=len(placed),
            problems=[],
        )

    def why(p: dict[str, Any], zh: bool) -> str:
        if p["company"] is None:
            return "所属企业不明" if zh else "unknown company"
        return f"{p['company']}无许可证" if zh else f"{p['company']}: no permit"

    zh = "、".join(f"{p['name']}（{why(p, True)}）" for p in problems)
    en = ", ".join(f"{p['name']} ({why(p, False)})" for p in problems)
    return failed(
        "{n}名保安员所属保安服务企业无《保安服务许可证》或不明：{detail}",
        "{n} guard(s) placed by an unlicensed or unknown company: {detail_en}",
        n=len(problems),
        detail=zh,
        detail_en=en,
        problems=problems,
    )


@rule(
    "zhengzhou.guard-certified",
    title=("保安员持《国家保安员证》上岗", "every guard holds a national guard certificate"),
    citation=C_3_2,
    binding_from=REVIEW_BINDING_FROM,
    passes=(
        "每名在岗保安员（含兼职、自聘）有保安员证编号",
        "every guard present, part-time and self-hired included, has a certificate number",
    ),
    fails=("有保安员无保安员证", "a guard has no guard certificate"),
)
def guard_certified(school: School, ctx: Context) -> Outcome:
    """无《国家保安员证》的保安员…予以清退…持证上岗."""
    return every_guard(
        school,
        ctx,
        lambda g: g.certified,
        ("{guards}名保安员均持证上岗", "all {guards} guards are certified"),
        ("{n}名保安员无保安员证：{names}", "{n} guard(s) without a guard certificate: {names_en}"),
        key="uncertified",
        none=_NO_GUARDS,
        detailed=True,
    )


# --- 四（二） team leader, drills, skill assessments -------------------------------------


@rule(
    "zhengzhou.team-leader",
    title=("设有保安班长", "the school has a guard team leader"),
    citation=C_4_2,
    passes=("至少一名在岗保安员为保安班长", "at least one guard present is the team leader"),
    fails=("在岗保安员中无保安班长", "no guard present is a team leader"),
)
def team_leader(school: School, ctx: Context) -> Outcome:
    """保安班长每半月组织…: the school has a team leader to organise the drills."""
    guards = school.guards_on_staff(ctx.on)
    if not guards:
        return _no_guards()
    leaders = [g.name for g in guards if g.team_leader]
    if leaders:
        return passed(
            "保安班长：{names}",
            "team leader(s): {names}",
            names="、".join(leaders),
            leaders=leaders,
            guards=len(guards),
        )
    return failed(
        "{guards}名保安员中无保安班长",
        "none of the {guards} guards is a team leader",
        leaders=[],
        guards=len(guards),
    )


@rule(
    "zhengzhou.half-monthly-drills",
    title=(
        "每半月组织队列训练和防护器械、消防器材使用及应急处置演练",
        "formation, equipment, fire-equipment and emergency drills every half-month",
    ),
    citation=C_4_2,
    binding_from=DRILLS_BINDING_FROM,
    passes=(
        "上一个完整半月（1—15日或16日至月末）内四类训练演练各至少1次",
        "each of the four kinds held at least once in the last completed half-month "
        "(the 1st-15th or the 16th to the month's end)",
    ),
    fails=(
        "上一个完整半月内缺少队列训练、防护器械使用、消防器材使用或应急处置演练",
        "a kind (formation, equipment, fire equipment, emergency) is missing in the last "
        "completed half-month",
    ),
    every=Every.HALF_MONTH,
)
def half_monthly_drills(school: School, ctx: Context) -> Outcome:
    """每半月组织1次保安员队列训练和防护器械、消防器材使用及应急处置演练."""
    guards = ctx.guards(school)
    if not guards:
        return _no_guards()
    p = ctx.judged
    current: dict[str, Any] | None = None
    if ctx.current is not None:  # as of a date: the running half-month, for information
        now = half_month(ctx.on)
        current = {
            "start": now.start,
            "end": now.end,
            "held": sorted(
                {d.kind.value for d in school.drills if now.start <= d.held_on <= ctx.on}
            ),
        }
    team_since = min(g.hired_on or dt.date.min for g in guards)
    if team_since > p.start:
        return not_applicable(
            "保安队伍组建于{team_since}，未在岗满整个半月{period}",
            "the guard team was formed on {team_since}, after the judged half-month {period} began",
            team_since=team_since,
            period=_period(p),
            current=current,
        )
    held = {d.kind for d in school.drills if p.start <= d.held_on <= p.end}
    missing = [k for k in REQUIRED_DRILLS if k not in held]
    ev: dict[str, Any] = {
        "period": _period(p),
        "held": [k.value for k in REQUIRED_DRILLS if k in held],
        "missing": [k.value for k in missing],
        "current": current,
    }
    if not missing:
        return passed(
            "{period}四类训练演练均已组织",
            "all four kinds of drill held in {period}",
            **ev,
        )
    return failed(
        "{period}未组织：{zh}",
        "not held in {period}: {en}",
        zh="、".join(k.zh for k in missing),
        en=", ".join(k.value for k in missing),
        **ev,
    )


@rule(
    "zhengzhou.skill-assessments",
    title=(
        "保安员每年技能考核不少于2次",
        "at least 2 skill assessments per guard per year",
    ),
    citation=C_4_2,
    binding_from=ASSESSMENTS_BINDING_FROM,
    passes=(
        "上一个完整公历年度在岗全年的每名保安员至少在2个不同日期接受技能考核",
        "every guard engaged for the whole last calendar year was assessed on at least "
        "2 different days in it",
    ),
    fails=(
        "有在岗全年的保安员上一年度技能考核少于2次",
        "a guard engaged for the whole last calendar year had fewer than 2 assessments",
    ),
    every=Every.YEAR,
)
def skill_assessments(school: School, ctx: Context) -> Outcome:
    """每年对招录保安员进行不少于2次的技能考核."""
    guards = ctx.guards(school)
    if not guards:
        return _no_guards()
    y = ctx.judged
    this_year = year(ctx.on)
    judged: list[Guard] = []
    not_judged: list[dict[str, Any]] = []
    for g in guards:
        if g.on_staff(y.start):  # engaged for the whole judged year
            judged.append(g)
        else:
            not_judged.append(_person(g, hired_on=g.hired_on))
    current = (
        [
            _person(
                g,
                count=len(
                    {
                        a.assessed_on
                        for a in g.skill_assessments
                        if this_year.start <= a.assessed_on <= ctx.on
                    }
                ),
            )
            for g in guards
        ]
        if ctx.current is not None  # as of a date: the running year, for information
        else None
    )
    if not judged:
        return not_applicable(
            "无在{year}年全年在岗的保安员",
            "no guard was engaged for the whole of {year}",
            year=y.start.year,
            not_judged=not_judged,
            current_year_counts=current,
        )
    short = []
    y_start, y_end = y.start, y.end
    for g in judged:
        n = len({d for a in g.skill_assessments if y_start <= (d := a.assessed_on) <= y_end})
        if n < MIN_ASSESSMENTS_PER_YEAR:
            short.append(_person(g, count=n))
    ev: dict[str, Any] = {
        "year": y.start.year,
        "judged": len(judged),
        "short": short,
        "not_judged": not_judged,
        "current_year_counts": current,
    }
    if not short:
        return passed(
            "{year}年{judged}名保安员技能考核均不少于2次",
            "all {judged} guard(s) had at least 2 skill assessments in {year}",
            **ev,
        )
    return failed(
        "{year}年技能考核少于2次：{detail}",
        "fewer than 2 skill assessments in {year}: {detail_en}",
        detail="、".join(f"{s['name']}（{s['count']}次）" for s in short),
        detail_en=", ".join(f"{s['name']} ({s['count']})" for s in short),
        **ev,
    )


RULES = (
    census_complete,
    background_checked,
    background_clear,
    licensed_company,
    guard_certified,
    team_leader,
    half_monthly_drills,
    skill_assessments,
)
