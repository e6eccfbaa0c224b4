"""Build fixture_roster.json: Pucheng schools on which every rule both passes and fails.

Run ``python plugins/pucheng/tests/make_fixture.py`` to rewrite the file. Every ID number,
certificate number and school id is fixed, so the output is the same on every run (a
test checks that the committed file matches :func:`build`).

Evaluated on :data:`FIXTURE_ON`, 2014-10-30: the plan's last day, the only day on which
every rule binds (the police-inspection and acceptance rules bind on it).

- ``pc-urban-complete``: an urban boarding primary school that passes every rule that
  applies to it (the rural staffing rule does not).
- ``pc-urban-short``: an urban kindergarten that fails every rule that applies to it
  (boarding duty and rural staffing do not).
- ``pc-rural-boarding``: a rural boarding school of exactly 100 pupils with one full-time
  guard and no round-the-clock duty: fails rural staffing and boarding duty.
- ``pc-town-staffed``: a town school of 120 pupils with two full-time guards: passes
  rural staffing.
- ``pc-rural-small``: a rural school of 99 pupils, not in a complex area: the rural
  staffing rule does not apply.
- ``pc-outside``: a school in 白水县 (610527), outside the jurisdiction: no findings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from campus_security import dump_roster
from campus_security.model import (
    Device,
    DeviceKind,
    Equipment,
    EquipmentKind,
    Facilities,
    Hazard,
    Inspection,
    InspectorLevel,
    Locality,
    RectificationNotice,
    Roster,
    Routines,
    SchoolKind,
    Training,
    TrainingKind,
)
from campus_security.testing import make_company, make_guard, make_id_number, make_school

FIXTURE_ON = dt.date(2014, 10, 30)
PATH = Path(__file__).with_name("fixture_roster.json")
REGION = "610526"

ALL_ROUTINES = Routines(
    visitor_registration=True,
    vehicle_registration=True,
    duty_rota=True,
    key_area_patrol=True,
    hazard_check=True,
    emergency_plan=True,
)
FULL_FACILITIES = Facilities(gatehouse=True, perimeter=True, closed_management=True)


def _course(start: dt.date, days: int = 3) -> Training:
    return Training(TrainingKind.PRE_JOB, start, days, provider="渭南市保安培训学校")


def _guard(seq: int, name: str, birth: dt.date, **fields):
    fields.setdefault("company_id", "pc-co")
    fields.setdefault("certificate_number", f"陕WN{seq:06d}")
    fields.setdefault("uniform", True)
    return make_guard(
        id_number=make_id_number(birth, region=REGION, female=fields.pop("female", False), seq=seq),
        name=name,
        **fields,
    )


def _equipment(n: int) -> list[Equipment]:
    return [Equipment(EquipmentKind.RUBBER_BATON, n), Equipment(EquipmentKind.STEEL_FORK, n)]


def build() -> Roster:
    """The fixture roster."""
    company = make_company(id="pc-co", name="蒲城县保安服务公司", permit_number="陕渭保014")
    complete = make_school(
        id="pc-urban-complete",
        name="蒲城县城关第一小学",
        region_code=REGION,
        kind=SchoolKind.PRIMARY,
        locality=Locality.URBAN,
        enrollment=600,
        staff_count=45,
        boarders=50,
        facilities=FULL_FACILITIES,
        routines=Routines(
            round_the_clock_duty=True,
            **{
                f: True
                for f in (
                    "visitor_registration",
                    "vehicle_registration",
                    "duty_rota",
                    "key_area_patrol",
                    "hazard_check",
                    "emergency_plan",
                )
            },
        ),
        guards=[
            _guard(
                1,
                "张卫东",
                dt.date(1975, 3, 8),
                hired_on=dt.date(2012, 9, 1),
                trainings=[_course(dt.date(2014, 8, 4))],
            ),
            _guard(
                2,
                "李晓军",
                dt.date(1980, 11, 20),
                hired_on=dt.date(2014, 9, 1),
                trainings=[_course(dt.date(2014, 8, 30))],
            ),
            _guard(
                3,
                "王秀兰",
                dt.date(1983, 6, 1),
                female=True,
                full_time=False,
                trainings=[_course(dt.date(2013, 5, 6), 5)],
            ),
        ],
        equipment=_equipment(3),
        devices=[Device("pc-cam-1", DeviceKind.VIDEO_SURVEILLANCE, full_coverage=True)],
        inspections=[
            Inspection(dt.date(2014, 9, 5), InspectorLevel.POLICE_STATION, inspector="城关派出所"),
            Inspection(
                dt.date(2014, 10, 15), InspectorLevel.POLICE_STATION, inspector="城关派出所"
            ),
        ],
        hazards=[
            Hazard(
                "pc-h1",
                dt.date(2014, 9, 5),
                location="东侧围墙",
                rectify_by=dt.date(2014, 9, 20),
                rectified_on=dt.date(2014, 9, 18),
                found_by=InspectorLevel.POLICE_STATION,
            ),
            Hazard(
                "pc-h2",
                dt.date(2014, 9, 22),
                location="锅炉房",
                found_by=InspectorLevel.SCHOOL,
            ),
        ],
        rectification_notices=[
            RectificationNotice(
                "pc-n1",
                dt.date(2014, 9, 5),
                dt.date(2014, 9, 20),
                hazard_ids=("pc-h1",),
                closed_on=dt.date(2014, 9, 18),
            )
        ],
    )
    short = make_school(
        id="pc-urban-short",
        name="蒲城县城关某民办幼儿园",
        region_code=REGION,
        kind=SchoolKind.KINDERGARTEN,
        locality=Locality.URBAN,
        enrollment=180,
        staff_count=20,
        facilities=Facilities(gatehouse=True),
        routines=Routines(visitor_registration=True, key_area_patrol=True),
        guards=[
            _guard(
                4,
                "赵建设",
                dt.date(1966, 1, 15),
                hired_on=dt.date(2014, 9, 1),
                uniform=False,
                trainings=[_course(dt.date(2014, 9, 1))],
            ),
            _guard(
                5,
                "孙满仓",
                dt.date(1958, 12, 2),
                full_time=False,
                company_id=None,
                certificate_number=None,
                uniform=False,
                hired_on=dt.date(2010, 3, 1),
            ),
        ],
        equipment=[Equipment(EquipmentKind.RUBBER_BATON, 1), Equipment(EquipmentKind.SHIELD, 2)],
        devices=[Device("pc-cam-2", DeviceKind.VIDEO_SURVEILLANCE, full_coverage=False)],
        inspections=[
            Inspection(dt.date(2014, 9, 10), InspectorLevel.COUNTY, inspector="校园执法中队"),
            Inspection(dt.date(2014, 9, 16), InspectorLevel.POLICE_STATION, inspector="城关派出所"),
        ],
        hazards=[
            Hazard(
                "pc-h3",
                dt.date(2014, 9, 16),
                location="大门",
                category="门卫",
                found_by=InspectorLevel.POLICE_STATION,
            ),
            Hazard(
                "pc-h4",
                dt.date(2014, 9, 16),
                location="厨房",
                category="消防",
                rectify_by=dt.date(2014, 9, 30),
            ),
        ],
        rectification_notices=[
            RectificationNotice(
                "pc-n2", dt.date(2014, 9, 16), dt.date(2014, 9, 30), hazard_ids=("pc-h4",)
            )
        ],
    )
    rural_boarding = make_school(
        id="pc-rural-boarding",
        name="蒲城县某镇中学",
        region_code=REGION,
        kind=SchoolKind.SECONDARY,
        locality=Locality.RURAL,
        enrollment=100,
        staff_count=15,
        boarders=40,
        facilities=FULL_FACILITIES,
        routines=ALL_ROUTINES,
        guards=[
            _guard(
                6,
                "周长青",
                dt.date(1972, 4, 4),
                hired_on=dt.date(2011, 2, 1),
                trainings=[_course(dt.date(2011, 1, 20))],
            )
        ],
        equipment=_equipment(1),
        devices=[Device("pc-cam-3", DeviceKind.VIDEO_SURVEILLANCE, full_coverage=True)],
    )
    town_staffed = make_school(
        id="pc-town-staffed",
        name="蒲城县某镇中心小学",
        region_code=REGION,
        kind=SchoolKind.PRIMARY,
        locality=Locality.TOWN,
        enrollment=120,
        staff_count=14,
        facilities=FULL_FACILITIES,
        routines=ALL_ROUTINES,
        guards=[
            _guard(
                7,
                "吴国庆",
                dt.date(1976, 10, 1),
                hired_on=dt.date(2013, 9, 1),
                trainings=[_course(dt.date(2013, 8, 20))],
            ),
            _guard(
                8,
                "郑宝山",
                dt.date(1979, 2, 14),
                hired_on=dt.date(2013, 9, 1),
                trainings=[_course(dt.date(2013, 8, 20))],
            ),
        ],
        equipment=_equipment(2),
    )
    rural_small = make_school(
        id="pc-rural-small",
        name="蒲城县某村小学",
        region_code=REGION,
        kind=SchoolKind.PRIMARY,
        locality=Locality.RURAL,
        enrollment=99,
        staff_count=8,
    )
    outside = make_school(
        id="pc-outside", name="白水县某小学", region_code="610527", kind=SchoolKind.PRIMARY
    )
    return Roster(
        schools=(complete, short, rural_boarding, town_staffed, rural_small, outside),
        companies=(company,),
    )


if __name__ == "__main__":
    dump_roster(build(), PATH)
    print(f"wrote {PATH}")
