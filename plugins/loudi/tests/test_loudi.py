"""Boundary tests of the Loudi rules (娄底市公安局四项举措), written as an outside author would."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from campus_security_loudi import STAFFING_TARGET, STANDARD, campus_security_standards
from campus_security_loudi.rules import (
    DOCUMENT,
    HIRE_CUTOFF,
    certified_guards,
    company_hired_new_guards,
    full_time_guard,
    hazards_rectified,
    on_staff,
    pre_job_training,
    security_routines,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import campus_security as cs
from campus_security import RateStatus
from campus_security.model import (
    Hazard,
    HireSource,
    Ownership,
    Routines,
    SchoolKind,
    Training,
    TrainingKind,
    Waiver,
)
from campus_security.testing import (
    assert_status,
    check_rule,
    evaluate_standard,
    make_guard,
    make_roster,
    make_school,
)

ON = dt.date(2021, 3, 1)
DUE = dt.date(2020, 12, 31)
LOUDI = "431302"
D = dt.timedelta(days=1)
FEW = settings(max_examples=25, deadline=None)


def school(**kw):
    kw.setdefault("region_code", LOUDI)
    return make_school(**kw)


def course(start: dt.date, days: int = 5, *, approved: bool = True, kind=TrainingKind.PRE_JOB):
    return Training(kind, start, days, provider="培训学校", provider_approved=approved)


def trained(**kw):
    """A certified full-time company guard with an approved 5-day course (Nov 2020)."""
    kw.setdefault("trainings", [course(dt.date(2020, 11, 2))])
    return make_guard(on=ON, **kw)


class TestOnStaff:
    def test_hired_on_the_day_counts_hired_the_day_after_does_not(self) -> None:
        today, tomorrow, undated = (
            trained(hired_on=ON),
            trained(hired_on=ON + D),
            trained(hired_on=None),
        )
        s = school(guards=[today, tomorrow, undated])
        assert on_staff(s, ON) == (today, undated) == s.guards_on_staff(ON)


class TestFullTimeGuard:
    def test_part_time_only_fails(self) -> None:
        s = school(guards=[trained(full_time=False), trained(full_time=False)])
        f = check_rule(full_time_guard, s, ON)
        assert_status(f, "fail")
        assert f.evidence == {"full_time": 0, "part_time": 2}

    def test_one_full_time_passes(self) -> None:
        f = check_rule(full_time_guard, school(guards=[trained()]), ON)
        assert_status(f, "pass")
        assert f.evidence["full_time"] == 1

    def test_guard_hired_after_the_evaluation_date_does_not_count(self) -> None:
        assert_status(
            check_rule(full_time_guard, school(guards=[trained(hired_on=ON + D)]), ON), "fail"
        )
        assert_status(
            check_rule(full_time_guard, school(guards=[trained(hired_on=ON)]), ON), "pass"
        )

    def test_binds_on_the_last_day_of_2020(self) -> None:
        s = school(guards=[])
        before = check_rule(full_time_guard, s, DUE - D)
        assert_status(before, "not_applicable")
        assert "2020-12-31" in before.message.en and "not yet binding" in before.message.en
        assert_status(check_rule(full_time_guard, s, DUE), "fail")

    @pytest.mark.parametrize(
        "kw",
        [
            {"kind": SchoolKind.KINDERGARTEN},
            {"ownership": Ownership.PRIVATE},
            {"kind": SchoolKind.VOCATIONAL},
        ],
    )
    def test_every_kind_and_ownership_is_judged(self, kw) -> None:
        assert_status(check_rule(full_time_guard, school(**kw), ON), "fail")
        assert_status(check_rule(full_time_guard, school(guards=[trained()], **kw), ON), "pass")

    @FEW
    @given(st.integers(0, 4), st.integers(0, 4))
    def test_passes_iff_a_full_time_guard(self, full: int, part: int) -> None:
        gs = [trained() for _ in range(full)] + [trained(full_time=False) for _ in range(part)]
        f = check_rule(full_time_guard, school(guards=gs), ON)
        assert_status(f, "pass" if full >= 1 else "fail")
        assert f.evidence == {"full_time": full, "part_time": part}


class TestCertifiedGuards:
    def test_uncertified_part_time_guard_fails(self) -> None:
        g = trained(full_time=False, certificate_number=None, name="张三")
        f = check_rule(certified_guards, school(guards=[trained(), g]), ON)
        assert_status(f, "fail")
        assert f.evidence["count"] == 1
        assert f.evidence["uncertified"] == [{"name": "张三", "id_number": g.id_number}]
        assert "张三" in f.message.zh
        assert g.id_number.value not in f.message.zh + f.message.en

    def test_all_certified_pass(self) -> None:
        assert_status(
            check_rule(certified_guards, school(guards=[trained(), trained()]), ON), "pass"
        )

    def test_no_guards_pass(self) -> None:
        assert_status(check_rule(certified_guards, school(), ON), "pass")

    def test_future_hire_is_ignored(self) -> None:
        g = trained(certificate_number=None, hired_on=ON + D)
        assert_status(check_rule(certified_guards, school(guards=[g]), ON), "pass")
        assert_status(check_rule(certified_guards, school(guards=[g]), ON + D), "fail")

    def test_binds_on_2020_12_31(self) -> None:
        s = school(guards=[trained(certificate_number=None)])
        assert_status(check_rule(certified_guards, s, DUE - D), "not_applicable")
        assert_status(check_rule(certified_guards, s, DUE), "fail")


class TestCompanyHiredNewGuards:
    def test_hire_before_the_cutoff_is_not_new(self) -> None:
        g = trained(hire_source=HireSource.SELF_HIRED, hired_on=dt.date(2020, 11, 30))
        f = check_rule(company_hired_new_guards, school(guards=[g]), ON)
        assert_status(f, "not_applicable")
        assert f.evidence["new"] == 0

    def test_self_hired_on_the_cutoff_fails(self) -> None:
        assert dt.date(2020, 12, 1) == HIRE_CUTOFF
        g = trained(hire_source=HireSource.SELF_HIRED, hired_on=HIRE_CUTOFF, name="孙七")
        f = check_rule(company_hired_new_guards, school(guards=[g]), ON)
        assert_status(f, "fail")
        assert f.evidence["not_company"] == [
            {
                "name": "孙七",
                "id_number": g.id_number,
                "hired_on": HIRE_CUTOFF,
                "hire_source": HireSource.SELF_HIRED,
            }
        ]

    def test_company_hire_on_the_cutoff_passes(self) -> None:
        g = trained(hired_on=HIRE_CUTOFF)
        f = check_rule(company_hired_new_guards, school(guards=[g]), ON)
        assert_status(f, "pass")
        assert f.evidence["new"] == 1

    def test_property_guard_hired_in_2021_fails(self) -> None:
        g = trained(hire_source=HireSource.PROPERTY, hired_on=dt.date(2021, 3, 1))
        assert_status(check_rule(company_hired_new_guards, school(guards=[g]), ON), "fail")

    def test_part_time_self_hired_is_ignored(self) -> None:
        g = trained(
            full_time=False, hire_source=HireSource.SELF_HIRED, hired_on=dt.date(2021, 1, 5)
        )
        assert_status(
            check_rule(company_hired_new_guards, school(guards=[g]), ON), "not_applicable"
        )

    def test_undated_self_hired_guard_is_listed_not_failed(self) -> None:
        g = trained(hire_source=HireSource.SELF_HIRED, hired_on=None, name="周八")
        f = check_rule(company_hired_new_guards, school(guards=[g]), ON)
        assert_status(f, "not_applicable")
        assert f.evidence["undated_non_company"] == [
            {"name": "周八", "id_number": g.id_number, "hire_source": HireSource.SELF_HIRED}
        ]
        # and alongside a company hire, the school passes with the guard still listed
        f = check_rule(company_hired_new_guards, school(guards=[g, trained(hired_on=ON)]), ON)
        assert_status(f, "pass")
        assert [e["name"] for e in f.evidence["undated_non_company"]] == ["周八"]

    def test_guard_hired_after_the_evaluation_date_is_ignored(self) -> None:
        g = trained(hire_source=HireSource.SELF_HIRED, hired_on=dt.date(2021, 2, 1))
        s = school(guards=[g])
        assert_status(
            check_rule(company_hired_new_guards, s, dt.date(2021, 1, 31)), "not_applicable"
        )
        assert_status(check_rule(company_hired_new_guards, s, dt.date(2021, 2, 1)), "fail")

    def test_a_waiver_covers_a_justified_exception(self) -> None:
        g = trained(hire_source=HireSource.SELF_HIRED, hired_on=dt.date(2021, 1, 5))
        w = Waiver("loudi.company-hired-new-guards", "娄底市公安局", "偏远村小，无保安公司", ON)
        s = school(guards=[g], waivers=[w])
        assert_status(check_rule(company_hired_new_guards, s, ON), "waived")
        assert_status(check_rule(company_hired_new_guards, s, ON + D), "fail")


class TestPreJobTraining:
    @pytest.mark.parametrize("days, status", [(4, "fail"), (5, "pass")])
    def test_five_days_minimum(self, days: int, status: str) -> None:
        s = school(guards=[trained(trainings=[course(dt.date(2020, 11, 2), days)])])
        assert_status(check_rule(pre_job_training, s, ON), status)

    def test_short_courses_are_not_added_up(self) -> None:
        g = trained(trainings=[course(dt.date(2020, 11, 2), 3), course(dt.date(2020, 11, 9), 3)])
        f = check_rule(pre_job_training, school(guards=[g]), ON)
        assert_status(f, "fail")
        (u,) = f.evidence["untrained"]
        assert u["reason"] == "too_short" and u["longest_pre_job_days"] == 3

    def test_rotation_does_not_count(self) -> None:
        g = trained(trainings=[course(dt.date(2020, 11, 2), 10, kind=TrainingKind.ROTATION)])
        f = check_rule(pre_job_training, school(guards=[g]), ON)
        assert_status(f, "fail")
        assert f.evidence["untrained"][0]["reason"] == "none"

    def test_unapproved_provider_does_not_count(self) -> None:
        g = trained(trainings=[course(dt.date(2020, 11, 2), 7, approved=False)])
        f = check_rule(pre_job_training, school(guards=[g]), ON)
        assert_status(f, "fail")
        assert f.evidence["untrained"][0]["reason"] == "provider_not_approved"
        assert "provider not approved" in f.message.en

    def test_course_ending_after_the_evaluation_date_is_not_completed(self) -> None:
        # started 2020-12-28, 5 days: last day 2021-01-01. The rule binds on 2020-12-31,
        # so on that day the unfinished course is a failure, not "not yet binding".
        s = school(guards=[trained(trainings=[course(dt.date(2020, 12, 28))])])
        f = check_rule(pre_job_training, s, DUE)
        assert_status(f, "fail")
        assert f.evidence["untrained"][0]["reason"] == "in_progress"
        assert_status(check_rule(pre_job_training, s, dt.date(2021, 1, 1)), "pass")

    def test_course_ending_on_the_evaluation_date_is_completed(self) -> None:
        s = school(guards=[trained(trainings=[course(dt.date(2020, 12, 27))])])
        assert_status(check_rule(pre_job_training, s, DUE), "pass")

    def test_binds_on_2020_12_31(self) -> None:
        s = school(guards=[trained(trainings=[])])
        assert_status(check_rule(pre_job_training, s, DUE - D), "not_applicable")
        assert_status(check_rule(pre_job_training, s, DUE), "fail")

    def test_part_time_guards_are_covered_and_training_after_hire_is_fine(self) -> None:
        late = trained(full_time=False, hired_on=dt.date(2015, 1, 1))  # course in Nov 2020
        assert_status(check_rule(pre_job_training, school(guards=[late]), ON), "pass")
        bare = trained(full_time=False, trainings=[], name="吴九")
        f = check_rule(pre_job_training, school(guards=[late, bare]), ON)
        assert_status(f, "fail")
        assert [u["name"] for u in f.evidence["untrained"]] == ["吴九"]

    def test_no_guards_pass(self) -> None:
        assert_status(check_rule(pre_job_training, school(), ON), "pass")

    @FEW
    @given(st.integers(1, 30), st.booleans())
    def test_one_approved_course_of_five_days_or_more(self, days: int, approved: bool) -> None:
        g = trained(trainings=[course(dt.date(2020, 11, 2), days, approved=approved)])
        expected = "pass" if days >= 5 and approved else "fail"
        assert_status(check_rule(pre_job_training, school(guards=[g]), ON), expected)


class TestHazardsRectified:
    FOUND = dt.date(2021, 3, 1)

    def test_on_the_spot_is_due_the_same_day(self) -> None:
        s = school(hazards=[Hazard("h1", self.FOUND, on_the_spot=True)])
        assert_status(check_rule(hazards_rectified, s, self.FOUND), "pass")
        f = check_rule(hazards_rectified, s, self.FOUND + D)
        assert_status(f, "fail")
        assert f.evidence["overdue"] == [{"id": "h1", "due": self.FOUND, "on_the_spot": True}]

    def test_on_the_spot_fixed_the_same_day_passes(self) -> None:
        h = Hazard("h1", self.FOUND, on_the_spot=True, rectified_on=self.FOUND)
        assert_status(
            check_rule(hazards_rectified, school(hazards=[h]), self.FOUND + 30 * D), "pass"
        )

    def test_rectify_by_is_the_last_day(self) -> None:
        by = dt.date(2021, 4, 10)
        s = school(hazards=[Hazard("h2", self.FOUND, rectify_by=by)])
        assert_status(check_rule(hazards_rectified, s, by), "pass")
        assert_status(check_rule(hazards_rectified, s, by + D), "fail")

    def test_late_fix_counts_from_the_day_it_was_done(self) -> None:
        h = Hazard(
            "h2", self.FOUND, rectify_by=dt.date(2021, 4, 10), rectified_on=dt.date(2021, 4, 12)
        )
        s = school(hazards=[h])
        assert_status(check_rule(hazards_rectified, s, dt.date(2021, 4, 11)), "fail")
        assert_status(check_rule(hazards_rectified, s, dt.date(2021, 4, 12)), "pass")

    def test_open_hazard_without_deadline_is_listed_not_failed(self) -> None:
        f = check_rule(hazards_rectified, school(hazards=[Hazard("h3", self.FOUND)]), ON + 90 * D)
        assert_status(f, "pass")
        assert f.evidence["open_without_deadline"] == ["h3"]

    def test_hazard_found_after_the_evaluation_date_is_ignored(self) -> None:
        s = school(hazards=[Hazard("h4", self.FOUND + D, on_the_spot=True)])
        f = check_rule(hazards_rectified, s, self.FOUND)
        assert_status(f, "pass")
        assert f.evidence["hazards"] == 0

    def test_hazard_found_before_the_standard_still_counts(self) -> None:
        h = Hazard("h5", dt.date(2020, 6, 1), rectify_by=dt.date(2020, 7, 1))
        assert_status(check_rule(hazards_rectified, school(hazards=[h]), ON), "fail")


class TestSecurityRoutines:
    FIELDS = (
        "security_organization",
        "gate_duty",
        "visitor_registration",
        "key_area_patrol",
        "emergency_plan",
    )

    def routines(self, **off: bool) -> Routines:
        return Routines(**{f: off.get(f, True) for f in self.FIELDS})

    def test_all_five_pass(self) -> None:
        f = check_rule(security_routines, school(routines=self.routines()), ON)
        assert_status(f, "pass")

    @pytest.mark.parametrize("field", FIELDS)
    def test_each_missing_one_fails_and_is_named(self, field: str) -> None:
        f = check_rule(security_routines, school(routines=self.routines(**{field: False})), ON)
        assert_status(f, "fail")
        assert f.evidence["missing"] == [field]
        assert field in f.message.en

    def test_vehicle_registration_is_not_required(self) -> None:
        r = self.routines()
        assert r.vehicle_registration is False
        assert_status(check_rule(security_routines, school(routines=r), ON), "pass")


class TestStaffingTarget:
    def rate(self, on: dt.date, *schools):
        report = cs.evaluate(make_roster(*schools), on, [STANDARD])
        (rate,) = report.rates
        return rate

    def test_pending_before_the_due_day_and_counting_not_yet_binding_failures(self) -> None:
        rate = self.rate(DUE - D, school(guards=[trained()]), school())
        assert rate.status is RateStatus.PENDING
        assert (rate.tally.met, rate.tally.not_met) == (1, 1)

    def test_due_on_2020_12_31(self) -> None:
        assert STAFFING_TARGET.due == DUE and STAFFING_TARGET.threshold == 1.0
        assert self.rate(DUE, school(guards=[trained()]), school()).status is RateStatus.NOT_MET
        met = self.rate(DUE, school(guards=[trained()]), school(guards=[trained()]))
        assert met.status is RateStatus.MET and met.value == 1.0

    def test_waived_schools_are_outside_the_denominator(self) -> None:
        w = Waiver("loudi.full-time-guard", "娄底市教育局", "新建校", ON)
        rate = self.rate(ON, school(guards=[trained()]), school(waivers=[w]))
        assert rate.status is RateStatus.MET
        assert (rate.tally.met, rate.tally.waived) == (1, 1)


class TestStandard:
    def test_hook_provides_the_standard(self) -> None:
        assert list(campus_security_standards()) == [STANDARD]

    def test_entry_point_is_installed(self) -> None:
        pm = cs.PluginManager()
        assert "loudi" in pm.plugin_names
        assert "loudi" in {s.id for s in pm.standards()}

    def test_every_rule_cites_the_report_by_measure(self) -> None:
        assert DOCUMENT == "婁底市公安局四項舉措助推校園保安升級強能提質（淮安保安網，2021-01-15）"
        for r in STANDARD.rules:
            assert r.id.startswith("loudi.")
            assert r.citation.document == DOCUMENT
            assert r.citation.clause in {"一是", "二是", "三是", "四是"}
            assert r.title.zh and r.title.en and r.passes and r.fails

    @pytest.mark.parametrize(
        "region, covered",
        [
            ("431302", True),
            ("431321", True),
            ("431322", True),
            ("431381", True),
            ("431382", True),
            ("430102", False),
            ("610526", False),
        ],
    )
    def test_jurisdiction(self, region: str, covered: bool) -> None:
        assert bool(evaluate_standard(STANDARD, make_school(region_code=region), ON)) is covered

    def test_in_force_from_november_2020_with_no_end(self) -> None:
        s = school()
        assert not evaluate_standard(STANDARD, s, dt.date(2020, 10, 31))
        assert evaluate_standard(STANDARD, s, dt.date(2020, 11, 1))
        assert evaluate_standard(STANDARD, s, dt.date(2030, 1, 1))

    def test_a_complete_school_passes_everything(self) -> None:
        s = school(
            guards=[trained(hired_on=dt.date(2021, 1, 4))],
            routines=Routines(
                security_organization=True,
                gate_duty=True,
                visitor_registration=True,
                key_area_patrol=True,
                emergency_plan=True,
            ),
        )
        statuses = {k: f.status.value for k, f in evaluate_standard(STANDARD, s, ON).items()}
        assert statuses == {r.id: "pass" for r in STANDARD.rules}


class TestFixture:
    PATH = Path(__file__).with_name("fixture_roster.json")
    ON = dt.date(2021, 6, 30)

    def test_every_rule_passes_and_fails_somewhere(self) -> None:
        roster = cs.load_roster(self.PATH)
        report = cs.evaluate(roster, self.ON, [STANDARD])
        for r in STANDARD.rules:
            statuses = {f.status for f in report.findings if f.rule_id == r.id}
            assert cs.Status.PASS in statuses, r.id
            assert cs.Status.FAIL in statuses, r.id
        assert not report.by_status(cs.Status.ERROR)
        assert "ld-outside" not in {f.school_id for f in report.findings}

    def test_the_target_is_counted(self) -> None:
        report = cs.evaluate(cs.load_roster(self.PATH), self.ON, [STANDARD])
        (rate,) = report.rates
        assert rate.target_id == STAFFING_TARGET.id
        assert (rate.tally.met, rate.tally.not_met) == (2, 1)
        assert rate.status is RateStatus.NOT_MET

    def test_the_file_is_what_the_builder_writes(self) -> None:
        spec = importlib.util.spec_from_file_location(
            "loudi_make_fixture", Path(__file__).with_name("make_fixture.py")
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.FIXTURE_ON == self.ON
        assert cs.dumps_roster(module.build()) == self.PATH.read_bytes()
