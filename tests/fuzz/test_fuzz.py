"""Fuzzing: valid rosters and census forms, mutated, through every reader, the CLI and the API.

Run by ``nox -s fuzz`` (``CAMPUS_SECURITY_FUZZ_EXAMPLES`` inputs per test; CI runs a
bounded number, a long local run thousands). What must hold for every input is in
oracle.py; the mutations are in mutations.py.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from mutations import csv_forms, ids_in, json_rosters, jsonl_rosters, xlsx_forms
from oracle import fuzz_one
from strategies import census_rosters, rosters


@given(st.data(), rosters(max_schools=3))
def test_json_rosters(data: st.DataObject, roster) -> None:  # type: ignore[no-untyped-def]
    """Mutated ``.json`` rosters."""
    raw = data.draw(json_rosters(roster))
    with tempfile.TemporaryDirectory() as tmp:
        fuzz_one(Path(tmp), "roster.json", raw, ids_in(roster))


@given(st.data(), rosters(max_schools=3))
def test_jsonl_rosters(data: st.DataObject, roster) -> None:  # type: ignore[no-untyped-def]
    """Mutated ``.jsonl`` rosters (``check`` streams them)."""
    raw = data.draw(jsonl_rosters(roster))
    with tempfile.TemporaryDirectory() as tmp:
        fuzz_one(Path(tmp), "roster.jsonl", raw, ids_in(roster))


@given(st.data(), census_rosters(max_schools=2))
def test_xlsx_census_forms(data: st.DataObject, roster) -> None:  # type: ignore[no-untyped-def]
    """Mutated guard census forms, XLSX."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = data.draw(xlsx_forms(roster, Path(tmp)))
        fuzz_one(Path(tmp), "form.xlsx", raw, ids_in(roster))


@given(st.data(), census_rosters(max_schools=2))
def test_csv_census_forms(data: st.DataObject, roster) -> None:  # type: ignore[no-untyped-def]
    """Mutated guard census forms, CSV."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = data.draw(csv_forms(roster, Path(tmp)))
        fuzz_one(Path(tmp), "form.csv", raw, ids_in(roster))


# --- the Python API: model objects built with wrong values ----------------------------------

api_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        ["kindergarten", "primary", "幼儿园", "130903", "640402198503010062", "1985-02-30", ""]
    ),
    st.dates(),
    st.just([]),
    st.just({}),
    st.just(("a", 1)),
)


@settings(max_examples=10 * int(os.environ.get("CAMPUS_SECURITY_FUZZ_EXAMPLES", "10")))
@given(st.data(), rosters(max_schools=1))
def test_api_model_objects_with_wrong_values(data: st.DataObject, roster) -> None:  # type: ignore[no-untyped-def]
    """A School or Guard built with a wrong value is refused (a located, masked
    CampusSecurityError) or converted; what is accepted can be checked and written."""
    import datetime as dt
    import traceback

    import attrs

    from campus_security import CampusSecurityError, check, dumps_roster

    if not roster.schools:
        return
    school = roster.schools[0]
    target = school
    if school.guards and data.draw(st.booleans()):
        target = school.guards[0]
    field = data.draw(st.sampled_from([f.name for f in attrs.fields(type(target))]))
    value = data.draw(api_values)
    try:
        changed = attrs.evolve(target, **{field: value})
    except CampusSecurityError as exc:
        message = str(exc)
        where = f"{message} {getattr(exc, 'field', '')}"
        assert field in where, f"the error names no field: {message}"
        assert "640402198503010062" not in message, message
        return
    except Exception as exc:
        raise AssertionError(
            f"{type(target).__name__}({field}={value!r}) raised a non-library error:\n"
            + "".join(traceback.format_exception(exc))
        ) from None
    if changed is not school and target is not school:
        changed = attrs.evolve(school, guards=(changed, *school.guards[1:]))
    try:
        roster = attrs.evolve(roster, schools=(changed,))  # the roster checks references
        dumps_roster(roster)
        check(roster, on=dt.date(2024, 11, 20))
    except CampusSecurityError:
        pass  # said clearly (the roster as a whole may be inconsistent)
    except Exception as exc:
        raise AssertionError(
            f"accepted {type(target).__name__}({field}={value!r}), then crashed:\n"
            + "".join(traceback.format_exception(exc))
        ) from None
