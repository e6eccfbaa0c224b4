"""School.compacted and ``campus-security convert``: routine records into day series, losslessly.

Lossless here means what the rules read: the period queries, and so every finding,
are the same before and after; the order of records within a day is not kept.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import schools
from test_series import (
    _CADENCES,
    _LEVELS,
    _assert_same_evaluation,
    _assert_same_queries,
)

from campus_security.cli import run
from campus_security.formats import dumps_roster, load_roster
from campus_security.model import InvalidValue, School
from campus_security.plugins import PluginManager
from campus_security.scale.jsonl import dumps_lines, load_lines

D = dt.date
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "roster.json"


@pytest.fixture(scope="module")
def standards() -> tuple[Any, ...]:
    found = PluginManager().standards()
    assert found
    return found


def _compacted_or_skip(school: School) -> School:
    try:
        return school.compacted()
    except InvalidValue:  # a day above MAX_COUNT (records and a series on one day)
        assume(False)
        raise


@settings(max_examples=60)
@given(schools(), st.data())
def test_compacted_answers_every_period_query_the_same(school: School, data: Any) -> None:
    c = _compacted_or_skip(school)
    for _ in range(4):
        start = data.draw(st.dates(D(2014, 6, 1), D(2031, 6, 1)))
        end = data.draw(st.dates(D(2014, 6, 1), D(2031, 6, 1)))
        _assert_same_queries(school, c, start, end, data.draw(_LEVELS), data.draw(_CADENCES))
    # what moved, and what stayed
    assert not c.police_patrols
    assert all(i.inspector is not None for i in c.inspections)
    assert [i for i in school.inspections if i.inspector is not None] == list(c.inspections)
    assert len({(s.level, s.cadence) for s in c.inspection_series}) == len(c.inspection_series)
    assert c.compacted() == c  # idempotent
    # nothing else changed
    assert c.guards == school.guards and c.drills == school.drills and c.waivers == school.waivers


@settings(max_examples=20)
@given(schools())
def test_compacted_evaluates_the_same(standards, school: School) -> None:
    _assert_same_evaluation(standards, [(school, _compacted_or_skip(school))])


def test_the_example_roster_compacts_to_a_smaller_file_with_the_same_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compact = tmp_path / "compact.jsonl"
    back = tmp_path / "back.json"
    assert run(["convert", str(EXAMPLE), "-o", str(compact), "--compact"]) == 0
    assert run(["convert", str(compact), "-o", str(back)]) == 0
    assert back.stat().st_size < 0.8 * EXAMPLE.stat().st_size
    capsys.readouterr()
    reports = []
    for roster in (EXAMPLE, back):
        run(["check", str(roster), "--on", "2024-11-20", "--format", "json"])
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[0]["findings"] == reports[1]["findings"]
    assert reports[0]["rates"] == reports[1]["rates"]
    assert any(f["status"] == "fail" for f in reports[0]["findings"])  # a real comparison


def test_convert_without_compact_writes_the_roster_back_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "same.json"
    assert run(["convert", str(EXAMPLE), "-o", str(out)]) == 0
    assert out.read_bytes() == EXAMPLE.read_bytes()
    lines = tmp_path / "same.jsonl"
    assert run(["convert", str(EXAMPLE), "-o", str(lines)]) == 0
    assert lines.read_bytes() == dumps_lines(load_roster(EXAMPLE))


def test_streamed_compaction_equals_compacting_the_whole_roster(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(dumps_lines(load_roster(EXAMPLE)))
    out = tmp_path / "out.jsonl"
    assert run(["convert", str(src), "-o", str(out), "--compact"]) == 0
    whole = load_lines(src)
    expected = [s.compacted() for s in whole.schools]
    assert list(load_lines(out).schools) == expected
    assert dumps_roster(load_lines(out)) != dumps_roster(whole)  # it did compact


def test_a_bad_roster_is_reported_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = dumps_lines(load_roster(EXAMPLE)).splitlines(keepends=True)
    doc = orjson.loads(lines[-1])
    doc["school"]["police_patrol_series"] = "2024-01-01:2,2"
    lines[-1] = orjson.dumps(doc) + b"\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(lines))
    out = tmp_path / "out.jsonl"
    assert run(["convert", str(bad), "-o", str(out), "--compact"]) == 2
    err = capsys.readouterr().err
    assert f"line {len(lines)}: school.police_patrol_series" in err and "2024-01-01:2*2" in err
    assert list(tmp_path.iterdir()) == [bad]  # no output, no temporary file left behind
    assert run(["convert", str(EXAMPLE), "-o", str(tmp_path / "x.txt")]) == 2


def test_two_records_on_one_day_count_twice() -> None:
    from campus_security.model import Cadence, Inspection, InspectorLevel, PolicePatrol
    from campus_security.testing import make_school

    day = D(2024, 3, 5)
    school = make_school(
        inspections=(
            Inspection(day, InspectorLevel.SCHOOL, Cadence.DAILY),
            Inspection(day, InspectorLevel.SCHOOL, Cadence.DAILY),
            Inspection(day, InspectorLevel.POLICE_STATION, inspector="城关派出所"),
        ),
        police_patrols=(PolicePatrol(day, 1), PolicePatrol(day, 2), PolicePatrol(D(2024, 3, 7))),
    )
    c = school.compacted()
    (series,) = c.inspection_series
    assert (series.level, series.cadence, str(series.days)) == (
        InspectorLevel.SCHOOL,
        Cadence.DAILY,
        "2024-03-05:2",
    )
    assert c.inspection_dates(day, day, cadences=[Cadence.DAILY]) == [day, day]
    assert [i.inspector for i in c.inspections] == ["城关派出所"]
    assert str(c.police_patrol_series) == "2024-03-05:3,0,1"


def test_a_day_beyond_what_a_series_counts_is_an_invalid_value() -> None:
    from campus_security.model import DaySeries, PolicePatrol
    from campus_security.model.series import MAX_COUNT
    from campus_security.testing import make_school

    day = D(2024, 3, 5)
    school = make_school(
        police_patrols=(PolicePatrol(day, 5),),
        police_patrol_series=DaySeries(day, [MAX_COUNT]),
    )
    with pytest.raises(InvalidValue, match="9999"):
        school.compacted()


def test_convert_names_the_school_that_cannot_be_compacted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from campus_security.model import DaySeries, PolicePatrol, Roster
    from campus_security.model.series import MAX_COUNT
    from campus_security.testing import make_school

    day = D(2024, 3, 5)
    school = make_school(
        id="S-FULL",
        police_patrols=(PolicePatrol(day, 5),),
        police_patrol_series=DaySeries(day, [MAX_COUNT]),
    )
    src = tmp_path / "full.json"
    src.write_bytes(dumps_roster(Roster(schools=(school,))))
    for out in ("out.json", "out.jsonl"):
        assert run(["convert", str(src), "-o", str(tmp_path / out), "--compact"]) == 2
        assert "school S-FULL" in capsys.readouterr().err
    lines = tmp_path / "full.jsonl"
    lines.write_bytes(dumps_lines(Roster(schools=(school,))))
    assert run(["convert", str(lines), "-o", str(tmp_path / "o.jsonl"), "--compact"]) == 2
    assert "school S-FULL" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.json", "full.jsonl"]
