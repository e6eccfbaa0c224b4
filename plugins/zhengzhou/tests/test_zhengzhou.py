"""Boundary tests of 郑教安〔2019〕53号's rules, written as an outside plugin author would."""

from __future__ import annotations

import calendar
import datetime as dt
import doctest
import importlib.util
from pathlib import Path

import campus_security_zhengzhou
import campus_security_zhengzhou.census
import campus_security_zhengzhou.rules
import pytest
from campus_security_zhengzhou import (
    CENSUS_ANNEX_LINE,
    CENSUS_COLUMNS,
    CENSUS_COLUMNS_CANONICAL,
    CENSUS_FORM_TITLE,
    CENSUS_HEADER_FIELDS,
    CENSUS_HEADER_LABELS,
    STANDARD,
    campus_security_standards,
    census_label,
)
from campus_security_zhengzhou.rules import (
    REQUIRED_DRILLS,
    RULES,
    background_checked,
    background_clear,
    census_complete,
    current_flags,
    guard_certified,
    half_monthly_drills,
    judged_half_month,
    judged_year,
    licensed_company,
    skill_assessments,
    team_leader,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import campus_security
from campus_security.model import (
    BackgroundCheck,
    BackgroundFlag,
    Drill,
    DrillKind,
    HireSource,
    RegionCode,
    SchoolKind,
    SkillAssessment,
)
from campus_security.testing import (
    assert_status,
    check_rule,
    evaluate_standard,
    make_company,
    make_guard,
    make_school,
)

HERE = Path(__file__).resolve().parent
SEED = Path("/work/shared/seeds/000_dfa10b52a87dba0c.txt")

ON = dt.date(2024, 3, 20)
ZZ = "410105"
D = dt.date

COMPANY = make_company(
    id="test-company",
    name="豫安保安服务有限公司",
    nature="国有",
    police_authority="郑州市公安局金水分局",
    permit_number="豫公保服1001",
)
FEW = settings(max_examples=40, deadline=None)


def school(**kw):
    kw.setdefault("region_code", ZZ)
    kw.setdefault("contact", "李老师 0371-60000000")
    return make_school(**kw)


def guard(**kw):
    kw.setdefault("ethnicity", "汉族")
    return make_guard(on=ON, **kw)


def check(rule, s, on=ON, companies=(COMPANY,)):
    return check_rule(rule, s, on, companies)


def all_drills(day: dt.date) -> list[Drill]:
    return [Drill(k, day) for k in REQUIRED_DRILLS]


def no_full_id_in(finding, *guards) -> None:
    text = finding.message.zh + finding.message.en + str(finding.evidence)
    for g in guards:
        assert g.id_number.value not in text


# --- shared definitions -----------------------------------------------------------------


class TestShared:
    @pytest.mark.parametrize("r", RULES, ids=lambda r: r.id)
    def test_no_guards_is_not_applicable(self, r) -> None:
        f = check(r, school())
        assert_status(f, "not_applicable")
        assert f.evidence == {"guards": 0}

    @pytest.mark.parametrize("r", RULES, ids=lambda r: r.id)
    def test_a_guard_hired_after_on_is_not_present(self, r) -> None:
        f = check(r, school(guards=[guard(hired_on=ON + dt.timedelta(days=1))]))
        assert_status(f, "not_applicable")
        assert f.evidence == {"guards": 0}

    @pytest.mark.parametrize(
        "on, start, end",
        [
            (D(2024, 3, 16), D(2024, 3, 1), D(2024, 3, 15)),
            (D(2024, 3, 15), D(2024, 2, 16), D(2024, 2, 29)),  # leap year
            (D(2023, 3, 15), D(2023, 2, 16), D(2023, 2, 28)),
            (D(2023, 3, 1), D(2023, 2, 16), D(2023, 2, 28)),
            (D(2024, 1, 10), D(2023, 12, 16), D(2023, 12, 31)),
            (D(2024, 1, 1), D(2023, 12, 16), D(2023, 12, 31)),
            (D(2024, 4, 30), D(2024, 4, 1), D(2024, 4, 15)),
            (D(2024, 5, 1), D(2024, 4, 16), D(2024, 4, 30)),
            (D(2024, 5, 31), D(2024, 5, 1), D(2024, 5, 15)),
        ],
    )
    def test_judged_half_month_edges(self, on, start, end) -> None:
        p = judged_half_month(on)
        assert (p.start, p.end) == (start, end)

    @given(st.dates(D(2000, 1, 1), D(2099, 12, 31)))
    @FEW
    def test_judged_half_month_is_the_one_that_ended_just_before(self, on) -> None:
        p = judged_half_month(on)
        if on.day > 15:
            assert (p.start, p.end) == (on.replace(day=1), on.replace(day=15))
        else:
            prev = on.replace(day=1) - dt.timedelta(days=1)
            assert (p.start, p.end) == (prev.replace(day=16), prev)
            assert prev.day == calendar.monthrange(prev.year, prev.month)[1]
        assert on not in p and p.end < on

    @pytest.mark.parametrize(
        "on, judged",
        [(D(2024, 12, 31), 2023), (D(2025, 1, 1), 2024), (D(2024, 1, 1), 2023)],
    )
    def test_judged_year_edges(self, on, judged) -> None:
        y = judged_year(on)
        assert (y.start, y.end) == (D(judged, 1, 1), D(judged, 12, 31))

    def test_doctests(self) -> None:
        for mod in (campus_security_zhengzhou.census, campus_security_zhengzhou.rules):
            result = doctest.testmod(mod)
            assert result.attempted and not result.failed


# --- 三（一） census ----------------------------------------------------------------------


class TestCensus:
    def test_complete_census_passes(self) -> None:
        f = check(census_complete, school(guards=[guard(), guard()]))
        assert_status(f, "pass")
        assert f.evidence["incomplete"] == [] and f.evidence["header_missing"] == []

    @pytest.mark.parametrize("ethnicity", [None, "", "  ", "\u3000"])
    def test_missing_ethnicity_fails(self, ethnicity) -> None:
        g = guard(name="张三", ethnicity=ethnicity)
        f = check(census_complete, school(guards=[guard(), g]))
        assert_status(f, "fail")
        (row,) = f.evidence["incomplete"]
        assert row["name"] == "张三" and row["missing"] == ["民族"]
        assert row["id_number"] == g.id_number
        assert "张三（缺民族）" in f.message.zh and "张三 (missing ethnicity)" in f.message.en
        no_full_id_in(f, g)

    @pytest.mark.parametrize("nature", [None, "", "  "])
    def test_company_without_nature_fails_naming_the_column(self, nature) -> None:
        c = make_company(nature=nature, police_authority="郑州市公安局")
        f = check(census_complete, school(guards=[guard()]), companies=[c])
        assert_status(f, "fail")
        assert f.evidence["incomplete"][0]["missing"] == ["保安服务企业性质"]
        assert "保安服务企业性质" in f.message.zh

    @pytest.mark.parametrize("authority", [None, "", " "])
    def test_company_without_police_authority_fails(self, authority) -> None:
        c = make_company(nature="民营", police_authority=authority)
        f = check(census_complete, school(guards=[guard()]), companies=[c])
        assert_status(f, "fail")
        assert f.evidence["incomplete"][0]["missing"] == ["属地公安机关"]

    def test_company_placed_guard_without_company_lacks_all_three_columns(self) -> None:
        g = guard(hire_source=HireSource.COMPANY, company_id=None)
        f = check(census_complete, school(guards=[g]))
        assert_status(f, "fail")
        assert f.evidence["incomplete"][0]["missing"] == [
            "保安服务企业名称",
            "保安服务企业性质",
            "属地公安机关",
        ]

    def test_company_unknown_to_the_roster_lacks_all_three_columns(self) -> None:
        g = guard(company_id="elsewhere")
        f = check(census_complete, school(guards=[g]))
        assert_status(f, "fail")
        assert len(f.evidence["incomplete"][0]["missing"]) == 3

    def test_self_hired_guard_without_company_passes(self) -> None:
        g = guard(hire_source=HireSource.SELF_HIRED, company_id=None)
        assert_status(check(census_complete, school(guards=[g])), "pass")

    def test_property_guard_with_a_company_id_needs_the_company_columns(self) -> None:
        c = make_company(nature=None, police_authority=None)
        g = guard(hire_source=HireSource.PROPERTY)
        f = check(census_complete, school(guards=[g]), companies=[c])
        assert_status(f, "fail")
        assert f.evidence["incomplete"][0]["missing"] == ["保安服务企业性质", "属地公安机关"]
        g2 = guard(hire_source=HireSource.PROPERTY, company_id=None)
        assert_status(check(census_complete, school(guards=[g2]), companies=[c]), "pass")

    def test_uncertified_guard_otherwise_complete_passes(self) -> None:
        g = guard(certificate_number=None)
        assert_status(check(census_complete, school(guards=[g])), "pass")

    @pytest.mark.parametrize("contact", [None, "", "   "])
    def test_missing_contact_in_the_header_fails(self, contact) -> None:
        f = check(census_complete, school(contact=contact, guards=[guard()]))
        assert_status(f, "fail")
        assert f.evidence["header_missing"] == ["联系人及联系方式"]
        assert f.evidence["incomplete"] == []
        assert "表头缺联系人及联系方式" in f.message.zh

    def test_contact_value_never_reported(self) -> None:
        s = school(contact="王老师 13800000000", guards=[guard(ethnicity=None)])
        f = check(census_complete, s)
        assert "13800000000" not in f.message.zh + f.message.en + str(f.evidence)

    def test_binding_from_21_july_2019(self) -> None:
        s = school(guards=[guard(ethnicity=None)])
        before = check(census_complete, s, D(2019, 7, 20))
        assert_status(before, "not_applicable")
        assert "2019-07-21" in before.message.en
        assert_status(check(census_complete, s, D(2019, 7, 21)), "fail")

    def test_guard_not_yet_hired_is_ignored(self) -> None:
        future = guard(ethnicity=None, hired_on=ON + dt.timedelta(days=1))
        s = school(guards=[guard(), future])
        assert_status(check(census_complete, s), "pass")
        present = guard(ethnicity=None, hired_on=ON)
        assert_status(check(census_complete, school(guards=[guard(), present])), "fail")


# --- 三（二） background review ------------------------------------------------------------


def checks(*items):
    """BackgroundCheck records from (date, flags...) tuples."""
    return [BackgroundCheck(day, frozenset(flags)) for day, *flags in items]


class TestBackgroundChecked:
    def test_every_guard_checked_passes(self) -> None:
        gs = [guard(background_checks=checks((D(2023, 5, 1),))) for _ in range(2)]
        assert_status(check(background_checked, school(guards=gs)), "pass")

    def test_one_unchecked_guard_fails(self) -> None:
        ok = guard(background_checks=checks((D(2023, 5, 1),)))
        bad = guard(name="赵六")
        f = check(background_checked, school(guards=[ok, bad]))
        assert_status(f, "fail")
        assert [u["name"] for u in f.evidence["unchecked"]] == ["赵六"]
        assert "赵六" in f.message.zh
        no_full_id_in(f, ok, bad)

    def test_check_dated_on_counts_and_the_day_after_does_not(self) -> None:
        on_day = guard(background_checks=checks((ON,)))
        assert_status(check(background_checked, school(guards=[on_day])), "pass")
        later = guard(background_checks=checks((ON + dt.timedelta(days=1),)))
        assert_status(check(background_checked, school(guards=[later])), "fail")

    def test_entry_check_before_hiring_counts_and_checks_do_not_expire(self) -> None:
        g = guard(hired_on=D(2020, 3, 1), background_checks=checks((D(2019, 12, 1),)))
        assert_status(check(background_checked, school(guards=[g])), "pass")

    def test_new_hire_has_no_grace_period(self) -> None:
        g = guard(hired_on=ON)
        assert_status(check(background_checked, school(guards=[g])), "fail")

    def test_binding_from_1_september_2019(self) -> None:
        s = school(guards=[guard()])
        assert_status(check(background_checked, s, D(2019, 8, 31)), "not_applicable")
        assert_status(check(background_checked, s, D(2019, 9, 1)), "fail")


class TestBackgroundClear:
    @pytest.mark.parametrize("flag", list(BackgroundFlag))
    def test_each_flag_alone_fails(self, flag) -> None:
        ok = guard(background_checks=checks((D(2023, 1, 5),)))
        bad = guard(name="钱七", background_checks=checks((D(2023, 1, 5), flag)))
        f = check(background_clear, school(guards=[ok, bad]))
        assert_status(f, "fail")
        (row,) = f.evidence["flagged"]
        assert row["flags"] == [flag.value] and row["checked_on"] == D(2023, 1, 5)
        assert row["name"] == "钱七" and row["id_number"] == bad.id_number
        assert f"钱七（{flag.zh}）" in f.message.zh and flag.value in f.message.en
        no_full_id_in(f, ok, bad)

    def test_all_clear_passes(self) -> None:
        gs = [guard(background_checks=checks((D(2023, 1, 5),))) for _ in range(3)]
        f = check(background_clear, school(guards=gs))
        assert_status(f, "pass")
        assert f.evidence["judged"] == 3

    @pytest.mark.parametrize("flag", list(BackgroundFlag))
    def test_a_later_clear_check_lifts_every_flag_but_a_criminal_record(self, flag) -> None:
        g = guard(background_checks=checks((D(2023, 6, 1),), (D(2022, 6, 1), flag)))
        expected = "fail" if flag is BackgroundFlag.CRIMINAL_RECORD else "pass"
        f = check(background_clear, school(guards=[g]))
        assert_status(f, expected)
        if expected == "fail":
            assert f.evidence["flagged"][0]["flags"] == ["criminal_record"]
            assert f.evidence["flagged"][0]["checked_on"] == D(2023, 6, 1)

    @given(st.frozensets(st.sampled_from(list(BackgroundFlag))))
    @FEW
    def test_clear_recheck_passes_exactly_when_no_criminal_record(self, old) -> None:
        g = guard(background_checks=checks((D(2022, 6, 1), *old), (D(2023, 6, 1),)))
        f = check(background_clear, school(guards=[g]))
        want = "fail" if BackgroundFlag.CRIMINAL_RECORD in old else "pass"
        assert_status(f, want)

    def test_a_later_flagged_check_overrides_an_earlier_clear_one(self) -> None:
        g = guard(
            background_checks=checks((D(2022, 6, 1),), (D(2023, 6, 1), BackgroundFlag.LAWSUIT))
        )
        assert_status(check(background_clear, school(guards=[g])), "fail")

    def test_flagged_check_dated_after_on_is_ignored(self) -> None:
        g = guard(
            background_checks=checks(
                (D(2023, 1, 1),), (ON + dt.timedelta(days=1), BackgroundFlag.DRUGS)
            )
        )
        assert_status(check(background_clear, school(guards=[g])), "pass")
        g2 = guard(background_checks=checks((D(2023, 1, 1),), (ON, BackgroundFlag.DRUGS)))
        assert_status(check(background_clear, school(guards=[g2])), "fail")

    def test_two_checks_on_the_latest_day_are_united(self) -> None:
        g = guard(
            background_checks=checks(
                (D(2023, 6, 1),), (D(2023, 6, 1), BackgroundFlag.MENTAL_ILLNESS)
            )
        )
        f = check(background_clear, school(guards=[g]))
        assert_status(f, "fail")
        assert f.evidence["flagged"][0]["flags"] == ["mental_illness"]

    def test_several_flags_in_enum_order(self) -> None:
        g = guard(
            background_checks=checks(
                (D(2023, 6, 1), BackgroundFlag.CRIMINAL_RECORD, BackgroundFlag.DRUGS)
            )
        )
        f = check(background_clear, school(guards=[g]))
        assert f.evidence["flagged"][0]["flags"] == ["drugs", "criminal_record"]

    def test_unchecked_guard_is_left_to_background_checked(self) -> None:
        ok = guard(background_checks=checks((D(2023, 1, 5),)))
        unchecked = guard(name="孙八")
        s = school(guards=[ok, unchecked])
        f = check(background_clear, s)
        assert_status(f, "pass")
        assert [u["name"] for u in f.evidence["unchecked"]] == ["孙八"]
        assert_status(check(background_checked, s), "fail")

    def test_nobody_checked_is_not_applicable(self) -> None:
        f = check(background_clear, school(guards=[guard(), guard()]))
        assert_status(f, "not_applicable")
        assert len(f.evidence["unchecked"]) == 2

    @given(
        st.lists(
            st.tuples(
                st.dates(D(2020, 1, 1), D(2025, 12, 31)),
                st.frozensets(st.sampled_from(list(BackgroundFlag))),
            ),
            max_size=5,
        )
    )
    @FEW
    def test_current_flags_are_the_cores_latest_check_plus_any_criminal_record(self, raw) -> None:
        g = guard(background_checks=[BackgroundCheck(day, flags) for day, flags in raw])
        latest = g.latest_background_check(ON)
        state = current_flags(g, ON)
        if latest is None:
            assert state is None
            return
        assert state is not None
        flags, checked_on = state
        assert checked_on == latest.checked_on
        ever = any(BackgroundFlag.CRIMINAL_RECORD in f for day, f in raw if day <= ON)
        assert flags == latest.flags | ({BackgroundFlag.CRIMINAL_RECORD} if ever else set())

    def test_binding_from_1_september_2019(self) -> None:
        g = guard(background_checks=checks((D(2019, 8, 1), BackgroundFlag.LEGAL_CASE)))
        s = school(guards=[g])
        assert_status(check(background_clear, s, D(2019, 8, 31)), "not_applicable")
        assert_status(check(background_clear, s, D(2019, 9, 1)), "fail")


class TestLicensedCompany:
    def test_licensed_company_passes(self) -> None:
        assert_status(check(licensed_company, school(guards=[guard()])), "pass")

    @pytest.mark.parametrize("permit", [None, ""])
    def test_company_without_permit_fails(self, permit) -> None:
        c = make_company(name="无证保安公司", permit_number=permit)
        f = check(licensed_company, school(guards=[guard(name="周九")]), companies=[c])
        assert_status(f, "fail")
        (p,) = f.evidence["problems"]
        assert p["reason"] == "unlicensed_company" and p["company"] == "无证保安公司"
        assert "周九（无证保安公司无许可证）" in f.message.zh

    def test_company_guard_without_company_fails(self) -> None:
        g = guard(hire_source=HireSource.COMPANY, company_id=None)
        f = check(licensed_company, school(guards=[g]))
        assert_status(f, "fail")
        assert f.evidence["problems"][0]["reason"] == "no_company"

    def test_property_guard_of_an_unlicensed_company_fails(self) -> None:
        c = make_company(permit_number=None)
        g = guard(hire_source=HireSource.PROPERTY)
        assert_status(check(licensed_company, school(guards=[g]), companies=[c]), "fail")

    def test_only_self_hired_guards_is_not_applicable(self) -> None:
        gs = [
            guard(hire_source=HireSource.SELF_HIRED, company_id=None),
            guard(hire_source=HireSource.PROPERTY, company_id=None),
        ]
        assert_status(check(licensed_company, school(guards=gs)), "not_applicable")

    def test_self_hired_guards_are_not_judged(self) -> None:
        gs = [guard(), guard(hire_source=HireSource.SELF_HIRED, company_id=None)]
        assert_status(check(licensed_company, school(guards=gs)), "pass")

    def test_binding_from_1_september_2019(self) -> None:
        c = make_company(permit_number=None)
        s = school(guards=[guard()])
        assert_status(check(licensed_company, s, D(2019, 8, 31), [c]), "not_applicable")
        assert_status(check(licensed_company, s, D(2019, 9, 1), [c]), "fail")


class TestGuardCertified:
    def test_certified_guards_pass(self) -> None:
        gs = [guard(), guard(hire_source=HireSource.SELF_HIRED, company_id=None)]
        assert_status(check(guard_certified, school(guards=gs)), "pass")

    @pytest.mark.parametrize("number", [None, ""])
    def test_uncertified_guard_fails(self, number) -> None:
        bad = guard(name="吴十", certificate_number=number)
        f = check(guard_certified, school(guards=[guard(), bad]))
        assert_status(f, "fail")
        assert [u["name"] for u in f.evidence["uncertified"]] == ["吴十"]
        no_full_id_in(f, bad)

    def test_part_time_uncertified_guard_fails(self) -> None:
        bad = guard(full_time=False, certificate_number=None)
        assert_status(check(guard_certified, school(guards=[guard(), bad])), "fail")

    def test_binding_from_1_september_2019(self) -> None:
        s = school(guards=[guard(certificate_number=None)])
        assert_status(check(guard_certified, s, D(2019, 8, 31)), "not_applicable")
        assert_status(check(guard_certified, s, D(2019, 9, 1)), "fail")


# --- 四（二） team leader, drills, assessments --------------------------------------------------


class TestTeamLeader:
    def test_no_leader_fails(self) -> None:
        f = check(team_leader, school(guards=[guard(), guard()]))
        assert_status(f, "fail")
        assert f.evidence["leaders"] == []

    def test_one_or_two_leaders_pass(self) -> None:
        one = school(guards=[guard(team_leader=True, name="班长甲"), guard()])
        f = check(team_leader, one)
        assert_status(f, "pass")
        assert f.evidence["leaders"] == ["班长甲"]
        two = school(guards=[guard(team_leader=True), guard(team_leader=True)])
        assert_status(check(team_leader, two), "pass")

    def test_single_guard_must_be_the_leader(self) -> None:
        assert_status(check(team_leader, school(guards=[guard()])), "fail")
        assert_status(check(team_leader, school(guards=[guard(team_leader=True)])), "pass")

    def test_leader_hired_after_on_does_not_count(self) -> None:
        later = guard(team_leader=True, hired_on=ON + dt.timedelta(days=1))
        assert_status(check(team_leader, school(guards=[guard(), later])), "fail")
        assert_status(check(team_leader, school(guards=[later])), "not_applicable")
        today = guard(team_leader=True, hired_on=ON)
        assert_status(check(team_leader, school(guards=[guard(), today])), "pass")

    def test_binds_from_the_signing_date(self) -> None:
        assert_status(check(team_leader, school(guards=[guard()]), D(2019, 6, 24)), "fail")


class TestHalfMonthlyDrills:
    def run(self, drills, on, guards=None):
        return check(half_monthly_drills, school(guards=guards or [guard()], drills=drills), on)

    def test_drills_on_the_15th_count_for_the_first_half(self) -> None:
        drills = all_drills(D(2024, 3, 15))
        assert_status(self.run(drills, D(2024, 3, 16)), "pass")
        # on the 15th itself the first half is still running: February's second half is judged
        f = self.run(drills, D(2024, 3, 15))
        assert_status(f, "fail")
        assert f.evidence["period"] == "2024-02-16..2024-02-29"
        assert sorted(f.evidence["current"]["held"]) == sorted(k.value for k in REQUIRED_DRILLS)

    def test_drills_on_the_16th_count_for_the_second_half(self) -> None:
        drills = all_drills(D(2024, 3, 16))
        assert_status(self.run(drills, D(2024, 3, 16)), "fail")  # current half: not judged
        assert_status(self.run(drills, D(2024, 3, 31)), "fail")  # still current
        f = self.run(drills, D(2024, 4, 1))
        assert_status(f, "pass")
        assert f.evidence["period"] == "2024-03-16..2024-03-31"
        assert_status(self.run(drills, D(2024, 4, 16)), "fail")  # judged: 04-01..15

    def test_drills_on_the_1st_count_for_the_first_half(self) -> None:
        drills = all_drills(D(2024, 3, 1))
        assert_status(self.run(drills, D(2024, 3, 16)), "pass")
        # ...not for February's second half
        assert_status(self.run(drills, D(2024, 3, 15)), "fail")

    @pytest.mark.parametrize(
        "last_day, on",
        [
            (D(2024, 2, 29), D(2024, 3, 1)),  # leap February
            (D(2023, 2, 28), D(2023, 3, 1)),  # common February
            (D(2023, 4, 30), D(2023, 5, 1)),  # 30-day month
            (D(2023, 12, 31), D(2024, 1, 1)),  # year end
        ],
    )
    def test_month_end_belongs_to_the_second_half(self, last_day, on) -> None:
        f = self.run(all_drills(last_day), on)
        assert_status(f, "pass")
        assert f.evidence["period"] == f"{last_day.replace(day=16)}..{last_day}"
        # the same drills one day later fall into the next (current) half-month
        assert_status(self.run(all_drills(on), on), "fail")

    def test_all_four_held_only_on_the_evaluation_day_fails(self) -> None:
        f = self.run(all_drills(ON), ON)
        assert_status(f, "fail")
        assert f.evidence["missing"] == [k.value for k in REQUIRED_DRILLS]
        assert f.evidence["current"]["start"] == D(2024, 3, 16)

    @pytest.mark.parametrize("kind", REQUIRED_DRILLS)
    def test_three_kinds_fail_naming_the_fourth(self, kind) -> None:
        drills = [d for d in all_drills(D(2024, 3, 10)) if d.kind is not kind]
        f = self.run(drills, ON)
        assert_status(f, "fail")
        assert f.evidence["missing"] == [kind.value]
        assert kind.zh in f.message.zh and kind.value in f.message.en

    def test_duplicates_are_fine(self) -> None:
        drills = all_drills(D(2024, 3, 2)) + all_drills(D(2024, 3, 9))
        f = self.run(drills, ON)
        assert_status(f, "pass")
        assert f.evidence["held"] == [k.value for k in REQUIRED_DRILLS]

    def test_team_hired_on_the_first_day_is_judged_a_day_later_is_not(self) -> None:
        p_start = D(2024, 3, 1)
        f = self.run([], ON, guards=[guard(hired_on=p_start)])
        assert_status(f, "fail")
        late = self.run([], ON, guards=[guard(hired_on=p_start + dt.timedelta(days=1))])
        assert_status(late, "not_applicable")
        assert late.evidence["team_since"] == D(2024, 3, 2)

    def test_one_long_serving_guard_makes_the_team_judged(self) -> None:
        gs = [guard(hired_on=D(2024, 3, 10)), guard(hired_on=D(2020, 1, 1))]
        assert_status(self.run([], ON, guards=gs), "fail")

    def test_no_hiring_date_means_always_there(self) -> None:
        assert_status(self.run([], ON, guards=[guard(hired_on=None)]), "fail")

    def test_other_drill_kinds_elsewhere_do_not_help(self) -> None:
        drills = [*all_drills(D(2024, 2, 20)), *all_drills(D(2024, 3, 17))]
        assert_status(self.run(drills, ON), "fail")

    def test_binding_from_16_july_2019(self) -> None:
        assert_status(self.run([], D(2019, 7, 15)), "not_applicable")
        f = self.run([], D(2019, 7, 16))
        assert_status(f, "fail")
        assert f.evidence["period"] == "2019-07-01..2019-07-15"

    @given(
        st.dates(D(2020, 1, 1), D(2030, 12, 31)),
        st.lists(st.tuples(st.sampled_from(list(DrillKind)), st.integers(-40, 5)), max_size=12),
    )
    @FEW
    def test_verdict_matches_an_independent_count(self, on, offsets) -> None:
        drills = [Drill(k, on + dt.timedelta(days=o)) for k, o in offsets]
        # the previous half-month, computed independently of the calendar helpers
        if on.day > 15:
            start, end = on.replace(day=1), on.replace(day=15)
        else:
            end = on.replace(day=1) - dt.timedelta(days=1)
            start = end.replace(day=16)
        kinds = {d.kind for d in drills if start <= d.held_on <= end}
        want = "pass" if kinds >= set(REQUIRED_DRILLS) else "fail"
        assert_status(self.run(drills, on), want)


def assessments(*days, passed=True):
    return [SkillAssessment(d, passed) for d in days]


class TestSkillAssessments:
    def run(self, guards, on=ON):
        return check(skill_assessments, school(guards=guards), on)

    @pytest.mark.parametrize("n, status", [(0, "fail"), (1, "fail"), (2, "pass"), (3, "pass")])
    def test_count_threshold(self, n, status) -> None:
        days = [D(2023, m, 10) for m in range(1, n + 1)]
        f = self.run([guard(name="郑一", skill_assessments=assessments(*days))])
        assert_status(f, status)
        assert f.evidence["year"] == 2023
        if status == "fail":
            assert f.evidence["short"][0]["count"] == n
            assert f"郑一（{n}次）" in f.message.zh

    def test_judged_year_turns_on_1_january(self) -> None:
        g = guard(skill_assessments=assessments(D(2023, 3, 1), D(2023, 9, 1)))
        f = self.run([g], D(2024, 12, 31))
        assert_status(f, "pass")
        assert f.evidence["year"] == 2023
        f = self.run([g], D(2025, 1, 1))
        assert_status(f, "fail")
        assert f.evidence["year"] == 2024

    def test_year_edges_of_the_assessment_dates(self) -> None:
        dec31 = guard(skill_assessments=assessments(D(2023, 6, 1), D(2023, 12, 31)))
        assert_status(self.run([dec31], D(2024, 1, 1)), "pass")
        jan1 = guard(skill_assessments=assessments(D(2023, 6, 1), D(2024, 1, 1)))
        f = self.run([jan1], D(2024, 6, 1))
        assert_status(f, "fail")  # only one in 2023
        assert f.evidence["current_year_counts"][0]["count"] == 1
        jan1_2023 = guard(skill_assessments=assessments(D(2023, 1, 1), D(2023, 6, 1)))
        assert_status(self.run([jan1_2023], D(2024, 1, 1)), "pass")

    def test_two_records_on_one_day_count_once(self) -> None:
        g = guard(skill_assessments=assessments(D(2023, 5, 5), D(2023, 5, 5)))
        f = self.run([g])
        assert_status(f, "fail")
        assert f.evidence["short"][0]["count"] == 1

    def test_a_failed_assessment_still_counts(self) -> None:
        a = [SkillAssessment(D(2023, 4, 1), True), SkillAssessment(D(2023, 10, 1), False)]
        assert_status(self.run([guard(skill_assessments=a)]), "pass")

    def test_hired_on_1_january_is_judged_on_2_january_is_not(self) -> None:
        judged = guard(hired_on=D(2023, 1, 1))
        f = self.run([judged])
        assert_status(f, "fail")
        later = guard(name="新人", hired_on=D(2023, 1, 2))
        f = self.run([later])
        assert_status(f, "not_applicable")
        assert f.evidence["not_judged"][0]["name"] == "新人"
        assert f.evidence["not_judged"][0]["hired_on"] == D(2023, 1, 2)

    def test_mid_year_hire_is_not_judged_beside_judged_guards(self) -> None:
        ok = guard(skill_assessments=assessments(D(2023, 2, 1), D(2023, 8, 1)))
        new = guard(name="新人", hired_on=D(2023, 7, 1))
        f = self.run([ok, new])
        assert_status(f, "pass")
        assert f.evidence["judged"] == 1
        assert [n["name"] for n in f.evidence["not_judged"]] == ["新人"]
        # ...and the next year the new guard is judged
        f = self.run([ok, new], D(2025, 1, 1))
        assert_status(f, "fail")
        assert {s["name"] for s in f.evidence["short"]} == {"测试保安", "新人"}

    def test_part_time_guards_are_judged(self) -> None:
        g = guard(full_time=False, skill_assessments=assessments(D(2023, 2, 1)))
        assert_status(self.run([g]), "fail")

    def test_binding_from_2021(self) -> None:
        g = guard()
        before = self.run([g], D(2020, 6, 1))
        assert_status(before, "not_applicable")
        assert before.evidence["year"] == 2019
        assert_status(self.run([g], D(2020, 12, 31)), "not_applicable")
        f = self.run([g], D(2021, 1, 1))
        assert_status(f, "fail")
        assert f.evidence["year"] == 2020

    @given(st.lists(st.dates(D(2022, 11, 1), D(2024, 2, 1)), max_size=6))
    @FEW
    def test_verdict_is_distinct_days_in_the_year(self, days) -> None:
        g = guard(skill_assessments=assessments(*days))
        distinct = {d for d in days if d.year == 2023}
        want = "pass" if len(distinct) >= 2 else "fail"
        assert_status(self.run([g]), want)


# --- the standard --------------------------------------------------------------------------


class TestStandard:
    def test_hook_and_entry_point_provide_the_standard(self) -> None:
        assert list(campus_security_standards()) == [STANDARD]
        assert "zhengzhou" in {s.id for s in campus_security.PluginManager().standards()}

    def test_metadata(self) -> None:
        assert STANDARD.id == "zhengzhou"
        assert STANDARD.document == "郑教安\u30142019\u301553号"
        assert STANDARD.title.zh == "加强全市学校保安员队伍建设，进一步深化安全建设年活动工作方案"
        assert STANDARD.issued_by.zh == "郑州市教育局、中共郑州市委政法委员会、郑州市公安局"
        assert [j.value for j in STANDARD.jurisdiction] == ["410100"]
        assert STANDARD.in_force_from == D(2019, 6, 24) and STANDARD.in_force_until is None
        assert STANDARD.targets == ()

    def test_rules_and_citations(self) -> None:
        clauses = {r.id: r.citation.clause for r in STANDARD.rules}
        assert clauses == {
            "zhengzhou.census-complete": "三（一）",
            "zhengzhou.background-checked": "三（二）",
            "zhengzhou.background-clear": "三（二）",
            "zhengzhou.licensed-company": "三（二）",
            "zhengzhou.guard-certified": "三（二）",
            "zhengzhou.team-leader": "四（二）",
            "zhengzhou.half-monthly-drills": "四（二）",
            "zhengzhou.skill-assessments": "四（二）",
        }
        for r in STANDARD.rules:
            assert r.citation.document == STANDARD.document
            assert r.title.zh and r.title.en and r.passes and r.fails
            assert r.passes.zh and r.passes.en and r.fails.zh and r.fails.en
            assert r.applies.description.en == "all schools"

    def test_binding_dates(self) -> None:
        binding = {r.id: r.binding_from for r in STANDARD.rules}
        assert binding == {
            "zhengzhou.census-complete": D(2019, 7, 21),
            "zhengzhou.background-checked": D(2019, 9, 1),
            "zhengzhou.background-clear": D(2019, 9, 1),
            "zhengzhou.licensed-company": D(2019, 9, 1),
            "zhengzhou.guard-certified": D(2019, 9, 1),
            "zhengzhou.team-leader": None,
            "zhengzhou.half-monthly-drills": D(2019, 7, 16),
            "zhengzhou.skill-assessments": D(2021, 1, 1),
        }

    def test_in_force_from_the_signing_date(self) -> None:
        s = school(guards=[guard()])
        assert not evaluate_standard(STANDARD, s, D(2019, 6, 23), [COMPANY])
        assert len(evaluate_standard(STANDARD, s, D(2019, 6, 24), [COMPANY])) == 8

    @pytest.mark.parametrize(
        "region, covered",
        [
            ("410102", True),
            ("410105", True),
            ("410122", True),
            ("410181", True),
            ("410185", True),
            ("410000", False),
            ("411000", False),
            ("130902", False),
        ],
    )
    def test_jurisdiction(self, region, covered) -> None:
        findings = evaluate_standard(STANDARD, make_school(region_code=region), ON)
        assert bool(findings) is covered

    @pytest.mark.parametrize("code", ["410171", "410172", "410173"])
    def test_development_zones_are_covered(self, code) -> None:
        # functional zones of the statistical division codes, under Zhengzhou (4101)
        assert RegionCode(code).zone is not None
        findings = evaluate_standard(STANDARD, make_school(region_code=code), ON)
        assert findings

    @pytest.mark.parametrize("kind", list(SchoolKind))
    def test_every_school_kind_is_covered(self, kind) -> None:
        f = evaluate_standard(STANDARD, school(kind=kind, guards=[guard()]), ON, [COMPANY])
        assert_status(f["zhengzhou.team-leader"], "fail")

    def test_whole_standard_on_a_clean_school(self) -> None:
        g = guard(
            team_leader=True,
            background_checks=checks((D(2023, 1, 1),)),
            skill_assessments=assessments(D(2023, 3, 1), D(2023, 9, 1)),
        )
        s = school(guards=[g], drills=all_drills(D(2024, 3, 5)))
        findings = evaluate_standard(STANDARD, s, ON, [COMPANY])
        for f in findings.values():
            assert_status(f, "pass")

    def test_no_message_carries_an_id_number(self) -> None:
        gs = [
            guard(ethnicity=None, certificate_number=None, company_id=None),
            guard(background_checks=checks((D(2023, 1, 1), BackgroundFlag.DRUGS))),
        ]
        findings = evaluate_standard(STANDARD, school(guards=gs), ON, [COMPANY])
        assert any(f.status.value == "fail" for f in findings.values())
        for f in findings.values():
            no_full_id_in(f, *gs)


class TestCensusForm:
    def test_title_header_and_columns(self) -> None:
        assert CENSUS_FORM_TITLE == "郑州市中小学幼儿园保安员基本情况调查表"
        assert CENSUS_ANNEX_LINE == "附件：郑州市中小学幼儿园保安员基本情况调查表"
        assert CENSUS_HEADER_FIELDS == ("填报单位：", "联系人及联系方式：", "签字（盖章）：")
        assert all(f.endswith("\uff1a") for f in CENSUS_HEADER_FIELDS)
        assert CENSUS_HEADER_LABELS == ("填报单位", "联系人及联系方式", "签字（盖章）")
        assert CENSUS_COLUMNS == (
            "序号",
            "姓 名",
            "性别",
            "民族",
            "身份证号码",
            "保安员证编号",
            "保安服务企业名称",
            "保安服务企业性质",
            "属地公安机关",
        )
        assert CENSUS_COLUMNS_CANONICAL[1] == "姓名"
        assert len(CENSUS_COLUMNS_CANONICAL) == 9

    @pytest.mark.parametrize(
        "cell, label",
        [("姓 名", "姓名"), ("保安服务\n\n企业名称", "保安服务企业名称"), (" 民族\t", "民族")],
    )
    def test_census_label(self, cell, label) -> None:
        assert census_label(cell) == label

    @pytest.mark.skipif(not SEED.exists(), reason="the original text is not on this machine")
    def test_constants_match_the_original(self) -> None:
        text = SEED.read_text(encoding="utf-8")
        form = text[text.index("附  件") :]
        assert CENSUS_ANNEX_LINE in text
        assert CENSUS_FORM_TITLE in form
        header = next(line for line in form.splitlines() if "填报单位" in line)
        assert header.split() == list(CENSUS_HEADER_FIELDS)
        cells = [line.strip() for line in form.split("\t")[2:]]
        # the header line, then one tab-separated cell per column (保安服务 / 企业名称 wrapped)
        cells = [c.split("\n")[0] if c.startswith("属地") else c for c in cells]
        assert [census_label(c) for c in cells] == list(CENSUS_COLUMNS_CANONICAL)
        assert "\t姓 名\n" in form
        assert STANDARD.document in text


# --- the fixture roster ----------------------------------------------------------------------


FIXTURE = HERE / "fixture_roster.json"


def _builder():
    spec = importlib.util.spec_from_file_location(
        "zhengzhou_make_fixture", HERE / "make_fixture.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class TestFixture:
    def test_every_rule_both_passes_and_fails(self) -> None:
        builder = _builder()
        roster = campus_security.load_roster(FIXTURE)
        report = campus_security.evaluate(roster, builder.FIXTURE_ON, [STANDARD])
        seen: dict[str, set[str]] = {r.id: set() for r in STANDARD.rules}
        for f in report.findings:
            seen[f.rule_id].add(f.status.value)
        for rule_id, statuses in seen.items():
            assert {"pass", "fail"} <= statuses, (rule_id, statuses)
        assert not [f for f in report.findings if f.status.value == "error"]
        assert report.rates == ()  # the plan sets no rate target

    def test_fixture_file_is_what_the_builder_writes(self) -> None:
        builder = _builder()
        assert campus_security.dumps_roster(builder.build()) == FIXTURE.read_bytes()
