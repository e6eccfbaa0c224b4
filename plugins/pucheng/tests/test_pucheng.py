"""Boundary tests of the Pucheng plan's rules (蒲城县公安局, 2014), as an outside author would."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from campus_security_pucheng import STANDARD, campus_security_standards
from campus_security_pucheng.rules import (
    DOCUMENT,
    boarding_duty,
    closed_management,
    guard_certified,
    guard_equipment,
    guard_pre_job_training,
    guard_uniform,
    hazard_notices,
    notices_not_overdue,
    october_acceptance,
    perimeter,
    police_inspections,
    rural_guard_staffing,
    security_routines,
    september_inspection,
    urban_guard_staffing,
    video_full_coverage,
    visitor_vehicle_registration,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import campus_security as cs
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
    Routines,
    SchoolKind,
    Training,
    TrainingKind,
)
from campus_security.sdk import CLOCK_TOLERANCE
from campus_security.testing import (
    assert_status,
    check_rule,
    evaluate_standard,
    make_guard,
    make_school,
    standard_for,
)

ON = dt.date(2014, 10, 30)
DEADLINE = dt.date(2014, 9, 1)
PUCHENG = "610526"
D = dt.timedelta(days=1)
FEW = settings(max_examples=25, deadline=None)


def d(month: int, day: int) -> dt.date:
    return dt.date(2014, month, day)


def school(**kw):
    kw.setdefault("region_code", PUCHENG)
    return make_school(**kw)


def course(start: dt.date, days: int = 3, kind=TrainingKind.PRE_JOB) -> Training:
    return Training(kind, start, days)


def guard(**kw):
    """A certified, uniformed, full-time guard engaged in 2012 with a 2012 pre-job course."""
    kw.setdefault("uniform", True)
    kw.setdefault("hired_on", dt.date(2012, 3, 1))
    kw.setdefault("trainings", [course(dt.date(2012, 2, 20))])
    return make_guard(on=ON, **kw)


def guards(n: int, **kw):
    return [guard(**kw) for _ in range(n)]


def police(*days: dt.date, level=InspectorLevel.POLICE_STATION):
    return [Inspection(x, level) for x in days]


# --- 三、1 ------------------------------------------------------------------------------


class TestUrbanStaffing:
    def test_part_time_guards_do_not_count(self) -> None:
        s = school(guards=guards(1) + guards(3, full_time=False))
        f = check_rule(urban_guard_staffing, s, ON)
        assert_status(f, "fail")
        assert f.evidence["full_time"] == 1 and f.evidence["part_time"] == 3

    @pytest.mark.parametrize("n, above", [(2, False), (4, False), (5, True)])
    def test_two_or_more_pass_above_four_is_flagged(self, n: int, above: bool) -> None:
        f = check_rule(urban_guard_staffing, school(guards=guards(n)), ON)
        assert_status(f, "pass")
        assert f.evidence["above_range"] is above
        assert ("above the 2–4 range" in f.message.en) is above

    def test_future_hire_does_not_count(self) -> None:
        s = school(guards=[*guards(1), guard(hired_on=ON + D)])
        assert_status(check_rule(urban_guard_staffing, s, ON), "fail")
        s = school(guards=[*guards(1), guard(hired_on=ON)])
        assert_status(check_rule(urban_guard_staffing, s, ON), "pass")

    def test_binds_on_1_september(self) -> None:
        s = school(guards=guards(1))
        f = check_rule(urban_guard_staffing, s, DEADLINE - D)
        assert_status(f, "not_applicable")
        assert "2014-09-01" in f.message.en
        assert_status(check_rule(urban_guard_staffing, s, DEADLINE), "fail")

    def test_urban_kindergarten_with_no_guard_fails(self) -> None:
        s = school(kind=SchoolKind.KINDERGARTEN, enrollment=60)
        assert_status(check_rule(urban_guard_staffing, s, ON), "fail")

    @pytest.mark.parametrize("locality", [Locality.TOWN, Locality.RURAL])
    def test_town_and_rural_schools_are_out_of_scope(self, locality: Locality) -> None:
        f = check_rule(urban_guard_staffing, school(locality=locality), ON)
        assert_status(f, "not_applicable")
        assert "urban schools" in f.message.en

    @FEW
    @given(st.integers(0, 7))
    def test_passes_iff_two_or_more(self, n: int) -> None:
        f = check_rule(urban_guard_staffing, school(guards=guards(n)), ON)
        assert_status(f, "pass" if n >= 2 else "fail")
        assert f.evidence["full_time"] == n


class TestRuralStaffing:
    def rural(self, enrollment: int, n: int = 0, **kw):
        kw.setdefault("locality", Locality.TOWN)
        return school(enrollment=enrollment, staff_count=10, guards=guards(n), **kw)

    def test_99_pupils_is_out_of_scope(self) -> None:
        assert_status(check_rule(rural_guard_staffing, self.rural(99), ON), "not_applicable")

    def test_100_pupils_needs_two(self) -> None:
        f = check_rule(rural_guard_staffing, self.rural(100, 1), ON)
        assert_status(f, "fail")
        assert f.evidence["required"] == 2 and "above_range" not in f.evidence
        assert_status(check_rule(rural_guard_staffing, self.rural(100, 2), ON), "pass")

    def test_complex_area_below_100_needs_two(self) -> None:
        s = self.rural(99, 1, complex_area=True)
        assert_status(check_rule(rural_guard_staffing, s, ON), "fail")

    def test_no_upper_bound(self) -> None:
        s = self.rural(500, 6, locality=Locality.RURAL)
        f = check_rule(rural_guard_staffing, s, ON)
        assert_status(f, "pass")

    def test_urban_complex_school_is_judged_by_the_urban_rule(self) -> None:
        s = school(locality=Locality.URBAN, complex_area=True, guards=guards(1))
        assert_status(check_rule(rural_guard_staffing, s, ON), "not_applicable")
        assert_status(check_rule(urban_guard_staffing, s, ON), "fail")

    def test_staff_are_not_counted(self) -> None:
        s = school(locality=Locality.RURAL, enrollment=60, staff_count=50)
        assert_status(check_rule(rural_guard_staffing, s, ON), "not_applicable")

    def test_binds_on_1_september(self) -> None:
        s = self.rural(150, 1)
        assert_status(check_rule(rural_guard_staffing, s, DEADLINE - D), "not_applicable")
        assert_status(check_rule(rural_guard_staffing, s, DEADLINE), "fail")

    @FEW
    @given(
        st.integers(0, 300),
        st.booleans(),
        st.sampled_from([Locality.TOWN, Locality.RURAL]),
        st.integers(0, 3),
    )
    def test_scope_and_threshold(self, enrollment, complex_area, locality, n) -> None:
        s = self.rural(enrollment, n, complex_area=complex_area, locality=locality)
        f = check_rule(rural_guard_staffing, s, ON)
        if enrollment < 100 and not complex_area:
            assert_status(f, "not_applicable")
        else:
            assert_status(f, "pass" if n >= 2 else "fail")


class TestBoardingDuty:
    def test_day_school_is_out_of_scope(self) -> None:
        assert_status(check_rule(boarding_duty, school(boarders=0), ON), "not_applicable")

    def test_one_boarder_makes_a_boarding_school(self) -> None:
        off = school(boarders=1)
        on = school(boarders=1, routines=Routines(round_the_clock_duty=True))
        assert_status(check_rule(boarding_duty, off, ON), "fail")
        assert_status(check_rule(boarding_duty, on, ON), "pass")
        assert_status(check_rule(boarding_duty, off, DEADLINE - D), "not_applicable")


class TestPreJobTraining:
    def test_no_pre_job_course_fails(self) -> None:
        g = guard(trainings=[], name="甲")
        f = check_rule(guard_pre_job_training, school(guards=[g]), ON)
        assert_status(f, "fail")
        assert f.evidence["untrained"] == [
            {"name": "甲", "id_number": g.id_number, "hired_on": g.hired_on, "reason": "none"}
        ]

    def test_rotation_does_not_count(self) -> None:
        g = guard(trainings=[course(dt.date(2012, 2, 20), 10, TrainingKind.ROTATION)])
        assert_status(check_rule(guard_pre_job_training, school(guards=[g]), ON), "fail")

    def test_one_day_course_is_enough(self) -> None:
        g = guard(trainings=[course(dt.date(2012, 2, 20), 1)])
        assert_status(check_rule(guard_pre_job_training, school(guards=[g]), ON), "pass")

    @pytest.mark.parametrize("start, status", [(d(8, 30), "pass"), (d(8, 31), "fail")])
    def test_guard_engaged_under_the_plan_is_trained_before_starting(self, start, status) -> None:
        # 3-day course: starting 08-30 it ends 09-01 (the hire day), starting 08-31 it ends 09-02
        g = guard(hired_on=d(9, 1), trainings=[course(start, 3)])
        f = check_rule(guard_pre_job_training, school(guards=[g]), d(9, 10))
        assert_status(f, status)
        if status == "fail":
            assert f.evidence["untrained"][0]["reason"] == "after_hire"

    @pytest.mark.parametrize("hired, status", [(d(6, 15), "pass"), (d(6, 16), "fail")])
    def test_order_is_required_from_the_plan_date(self, hired, status) -> None:
        g = guard(hired_on=hired, trainings=[course(d(8, 4))])
        assert_status(check_rule(guard_pre_job_training, school(guards=[g]), ON), status)

    def test_guard_engaged_before_the_plan_may_be_trained_later(self) -> None:
        g = guard(hired_on=dt.date(2010, 3, 1), trainings=[course(d(8, 4))])
        assert_status(check_rule(guard_pre_job_training, school(guards=[g]), ON), "pass")

    def test_course_still_running_fails(self) -> None:
        g = guard(hired_on=None, trainings=[course(d(10, 29), 3)])  # ends 10-31
        assert_status(check_rule(guard_pre_job_training, school(guards=[g]), ON), "fail")
        assert_status(check_rule(guard_pre_job_training, school(guards=[g]), d(10, 31)), "pass")

    def test_part_time_guards_are_covered(self) -> None:
        s = school(guards=[guard(), guard(full_time=False, trainings=[])])
        assert_status(check_rule(guard_pre_job_training, s, ON), "fail")

    def test_no_guards_is_not_applicable(self) -> None:
        f = check_rule(guard_pre_job_training, school(), ON)
        assert_status(f, "not_applicable")
        assert f.message.en == "no guards on staff"


class TestCertifiedAndUniform:
    def test_uncertified_part_time_guard_fails(self) -> None:
        g = guard(full_time=False, certificate_number=None, name="乙")
        f = check_rule(guard_certified, school(guards=[guard(), g]), ON)
        assert_status(f, "fail")
        assert f.evidence["uncertified"] == [{"name": "乙", "id_number": g.id_number}]
        assert g.id_number.value not in f.message.zh + f.message.en

    def test_all_certified_pass(self) -> None:
        assert_status(check_rule(guard_certified, school(guards=guards(2)), ON), "pass")

    @pytest.mark.parametrize("r", [guard_certified, guard_uniform])
    def test_no_guards_is_not_applicable(self, r) -> None:
        assert_status(check_rule(r, school(), ON), "not_applicable")

    def test_guard_without_uniform_fails_and_is_named(self) -> None:
        g = guard(full_time=False, uniform=False, name="丙")
        f = check_rule(guard_uniform, school(guards=[guard(), g]), ON)
        assert_status(f, "fail")
        assert f.evidence["without_uniform"] == [{"name": "丙", "id_number": g.id_number}]
        assert "丙" in f.message.zh

    def test_all_uniformed_pass(self) -> None:
        assert_status(check_rule(guard_uniform, school(guards=guards(3)), ON), "pass")

    @pytest.mark.parametrize("r", [guard_certified, guard_uniform])
    def test_bind_on_1_september(self, r) -> None:
        s = school(guards=[guard(certificate_number=None, uniform=False)])
        assert_status(check_rule(r, s, DEADLINE - D), "not_applicable")
        assert_status(check_rule(r, s, DEADLINE), "fail")


class TestEquipment:
    def eq(self, batons, forks, **kw):
        return [
            Equipment(EquipmentKind.RUBBER_BATON, batons),
            Equipment(EquipmentKind.STEEL_FORK, forks),
        ]

    def test_one_of_each_per_guard_passes(self) -> None:
        f = check_rule(guard_equipment, school(guards=guards(3), equipment=self.eq(3, 3)), ON)
        assert_status(f, "pass")
        assert f.evidence == {"guards": 3, "batons": 3, "forks": 3}

    def test_one_fork_short_fails(self) -> None:
        f = check_rule(guard_equipment, school(guards=guards(3), equipment=self.eq(3, 2)), ON)
        assert_status(f, "fail")
        assert f.evidence["forks"] == 2

    def test_quantities_are_summed_and_zero_adds_nothing(self) -> None:
        eq = [
            *self.eq(1, 1),
            Equipment(EquipmentKind.RUBBER_BATON, 2),
            Equipment(EquipmentKind.STEEL_FORK, 2),
            Equipment(EquipmentKind.STEEL_FORK, 0),
        ]
        f = check_rule(guard_equipment, school(guards=guards(3), equipment=eq), ON)
        assert_status(f, "pass")
        assert f.evidence["forks"] == 3

    def test_a_shield_is_not_a_fork(self) -> None:
        eq = [Equipment(EquipmentKind.RUBBER_BATON, 1), Equipment(EquipmentKind.SHIELD, 5)]
        assert_status(
            check_rule(guard_equipment, school(guards=guards(1), equipment=eq), ON), "fail"
        )

    def test_part_time_guards_need_equipment_too(self) -> None:
        s = school(guards=[guard(), guard(full_time=False)], equipment=self.eq(1, 1))
        f = check_rule(guard_equipment, s, ON)
        assert_status(f, "fail")
        assert f.evidence["guards"] == 2

    def test_no_guards_is_not_applicable(self) -> None:
        assert_status(
            check_rule(guard_equipment, school(equipment=self.eq(0, 0)), ON), "not_applicable"
        )

    @FEW
    @given(st.integers(1, 5), st.integers(0, 6), st.integers(0, 6))
    def test_passes_iff_enough_of_both(self, n, batons, forks) -> None:
        s = school(guards=guards(n), equipment=self.eq(batons, forks))
        expected = "pass" if batons >= n and forks >= n else "fail"
        assert_status(check_rule(guard_equipment, s, ON), expected)


# --- 三、2, 三、3 --------------------------------------------------------------------------


class TestVideo:
    def cam(self, id_: str = "cam", full: bool = True, kind=DeviceKind.VIDEO_SURVEILLANCE):
        return Device(id_, kind, full_coverage=full)

    def probed(self, s, reachable: dict[str, bool]):
        statuses = {
            k: cs.DeviceStatus(k, v, dt.datetime(2014, 10, 30, 9, 0)) for k, v in reachable.items()
        }
        std = standard_for(video_full_coverage, jurisdiction=[PUCHENG])
        (f,) = cs.evaluate_school(s, ON, [std], device_status=statuses).findings
        return f

    def test_no_video_fails(self) -> None:
        assert_status(check_rule(video_full_coverage, school(), ON), "fail")

    def test_partial_coverage_fails(self) -> None:
        f = check_rule(video_full_coverage, school(devices=[self.cam(full=False)]), ON)
        assert_status(f, "fail")
        assert "whole campus" in f.message.en

    def test_full_coverage_passes_without_probe_data(self) -> None:
        assert_status(check_rule(video_full_coverage, school(devices=[self.cam()]), ON), "pass")

    def test_unreachable_system_fails(self) -> None:
        f = self.probed(school(devices=[self.cam()]), {"cam": False})
        assert_status(f, "fail")
        assert f.evidence["probe"]["unreachable"] == ["cam"]
        assert "探测不可达：cam" in f.message.zh and "probed unreachable: cam" in f.message.en
        assert_status(self.probed(school(devices=[self.cam()]), {"cam": True}), "pass")

    def clocked(self, s, offsets: dict[str, float | None]):
        statuses = {
            k: cs.DeviceStatus(k, True, dt.datetime(2014, 10, 30, 9, 0), clock_offset=v)
            for k, v in offsets.items()
        }
        std = standard_for(video_full_coverage, jurisdiction=[PUCHENG])
        (f,) = cs.evaluate_school(s, ON, [std], device_status=statuses).findings
        return f

    @pytest.mark.parametrize(
        "offset, expected",
        [
            (None, "pass"),
            (0.0, "pass"),
            (10.0, "pass"),
            (-10.0, "pass"),
            (10.5, "fail"),
            (-10.5, "fail"),
        ],
    )
    def test_clock_tolerance_boundary(self, offset, expected) -> None:
        f = self.clocked(school(devices=[self.cam()]), {"cam": offset})
        assert_status(f, expected)
        assert f.evidence["probe"]["clock_tolerance_s"] == CLOCK_TOLERANCE == 10.0
        if expected == "fail":
            assert f.evidence["probe"]["clock_off"] == {"cam": offset}
            assert f.evidence["usable"] == []
            assert "时钟偏差超过10秒" in f.message.zh
            assert "clock off by more than 10 s" in f.message.en

    def test_an_off_clock_system_does_not_count_but_another_does(self) -> None:
        s = school(devices=[self.cam("a"), self.cam("b")])
        f = self.clocked(s, {"a": 600.0, "b": 1.0})
        assert_status(f, "pass")
        assert f.evidence["usable"] == ["b"] and f.evidence["probe"]["clock_off"] == {"a": 600.0}

    def test_no_status_for_a_camera_is_judged_as_declared(self) -> None:
        s = school(devices=[self.cam("a")])
        f = self.probed(s, {"other": False})
        assert_status(f, "pass")
        assert f.evidence["probe"]["unprobed"] == ["a"]

    def test_a_partial_camera_failing_the_probe_is_not_judged(self) -> None:
        s = school(devices=[self.cam("full"), self.cam("part", full=False)])
        f = self.probed(s, {"part": False})
        assert_status(f, "pass")
        assert f.evidence["probe"]["unreachable"] == []

    def test_one_usable_system_is_enough(self) -> None:
        s = school(devices=[self.cam("a"), self.cam("b")])
        f = self.probed(s, {"a": False, "b": True})
        assert_status(f, "pass")
        assert f.evidence["usable"] == ["b"]

    def test_police_camera_is_not_school_video(self) -> None:
        s = school(devices=[self.cam(kind=DeviceKind.POLICE_CAMERA)])
        assert_status(check_rule(video_full_coverage, s, ON), "fail")

    def test_the_rule_declares_the_video_device_kind(self) -> None:
        assert video_full_coverage.devices == (DeviceKind.VIDEO_SURVEILLANCE,)


class TestPhysicalDefence:
    @pytest.mark.parametrize(
        "r, field", [(perimeter, "perimeter"), (closed_management, "closed_management")]
    )
    def test_flag(self, r, field) -> None:
        on = school(facilities=Facilities(**{field: True}))
        off = school(facilities=Facilities())
        assert_status(check_rule(r, on, ON), "pass")
        f = check_rule(r, off, ON)
        assert_status(f, "fail")
        assert f.evidence == {field: False}
        assert_status(check_rule(r, off, DEADLINE - D), "not_applicable")

    @pytest.mark.parametrize("locality", list(Locality))
    def test_every_locality_is_judged(self, locality) -> None:
        s = school(locality=locality)
        assert_status(check_rule(perimeter, s, ON), "fail")
        assert_status(check_rule(closed_management, s, ON), "fail")


REG = ("visitor_registration", "vehicle_registration")
MECH = ("duty_rota", "key_area_patrol", "hazard_check", "emergency_plan")


class TestRoutines:
    @pytest.mark.parametrize(
        "r, fields", [(visitor_vehicle_registration, REG), (security_routines, MECH)]
    )
    def test_all_present_pass(self, r, fields) -> None:
        s = school(routines=Routines(**dict.fromkeys(fields, True)))
        assert_status(check_rule(r, s, ON), "pass")

    @pytest.mark.parametrize(
        "r, fields, missing",
        [(visitor_vehicle_registration, REG, f) for f in REG]
        + [(security_routines, MECH, f) for f in MECH],
    )
    def test_each_missing_one_fails(self, r, fields, missing) -> None:
        s = school(routines=Routines(**{f: f != missing for f in fields}))
        f = check_rule(r, s, ON)
        assert_status(f, "fail")
        assert f.evidence["missing"] == [missing]


# --- 三、7, 四、⑵, 四、⑷: police inspections -----------------------------------------------


class TestPoliceInspections:
    def test_one_inspection_is_not_yet_binding_before_30_october(self) -> None:
        s = school(inspections=police(d(9, 5)))
        f = check_rule(police_inspections, s, d(10, 29))
        assert_status(f, "not_applicable")
        assert "2014-10-30" in f.message.en
        f = check_rule(police_inspections, s, d(10, 30))
        assert_status(f, "fail")
        assert f.evidence["semester"] == "2014-09-01/2015-01-31"
        assert f.evidence["dates"] == [d(9, 5)] and f.evidence["needed"] == 2

    def test_two_inspections_pass_on_the_day_of_the_second(self) -> None:
        s = school(inspections=police(d(9, 5), d(10, 10)))
        assert_status(check_rule(police_inspections, s, d(10, 10)), "pass")
        assert_status(check_rule(police_inspections, s, d(10, 9)), "not_applicable")

    def test_two_records_on_one_day_are_one_inspection(self) -> None:
        s = school(inspections=police(d(9, 5), d(9, 5)))
        f = check_rule(police_inspections, s, ON)
        assert_status(f, "fail")
        assert f.evidence["count"] == 1

    def test_31_august_belongs_to_spring(self) -> None:
        s = school(inspections=police(d(8, 31), d(9, 5)))
        assert_status(check_rule(police_inspections, s, ON), "fail")
        s = school(inspections=police(d(8, 20), d(8, 31)))
        assert_status(check_rule(police_inspections, s, d(8, 31)), "pass")
        assert_status(check_rule(police_inspections, s, d(9, 1)), "not_applicable")

    def test_county_checks_do_not_count(self) -> None:
        s = school(inspections=[*police(d(9, 5)), *police(d(10, 10), level=InspectorLevel.COUNTY)])
        assert_status(check_rule(police_inspections, s, ON), "fail")

    def test_inspections_after_the_evaluation_date_do_not_count(self) -> None:
        s = school(inspections=police(d(9, 5), d(10, 31)))
        assert_status(check_rule(police_inspections, s, ON), "fail")

    def test_in_july_spring_is_judged(self) -> None:
        s = school(inspections=police(d(3, 10), d(5, 12)))
        assert_status(check_rule(police_inspections, s, d(7, 1)), "pass")
        assert_status(check_rule(police_inspections, school(), d(7, 1)), "not_applicable")

    def test_january_and_february_edges_of_the_check(self) -> None:
        # To 2015-01-31 the campaign's semester is counted up to the date; from 02-01 the
        # last complete semester (autumn 2014) is judged whole.
        s = school(inspections=police(d(9, 5), d(12, 1)))
        assert_status(check_rule(police_inspections, s, dt.date(2015, 1, 31)), "pass")
        assert_status(check_rule(police_inspections, s, dt.date(2015, 2, 1)), "pass")
        one = school(inspections=police(d(9, 5)))
        assert_status(check_rule(police_inspections, one, dt.date(2015, 2, 1)), "fail")

    @pytest.mark.parametrize(
        "dates, status",
        [
            ((dt.date(2024, 2, 1), dt.date(2024, 8, 31)), "pass"),  # both semester edges
            ((dt.date(2024, 1, 31), dt.date(2024, 8, 31)), "fail"),  # one in autumn 2023
            ((dt.date(2024, 3, 1), dt.date(2024, 9, 1)), "fail"),  # one in autumn 2024
            ((dt.date(2024, 5, 5), dt.date(2024, 5, 5)), "fail"),  # one day counts once
        ],
    )
    def test_after_the_campaign_the_last_complete_semester_is_judged(self, dates, status) -> None:
        s = school(inspections=police(*dates))
        f = check_rule(police_inspections, s, dt.date(2024, 11, 20))
        assert_status(f, status)
        assert f.evidence["semester"] == "2024-02-01/2024-08-31"


class TestPhaseInspections:
    def test_september_window_ends_on_the_15th(self) -> None:
        assert_status(
            check_rule(september_inspection, school(inspections=police(d(9, 15))), ON), "pass"
        )
        late = school(inspections=police(d(9, 16)))
        assert_status(check_rule(september_inspection, late, d(9, 16)), "fail")

    def test_september_window_starts_on_the_1st(self) -> None:
        s = school(inspections=police(d(8, 31)))
        assert_status(check_rule(september_inspection, s, ON), "fail")
        assert_status(
            check_rule(september_inspection, school(inspections=police(d(9, 1))), ON), "pass"
        )

    def test_september_binds_on_the_15th(self) -> None:
        assert_status(check_rule(september_inspection, school(), d(9, 14)), "not_applicable")
        assert_status(check_rule(september_inspection, school(), d(9, 15)), "fail")

    def test_county_check_in_september_does_not_count(self) -> None:
        s = school(inspections=police(d(9, 5), level=InspectorLevel.COUNTY))
        assert_status(check_rule(september_inspection, s, ON), "fail")

    @pytest.mark.parametrize(
        "day, status",
        [(d(10, 7), "fail"), (d(10, 8), "pass"), (d(10, 30), "pass"), (d(10, 31), "fail")],
    )
    def test_october_window(self, day, status) -> None:
        s = school(inspections=police(day))
        assert_status(check_rule(october_acceptance, s, d(10, 31)), status)

    @pytest.mark.parametrize("rule_", [september_inspection, october_acceptance])
    def test_phase_rules_end_with_the_campaign_semester(self, rule_) -> None:
        s = school()
        assert_status(check_rule(rule_, s, dt.date(2015, 1, 31)), "fail")
        f = check_rule(rule_, s, dt.date(2015, 2, 1))
        assert_status(f, "not_applicable")
        assert "2014" in f.message.en

    def test_october_binds_on_the_30th(self) -> None:
        assert_status(check_rule(october_acceptance, school(), d(10, 29)), "not_applicable")
        f = check_rule(october_acceptance, school(), d(10, 30))
        assert_status(f, "fail")
        assert f.evidence["window"] == "2014-10-08/2014-10-30"


# --- 三、4, 四、⑵, 四、⑶: notices ------------------------------------------------------------


def notice(id_: str, issued: dt.date, *hazards: str, by=None, closed=None, issuer=None):
    return RectificationNotice(
        id_,
        issued,
        by or issued + 14 * D,
        issued_by=issuer or InspectorLevel.POLICE_STATION,
        hazard_ids=hazards,
        closed_on=closed,
    )


class TestHazardNotices:
    def hz(self, found=None, **kw):
        found = found or d(9, 3)
        kw.setdefault("found_by", InspectorLevel.POLICE_STATION)
        return Hazard("h", found, **kw)

    def test_hazard_without_notice_fails_the_day_it_is_found(self) -> None:
        f = check_rule(hazard_notices, school(hazards=[self.hz()]), d(9, 3))
        assert_status(f, "fail")
        assert f.evidence["uncovered"] == ["h"]

    def test_notice_the_same_day_covers(self) -> None:
        s = school(hazards=[self.hz()], rectification_notices=[notice("n", d(9, 3), "h")])
        f = check_rule(hazard_notices, s, d(9, 3))
        assert_status(f, "pass")
        assert f.evidence["lag_days"] == {"h": 0}

    def test_notice_covers_from_its_issue_date(self) -> None:
        s = school(hazards=[self.hz()], rectification_notices=[notice("n", d(9, 5), "h")])
        assert_status(check_rule(hazard_notices, s, d(9, 4)), "fail")
        f = check_rule(hazard_notices, s, d(9, 5))
        assert_status(f, "pass")
        assert f.evidence["lag_days"] == {"h": 2}

    def test_fixed_the_day_it_was_found_needs_no_notice(self) -> None:
        s = school(hazards=[self.hz(rectified_on=d(9, 3))])
        assert_status(check_rule(hazard_notices, s, ON), "pass")

    def test_fixed_a_day_later_still_needs_one(self) -> None:
        s = school(hazards=[self.hz(rectified_on=d(9, 4))])
        assert_status(check_rule(hazard_notices, s, ON), "fail")

    def test_hazards_before_1_september_are_not_considered(self) -> None:
        s = school(hazards=[self.hz(found=d(8, 31))])
        f = check_rule(hazard_notices, s, ON)
        assert_status(f, "pass")
        assert f.evidence["needing_notice"] == 0
        assert_status(
            check_rule(hazard_notices, school(hazards=[self.hz(found=d(9, 1))]), ON), "fail"
        )

    def test_school_notice_does_not_cover(self) -> None:
        n = notice("n", d(9, 3), "h", issuer=InspectorLevel.SCHOOL)
        s = school(hazards=[self.hz()], rectification_notices=[n])
        assert_status(check_rule(hazard_notices, s, ON), "fail")
        n = notice("n", d(9, 3), "h", issuer=InspectorLevel.COUNTY)
        s = school(hazards=[self.hz()], rectification_notices=[n])
        assert_status(check_rule(hazard_notices, s, ON), "pass")

    def test_notice_must_name_the_hazard(self) -> None:
        other = Hazard("other", d(9, 3), found_by=InspectorLevel.POLICE_STATION)
        s = school(
            hazards=[self.hz(), other], rectification_notices=[notice("n", d(9, 3), "other")]
        )
        f = check_rule(hazard_notices, s, ON)
        assert_status(f, "fail")
        assert f.evidence["uncovered"] == ["h"]

    @pytest.mark.parametrize("finder", [InspectorLevel.SCHOOL, InspectorLevel.COUNTY])
    def test_hazards_found_by_others_need_no_police_notice(self, finder) -> None:
        f = check_rule(hazard_notices, school(hazards=[self.hz(found_by=finder)]), ON)
        assert_status(f, "pass")
        assert f.evidence["not_found_by_police"] == ["h"]

    def test_hazard_with_no_finder_recorded_is_treated_as_police_found(self) -> None:
        f = check_rule(hazard_notices, school(hazards=[self.hz(found_by=None)]), ON)
        assert_status(f, "fail")
        assert f.evidence["finder_unknown"] == ["h"]
        assert "no finder recorded" in f.message.en
        s = school(
            hazards=[self.hz(found_by=None)], rectification_notices=[notice("n", d(9, 3), "h")]
        )
        assert_status(check_rule(hazard_notices, s, ON), "pass")

    def test_hazard_found_after_the_evaluation_date_is_not_considered(self) -> None:
        assert_status(
            check_rule(hazard_notices, school(hazards=[self.hz(found=d(10, 31))]), ON), "pass"
        )


class TestNoticesNotOverdue:
    def s(self, closed=None, issued=None):
        issued = issued or d(9, 6)
        h = Hazard("h", d(9, 5), found_by=InspectorLevel.POLICE_STATION)
        return school(
            hazards=[h],
            rectification_notices=[notice("n", issued, "h", by=d(9, 20), closed=closed)],
        )

    def test_the_deadline_day_is_still_in_time(self) -> None:
        assert_status(check_rule(notices_not_overdue, self.s(), d(9, 20)), "pass")
        f = check_rule(notices_not_overdue, self.s(), d(9, 21))
        assert_status(f, "fail")
        assert f.evidence["overdue"] == [{"id": "n", "rectify_by": d(9, 20)}]

    def test_closed_late_counts_from_the_closing_day(self) -> None:
        assert_status(check_rule(notices_not_overdue, self.s(closed=d(9, 22)), d(9, 21)), "fail")
        assert_status(check_rule(notices_not_overdue, self.s(closed=d(9, 22)), d(9, 22)), "pass")

    def test_closed_in_time_passes(self) -> None:
        assert_status(check_rule(notices_not_overdue, self.s(closed=d(9, 18)), ON), "pass")

    def test_notice_issued_after_the_evaluation_date_is_ignored(self) -> None:
        f = check_rule(notices_not_overdue, self.s(issued=d(9, 6)), d(9, 5))
        assert_status(f, "pass")
        assert f.evidence["notices"] == 0

    def test_binds_from_the_start(self) -> None:
        assert notices_not_overdue.binding_from is None


# --- the standard ---------------------------------------------------------------------


RULE_IDS = [
    "pucheng.urban-guard-staffing",
    "pucheng.rural-guard-staffing",
    "pucheng.boarding-duty",
    "pucheng.guard-pre-job-training",
    "pucheng.guard-certified",
    "pucheng.guard-uniform",
    "pucheng.guard-equipment",
    "pucheng.video-full-coverage",
    "pucheng.perimeter",
    "pucheng.closed-management",
    "pucheng.visitor-vehicle-registration",
    "pucheng.security-routines",
    "pucheng.police-inspections",
    "pucheng.hazard-notices",
    "pucheng.notices-not-overdue",
    "pucheng.september-inspection",
    "pucheng.october-acceptance",
]


class TestStandard:
    def test_hook_provides_the_standard(self) -> None:
        assert list(campus_security_standards()) == [STANDARD]

    def test_entry_point_is_installed(self) -> None:
        pm = cs.PluginManager()
        assert "pucheng" in pm.plugin_names
        assert "pucheng" in {s.id for s in pm.standards()}

    def test_rules_and_clauses(self) -> None:
        assert [r.id for r in STANDARD.rules] == RULE_IDS
        assert not STANDARD.targets
        clauses = {"三、1", "三、2", "三、3", "三、4", "三、7", "四、⑵", "四、⑶", "四、⑷"}
        for r in STANDARD.rules:
            assert r.citation.document == DOCUMENT
            assert r.citation.clause in clauses
            assert r.title.zh and r.title.en and r.passes and r.fails
        assert STANDARD.rule("pucheng.september-inspection").citation.clause == "四、\u2475"

    @pytest.mark.parametrize(
        "region, covered",
        [("610526", True), ("610527", False), ("610500", False), ("431302", False)],
    )
    def test_jurisdiction(self, region: str, covered: bool) -> None:
        assert bool(evaluate_standard(STANDARD, make_school(region_code=region), ON)) is covered

    @pytest.mark.parametrize(
        "day, in_force",
        [
            (d(6, 15), False),
            (d(6, 16), True),
            (d(10, 30), True),
            (d(10, 31), True),
            (dt.date(2024, 11, 20), True),
        ],
    )
    def test_in_force_from_16_june_2014(self, day, in_force) -> None:
        assert bool(evaluate_standard(STANDARD, school(), day)) is in_force

    def test_schools_owe_nothing_before_1_september(self) -> None:
        findings = evaluate_standard(STANDARD, school(guards=[guard(uniform=False)]), DEADLINE - D)
        assert not [f for f in findings.values() if f.status is cs.Status.FAIL]
        findings = evaluate_standard(STANDARD, school(guards=[guard(uniform=False)]), DEADLINE)
        assert findings["pucheng.guard-uniform"].status is cs.Status.FAIL


class TestFixture:
    PATH = Path(__file__).with_name("fixture_roster.json")

    def test_every_rule_passes_and_fails_somewhere(self) -> None:
        report = cs.evaluate(cs.load_roster(self.PATH), ON, [STANDARD])
        for r in STANDARD.rules:
            statuses = {f.status for f in report.findings if f.rule_id == r.id}
            assert cs.Status.PASS in statuses, r.id
            assert cs.Status.FAIL in statuses, r.id
        assert not report.by_status(cs.Status.ERROR)
        assert "pc-outside" not in {f.school_id for f in report.findings}

    def test_the_file_is_what_the_builder_writes(self) -> None:
        spec = importlib.util.spec_from_file_location(
            "pucheng_make_fixture", Path(__file__).with_name("make_fixture.py")
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.FIXTURE_ON == ON
        assert cs.dumps_roster(module.build()) == self.PATH.read_bytes()
