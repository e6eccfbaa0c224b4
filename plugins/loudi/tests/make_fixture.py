"""Build fixture_roster.json: Loudi schools on which every rule both passes and fails.

Run ``python plugins/loudi/tests/make_fixture.py`` to rewrite the file. Every ID number,
certificate number and school id is fixed, so the output is the same on every run (a
test checks that the committed file matches :func:`build`).

Evaluated on :data:`FIXTURE_ON` (2021-06-30):

- ``ld-complete``: passes every rule (rule 3 through a company guard hired 2021-01-10).
- ``ld-no-full-time``: one uncertified, untrained part-time guard, an on-the-spot hazard
  left open, no routines: fails rules 1, 2, 4, 5, 6; rule 3 is not applicable.
- ``ld-property-hire``: a private kindergarten whose new full-time guard (2021-03-01) comes
  from a property company and whose course provider is not approved: fails rules 3 and 4.
- ``ld-outside``: a school in Changsha (430102), outside the jurisdiction: no findings.

The target ``loudi.full-time-staffing-2020`` counts 2 met and 1 not met (NOT_MET).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from campus_security import dump_roster
from campus_security.model import (
    Hazard,
    HireSource,
    Locality,
    Ownership,
    Roster,
    Routines,
    SchoolKind,
    Training,
    TrainingKind,
)
from campus_security.testing import make_company, make_guard, make_id_number, make_school

FIXTURE_ON = dt.date(2021, 6, 30)
PATH = Path(__file__).with_name("fixture_roster.json")

ALL_ROUTINES = Routines(
    security_organization=True,
    gate_duty=True,
    visitor_registration=True,
    key_area_patrol=True,
    emergency_plan=True,
)


def _approved_course(start: dt.date, days: int = 5) -> Training:
    return Training(
        TrainingKind.PRE_JOB, start, days, provider="娄底市保安培训学校", provider_approved=True
    )


def build() -> Roster:
    """The fixture roster."""
    company = make_company(id="ld-co", name="娄底市保安服务有限公司", permit_number="湘娄保001")
    complete = make_school(
        id="ld-complete",
        name="娄星区第一小学",
        region_code="431302",
        kind=SchoolKind.PRIMARY,
        enrollment=1200,
        staff_count=80,
        routines=ALL_ROUTINES,
        guards=[
            make_guard(
                id_number=make_id_number(dt.date(1978, 5, 4), region="431302", seq=1),
                name="李建国",
                company_id="ld-co",
                certificate_number="湘LD2020001",
                hired_on=dt.date(2018, 3, 1),
                trainings=[_approved_course(dt.date(2020, 11, 16), 7)],
            ),
            make_guard(
                id_number=make_id_number(dt.date(1985, 9, 12), region="431302", seq=2),
                name="王志强",
                company_id="ld-co",
                certificate_number="湘LD2021002",
                hired_on=dt.date(2021, 1, 10),
                trainings=[_approved_course(dt.date(2021, 1, 4))],
            ),
        ],
        hazards=[
            Hazard(
                "ld-h1", dt.date(2020, 11, 20), on_the_spot=True, rectified_on=dt.date(2020, 11, 20)
            ),
            Hazard(
                "ld-h2",
                dt.date(2021, 5, 10),
                category="消防",
                rectify_by=dt.date(2021, 6, 10),
                rectified_on=dt.date(2021, 6, 8),
            ),
        ],
    )
    no_full_time = make_school(
        id="ld-no-full-time",
        name="新化县某村小学",
        region_code="431322",
        kind=SchoolKind.PRIMARY,
        locality=Locality.RURAL,
        enrollment=150,
        staff_count=12,
        guards=[
            make_guard(
                id_number=make_id_number(dt.date(1962, 2, 1), region="431322", seq=3),
                name="赵老伯",
                full_time=False,
                hire_source=HireSource.SELF_HIRED,
                company_id=None,
                certificate_number=None,
                hired_on=dt.date(2015, 9, 1),
            )
        ],
        hazards=[Hazard("ld-h3", dt.date(2021, 6, 1), location="校门", on_the_spot=True)],
    )
    property_hire = make_school(
        id="ld-property-hire",
        name="涟源市阳光幼儿园",
        region_code="431382",
        kind=SchoolKind.KINDERGARTEN,
        ownership=Ownership.PRIVATE,
        locality=Locality.TOWN,
        enrollment=240,
        staff_count=30,
        routines=ALL_ROUTINES,
        guards=[
            make_guard(
                id_number=make_id_number(dt.date(1980, 7, 7), region="431382", female=True, seq=4),
                name="刘红梅",
                hire_source=HireSource.PROPERTY,
                company_id=None,
                certificate_number="湘LD2021003",
                hired_on=dt.date(2021, 3, 1),
                trainings=[
                    Training(TrainingKind.PRE_JOB, dt.date(2021, 2, 20), 5, provider="某物业公司")
                ],
            )
        ],
    )
    outside = make_school(
        id="ld-outside", name="长沙市某小学", region_code="430102", kind=SchoolKind.PRIMARY
    )
    return Roster(schools=(complete, no_full_time, property_hire, outside), companies=(company,))


if __name__ == "__main__":
    dump_roster(build(), PATH)
    print(f"wrote {PATH}")
