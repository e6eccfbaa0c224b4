"""The rules of 沧教〔2019〕79号, clause by clause.

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
"""

from __future__ import annotations

from campus_security.sdk import (
    Citation,
    Context,
    EquipmentKind,
    HireSource,
    Outcome,
    School,
    SchoolKind,
    failed,
    passed,
    rule,
)

__all__ = ["DOCUMENT", "RULES", "minimum_full_time_guards"]

DOCUMENT = "沧教〔2019〕79号"
C_1_1 = Citation(DOCUMENT, "一（一）")

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
    missing = [g.name for g in school.full_time_guards if not g.certified]
    if not missing:
        return passed("专职保安员均持证", "every full-time guard is certified", uncertified=[])
    return failed(
        "{n}名专职保安员无保安员证：{names}",
        "{n} full-time guard(s) without a certificate: {names}",
        n=len(missing),
        names="、".join(missing),
        uncertified=missing,
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
    for g in school.full_time_guards:
        company = ctx.company(g.company_id)
        if g.hire_source is not HireSource.COMPANY:
            problems.append({"name": g.name, "reason": g.hire_source.value})
        elif company is None:
            problems.append({"name": g.name, "reason": "no_company"})
        elif not company.licensed:
            problems.append(
                {"name": g.name, "reason": "unlicensed_company", "company": company.name}
            )
    if not problems:
        return passed(
            "专职保安员均由持证保安公司派驻",
            "every full-time guard is placed by a licensed company",
            problems=[],
        )
    names = "、".join(p["name"] for p in problems)
    return failed(
        "{n}名专职保安员不是由持证保安公司派驻：{names}",
        "{n} full-time guard(s) not placed by a licensed company: {names}",
        n=len(problems),
        names=names,
        problems=problems,
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


RULES = (
    guard_staffing,
    guard_age,
    guard_certified,
    guard_licensed_company,
    protective_equipment,
)
