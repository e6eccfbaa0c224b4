"""Build tests/fixture_roster.json: a Jiangsu roster where every rule passes and fails somewhere.

Run ``python plugins/jiangsu/tests/make_fixture.py`` to regenerate it. The output is
deterministic (ID numbers, certificates and school ids are given explicitly, not drawn
from the test helpers' counters), and ``test_jiangsu.py`` checks that the committed
file is what :func:`build` makes.

On :data:`FIXTURE_ON` (2024-11-20, after every deadline of the document) each of the
standard's rules has at least one PASS and one FAIL finding, and every target has
schools in its population, some meeting the rule and some not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

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
    Inspection,
    InspectorLevel,
    Locality,
    Ownership,
    Placement,
    PolicePatrol,
    RectificationNotice,
    Roster,
    Routines,
    School,
    SchoolKind,
    Waiver,
)
from campus_security.testing import make_company, make_id_number, make_school

OUT = Path(__file__).with_name("fixture_roster.json")
FIXTURE_ON = dt.date(2024, 11, 20)
COMPANY = "js-guard"
NANJING = "320102"  # 南京市玄武区


def guard(
    n: int,
    name: str,
    *,
    age_at_hire: int = 40,
    hired_on: dt.date | None = dt.date(2023, 3, 1),
    certified: bool = True,
    full_time: bool = True,
    flags: frozenset[BackgroundFlag] | None = frozenset(),
) -> Guard:
    """A guard numbered ``n`` (fixes the ID number and certificate), hired at the given age."""
    hire = hired_on or dt.date(2023, 3, 1)
    birth = hire.replace(year=hire.year - age_at_hire) - dt.timedelta(days=30)
    checks = (
        ()
        if flags is None
        else (BackgroundCheck(checked_on=hire - dt.timedelta(days=14), flags=flags),)
    )
    return Guard(
        id_number=make_id_number(birth, region=NANJING, seq=n),
        name=name,
        full_time=full_time,
        company_id=COMPANY,
        certificate_number=f"苏{320000000 + n}" if certified else None,
        hired_on=hired_on,
        background_checks=checks,
    )


def good_devices(prefix: str) -> tuple[Device, ...]:
    """Every device the rules read, placed right and linked to the police."""
    return (
        Device(
            id=f"{prefix}-alarm",
            kind=DeviceKind.ONE_KEY_ALARM,
            linked_to_police=True,
            placement=Placement.GATEHOUSE,
        ),
        Device(
            id=f"{prefix}-cam-gate",
            kind=DeviceKind.VIDEO_SURVEILLANCE,
            linked_to_police=True,
            placement=Placement.GATE,
        ),
        Device(
            id=f"{prefix}-cam-key",
            kind=DeviceKind.VIDEO_SURVEILLANCE,
            linked_to_police=True,
            placement=Placement.KEY_AREA,
        ),
        Device(
            id=f"{prefix}-cam-crowd",
            kind=DeviceKind.VIDEO_SURVEILLANCE,
            linked_to_police=True,
            placement=Placement.CROWD_AREA,
        ),
        Device(
            id=f"{prefix}-police-cam",
            kind=DeviceKind.POLICE_CAMERA,
            linked_to_police=True,
            placement=Placement.OUTSIDE_GATE,
        ),
        Device(
            id=f"{prefix}-intrusion",
            kind=DeviceKind.INTRUSION_ALARM,
            linked_to_police=False,
            placement=Placement.PERIMETER,
        ),
        Device(
            id=f"{prefix}-access",
            kind=DeviceKind.ACCESS_CONTROL,
            linked_to_police=False,
            placement=Placement.GATE,
        ),
        Device(
            id=f"{prefix}-patrol",
            kind=DeviceKind.ELECTRONIC_PATROL,
            linked_to_police=False,
            placement=Placement.KEY_AREA,
        ),
    )


def patrols(per_day: int) -> tuple[PolicePatrol, ...]:
    """Police patrols every day of the 30 days before FIXTURE_ON."""
    return tuple(
        PolicePatrol(patrolled_on=FIXTURE_ON - dt.timedelta(days=i), count=per_day)
        for i in range(1, 31)
    )


def compliant(school_id: str, name: str, **fields: Any) -> School:
    """A school that meets every Jiangsu rule that applies to it; ``fields`` override."""
    n = int(school_id[-3:]) * 10
    values: dict[str, Any] = {
        "id": school_id,
        "name": name,
        "region_code": NANJING,
        "kind": SchoolKind.PRIMARY,
        "ownership": Ownership.PUBLIC,
        "locality": Locality.URBAN,
        "enrollment": 900,
        "staff_count": 70,
        "operates_school_bus": True,
        "legal_vice_principal": True,
        "facilities": Facilities(
            gatehouse=True,
            closed_management=True,
            perimeter=True,
            anti_ramming=True,
            police_room=True,
            police_room_unified=True,
            parent_waiting_area=True,
            guard_post=True,
        ),
        "routines": Routines(
            gate_duty=True,
            visitor_registration=True,
            vehicle_registration=True,
            pass_system=True,
            pickup_check=True,
            key_area_patrol=True,
            emergency_plan=True,
            risk_list=True,
            staff_gate_duty=True,
            school_bus_management=True,
            village_joint_defence=True,
        ),
        "guards": (guard(n + 1, "王建国"), guard(n + 2, "李志强", age_at_hire=50)),
        "equipment": (
            Equipment(kind=EquipmentKind.STEEL_FORK, quantity=2, national_standard=True),
            Equipment(kind=EquipmentKind.FLASHLIGHT, quantity=2, national_standard=True),
        ),
        "devices": good_devices(school_id),
        "drills": (
            Drill(kind=DrillKind.EMERGENCY, held_on=dt.date(2024, 5, 20)),
            Drill(kind=DrillKind.EMERGENCY, held_on=dt.date(2024, 10, 15)),
        ),
        "inspections": (
            Inspection(
                inspected_on=dt.date(2024, 10, 8),
                level=InspectorLevel.SCHOOL,
                cadence=Cadence.MONTHLY,
            ),
            Inspection(
                inspected_on=dt.date(2024, 11, 5),
                level=InspectorLevel.SCHOOL,
                cadence=Cadence.MONTHLY,
            ),
        ),
        "hazards": (
            Hazard(
                id=f"{school_id}-H1",
                found_on=dt.date(2024, 10, 8),
                location="东围墙",
                rectify_by=dt.date(2024, 10, 31),
                rectified_on=dt.date(2024, 10, 31),
            ),
        ),
        "rectification_notices": (
            RectificationNotice(
                id=f"{school_id}-N1",
                issued_on=dt.date(2024, 10, 9),
                rectify_by=dt.date(2024, 10, 31),
                issued_by=InspectorLevel.POLICE_STATION,
                hazard_ids=(f"{school_id}-H1",),
                closed_on=dt.date(2024, 10, 30),
            ),
        ),
        "police_patrols": patrols(2),
    }
    values.update(fields)
    return make_school(**values)


def build() -> Roster:
    """The fixture roster."""
    no_routines = Routines()
    schools = [
        # Meets everything: urban, public primary, runs a school bus.
        compliant("JS-001", "南京市玄武区示范小学"),
        # Fails nearly everything: urban public secondary school.
        compliant(
            "JS-002",
            "南京市玄武区某中学",
            kind=SchoolKind.SECONDARY,
            operates_school_bus=True,
            legal_vice_principal=False,
            facilities=Facilities(police_room=True),  # a room, but not to the 五统一
            routines=no_routines,
            guards=(
                # first hired 2023-05-01 at 55: over the first-hire age; uncertified; flagged
                guard(
                    21,
                    "赵大勇",
                    age_at_hire=55,
                    hired_on=dt.date(2023, 5, 1),
                    certified=False,
                    flags=frozenset({BackgroundFlag.CRIMINAL_RECORD}),
                ),
                guard(22, "钱小兵", full_time=False, flags=None),  # part-time, never checked
            ),
            equipment=(Equipment(kind=EquipmentKind.RUBBER_BATON, quantity=0),),
            devices=(
                Device(
                    id="JS-002-alarm",
                    kind=DeviceKind.ONE_KEY_ALARM,
                    linked_to_police=False,
                    placement=Placement.GATE,
                ),
                Device(
                    id="JS-002-cam-gate",
                    kind=DeviceKind.VIDEO_SURVEILLANCE,
                    linked_to_police=False,
                    placement=Placement.GATE,
                ),
                Device(
                    id="JS-002-police-cam",
                    kind=DeviceKind.POLICE_CAMERA,
                    linked_to_police=True,
                    placement=Placement.GATE,
                ),
            ),
            drills=(Drill(kind=DrillKind.FIRE_EQUIPMENT, held_on=dt.date(2024, 5, 20)),),
            inspections=(
                Inspection(
                    inspected_on=dt.date(2024, 10, 14),
                    level=InspectorLevel.SCHOOL,
                    cadence=Cadence.WEEKLY,
                ),
                Inspection(inspected_on=dt.date(2024, 10, 20), level=InspectorLevel.POLICE_STATION),
            ),
            hazards=(
                Hazard(
                    id="JS-002-H1",
                    found_on=dt.date(2024, 9, 2),
                    location="北门",
                    rectify_by=dt.date(2024, 9, 30),
                ),
            ),
            rectification_notices=(
                RectificationNotice(
                    id="JS-002-N1",
                    issued_on=dt.date(2024, 9, 3),
                    rectify_by=dt.date(2024, 10, 15),
                    issued_by=InspectorLevel.POLICE_STATION,
                    hazard_ids=("JS-002-H1",),
                ),
            ),
            police_patrols=patrols(1),
        ),
        # A private kindergarten that meets everything.
        compliant(
            "JS-003",
            "南京市玄武区阳光民办幼儿园",
            kind=SchoolKind.KINDERGARTEN,
            ownership=Ownership.PRIVATE,
            enrollment=280,
            staff_count=40,
            operates_school_bus=False,
        ),
        # A private town kindergarten with only a part-time guard and no pick-up check.
        compliant(
            "JS-004",
            "江宁区某镇民办幼儿园",
            region_code="320115",
            kind=SchoolKind.KINDERGARTEN,
            ownership=Ownership.PRIVATE,
            locality=Locality.TOWN,
            enrollment=150,
            staff_count=20,
            operates_school_bus=False,
            guards=(guard(41, "孙长福", full_time=False),),
            routines=Routines(
                gate_duty=True,
                visitor_registration=True,
                vehicle_registration=True,
                pass_system=True,
                key_area_patrol=True,
                emergency_plan=True,
                staff_gate_duty=True,
            ),
        ),
        # A public urban kindergarten with no guard at all.
        compliant(
            "JS-005",
            "南京市玄武区机关幼儿园",
            kind=SchoolKind.KINDERGARTEN,
            enrollment=300,
            staff_count=45,
            operates_school_bus=False,
            guards=(),
        ),
        # A rural primary school (not in a complex area) that meets everything.
        compliant(
            "JS-006",
            "溧水区某村小学",
            region_code="320117",
            locality=Locality.RURAL,
            enrollment=120,
            staff_count=15,
            facilities=Facilities(
                gatehouse=True,
                closed_management=True,
                perimeter=True,
                anti_ramming=True,
                police_room=True,
                police_room_unified=True,
            ),
        ),
        # A rural township central school: no barrier, no police post, no village defence.
        compliant(
            "JS-007",
            "溧水区某乡中心小学",
            region_code="320117",
            locality=Locality.RURAL,
            township_central=True,
            enrollment=600,
            staff_count=50,
            facilities=Facilities(
                gatehouse=True,
                closed_management=True,
                perimeter=True,
                police_room=True,
                police_room_unified=True,
            ),
            routines=Routines(
                gate_duty=True,
                visitor_registration=True,
                vehicle_registration=True,
                pass_system=True,
                pickup_check=True,
                key_area_patrol=True,
                emergency_plan=True,
                staff_gate_duty=True,
                school_bus_management=True,
            ),
        ),
        # A rural school whose gate no motor vehicle can reach: no anti-ramming rule.
        compliant(
            "JS-008",
            "高淳区某山村教学点",
            region_code="320118",
            locality=Locality.RURAL,
            vehicle_access=False,
            enrollment=40,
            staff_count=6,
            operates_school_bus=False,
            facilities=Facilities(
                gatehouse=True,
                closed_management=True,
                perimeter=True,
                police_room=True,
                police_room_unified=True,
            ),
        ),
        # A 完全中学 (COMBINED, no primary grades): pick-up check waived until the core
        # splits SchoolKind.COMBINED.
        compliant(
            "JS-009",
            "南京市玄武区某完全中学",
            kind=SchoolKind.COMBINED,
            enrollment=2400,
            staff_count=200,
            routines=Routines(
                gate_duty=True,
                visitor_registration=True,
                vehicle_registration=True,
                pass_system=True,
                key_area_patrol=True,
                emergency_plan=True,
                staff_gate_duty=True,
                school_bus_management=True,
            ),
            waivers=(
                Waiver(
                    rule_id="jiangsu.pickup-check",
                    granted_by="玄武区教育局",
                    reason="完全中学，无小学学段",
                    until=dt.date(2025, 8, 31),
                ),
            ),
        ),
        # Outside Jiangsu (Shanghai): the standard does not apply.
        compliant("SH-100", "上海市徐汇区某小学", region_code="310104"),
    ]
    return Roster(
        schools=schools, companies=(make_company(id=COMPANY, name="南京市保安服务有限公司"),)
    )


if __name__ == "__main__":
    dump_roster(build(), OUT)
    print(f"wrote {OUT}")
