"""Boundary tests of 沧教〔2019〕79号's rules, written as an outside plugin author would."""

from __future__ import annotations

import datetime as dt
import doctest
import runpy
from collections import defaultdict
from pathlib import Path

import campus_security_cangzhou.rules as rules_module
import pytest
from campus_security_cangzhou import STANDARD, campus_security_standards
from campus_security_cangzhou.rules import (
    EIGHT_KINDS,
    ISSUED,
    anti_ramming,
    emergency_drill,
    emergency_plan,
    gate_duty,
    grid_management,
    guard_age,
    guard_certified,
    guard_licensed_company,
    guard_room,
    guard_staffing,
    guard_trained,
    hazard_check_daily,
    hazard_check_monthly,
    hazard_check_quarterly,
    hazard_check_weekly,
    hazard_rectification_plan,
    hazard_rectified_on_time,
    key_area_patrol,
    last_complete_period,
    minimum_full_time_guards,
    night_patrol,
    platform_link,
    protective_equipment,
    risk_list,
    visitor_vehicle_registration,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import campus_security as cs
from campus_security.model import (
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
    HireSource,
    Inspection,
    InspectorLevel,
    Locality,
    Period,
    Placement,
    Routines,
    SchoolKind,
    Training,
    TrainingKind,
    month,
    quarter,
    semester,
    week,
)
from campus_security.sdk import CLOCK_TOLERANCE
from campus_security.testing import (
    assert_status,
    birth_date_for_age,
    check_rule,
    evaluate_standard,
    make_company,
    make_guard,
    make_roster,
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

    @pytest.mark.parametrize("kind", EIGHT_KINDS)
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


# --- the rules added for the rest of the document ---------------------------------------------


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class TestTraining:
    def trained(self, start: dt.date, days: int):
        return make_guard(on=ON, trainings=[Training(TrainingKind.PRE_JOB, start, days)])

    def test_a_course_ending_on_the_evaluation_date_counts(self) -> None:
        s = school(guards=[self.trained(ON - dt.timedelta(days=6), 7)])  # last day: ON
        assert_status(check_rule(guard_trained, s, ON), "pass")

    def test_a_course_ending_the_day_after_does_not_count_yet(self) -> None:
        s = school(guards=[self.trained(ON - dt.timedelta(days=5), 7)], name="x")
        f = check_rule(guard_trained, s, ON)
        assert_status(f, "fail")
        assert f.evidence["untrained"] == ["测试保安"]
        assert_status(check_rule(guard_trained, s, ON + dt.timedelta(days=1)), "pass")

    def test_untrained_guard_is_named(self) -> None:
        s = school(guards=[self.trained(d("2023-01-01"), 5), make_guard(on=ON, name="郑明")])
        f = check_rule(guard_trained, s, ON)
        assert_status(f, "fail")
        assert f.evidence["untrained"] == ["郑明"] and "郑明" in f.message.zh

    def test_any_kind_of_course_counts_and_part_timers_are_not_judged(self) -> None:
        rotation = make_guard(
            on=ON, trainings=[Training(TrainingKind.ROTATION, d("2024-01-02"), 1)]
        )
        part_timer = make_guard(on=ON, full_time=False)
        assert_status(check_rule(guard_trained, school(guards=[rotation, part_timer]), ON), "pass")

    def test_no_guards_nothing_to_judge(self) -> None:
        assert_status(check_rule(guard_trained, school(), ON), "pass")


def linked_devices(*, video: bool = True, alarm: bool = True, linked: bool = True):
    out = []
    if video:
        out.append(Device("cam", DeviceKind.VIDEO_SURVEILLANCE, linked, Placement.GATE))
    if alarm:
        out.append(Device("alarm", DeviceKind.ONE_KEY_ALARM, linked, Placement.GATEHOUSE))
    return out


class TestPlatformLink:
    def test_linked_video_and_alarm_pass(self) -> None:
        f = check_rule(platform_link, school(devices=linked_devices()), ON)
        assert_status(f, "pass")
        assert f.evidence["devices"] == 2

    @pytest.mark.parametrize(
        "kw, missing",
        [
            ({"video": False}, ["video_surveillance"]),
            ({"alarm": False}, ["one_key_alarm"]),
            ({"video": False, "alarm": False}, ["video_surveillance", "one_key_alarm"]),
        ],
    )
    def test_a_missing_system_fails(self, kw, missing) -> None:
        f = check_rule(platform_link, school(devices=linked_devices(**kw)), ON)
        assert_status(f, "fail")
        assert f.evidence["missing"] == missing

    def test_an_intrusion_alarm_is_not_an_emergency_alarm(self) -> None:
        devices = [*linked_devices(alarm=False), Device("ia", DeviceKind.INTRUSION_ALARM, True)]
        f = check_rule(platform_link, school(devices=devices), ON)
        assert_status(f, "fail")
        assert f.evidence["missing"] == ["one_key_alarm"]

    def test_every_device_must_be_linked(self) -> None:
        devices = [*linked_devices(), Device("cam2", DeviceKind.VIDEO_SURVEILLANCE, False)]
        f = check_rule(platform_link, school(devices=devices), ON)
        assert_status(f, "fail")
        assert f.evidence["unlinked"] == ["cam2"] and "cam2" in f.message.en

    def test_a_device_probed_unreachable_is_not_connected(self) -> None:
        s = school(devices=linked_devices())
        down = DeviceStatus("alarm", False, PROBED_AT)
        up = DeviceStatus("alarm", True, PROBED_AT)
        for status, expected in ((down, cs.Status.FAIL), (up, cs.Status.PASS)):
            f = probed(s, {"alarm": status})
            assert f.status is expected
        assert f.evidence["probe"]["unreachable"] == []
        assert platform_link.devices == (DeviceKind.VIDEO_SURVEILLANCE, DeviceKind.ONE_KEY_ALARM)


PROBED_AT = dt.datetime(2024, 11, 20, 8, 0, tzinfo=dt.UTC)


def probed(s, statuses: dict[str, DeviceStatus]):
    """The platform-link finding of ``s`` with probed device statuses, as ``check`` makes it."""
    result = cs.evaluate_school(
        s, ON, [STANDARD], companies=[make_company()], device_status=statuses
    )
    (f,) = [f for f in result.findings if f.rule_id == "cangzhou.platform-link"]
    return f


def answered(device_id: str, clock_offset: float | None = None) -> DeviceStatus:
    return DeviceStatus(device_id, True, PROBED_AT, clock_offset=clock_offset)


class TestPlatformLinkProbe:
    def test_reachable_devices_pass(self) -> None:
        f = probed(
            school(devices=linked_devices()), {"cam": answered("cam"), "alarm": answered("alarm")}
        )
        assert_status(f, "pass")
        probe = f.evidence["probe"]
        assert probe["unreachable"] == [] and probe["clock_off"] == {} and probe["unprobed"] == []

    def test_an_unreachable_camera_fails_and_the_message_says_why(self) -> None:
        down = DeviceStatus("cam", False, PROBED_AT)
        f = probed(school(devices=linked_devices()), {"cam": down, "alarm": answered("alarm")})
        assert_status(f, "fail")
        assert f.evidence["probe"]["unreachable"] == ["cam"]
        assert f.evidence["unlinked"] == [] and f.evidence["missing"] == []
        assert "探测不可达：cam" in f.message.zh and "probed unreachable: cam" in f.message.en

    @pytest.mark.parametrize(
        "offset, expected",
        [(0.0, "pass"), (10.0, "pass"), (-10.0, "pass"), (10.5, "fail"), (-10.5, "fail")],
    )
    def test_the_clock_tolerance_is_ten_seconds_inclusive(self, offset, expected) -> None:
        s = school(devices=linked_devices())
        f = probed(s, {"cam": answered("cam", offset), "alarm": answered("alarm")})
        assert_status(f, expected)
        assert f.evidence["probe"]["clock_tolerance_s"] == CLOCK_TOLERANCE == 10.0
        if expected == "fail":
            assert f.evidence["probe"]["clock_off"] == {"cam": offset}
            assert (
                "时钟偏差超过10秒" in f.message.zh and "clock off by more than 10 s" in f.message.en
            )

    def test_a_device_without_a_status_is_judged_as_declared(self) -> None:
        s = school(devices=linked_devices())
        f = probed(s, {"alarm": answered("alarm")})
        assert_status(f, "pass")
        assert f.evidence["probe"]["unprobed"] == ["cam"]
        unlinked = school(devices=linked_devices(linked=False))
        f = probed(unlinked, {"cam": answered("cam"), "alarm": answered("alarm")})
        assert_status(f, "fail")
        assert f.evidence["unlinked"] == ["cam", "alarm"]

    def test_without_a_status_file_nothing_is_probed(self) -> None:
        f = check_rule(platform_link, school(devices=linked_devices()), ON)
        assert_status(f, "pass")
        assert f.evidence["probe"]["unprobed"] == ["cam", "alarm"]

    def test_a_probe_fault_on_an_answering_device_does_not_fail(self) -> None:
        faulty = DeviceStatus(
            "cam", True, PROBED_AT, fault=cs.Text("凭据被拒绝", "credential refused")
        )
        f = probed(school(devices=linked_devices()), {"cam": faulty})
        assert_status(f, "pass")
        assert f.evidence["probe"]["unverified"] == ["cam"]

    def test_statuses_of_other_kinds_are_not_read(self) -> None:
        devices = [*linked_devices(), Device("ia", DeviceKind.INTRUSION_ALARM, True)]
        f = probed(school(devices=devices), {"ia": DeviceStatus("ia", False, PROBED_AT)})
        assert_status(f, "pass")


class TestPlatformLinkScope:
    @pytest.mark.parametrize("locality", [Locality.TOWN, Locality.RURAL])
    def test_only_urban_schools(self, locality: Locality) -> None:
        f = check_rule(platform_link, school(locality=locality), ON)
        assert_status(f, "not_applicable")

    def test_binds_on_the_last_day_of_2019(self) -> None:
        s = school(devices=linked_devices(linked=False))
        assert_status(check_rule(platform_link, s, d("2019-12-30")), "not_applicable")
        assert_status(check_rule(platform_link, s, d("2019-12-31")), "fail")
        good = school(devices=linked_devices())
        assert_status(check_rule(platform_link, good, d("2019-12-30")), "pass")


class TestPlatformLinkTarget:
    def rates(self, on: dt.date):
        roster = make_roster(
            school(id="u-good", devices=linked_devices()),
            school(id="u-bad", devices=linked_devices(linked=False)),
            school(id="town", locality=Locality.TOWN),
        )
        (rate,) = cs.evaluate(roster, on, [STANDARD]).rates
        return rate

    def test_pending_before_due(self) -> None:
        rate = self.rates(d("2019-12-30"))
        assert rate.target_id == "cangzhou.platform-link-rate"
        assert rate.status is cs.RateStatus.PENDING
        assert (rate.tally.met, rate.tally.not_met) == (1, 1)  # urban schools only

    def test_not_met_on_the_due_date(self) -> None:
        rate = self.rates(d("2019-12-31"))
        assert rate.status is cs.RateStatus.NOT_MET and rate.value == 0.5

    def test_met_when_every_urban_school_is_linked(self) -> None:
        roster = make_roster(school(devices=linked_devices()), school(locality=Locality.RURAL))
        (rate,) = cs.evaluate(roster, d("2019-12-31"), [STANDARD]).rates
        assert rate.status is cs.RateStatus.MET and rate.tally.counted == 1


class TestAntiRamming:
    @pytest.mark.parametrize(
        "vehicle_access, has, status",
        [(True, True, "pass"), (True, False, "fail"), (False, False, "not_applicable")],
    )
    def test_where_a_vehicle_can_reach_the_gate(self, vehicle_access, has, status) -> None:
        s = school(vehicle_access=vehicle_access, facilities=Facilities(anti_ramming=has))
        assert_status(check_rule(anti_ramming, s, ON), status)

    def test_binds_from_the_day_of_issue(self) -> None:
        assert anti_ramming.binding_from is None
        findings = evaluate_standard(STANDARD, school(), ISSUED)
        assert_status(findings["cangzhou.anti-ramming"], "fail")


class TestRoutinesAndFacilities:
    @pytest.mark.parametrize(
        "rule_, field, where",
        [
            (gate_duty, "gate_duty", Routines),
            (key_area_patrol, "key_area_patrol", Routines),
            (grid_management, "grid_management", Routines),
            (risk_list, "risk_list", Routines),
            (emergency_plan, "emergency_plan", Routines),
            (guard_room, "guard_room", Facilities),
        ],
    )
    def test_flag_decides(self, rule_, field, where) -> None:
        key = "routines" if where is Routines else "facilities"
        for value, status in ((True, "pass"), (False, "fail")):
            f = check_rule(rule_, school(**{key: where(**{field: value})}), ON)
            assert_status(f, status)
            assert f.evidence == {field: value}

    @pytest.mark.parametrize(
        "visitor, vehicle, missing",
        [
            (True, True, []),
            (False, True, ["visitor_registration"]),
            (True, False, ["vehicle_registration"]),
            (False, False, ["visitor_registration", "vehicle_registration"]),
        ],
    )
    def test_both_registrations(self, visitor, vehicle, missing) -> None:
        r = Routines(visitor_registration=visitor, vehicle_registration=vehicle)
        f = check_rule(visitor_vehicle_registration, school(routines=r), ON)
        assert_status(f, "fail" if missing else "pass")
        assert f.evidence["missing"] == missing

    @pytest.mark.parametrize(
        "kind, boarders, patrol, status",
        [
            (SchoolKind.SECONDARY, 1, False, "fail"),  # one boarder makes a boarding school
            (SchoolKind.SECONDARY, 1, True, "pass"),
            (SchoolKind.PRIMARY, 300, True, "pass"),
            (SchoolKind.VOCATIONAL, 300, False, "fail"),
            (SchoolKind.SECONDARY, 0, False, "not_applicable"),
            (SchoolKind.KINDERGARTEN, 50, False, "not_applicable"),  # 中小学校 only
        ],
    )
    def test_night_patrol_at_boarding_schools(self, kind, boarders, patrol, status) -> None:
        s = school(kind=kind, boarders=boarders, routines=Routines(night_patrol=patrol))
        assert_status(check_rule(night_patrol, s, ON), status)


def inspection(day: str, cadence: Cadence | None, level=InspectorLevel.SCHOOL) -> Inspection:
    return Inspection(d(day), level, cadence)


CADENCE_RULES = {
    Cadence.DAILY: hazard_check_daily,
    Cadence.WEEKLY: hazard_check_weekly,
    Cadence.MONTHLY: hazard_check_monthly,
    Cadence.QUARTERLY: hazard_check_quarterly,
}


class TestHazardCheckWindows:
    def status(self, cadence: Cadence, record: str, on: str) -> str:
        s = school(inspections=[inspection(record, cadence)])
        return check_rule(CADENCE_RULES[cadence], s, d(on)).status.value

    @pytest.mark.parametrize(
        "cadence, record, on, status",
        [
            # daily: yesterday is judged, today is not yet
            (Cadence.DAILY, "2024-11-19", "2024-11-20", "pass"),
            (Cadence.DAILY, "2024-11-20", "2024-11-20", "fail"),
            (Cadence.DAILY, "2024-11-18", "2024-11-20", "fail"),
            (Cadence.DAILY, "2024-12-31", "2025-01-01", "pass"),
            # weekly: the last Monday-Sunday week that has ended
            (Cadence.WEEKLY, "2024-11-17", "2024-11-18", "pass"),  # Sunday, judged Monday
            (Cadence.WEEKLY, "2024-11-11", "2024-11-18", "pass"),  # that week's Monday
            (Cadence.WEEKLY, "2024-11-10", "2024-11-18", "fail"),  # the Sunday before
            (Cadence.WEEKLY, "2024-11-18", "2024-11-18", "fail"),  # this week: not judged yet
            (Cadence.WEEKLY, "2024-11-17", "2024-11-17", "fail"),  # Sunday judges 11-04..10
            (Cadence.WEEKLY, "2024-11-10", "2024-11-17", "pass"),
            (Cadence.WEEKLY, "2024-12-30", "2025-01-06", "pass"),  # a week across new year
            # monthly: the last calendar month
            (Cadence.MONTHLY, "2024-10-31", "2024-11-01", "pass"),
            (Cadence.MONTHLY, "2024-10-01", "2024-11-30", "pass"),
            (Cadence.MONTHLY, "2024-09-30", "2024-11-01", "fail"),
            (Cadence.MONTHLY, "2024-11-01", "2024-11-30", "fail"),
            (Cadence.MONTHLY, "2024-02-29", "2024-03-01", "pass"),  # leap day
            (Cadence.MONTHLY, "2024-12-31", "2025-01-01", "pass"),
            # quarterly: the last calendar quarter
            (Cadence.QUARTERLY, "2024-09-30", "2024-10-01", "pass"),
            (Cadence.QUARTERLY, "2024-07-01", "2024-10-01", "pass"),
            (Cadence.QUARTERLY, "2024-06-30", "2024-10-01", "fail"),
            (Cadence.QUARTERLY, "2024-09-30", "2024-09-30", "fail"),  # Q3 not over yet
            (Cadence.QUARTERLY, "2024-06-30", "2024-09-30", "pass"),
            (Cadence.QUARTERLY, "2024-10-01", "2024-12-31", "fail"),
            (Cadence.QUARTERLY, "2024-12-31", "2025-01-01", "pass"),
        ],
    )
    def test_window_edges(self, cadence, record, on, status) -> None:
        assert self.status(cadence, record, on) == status

    def test_evidence_names_the_judged_period(self) -> None:
        f = check_rule(hazard_check_quarterly, school(), d("2024-10-01"))
        assert_status(f, "fail")
        assert (f.evidence["period_start"], f.evidence["period_end"]) == (
            "2024-07-01",
            "2024-09-30",
        )
        assert "2024-07-01" in f.message.zh and "2024-09-30" in f.message.en

    @pytest.mark.parametrize("cadence", list(Cadence))
    def test_only_school_checks_of_exactly_that_cadence_count(self, cadence: Cadence) -> None:
        on = d("2024-11-20")
        # a record of every other cadence, and a police inspection and an unlabelled one,
        # on every day of the last quarter and since: none counts
        days = [on - dt.timedelta(days=i) for i in range(1, 150)]
        records = [
            Inspection(x, InspectorLevel.SCHOOL, c)
            for x in days
            for c in Cadence
            if c is not cadence
        ]
        records += [Inspection(x, InspectorLevel.POLICE_STATION, cadence) for x in days]
        records += [Inspection(x, InspectorLevel.SCHOOL, None) for x in days]
        f = check_rule(CADENCE_RULES[cadence], school(inspections=records), on)
        assert_status(f, "fail")
        assert f.evidence["held"] == []

    @pytest.mark.parametrize(
        "cadence, last_unjudged, first_judged",
        [
            (Cadence.DAILY, "2019-05-13", "2019-05-14"),
            (Cadence.WEEKLY, "2019-05-19", "2019-05-20"),
            (Cadence.MONTHLY, "2019-06-30", "2019-07-01"),
            (Cadence.QUARTERLY, "2019-09-30", "2019-10-01"),
        ],
    )
    def test_no_period_before_the_day_of_issue_is_judged(
        self, cadence, last_unjudged, first_judged
    ) -> None:
        rule_ = CADENCE_RULES[cadence]
        assert_status(check_rule(rule_, school(), d(last_unjudged)), "not_applicable")
        f = check_rule(rule_, school(), d(first_judged))
        assert_status(f, "fail")
        assert d(f.evidence["period_start"]) >= ISSUED

    @settings(max_examples=40, deadline=None)
    @given(
        st.dates(dt.date(2019, 10, 1), dt.date(2030, 12, 31)),
        st.sampled_from(list(Cadence)),
        st.integers(0, 400),
    )
    def test_a_record_passes_exactly_when_it_lies_in_the_last_complete_period(
        self, on, cadence, back
    ) -> None:
        unit = cadence.value
        period = last_complete_period(unit, on)
        record = on - dt.timedelta(days=back)
        s = school(inspections=[Inspection(record, InspectorLevel.SCHOOL, cadence)])
        expected = "pass" if record in period else "fail"
        assert_status(check_rule(CADENCE_RULES[cadence], s, on), expected)


class TestLastCompletePeriod:
    @settings(max_examples=60, deadline=None)
    @given(
        st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
        st.sampled_from(["daily", "weekly", "monthly", "quarterly", "semester"]),
    )
    def test_it_ends_the_day_before_the_current_period_starts(self, on, unit) -> None:
        of = {
            "daily": lambda x: Period(x, x),
            "weekly": week,
            "monthly": month,
            "quarterly": quarter,
            "semester": semester,
        }[unit]
        p = last_complete_period(unit, on)
        assert p.end < on and p.end + dt.timedelta(days=1) == of(on).start
        assert of(p.start) == p  # a whole period, not a fragment

    def test_weeks_start_on_monday(self) -> None:
        p = last_complete_period("weekly", d("2024-11-20"))
        assert (p.start.weekday(), p.end.weekday()) == (0, 6)

    def test_doctests(self) -> None:
        result = doctest.testmod(rules_module)
        assert result.attempted >= 6 and result.failed == 0


def hazard(hid: str, found: str, rectify_by: str | None = None, fixed: str | None = None):
    return Hazard(
        hid,
        d(found),
        rectify_by=d(rectify_by) if rectify_by else None,
        rectified_on=d(fixed) if fixed else None,
    )


class TestHazardRectificationPlan:
    def test_an_open_hazard_without_a_deadline_is_allowed_on_the_day_it_is_found(self) -> None:
        s = school(hazards=[hazard("H1", "2024-11-20")])
        f = check_rule(hazard_rectification_plan, s, d("2024-11-20"))
        assert_status(f, "pass")
        assert f.evidence["found_today"] == ["H1"]

    def test_and_fails_the_day_after(self) -> None:
        s = school(hazards=[hazard("H1", "2024-11-20")])
        f = check_rule(hazard_rectification_plan, s, d("2024-11-21"))
        assert_status(f, "fail")
        assert f.evidence["unplanned"] == [{"id": "H1", "found_on": "2024-11-20"}]
        assert "H1" in f.message.zh and "H1" in f.message.en

    @pytest.mark.parametrize(
        "h",
        [
            hazard("H1", "2024-10-01", rectify_by="2024-12-01"),  # planned
            hazard("H2", "2024-10-01", fixed="2024-10-01"),  # 立行立改
            hazard("H3", "2024-10-01", fixed="2024-11-20"),  # fixed today
            hazard("H4", "2024-11-21"),  # found after the evaluation date
        ],
    )
    def test_planned_fixed_or_future_hazards_pass(self, h) -> None:
        assert_status(check_rule(hazard_rectification_plan, school(hazards=[h]), ON), "pass")

    def test_a_plan_past_its_deadline_is_the_other_rules_business(self) -> None:
        s = school(hazards=[hazard("H1", "2024-10-01", rectify_by="2024-10-31")])
        assert_status(check_rule(hazard_rectification_plan, s, ON), "pass")
        assert_status(check_rule(hazard_rectified_on_time, s, ON), "fail")


class TestHazardRectifiedOnTime:
    def test_deadline_day_passes_and_the_day_after_fails(self) -> None:
        s = school(hazards=[hazard("H1", "2024-10-01", rectify_by="2024-11-20")])
        assert_status(check_rule(hazard_rectified_on_time, s, d("2024-11-20")), "pass")
        f = check_rule(hazard_rectified_on_time, s, d("2024-11-21"))
        assert_status(f, "fail")
        assert f.evidence["overdue"] == [{"id": "H1", "rectify_by": "2024-11-20"}]
        assert "2024-11-20" in f.message.en

    def test_fixed_on_the_evaluation_date_counts_as_fixed(self) -> None:
        s = school(
            hazards=[hazard("H1", "2024-10-01", rectify_by="2024-10-31", fixed="2024-11-20")]
        )
        assert_status(check_rule(hazard_rectified_on_time, s, d("2024-11-20")), "pass")
        assert_status(check_rule(hazard_rectified_on_time, s, d("2024-11-19")), "fail")

    def test_a_hazard_without_a_deadline_is_never_overdue(self) -> None:
        s = school(hazards=[hazard("H1", "2020-01-01")])
        assert_status(check_rule(hazard_rectified_on_time, s, ON), "pass")

    def test_only_the_overdue_ones_are_listed(self) -> None:
        s = school(
            hazards=[
                hazard("H2", "2024-10-01", rectify_by="2024-11-10"),
                hazard("H1", "2024-10-01", rectify_by="2024-11-01"),
                hazard("H3", "2024-10-01", rectify_by="2024-12-01"),
            ]
        )
        f = check_rule(hazard_rectified_on_time, s, ON)
        assert [o["id"] for o in f.evidence["overdue"]] == ["H1", "H2"]


class TestEmergencyDrill:
    @pytest.mark.parametrize(
        "drill, on, status",
        [
            # on 31 Aug the spring semester is still running: autumn 2023 is judged
            ("2024-01-31", "2024-08-31", "pass"),
            ("2023-09-01", "2024-08-31", "pass"),
            ("2024-02-01", "2024-08-31", "fail"),
            # on 1 Sep spring 2024 (1 Feb - 31 Aug) is judged
            ("2024-08-31", "2024-09-01", "pass"),
            ("2024-02-01", "2024-09-01", "pass"),
            ("2024-01-31", "2024-09-01", "fail"),
            ("2024-09-01", "2024-09-01", "fail"),
            # on 31 Jan autumn is still running; on 1 Feb it is judged
            ("2025-01-31", "2025-01-31", "fail"),
            ("2025-01-31", "2025-02-01", "pass"),
            ("2024-09-01", "2025-02-01", "pass"),
            ("2024-08-31", "2025-02-01", "fail"),
        ],
    )
    def test_semester_edges(self, drill, on, status) -> None:
        s = school(drills=[Drill(DrillKind.EMERGENCY, d(drill))])
        assert_status(check_rule(emergency_drill, s, d(on)), status)

    @pytest.mark.parametrize("kind", [k for k in DrillKind if k is not DrillKind.EMERGENCY])
    def test_other_drills_do_not_count(self, kind: DrillKind) -> None:
        s = school(drills=[Drill(kind, d("2024-05-01"))])
        f = check_rule(emergency_drill, s, ON)
        assert_status(f, "fail")
        assert (
            f.evidence["period_start"] == "2024-02-01" and f.evidence["period_end"] == "2024-08-31"
        )

    def test_first_judged_semester_is_autumn_2019(self) -> None:
        assert_status(check_rule(emergency_drill, school(), d("2020-01-31")), "not_applicable")
        f = check_rule(emergency_drill, school(), d("2020-02-01"))
        assert_status(f, "fail")
        assert f.evidence["period_start"] == "2019-09-01"


# --- the standard as a whole, and the fixture roster -----------------------------------------

OLD_IDS = [
    "cangzhou.guard-staffing",
    "cangzhou.guard-age",
    "cangzhou.guard-certified",
    "cangzhou.guard-licensed-company",
    "cangzhou.protective-equipment",
]
CLAUSES = {"一（一）", "一（二）", "一（三）", "一（四）", "三（二）", "四（一）", "四（三）"}


class TestCatalogue:
    def test_the_first_five_rules_keep_their_ids(self) -> None:
        assert [r.id for r in STANDARD.rules[:5]] == OLD_IDS

    def test_every_rule_is_bilingual_and_cites_a_clause_of_the_document(self) -> None:
        for r in STANDARD.rules:
            assert r.citation.clause in CLAUSES, r.id
            assert r.passes and r.fails and r.passes.zh and r.passes.en and r.fails.zh
            assert r.fails.en and r.title.zh and r.title.en

    def test_clauses_of_the_new_rules(self) -> None:
        clause = {r.id: r.citation.clause for r in STANDARD.rules}
        assert clause["cangzhou.platform-link"] == "一（一）"
        assert clause["cangzhou.anti-ramming"] == "一（一）"
        assert clause["cangzhou.night-patrol"] == "一（二）"
        assert clause["cangzhou.guard-room"] == "一（三）"
        assert clause["cangzhou.hazard-check-quarterly"] == "一（四）"
        assert clause["cangzhou.hazard-rectification-plan"] == "三（二）"
        assert clause["cangzhou.emergency-drill"] == "四（一）"

    def test_the_target(self) -> None:
        (t,) = STANDARD.targets
        assert t.id == "cangzhou.platform-link-rate" and t.rule_id == "cangzhou.platform-link"
        assert t.due == d("2019-12-31") and t.threshold == 1.0
        assert t.citation.clause == "一（一）"
        assert STANDARD.rule("cangzhou.platform-link").binding_from == t.due


FIXTURE = Path(__file__).with_name("fixture_roster.json")


@pytest.fixture(scope="module")
def fixture_builder():
    return runpy.run_path(str(Path(__file__).with_name("make_fixture.py")))


class TestFixtureRoster:
    def test_the_file_is_what_the_builder_makes(self, fixture_builder) -> None:
        assert cs.dumps_roster(fixture_builder["build"]()) == FIXTURE.read_bytes()

    def test_every_rule_both_passes_and_fails(self, fixture_builder) -> None:
        roster = cs.load_roster(FIXTURE)
        report = cs.evaluate(roster, fixture_builder["ON"], [STANDARD])
        seen: dict[str, set[cs.Status]] = defaultdict(set)
        for f in report.findings:
            seen[f.rule_id].add(f.status)
        assert not report.by_status(cs.Status.ERROR)
        for r in STANDARD.rules:
            assert cs.Status.PASS in seen[r.id], f"{r.id} never passes"
            assert cs.Status.FAIL in seen[r.id], f"{r.id} never fails"

    def test_every_target_counts_a_met_and_an_unmet_school(self, fixture_builder) -> None:
        roster = cs.load_roster(FIXTURE)
        report = cs.evaluate(roster, fixture_builder["ON"], [STANDARD])
        rates = {r.target_id: r for r in report.rates}
        assert set(rates) == {t.id for t in STANDARD.targets}
        for rate in rates.values():
            assert rate.tally.met >= 1 and rate.tally.not_met >= 1
            assert rate.status is cs.RateStatus.NOT_MET


class TestGateCommunication:
    def test_a_radio_passes_none_fails(self) -> None:
        from campus_security_cangzhou.rules import gate_communication

        with_radio = school(equipment=[Equipment(EquipmentKind.RADIO, 2, False)])
        f = check_rule(gate_communication, with_radio, ON)
        assert_status(f, "pass")
        assert f.evidence["radios"] == 2
        zero = school(equipment=[Equipment(EquipmentKind.RADIO, 0, False)])
        assert_status(check_rule(gate_communication, zero, ON), "fail")
        assert_status(check_rule(gate_communication, school(), ON), "fail")
