"""Boundary tests of the rules and targets of 苏公通〔2019〕635号 (Jiangsu)."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path

import pytest
from campus_security_jiangsu import STANDARD, TARGETS, campus_security_standards
from campus_security_jiangsu import rules as R
from hypothesis import given, settings
from hypothesis import strategies as st

import campus_security as cs
from campus_security.engine import Evaluator, RateStatus, Status
from campus_security.model import (
    BackgroundCheck,
    BackgroundFlag,
    Cadence,
    Device,
    DeviceKind,
    DeviceStatus,
    Drill,
    DrillKind,
    Equipment,
    EquipmentKind,
    Facilities,
    Hazard,
    Inspection,
    InspectorLevel,
    Locality,
    Ownership,
    Placement,
    PolicePatrol,
    RectificationNotice,
    Routines,
    SchoolKind,
)
from campus_security.report import finding_document
from campus_security.sdk import CLOCK_TOLERANCE
from campus_security.testing import (
    assert_status,
    check_rule,
    evaluate_standard,
    make_company,
    make_guard,
    make_school,
    standard_for,
)

HERE = Path(__file__).parent
ON = dt.date(2024, 11, 20)
JS = "320102"
D = dt.date
DAY = dt.timedelta(days=1)
FEW = settings(max_examples=25, deadline=None)


def school(**kw):
    kw.setdefault("region_code", JS)
    return make_school(**kw)


def guard(**kw):
    kw.setdefault("on", ON)
    return make_guard(**kw)


def status(rule, s, on=ON):
    return check_rule(rule, s, on).status.value


def with_devices(rule, s, on, device_status):
    """Run one rule as the engine does, with probed device statuses."""
    ev = Evaluator(
        [standard_for(rule, jurisdiction=(JS,))],
        on,
        companies=[make_company()],
        device_status=device_status,
    )
    (finding,) = ev.school(s).findings
    return finding


def dev(id_, kind, placement=None, linked=True):
    return Device(id=id_, kind=kind, linked_to_police=linked, placement=placement)


# --- the standard --------------------------------------------------------------------------

EXPECTED_RULES = {
    # id: (clause, binding_from)
    "jiangsu.guard-staffing": ("三（一）2", D(2019, 12, 31)),
    "jiangsu.guard-staffing-private-kindergarten": ("三（一）2", D(2020, 12, 31)),
    "jiangsu.guard-certificate": ("三（一）2", None),
    "jiangsu.guard-background-check": ("三（一）2", None),
    "jiangsu.guard-first-hire-age": ("三（一）2", D(2022, 12, 31)),
    "jiangsu.guard-equipment": ("三（一）2", D(2022, 12, 31)),
    "jiangsu.perimeter": ("三（一）3", D(2022, 12, 31)),
    "jiangsu.gatehouse": ("三（一）3", D(2019, 12, 31)),
    "jiangsu.closed-management": ("三（一）3", D(2019, 12, 31)),
    "jiangsu.anti-ramming-priority": ("三（一）3", D(2019, 12, 31)),
    "jiangsu.anti-ramming-other": ("三（一）3", D(2022, 12, 31)),
    "jiangsu.one-key-alarm": ("三（一）4", D(2019, 12, 31)),
    "jiangsu.video-surveillance": ("三（一）4", D(2019, 12, 31)),
    "jiangsu.police-link": ("三（一）4", D(2019, 12, 31)),
    "jiangsu.police-camera": ("三（一）4", D(2019, 12, 31)),
    "jiangsu.security-systems": ("三（一）4", D(2022, 12, 31)),
    "jiangsu.gate-duty": ("附件 八项措施 五", None),
    "jiangsu.staff-gate-duty": ("三（一）5", None),
    "jiangsu.visitor-vehicle-registration": ("三（一）5", None),
    "jiangsu.pass-system": ("三（一）5", None),
    "jiangsu.pickup-check": ("三（一）5", None),
    "jiangsu.campus-patrol": ("三（一）5", None),
    "jiangsu.monthly-self-check": ("三（一）5", None),
    "jiangsu.hazard-rectification": ("三（一）5", None),
    "jiangsu.rectification-notice": ("附件 八项措施 八", None),
    "jiangsu.school-bus-safety": ("三（一）5", None),
    "jiangsu.guard-post": ("三（二）1", D(2019, 12, 31)),
    "jiangsu.police-patrol": ("附件 八项措施 六", None),
    "jiangsu.police-room": ("附件 八项措施 七", D(2022, 12, 31)),
    "jiangsu.legal-vice-principal": ("附件 八项措施 七", None),
    "jiangsu.village-joint-defence": ("三（二）1", None),
    "jiangsu.emergency-plan": ("三（三）1", None),
    "jiangsu.emergency-drill": ("三（三）2", None),
}

EXPECTED_TARGETS = {
    # id: (clause, rule id, due)
    "jiangsu.guard-staffing-2019": ("三（一）2", "jiangsu.guard-staffing", D(2019, 12, 31)),
    "jiangsu.guard-staffing-private-kindergarten-2020": (
        "三（一）2",
        "jiangsu.guard-staffing-private-kindergarten",
        D(2020, 12, 31),
    ),
    "jiangsu.closed-management-2019": ("三（一）3", "jiangsu.closed-management", D(2019, 12, 31)),
    "jiangsu.anti-ramming-2019": ("三（一）3", "jiangsu.anti-ramming-priority", D(2019, 12, 31)),
    "jiangsu.anti-ramming-2022": ("三（一）3", "jiangsu.anti-ramming-other", D(2022, 12, 31)),
    "jiangsu.one-key-alarm-2019": ("三（一）4", "jiangsu.one-key-alarm", D(2019, 12, 31)),
    "jiangsu.video-surveillance-2019": (
        "三（一）4",
        "jiangsu.video-surveillance",
        D(2019, 12, 31),
    ),
    "jiangsu.police-link-2019": ("三（一）4", "jiangsu.police-link", D(2019, 12, 31)),
    "jiangsu.police-camera-2019": ("三（一）4", "jiangsu.police-camera", D(2019, 12, 31)),
    "jiangsu.guard-post-2019": ("三（二）1", "jiangsu.guard-post", D(2019, 12, 31)),
    "jiangsu.guard-equipment-2022": ("四(二)", "jiangsu.guard-equipment", D(2022, 12, 31)),
    "jiangsu.perimeter-2022": ("四(二)", "jiangsu.perimeter", D(2022, 12, 31)),
    "jiangsu.gatehouse-2022": ("四(二)", "jiangsu.gatehouse", D(2022, 12, 31)),
    "jiangsu.security-systems-2022": ("四(二)", "jiangsu.security-systems", D(2022, 12, 31)),
    "jiangsu.police-room-2022": ("四(二)", "jiangsu.police-room", D(2022, 12, 31)),
}


class TestStandard:
    def test_hook_provides_the_standard(self) -> None:
        assert list(campus_security_standards()) == [STANDARD]

    def test_metadata(self) -> None:
        assert STANDARD.id == "jiangsu"
        assert STANDARD.document == "苏公通〔2019〕635号"  # U+3014/U+3015 brackets
        assert "\u3014" in STANDARD.document and "\u3015" in STANDARD.document
        assert [j.value for j in STANDARD.jurisdiction] == ["320000"]
        assert STANDARD.in_force_from == D(2019, 12, 3)
        assert STANDARD.in_force_until is None
        assert STANDARD.issued_by.zh == "江苏省公安厅、江苏省教育厅"
        assert " " not in STANDARD.title.zh

    def test_rules_cite_the_clauses_and_bind_from_the_deadlines(self) -> None:
        got = {r.id: (r.citation.clause, r.binding_from) for r in STANDARD.rules}
        assert got == EXPECTED_RULES
        for r in STANDARD.rules:
            assert r.citation.document == "苏公通〔2019〕635号"
            assert r.title.zh and r.title.en and r.passes and r.fails
            assert r.passes.zh and r.passes.en and r.fails.zh and r.fails.en

    def test_targets(self) -> None:
        got = {t.id: (t.citation.clause, t.rule_id, t.due) for t in STANDARD.targets}
        assert got == EXPECTED_TARGETS
        assert all(t.threshold == 1.0 for t in TARGETS)
        assert all(t.title.zh and t.title.en for t in TARGETS)

    def test_device_rules_declare_their_kinds(self) -> None:
        devices = {r.id: set(r.devices) for r in STANDARD.rules if r.devices}
        assert devices == {
            "jiangsu.one-key-alarm": {DeviceKind.ONE_KEY_ALARM},
            "jiangsu.video-surveillance": {DeviceKind.VIDEO_SURVEILLANCE},
            "jiangsu.police-link": {DeviceKind.ONE_KEY_ALARM, DeviceKind.VIDEO_SURVEILLANCE},
            "jiangsu.police-camera": {DeviceKind.POLICE_CAMERA},
            "jiangsu.security-systems": {
                DeviceKind.INTRUSION_ALARM,
                DeviceKind.ACCESS_CONTROL,
                DeviceKind.ELECTRONIC_PATROL,
            },
        }

    @pytest.mark.parametrize(
        "region, covered",
        [
            ("320102", True),
            ("321302", True),
            ("320000", True),
            ("310104", False),
            ("130902", False),
        ],
    )
    def test_jurisdiction(self, region: str, covered: bool) -> None:
        findings = evaluate_standard(STANDARD, make_school(region_code=region), ON)
        assert bool(findings) is covered

    def test_in_force_from_the_distribution_date(self) -> None:
        s = school()
        assert not evaluate_standard(STANDARD, s, D(2019, 12, 2))
        assert len(evaluate_standard(STANDARD, s, D(2019, 12, 3))) == len(STANDARD.rules)
        assert evaluate_standard(STANDARD, s, D(2035, 1, 1))  # no end date

    def test_no_rule_errors_on_an_empty_school(self) -> None:
        for on in (D(2019, 12, 3), D(2020, 1, 1), ON):
            findings = evaluate_standard(STANDARD, school(), on)
            assert not [f for f in findings.values() if f.status is Status.ERROR]


# --- 1-2 staffing --------------------------------------------------------------------------


class TestStaffing:
    def test_deadline_day(self) -> None:
        s = school()
        f = check_rule(R.guard_staffing, s, D(2019, 12, 30))
        assert_status(f, "not_applicable")
        assert "2019-12-31" in f.message.en and f.evidence["full_time"] == 0
        assert_status(check_rule(R.guard_staffing, s, D(2019, 12, 31)), "fail")

    def test_one_full_time_guard_passes(self) -> None:
        f = check_rule(R.guard_staffing, school(guards=[guard()]), ON)
        assert_status(f, "pass")
        assert f.evidence == {"full_time": 1, "part_time": 0, "not_yet_hired": 0}

    def test_part_time_only_fails(self) -> None:
        f = check_rule(R.guard_staffing, school(guards=[guard(full_time=False)]), ON)
        assert_status(f, "fail")
        assert f.evidence["part_time"] == 1 and f.evidence["full_time"] == 0

    def test_guard_hired_after_the_evaluation_date_does_not_count(self) -> None:
        s = school(guards=[guard(hired_on=ON + DAY)])
        f = check_rule(R.guard_staffing, s, ON)
        assert_status(f, "fail")
        assert f.evidence["not_yet_hired"] == 1
        assert_status(check_rule(R.guard_staffing, s, ON + DAY), "pass")

    @pytest.mark.parametrize(
        "kind, ownership, in_2019, in_2020",
        [
            (SchoolKind.PRIMARY, Ownership.PRIVATE, True, False),
            (SchoolKind.VOCATIONAL, Ownership.PRIVATE, True, False),
            (SchoolKind.COMBINED, Ownership.PUBLIC, True, False),
            (SchoolKind.KINDERGARTEN, Ownership.PUBLIC, True, False),
            (SchoolKind.KINDERGARTEN, Ownership.PRIVATE, False, True),
        ],
    )
    def test_populations(self, kind, ownership, in_2019, in_2020) -> None:
        s = school(kind=kind, ownership=ownership)
        assert (status(R.guard_staffing, s) == "fail") is in_2019
        assert (status(R.guard_staffing_private_kindergarten, s) == "fail") is in_2020

    def test_private_kindergarten_deadline_day(self) -> None:
        s = school(kind=SchoolKind.KINDERGARTEN, ownership=Ownership.PRIVATE)
        assert status(R.guard_staffing_private_kindergarten, s, D(2020, 12, 30)) == (
            "not_applicable"
        )
        assert status(R.guard_staffing_private_kindergarten, s, D(2020, 12, 31)) == "fail"
        s2 = school(kind=SchoolKind.KINDERGARTEN, ownership=Ownership.PRIVATE, guards=[guard()])
        assert status(R.guard_staffing_private_kindergarten, s2, D(2020, 12, 31)) == "pass"


# --- 3-4 certificate and background --------------------------------------------------------


class TestCertificate:
    def test_no_full_time_guard_is_not_applicable(self) -> None:
        assert status(R.guard_certificate, school()) == "not_applicable"
        s = school(guards=[guard(full_time=False, certificate_number=None)])
        assert status(R.guard_certificate, s) == "not_applicable"

    @pytest.mark.parametrize("number", [None, ""])
    def test_uncertified_full_time_guard_fails(self, number) -> None:
        g = guard(certificate_number=number, name="赵六")
        f = check_rule(R.guard_certificate, school(guards=[guard(), g]), ON)
        assert_status(f, "fail")
        assert [u["name"] for u in f.evidence["uncertified"]] == ["赵六"]
        assert "赵六" in f.message.zh and g.id_number.value not in f.message.zh + f.message.en

    def test_uncertified_part_time_guard_is_not_judged(self) -> None:
        s = school(guards=[guard(), guard(full_time=False, certificate_number=None)])
        assert status(R.guard_certificate, s) == "pass"

    def test_future_hire_is_not_judged(self) -> None:
        s = school(guards=[guard(certificate_number=None, hired_on=ON + DAY)])
        assert status(R.guard_certificate, s) == "not_applicable"
        assert status(R.guard_certificate, s, ON + DAY) == "fail"


class TestBackgroundCheck:
    def check(self, *checks, **kw):
        return guard(background_checks=checks, **kw)

    def test_no_guards_is_not_applicable(self) -> None:
        assert status(R.guard_background_check, school()) == "not_applicable"

    def test_never_checked_fails(self) -> None:
        f = check_rule(R.guard_background_check, school(guards=[self.check(name="甲")]), ON)
        assert_status(f, "fail")
        assert f.evidence["problems"][0]["reason"] == "never_checked"

    def test_check_dated_tomorrow_is_ignored_today(self) -> None:
        s = school(guards=[self.check(BackgroundCheck(ON + DAY))])
        assert status(R.guard_background_check, s) == "fail"
        assert status(R.guard_background_check, s, ON + DAY) == "pass"
        assert status(
            R.guard_background_check, school(guards=[self.check(BackgroundCheck(ON))])
        ) == ("pass")

    def test_flagged_then_clear_passes(self) -> None:
        g = self.check(
            BackgroundCheck(D(2023, 1, 1), {BackgroundFlag.LAWSUIT}), BackgroundCheck(D(2024, 1, 1))
        )
        assert status(R.guard_background_check, school(guards=[g])) == "pass"

    def test_clear_then_flagged_fails_and_names_the_flag(self) -> None:
        g = self.check(
            BackgroundCheck(D(2023, 1, 1)),
            BackgroundCheck(D(2024, 1, 1), {BackgroundFlag.DRUGS}),
            name="乙",
        )
        f = check_rule(R.guard_background_check, school(guards=[g]), ON)
        assert_status(f, "fail")
        assert f.evidence["problems"][0]["flags"] == ["drugs"]
        assert "涉毒" in f.message.zh and "drugs" in f.message.en

    def test_same_day_clear_and_flagged_fails(self) -> None:
        g = self.check(
            BackgroundCheck(D(2024, 1, 1)),
            BackgroundCheck(D(2024, 1, 1), {BackgroundFlag.MENTAL_ILLNESS}),
        )
        assert status(R.guard_background_check, school(guards=[g])) == "fail"

    def test_part_time_guard_is_judged(self) -> None:
        ok = self.check(BackgroundCheck(D(2024, 1, 1)))
        s = school(guards=[ok, self.check(full_time=False)])
        assert status(R.guard_background_check, s) == "fail"


# --- 5 first-hire age ----------------------------------------------------------------------


class TestFirstHireAge:
    @pytest.mark.parametrize(
        "birth, hired_on, expected, age",
        [
            (D(1973, 1, 15), D(2023, 1, 14), "pass", 49),
            (D(1973, 1, 15), D(2023, 1, 15), "pass", 50),
            (D(1973, 1, 15), D(2024, 1, 14), "pass", 50),
            (D(1973, 1, 15), D(2024, 1, 15), "fail", 51),
            (D(1972, 2, 29), D(2023, 2, 28), "pass", 50),
            (D(1972, 2, 29), D(2023, 3, 1), "fail", 51),
        ],
    )
    def test_age_on_the_hire_date(self, birth, hired_on, expected, age) -> None:
        s = school(guards=[make_guard(birth=birth, hired_on=hired_on)])
        f = check_rule(R.guard_first_hire_age, s, ON)
        assert_status(f, expected)
        assert f.evidence["judged"][0]["age_at_hire"] == age

    def test_hires_before_the_deadline_day_are_never_judged(self) -> None:
        born = D(1966, 6, 1)  # 56 on both hire dates
        before = school(guards=[make_guard(birth=born, hired_on=D(2022, 12, 30))])
        on_day = school(guards=[make_guard(birth=born, hired_on=D(2022, 12, 31))])
        assert status(R.guard_first_hire_age, before) == "not_applicable"
        assert status(R.guard_first_hire_age, on_day) == "fail"
        assert status(R.guard_first_hire_age, on_day, D(2022, 12, 31)) == "fail"

    def test_age_at_hire_counts_not_age_now(self) -> None:
        g = make_guard(birth=D(1964, 1, 1), hired_on=D(2013, 1, 1))  # 49 at hire, 60 now
        assert status(R.guard_first_hire_age, school(guards=[g])) == "not_applicable"
        g = make_guard(birth=D(1974, 6, 1), hired_on=D(2023, 6, 1))  # 49 at hire
        assert status(R.guard_first_hire_age, school(guards=[g]), D(2035, 1, 1)) == "pass"

    def test_undated_guard_over_50_fails_and_asks_for_the_date(self) -> None:
        s = school(guards=[guard(age=51, hired_on=None)])
        f = check_rule(R.guard_first_hire_age, s, ON)
        assert_status(f, "fail")
        assert "hire date missing" in f.message.en and "聘用日期未录入" in f.message.zh
        old = school(guards=[guard(age=60, hired_on=None)])
        assert status(R.guard_first_hire_age, old, D(2022, 12, 30)) == "not_applicable"
        assert status(R.guard_first_hire_age, old, D(2022, 12, 31)) == "fail"

    def test_undated_guard_of_50_passes(self) -> None:
        assert status(R.guard_first_hire_age, school(guards=[guard(age=50, hired_on=None)])) == (
            "pass"
        )

    def test_part_time_guard_is_ignored(self) -> None:
        g = make_guard(birth=D(1963, 1, 1), hired_on=D(2023, 3, 1), full_time=False)
        assert status(R.guard_first_hire_age, school(guards=[g])) == "not_applicable"

    def test_future_hire_is_ignored(self) -> None:
        g = make_guard(birth=D(1960, 1, 1), hired_on=ON + DAY)
        assert status(R.guard_first_hire_age, school(guards=[g])) == "not_applicable"

    def test_evidence_holds_no_birth_date_and_reports_mask_the_id(self) -> None:
        g = make_guard(birth=D(1960, 3, 7), hired_on=D(2023, 3, 1), name="周七")
        f = check_rule(R.guard_first_hire_age, school(guards=[g]), ON)
        doc = finding_document(f)
        text = str(doc)
        assert g.id_number.value not in text and g.id_number.masked in text
        assert "1960-03-07" not in text
        assert g.id_number.value not in f.message.zh + f.message.en
        assert "周七" in f.message.zh

    @FEW
    @given(st.integers(30, 70), st.dates(D(2022, 12, 31), D(2030, 12, 31)))
    def test_only_50_or_younger_at_hire_passes(self, age, hired_on) -> None:
        birth = hired_on.replace(year=hired_on.year - age, day=min(hired_on.day, 28))
        g = make_guard(birth=birth, hired_on=hired_on)
        f = check_rule(R.guard_first_hire_age, school(guards=[g]), D(2031, 1, 1))
        at_hire = g.age_on(hired_on)
        assert_status(f, "pass" if at_hire <= 50 else "fail")


# --- 6-11 equipment and physical defence ---------------------------------------------------


class TestEquipment:
    def test_zero_quantity_fails_and_one_item_passes(self) -> None:
        zero = school(equipment=[Equipment(kind=EquipmentKind.RUBBER_BATON, quantity=0)])
        one = school(equipment=[Equipment(kind=EquipmentKind.FLASHLIGHT, quantity=1)])
        assert status(R.guard_equipment, zero) == "fail"
        f = check_rule(R.guard_equipment, one, ON)
        assert_status(f, "pass")
        assert f.evidence["kinds"] == "flashlight"

    def test_deadline_day(self) -> None:
        assert status(R.guard_equipment, school(), D(2022, 12, 30)) == "not_applicable"
        assert status(R.guard_equipment, school(), D(2022, 12, 31)) == "fail"


@pytest.mark.parametrize(
    "rule, field, deadline",
    [
        (R.perimeter, "perimeter", D(2022, 12, 31)),
        (R.gatehouse, "gatehouse", D(2019, 12, 31)),
        (R.closed_management, "closed_management", D(2019, 12, 31)),
    ],
)
def test_facility_deadlines(rule, field, deadline) -> None:
    missing = school()
    assert status(rule, missing, deadline - DAY) == "not_applicable"
    f = check_rule(rule, missing, deadline)
    assert_status(f, "fail")
    assert f.evidence == {field: False}
    assert status(rule, school(facilities=Facilities(**{field: True})), deadline - DAY) == "pass"


class TestAntiRamming:
    @pytest.mark.parametrize(
        "locality, complex_area, vehicle_access, which",
        [
            (Locality.URBAN, False, True, "priority"),
            (Locality.TOWN, False, True, "priority"),
            (Locality.RURAL, True, True, "priority"),
            (Locality.RURAL, False, True, "other"),
            (Locality.URBAN, False, False, None),
            (Locality.RURAL, True, False, None),
            (Locality.RURAL, False, False, None),
        ],
    )
    def test_groups(self, locality, complex_area, vehicle_access, which) -> None:
        s = school(locality=locality, complex_area=complex_area, vehicle_access=vehicle_access)
        on = D(2022, 12, 31)
        prio, other = status(R.anti_ramming_priority, s, on), status(R.anti_ramming_other, s, on)
        assert prio == ("fail" if which == "priority" else "not_applicable")
        assert other == ("fail" if which == "other" else "not_applicable")

    def test_priority_deadline_day(self) -> None:
        s = school(locality=Locality.RURAL, complex_area=True)
        assert status(R.anti_ramming_priority, s, D(2019, 12, 30)) == "not_applicable"
        assert status(R.anti_ramming_priority, s, D(2019, 12, 31)) == "fail"

    def test_other_rural_deadline_day(self) -> None:
        s = school(locality=Locality.RURAL)
        assert status(R.anti_ramming_other, s, D(2022, 12, 30)) == "not_applicable"
        assert status(R.anti_ramming_other, s, D(2022, 12, 31)) == "fail"
        ok = school(locality=Locality.RURAL, facilities=Facilities(anti_ramming=True))
        assert status(R.anti_ramming_other, ok, D(2022, 12, 31)) == "pass"

    @FEW
    @given(st.sampled_from(Locality), st.booleans(), st.booleans())
    def test_groups_never_overlap_and_cover_every_reachable_gate(self, loc, cplx, access) -> None:
        s = school(locality=loc, complex_area=cplx, vehicle_access=access)
        applies = [R.anti_ramming_priority.applies(s), R.anti_ramming_other.applies(s)]
        assert sum(applies) == (1 if access else 0)


# --- 12-16 technical defence ---------------------------------------------------------------

ALARM = DeviceKind.ONE_KEY_ALARM
VIDEO = DeviceKind.VIDEO_SURVEILLANCE
DOWN = DeviceStatus(device_id="a1", reachable=False, probed_at=dt.datetime(2024, 11, 20, 8, 0))


class TestOneKeyAlarm:
    @pytest.mark.parametrize(
        "placement, expected",
        [(Placement.GATEHOUSE, "pass"), (Placement.GATE, "fail"), (None, "fail")],
    )
    def test_placement(self, placement, expected) -> None:
        s = school(devices=[dev("a1", ALARM, placement)])
        f = check_rule(R.one_key_alarm, s, ON)
        assert_status(f, expected)
        if expected == "fail":
            assert f.evidence["not_in_gatehouse"] == ["a1"]

    def test_unreachable_alarm_does_not_count(self) -> None:
        s = school(devices=[dev("a1", ALARM, Placement.GATEHOUSE)])
        f = with_devices(R.one_key_alarm, s, ON, {"a1": DOWN})
        assert_status(f, "fail")
        assert f.evidence["probe"]["unreachable"] == ["a1"] and "a1" in f.message.en
        up = DeviceStatus(device_id="a1", reachable=True, probed_at=DOWN.probed_at)
        assert_status(with_devices(R.one_key_alarm, s, ON, {"a1": up}), "pass")
        assert_status(with_devices(R.one_key_alarm, s, ON, {}), "pass")

    def test_deadline_day(self) -> None:
        assert status(R.one_key_alarm, school(), D(2019, 12, 30)) == "not_applicable"
        assert status(R.one_key_alarm, school(), D(2019, 12, 31)) == "fail"


ALL_VIDEO = [
    dev("v-gate", VIDEO, Placement.GATE),
    dev("v-key", VIDEO, Placement.KEY_AREA),
    dev("v-crowd", VIDEO, Placement.CROWD_AREA),
]


class TestVideo:
    def test_gate_key_and_crowd_areas_pass(self) -> None:
        assert status(R.video_surveillance, school(devices=ALL_VIDEO)) == "pass"

    @pytest.mark.parametrize("missing", ["gate", "key_area", "crowd_area"])
    def test_each_placement_is_required(self, missing) -> None:
        devices = [d for d in ALL_VIDEO if d.placement.value != missing]
        devices.append(dev("v-other", VIDEO, Placement.OTHER))
        f = check_rule(R.video_surveillance, school(devices=devices), ON)
        assert_status(f, "fail")
        assert f.evidence["missing"] == [missing]

    def test_unreachable_camera_does_not_count(self) -> None:
        down = DeviceStatus(device_id="v-crowd", reachable=False, probed_at=DOWN.probed_at)
        f = with_devices(R.video_surveillance, school(devices=ALL_VIDEO), ON, {"v-crowd": down})
        assert_status(f, "fail")
        assert f.evidence["missing"] == ["crowd_area"]
        assert f.evidence["probe"]["unreachable"] == ["v-crowd"]

    def test_deadline_day(self) -> None:
        assert status(R.video_surveillance, school(), D(2019, 12, 30)) == "not_applicable"
        assert status(R.video_surveillance, school(), D(2019, 12, 31)) == "fail"


class TestPoliceLink:
    def test_all_linked_passes(self) -> None:
        s = school(devices=[dev("a", ALARM, Placement.GATEHOUSE), *ALL_VIDEO])
        assert status(R.police_link, s) == "pass"

    def test_one_of_two_key_area_cameras_unlinked_fails(self) -> None:
        s = school(
            devices=[
                dev("a", ALARM, Placement.GATEHOUSE),
                dev("k1", VIDEO, Placement.KEY_AREA),
                dev("k2", VIDEO, Placement.KEY_AREA, linked=False),
            ]
        )
        f = check_rule(R.police_link, s, ON)
        assert_status(f, "fail")
        assert f.evidence["unlinked"] == ["k2"] and "k2" in f.message.en

    def test_unlinked_camera_elsewhere_is_not_judged(self) -> None:
        s = school(
            devices=[
                dev("a", ALARM, Placement.GATEHOUSE),
                dev("k", VIDEO, Placement.KEY_AREA),
                dev("o", VIDEO, Placement.OTHER, linked=False),
            ]
        )
        assert status(R.police_link, s) == "pass"

    @pytest.mark.parametrize(
        "devices, why",
        [
            ([dev("k", VIDEO, Placement.KEY_AREA)], "missing"),
            ([dev("a", ALARM, Placement.GATEHOUSE)], "missing"),
            (
                [dev("a", ALARM, Placement.OTHER, linked=False), dev("k", VIDEO, Placement.GATE)],
                "unlinked",
            ),
            (
                [
                    dev("a", ALARM, Placement.GATEHOUSE),
                    dev("c", VIDEO, Placement.CROWD_AREA, linked=False),
                ],
                "unlinked",
            ),
        ],
    )
    def test_failures(self, devices, why) -> None:
        f = check_rule(R.police_link, school(devices=devices), ON)
        assert_status(f, "fail")
        assert f.evidence[why]

    def test_unreachable_alarm_does_not_count(self) -> None:
        s = school(devices=[dev("a1", ALARM, Placement.GATEHOUSE), dev("k", VIDEO, Placement.GATE)])
        f = with_devices(R.police_link, s, ON, {"a1": DOWN})
        assert_status(f, "fail")
        assert f.evidence["missing"] == ["one-key alarm"]
        assert f.evidence["probe"]["unreachable"] == ["a1"]


class TestPoliceCamera:
    @pytest.mark.parametrize(
        "placement, linked, expected",
        [
            (Placement.OUTSIDE_GATE, False, "pass"),
            (None, True, "pass"),
            (Placement.GATE, True, "fail"),
        ],
    )
    def test_placement(self, placement, linked, expected) -> None:
        s = school(devices=[dev("p", DeviceKind.POLICE_CAMERA, placement, linked)])
        assert status(R.police_camera, s) == expected

    def test_a_school_camera_outside_the_gate_is_not_a_police_camera(self) -> None:
        s = school(devices=[dev("v", VIDEO, Placement.OUTSIDE_GATE)])
        assert status(R.police_camera, s) == "fail"

    def test_unreachable(self) -> None:
        s = school(devices=[dev("p", DeviceKind.POLICE_CAMERA, Placement.OUTSIDE_GATE)])
        down = DeviceStatus(device_id="p", reachable=False, probed_at=DOWN.probed_at)
        assert_status(with_devices(R.police_camera, s, ON, {"p": down}), "fail")


def up(id_, clock_offset=None):
    """A device that answered the probe, its clock off by ``clock_offset`` seconds."""
    return DeviceStatus(
        device_id=id_, reachable=True, probed_at=DOWN.probed_at, clock_offset=clock_offset
    )


def down(id_):
    return DeviceStatus(device_id=id_, reachable=False, probed_at=DOWN.probed_at)


GATEHOUSE_ALARM = dev("a1", ALARM, Placement.GATEHOUSE)
OUTSIDE_CAMERA = dev("p", DeviceKind.POLICE_CAMERA, Placement.OUTSIDE_GATE)
LINKED_SCHOOL = [GATEHOUSE_ALARM, *ALL_VIDEO]

# (rule, devices, the probed device that decides): each rule counts that one device only.
PROBED_RULES = {
    "one-key-alarm": (R.one_key_alarm, [GATEHOUSE_ALARM], "a1"),
    "video-surveillance": (R.video_surveillance, ALL_VIDEO, "v-key"),
    "police-camera": (R.police_camera, [OUTSIDE_CAMERA], "p"),
    "police-link": (R.police_link, LINKED_SCHOOL, "v-gate"),
}


class TestProbedDevices:
    """Device status (``check --device-status``): unreachable or off-clock devices fail."""

    @pytest.mark.parametrize("name", list(PROBED_RULES))
    def test_reachable_passes(self, name) -> None:
        rule_, devices, probed = PROBED_RULES[name]
        f = with_devices(rule_, school(devices=devices), ON, {probed: up(probed, 0.4)})
        assert_status(f, "pass")
        assert f.evidence["probe"]["unreachable"] == [] and f.evidence["probe"]["clock_off"] == {}

    @pytest.mark.parametrize("name", list(PROBED_RULES))
    def test_unreachable_fails(self, name) -> None:
        rule_, devices, probed = PROBED_RULES[name]
        f = with_devices(rule_, school(devices=devices), ON, {probed: down(probed)})
        assert_status(f, "fail")
        assert f.evidence["probe"]["unreachable"] == [probed]
        assert f"探测不可达：{probed}" in f.message.zh
        assert f"probed unreachable: {probed}" in f.message.en

    @pytest.mark.parametrize("name", list(PROBED_RULES))
    @pytest.mark.parametrize(
        "offset, expected",
        [(10.0, "pass"), (-10.0, "pass"), (10.5, "fail"), (-10.5, "fail"), (3600.0, "fail")],
    )
    def test_clock_tolerance_boundary(self, name, offset, expected) -> None:
        rule_, devices, probed = PROBED_RULES[name]
        f = with_devices(rule_, school(devices=devices), ON, {probed: up(probed, offset)})
        assert_status(f, expected)
        assert f.evidence["probe"]["clock_tolerance_s"] == CLOCK_TOLERANCE == 10.0
        if expected == "fail":
            assert f.evidence["probe"]["clock_off"] == {probed: offset}
            assert "时钟偏差超过10秒" in f.message.zh
            assert "clock off by more than 10 s" in f.message.en

    @pytest.mark.parametrize("name", list(PROBED_RULES))
    def test_no_status_is_judged_as_declared(self, name) -> None:
        rule_, devices, probed = PROBED_RULES[name]
        other = {"unrelated": down("unrelated")}
        f = with_devices(rule_, school(devices=devices), ON, other)
        assert_status(f, "pass")
        assert probed in f.evidence["probe"]["unprobed"]
        assert_status(check_rule(rule_, school(devices=devices), ON), "pass")

    def test_an_off_clock_device_is_dropped_but_another_still_counts(self) -> None:
        s = school(devices=[GATEHOUSE_ALARM, dev("a2", ALARM, Placement.GATEHOUSE)])
        f = with_devices(R.one_key_alarm, s, ON, {"a1": up("a1", 11.0)})
        assert_status(f, "pass")
        assert f.evidence["devices"] == ["a2"] and f.evidence["probe"]["clock_off"] == {"a1": 11.0}

    def test_police_link_fails_on_any_failing_device_even_if_another_counts(self) -> None:
        s = school(devices=[*LINKED_SCHOOL, dev("a2", ALARM, Placement.GATEHOUSE)])
        f = with_devices(R.police_link, s, ON, {"a2": down("a2")})
        assert_status(f, "fail")
        assert f.evidence["missing"] == [] and f.evidence["unlinked"] == []
        assert f.evidence["alarms"] == ["a1"] and f.evidence["probe"]["unreachable"] == ["a2"]
        assert "a2" in f.message.zh and "a2" in f.message.en

    def test_police_link_ignores_a_failing_camera_elsewhere(self) -> None:
        s = school(devices=[*LINKED_SCHOOL, dev("o", VIDEO, Placement.OTHER)])
        f = with_devices(R.police_link, s, ON, {"o": down("o")})
        assert_status(f, "pass")
        assert f.evidence["probe"]["unreachable"] == []

    def test_an_alarm_elsewhere_is_not_in_the_alarm_rules_probe(self) -> None:
        s = school(devices=[GATEHOUSE_ALARM, dev("a-gate", ALARM, Placement.GATE)])
        f = with_devices(R.one_key_alarm, s, ON, {"a-gate": down("a-gate")})
        assert_status(f, "pass")
        assert f.evidence["probe"]["unreachable"] == []

    def test_security_systems_drop_failing_devices(self) -> None:
        kinds = (
            DeviceKind.INTRUSION_ALARM,
            DeviceKind.ACCESS_CONTROL,
            DeviceKind.ELECTRONIC_PATROL,
        )
        s = school(devices=[dev(k.value, k) for k in kinds])
        assert_status(with_devices(R.security_systems, s, ON, {}), "pass")
        f = with_devices(R.security_systems, s, ON, {"access_control": up("access_control", -30)})
        assert_status(f, "fail")
        assert f.evidence["missing"] == ["access_control"]
        assert f.evidence["probe"]["clock_off"] == {"access_control": -30}

    def test_the_rules_declare_the_device_kinds_they_read(self) -> None:
        assert R.one_key_alarm.devices == (ALARM,)
        assert R.video_surveillance.devices == (VIDEO,)
        assert R.police_camera.devices == (DeviceKind.POLICE_CAMERA,)
        assert set(R.police_link.devices) == {ALARM, VIDEO}


class TestSecuritySystems:
    ALL = (DeviceKind.INTRUSION_ALARM, DeviceKind.ACCESS_CONTROL, DeviceKind.ELECTRONIC_PATROL)

    def test_all_three_pass(self) -> None:
        s = school(devices=[dev(k.value, k) for k in self.ALL])
        assert status(R.security_systems, s) == "pass"

    @pytest.mark.parametrize("missing", ALL)
    def test_each_is_required(self, missing) -> None:
        s = school(devices=[dev(k.value, k) for k in self.ALL if k is not missing])
        f = check_rule(R.security_systems, s, ON)
        assert_status(f, "fail")
        assert f.evidence["missing"] == [missing.value] and missing.zh in f.message.zh

    def test_deadline_day(self) -> None:
        assert status(R.security_systems, school(), D(2022, 12, 30)) == "not_applicable"
        assert status(R.security_systems, school(), D(2022, 12, 31)) == "fail"


# --- routines (booleans) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, routines",
    [
        (R.gate_duty, {"gate_duty": True}),
        (R.staff_gate_duty, {"staff_gate_duty": True}),
        (
            R.visitor_vehicle_registration,
            {"visitor_registration": True, "vehicle_registration": True},
        ),
        (R.pass_system, {"pass_system": True}),
        (R.pickup_check, {"pickup_check": True}),
        (R.campus_patrol, {"key_area_patrol": True}),
        (R.emergency_plan, {"emergency_plan": True}),
    ],
)
def test_routines_bind_from_the_notice(rule, routines) -> None:
    assert status(rule, school(), D(2019, 12, 3)) == "fail"
    assert status(rule, school(routines=Routines(**routines)), D(2019, 12, 3)) == "pass"


@pytest.mark.parametrize("have", ["visitor_registration", "vehicle_registration"])
def test_registration_needs_both(have) -> None:
    f = check_rule(R.visitor_vehicle_registration, school(routines=Routines(**{have: True})), ON)
    assert_status(f, "fail")
    assert f.evidence[have] is True and len(f.message.en.split(",")) == 1


@pytest.mark.parametrize(
    "kind, expected",
    [
        (SchoolKind.PRIMARY, "fail"),
        (SchoolKind.KINDERGARTEN, "fail"),
        (SchoolKind.COMBINED, "fail"),
        (SchoolKind.SECONDARY, "not_applicable"),
        (SchoolKind.VOCATIONAL, "not_applicable"),
    ],
)
def test_pickup_check_population(kind, expected) -> None:
    assert status(R.pickup_check, school(kind=kind)) == expected


class TestSchoolBus:
    def test_only_schools_that_run_buses(self) -> None:
        assert status(R.school_bus_safety, school()) == "not_applicable"
        assert status(R.school_bus_safety, school(operates_school_bus=True)) == "fail"
        ok = school(operates_school_bus=True, routines=Routines(school_bus_management=True))
        assert status(R.school_bus_safety, ok) == "pass"


class TestLegalVicePrincipal:
    def test_flag(self) -> None:
        assert status(R.legal_vice_principal, school(), D(2019, 12, 3)) == "fail"
        assert status(R.legal_vice_principal, school(legal_vice_principal=True)) == "pass"


class TestVillageJointDefence:
    @pytest.mark.parametrize(
        "locality, central, expected",
        [
            (Locality.RURAL, False, "fail"),
            (Locality.RURAL, True, "fail"),
            (Locality.TOWN, False, "not_applicable"),
            (Locality.URBAN, False, "not_applicable"),
        ],
    )
    def test_population(self, locality, central, expected) -> None:
        s = school(locality=locality, township_central=central)
        assert status(R.village_joint_defence, s) == expected

    def test_pass(self) -> None:
        s = school(locality=Locality.RURAL, routines=Routines(village_joint_defence=True))
        assert status(R.village_joint_defence, s) == "pass"


# --- 22 monthly self-check -----------------------------------------------------------------


def insp(day, level=InspectorLevel.SCHOOL, cadence=Cadence.MONTHLY):
    return Inspection(inspected_on=day, level=level, cadence=cadence)


class TestMonthlySelfCheck:
    def test_december_2019_is_not_judged(self) -> None:
        assert status(R.monthly_self_check, school(), D(2019, 12, 31)) == "not_applicable"
        assert status(R.monthly_self_check, school(), D(2020, 1, 31)) == "not_applicable"

    def test_january_2020_is_judged_from_1_february(self) -> None:
        f = check_rule(R.monthly_self_check, school(), D(2020, 2, 1))
        assert_status(f, "fail")
        assert f.evidence["period"] == "2020-01" and "2020-01" in f.message.zh

    def test_last_day_of_the_month_counts_for_that_month(self) -> None:
        s = school(inspections=[insp(D(2020, 1, 31))])
        f = check_rule(R.monthly_self_check, s, D(2020, 2, 1))
        assert_status(f, "pass")
        assert f.evidence["period"] == "2020-01"

    def test_leap_day_counts_for_february(self) -> None:
        s = school(inspections=[insp(D(2020, 2, 29))])
        assert status(R.monthly_self_check, s, D(2020, 3, 1)) == "pass"
        assert status(R.monthly_self_check, s, D(2020, 4, 1)) == "fail"  # nothing in March

    def test_first_day_of_the_month_counts_for_it(self) -> None:
        s = school(inspections=[insp(D(2020, 3, 1))])
        assert status(R.monthly_self_check, s, D(2020, 3, 1)) == "pass"  # current month
        assert status(R.monthly_self_check, s, D(2020, 3, 31)) == "pass"
        assert status(R.monthly_self_check, s, D(2020, 4, 1)) == "pass"  # previous month
        assert status(R.monthly_self_check, s, D(2020, 2, 29)) == "fail"  # not yet held

    def test_current_month_is_not_failed_before_it_ends(self) -> None:
        s = school(inspections=[insp(D(2024, 10, 31))])
        assert status(R.monthly_self_check, s, D(2024, 11, 30)) == "pass"
        assert status(R.monthly_self_check, s, D(2024, 12, 1)) == "fail"

    @pytest.mark.parametrize(
        "record, expected",
        [
            (insp(D(2024, 10, 10), cadence=None), "pass"),
            (insp(D(2024, 10, 10), cadence=Cadence.WEEKLY), "fail"),
            (insp(D(2024, 10, 10), cadence=Cadence.DAILY), "fail"),
            (insp(D(2024, 10, 10), cadence=Cadence.QUARTERLY), "fail"),
            (insp(D(2024, 10, 10), InspectorLevel.POLICE_STATION, None), "fail"),
            (insp(D(2024, 10, 10), InspectorLevel.COUNTY, Cadence.MONTHLY), "fail"),
        ],
    )
    def test_which_records_count(self, record, expected) -> None:
        assert (
            status(R.monthly_self_check, school(inspections=[record]), D(2024, 11, 1)) == expected
        )

    def test_record_after_the_evaluation_date_is_ignored(self) -> None:
        s = school(inspections=[insp(D(2024, 11, 21))])
        assert status(R.monthly_self_check, s, D(2024, 11, 20)) == "fail"


# --- 23-24 hazards and notices -------------------------------------------------------------


class TestRectification:
    def test_hazard_deadline(self) -> None:
        h = Hazard(id="h1", found_on=D(2024, 10, 1), rectify_by=D(2024, 10, 31))
        s = school(hazards=[h])
        assert status(R.hazard_rectification, s, D(2024, 10, 31)) == "pass"
        f = check_rule(R.hazard_rectification, s, D(2024, 11, 1))
        assert_status(f, "fail")
        assert f.evidence["overdue"][0]["id"] == "h1" and "h1" in f.message.en

    def test_hazard_rectified_late(self) -> None:
        h = Hazard(
            id="h1",
            found_on=D(2024, 10, 1),
            rectify_by=D(2024, 10, 31),
            rectified_on=D(2024, 11, 5),
        )
        s = school(hazards=[h])
        assert status(R.hazard_rectification, s, D(2024, 11, 4)) == "fail"
        assert status(R.hazard_rectification, s, D(2024, 11, 5)) == "pass"

    def test_hazard_without_deadline_is_never_overdue(self) -> None:
        s = school(hazards=[Hazard(id="h1", found_on=D(2020, 1, 1))])
        assert status(R.hazard_rectification, s, D(2030, 1, 1)) == "pass"

    def test_notice_deadline(self) -> None:
        s = school(
            hazards=[Hazard(id="h1", found_on=D(2024, 10, 1))],
            rectification_notices=[
                RectificationNotice(
                    id="n1",
                    issued_on=D(2024, 10, 2),
                    rectify_by=D(2024, 10, 31),
                    hazard_ids=("h1",),
                )
            ],
        )
        assert status(R.rectification_notice, s, D(2024, 10, 31)) == "pass"
        assert status(R.rectification_notice, s, D(2024, 11, 1)) == "fail"

    @pytest.mark.parametrize("issuer", list(InspectorLevel))
    def test_notice_closed_on_the_evaluation_day_passes(self, issuer) -> None:
        n = RectificationNotice(
            id="n1",
            issued_on=D(2024, 10, 2),
            rectify_by=D(2024, 10, 31),
            issued_by=issuer,
            closed_on=ON,
        )
        s = school(rectification_notices=[n])
        assert status(R.rectification_notice, s, ON) == "pass"
        assert status(R.rectification_notice, s, ON - DAY) == "fail"


# --- 25-27 police --------------------------------------------------------------------------


class TestGuardPost:
    @pytest.mark.parametrize(
        "kind, locality, central, judged",
        [
            (SchoolKind.PRIMARY, Locality.URBAN, False, True),
            (SchoolKind.KINDERGARTEN, Locality.URBAN, False, True),
            (SchoolKind.KINDERGARTEN, Locality.TOWN, False, True),
            (SchoolKind.SECONDARY, Locality.TOWN, False, True),
            (SchoolKind.PRIMARY, Locality.RURAL, False, False),
            (SchoolKind.PRIMARY, Locality.RURAL, True, True),
            (SchoolKind.KINDERGARTEN, Locality.RURAL, True, False),
        ],
    )
    def test_population(self, kind, locality, central, judged) -> None:
        s = school(kind=kind, locality=locality, township_central=central)
        assert status(R.guard_post, s) == ("fail" if judged else "not_applicable")

    def test_deadline_day(self) -> None:
        assert status(R.guard_post, school(), D(2019, 12, 30)) == "not_applicable"
        assert status(R.guard_post, school(), D(2019, 12, 31)) == "fail"
        ok = school(facilities=Facilities(guard_post=True))
        assert status(R.guard_post, ok, D(2019, 12, 31)) == "pass"


def patrolled(*days_counts):
    return [PolicePatrol(d, c) for d, c in days_counts]


def full_week(on, per_day=2):
    return [PolicePatrol(on - dt.timedelta(days=i), per_day) for i in range(1, 8)]


class TestPolicePatrol:
    @pytest.mark.parametrize(
        "kind, locality, central, judged",
        [
            (SchoolKind.PRIMARY, Locality.URBAN, False, True),
            (SchoolKind.KINDERGARTEN, Locality.URBAN, False, True),
            (SchoolKind.PRIMARY, Locality.TOWN, False, False),
            (SchoolKind.PRIMARY, Locality.TOWN, True, True),
            (SchoolKind.SECONDARY, Locality.RURAL, True, True),
            (SchoolKind.KINDERGARTEN, Locality.TOWN, True, False),
            (SchoolKind.PRIMARY, Locality.RURAL, False, False),
        ],
    )
    def test_population(self, kind, locality, central, judged) -> None:
        s = school(kind=kind, locality=locality, township_central=central)
        assert status(R.police_patrol, s) == ("fail" if judged else "not_applicable")

    def test_first_days(self) -> None:
        assert status(R.police_patrol, school(), D(2019, 12, 3)) == "not_applicable"
        f = check_rule(R.police_patrol, school(), D(2019, 12, 4))
        assert_status(f, "fail")
        assert [d["date"] for d in f.evidence["short_days"]] == [D(2019, 12, 3)]
        s = school(police_patrols=patrolled((D(2019, 12, 3), 2)))
        assert status(R.police_patrol, s, D(2019, 12, 4)) == "pass"

    def test_window_is_the_seven_days_before(self) -> None:
        f = check_rule(R.police_patrol, school(police_patrols=full_week(ON)), ON)
        assert_status(f, "pass")
        assert f.evidence["window"] == R.patrol_window(ON)
        assert R.patrol_window(ON).start == D(2024, 11, 13) and R.patrol_window(ON).end == (
            D(2024, 11, 19)
        )

    def test_counts_of_a_day_add_up(self) -> None:
        week = [p for p in full_week(ON) if p.patrolled_on != ON - DAY]
        split = [*week, PolicePatrol(ON - DAY, 1), PolicePatrol(ON - DAY, 1)]
        assert status(R.police_patrol, school(police_patrols=split)) == "pass"
        short = [*week, PolicePatrol(ON - DAY, 1)]
        f = check_rule(R.police_patrol, school(police_patrols=short), ON)
        assert_status(f, "fail")
        assert f.evidence["short_days"] == [{"date": ON - DAY, "count": 1}]

    def test_a_missing_saturday_fails(self) -> None:
        saturday = D(2024, 11, 16)
        assert saturday.weekday() == 5
        week = [p for p in full_week(ON) if p.patrolled_on != saturday]
        f = check_rule(R.police_patrol, school(police_patrols=week), ON)
        assert_status(f, "fail")
        assert f.evidence["short_days"] == [{"date": saturday, "count": 0}]

    def test_patrols_on_the_evaluation_day_and_eight_days_back_are_ignored(self) -> None:
        week = [*full_week(ON, per_day=2), PolicePatrol(ON, 5)]
        assert status(R.police_patrol, school(police_patrols=week)) == "pass"
        # the day 8 days back had nothing: not in the window
        assert ON - dt.timedelta(days=8) not in R.patrol_window(ON)
        # patrols only on the evaluation day do not fill the window
        assert status(R.police_patrol, school(police_patrols=[PolicePatrol(ON, 20)])) == "fail"

    @FEW
    @given(st.lists(st.integers(0, 3), min_size=7, max_size=7))
    def test_passes_iff_every_day_has_two(self, counts) -> None:
        recs = [
            PolicePatrol(ON - dt.timedelta(days=i + 1), c) for i, c in enumerate(counts) if c > 0
        ]
        f = check_rule(R.police_patrol, school(police_patrols=recs), ON)
        assert_status(f, "pass" if min(counts) >= 2 else "fail")
        assert len(f.evidence["short_days"]) == sum(c < 2 for c in counts)


class TestPoliceRoom:
    @pytest.mark.parametrize(
        "room, unified, expected",
        [
            (True, True, "pass"),
            (True, False, "fail"),
            (False, False, "fail"),
            (False, True, "fail"),
        ],
    )
    def test_room_to_the_five_unified_standards(self, room, unified, expected) -> None:
        s = school(facilities=Facilities(police_room=room, police_room_unified=unified))
        f = check_rule(R.police_room, s, D(2022, 12, 31))
        assert_status(f, expected)
        assert f.evidence == {"police_room": room, "unified": unified}

    def test_deadline_day(self) -> None:
        assert status(R.police_room, school(), D(2022, 12, 30)) == "not_applicable"
        assert status(R.police_room, school(), D(2022, 12, 31)) == "fail"


# --- 29 emergency drill --------------------------------------------------------------------


def drills(*days, kind=DrillKind.EMERGENCY):
    return [Drill(kind, d) for d in days]


class TestEmergencyDrill:
    def test_autumn_2019_is_not_judged(self) -> None:
        assert status(R.emergency_drill, school(), D(2020, 2, 1)) == "not_applicable"
        assert status(R.emergency_drill, school(), D(2020, 8, 31)) == "not_applicable"

    def test_spring_2020_is_judged_from_1_september(self) -> None:
        f = check_rule(R.emergency_drill, school(), D(2020, 9, 1))
        assert_status(f, "fail")
        assert f.evidence["judged"].start == D(2020, 2, 1)
        assert f.evidence["judged"].end == D(2020, 8, 31)

    def test_31_august_counts_for_spring(self) -> None:
        s = school(drills=drills(D(2020, 8, 31)))
        assert status(R.emergency_drill, s, D(2020, 8, 31)) == "pass"
        assert status(R.emergency_drill, s, D(2020, 9, 1)) == "pass"

    def test_1_september_counts_for_autumn_not_spring(self) -> None:
        s = school(drills=drills(D(2020, 9, 1)))
        assert status(R.emergency_drill, s, D(2020, 9, 1)) == "pass"  # current semester
        assert status(R.emergency_drill, s, D(2020, 8, 31)) == "not_applicable"
        s = school(drills=drills(D(2020, 9, 1)))
        assert status(R.emergency_drill, s, D(2021, 2, 1)) == "pass"

    def test_31_january_counts_for_autumn(self) -> None:
        s = school(drills=drills(D(2021, 1, 31)))
        assert status(R.emergency_drill, s, D(2021, 2, 1)) == "pass"
        assert status(R.emergency_drill, s, D(2021, 9, 1)) == "fail"  # nothing in spring 2021

    def test_1_february_counts_for_spring(self) -> None:
        s = school(drills=drills(D(2021, 2, 1)))
        f = check_rule(R.emergency_drill, s, D(2021, 9, 1))
        assert_status(f, "pass")
        assert f.evidence["last"] == D(2021, 2, 1)
        assert status(R.emergency_drill, s, D(2022, 2, 1)) == "fail"  # autumn 2021 empty

    def test_current_semester_is_not_failed_before_it_ends(self) -> None:
        s = school(drills=drills(D(2024, 5, 20)))
        assert status(R.emergency_drill, s, D(2025, 1, 31)) == "pass"
        assert status(R.emergency_drill, s, D(2025, 2, 1)) == "fail"

    @pytest.mark.parametrize(
        "kind", [DrillKind.FIRE_EQUIPMENT, DrillKind.FORMATION, DrillKind.EQUIPMENT]
    )
    def test_other_drills_do_not_count(self, kind) -> None:
        s = school(drills=drills(D(2024, 5, 20), kind=kind))
        assert status(R.emergency_drill, s, ON) == "fail"

    def test_drill_after_the_evaluation_date_is_ignored(self) -> None:
        s = school(drills=drills(ON + DAY))
        assert status(R.emergency_drill, s, ON) == "fail"


# --- targets -------------------------------------------------------------------------------


def rates(schools, on):
    report = cs.evaluate(cs.Roster(schools=schools, companies=[make_company()]), on, [STANDARD])
    return {r.target_id: r for r in report.rates}


class TestTargets:
    @pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.id)
    def test_pending_until_the_due_day(self, target) -> None:
        bare = [
            school(
                kind=SchoolKind.KINDERGARTEN, ownership=Ownership.PRIVATE, locality=Locality.RURAL
            ),
            school(locality=Locality.RURAL),
            school(),
        ]
        before = rates(bare, target.due - DAY)[target.id]
        due = rates(bare, target.due)[target.id]
        assert before.status is RateStatus.PENDING
        assert due.status is RateStatus.NOT_MET
        assert due.tally.not_met >= 1

    def test_met_when_every_school_in_the_population_passes(self) -> None:
        ok = school(guards=[guard()], facilities=Facilities(closed_management=True))
        bad = school(guards=[guard(full_time=False)])
        r = rates([ok], D(2019, 12, 31))
        assert r["jiangsu.guard-staffing-2019"].status is RateStatus.MET
        assert r["jiangsu.closed-management-2019"].status is RateStatus.MET
        r = rates([ok, bad], D(2019, 12, 31))
        assert r["jiangsu.guard-staffing-2019"].status is RateStatus.NOT_MET
        assert r["jiangsu.guard-staffing-2019"].tally.met == 1
        assert r["jiangsu.guard-staffing-2019"].tally.not_met == 1

    def test_populations_follow_the_rules(self) -> None:
        private_kg = school(kind=SchoolKind.KINDERGARTEN, ownership=Ownership.PRIVATE)
        no_gate_traffic = school(vehicle_access=False, locality=Locality.RURAL)
        r = rates([private_kg, no_gate_traffic], D(2022, 12, 31))
        assert r["jiangsu.guard-staffing-2019"].tally.counted == 1  # the rural primary school
        assert r["jiangsu.guard-staffing-private-kindergarten-2020"].tally.counted == 1
        assert r["jiangsu.anti-ramming-2019"].tally.counted == 1  # the urban kindergarten only
        assert "jiangsu.anti-ramming-2022" not in r  # the rural gate takes no vehicles
        assert r["jiangsu.guard-post-2019"].tally.counted == 1


# --- the fixture roster --------------------------------------------------------------------

FIXTURE = HERE / "fixture_roster.json"
FIXTURE_ON = D(2024, 11, 20)


class TestFixture:
    def test_the_committed_fixture_is_what_the_builder_makes(self) -> None:
        ns = runpy.run_path(str(HERE / "make_fixture.py"))
        assert ns["FIXTURE_ON"] == FIXTURE_ON
        assert cs.dumps_roster(ns["build"]()) == FIXTURE.read_bytes()

    def test_every_rule_passes_and_fails_somewhere(self) -> None:
        report = cs.evaluate(cs.load_roster(FIXTURE), FIXTURE_ON, [STANDARD])
        seen: dict[str, set[Status]] = {r.id: set() for r in STANDARD.rules}
        for f in report.findings:
            seen[f.rule_id].add(f.status)
        lacking = {
            rid: sorted(s.value for s in st_)
            for rid, st_ in seen.items()
            if not {Status.PASS, Status.FAIL} <= st_
        }
        assert not lacking
        assert not report.by_status(Status.ERROR)
        assert report.by_status(Status.WAIVED)[0].rule_id == "jiangsu.pickup-check"

    def test_every_target_has_schools_that_meet_it_and_schools_that_do_not(self) -> None:
        report = cs.evaluate(cs.load_roster(FIXTURE), FIXTURE_ON, [STANDARD])
        by_id = {r.target_id: r for r in report.rates}
        assert set(by_id) == {t.id for t in TARGETS}
        for r in by_id.values():
            assert r.tally.met >= 1 and r.tally.not_met >= 1, r.target_id
            assert r.status is RateStatus.NOT_MET

    def test_the_school_outside_jiangsu_gets_no_findings(self) -> None:
        report = cs.evaluate(cs.load_roster(FIXTURE), FIXTURE_ON, [STANDARD])
        assert not [f for f in report.findings if f.school_id == "SH-100"]

    def test_messages_are_bilingual_and_hold_no_id_number(self) -> None:
        roster = cs.load_roster(FIXTURE)
        ids = [g.id_number.value for s in roster.schools for g in s.guards]
        report = cs.evaluate(roster, FIXTURE_ON, [STANDARD])
        for f in report.findings:
            assert f.message.zh and f.message.en
            text = f.message.zh + f.message.en
            assert not any(i in text for i in ids), f.rule_id
            doc = str(finding_document(f))
            assert not any(i in doc for i in ids), f.rule_id
