"""Boundary tests of 沧教〔2019〕79号's rules, written as an outside plugin author would."""

from __future__ import annotations

import datetime as dt

import pytest
from campus_security_cangzhou import STANDARD, campus_security_standards
from campus_security_cangzhou.rules import (
    EIGHT_KINDS,
    guard_age,
    guard_certified,
    guard_licensed_company,
    guard_staffing,
    minimum_full_time_guards,
    protective_equipment,
)
from hypothesis import given
from hypothesis import strategies as st

from campus_security.model import Equipment, EquipmentKind, HireSource, SchoolKind
from campus_security.testing import (
    assert_status,
    birth_date_for_age,
    check_rule,
    evaluate_standard,
    make_company,
    make_guard,
    make_school,
)

ON = dt.date(2024, 11, 20)
CANGZHOU = "130902"


def school(**kw):
    kw.setdefault("region_code", CANGZHOU)
    return make_school(**kw)


def guards(n: int, **kw):
    return [make_guard(on=ON, **kw) for _ in range(n)]


class TestStaffingBands:
    @pytest.mark.parametrize(
        "kind, enrollment, need",
        [
            (SchoolKind.PRIMARY, 0, 2),
            (SchoolKind.PRIMARY, 999, 2),
            (SchoolKind.PRIMARY, 1000, 4),  # shared end point: the higher band's minimum
            (SchoolKind.SECONDARY, 2999, 4),
            (SchoolKind.SECONDARY, 3000, 6),  # shared end point: the higher band's minimum
            (SchoolKind.COMBINED, 5000, 6),
            (SchoolKind.VOCATIONAL, 1500, 4),
            (SchoolKind.KINDERGARTEN, 299, 2),
            (SchoolKind.KINDERGARTEN, 300, 4),
            (SchoolKind.KINDERGARTEN, 999, 4),
            (SchoolKind.KINDERGARTEN, 1000, 6),
        ],
    )
    def test_band_edges(self, kind: SchoolKind, enrollment: int, need: int) -> None:
        assert minimum_full_time_guards(kind, enrollment)[0] == need
        enough = school(kind=kind, enrollment=enrollment, guards=guards(need))
        short = school(kind=kind, enrollment=enrollment, guards=guards(need - 1))
        assert_status(check_rule(guard_staffing, enough, ON), "pass")
        f = check_rule(guard_staffing, short, ON)
        assert_status(f, "fail")
        assert f.evidence["required"] == need and f.evidence["full_time_guards"] == need - 1

    def test_part_time_guards_do_not_count(self) -> None:
        s = school(enrollment=500, guards=guards(1) + guards(3, full_time=False))
        assert_status(check_rule(guard_staffing, s, ON), "fail")

    def test_more_than_six_in_band_two_is_fine(self) -> None:
        s = school(enrollment=2000, guards=guards(7))
        assert_status(check_rule(guard_staffing, s, ON), "pass")

    @given(st.sampled_from(SchoolKind), st.integers(0, 10_000), st.integers(0, 10_000))
    def test_bigger_schools_never_need_fewer_guards(self, kind, a, b) -> None:
        lo, hi = sorted((a, b))
        assert minimum_full_time_guards(kind, lo)[0] <= minimum_full_time_guards(kind, hi)[0]

    @given(st.integers(0, 10_000))
    def test_kindergartens_need_at_least_as_many_as_schools_of_the_same_size(self, n) -> None:
        assert (
            minimum_full_time_guards(SchoolKind.KINDERGARTEN, n)[0]
            >= minimum_full_time_guards(SchoolKind.PRIMARY, n)[0]
        )


class TestAge:
    @pytest.mark.parametrize(
        "age, status", [(17, "fail"), (18, "pass"), (50, "pass"), (51, "fail")]
    )
    def test_age_limits_on_the_evaluation_date(self, age: int, status: str) -> None:
        s = school(guards=[make_guard(age=age, on=ON)])
        assert_status(check_rule(guard_age, s, ON), status)

    def test_the_day_before_the_51st_birthday_passes(self) -> None:
        birth = birth_date_for_age(51, ON)
        s = school(guards=[make_guard(birth=birth)])
        assert_status(check_rule(guard_age, s, ON - dt.timedelta(days=1)), "pass")
        assert_status(check_rule(guard_age, s, ON), "fail")

    def test_part_time_guards_are_not_judged(self) -> None:
        s = school(guards=[make_guard(age=60, on=ON, full_time=False)])
        assert_status(check_rule(guard_age, s, ON), "pass")

    @given(st.integers(10, 80))
    def test_only_18_to_50_pass(self, age: int) -> None:
        s = school(guards=[make_guard(age=age, on=ON)])
        expected = "pass" if 18 <= age <= 50 else "fail"
        assert_status(check_rule(guard_age, s, ON), expected)

    def test_failure_names_the_guard_and_masks_nothing_personal(self) -> None:
        g = make_guard(age=55, on=ON, name="王五")
        f = check_rule(guard_age, school(guards=[g]), ON)
        assert "王五" in f.message.zh and "55" in f.message.en
        assert g.id_number.value not in f.message.zh + f.message.en


class TestCertificateAndCompany:
    def test_uncertified_full_time_guard_fails(self) -> None:
        s = school(guards=[*guards(1), make_guard(on=ON, certificate_number=None, name="赵六")])
        f = check_rule(guard_certified, s, ON)
        assert_status(f, "fail")
        assert f.evidence["uncertified"] == ["赵六"]
        assert_status(check_rule(guard_certified, school(guards=guards(2)), ON), "pass")

    @pytest.mark.parametrize(
        "guard_kw, companies, status",
        [
            ({}, [make_company()], "pass"),
            ({}, [make_company(permit_number=None)], "fail"),
            ({"hire_source": HireSource.SELF_HIRED, "company_id": None}, [make_company()], "fail"),
            ({"hire_source": HireSource.PROPERTY}, [make_company()], "fail"),
            ({"company_id": None}, [make_company()], "fail"),
        ],
    )
    def test_licensed_company(self, guard_kw, companies, status) -> None:
        s = school(guards=[make_guard(on=ON, **guard_kw)])
        assert_status(check_rule(guard_licensed_company, s, ON, companies), status)


class TestEquipment:
    def full(self, **override: bool):
        return [Equipment(k, 2, override.get(k.value, True)) for k in EIGHT_KINDS]

    def test_all_eight_national_standard_pass(self) -> None:
        assert_status(check_rule(protective_equipment, school(equipment=self.full()), ON), "pass")

    @pytest.mark.parametrize("kind", list(EquipmentKind))
    def test_each_missing_kind_fails(self, kind: EquipmentKind) -> None:
        eq = [e for e in self.full() if e.kind is not kind]
        f = check_rule(protective_equipment, school(equipment=eq), ON)
        assert_status(f, "fail")
        assert f.evidence["missing"] == [kind.value]
        assert kind.zh in f.message.zh

    def test_non_national_standard_does_not_count(self) -> None:
        f = check_rule(protective_equipment, school(equipment=self.full(riot_helmet=False)), ON)
        assert_status(f, "fail")
        assert f.evidence["non_standard"] == ["riot_helmet"]

    def test_zero_quantity_does_not_count(self) -> None:
        eq = [*self.full()[:-1], Equipment(EIGHT_KINDS[-1], 0, True)]
        assert_status(check_rule(protective_equipment, school(equipment=eq), ON), "fail")


class TestStandard:
    def test_hook_provides_the_standard(self) -> None:
        assert list(campus_security_standards()) == [STANDARD]

    def test_every_rule_cites_the_document(self) -> None:
        for r in STANDARD.rules:
            assert r.citation.document == "沧教〔2019〕79号"
            assert r.citation.clause
            assert r.title.zh and r.title.en and r.passes and r.fails

    @pytest.mark.parametrize(
        "region, covered",
        [("130902", True), ("130921", True), ("131002", False), ("320102", False)],
    )
    def test_jurisdiction(self, region: str, covered: bool) -> None:
        findings = evaluate_standard(STANDARD, make_school(region_code=region), ON)
        assert bool(findings) is covered

    def test_in_force_from_issue_date(self) -> None:
        s = school()
        assert not evaluate_standard(STANDARD, s, dt.date(2019, 5, 12))
        assert evaluate_standard(STANDARD, s, dt.date(2019, 5, 13))
