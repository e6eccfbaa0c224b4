"""Review windows: periodic rules judged over every period of a span.

A periodic rule declares its cadence (``rule(..., every=Every.X)``) and the engine hands
its check the period to judge (``ctx.period``). As of a date that is the last complete
period before it; over a window [start, end], every period lying wholly inside the
window, each judged as of the day after it ends. A rule that is not periodic is judged
once, as of the window's end.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campus_security.engine import (
    Citation,
    Evaluator,
    Status,
    Target,
    evaluate,
    failed,
    passed,
    rule,
)
from campus_security.model import Drill, DrillKind, Every, Period, RegionCode, Text, Waiver
from campus_security.plugins import PluginManager
from campus_security.testing import (
    check_rule,
    check_window,
    make_guard,
    make_roster,
    make_school,
    standard_for,
)

from .strategies import schools

CITE = Citation("测试〔2024〕1号", "一")
D = dt.date


@rule(
    "demo.drill",
    title=("每月演练", "a drill every month"),
    citation=CITE,
    every=Every.MONTH,
)
def monthly_drill(school, ctx):
    p = ctx.judged
    held = [d.held_on for d in school.drills if d.held_on in p]
    if held:
        return passed("{p}有演练", "a drill in {p}", p=str(p))
    return failed("{p}无演练", "no drill in {p}", p=str(p))


@rule("demo.guard", title=("有保安员", "has a guard"), citation=CITE)
def has_guard(school, ctx):
    if ctx.guards(school):
        return passed("有", "yes")
    return failed("无", "no")


def drills(*days: dt.date) -> list[Drill]:
    return [Drill(DrillKind.EMERGENCY, d) for d in days]


# --- the calendar ------------------------------------------------------------------------


class TestEvery:
    @pytest.mark.parametrize("every", list(Every))
    def test_last_complete_is_previous_period(self, every):
        on = D(2024, 3, 16)
        p = every.last_complete(on)
        assert p.end < on <= every.of(on).end
        assert every.of(p.end + dt.timedelta(days=1)).start == p.end + dt.timedelta(days=1)

    def test_within_keeps_only_whole_periods(self):
        # 2024-01-15..2024-03-31: January is cut by the start, February and March are whole
        got = Every.MONTH.within(D(2024, 1, 15), D(2024, 3, 31))
        assert got == (Period(D(2024, 2, 1), D(2024, 2, 29)), Period(D(2024, 3, 1), D(2024, 3, 31)))
        # one day short at either edge cuts the period
        assert Every.MONTH.within(D(2024, 2, 2), D(2024, 2, 29)) == ()
        assert Every.MONTH.within(D(2024, 2, 1), D(2024, 2, 28)) == ()
        assert Every.MONTH.within(D(2024, 2, 1), D(2024, 2, 29)) == (
            Period(D(2024, 2, 1), D(2024, 2, 29)),
        )

    def test_half_months_and_weeks(self):
        assert [str(p) for p in Every.HALF_MONTH.within(D(2019, 10, 16), D(2019, 11, 15))] == [
            "2019-10-16..2019-10-31",
            "2019-11-01..2019-11-15",
        ]
        assert len(Every.DAY.within(D(2024, 1, 1), D(2024, 12, 31))) == 366
        assert len(Every.WEEK.within(D(2024, 1, 1), D(2024, 12, 31))) == 52

    def test_lookback_spans_several_periods(self):
        assert Every.DAY.last_complete(D(2024, 11, 20), 7) == Period(
            D(2024, 11, 13), D(2024, 11, 19)
        )

    @given(
        st.sampled_from(list(Every)), st.dates(D(2000, 1, 1), D(2040, 1, 1)), st.integers(0, 800)
    )
    def test_within_tiles_the_window(self, every, start, days):
        end = start + dt.timedelta(days=days)
        got = every.within(start, end)
        for a, b in itertools.pairwise(got):
            assert b.start == a.end + dt.timedelta(days=1)
        for p in got:
            assert start <= p.start and p.end <= end and every.of(p.start) == p
        # no whole period was left out
        first = every.of(start)
        candidates = [first] if first.start >= start else []
        nxt = every.of(first.end + dt.timedelta(days=1))
        while nxt.end <= end:
            candidates.append(nxt)
            nxt = every.of(nxt.end + dt.timedelta(days=1))
        assert list(got) == [p for p in candidates if p.end <= end]


# --- the engine --------------------------------------------------------------------------


class TestWindow:
    def test_as_of_a_date_the_finding_carries_its_period(self):
        f = check_rule(monthly_drill, make_school(), D(2024, 11, 20))
        assert f.period == Period(D(2024, 10, 1), D(2024, 10, 31))
        assert check_rule(has_guard, make_school(), D(2024, 11, 20)).period is None

    def test_a_window_judges_every_month_inside_it(self):
        s = make_school(drills=drills(D(2024, 2, 10), D(2024, 4, 30)))
        got = check_window(monthly_drill, s, D(2024, 1, 15), D(2024, 4, 30))
        assert [(str(f.period), f.status.value) for f in got] == [
            ("2024-02-01..2024-02-29", "pass"),
            ("2024-03-01..2024-03-31", "fail"),
            ("2024-04-01..2024-04-30", "pass"),
        ]

    def test_a_rule_that_is_not_periodic_is_judged_as_of_the_end(self):
        guard = make_guard(on=D(2024, 4, 1), hired_on=D(2024, 4, 1))
        (f,) = check_window(has_guard, make_school(guards=[guard]), D(2024, 1, 1), D(2024, 4, 1))
        assert f.status is Status.PASS and f.period is None
        (f,) = check_window(has_guard, make_school(guards=[guard]), D(2024, 1, 1), D(2024, 3, 31))
        assert f.status is Status.FAIL

    def test_each_period_is_judged_as_of_the_day_after_it_ends(self):
        seen = []

        @rule("demo.seen", title=("日期", "date"), citation=CITE, every=Every.HALF_MONTH)
        def record(school, ctx):
            seen.append((ctx.on, ctx.period, ctx.current))
            return passed("好", "ok")

        check_window(record, make_school(), D(2024, 2, 1), D(2024, 3, 15))
        assert seen == [
            (D(2024, 2, 16), Period(D(2024, 2, 1), D(2024, 2, 15)), None),
            (D(2024, 3, 1), Period(D(2024, 2, 16), D(2024, 2, 29)), None),
            (D(2024, 3, 16), Period(D(2024, 3, 1), D(2024, 3, 15)), None),
        ]
        seen.clear()
        check_rule(record, make_school(), D(2024, 3, 20))
        assert seen == [
            (
                D(2024, 3, 20),
                Period(D(2024, 3, 1), D(2024, 3, 15)),
                Period(D(2024, 3, 16), D(2024, 3, 20)),
            )
        ]

    def test_binding_dates_and_waivers_are_read_per_period(self):
        dated = attrs.evolve(monthly_drill, binding_from=D(2024, 3, 1))
        got = check_window(dated, make_school(), D(2024, 1, 1), D(2024, 3, 31))
        # January is judged on 02-01 and February on 03-01 (binding from that day)
        assert [f.status.value for f in got] == ["not_applicable", "fail", "fail"]
        waiver = Waiver(
            rule_id="demo.drill", granted_by="教育局", reason="停课", until=D(2024, 3, 1)
        )
        got = check_window(
            monthly_drill, make_school(waivers=[waiver]), D(2024, 1, 1), D(2024, 3, 31)
        )
        assert [f.status.value for f in got] == ["waived", "waived", "fail"]

    def test_a_window_ending_before_it_starts_is_refused(self):
        with pytest.raises(ValueError, match="starts after it ends"):
            Evaluator([], D(2024, 1, 1), since=D(2024, 1, 2))

    def test_a_one_day_window_is_allowed(self):
        assert check_window(monthly_drill, make_school(), D(2024, 1, 31), D(2024, 1, 31)) == ()

    def test_lookback_needs_a_period(self):
        with pytest.raises(ValueError, match="lookback"):
            rule("demo.x", title=("x", "x"), citation=CITE, lookback=7)(lambda s, c: passed("", ""))

    def test_rates_per_period(self):
        target = Target(
            id="demo.guard-rate",
            title=Text("配备率", "staffing rate"),
            citation=CITE,
            rule_id="demo.guard",
            due=D(2024, 3, 1),
        )
        std = standard_for(has_guard, targets=[target], jurisdiction=("110000",))
        hired = make_guard(on=D(2024, 3, 1), hired_on=D(2024, 2, 10))
        roster = make_roster(
            make_school(id="A", region_code="110101", guards=[hired]),
            make_school(id="B", region_code="110101"),
        )
        report = evaluate(
            roster, D(2024, 3, 31), [std], since=D(2024, 1, 1), rate_every=Every.MONTH
        )
        assert report.since == D(2024, 1, 1)
        by_period = [
            (str(r.period), r.tally.met, r.tally.counted, r.status.value) for r in report.rates
        ]
        assert by_period == [
            ("2024-01-01..2024-01-31", 0, 2, "pending"),
            ("2024-02-01..2024-02-29", 1, 2, "pending"),
            ("2024-03-01..2024-03-31", 1, 2, "not_met"),
            ("None", 1, 2, "not_met"),  # as of the window's end
        ]
        # by quarter (the default): one period inside the window
        quarterly = evaluate(roster, D(2024, 3, 31), [std], since=D(2024, 1, 1)).rates
        assert [str(r.period) for r in quarterly] == ["2024-01-01..2024-03-31", "None"]
        # as of a date: one rate, no period
        (rate,) = evaluate(roster, D(2024, 3, 31), [std]).rates
        assert rate.period is None and rate.tally.met == 1

    def test_targets_tally_every_period(self):
        target = Target(
            id="demo.drill-rate",
            title=Text("演练率", "drill rate"),
            citation=CITE,
            rule_id="demo.drill",
            due=D(2020, 1, 1),
        )
        std = standard_for(monthly_drill, targets=[target], jurisdiction=("110000",))
        s = make_school(region_code="110101", drills=drills(D(2024, 2, 10)))
        result = Evaluator([std], D(2024, 3, 31), since=D(2024, 2, 1)).school(s)
        assert result.tallies == ()
        assert [(str(t[3]), t[4].met) for t in result.period_tallies] == [
            ("2024-02-01..2024-02-29", 1),
            ("2024-03-01..2024-03-31", 0),
        ]


# --- every installed plugin --------------------------------------------------------------


def _standards_for(school):
    """Every installed standard, its jurisdiction moved to the school's region."""
    code = (school.region_code.value,)
    return [attrs.evolve(s, jurisdiction=code) for s in PluginManager().standards()]


def _periodic(findings):
    return {(f.rule_id, f.period): f for f in findings if f.period is not None}


@settings(max_examples=25, deadline=None)
@given(schools(), st.dates(D(2014, 6, 1), D(2030, 1, 1)), st.integers(0, 120))
def test_a_window_equals_each_of_its_periods_judged_alone(school, start, days):
    end = start + dt.timedelta(days=days)
    standards = _standards_for(school)
    window = _periodic(Evaluator(standards, end, since=start).school(school).findings)
    periods = {p for _, p in window}
    alone: dict = {}
    for p in periods:
        alone.update(
            (k, f)
            for k, f in _periodic(
                Evaluator(standards, p.end, since=p.start).school(school).findings
            ).items()
            if k[1] == p
        )
    assert window == alone
    # and every periodic rule judged exactly the periods of its cadence inside the window
    for std in standards:
        for r in std.rules:
            if r.every is not None:
                judged = sorted(p for (rid, p) in window if rid == r.id)
                expected = [
                    p
                    for p in r.every.within(start, end)
                    if std.in_force(p.end + dt.timedelta(days=1))
                ]
                assert judged == expected, r.id


_NO_EARLY_PASS = {
    # jiangsu's monthly self-check and drills pass early, as of a date, on a record in the
    # running period, and pucheng counts the campaign's running semester: as of a date
    # they read ctx.current, which a window does not give.
    "jiangsu.monthly-self-check",
    "jiangsu.emergency-drill",
    "pucheng.police-inspections",
}


@settings(max_examples=25, deadline=None)
@given(schools(), st.dates(D(2014, 6, 1), D(2030, 1, 1)))
def test_as_of_a_date_equals_a_window_of_the_last_complete_period(school, day):
    """``--on D`` judges what a window holding just the last complete period judges.

    With ``D`` the day after that period (the window judges each period as of that day);
    rules judging several periods as of a date (``lookback``) are compared on one.
    """
    standards = _standards_for(school)
    as_of = _periodic(Evaluator(standards, day).school(school).findings)
    for (rid, period), f in as_of.items():
        std = next(s for s in standards if rid.startswith(s.id + "."))
        r = std.rule(rid)
        assert period == r.every.last_complete(day, r.lookback)
        if rid in _NO_EARLY_PASS or r.lookback > 1 or period.end + dt.timedelta(days=1) != day:
            continue
        (g,) = [
            g
            for g in Evaluator(standards, period.end, since=period.start).school(school).findings
            if g.rule_id == rid
        ]
        assert (g.status, g.period, g.message) == (f.status, f.period, f.message), rid


def test_the_five_plugins_declare_their_periods():
    declared = {
        r.id: (r.every, r.lookback)
        for s in PluginManager().standards()
        for r in s.rules
        if r.every is not None
    }
    assert declared == {
        "cangzhou.hazard-check-daily": (Every.DAY, 1),
        "cangzhou.hazard-check-weekly": (Every.WEEK, 1),
        "cangzhou.hazard-check-monthly": (Every.MONTH, 1),
        "cangzhou.hazard-check-quarterly": (Every.QUARTER, 1),
        "cangzhou.emergency-drill": (Every.SEMESTER, 1),
        "cangzhou.key-area-patrol": (Every.WEEK, 1),
        "cangzhou.night-patrol": (Every.WEEK, 1),
        "jiangsu.monthly-self-check": (Every.MONTH, 1),
        "jiangsu.emergency-drill": (Every.SEMESTER, 1),
        "jiangsu.police-patrol": (Every.DAY, 7),
        "pucheng.police-inspections": (Every.SEMESTER, 1),
        "tutorial.emergency-drill": (Every.SEMESTER, 1),
        "zhengzhou.half-monthly-drills": (Every.HALF_MONTH, 1),
        "zhengzhou.skill-assessments": (Every.YEAR, 1),
    }


def test_jiangsu_patrols_over_a_window_are_judged_day_by_day():
    jiangsu = next(s for s in PluginManager().standards() if s.id == "jiangsu")
    patrol = jiangsu.rule("jiangsu.police-patrol")
    school = make_school(region_code=RegionCode("320102"))
    got = check_window(patrol, school, D(2024, 11, 1), D(2024, 11, 7))
    assert [f.period for f in got] == list(Every.DAY.within(D(2024, 11, 1), D(2024, 11, 7)))


# --- reports -----------------------------------------------------------------------------


def _text(report, schools=(), width=100):
    import io

    from rich.console import Console

    from campus_security.report import render_text

    console = Console(width=width, file=io.StringIO(), force_terminal=False)
    render_text(report, console, schools=schools)
    return console.file.getvalue()


class TestReports:
    def roster(self):
        s = make_school(
            id="A",
            region_code="110101",
            drills=drills(D(2019, 10, 3), D(2019, 11, 20), D(2020, 1, 9)),
        )
        return make_roster(s)

    def test_the_text_report_lists_the_missed_periods_once_per_rule(self):
        std = standard_for(monthly_drill, has_guard, jurisdiction=("110000",))
        roster = self.roster()
        report = evaluate(roster, D(2020, 1, 31), [std], since=D(2019, 9, 1))
        out = _text(report, roster.schools)
        assert "window 2019-09-01 – 2020-01-31" in out
        assert "missed 2 of 5: 2019-09-01..30, 2019-12-01..31" in out
        assert "未达要求2/5个周期：2019-09-01..30、2019-12-01..31" in out
        assert out.count("demo.drill") == 1  # one block for the rule, not one per period

    def test_runs_of_consecutive_periods_are_joined(self):
        from campus_security.report import period_lines

        std = standard_for(monthly_drill, jurisdiction=("110000",))
        report = evaluate(
            make_roster(make_school(region_code="110101")),
            D(2024, 6, 30),
            [std],
            since=D(2024, 1, 1),
        )
        _zh, en = period_lines(report.findings)
        assert en == "missed 6 of 6: 2024-01-01..06-30 (6)"

    def test_the_json_report_holds_each_periods_finding(self):
        from campus_security.report import report_document

        std = standard_for(monthly_drill, has_guard, jurisdiction=("110000",))
        report = evaluate(self.roster(), D(2020, 1, 31), [std], since=D(2019, 9, 1))
        doc = report_document(report)
        assert doc["since"] == "2019-09-01" and doc["on"] == "2020-01-31"
        drill = [f for f in doc["findings"] if f["rule_id"] == "demo.drill"]
        assert [(f["period"]["start"], f["status"]) for f in drill] == [
            ("2019-09-01", "fail"),
            ("2019-10-01", "pass"),
            ("2019-11-01", "pass"),
            ("2019-12-01", "fail"),
            ("2020-01-01", "pass"),
        ]
        (guard,) = [f for f in doc["findings"] if f["rule_id"] == "demo.guard"]
        assert guard["period"] is None

    def test_schools_outside_the_standards_checked_are_named_so(self):
        std = standard_for(has_guard, jurisdiction=("110000",))
        roster = make_roster(make_school(id="X", region_code="130902"))
        out = _text(evaluate(roster, D(2024, 1, 1), [std]), roster.schools)
        assert "not covered by the standards checked" in out
        assert "any installed standard" not in out


def test_the_rules_table_never_cuts_a_citation():
    import io

    from rich.console import Console

    from campus_security.report import render_rules

    long = Citation("深教〔2024〕123号（深圳市教育局关于校园安全的通知）", "三（二）4")
    r = rule("demo.long-citation-rule-id", title=("标题", "title"), citation=long)(
        lambda s, c: passed("", "")
    )
    for width in (60, 80):
        console = Console(width=width, file=io.StringIO(), force_terminal=False)
        render_rules([standard_for(r)], console)
        out = console.file.getvalue()
        assert "…" not in out, width
        # folded, not cut: every character of the citation is there, in order
        rest = iter("".join(out.split()))
        assert all(ch in rest for ch in "".join(str(long).split())), width


# --- the command line --------------------------------------------------------------------


def _cli(capsys, *args):
    from campus_security.cli import run

    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _jsonl(tmp_path):
    from campus_security.scale.generate import GeneratorConfig, write_roster

    path = tmp_path / "r.jsonl"
    write_roster(GeneratorConfig(schools=40, seed=5, violations=0.5, on=D(2024, 11, 20)), path)
    return path


class TestCheckWindow:
    def test_a_json_roster_over_a_window(self, capsys, tmp_path):
        from conftest import EXAMPLE_ROSTER

        code, out, _ = _cli(
            capsys, "check", str(EXAMPLE_ROSTER), "--from", "2024-09-01", "--to", "2024-10-31"
        )
        assert code == 1
        assert "window 2024-09-01 – 2024-10-31" in out and "missed " in out
        out_file = tmp_path / "r.json"
        code, _, _ = _cli(
            capsys,
            "check",
            str(EXAMPLE_ROSTER),
            "--from",
            "2024-09-01",
            "--to",
            "2024-10-31",
            "--format",
            "json",
            "-o",
            str(out_file),
        )
        doc = json.loads(out_file.read_text("utf-8"))
        assert (doc["since"], doc["on"]) == ("2024-09-01", "2024-10-31")
        periods = {
            (f["school_id"], f["rule_id"], f["period"]["start"])
            for f in doc["findings"]
            if f["period"]
        }
        assert ("CA001", "cangzhou.hazard-check-weekly", "2024-09-02") in periods
        assert not any(p[2] < "2024-09-01" for p in periods)  # nothing before the window

    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_a_json_lines_roster_over_a_window_is_judged_the_same(self, capsys, tmp_path, jobs):
        path = _jsonl(tmp_path)
        from campus_security.scale.jsonl import load_lines

        roster = load_lines(path)
        expected = evaluate(
            roster, D(2024, 10, 31), PluginManager().standards(), since=D(2024, 8, 1)
        )
        out_file = tmp_path / f"r{jobs}.json"
        _cli(
            capsys,
            "check",
            str(path),
            "--from",
            "2024-08-01",
            "--to",
            "2024-10-31",
            "--format",
            "json",
            "-o",
            str(out_file),
            "--jobs",
            jobs,
        )
        doc = json.loads(out_file.read_text("utf-8"))
        assert doc["since"] == "2024-08-01"
        got = sorted(
            (f["school_id"], f["rule_id"], f["period"]["start"] if f["period"] else "", f["status"])
            for f in doc["findings"]
        )
        want = sorted(
            (f.school_id, f.rule_id, f.period.start.isoformat() if f.period else "", f.status.value)
            for f in expected.findings
        )
        assert got == want
        assert len([r for r in doc["rates"] if r["period"]]) == len(
            [r for r in expected.rates if r.period]
        )

    def test_a_json_lines_text_summary_names_the_window(self, capsys, tmp_path):
        _code, out, _ = _cli(
            capsys,
            "check",
            str(_jsonl(tmp_path)),
            "--from",
            "2024-08-01",
            "--to",
            "2024-10-31",
            "--jobs",
            "1",
        )
        assert "window 2024-08-01 – 2024-10-31" in out

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (("--to", "2024-10-31"), "--to needs --from"),
            (("--on", "2024-10-31", "--from", "2024-09-01"), "cannot be combined"),
            (("--from", "2024-11-01", "--to", "2024-10-31"), "starts (2024-11-01) after it ends"),
        ],
    )
    def test_bad_windows_are_usage_errors(self, capsys, args, words):
        from conftest import EXAMPLE_ROSTER

        code, _, err = _cli(capsys, "check", str(EXAMPLE_ROSTER), *args)
        assert code == 2 and words in err


def test_the_streamed_summary_says_the_standards_checked(capsys, tmp_path):
    _code, out, _ = _cli(
        capsys,
        "check",
        str(_jsonl(tmp_path)),
        "--on",
        "2024-11-20",
        "--standard",
        "loudi",
        "--jobs",
        "1",
    )
    # a roster this small gets a block per school; the console may wrap the line
    assert "not covered by the standards checked" in " ".join(out.split())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_rates_month_by_month_on_request(capsys, tmp_path, jobs):
    from conftest import EXAMPLE_ROSTER

    for roster, name in ((str(EXAMPLE_ROSTER), "a.json"), (str(_jsonl(tmp_path)), "b.json")):
        out = tmp_path / name
        args = ["check", roster, "--from", "2024-01-01", "--to", "2024-06-30", "--format", "json"]
        _cli(capsys, *args, "-o", str(out), "--jobs", jobs, "--rates-every", "month")
        months = {
            r["period"]["start"] for r in json.loads(out.read_text("utf-8"))["rates"] if r["period"]
        }
        assert months == {f"2024-0{m}-01" for m in range(1, 7)}, roster
        _cli(capsys, *args, "-o", str(out), "--jobs", jobs)  # by quarter, the default
        quarters = {
            r["period"]["start"] for r in json.loads(out.read_text("utf-8"))["rates"] if r["period"]
        }
        assert quarters == {"2024-01-01", "2024-04-01"}, roster
