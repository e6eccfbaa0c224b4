"""Jiangsu rules 1-11: guards (三（一）2) and physical defence (三（一）3)."""

from __future__ import annotations

from typing import Any

from campus_security.sdk import (
    Context,
    Outcome,
    School,
    failed,
    flag_rule,
    judge_certificates,
    not_applicable,
    passed,
    rule,
)

from ._common import (
    ANTI_RAMMING_2019,
    ANTI_RAMMING_2022,
    C_3_1_2,
    C_3_1_3,
    END_2019,
    END_2020,
    END_2022,
    MAX_FIRST_HIRE_AGE,
    PRIVATE_KINDERGARTENS,
    SCHOOLS_AND_PUBLIC_KINDERGARTENS,
    _flags_zh,
    _names,
    _person,
)

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
