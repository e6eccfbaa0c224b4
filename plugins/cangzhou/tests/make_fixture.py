"""Build tests/fixture_roster.json: every Cangzhou rule passing at one school, failing at another.

Run ``python plugins/cangzhou/tests/make_fixture.py`` to regenerate it; the output is
deterministic (ID numbers, certificate numbers and school ids are fixed, not drawn from
the test helpers' counters). The fixture is evaluated as of :data:`ON`:

- CZ-GOOD, an urban boarding primary school, passes every rule;
- CZ-BAD, an urban boarding secondary school, fails every rule;
- CZ-TOWN, a town kindergarten whose gate no vehicle can reach, passes what applies
  to it and is outside the urban connection rule and target.

The target ``cangzhou.platform-link-rate`` counts CZ-GOOD (met) and CZ-BAD (not met).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from campus_security import dump_roster
from campus_security.model import (
    Cadence,
    Device,
    DeviceKind,
    Drill,
    DrillKind,
    Equipment,
    EquipmentKind,
    Facilities,
    Hazard,
    HireSource,
    Inspection,
    InspectorLevel,
    Locality,
    Placement,
    Roster,
    Routines,
    School,
    SchoolKind,
    Training,
    TrainingKind,
)
from campus_security.testing import (
    birth_date_for_age,
    make_company,
    make_guard,
    make_id_number,
    make_school,
)

OUT = Path(__file__).with_name("fixture_roster.json")
ON = dt.date(2024, 11, 20)
"""The evaluation date of the fixture (a Wednesday).

Windows judged on it: day 2024-11-19; week 2024-11-11..17; month October 2024;
quarter July-September 2024; semester spring 2024 (2024-02-01..08-31).
"""

COMPANIES = (
    make_company(id="cz-guard", name="沧州市保安服务有限公司", permit_number="冀公保服20100003"),
    make_company(id="cz-cheap", name="沧州某物业保安服务部", permit_number=None),
)


def guard(n: int, name: str, *, age: int = 35, trained: bool = True, **fields: object):
    """Guard number ``n``: fixed ID number and certificate, trained unless told."""
    birth = birth_date_for_age(age, ON) - dt.timedelta(days=10)
    values: dict[str, object] = {
        "name": name,
        "id_number": make_id_number(birth, region="130902", seq=n),
        "company_id": "cz-guard",
        "certificate_number": f"CZ{n:08d}",
        "hired_on": dt.date(2022, 3, 1),
        "trainings": (
            Training(TrainingKind.PRE_JOB, dt.date(2022, 2, 14), 7, "沧州市保安培训学校"),
        )
        if trained
        else (),
    }
    values.update(fields)
    return make_guard(**values)


def all_equipment(*, skip: tuple[EquipmentKind, ...] = ()) -> tuple[Equipment, ...]:
    return tuple(Equipment(k, 2, True) for k in EquipmentKind if k not in skip)


def checks_in_every_window() -> tuple[Inspection, ...]:
    """School checks in the windows judged on ON: one of each cadence."""
    return (
        Inspection(dt.date(2024, 11, 19), InspectorLevel.SCHOOL, Cadence.DAILY, "值班干部"),
        Inspection(dt.date(2024, 11, 15), InspectorLevel.SCHOOL, Cadence.WEEKLY, "安全办"),
        Inspection(dt.date(2024, 10, 31), InspectorLevel.SCHOOL, Cadence.MONTHLY, "安全办"),
        Inspection(dt.date(2024, 9, 30), InspectorLevel.SCHOOL, Cadence.QUARTERLY, "校长办公会"),
    )


def checks_outside_every_window() -> tuple[Inspection, ...]:
    """Checks that miss each judged window: in the current period, or of the wrong kind."""
    return (
        Inspection(ON, InspectorLevel.SCHOOL, Cadence.DAILY),  # today: not judged yet
        Inspection(dt.date(2024, 11, 18), InspectorLevel.SCHOOL, Cadence.WEEKLY),  # this week
        Inspection(dt.date(2024, 11, 1), InspectorLevel.SCHOOL, Cadence.MONTHLY),  # this month
        Inspection(dt.date(2024, 10, 1), InspectorLevel.SCHOOL, Cadence.QUARTERLY),  # this quarter
        Inspection(dt.date(2024, 11, 19), InspectorLevel.POLICE_STATION, Cadence.DAILY),
        Inspection(dt.date(2024, 11, 12), InspectorLevel.SCHOOL, None),
    )


def build() -> Roster:
    good = make_school(
        id="CZ-GOOD",
        name="沧州市运河区新华小学",
        region_code="130903",
        kind=SchoolKind.PRIMARY,
        locality=Locality.URBAN,
        enrollment=1200,
        staff_count=90,
        boarders=120,
        vehicle_access=True,
        facilities=Facilities(gatehouse=True, anti_ramming=True, guard_room=True),
        routines=Routines(
            gate_duty=True,
            visitor_registration=True,
            vehicle_registration=True,
            key_area_patrol=True,
            night_patrol=True,
            emergency_plan=True,
            risk_list=True,
            grid_management=True,
        ),
        guards=tuple(guard(i, n) for i, n in enumerate(("王建国", "李志强", "张海斌", "刘军"), 1)),
        equipment=all_equipment(),
        devices=(
            Device("good-cam-gate", DeviceKind.VIDEO_SURVEILLANCE, True, Placement.GATE),
            Device("good-alarm", DeviceKind.ONE_KEY_ALARM, True, Placement.GATEHOUSE),
            Device("good-intrusion", DeviceKind.INTRUSION_ALARM, False, Placement.PERIMETER),
        ),
        drills=(Drill(DrillKind.EMERGENCY, dt.date(2024, 4, 12)),),
        inspections=checks_in_every_window(),
        hazards=(
            # fixed on time
            Hazard(
                "G-H1",
                dt.date(2024, 9, 3),
                "食堂",
                "消防",
                dt.date(2024, 9, 30),
                dt.date(2024, 9, 20),
            ),
            # open, with a plan whose deadline has not passed
            Hazard("G-H2", dt.date(2024, 11, 5), "宿舍楼", "消防", dt.date(2024, 12, 15)),
            # found today, still open, no plan yet: 立行立改 allows the day itself
            Hazard("G-H3", ON, "校门口", "设施"),
        ),
    )
    bad = make_school(
        id="CZ-BAD",
        name="沧州市育红中学",
        region_code="130902",
        kind=SchoolKind.SECONDARY,
        locality=Locality.URBAN,
        enrollment=3000,  # band (1): needs 6 full-time guards
        staff_count=220,
        boarders=800,
        vehicle_access=True,
        facilities=Facilities(gatehouse=True),
        routines=Routines(visitor_registration=True),
        guards=(
            guard(10, "赵刚", age=51),
            guard(11, "孙磊", certificate_number=None),
            guard(12, "周勇", hire_source=HireSource.SELF_HIRED, company_id=None),
            guard(13, "吴涛", company_id="cz-cheap"),
            guard(14, "郑明", trained=False),
        ),
        equipment=all_equipment(skip=(EquipmentKind.RIOT_HELMET, EquipmentKind.RADIO)),
        devices=(
            Device("bad-cam-gate", DeviceKind.VIDEO_SURVEILLANCE, False, Placement.GATE),
            Device("bad-intrusion", DeviceKind.INTRUSION_ALARM, True, Placement.PERIMETER),
        ),
        drills=(
            Drill(DrillKind.FIRE_EQUIPMENT, dt.date(2024, 5, 10)),
            Drill(DrillKind.EMERGENCY, dt.date(2024, 9, 20)),  # this semester: not judged yet
        ),
        inspections=checks_outside_every_window(),
        hazards=(
            Hazard("B-H1", dt.date(2024, 11, 4), "实验室", "危化品"),  # open, no plan
            Hazard("B-H2", dt.date(2024, 10, 8), "围墙", "设施", dt.date(2024, 10, 31)),  # overdue
        ),
    )
    town = make_school(
        id="CZ-TOWN",
        name="沧县旧州镇中心幼儿园",
        region_code="130921",
        kind=SchoolKind.KINDERGARTEN,
        locality=Locality.TOWN,
        enrollment=280,
        staff_count=30,
        vehicle_access=False,
        facilities=Facilities(gatehouse=True, guard_room=True),
        routines=Routines(
            gate_duty=True,
            visitor_registration=True,
            vehicle_registration=True,
            key_area_patrol=True,
            emergency_plan=True,
            risk_list=True,
            grid_management=True,
        ),
        guards=(guard(20, "马超"), guard(21, "高平")),
        equipment=all_equipment(),
        drills=(Drill(DrillKind.EMERGENCY, dt.date(2024, 3, 22)),),
        inspections=checks_in_every_window(),
    )
    schools: tuple[School, ...] = (good, bad, town)
    return Roster(schools=schools, companies=COMPANIES)


if __name__ == "__main__":
    dump_roster(build(), OUT)
    print(f"wrote {OUT}")
