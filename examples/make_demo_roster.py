"""Build examples/roster.json: a realistic demo roster across the five seed regions.

Run ``python examples/make_demo_roster.py`` to regenerate it; the output is
deterministic. Some schools comply, some do not, so that ``campus-security check``
shows passing and failing findings with their citations.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from stdnum.cn import ric

from campus_security import dump_roster
from campus_security.model import (
    BackgroundCheck,
    BackgroundFlag,
    Cadence,
    Device,
    DeviceKind,
    Drill,
    DrillKind,
    Equipment,
    EquipmentKind,
    Facilities,
    Guard,
    Hazard,
    HireSource,
    IdNumber,
    Inspection,
    InspectorLevel,
    Locality,
    Ownership,
    Placement,
    PolicePatrol,
    RectificationNotice,
    RegionCode,
    Roster,
    Routines,
    School,
    SchoolKind,
    SecurityCompany,
    SkillAssessment,
    Training,
    TrainingKind,
    Waiver,
)

OUT = Path(__file__).with_name("roster.json")
AS_OF = dt.date(2024, 11, 20)  # the demo's records run up to this date

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海斌"

# (region code, city label, company id) per seed region
REGIONS = {
    "cangzhou": ("130902", "沧州", "cz-guard"),
    "jiangsu": ("320102", "南京", "js-guard"),
    "zhengzhou": ("410102", "郑州", "zz-guard"),
    "loudi": ("431302", "娄底", "ld-guard"),
    "pucheng": ("610526", "蒲城", "pc-guard"),
}

COMPANIES = (
    SecurityCompany(
        id="cz-guard",
        name="沧州市保安服务有限公司",
        nature="国有",
        permit_number="冀公保服20100003",
        police_authority="沧州市公安局",
        credit_code=None,
    ),
    SecurityCompany(
        id="cz-cheap",
        name="沧州某物业保安服务部",
        nature="民营",
        permit_number=None,
        police_authority="沧州市运河区公安分局",
    ),
    SecurityCompany(
        id="js-guard",
        name="南京市保安服务有限公司",
        nature="国有",
        permit_number="苏公保服20100001",
        police_authority="南京市公安局",
    ),
    SecurityCompany(
        id="zz-guard",
        name="郑州市保安服务有限公司",
        nature="国有",
        permit_number="豫公保服20100001",
        police_authority="郑州市公安局",
    ),
    SecurityCompany(
        id="ld-guard",
        name="娄底市保安服务有限公司",
        nature="国有",
        permit_number="湘公保服20110005",
        police_authority="娄底市公安局",
    ),
    SecurityCompany(
        id="pc-guard",
        name="渭南市保安服务有限公司",
        nature="国有",
        permit_number="陕公保服20100012",
        police_authority="渭南市公安局",
    ),
)


class Maker:
    """Deterministic builders for the demo's people and records."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seq = 0

    def id_number(self, birth: dt.date, region: str) -> IdNumber:
        self.seq += 1
        order = (self.seq * 7) % 999 + 1
        body = f"{region}{birth:%Y%m%d}{order:03d}"
        return IdNumber(body + ric.calc_check_digit(body + "0"))

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, 2))

    def guard(
        self,
        region: str,
        company: str | None,
        *,
        age: int = 42,
        certified: bool = True,
        full_time: bool = True,
        hire_source: HireSource = HireSource.COMPANY,
        leader: bool = False,
        flags: frozenset[BackgroundFlag] = frozenset(),
        training_days: int = 7,
        assessments: int = 2,
    ) -> Guard:
        birth = AS_OF.replace(year=AS_OF.year - age) - dt.timedelta(days=self.rng.randint(1, 300))
        hired = dt.date(2021, 3, 1) + dt.timedelta(days=self.rng.randint(0, 600))
        return Guard(
            id_number=self.id_number(birth, region),
            name=self.name(),
            full_time=full_time,
            hire_source=hire_source,
            company_id=company if hire_source is HireSource.COMPANY else None,
            certificate_number=f"{region[:2]}{self.rng.randint(10**9, 10**10 - 1)}"
            if certified
            else None,
            ethnicity="汉族",
            team_leader=leader,
            uniform=True,
            hired_on=hired,
            background_checks=(BackgroundCheck(hired - dt.timedelta(days=20), flags),),
            trainings=(
                Training(
                    TrainingKind.PRE_JOB,
                    hired - dt.timedelta(days=14),
                    training_days,
                    "市保安培训学校",
                    provider_approved=True,
                ),
            ),
            skill_assessments=tuple(
                SkillAssessment(dt.date(year, 4 + 5 * i, 15), True)
                for year in (AS_OF.year - 1, AS_OF.year)
                for i in range(assessments)
            ),
        )


def full_equipment(
    *, national: bool = True, skip: tuple[EquipmentKind, ...] = ()
) -> tuple[Equipment, ...]:
    return tuple(Equipment(kind, 4, national) for kind in EquipmentKind if kind not in skip)


def devices(prefix: str, *, linked: bool = True, alarm: bool = True) -> tuple[Device, ...]:
    out = [
        Device(
            f"{prefix}-cam-gate",
            DeviceKind.VIDEO_SURVEILLANCE,
            linked,
            Placement.GATE,
            full_coverage=True,
        ),
        Device(f"{prefix}-cam-key", DeviceKind.VIDEO_SURVEILLANCE, linked, Placement.KEY_AREA),
        Device(f"{prefix}-cam-crowd", DeviceKind.VIDEO_SURVEILLANCE, linked, Placement.CROWD_AREA),
        Device(f"{prefix}-intrusion", DeviceKind.INTRUSION_ALARM, False, Placement.PERIMETER),
        Device(f"{prefix}-access", DeviceKind.ACCESS_CONTROL, False, Placement.GATE),
        Device(f"{prefix}-patrol", DeviceKind.ELECTRONIC_PATROL, False, Placement.KEY_AREA),
        Device(f"{prefix}-police-cam", DeviceKind.POLICE_CAMERA, True, Placement.OUTSIDE_GATE),
    ]
    if alarm:
        out.append(Device(f"{prefix}-alarm", DeviceKind.ONE_KEY_ALARM, linked, Placement.GATEHOUSE))
    return tuple(out)


def records(rng: random.Random, *, sparse: bool) -> dict[str, tuple[object, ...]]:
    """A year of drills, inspections and patrols up to AS_OF; sparse ones miss some."""
    start = AS_OF - dt.timedelta(days=365)
    drills: list[Drill] = []
    day = start
    while day <= AS_OF:
        for kind in DrillKind:
            if not sparse or rng.random() < 0.5:
                drills.append(Drill(kind, day))
        day += dt.timedelta(days=15)
    inspections = [
        Inspection(d, InspectorLevel.SCHOOL, Cadence.DAILY)
        for d in (AS_OF - dt.timedelta(days=i) for i in range(0, 30))
    ]
    inspections += [
        Inspection(AS_OF - dt.timedelta(days=7 * i), InspectorLevel.SCHOOL, Cadence.WEEKLY)
        for i in range(8)
    ]
    inspections += [
        Inspection(AS_OF - dt.timedelta(days=30 * i), InspectorLevel.SCHOOL, Cadence.MONTHLY)
        for i in range(6)
    ]
    inspections += [
        Inspection(AS_OF - dt.timedelta(days=91 * i), InspectorLevel.SCHOOL, Cadence.QUARTERLY)
        for i in range(4)
    ]
    for months in (1, 4, 7, 10):
        if not sparse or months > 5:
            inspections.append(
                Inspection(
                    AS_OF - dt.timedelta(days=30 * months),
                    InspectorLevel.POLICE_STATION,
                    inspector="城关派出所",
                )
            )
    patrols = [
        PolicePatrol(AS_OF - dt.timedelta(days=i), 1 if sparse and i % 3 == 0 else 2)
        for i in range(0, 60)
    ]
    return {
        "drills": tuple(drills),
        "inspections": tuple(inspections),
        "police_patrols": tuple(patrols),
    }


def school(
    m: Maker,
    region_key: str,
    n: int,
    name: str,
    kind: SchoolKind,
    *,
    enrollment: int,
    guards: int,
    good: bool = True,
    **extra: object,
) -> School:
    region, _, company = REGIONS[region_key]
    boarders = int(extra.pop("boarders", 0))  # type: ignore[call-overload]
    staff = max(10, enrollment // 14)
    roster_guards = [m.guard(region, company, leader=(i == 0)) for i in range(guards)]
    bad_guards = extra.pop("bad_guards", ())
    roster_guards += list(bad_guards)  # type: ignore[arg-type]
    facilities = Facilities(
        gatehouse=True,
        closed_management=good,
        perimeter=True,
        anti_ramming=good,
        guard_room=good,
        police_room=good,
        parent_waiting_area=good,
        guard_post=good,
        police_room_unified=good,
    )
    routines = Routines(
        gate_duty=True,
        visitor_registration=True,
        vehicle_registration=good,
        pass_system=good,
        pickup_check=good,
        key_area_patrol=True,
        night_patrol=boarders > 0,
        round_the_clock_duty=boarders > 0,
        emergency_plan=True,
        risk_list=good,
        grid_management=good,
        staff_gate_duty=good,
        duty_rota=True,
        hazard_check=good,
        security_organization=True,
    )
    fields: dict[str, object] = {
        "id": f"{region_key[:2].upper()}{n:03d}",
        "name": name,
        "region_code": RegionCode(region),
        "kind": kind,
        "enrollment": enrollment,
        "staff_count": staff,
        "legal_vice_principal": good,
        "contact": "保卫科 0000-0000000" if good else None,
        "boarders": boarders,
        "facilities": facilities,
        "routines": routines,
        "guards": tuple(roster_guards),
        "equipment": full_equipment(),
        "devices": devices(f"{region_key[:2]}{n:03d}", linked=good),
        **records(m.rng, sparse=not good),
    }
    fields.update(extra)
    return School(**fields)  # type: ignore[arg-type]


def build() -> Roster:
    m = Maker(seed=2024)
    cz, zz, ld = (REGIONS[k][0] for k in ("cangzhou", "zhengzhou", "loudi"))
    schools = [
        # --- Cangzhou (130900): staffing bands, ages, certificates, companies, equipment
        school(
            m,
            "cangzhou",
            1,
            "沧州市第一中学",
            SchoolKind.SECONDARY,
            enrollment=3200,
            guards=6,
            boarders=900,
        ),
        school(
            m, "cangzhou", 2, "沧州市实验小学", SchoolKind.PRIMARY, enrollment=3000, guards=5
        ),  # exactly 3000: band (1) needs 6
        school(
            m, "cangzhou", 3, "沧州市运河区新华小学", SchoolKind.PRIMARY, enrollment=1000, guards=4
        ),  # exactly 1000: band (2) needs 4, has 4
        school(
            m,
            "cangzhou",
            4,
            "沧州市新华区第二幼儿园",
            SchoolKind.KINDERGARTEN,
            enrollment=280,
            guards=2,
            good=False,
            equipment=full_equipment(skip=(EquipmentKind.RIOT_HELMET,)),
        ),
        school(
            m,
            "cangzhou",
            5,
            "沧州市育红中学",
            SchoolKind.SECONDARY,
            enrollment=1800,
            guards=3,
            good=False,
            bad_guards=(
                m.guard(cz, "cz-guard", age=51),
                m.guard(cz, "cz-cheap"),
                m.guard(cz, None, hire_source=HireSource.SELF_HIRED, certified=False),
            ),
        ),
        school(
            m,
            "cangzhou",
            6,
            "沧州市光荣路小学",
            SchoolKind.PRIMARY,
            enrollment=900,
            guards=2,
            equipment=full_equipment(national=False),
        ),
        school(
            m,
            "cangzhou",
            7,
            "沧县旧州镇中心幼儿园",
            SchoolKind.KINDERGARTEN,
            enrollment=300,
            guards=4,
            locality=Locality.TOWN,
        ),
        school(
            m,
            "cangzhou",
            8,
            "沧州市朝阳小学",
            SchoolKind.PRIMARY,
            enrollment=1500,
            guards=3,
            good=False,
            waivers=(
                Waiver(
                    "cangzhou.guard-staffing",
                    "沧州市教育局安全科",
                    "新校区启用前过渡期",
                    dt.date(2025, 8, 31),
                ),
            ),
        ),
        # --- Jiangsu (320000)
        school(m, "jiangsu", 1, "南京市琅琊路小学", SchoolKind.PRIMARY, enrollment=2400, guards=4),
        school(
            m,
            "jiangsu",
            2,
            "南京市第十三中学",
            SchoolKind.SECONDARY,
            enrollment=2800,
            guards=5,
            boarders=600,
        ),
        school(
            m,
            "jiangsu",
            3,
            "南京市玄武区某民办幼儿园",
            SchoolKind.KINDERGARTEN,
            enrollment=260,
            guards=0,
            good=False,
            ownership=Ownership.PRIVATE,
            devices=devices("js003", linked=False, alarm=False),
        ),
        school(
            m,
            "jiangsu",
            4,
            "南京市鼓楼区第一幼儿园",
            SchoolKind.KINDERGARTEN,
            enrollment=420,
            guards=2,
        ),
        school(
            m,
            "jiangsu",
            5,
            "南京市溧水区石湫中心小学",
            SchoolKind.PRIMARY,
            enrollment=700,
            guards=1,
            good=False,
            locality=Locality.RURAL,
            region_code=RegionCode("320117"),
            vehicle_access=False,
            bad_guards=(m.guard("320117", "js-guard", age=58, certified=False),),
        ),
        school(
            m,
            "jiangsu",
            6,
            "南京市江宁区东山小学",
            SchoolKind.PRIMARY,
            enrollment=1900,
            guards=3,
            locality=Locality.TOWN,
            region_code=RegionCode("320115"),
        ),
        # --- Zhengzhou (410100)
        school(
            m,
            "zhengzhou",
            1,
            "郑州市第一中学",
            SchoolKind.SECONDARY,
            enrollment=3500,
            guards=6,
            boarders=1200,
        ),
        school(
            m,
            "zhengzhou",
            2,
            "郑州市金水区文化路第一小学",
            SchoolKind.PRIMARY,
            enrollment=2100,
            guards=4,
        ),
        school(
            m,
            "zhengzhou",
            3,
            "郑州市中原区某幼儿园",
            SchoolKind.KINDERGARTEN,
            enrollment=310,
            guards=2,
            good=False,
            region_code=RegionCode("410102"),
            bad_guards=(
                m.guard(zz, "zz-guard", flags=frozenset({BackgroundFlag.DRUGS})),
                m.guard(zz, "zz-guard", certified=False, assessments=1),
            ),
        ),
        school(
            m,
            "zhengzhou",
            4,
            "郑州市二七区长江路小学",
            SchoolKind.PRIMARY,
            enrollment=1600,
            guards=3,
            region_code=RegionCode("410103"),
        ),
        school(
            m,
            "zhengzhou",
            5,
            "登封市告成镇中学",
            SchoolKind.SECONDARY,
            enrollment=800,
            guards=2,
            good=False,
            locality=Locality.RURAL,
            region_code=RegionCode("410185"),
            boarders=300,
        ),
        # --- Loudi (431300)
        school(
            m,
            "loudi",
            1,
            "娄底市第一中学",
            SchoolKind.SECONDARY,
            enrollment=3300,
            guards=6,
            boarders=1500,
        ),
        school(
            m, "loudi", 2, "娄底市娄星区第一小学", SchoolKind.PRIMARY, enrollment=1900, guards=3
        ),
        school(
            m,
            "loudi",
            3,
            "娄底市某民办幼儿园",
            SchoolKind.KINDERGARTEN,
            enrollment=180,
            guards=0,
            good=False,
            ownership=Ownership.PRIVATE,
            bad_guards=(
                m.guard(
                    ld,
                    None,
                    full_time=False,
                    certified=False,
                    hire_source=HireSource.PROPERTY,
                    training_days=3,
                ),
            ),
        ),
        school(
            m,
            "loudi",
            4,
            "涟源市第二中学",
            SchoolKind.SECONDARY,
            enrollment=2600,
            guards=4,
            region_code=RegionCode("431382"),
            hazards=(
                Hazard("LY-H1", dt.date(2024, 10, 8), "宿舍楼", "消防", dt.date(2024, 10, 31)),
                Hazard(
                    "LY-H2",
                    dt.date(2024, 9, 2),
                    "校门",
                    "设施",
                    dt.date(2024, 9, 2),
                    dt.date(2024, 9, 2),
                    on_the_spot=True,
                ),
            ),
        ),
        # --- Pucheng (610526)
        school(
            m, "pucheng", 1, "蒲城县城关第一小学", SchoolKind.PRIMARY, enrollment=1800, guards=3
        ),
        school(
            m,
            "pucheng",
            2,
            "蒲城县尧山中学",
            SchoolKind.SECONDARY,
            enrollment=2600,
            guards=4,
            boarders=1400,
        ),
        school(
            m,
            "pucheng",
            3,
            "蒲城县罕井镇某村小学",
            SchoolKind.PRIMARY,
            enrollment=100,
            guards=1,
            good=False,
            locality=Locality.RURAL,
            hazards=(Hazard("PC-H1", dt.date(2024, 9, 10), "围墙", "设施", dt.date(2024, 10, 10)),),
            rectification_notices=(
                RectificationNotice(
                    "PC-N1",
                    dt.date(2024, 9, 10),
                    dt.date(2024, 10, 10),
                    InspectorLevel.POLICE_STATION,
                    ("PC-H1",),
                ),
            ),
        ),
        school(
            m,
            "pucheng",
            4,
            "蒲城县龙池镇某村小学",
            SchoolKind.PRIMARY,
            enrollment=99,
            guards=0,
            good=False,
            locality=Locality.RURAL,
        ),
        school(
            m, "pucheng", 5, "蒲城县城关幼儿园", SchoolKind.KINDERGARTEN, enrollment=450, guards=2
        ),
    ]
    return Roster(schools=schools, companies=COMPANIES)


if __name__ == "__main__":
    dump_roster(build(), OUT)
    print(f"wrote {OUT}")
