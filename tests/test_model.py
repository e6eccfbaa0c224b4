from __future__ import annotations

import datetime as dt
import itertools

import pytest

from campus_security.model import (
    Gender,
    Hazard,
    InvalidValue,
    PolicePatrol,
    RectificationNotice,
    Roster,
    SchoolKind,
    Waiver,
)
from campus_security.model.calendar import half_month, half_months, quarter, semester, week
from campus_security.testing import make_company, make_guard, make_id_number, make_school

ON = dt.date(2024, 11, 20)


def test_boarding_is_derived_from_boarders() -> None:
    assert not make_school(boarders=0).is_boarding
    assert make_school(enrollment=10, boarders=1).is_boarding


def test_guard_facts_are_derived_from_the_id_number() -> None:
    g = make_guard(age=50, on=ON, female=True)
    assert g.age_on(ON) == 50
    assert g.age_on(ON - dt.timedelta(days=1)) == 49
    assert g.gender is Gender.FEMALE
    assert g.birth_date == dt.date(1974, 11, 20)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"enrollment": -1}, "enrollment"),
        ({"enrollment": 10, "boarders": 11}, "boarders"),
        ({"name": "  "}, "name"),
        ({"staff_count": True}, "staff_count"),
    ],
)
def test_school_validation_names_the_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        make_school(**fields)
    assert exc.value.field == field


def test_duplicate_guards_are_rejected_with_their_index() -> None:
    g = make_guard(on=ON)
    with pytest.raises(InvalidValue) as exc:
        make_school(guards=[g, g])
    assert exc.value.field == "guards[1]"


def test_notice_must_name_existing_hazards() -> None:
    h = Hazard("H1", ON)
    n = RectificationNotice("N1", ON, ON, hazard_ids=("H2",))
    with pytest.raises(InvalidValue) as exc:
        make_school(hazards=[h], rectification_notices=[n])
    assert exc.value.field == "rectification_notices[0].hazard_ids[0]"


def test_hazard_dates_are_ordered() -> None:
    with pytest.raises(InvalidValue) as exc:
        Hazard("H1", ON, rectify_by=ON - dt.timedelta(days=1))
    assert exc.value.field == "rectify_by"


def test_hazard_overdue_boundaries() -> None:
    h = Hazard("H1", dt.date(2024, 9, 1), rectify_by=dt.date(2024, 9, 30))
    assert not h.is_overdue(dt.date(2024, 9, 30))  # the deadline day itself is in time
    assert h.is_overdue(dt.date(2024, 10, 1))
    fixed = Hazard(
        "H1",
        dt.date(2024, 9, 1),
        rectify_by=dt.date(2024, 9, 30),
        rectified_on=dt.date(2024, 10, 5),
    )
    assert fixed.is_overdue(dt.date(2024, 10, 4))
    assert not fixed.is_overdue(dt.date(2024, 10, 5))


def test_patrol_count_is_positive() -> None:
    with pytest.raises(InvalidValue):
        PolicePatrol(ON, 0)


def test_waiver_active_through_its_last_day() -> None:
    w = Waiver("x.y", "局", "理由", ON)
    assert w.active(ON)
    assert not w.active(ON + dt.timedelta(days=1))


def test_roster_checks_company_references() -> None:
    s = make_school(guards=[make_guard(on=ON, company_id="nope")])
    with pytest.raises(InvalidValue) as exc:
        Roster(schools=[s], companies=[make_company()])
    assert exc.value.field == "schools[0].guards[0].company_id"


def test_kindergarten_flag() -> None:
    assert SchoolKind.KINDERGARTEN.is_kindergarten
    assert not SchoolKind.COMBINED.is_kindergarten


def test_make_id_number_is_valid_for_any_date() -> None:
    assert make_id_number(dt.date(2000, 2, 29)).birth_date == dt.date(2000, 2, 29)


class TestCalendar:
    @pytest.mark.parametrize(
        "day, start, end",
        [
            (dt.date(2024, 2, 15), dt.date(2024, 2, 1), dt.date(2024, 2, 15)),
            (dt.date(2024, 2, 16), dt.date(2024, 2, 16), dt.date(2024, 2, 29)),
            (dt.date(2023, 2, 28), dt.date(2023, 2, 16), dt.date(2023, 2, 28)),
            (dt.date(2024, 12, 31), dt.date(2024, 12, 16), dt.date(2024, 12, 31)),
        ],
    )
    def test_half_month(self, day: dt.date, start: dt.date, end: dt.date) -> None:
        p = half_month(day)
        assert (p.start, p.end) == (start, end)

    def test_half_months_cover_a_year_without_gaps(self) -> None:
        ps = list(half_months(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
        assert len(ps) == 24
        for a, b in itertools.pairwise(ps):
            assert b.start == a.end + dt.timedelta(days=1)

    @pytest.mark.parametrize(
        "day, start, end",
        [
            (dt.date(2024, 8, 31), dt.date(2024, 2, 1), dt.date(2024, 8, 31)),
            (dt.date(2024, 9, 1), dt.date(2024, 9, 1), dt.date(2025, 1, 31)),
            (dt.date(2025, 1, 31), dt.date(2024, 9, 1), dt.date(2025, 1, 31)),
            (dt.date(2025, 2, 1), dt.date(2025, 2, 1), dt.date(2025, 8, 31)),
        ],
    )
    def test_semester_edges(self, day: dt.date, start: dt.date, end: dt.date) -> None:
        p = semester(day)
        assert (p.start, p.end) == (start, end)

    def test_week_and_quarter(self) -> None:
        assert week(dt.date(2024, 11, 20)).start == dt.date(2024, 11, 18)
        assert quarter(dt.date(2024, 11, 20)).start == dt.date(2024, 10, 1)
        assert quarter(dt.date(2024, 3, 31)).end == dt.date(2024, 3, 31)


def test_guards_whose_masked_numbers_coincide_are_distinct() -> None:
    # Same first four and last four characters (so the same masked form), other numbers.
    a = make_id_number(dt.date(1980, 1, 1), seq=5)
    b = next(
        n
        for n in (
            make_id_number(dt.date(1980, 1, 1) + dt.timedelta(days=d), seq=5) for d in range(1, 400)
        )
        if n.masked == a.masked
    )
    assert a != b
    school = make_school(guards=[make_guard(id_number=a), make_guard(id_number=b)])
    assert len(school.guards) == 2


def test_duplicate_guard_message_masks_the_number() -> None:
    g = make_guard(on=ON)
    with pytest.raises(InvalidValue) as exc:
        make_school(guards=[g, g])
    assert g.id_number.value not in str(exc.value)
    assert g.id_number.masked in exc.value.message.en
