"""Rates rolled up along GB/T 2260: the jurisdiction, its cities and counties with schools.

Tallies are kept per school region code (``StreamSummary.region_tallies``) and rolled
up at the end (``campus_security.engine.rollup``): a county's schools count in the
county, its city and the jurisdiction; a functional zone is a county of its city; a
school registered directly under a city counts in the city only; a county with no
school has no row.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import defaultdict
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campus_security.engine import (
    Citation,
    Evaluator,
    Level,
    RegionalRate,
    StreamSummary,
    Tally,
    Target,
    evaluate,
    failed,
    kinds,
    passed,
    rule,
)
from campus_security.model import Drill, DrillKind, Every, RegionCode, SchoolKind, Text
from campus_security.model.regions import GBT2260_SOURCE, region_name
from campus_security.pipeline import evaluate_schools
from campus_security.testing import make_roster, make_school, standard_for

from . import gbt2260_table

CITE = Citation("测试〔2024〕1号", "一")
D = dt.date
ON = D(2024, 6, 30)


def _even(school, ctx):
    return passed("偶", "even") if school.enrollment % 2 == 0 else failed("奇", "odd")


def _even_rule(std: str):
    return rule(f"{std}.even", title=("人数为偶数", "an even enrollment"), citation=CITE)(_even)


@rule("prov.drill", title=("每月演练", "a drill every month"), citation=CITE, every=Every.MONTH)
def drill(school, ctx):
    p = ctx.judged
    if any(d.held_on in p for d in school.drills):
        return passed("有", "held")
    return failed("无", "none")


def _target(tid: str, rule_id: str, *, kindergartens: bool = False) -> Target:
    return Target(
        id=tid,
        title=Text("比例", "share"),
        citation=CITE,
        rule_id=rule_id,
        due=D(2024, 1, 1),
        threshold=0.5,
        **({"applies": kinds(SchoolKind.KINDERGARTEN)} if kindergartens else {}),
    )


PROVINCE = standard_for(
    _even_rule("prov"),
    drill,
    targets=[_target("prov.even-rate", "prov.even"), _target("prov.drill-rate", "prov.drill")],
    jurisdiction=("320000",),
)
CITY = standard_for(
    _even_rule("city"), targets=[_target("city.even-rate", "city.even")], jurisdiction=("130900",)
)
COUNTY = standard_for(
    _even_rule("county"),
    targets=[_target("county.even-rate", "county.even")],
    jurisdiction=("610526",),
)
STANDARDS = (PROVINCE, CITY, COUNTY)

# counties and zones only (no school directly under a city or the province) ...
COUNTIES = ["320102", "320115", "320117", "320583", "320571", "130902", "130903", "130971"]
# ... and codes at every level, with places no standard covers
ANY_CODE = [*COUNTIES, "320000", "320100", "320500", "130900", "610526", "110101"]


def _schools(codes: list[str]):
    return st.lists(
        st.tuples(
            st.sampled_from(codes),
            st.integers(1, 9),  # enrollment: even passes
            st.lists(st.dates(D(2024, 1, 1), ON), max_size=3),
        ),
        min_size=1,
        max_size=25,
    ).map(
        lambda rows: make_roster(
            *(
                make_school(
                    id=f"S{i}",
                    region_code=code,
                    enrollment=n,
                    drills=[Drill(DrillKind.EMERGENCY, d) for d in days],
                )
                for i, (code, n, days) in enumerate(rows)
            )
        )
    )


def _groups(rows: tuple[RegionalRate, ...]) -> dict[tuple[Any, ...], dict[str, RegionalRate]]:
    out: dict[tuple[Any, ...], dict[str, RegionalRate]] = defaultdict(dict)
    for r in rows:
        key = (r.rate.standard_id, r.rate.target_id, r.jurisdiction.value, r.rate.period)
        assert r.region.value not in out[key]
        out[key][r.region.value] = r
    return out


def _direct(roster, code: str, since: dt.date | None, key: tuple[Any, ...]) -> Tally:
    """The tally of the schools registered exactly under ``code`` (their own rate)."""
    own = make_roster(*(s for s in roster.schools if s.region_code.value == code))
    report = evaluate(own, ON, STANDARDS, since=since, rate_every=Every.MONTH)
    std, target, _jur, period = key
    found = [
        r.tally
        for r in report.rates
        if (r.standard_id, r.target_id, r.period) == (std, target, period)
    ]
    return found[0] if found else Tally()


def _total(tallies) -> Tally:
    out = Tally()
    for t in tallies:
        out = out + t
    return out


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(_schools(COUNTIES), st.booleans())
def test_counties_add_up_to_their_city_and_cities_to_the_jurisdiction(roster, window):
    since = D(2024, 1, 1) if window else None
    report = evaluate(roster, ON, STANDARDS, since=since, rate_every=Every.MONTH)
    jurisdiction_rates = {
        (r.standard_id, r.target_id, r.region.value, r.period): r for r in report.rates
    }
    groups = _groups(report.regional_rates)
    assert set(groups) == set(jurisdiction_rates)
    for key, rows in groups.items():
        top = rows[key[2]]
        assert top.level is Level.JURISDICTION and top.parent is None
        assert top.rate == jurisdiction_rates[key]  # the jurisdiction's row is its rate
        for code, row in rows.items():
            children = [r.rate.tally for r in rows.values() if r.parent == row.region]
            if row.level is not Level.COUNTY:
                assert _total(children) == row.rate.tally, (key, code)
            else:
                assert children == []
        # every county with schools in the jurisdiction has its row, and no other
        counted = {
            s.region_code.value
            for s in roster.schools
            if RegionCode(key[2]).covers(s.region_code) and s.region_code.value != key[2]
        }
        assert {c for c, r in rows.items() if r.level is Level.COUNTY} == counted


@settings(max_examples=30, deadline=None)
@given(_schools(ANY_CODE), st.booleans())
def test_a_row_is_its_childrens_sum_plus_its_own_schools(roster, window):
    since = D(2024, 4, 1) if window else None
    report = evaluate(roster, ON, STANDARDS, since=since, rate_every=Every.MONTH)
    for key, rows in _groups(report.regional_rates).items():
        for row in rows.values():
            children = [r.rate.tally for r in rows.values() if r.parent == row.region]
            own = _direct(roster, row.region.value, since, key)
            assert _total(children) + own == row.rate.tally, (key, row.region)


@settings(max_examples=40, deadline=None)
@given(_schools(ANY_CODE), st.booleans(), st.randoms(use_true_random=False))
def test_merging_parts_in_any_split_and_order_gives_the_whole(roster, window, rnd):
    since = D(2024, 3, 1) if window else None
    ev = Evaluator(STANDARDS, ON, since=since, rate_every=Every.MONTH)
    whole = evaluate_schools(roster.schools, ev)
    schools = list(roster.schools)
    cuts = sorted(rnd.sample(range(1, len(schools) + 1), rnd.randint(0, min(4, len(schools)))))
    parts = [schools[a:b] for a, b in zip([0, *cuts], [*cuts, len(schools)], strict=True)]
    summaries = [evaluate_schools(p, ev) for p in parts]
    rnd.shuffle(summaries)
    merged = StreamSummary()
    for s in summaries:
        merged.merge(s)
    assert merged.region_tallies == whole.region_tallies
    assert merged.region_period_tallies == whole.region_period_tallies
    got = merged.regional_rates(ev.standards, ON)
    assert got == whole.regional_rates(ev.standards, ON)
    assert (
        got == evaluate(roster, ON, STANDARDS, since=since, rate_every=Every.MONTH).regional_rates
    )
    assert merged.rates(ev.standards, ON) == whole.rates(ev.standards, ON)


@settings(max_examples=25, deadline=None)
@given(_schools(ANY_CODE), st.integers(1, 5), st.integers(0, 3))
def test_a_window_is_its_periods(roster, first, months):
    since = D(2024, first, 1)
    end_month = min(6, first + months)
    on = D(2024, end_month + 1, 1) - dt.timedelta(days=1)
    window = evaluate(roster, on, STANDARDS, since=since, rate_every=Every.MONTH)
    periodic = [r for r in window.regional_rates if r.rate.period is not None]
    covered = any(s.region_code.value != "110101" for s in roster.schools)
    expected = set(Every.MONTH.within(since, on)) if covered else set()
    assert {r.rate.period for r in periodic} == expected
    for period in {r.rate.period for r in periodic}:
        alone = evaluate(roster, period.end, STANDARDS, since=period.start, rate_every=Every.MONTH)
        assert [r for r in periodic if r.rate.period == period] == [
            r for r in alone.regional_rates if r.rate.period is not None
        ]


# --- boundaries ------------------------------------------------------------------------------


def _rows(report, std: str = "prov", target: str = "prov.even-rate"):
    return {
        r.region.value: r
        for r in report.regional_rates
        if (r.rate.standard_id, r.rate.target_id, r.rate.period) == (std, target, None)
    }


def test_a_zone_rolls_up_under_its_city():
    roster = make_roster(
        make_school(region_code="320571", enrollment=2),
        make_school(region_code="320583", enrollment=3),
        make_school(region_code="130971", enrollment=2),
    )
    report = evaluate(roster, ON, STANDARDS)
    rows = _rows(report)
    assert sorted(rows) == ["320000", "320500", "320571", "320583"]
    zone = rows["320571"]
    assert (zone.level, zone.parent, zone.name) == (
        Level.COUNTY,
        RegionCode("320500"),
        "苏州工业园区",
    )
    assert rows["320500"].name == "苏州市" and rows["320500"].level is Level.CITY
    assert rows["320500"].rate.tally == Tally(met=1, not_met=1)
    # under a city's standard, the zone is a county of the jurisdiction
    city = _rows(report, "city", "city.even-rate")
    assert sorted(city) == ["130900", "130971"]
    assert city["130971"].parent == RegionCode("130900") and city["130971"].level is Level.COUNTY
    assert city["130971"].label == "130971 沧州经济技术开发区"


def test_a_school_directly_under_a_city_counts_in_the_city_and_no_county():
    roster = make_roster(
        make_school(region_code="320100", enrollment=2),
        make_school(region_code="320102", enrollment=3),
    )
    rows = _rows(evaluate(roster, ON, STANDARDS))
    assert sorted(rows) == ["320000", "320100", "320102"]
    assert rows["320100"].rate.tally == Tally(met=1, not_met=1)  # its own school and 玄武区's
    assert rows["320102"].rate.tally == Tally(met=0, not_met=1)
    assert rows["320100"].label == "320100 南京市" and rows["320102"].label == "320102 玄武区"
    # a school of the province itself counts only in the jurisdiction
    only = _rows(evaluate(make_roster(make_school(region_code="320000")), ON, STANDARDS))
    assert sorted(only) == ["320000"]


def test_a_county_with_no_schools_has_no_row():
    roster = make_roster(make_school(region_code="320102"), make_school(region_code="320115"))
    rows = _rows(evaluate(roster, ON, STANDARDS))
    assert sorted(rows) == ["320000", "320100", "320102", "320115"]  # not 320104 秦淮区, ...
    # a county outside any target's population has no row either
    kg = attrs.evolve(PROVINCE, targets=(_target("prov.kg-rate", "prov.even", kindergartens=True),))
    assert evaluate(roster, ON, [kg]).regional_rates == ()


def test_a_county_standard_has_only_its_own_row():
    report = evaluate(make_roster(make_school(region_code="610526")), ON, STANDARDS)
    (row,) = [r for r in report.regional_rates if r.rate.standard_id == "county"]
    assert (row.level, row.region, row.parent, row.name) == (
        Level.JURISDICTION,
        RegionCode("610526"),
        None,
        "蒲城县",
    )


def test_rows_come_by_code_a_city_before_its_counties():
    roster = make_roster(
        *(make_school(region_code=c) for c in ["320583", "320102", "320571", "320115", "320100"])
    )
    assert list(_rows(evaluate(roster, ON, STANDARDS))) == [
        "320000",
        "320100",
        "320102",
        "320115",
        "320500",
        "320571",
        "320583",
    ]


def test_a_sub_regions_rate_has_the_targets_threshold_and_status():
    roster = make_roster(
        make_school(region_code="320102", enrollment=2),
        make_school(region_code="320115", enrollment=3),
    )
    rows = _rows(evaluate(roster, ON, STANDARDS))
    assert rows["320102"].rate.status.value == "met"
    assert rows["320115"].rate.status.value == "not_met"
    assert rows["320000"].rate.value == 0.5 and rows["320000"].rate.status.value == "met"
    pending = _rows(evaluate(roster, D(2023, 6, 1), STANDARDS))
    assert {r.rate.status.value for r in pending.values()} == {"pending"}


# --- names -----------------------------------------------------------------------------------


def test_names_are_short_and_a_code_without_one_shows_alone():
    assert [region_name(c) for c in ("320000", "320100", "320102", "320571", "419001")] == [
        "江苏省",
        "南京市",
        "玄武区",
        "苏州工业园区",
        "济源市",
    ]
    assert region_name("320103") == "白下区"  # a former code keeps its last name
    assert region_name("999999") is None
    report = evaluate(make_roster(make_school(region_code="320102")), ON, STANDARDS)
    row = report.regional_rates[0]
    assert attrs.evolve(row, name=None).label == row.region.value


def test_the_shipped_table_is_the_cited_packages():
    version, text = gbt2260_table.installed()
    assert f"python-stdnum {version}" in GBT2260_SOURCE or version != "2.2"
    shipped = gbt2260_table.table(text)
    from importlib import resources

    data = resources.files("campus_security.model").joinpath("gbt2260.tsv").read_text("utf-8")
    if version == "2.2":  # the revision GBT2260_SOURCE cites
        assert data == gbt2260_table.render(version, shipped)
    rows = [line.split("\t") for line in data.splitlines() if not line.startswith("#")]
    assert len(rows) > 6000 and all(len(code) == 6 and code.isdigit() for code, _ in rows)
    for code, name in rows:
        RegionCode(code)  # every code the table names is a GB/T 2260 code
        assert name and name == shipped.get(code, name)


def test_the_table_is_read_only_when_a_name_is_asked():
    code = (
        "import campus_security.cli, campus_security.report, campus_security.pipeline\n"
        "from campus_security.model.regions import _gbt2260\n"
        "assert _gbt2260.cache_info().currsize == 0\n"
        "from campus_security.model import region_name\n"
        "assert region_name('110101') == '东城区'\n"
        "assert _gbt2260.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("code", ["320102", "320571", "320100", "130902"])
def test_every_row_of_a_school_lies_under_the_jurisdiction(code):
    from campus_security.engine.rollup import region_rows

    for jur in ("320000", "130900", "320100"):
        for row, _level, parent in region_rows(RegionCode(jur), code):
            assert RegionCode(jur).covers(RegionCode(row)) and row != jur
            assert RegionCode(parent).covers(RegionCode(row))


# --- the reports -----------------------------------------------------------------------------


def _cli(capsys, *args):
    from campus_security.cli import run

    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _demo_with_zone(tmp_path):
    """The demo roster with a Jiangsu school moved to 苏州工业园区 and one to 南京市 itself."""
    import json

    from conftest import EXAMPLE_ROSTER

    doc = json.loads(EXAMPLE_ROSTER.read_text("utf-8"))
    jiangsu = [s for s in doc["schools"] if s["region_code"].startswith("32")]
    jiangsu[0]["region_code"] = "320571"
    jiangsu[1]["region_code"] = "320100"
    path = tmp_path / "zones.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize("window", [False, True])
def test_the_json_report_holds_every_rates_regions(capsys, tmp_path, window):
    import json

    from jsonschema import Draft202012Validator

    from campus_security.formats import read_roster
    from campus_security.plugins import PluginManager
    from campus_security.report import load_report_schema, report_document

    path = _demo_with_zone(tmp_path)
    when = ["--from", "2024-01-01", "--to", "2024-09-30"] if window else ["--on", "2024-09-01"]
    out = tmp_path / "r.json"
    _cli(capsys, "check", str(path), *when, "--format", "json", "-o", str(out))
    doc = json.loads(out.read_text("utf-8"))
    assert doc["version"] == "2.1"
    assert list(Draft202012Validator(load_report_schema()).iter_errors(doc)) == []
    (rate,) = [
        r
        for r in doc["rates"]
        if r["target_id"] == "jiangsu.gatehouse-2022" and (r["period"] is None) != window
    ][:1]
    rows = {row["region"]: row for row in rate["regions"]}
    assert rows["320500"] == {
        "region": "320500",
        "name": "苏州市",
        "level": "city",
        "parent": "320000",
        **{k: rows["320571"][k] for k in ("met", "not_met", "waived", "errors", "value", "status")},
    }
    assert (rows["320571"]["name"], rows["320571"]["parent"]) == ("苏州工业园区", "320500")
    assert "320100" in rows and rows["320100"]["level"] == "city"
    assert list(rows) == sorted(rows)
    for r in doc["rates"]:  # cities add up to the jurisdiction (no school coded 320000)
        cities = [x for x in r["regions"] if x["level"] == "city"]
        if r["region"] == "320000":
            assert sum(x["met"] for x in cities) == r["met"]
            assert sum(x["not_met"] for x in cities) == r["not_met"]
    # the API's document is the same
    roster = read_roster(path)
    since = D(2024, 1, 1) if window else None
    on = D(2024, 9, 30) if window else D(2024, 9, 1)
    pm = PluginManager()
    report = evaluate(roster, on, pm.standards(), since=since)
    api = report_document(
        report,
        schools=roster.schools,
        standards=doc["standards"],
        plugin_failures=pm.failures,
    )

    def key(r):
        return (r["standard_id"], r["target_id"], r["region"], str(r["period"]))

    # (in a window the API orders the rates by period end, the pipeline as of the date first)
    assert sorted(api["rates"], key=key) == sorted(doc["rates"], key=key)


def test_check_by_region_prints_the_full_table(capsys, tmp_path):
    path = _demo_with_zone(tmp_path)
    _, plain, _ = _cli(capsys, "check", str(path), "--on", "2024-09-01")
    assert "rates by region" not in plain and "│ 320000" in plain  # the jurisdictions' rates
    _, out, _ = _cli(capsys, "check", str(path), "--on", "2024-09-01", "--by-region")
    assert out.startswith(plain[: plain.index("达标率 / rates against targets")])
    table = out[out.index("rates by region · jiangsu.gatehouse-2022") :]
    table = table[: table.index("\n\n")]
    lines = [line.split("│")[1][1:].rstrip() for line in table.splitlines() if "│" in line]
    assert [line for line in lines if line.strip()[:1].isdigit()] == [
        "320000 江苏省",
        "  320100 南京市",
        "    320102 玄武区",
        "    320115 江宁区",
        "    320117 溧水区",
        "  320500 苏州市",
        "    320571 苏州工业园区",
    ]
    assert "苏公通〔2019〕635号" in table and "达标 met" in table


def test_check_by_region_on_a_big_roster_and_over_a_window(capsys, tmp_path):
    from campus_security.scale.generate import GeneratorConfig, write_roster

    path = tmp_path / "big.jsonl"
    write_roster(GeneratorConfig(schools=1100, seed=4, history_days=20, on=D(2024, 11, 20)), path)
    args = ["check", str(path), "--from", "2024-04-01", "--to", "2024-09-30", "-j", "1"]
    _, out, _ = _cli(capsys, *args, "--by-region")
    assert "findings per standard" in out  # the summary of a big roster
    assert "rates by region ·" in out and "2024-04-01.." in out
    _, json_out, _ = _cli(capsys, *args, "--format", "json")
    import json

    doc = json.loads(json_out)
    assert any(r["regions"] for r in doc["rates"])
