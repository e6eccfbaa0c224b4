"""Jiangsu rules 25-29, 32, 33: police at and around the school, emergencies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from campus_security.sdk import (
    Context,
    DrillKind,
    Every,
    Outcome,
    Period,
    School,
    failed,
    flag_rule,
    not_applicable,
    passed,
    rule,
)

from ._common import (
    C_3_2_1,
    C_3_3_1,
    C_3_3_2,
    C_ANNEX_6,
    C_ANNEX_7,
    END_2019,
    END_2022,
    GUARD_POST_SCHOOLS,
    ISSUED,
    MIN_DAILY_PATROLS,
    ONE_DAY,
    PATROL_SCHOOLS,
    PATROL_WINDOW_DAYS,
    RURAL_SCHOOLS,
    _period_rule,
    _semester_label,
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
