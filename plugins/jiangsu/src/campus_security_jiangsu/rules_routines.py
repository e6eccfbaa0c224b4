"""Jiangsu rules 17-24, 30, 31: routines and records (三（一）5, 附件 八项措施 五, 八)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from campus_security.sdk import (
    Cadence,
    Context,
    Every,
    InspectorLevel,
    Outcome,
    School,
    failed,
    flag_rule,
    passed,
    rule,
)

from ._common import (
    C_3_1_5,
    C_ANNEX_5,
    C_ANNEX_8,
    PICKUP_SCHOOLS,
    SCHOOL_BUS_SCHOOLS,
    _month_label,
    _period_rule,
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
