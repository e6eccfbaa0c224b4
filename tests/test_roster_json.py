from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from conftest import EXAMPLE_ROSTER
from hypothesis import given
from strategies import rosters

from campus_security import RosterError, dumps_roster, load_roster, loads_roster
from campus_security.formats import FORMAT
from campus_security.model import Roster


@given(rosters())
def test_objects_json_objects_round_trip(roster: Roster) -> None:
    assert loads_roster(dumps_roster(roster)) == roster


@given(rosters())
def test_json_objects_json_is_byte_identical(roster: Roster) -> None:
    text = dumps_roster(roster)
    assert dumps_roster(loads_roster(text)) == text


def test_example_roster_round_trips_unchanged() -> None:
    data = EXAMPLE_ROSTER.read_bytes()
    assert dumps_roster(loads_roster(data)) == data


def _doc(**schools_and_more: object) -> dict[str, object]:
    doc: dict[str, object] = {"format": FORMAT, "version": "1.0", "companies": [], "schools": []}
    doc.update(schools_and_more)
    return doc


def _problems(doc: object) -> dict[str, str]:
    with pytest.raises(RosterError) as exc:
        loads_roster(json.dumps(doc), source="bad.json")
    assert exc.value.source == "bad.json"
    assert "bad.json" in str(exc.value)
    return {p.path: f"{p.message.zh} / {p.message.en}" for p in exc.value.problems}


GOOD_SCHOOL = {"id": "S1", "name": "测试小学", "region_code": "130902", "kind": "primary"}


def test_every_problem_is_listed_with_its_path() -> None:
    bad = dict(
        GOOD_SCHOOL,
        region_code="999999",
        enrollment="12",
        guards=[
            {"id_number": "110105194912310021", "name": "张三"},
            {"id_number": "11010519491231002X", "name": ""},
        ],
        facilities={"gatehouse": 1},
    )
    problems = _problems(
        _doc(schools=[GOOD_SCHOOL, bad, dict(GOOD_SCHOOL, id="S3", kind="college")])
    )
    assert set(problems) == {
        "schools[1].region_code",
        "schools[1].enrollment",
        "schools[1].guards[0].id_number",
        "schools[1].guards[1].name",
        "schools[1].facilities.gatehouse",
        "schools[2].kind",
    }
    assert "GB/T 2260" in problems["schools[1].region_code"]
    assert "check digit" in problems["schools[1].guards[0].id_number"]
    assert "college" in problems["schools[2].kind"]


def test_cross_field_errors_reach_the_field() -> None:
    problems = _problems(_doc(schools=[dict(GOOD_SCHOOL, enrollment=5, boarders=6)]))
    assert list(problems) == ["schools[0].boarders"]


def test_missing_required_field() -> None:
    school = dict(GOOD_SCHOOL)
    del school["kind"]
    assert list(_problems(_doc(schools=[school]))) == ["schools[0].kind"]


def test_unknown_fields_are_errors_not_dropped() -> None:
    problems = _problems(_doc(extra=1, schools=[dict(GOOD_SCHOOL, colour="red")]))
    assert set(problems) == {"extra", "schools[0].colour"}


def test_unknown_company_and_duplicate_ids() -> None:
    guard = {"id_number": "11010519491231002X", "name": "张三", "company_id": "ghost"}
    problems = _problems(_doc(schools=[dict(GOOD_SCHOOL, guards=[guard]), GOOD_SCHOOL]))
    assert set(problems) == {"schools[0].guards[0].company_id", "schools[1].id"}


@pytest.mark.parametrize(
    "doc, path, fragment",
    [
        ({"format": "other", "version": "1.0"}, "format", "not a campus-security roster"),
        ({"format": FORMAT, "version": "2.0"}, "version", "unsupported roster version '2.0'"),
        ({"format": FORMAT}, "version", "unsupported roster version None"),
        ([], "$", "a roster is a JSON object"),
    ],
)
def test_header_is_checked(doc: object, path: str, fragment: str) -> None:
    problems = _problems(doc)
    assert list(problems) == [path]
    assert fragment in problems[path]


def test_dates_must_be_iso_calendar_dates() -> None:
    school = dict(
        GOOD_SCHOOL,
        drills=[
            {"kind": "emergency", "held_on": "2024/09/01"},
            {"kind": "emergency", "held_on": "2024-02-30"},
        ],
    )
    problems = _problems(_doc(schools=[school]))
    assert set(problems) == {"schools[0].drills[0].held_on", "schools[0].drills[1].held_on"}


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    f = tmp_path / "r.json"
    f.write_text('{"format": "campus-security/roster",\n  "version": }')
    with pytest.raises(RosterError) as exc:
        load_roster(f)
    (p,) = exc.value.problems
    assert p.path.startswith("line 2")
    assert p.source == str(f)


def test_missing_file_is_a_roster_error(tmp_path: Path) -> None:
    with pytest.raises(RosterError) as exc:
        load_roster(tmp_path / "nope.json")
    assert "cannot read" in str(exc.value)


def test_defaults_are_omitted_and_ids_written_in_full() -> None:
    roster = loads_roster(
        json.dumps(
            _doc(
                schools=[
                    dict(GOOD_SCHOOL, guards=[{"id_number": "11010519491231002x", "name": "张三"}])
                ]
            )
        )
    )
    doc = orjson.loads(dumps_roster(roster))
    school = doc["schools"][0]
    assert "facilities" not in school and "enrollment" not in school
    assert school["guards"][0]["id_number"] == "11010519491231002X"
