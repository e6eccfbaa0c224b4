"""The rules of 教程〔2024〕1号, the tutorial's fictional document.

This is the plugin that the plugin author's tutorial (docs/plugin-authors.md) builds
step by step. The document does not exist: the rules show how to write rules, they
are not a regulation of Hangzhou or of anywhere else.

Interpretation decisions are recorded in each rule's docstring, as a real plugin
records them for the document it implements.
"""

# --8<-- [start:imports]
from __future__ import annotations

import datetime as dt

from campus_security.sdk import (
    Citation,
    Context,
    DeviceKind,
    DrillKind,
    Every,
    Outcome,
    School,
    SchoolKind,
    Target,
    Text,
    failed,
    kinds,
    passed,
    rule,
)

# --8<-- [end:imports]

__all__ = ["DOCUMENT", "RULES", "TARGETS"]

# --8<-- [start:document]
DOCUMENT = "教程〔2024〕1号"
"""The (fictional) document number the rules cite, as the document would print it."""
# --8<-- [end:document]


# --8<-- [start:kindergarten-guards]
@rule(
    "tutorial.kindergarten-guards",
    title=("幼儿园配备专职保安员", "kindergartens have a full-time guard"),
    citation=Citation(DOCUMENT, "一"),
    applies=kinds(SchoolKind.KINDERGARTEN),
    passes=("至少1名专职保安员", "at least one full-time guard"),
    fails=("无专职保安员", "no full-time guard"),
)
def kindergarten_guards(school: School, ctx: Context) -> Outcome:
    """一: every kindergarten has at least one full-time guard (part-time ones do not count)."""
    n = len(ctx.guards(school, full_time=True))
    if n:
        return passed("有{n}名专职保安员", "{n} full-time guard(s)", n=n)
    return failed("无专职保安员", "no full-time guard", n=n)


# --8<-- [end:kindergarten-guards]

# --8<-- [start:guard-age]
MIN_AGE, MAX_AGE = 18, 55


@rule(
    "tutorial.guard-age",
    title=("专职保安员年龄18—55周岁", "full-time guards aged 18 to 55"),
    citation=Citation(DOCUMENT, "二"),
    passes=(
        "每名专职保安员在评估日年满18周岁且不超过55周岁",
        "every full-time guard is 18 to 55 in whole years on the evaluation date",
    ),
    fails=("有专职保安员不满18周岁或超过55周岁", "a full-time guard is under 18 or over 55"),
)
def guard_age(school: School, ctx: Context) -> Outcome:
    """二: every full-time guard is 18 to 55 in whole years (周岁) on the evaluation date.

    The day a guard turns 56 he fails; the day before, he passes.
    """
    guards = ctx.guards(school, full_time=True)
    outside = [g for g in guards if not MIN_AGE <= g.age_on(ctx.on) <= MAX_AGE]
    if not outside:
        return passed(
            "{n}名专职保安员年龄均在18—55周岁",
            "all {n} full-time guard(s) are 18 to 55",
            n=len(guards),
            outside=[],
        )
    return failed(
        "{count}名专职保安员年龄不在18—55周岁：{names_zh}",
        "{count} full-time guard(s) outside 18 to 55: {names_en}",
        count=len(outside),
        names_zh="、".join(f"{g.name}（{g.age_on(ctx.on)}岁）" for g in outside),
        names_en=", ".join(f"{g.name} ({g.age_on(ctx.on)})" for g in outside),
        # The evidence may hold ID numbers: reports mask them. Messages never do.
        outside=[
            {"name": g.name, "id_number": g.id_number, "age": g.age_on(ctx.on)} for g in outside
        ],
    )


# --8<-- [end:guard-age]


# --8<-- [start:emergency-drill]
@rule(
    "tutorial.emergency-drill",
    title=("每学期至少开展1次应急演练", "an emergency drill every semester"),
    citation=Citation(DOCUMENT, "三"),
    passes=(
        "上一完整学期内至少开展1次应急演练",
        "at least one emergency drill in the last complete semester",
    ),
    fails=("上一完整学期内未开展应急演练", "no emergency drill in the last complete semester"),
    every=Every.SEMESTER,
)
def emergency_drill(school: School, ctx: Context) -> Outcome:
    """三: an emergency drill in every semester.

    The engine hands the check the semester to judge (``ctx.judged``): as of a date,
    the last complete one (the semester in progress is never judged: a school that
    drills in December has not missed the autumn semester in October); over a window,
    each semester lying wholly inside it.
    """
    period = ctx.judged
    held = [
        d.held_on for d in school.drills if d.kind is DrillKind.EMERGENCY and d.held_on in period
    ]
    ev = {"period_start": period.start, "period_end": period.end, "held": held}
    if held:
        return passed(
            "{period_start}至{period_end}开展应急演练{n}次",
            "{n} emergency drill(s) from {period_start} to {period_end}",
            n=len(held),
            **ev,
        )
    return failed(
        "{period_start}至{period_end}未开展应急演练",
        "no emergency drill from {period_start} to {period_end}",
        **ev,
    )


# --8<-- [end:emergency-drill]

# --8<-- [start:one-key-alarm]
ALARM_DUE = dt.date(2025, 6, 30)
"""四: "2025年6月底前" (by the end of June 2025): the alarm rule binds from this day."""


@rule(
    "tutorial.one-key-alarm",
    title=("一键式紧急报警与公安机关联网", "a one-key emergency alarm linked to the police"),
    citation=Citation(DOCUMENT, "四"),
    binding_from=ALARM_DUE,
    passes=(
        "至少1台一键式紧急报警装置且均已与公安机关联网",
        "at least one one-key alarm, every one linked to the police",
    ),
    fails=("无一键式紧急报警装置或未联网", "no one-key alarm, or one not linked to the police"),
)
def one_key_alarm(school: School, ctx: Context) -> Outcome:
    """四: a one-key emergency alarm, every one linked to the police, by 2025-06-30.

    Before that day a failure is reported as not yet binding, with the date, and still
    counts towards the rate target.
    """
    alarms = [d for d in school.devices if d.kind is DeviceKind.ONE_KEY_ALARM]
    unlinked = [d.id for d in alarms if not d.linked_to_police]
    if alarms and not unlinked:
        return passed("{n}台一键式报警均已联网", "{n} one-key alarm(s), all linked", n=len(alarms))
    if not alarms:
        return failed("无一键式紧急报警装置", "no one-key emergency alarm", unlinked=[])
    return failed(
        "一键式报警未联网：{ids}",
        "one-key alarm(s) not linked to the police: {ids}",
        ids=", ".join(unlinked),
        unlinked=unlinked,
    )


TARGETS = (
    Target(
        id="tutorial.one-key-alarm-rate",
        title=Text("一键式紧急报警联网率", "schools with a linked one-key alarm"),
        citation=Citation(DOCUMENT, "四"),
        rule_id="tutorial.one-key-alarm",
        due=ALARM_DUE,
        threshold=1.0,
    ),
)
# --8<-- [end:one-key-alarm]

# --8<-- [start:rules]
RULES = (kindergarten_guards, guard_age, emergency_drill, one_key_alarm)
# --8<-- [end:rules]
