"""Tests of the tutorial plugin, written as a plugin author writes them.

Every rule is tested at its boundaries: the age on the birthday, the last day of the
semester, the day the alarm rule starts to bind.
"""

# --8<-- [start:imports]
from __future__ import annotations

import datetime as dt

import pytest
from campus_security_tutorial import STANDARD, campus_security_standards
from campus_security_tutorial.rules import (
    emergency_drill,
    guard_age,
    kindergarten_guards,
    one_key_alarm,
)

import campus_security as cs
from campus_security.model import Device, DeviceKind, Drill, DrillKind, Every, Period, SchoolKind
from campus_security.testing import (
    assert_status,
    check_rule,
    check_window,
    evaluate_standard,
    make_guard,
    make_roster,
    make_school,
)

# --8<-- [end:imports]

# --8<-- [start:setup]
ON = dt.date(2024, 11, 20)  # the evaluation date: never date.today() in a test
HANGZHOU = "330106"  # 西湖区, a district of 杭州市 (330100)


def school(**fields):
    """A school in Hangzhou; the test states only what matters to the rule."""
    fields.setdefault("region_code", HANGZHOU)
    return make_school(**fields)


# --8<-- [end:setup]


# --8<-- [start:kindergarten-guards]
class TestKindergartenGuards:
    def test_kindergarten_without_guard_fails(self):
        k = school(kind=SchoolKind.KINDERGARTEN)
        assert_status(check_rule(kindergarten_guards, k, ON), "fail")

    def test_one_full_time_guard_passes(self):
        k = school(kind=SchoolKind.KINDERGARTEN, guards=[make_guard(on=ON)])
        assert_status(check_rule(kindergarten_guards, k, ON), "pass")

    def test_a_part_time_guard_does_not_count(self):
        k = school(kind=SchoolKind.KINDERGARTEN, guards=[make_guard(on=ON, full_time=False)])
        assert_status(check_rule(kindergarten_guards, k, ON), "fail")

    def test_primary_schools_are_not_concerned(self):
        p = school(kind=SchoolKind.PRIMARY)
        assert_status(check_rule(kindergarten_guards, p, ON), "not_applicable")


# --8<-- [end:kindergarten-guards]


# --8<-- [start:guard-age]
class TestGuardAge:
    @pytest.mark.parametrize(
        ("age", "status"), [(17, "fail"), (18, "pass"), (55, "pass"), (56, "fail")]
    )
    def test_age_boundaries(self, age, status):
        s = school(guards=[make_guard(age=age, on=ON)])
        assert_status(check_rule(guard_age, s, ON), status)

    def test_the_birthday_counts_from_the_day_itself(self):
        guard = make_guard(age=56, on=ON)  # turns 56 on ON
        s = school(guards=[guard])
        assert_status(check_rule(guard_age, s, ON), "fail")
        assert_status(check_rule(guard_age, s, ON - dt.timedelta(days=1)), "pass")

    def test_messages_name_the_guard_and_never_show_the_id_number(self):
        guard = make_guard(age=60, on=ON, name="王五")
        finding = check_rule(guard_age, school(guards=[guard]), ON)
        assert "王五" in finding.message.zh and "王五" in finding.message.en
        assert guard.id_number.value not in str(finding.message)
        assert finding.evidence["outside"][0]["id_number"] == guard.id_number


# --8<-- [end:guard-age]


# --8<-- [start:emergency-drill]
class TestEmergencyDrill:
    def test_the_rule_declares_its_period(self):
        assert emergency_drill.every is Every.SEMESTER

    def test_as_of_a_date_the_last_complete_semester_is_judged(self):
        # 2024-11-20 lies in the autumn semester; spring 2024 is the last one that ended.
        finding = check_rule(emergency_drill, school(), ON)
        assert finding.period == Period(dt.date(2024, 2, 1), dt.date(2024, 8, 31))
        assert check_rule(emergency_drill, school(), dt.date(2024, 9, 1)).period.end == (
            dt.date(2024, 8, 31)
        )

    @pytest.mark.parametrize(
        ("held_on", "status"),
        [
            (dt.date(2024, 1, 31), "fail"),  # the semester before
            (dt.date(2024, 2, 1), "pass"),  # first day of spring
            (dt.date(2024, 8, 31), "pass"),  # last day of spring
            (dt.date(2024, 9, 1), "fail"),  # the current semester does not count yet
        ],
    )
    def test_semester_edges(self, held_on, status):
        s = school(drills=[Drill(DrillKind.EMERGENCY, held_on)])
        assert_status(check_rule(emergency_drill, s, ON), status)

    def test_other_drills_do_not_count(self):
        s = school(drills=[Drill(DrillKind.FORMATION, dt.date(2024, 5, 1))])
        assert_status(check_rule(emergency_drill, s, ON), "fail")

    def test_a_window_judges_every_semester_inside_it(self):
        # 2023-09-01..2024-12-31 holds autumn 2023 and spring 2024 whole; autumn 2024
        # ends on 2025-01-31, after the window: a semester cut by the window is not judged.
        s = school(drills=[Drill(DrillKind.EMERGENCY, dt.date(2024, 3, 5))])
        findings = check_window(emergency_drill, s, dt.date(2023, 9, 1), dt.date(2024, 12, 31))
        assert [(f.period.start, f.status.value) for f in findings] == [
            (dt.date(2023, 9, 1), "fail"),
            (dt.date(2024, 2, 1), "pass"),
        ]

    def test_a_window_cutting_a_semester_judges_none(self):
        s = school()
        assert check_window(emergency_drill, s, dt.date(2023, 9, 2), dt.date(2024, 8, 30)) == ()


# --8<-- [end:emergency-drill]


# --8<-- [start:one-key-alarm]
class TestOneKeyAlarm:
    DUE = dt.date(2025, 6, 30)

    def alarm(self, linked=True, id="alarm-1"):
        return Device(id=id, kind=DeviceKind.ONE_KEY_ALARM, linked_to_police=linked)

    def test_a_linked_alarm_passes(self):
        assert_status(check_rule(one_key_alarm, school(devices=[self.alarm()]), ON), "pass")

    def test_before_the_deadline_a_failure_is_not_yet_binding(self):
        finding = check_rule(one_key_alarm, school(), self.DUE - dt.timedelta(days=1))
        assert_status(finding, "not_applicable")
        assert "2025-06-30" in finding.message.en

    def test_from_the_deadline_day_it_fails(self):
        assert_status(check_rule(one_key_alarm, school(), self.DUE), "fail")

    def test_an_unlinked_alarm_fails(self):
        s = school(devices=[self.alarm(), self.alarm(linked=False, id="alarm-2")])
        finding = check_rule(one_key_alarm, s, self.DUE)
        assert_status(finding, "fail")
        assert finding.evidence["unlinked"] == ["alarm-2"]


# --8<-- [end:one-key-alarm]


# --8<-- [start:standard]
class TestStandard:
    def test_the_hook_provides_the_standard(self):
        assert list(campus_security_standards()) == [STANDARD]

    def test_the_installed_plugin_is_found_through_its_entry_point(self):
        pm = cs.PluginManager()
        assert "tutorial" in pm.plugin_names
        assert STANDARD in pm.standards()
        assert not [f for f in pm.failures if f.plugin == "tutorial"]

    def test_the_jurisdiction_is_hangzhou_only(self):
        assert evaluate_standard(STANDARD, school(), ON).keys() == {r.id for r in STANDARD.rules}
        assert evaluate_standard(STANDARD, make_school(region_code="330203"), ON) == {}

    def test_the_rate_target_is_pending_until_due(self):
        roster = make_roster(school(), school(devices=[TestOneKeyAlarm().alarm()]))
        (rate,) = cs.evaluate(roster, ON, [STANDARD]).rates
        assert rate.status is cs.RateStatus.PENDING
        assert (rate.tally.met, rate.tally.counted) == (1, 2)
        (rate,) = cs.evaluate(roster, dt.date(2025, 6, 30), [STANDARD]).rates
        assert rate.status is cs.RateStatus.NOT_MET


# --8<-- [end:standard]
