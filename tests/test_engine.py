from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campus_security.engine import (
    Citation,
    Context,
    Evaluator,
    RateStatus,
    Standard,
    Status,
    Target,
    Verdict,
    aggregate,
    evaluate,
    evaluate_school,
    every_guard,
    failed,
    kinds,
    passed,
    rule,
)
from campus_security.model import IdNumber, RegionCode, SchoolKind, Text, Waiver
from campus_security.testing import make_guard, make_roster, make_school

ON = dt.date(2024, 11, 20)
CITE = Citation("测试〔2024〕1号", "一")


@rule("demo.has-guard", title=("有保安员", "has a guard"), citation=CITE)
def has_guard(school, ctx):
    if school.full_time_guards:
        return passed("有", "has {n}", n=len(school.full_time_guards))
    return failed("无", "none")


@rule("demo.boom", title=("出错", "breaks"), citation=CITE)
def boom(school, ctx):
    raise RuntimeError("kaput")


@rule(
    "demo.kg",
    title=("幼儿园", "kindergartens"),
    citation=CITE,
    applies=kinds(SchoolKind.KINDERGARTEN),
)
def kg_only(school, ctx):
    return passed("是", "yes")


@rule("demo.dated", title=("限期", "dated"), citation=CITE, binding_from=dt.date(2025, 1, 1))
def dated(school, ctx):
    return has_guard.check(school, ctx)


def std(
    *rules, jurisdiction=("320000",), start=dt.date(2019, 1, 1), end=None, targets=(), id="demo"
):
    return Standard(
        id=id,
        title=Text("示例", "demo"),
        document="测试〔2024〕1号",
        issued_by=Text("局", "bureau"),
        jurisdiction=jurisdiction,
        in_force_from=start,
        in_force_until=end,
        rules=rules,
        targets=targets,
    )


def guarded(**kw):
    return make_school(guards=[make_guard(on=ON)], **kw)


class TestSelection:
    @pytest.mark.parametrize(
        "region, applies",
        [
            ("320102", True),
            ("320000", True),
            ("320583", True),
            ("130902", False),
            ("110101", False),
        ],
    )
    def test_jurisdiction_covers_school_region(self, region: str, applies: bool) -> None:
        result = evaluate_school(make_school(region_code=region), ON, [std(has_guard)])
        assert bool(result.findings) is applies

    def test_prefecture_jurisdiction(self) -> None:
        s = std(has_guard, jurisdiction=("130900",))
        assert evaluate_school(make_school(region_code="130902"), ON, [s]).findings
        assert not evaluate_school(make_school(region_code="131002"), ON, [s]).findings

    @pytest.mark.parametrize(
        "on, applies",
        [
            (dt.date(2018, 12, 31), False),
            (dt.date(2019, 1, 1), True),
            (dt.date(2022, 12, 31), True),
            (dt.date(2023, 1, 1), False),
        ],
    )
    def test_period_in_force_is_inclusive(self, on: dt.date, applies: bool) -> None:
        s = std(has_guard, end=dt.date(2022, 12, 31))
        result = evaluate_school(make_school(region_code="320102"), on, [s])
        assert bool(result.findings) is applies

    def test_several_standards_apply(self) -> None:
        a = std(has_guard, id="demo")
        b = std(id="other", jurisdiction=("320100",))
        ev = Evaluator([a, b], ON)
        assert [s.id for s, _ in ev.applicable(RegionCode("320102"))] == ["demo", "other"]
        assert [s.id for s, _ in ev.applicable(RegionCode("320583"))] == ["demo"]


class TestFindings:
    def test_pass_and_fail_carry_citation_and_bilingual_message(self) -> None:
        good, bad = guarded(region_code="320102"), make_school(region_code="320102")
        report = evaluate(make_roster(good, bad), ON, [std(has_guard)])
        by_school = {f.school_id: f for f in report.findings}
        assert by_school[good.id].status is Status.PASS
        assert by_school[good.id].message.en == "has 1"
        assert by_school[bad.id].status is Status.FAIL
        assert by_school[bad.id].citation == CITE
        assert report.failed

    def test_a_raising_rule_is_isolated(self) -> None:
        result = evaluate_school(guarded(region_code="320102"), ON, [std(boom, has_guard)])
        statuses = {f.rule_id: f.status for f in result.findings}
        assert statuses == {"demo.boom": Status.ERROR, "demo.has-guard": Status.PASS}
        err = next(f for f in result.findings if f.status is Status.ERROR)
        assert "RuntimeError: kaput" in err.message.en and "规则执行出错" in err.message.zh

    def test_a_rule_returning_garbage_is_an_error(self) -> None:
        bad = rule("demo.garbage", title=("坏", "bad"), citation=CITE)(lambda s, c: True)
        (f,) = evaluate_school(make_school(region_code="320102"), ON, [std(bad)]).findings
        assert f.status is Status.ERROR and "not Outcome" in f.message.en

    def test_applicability(self) -> None:
        kg = make_school(region_code="320102", kind=SchoolKind.KINDERGARTEN)
        pri = make_school(region_code="320102")
        assert evaluate_school(kg, ON, [std(kg_only)]).findings[0].status is Status.PASS
        f = evaluate_school(pri, ON, [std(kg_only)]).findings[0]
        assert f.status is Status.NOT_APPLICABLE and "kindergarten" in f.message.en

    @pytest.mark.parametrize(
        "on, status",
        [(dt.date(2024, 12, 31), Status.NOT_APPLICABLE), (dt.date(2025, 1, 1), Status.FAIL)],
    )
    def test_binding_from(self, on: dt.date, status: Status) -> None:
        (f,) = evaluate_school(make_school(region_code="320102"), on, [std(dated)]).findings
        assert f.status is status
        if status is Status.NOT_APPLICABLE:
            assert "2025-01-01" in f.message.en


class TestWaivers:
    def school(self, until: dt.date, rule_id: str = "demo.has-guard"):
        return make_school(
            region_code="320102", waivers=[Waiver(rule_id, "市教育局", "新校区过渡", until)]
        )

    def test_active_waiver_waives_a_failure(self) -> None:
        (f,) = evaluate_school(self.school(ON), ON, [std(has_guard)]).findings
        assert f.status is Status.WAIVED
        assert f.waiver is not None and not f.waiver_expired
        assert "市教育局" in f.message.en

    def test_expired_waiver_no_longer_waives_and_says_so(self) -> None:
        (f,) = evaluate_school(
            self.school(ON - dt.timedelta(days=1)), ON, [std(has_guard)]
        ).findings
        assert f.status is Status.FAIL
        assert f.waiver_expired and "expired on 2024-11-19" in f.message.en
        assert "到期" in f.message.zh

    def test_waiver_of_another_rule_does_nothing(self) -> None:
        (f,) = evaluate_school(self.school(ON, "demo.other"), ON, [std(has_guard)]).findings
        assert f.status is Status.FAIL and f.waiver is None

    def test_waiver_does_not_hide_a_pass(self) -> None:
        s = make_school(
            region_code="320102",
            guards=[make_guard(on=ON)],
            waivers=[Waiver("demo.has-guard", "局", "理由", ON)],
        )
        (f,) = evaluate_school(s, ON, [std(has_guard)]).findings
        assert f.status is Status.PASS


def _target(due: dt.date, threshold: float = 1.0, applies=None) -> Target:
    kw = {"applies": applies} if applies else {}
    return Target(
        "demo.staffing-rate",
        Text("配备率", "staffing rate"),
        CITE,
        "demo.has-guard",
        due,
        threshold,
        **kw,
    )


class TestRates:
    def test_pending_before_due_then_met_or_not(self) -> None:
        schools = [guarded(region_code="320102"), make_school(region_code="320583")]
        for on, status in (
            (dt.date(2019, 12, 30), RateStatus.PENDING),
            (dt.date(2019, 12, 31), RateStatus.NOT_MET),
        ):
            s = std(has_guard, targets=[_target(dt.date(2019, 12, 31))])
            (rate,) = evaluate(make_roster(*schools), on, [s]).rates
            assert rate.status is status
            assert (rate.tally.met, rate.tally.counted, rate.value) == (1, 2, 0.5)
            assert rate.region == RegionCode("320000")

    def test_threshold(self) -> None:
        s = std(has_guard, targets=[_target(dt.date(2019, 12, 31), threshold=0.5)])
        schools = [guarded(region_code="320102"), make_school(region_code="320583")]
        (rate,) = evaluate(make_roster(*schools), ON, [s]).rates
        assert rate.status is RateStatus.MET

    def test_binding_from_does_not_hide_the_rate(self) -> None:
        t = Target("demo.dated-rate", Text("率", "rate"), CITE, "demo.dated", dt.date(2025, 1, 1))
        s = std(dated, targets=[t])
        report = evaluate(make_roster(make_school(region_code="320102")), ON, [s])
        assert report.findings[0].status is Status.NOT_APPLICABLE
        (rate,) = report.rates
        assert rate.status is RateStatus.PENDING and rate.tally.not_met == 1

    def test_waived_and_errors_are_reported_not_counted(self) -> None:
        t = Target("demo.err-rate", Text("率", "rate"), CITE, "demo.boom", dt.date(2019, 1, 1))
        s = std(boom, has_guard, targets=[t, _target(dt.date(2019, 1, 1))])
        waived = make_school(
            region_code="320102", waivers=[Waiver("demo.has-guard", "局", "理由", ON)]
        )
        rates = {r.target_id: r for r in evaluate(make_roster(waived), ON, [s]).rates}
        assert rates["demo.err-rate"].tally.errors == 1
        assert rates["demo.staffing-rate"].tally.waived == 1
        assert rates["demo.staffing-rate"].status is RateStatus.NO_SCHOOLS

    def test_target_population(self) -> None:
        t = _target(dt.date(2019, 1, 1), applies=kinds(SchoolKind.KINDERGARTEN))
        s = std(has_guard, targets=[t])
        report = evaluate(make_roster(make_school(region_code="320102")), ON, [s])
        assert report.rates == ()

    @given(
        st.lists(
            st.tuples(st.booleans(), st.sampled_from(["320102", "320583", "130902"])), max_size=12
        ),
        st.integers(1, 5),
    )
    def test_rates_add_up_across_any_split(self, spec, batches: int) -> None:
        schools = [guarded(region_code=r) if g else make_school(region_code=r) for g, r in spec]
        s = std(has_guard, targets=[_target(dt.date(2019, 12, 31))])
        whole = evaluate(make_roster(*schools), ON, [s])
        ev = Evaluator([s], ON)
        parts = [[ev.school(x) for x in schools[i::batches]] for i in range(batches)]
        assert aggregate([s], ON, [r for part in parts for r in part]) == whole.rates
        expected_met = sum(1 for g, r in spec if g and r.startswith("32"))
        if whole.rates:
            assert whole.rates[0].tally.met == expected_met


def test_standard_validates_its_parts() -> None:
    with pytest.raises(ValueError, match="must start with"):
        std(has_guard, id="other")
    with pytest.raises(ValueError, match="unknown rule"):
        std(has_guard, targets=[Target("demo.t", Text("率", "rate"), CITE, "demo.nope", ON)])
    with pytest.raises(ValueError, match="duplicate rule ids"):
        std(has_guard, has_guard)
    with pytest.raises(ValueError, match="ids are lower-case"):
        rule("Demo.Bad", title=("a", "b"), citation=CITE)(lambda s, c: None)


class TestFlagRule:
    from campus_security.engine import flag_rule as _flag_rule

    gate = _flag_rule(
        "demo.gatehouse",
        title=("门卫室", "gatehouse"),
        citation=CITE,
        flag=lambda s: s.facilities.gatehouse,
        evidence="gatehouse",
        passes=("有门卫室", "has a gatehouse"),
        fails=("无门卫室", "no gatehouse"),
        binding_from=dt.date(2020, 1, 1),
    )

    def test_pass_and_fail_use_the_catalogue_texts(self) -> None:
        from campus_security.model import Facilities

        yes = make_school(region_code="320102", facilities=Facilities(gatehouse=True))
        (f,) = evaluate_school(yes, ON, [std(self.gate)]).findings
        assert f.status is Status.PASS and f.message.en == "has a gatehouse"
        assert f.evidence == {"gatehouse": True}
        (f,) = evaluate_school(make_school(region_code="320102"), ON, [std(self.gate)]).findings
        assert f.status is Status.FAIL and f.message.zh == "无门卫室"
        assert f.evidence == {"gatehouse": False}

    def test_binding_from_applies(self) -> None:
        school = make_school(region_code="320102")
        (f,) = evaluate_school(school, dt.date(2019, 12, 31), [std(self.gate)]).findings
        assert f.status is Status.NOT_APPLICABLE


# --- every_guard ------------------------------------------------------------------------

CERTIFIED = (
    lambda g: g.certified,
    ("{n}名均持证", "all {n} certified"),
    ("{count}名无证：{names}", "{count} uncertified: {names}"),
)


def test_every_guard_without_guards_is_not_applicable() -> None:
    later = make_guard(name="未到", hired_on=ON + dt.timedelta(days=1))
    for school in (make_school(guards=[]), make_school(guards=[later])):
        out = every_guard(school, Context(on=ON), *CERTIFIED, key="uncertified")
        assert out.verdict is Verdict.NOT_APPLICABLE
        assert out.message == Text("无在岗保安员", "no guards on staff")
        assert out.evidence == {"guards": 0}
    out = every_guard(
        make_school(guards=[]),
        Context(on=ON),
        *CERTIFIED,
        key="uncertified",
        none=("学校未配备保安员", "the school has no guards"),
    )
    assert out.verdict is Verdict.NOT_APPLICABLE and out.message.en == "the school has no guards"


def test_every_guard_passes_when_every_guard_is_ok() -> None:
    school = make_school(guards=[make_guard(name="甲"), make_guard(name="乙")])
    out = every_guard(school, Context(on=ON), *CERTIFIED, key="uncertified")
    assert out.verdict is Verdict.PASS
    assert out.message == Text("2名均持证", "all 2 certified")
    assert out.evidence == {"n": 2}
    detailed = every_guard(
        school,
        Context(on=ON),
        lambda g: True,
        ("{guards}名", "{guards}"),
        ("", ""),
        key="uncertified",
        detailed=True,
    )
    assert detailed.verdict is Verdict.PASS
    assert detailed.evidence == {"guards": 2, "uncertified": []}


def test_every_guard_fails_and_lists_the_failing_guards() -> None:
    bad = make_guard(name="丙", certificate_number=None)
    school = make_school(guards=[make_guard(name="甲"), bad])
    out = every_guard(school, Context(on=ON), *CERTIFIED, key="uncertified")
    assert out.verdict is Verdict.FAIL
    assert out.message == Text("1名无证：丙", "1 uncertified: 丙")
    assert out.evidence == {
        "count": 1,
        "names": "丙",
        "uncertified": [{"name": "丙", "id_number": bad.id_number}],
    }
    assert isinstance(out.evidence["uncertified"][0]["id_number"], IdNumber)
    worse = make_guard(name="丁", certificate_number=None)
    school = make_school(guards=[bad, make_guard(name="甲"), worse])
    detailed = every_guard(
        school,
        Context(on=ON),
        lambda g: g.certified,
        ("{guards}名均持证", "all {guards} certified"),
        ("{n}名无证：{names}", "{n} uncertified: {names_en}"),
        key="uncertified",
        detailed=True,
    )
    assert detailed.verdict is Verdict.FAIL
    assert detailed.message == Text("2名无证：丙、丁", "2 uncertified: 丙, 丁")
    assert detailed.evidence == {
        "n": 2,
        "names": "丙、丁",
        "names_en": "丙, 丁",
        "guards": 3,
        "uncertified": [
            {"name": "丙", "id_number": bad.id_number},
            {"name": "丁", "id_number": worse.id_number},
        ],
    }


def test_every_guard_judges_the_given_guards() -> None:
    part_time = make_guard(name="兼", full_time=False, certificate_number=None)
    school = make_school(guards=[make_guard(name="甲"), part_time])
    full_time = [g for g in school.guards if g.full_time]
    assert every_guard(
        school, Context(on=ON), *CERTIFIED, key="uncertified", guards=full_time
    ).evidence == {"n": 1}
    assert (
        every_guard(school, Context(on=ON), *CERTIFIED, key="uncertified", guards=[]).verdict
        is Verdict.NOT_APPLICABLE
    )


def test_missing_routines() -> None:
    from campus_security.engine import Verdict, missing_routines
    from campus_security.model import Routines

    fields = (("gate_duty", "门卫制度"), ("emergency_plan", "突发事件处置"))
    ok = make_school(routines=Routines(gate_duty=True, emergency_plan=True))
    assert missing_routines(ok, fields) is None
    half = make_school(routines=Routines(gate_duty=True))
    out = missing_routines(half, fields)
    assert out is not None and out.verdict is Verdict.FAIL
    assert out.evidence["missing"] == ["emergency_plan"]
    assert out.message.zh == "缺少：突发事件处置" and out.message.en == "missing: emergency_plan"
