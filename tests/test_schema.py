"""The JSON Schema of the roster format: generated, shipped, and right about rosters."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import EXAMPLE_ROSTER, ROOT
from hypothesis import given
from jsonschema import Draft202012Validator
from strategies import rosters

from campus_security.formats import FORMAT, dumps_roster
from campus_security.formats.schema import (
    SCHEMA_RESOURCE,
    load_schema,
    roster_schema,
    schema_bytes,
)
from campus_security.model import Roster, SchoolKind

SHIPPED = ROOT / "src" / "campus_security" / "formats" / SCHEMA_RESOURCE
REGENERATE = f"python -m campus_security.formats.schema > {SHIPPED.relative_to(ROOT)}"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _example() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE_ROSTER.read_text("utf-8"))
    return doc


def test_the_shipped_schema_is_a_fresh_generation() -> None:
    assert SHIPPED.read_bytes() == schema_bytes(), f"the model changed: run {REGENERATE}"
    assert load_schema() == roster_schema()


def test_the_module_prints_the_schema() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "campus_security.formats.schema"],
        capture_output=True,
        check=True,
    )
    assert proc.stdout == schema_bytes()


def test_the_docs_publish_the_schema() -> None:
    page = (ROOT / "docs" / "roster-schema.md").read_text("utf-8")
    assert f"src/campus_security/formats/{SCHEMA_RESOURCE}" in page
    assert "python -m campus_security.formats.schema" in page


def test_the_example_roster_is_valid(validator: Draft202012Validator) -> None:
    errors = [e.message for e in validator.iter_errors(_example())]
    assert errors == []


@given(rosters())
def test_every_roster_the_library_writes_is_valid(roster: Roster) -> None:
    schema = load_schema()
    Draft202012Validator(schema).validate(orjson.loads(dumps_roster(roster)))


def _school(doc: dict[str, Any]) -> dict[str, Any]:
    school: dict[str, Any] = doc["schools"][0]
    return school


def _guard(doc: dict[str, Any]) -> dict[str, Any]:
    guard: dict[str, Any] = next(s for s in doc["schools"] if s.get("guards"))["guards"][0]
    return guard


Mutation = Callable[[dict[str, Any]], object]

INVALID: dict[str, Mutation] = {
    "wrong format": lambda d: d.update(format="something/else"),
    "unknown version": lambda d: d.update(version="9.9"),
    "no version": lambda d: d.pop("version"),
    "unknown top-level field": lambda d: d.update(extra=1),
    "unknown school field": lambda d: _school(d).update(colour="red"),
    "school without a region": lambda d: _school(d).pop("region_code"),
    "region code of five digits": lambda d: _school(d).update(region_code="13090"),
    "unknown school kind": lambda d: _school(d).update(kind="castle"),
    "kind by Chinese label": lambda d: _school(d).update(kind=SchoolKind.PRIMARY.zh),
    "negative enrollment": lambda d: _school(d).update(enrollment=-1),
    "enrollment as text": lambda d: _school(d).update(enrollment="12"),
    "blank school name": lambda d: _school(d).update(name="   "),
    "ID number too short": lambda d: _guard(d).update(id_number="11010519800101"),
    "ID number lower-case x": lambda d: _guard(d).update(
        id_number=_guard(d)["id_number"][:17] + "x"
    ),
    "date in another form": lambda d: _guard(d).update(hired_on="2020/01/01"),
    "flag that does not exist": lambda d: _guard(d).update(
        background_checks=[{"checked_on": "2020-01-01", "flags": ["gambling"]}]
    ),
    "training of zero days": lambda d: _guard(d).update(
        trainings=[{"kind": "pre_job", "started_on": "2020-01-01", "days": 0}]
    ),
    "boolean as a string": lambda d: _guard(d).update(full_time="yes"),
    "facilities with an unknown flag": lambda d: _school(d).update(facilities={"moat": True}),
    "companies not an array": lambda d: d.update(companies={}),
}


@pytest.mark.parametrize("mutate", INVALID.values(), ids=list(INVALID))
def test_invalid_rosters_are_rejected(validator: Draft202012Validator, mutate: Mutation) -> None:
    doc = copy.deepcopy(_example())
    mutate(doc)
    assert not validator.is_valid(doc)


def test_what_the_schema_says_of_the_model() -> None:
    schema = load_schema()
    defs = schema["$defs"]
    assert schema["properties"]["format"] == {
        "description": "Which format the file is.",
        "const": FORMAT,
    }
    school = defs["School"]
    assert school["additionalProperties"] is False
    assert school["required"] == ["id", "name", "region_code", "kind"]
    assert school["properties"]["enrollment"]["default"] == 0
    assert school["properties"]["enrollment"]["minimum"] == 0
    assert school["properties"]["vehicle_access"]["default"] is True
    assert defs["SchoolKind"]["enum"] == [k.value for k in SchoolKind]
    assert "小学" in defs["SchoolKind"]["description"]
    assert defs["IdNumber"]["pattern"] == "^[0-9]{17}[0-9X]$"
    assert defs["BackgroundCheck"]["properties"]["flags"]["uniqueItems"] is True
    assert defs["Guard"]["properties"]["hired_on"]["type"] == ["string", "null"]
    assert "description" in defs["Guard"]["properties"]["certificate_number"]


def test_the_schema_ships_in_the_package() -> None:
    import campus_security.formats as formats

    assert (Path(formats.__file__).parent / SCHEMA_RESOURCE).is_file()
