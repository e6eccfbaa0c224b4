"""What a run checks: --rule/--skip-rule/--school/--region travel in the Setup (issue 15, part 7).

The oracle: a filtered run gives the report the API gives for the schools kept, evaluated
against the standards narrowed to the rules kept; in this process, on worker processes and
on Dask alike. A rate reported under a rule filter is the whole rate of its target.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from conftest import EXAMPLE_ROSTER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campus_security import dump_roster, evaluate, load_roster
from campus_security.errors import RosterError
from campus_security.model import RegionCode
from campus_security.pipeline import JsonReportSink, Setup, run
from campus_security.pipeline.filters import (
    SchoolFilter,
    closest,
    narrow_standards,
    rule_selected,
    unmatched_globs,
)
from campus_security.pipeline.sources import JsonSource, LinesSource
from campus_security.plugins import PluginManager
from campus_security.report import load_report_schema, report_document
from campus_security.testing import make_roster, make_school

ON = dt.date(2024, 11, 20)


@pytest.fixture(scope="module")
def standards() -> tuple[Any, ...]:
    return PluginManager().standards()


def _report(source: Any, setup: Setup, standards: Any, tmp: Path, **kw: Any) -> dict[str, Any]:
    out = tmp / f"r{len(list(tmp.iterdir()))}.json"
    run(source, setup, sinks=[JsonReportSink(out)], standards=setup.select(standards), **kw)
    doc: dict[str, Any] = orjson.loads(out.read_bytes())
    return doc


FILTERS = Setup(
    on=ON,
    rules=("jiangsu.*", "cangzhou.guard*", "zhengzhou.*"),
    skip_rules=("jiangsu.guard-post", "zhengzhou.*patrol*"),
    schools=("CA00[1-4]", "JI*", "ZZ*"),
    regions=("130900", "320100", "410100"),
)


def _expected(standards: Any, setup: Setup) -> dict[str, Any]:
    """The API's report of the schools the setup keeps, against the rules it keeps."""
    roster = load_roster(EXAMPLE_ROSTER)
    admit = setup.admits()
    kept = [s for s in roster.schools if admit is None or admit(s)]
    narrowed = setup.select(standards)
    report = evaluate(attrs.evolve(roster, schools=tuple(kept)), ON, narrowed)
    return report_document(
        report, schools=kept, standards=[s.id for s in narrowed if s.in_force(ON)]
    )


def test_filters_give_the_api_report_of_what_they_keep_in_every_mode(
    standards: Any, tmp_path: Path
) -> None:
    expected = _expected(standards, FILTERS)
    assert 0 < expected["totals"]["schools"] < len(load_roster(EXAMPLE_ROSTER).schools)
    rule_ids = {f["rule_id"] for f in expected["findings"]}
    assert "jiangsu.guard-post" not in rule_ids and "cangzhou.guard-staffing" in rule_ids
    assert not any(r.startswith(("cangzhou.hazard", "loudi.")) for r in rule_ids)
    runs = {
        "process": _report(JsonSource(EXAMPLE_ROSTER), FILTERS, standards, tmp_path, jobs=1),
        "parallel": _report(
            JsonSource(EXAMPLE_ROSTER, cut_bytes=1),
            FILTERS,
            standards,
            tmp_path,
            jobs=2,
            part_bytes=4096,
        ),
        "dask": _report(
            JsonSource(EXAMPLE_ROSTER, cut_bytes=1),
            FILTERS,
            standards,
            tmp_path,
            jobs=2,
            dask="local",
            part_bytes=4096,
        ),
    }
    for mode, doc in runs.items():
        assert doc == expected, mode


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_rate_under_a_rule_filter_is_its_whole_target_rate(standards: Any, data: Any) -> None:
    """Targets of skipped rules are not reported; every other rate is as without a filter."""
    roster = load_roster(EXAMPLE_ROSTER)
    everything = {
        (r.target_id, r.region.value, r.period): r for r in evaluate(roster, ON, standards).rates
    }
    rated = sorted({t.rule_id for s in standards for t in s.targets})
    skipped = data.draw(st.lists(st.sampled_from(rated), max_size=6, unique=True))
    narrowed = narrow_standards(standards, (), skipped)
    rates = evaluate(roster, ON, narrowed).rates
    targets = {t.id: t.rule_id for s in standards for t in s.targets}
    assert {r.target_id for r in rates} == {
        t for t, rule in targets.items() if rule not in skipped
    } & {k[0] for k in everything}
    for r in rates:
        assert r == everything[(r.target_id, r.region.value, r.period)]


def test_rule_globs() -> None:
    assert rule_selected("jiangsu.guard-post", (), ())
    assert rule_selected("jiangsu.guard-post", ("jiangsu.*",), ())
    assert not rule_selected("jiangsu.guard-post", ("jiangsu.*",), ("*.guard-post",))
    assert not rule_selected("jiangsu.guard-post", ("cangzhou.*",), ())
    assert not rule_selected("jiangsu.guard-post", ("JIANGSU.*",), ())  # case matters
    assert rule_selected("jiangsu.guard-post", ("cangzhou.*", "*post"), ())
    assert unmatched_globs(["jiangsu.*", "x*"], ["jiangsu.a", "cangzhou.b"]) == ["x*"]


def test_a_standard_left_without_rules_is_not_evaluated(standards: Any) -> None:
    narrowed = narrow_standards(standards, ("jiangsu.*",), ())
    assert [s.id for s in narrowed] == ["jiangsu"]
    assert narrow_standards(standards, (), ()) == tuple(standards)
    jiangsu = next(s for s in standards if s.id == "jiangsu")
    assert narrowed[0].targets == jiangsu.targets  # nothing skipped: every target stays


def test_closest_names_come_first() -> None:
    names = ["cangzhou.guard-age", "jiangsu.gate-duty", "jiangsu.guard-post", "loudi.drill"]
    assert closest("jiangsu.gaurd*", names)[0] == "jiangsu.guard-post"
    assert closest("loudi.dril", names)[0] == "loudi.drill"
    assert sorted(closest("zzz", names)) == sorted(names)  # everything, nothing lost


@pytest.mark.parametrize(
    "region, inside, outside",
    [
        ("320000", ["320102", "320115", "320571", "320000"], ["330102", "130902"]),  # province
        ("320100", ["320102", "320117", "320100"], ["320200", "320571", "320000"]),  # city
        ("320102", ["320102"], ["320104", "320100"]),  # county: only itself
        ("130900", ["130902", "130971", "130973"], ["131002"]),  # zones under their city
        ("130000", ["130971", "130902"], ["410171"]),
        ("130971", ["130971"], ["130972", "130902"]),  # a zone: only itself
    ],
)
def test_region_filter_follows_gb_t_2260(
    region: str, inside: list[str], outside: list[str]
) -> None:
    keep = SchoolFilter(regions=(RegionCode(region),))
    assert all(keep(make_school(region_code=c)) for c in inside)
    assert not any(keep(make_school(region_code=c)) for c in outside)


def test_school_and_region_filters_both_hold() -> None:
    keep = SchoolFilter(ids=("A*", "B1"), regions=(RegionCode("320100"),))
    assert keep(make_school(id="A7", region_code="320102"))
    assert keep(make_school(id="B1", region_code="320102"))
    assert not keep(make_school(id="B10", region_code="320102"))
    assert not keep(make_school(id="A7", region_code="320200"))


def test_schools_left_out_are_still_read_for_problems(tmp_path: Path, standards: Any) -> None:
    """A filter narrows what is evaluated, not what is read: a bad roster is still refused."""
    path = tmp_path / "r.json"
    dump_roster(make_roster(make_school(id="KEEP"), make_school(id="DUP")), path)
    doc = orjson.loads(path.read_bytes())
    doc["schools"].append(doc["schools"][-1])  # DUP twice
    path.write_bytes(orjson.dumps(doc))
    setup = Setup(on=ON, schools=("KEEP",))
    with pytest.raises(RosterError, match="DUP"):
        _report(JsonSource(path), setup, standards, tmp_path)
    assert not (tmp_path / "r0.json").exists()  # no report of a roster with problems


def test_findings_name_their_roster_only_when_several(standards: Any, tmp_path: Path) -> None:
    from campus_security.pipeline.jsonl import dump_lines

    roster = load_roster(EXAMPLE_ROSTER)
    half = len(roster.schools) // 2
    a, b = tmp_path / "a.json", tmp_path / "b.jsonl"
    dump_roster(attrs.evolve(roster, schools=roster.schools[:half]), a)
    dump_lines(attrs.evolve(roster, schools=roster.schools[half:]), b)
    one = _report(JsonSource(EXAMPLE_ROSTER), Setup(on=ON), standards, tmp_path)
    two = _report([JsonSource(a), LinesSource(b)], Setup(on=ON), standards, tmp_path, jobs=1)
    par = _report(
        [JsonSource(a), LinesSource(b)], Setup(on=ON), standards, tmp_path, jobs=2, part_bytes=4096
    )
    assert two == par
    assert all("roster" not in f for f in one["findings"])
    first = {f["school_id"] for f in two["findings"] if f["roster"] == str(a)}
    assert first == {s.id for s in roster.schools[:half]}
    assert {f["roster"] for f in two["findings"]} == {str(a), str(b)}
    for f in two["findings"]:
        assert list(f)[-1] == "roster"
        del f["roster"]
    assert two == one
    import jsonschema

    jsonschema.validate(par, load_report_schema())
