"""Day series in the roster (DaySeries, InspectionSeries, police_patrol_series).

The text form, the period queries against brute force, the limits and the canonical
spelling, errors with their paths (cattrs reader and fast structurer alike), the
version a writer states, and the equivalence that matters: a school whose routine
records are held as series reads and evaluates exactly as the same school with records.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from conftest import EXAMPLE_ROSTER
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import day_series, rosters, schools

from campus_security import RosterError, dumps_roster, load_roster, loads_roster
from campus_security.engine import Evaluator
from campus_security.engine.results import Status
from campus_security.formats import FORMAT, SUPPORTED_VERSIONS, VERSION
from campus_security.formats.roster_json import make_converter, problems_from_exception, unstructure
from campus_security.formats.structure import Structurer
from campus_security.model import (
    Cadence,
    DaySeries,
    Inspection,
    InspectionSeries,
    InspectorLevel,
    InvalidValue,
    PolicePatrol,
    RegionCode,
    Roster,
    School,
    SchoolKind,
)
from campus_security.model.series import MAX_COUNT, MAX_DAYS
from campus_security.plugins import PluginManager
from campus_security.scale.generate import GeneratorConfig, write_roster
from campus_security.scale.jsonl import LINES_FORMAT, LINES_VERSION, dumps_lines, load_lines

D = dt.date
ONE = dt.timedelta(days=1)
EVALUATION_DATES = (D(2024, 11, 20), D(2019, 12, 10), D(2023, 6, 30))
GOOD_SCHOOL = {"id": "S1", "name": "测试小学", "region_code": "130902", "kind": "primary"}


@pytest.fixture(scope="module")
def standards() -> tuple[Any, ...]:
    found = PluginManager().standards()
    assert found, "no standards installed: the equivalence tests would prove nothing"
    return found


# --- helpers ------------------------------------------------------------------------------


def _brute(s: DaySeries) -> dict[dt.date, int]:
    """Every day of the series with its count (zero days included), day by day."""
    return {s.start + dt.timedelta(days=i): c for i, c in enumerate(s.counts)}


def _in(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def _shift(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


@st.composite
def windows(draw: st.DrawFn, s: DaySeries) -> tuple[dt.date | None, dt.date | None]:
    """A window around ``s``: before it, after it, across it, empty, or far-flung bounds."""
    far = st.sampled_from(
        [dt.date.min, D(1900, 1, 1), D(2000, 1, 1), D(2100, 1, 1), D(9999, 12, 30), dt.date.max]
    )
    near = st.integers(-80, len(s.counts) + 80).map(lambda i: _shift(s.start, i))
    edge = st.sampled_from([s.start, s.end, _shift(s.start, -1), _shift(s.end, 1)])
    bound = st.none() | far | near | edge
    return draw(bound), draw(bound)


def _key(level: InspectorLevel, cadence: Cadence | None) -> tuple[str, str]:
    return (level.value, cadence.value if cadence else "")


class _TooMany(Exception):
    pass


def _series_form_or_skip(school: School) -> School:
    """:func:`to_series_form` inside a property test: skip a school no series can hold."""
    try:
        return to_series_form(school)
    except _TooMany:
        assume(False)
        raise


def to_series_form(school: School) -> School:
    """Every inspection without an inspector and every patrol moved into day series."""
    tallies: dict[tuple[InspectorLevel, Cadence | None], Counter[dt.date]] = {}
    for s in school.inspection_series:
        tallies.setdefault((s.level, s.cadence), Counter()).update(dict(s.days.counts_between()))
    kept = []
    for i in school.inspections:
        if i.inspector is None:
            tallies.setdefault((i.level, i.cadence), Counter())[i.inspected_on] += 1
        else:
            kept.append(i)
    patrols: Counter[dt.date] = Counter()
    if school.police_patrol_series is not None:
        patrols.update(dict(school.police_patrol_series.counts_between()))
    for p in school.police_patrols:
        patrols[p.patrolled_on] += p.count
    if any(n > MAX_COUNT for c in (*tallies.values(), patrols) for n in c.values()):
        raise _TooMany  # records that no series can hold (a day above MAX_COUNT)
    series = []
    for (level, cadence), tally in sorted(tallies.items(), key=lambda kv: _key(*kv[0])):
        days = DaySeries.from_counts(tally)
        assert days is not None and days.total() == sum(tally.values())
        series.append(InspectionSeries(days, level, cadence))
    return attrs.evolve(
        school,
        inspections=tuple(kept),
        inspection_series=tuple(series),
        police_patrols=(),
        police_patrol_series=DaySeries.from_counts(patrols),
    )


def to_records_form(school: School) -> School:
    """Every series expanded into the records it stands for (one patrol record a day)."""
    inspections = list(school.inspections)
    for s in school.inspection_series:
        records = s.records()
        assert len(records) == s.days.total()
        inspections += records
    patrols: Counter[dt.date] = Counter()
    if school.police_patrol_series is not None:
        patrols.update(dict(school.police_patrol_series.counts_between()))
    for p in school.police_patrols:
        patrols[p.patrolled_on] += p.count
    return attrs.evolve(
        school,
        inspections=tuple(inspections),
        inspection_series=(),
        police_patrols=tuple(PolicePatrol(d, n) for d, n in sorted(patrols.items())),
        police_patrol_series=None,
    )


_LEVELS = st.none() | st.sampled_from(InspectorLevel)
_CADENCES = st.none() | st.sets(st.none() | st.sampled_from(Cadence)).map(frozenset)


def _assert_same_queries(
    a: School, b: School, start: dt.date, end: dt.date, level: Any, cadences: Any
) -> None:
    kw = {"level": level, "cadences": cadences}
    assert a.inspection_days(start, end, **kw) == b.inspection_days(start, end, **kw)
    assert a.inspection_dates(start, end, **kw) == b.inspection_dates(start, end, **kw)
    assert a.patrol_counts(start, end) == b.patrol_counts(start, end)


def _findings(ev: Evaluator, school: School) -> list[tuple[Any, ...]]:
    return [
        (f.standard_id, f.rule_id, f.school_id, f.status, f.message)
        for f in ev.school(school).findings
    ]


def _assert_same_evaluation(
    standards: Iterable[Any], pairs: list[tuple[School, School]], companies: Any = ()
) -> int:
    """Every finding of every standard equal on each evaluation date; the number compared."""
    compared = 0
    for on in EVALUATION_DATES:
        ev = Evaluator(standards, on, companies=companies)
        for a, b in pairs:
            fa, fb = _findings(ev, a), _findings(ev, b)
            assert fa == fb, (a.id, on)
            compared += len(fa)
    return compared


# --- 1. the text form and the queries, against brute force --------------------------------


@given(day_series())
def test_text_round_trips(s: DaySeries) -> None:
    text = str(s)
    assert DaySeries.parse(text) == s
    assert str(DaySeries.parse(text)) == text
    assert repr(s) == f"DaySeries.parse({text!r})"


# Texts built from the grammar's pieces, canonical or not (leading zeros, N*1, N*0,
# zero days at either end, repeated runs, edge dates, a trailing newline).
_NUMBER = st.sampled_from(["0", "1", "2", "3", "01", "00", "9999", "10000", "12"])
_RUN = st.tuples(_NUMBER, st.none() | st.sampled_from(["0", "1", "2", "3", "02", "40"])).map(
    lambda r: r[0] if r[1] is None else f"{r[0]}*{r[1]}"
)
_START = st.sampled_from(
    [
        "2024-02-28",
        "2024-02-29",
        "2023-02-29",
        "2024-12-31",
        "0001-01-01",
        "9999-12-30",
        "9999-12-31",
    ]
)
_TEXTS = st.builds(
    lambda start, runs, tail: f"{start}:{','.join(runs)}{tail}",
    _START,
    st.lists(_RUN, min_size=1, max_size=5),
    st.sampled_from(["", "", "", "\n", " ", ","]),
)


@settings(max_examples=200)
@given(_TEXTS)
def test_any_text_is_refused_or_reads_back_byte_for_byte(text: str) -> None:
    try:
        s = DaySeries.parse(text)
    except InvalidValue:
        return
    assert str(s) == text
    assert s.counts and s.counts[0] > 0 and s.counts[-1] > 0
    assert s.days() and s.days()[-1] == s.end  # the whole series is on the calendar


@given(day_series())
def test_from_counts_and_from_days_rebuild_the_series(s: DaySeries) -> None:
    pairs = s.counts_between()
    assert DaySeries.from_counts(dict(pairs)) == s
    assert list(s) == pairs
    assert DaySeries.from_days([d for d, n in reversed(pairs) for _ in range(min(n, 3))]) == (
        DaySeries.from_counts({d: min(n, 3) for d, n in pairs})
    )
    assert DaySeries.from_counts({}) is None and DaySeries.from_days([]) is None
    assert DaySeries.from_counts({s.start: 0}) is None


@settings(max_examples=100)
@given(st.data(), day_series())
def test_queries_agree_with_brute_force(data: st.DataObject, s: DaySeries) -> None:
    every = _brute(s)
    assert s.end == max(every) and len(every) == len(s.counts)
    assert s.total() == sum(every.values())
    for _ in range(3):
        start, end = data.draw(windows(s))
        expected = [(d, n) for d, n in sorted(every.items()) if n and _in(d, start, end)]
        assert s.counts_between(start, end) == expected
        assert s.days(start, end) == [d for d, _ in expected]
        assert s.total(start, end) == sum(n for _, n in expected)
        for day in (start, end):
            if day is not None:
                assert s.count(day) == every.get(day, 0)
    assert s.count(s.start) > 0 and s.count(s.end) > 0
    assert s.count(s.start - ONE) == 0 and s.count(s.end + ONE) == 0


# --- 2. boundaries, limits, canonical spelling -------------------------------------------


def test_first_and_last_day_are_in_and_zero_days_are_out() -> None:
    s = DaySeries.parse("2024-03-01:2,0*3,5")
    first, last = D(2024, 3, 1), D(2024, 3, 5)
    assert s.start == first and s.end == last
    assert s.days() == [first, last]
    assert s.days(first, first) == [first] and s.days(last, last) == [last]
    assert s.days(first + ONE, last - ONE) == [] and s.total(first + ONE, last - ONE) == 0
    assert s.counts_between(last, dt.date.max) == [(last, 5)]
    assert s.total(dt.date.min, first) == 2 and s.total(last, last) == 5
    assert s.count(D(2024, 3, 2)) == 0 and D(2024, 3, 2) not in s.days()
    assert s.days(last, first) == [] and s.total(last, first) == 0  # end before start
    assert s.days(D(1900, 1, 1), first - ONE) == [] and s.days(last + ONE, D(9999, 1, 1)) == []


def test_largest_count() -> None:
    assert DaySeries.parse(f"2024-01-01:{MAX_COUNT}").counts == (MAX_COUNT,)
    assert DaySeries(D(2024, 1, 1), [1, MAX_COUNT]).total() == MAX_COUNT + 1
    with pytest.raises(InvalidValue, match=str(MAX_COUNT + 1)):
        DaySeries.parse(f"2024-01-01:{MAX_COUNT + 1}")
    with pytest.raises(InvalidValue, match=str(MAX_COUNT + 1)):
        DaySeries.parse(f"2024-01-01:1,{MAX_COUNT + 1}*2")
    with pytest.raises(InvalidValue):
        DaySeries(D(2024, 1, 1), [MAX_COUNT + 1])


def test_longest_series() -> None:
    start = D(2000, 1, 1)
    longest = DaySeries.parse(f"2000-01-01:1*{MAX_DAYS}")
    assert len(longest.counts) == MAX_DAYS and longest.end == start + (MAX_DAYS - 1) * ONE
    gappy = DaySeries.parse(f"2000-01-01:3,0*{MAX_DAYS - 2},3")
    assert gappy.days() == [start, start + (MAX_DAYS - 1) * ONE] and gappy.total() == 6
    assert DaySeries(start, [1] * MAX_DAYS) == longest
    for text in (f"2000-01-01:1*{MAX_DAYS + 1}", f"2000-01-01:1,0*{MAX_DAYS - 1},1"):
        with pytest.raises(InvalidValue, match=str(MAX_DAYS)):
            DaySeries.parse(text)
    with pytest.raises(InvalidValue, match=str(MAX_DAYS)):
        DaySeries(start, [1] * (MAX_DAYS + 1))


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("2024-01-01:2,2", "2024-01-01:2*2"),
        ("2024-01-01:1*1", "2024-01-01:1"),
        ("2024-01-01:0,1", "2024-01-02:1"),
        ("2024-01-01:1,0", "2024-01-01:1"),
        ("2024-01-01:01", "2024-01-01:1"),
        ("2024-01-01:1*02", "2024-01-01:1*2"),
        ("2024-01-01:2*2,2", "2024-01-01:2*3"),
        ("2024-01-01:1,0*1,1", "2024-01-01:1,0,1"),
        ("2024-01-01:1,0,0,1", "2024-01-01:1,0*2,1"),
        ("2024-01-01:0*3,1,0", "2024-01-04:1"),
    ],
)
def test_non_canonical_text_is_refused_naming_the_canonical_form(text: str, canonical: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        DaySeries.parse(text)
    assert repr(canonical) in exc.value.message.en and repr(canonical) in exc.value.message.zh
    assert "canonical" in exc.value.message.en and "规范" in exc.value.message.zh
    assert str(DaySeries.parse(canonical)) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-30:1",
        "2023-02-29:1",
        "2024-13-01:1",
        "2024-00-10:1",
        "",
        "2024-01-01",
        "2024-01-01:",
        "2024-01-01:1,",
        "2024-01-01:,1",
        "2024-01-01:-1",
        "2024-01-01:1**2",
        "2024-01-01:1*",
        "2024-01-01:*2",
        "2024-01-01:1;2",
        "2024-01-01:a",
        "2024-01-01: 1",
        " 2024-01-01:1",
        "2024-01-01:1 ",
        "24-01-01:1",
        "2024-1-1:1",
        "2024/01/01:1",
        "2024-01-01:1.0",
        "2024-01-01:0",
        "2024-01-01:0*5",
    ],
)
def test_bad_dates_and_garbage_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        DaySeries.parse(text)
    assert exc.value.message.zh and exc.value.message.en


def test_no_such_date_is_named() -> None:
    with pytest.raises(InvalidValue, match="no such date: 2024-02-30"):
        DaySeries.parse("2024-02-30:1")


def test_a_trailing_newline_is_refused() -> None:
    # ``$`` in the pattern matches before a final newline: the text must end at its end.
    with pytest.raises(InvalidValue):
        DaySeries.parse("2024-01-01:1\n")


@pytest.mark.parametrize("text", ["2024-01-01:1*0", "2024-01-01:5*0", "2024-01-01:1*00"])
def test_a_run_of_no_days_that_leaves_nothing_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        DaySeries.parse(text)


def test_a_count_with_thousands_of_digits_is_an_invalid_value() -> None:
    with pytest.raises(InvalidValue):
        DaySeries.parse("2024-01-01:" + "9" * 5000)
    with pytest.raises(InvalidValue):
        DaySeries.parse("2024-01-01:1*" + "9" * 5000)


def test_a_series_past_the_last_calendar_day_is_refused() -> None:
    assert DaySeries.parse("9999-12-31:7").end == dt.date.max
    with pytest.raises(InvalidValue):
        DaySeries.parse("9999-12-31:1*2")
    with pytest.raises(InvalidValue):
        DaySeries(dt.date.max, [1, 1])


@pytest.mark.parametrize(
    "counts",
    [
        [True],
        [1, True],
        [False, 1],
        [1.0],
        [1, 2.5],
        ["1"],
        [None],
        [-1],
        [1, -1, 1],
        [0, 1],
        [1, 0],
        [],
    ],
)
def test_constructor_refuses_bad_counts(counts: list[Any]) -> None:
    with pytest.raises(InvalidValue) as exc:
        DaySeries(D(2024, 1, 1), counts)
    assert exc.value.field == "counts"


# --- 3 and 4. roster errors name their path, fast structurer alike ---------------------------


def _doc(*school_docs: dict[str, Any], version: Any = "1.0") -> dict[str, Any]:
    return {"format": FORMAT, "version": version, "companies": [], "schools": list(school_docs)}


def _reader_problems(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(RosterError) as exc:
        loads_roster(json.dumps(doc), source="bad.json")
    return [(p.path, p.message.zh, p.message.en) for p in exc.value.problems]


def _fast_problems(school_doc: dict[str, Any], path: str) -> list[tuple[str, str, str]]:
    st_ = Structurer()
    with pytest.raises(Exception) as exc:  # the reader's own error, whatever it is
        st_.school(school_doc)
    assert st_.fallbacks == 1 and st_.fast == 0
    return [(p.path, p.message.zh, p.message.en) for p in problems_from_exception(exc.value, path)]


@pytest.mark.parametrize(
    "bad, fragment",
    [
        ("2024-01-01:1,1", "'2024-01-01:1*2'"),
        ("2024-02-30:1", "no such date"),
        ("not a series", "YYYY-MM-DD"),
        (f"2024-01-01:{MAX_COUNT + 1}", str(MAX_COUNT)),
    ],
)
def test_a_bad_series_is_reported_at_its_path(bad: str, fragment: str) -> None:
    school = dict(
        GOOD_SCHOOL,
        inspection_series=[{"days": bad, "cadence": "daily"}],
        police_patrol_series=bad,
    )
    problems = _reader_problems(_doc(GOOD_SCHOOL | {"id": "S0"}, school))
    assert [p[0] for p in problems] == [
        "schools[1].inspection_series[0].days",
        "schools[1].police_patrol_series",
    ]
    assert all(fragment in en for _, _, en in problems)
    assert _fast_problems(school, "schools[1]") == problems


@pytest.mark.parametrize("bad", [12, None, True, ["2024-01-01:1"], {"start": "2024-01-01"}])
def test_a_series_that_is_not_a_string_is_reported_at_its_path(bad: Any) -> None:
    school = dict(GOOD_SCHOOL, inspection_series=[{"days": bad}])
    problems = _reader_problems(_doc(school))
    assert [p[0] for p in problems] == ["schools[0].inspection_series[0].days"]
    assert _fast_problems(school, "schools[0]") == problems


def test_unknown_field_in_an_inspection_series() -> None:
    school = dict(GOOD_SCHOOL, inspection_series=[{"days": "2024-01-01:1", "inspector": "x"}])
    problems = _reader_problems(_doc(school))
    assert [p[0] for p in problems] == ["schools[0].inspection_series[0].inspector"]
    assert _fast_problems(school, "schools[0]") == problems


@pytest.mark.parametrize(
    "series",
    [
        [
            {"days": "2024-01-01:1", "cadence": "daily"},
            {"days": "2024-02-01:2", "cadence": "daily"},
        ],
        [{"days": "2024-01-01:1"}, {"days": "2024-02-01:1", "level": "school"}],
        [
            {"days": "2024-01-01:1", "level": "police_station"},
            {"days": "2024-01-01:1", "level": "police_station", "cadence": None},
        ],
    ],
)
def test_duplicate_level_and_cadence_is_reported_at_the_second(series: list[Any]) -> None:
    school = dict(GOOD_SCHOOL, inspection_series=series)
    problems = _reader_problems(_doc(school))
    assert [p[0] for p in problems] == ["schools[0].inspection_series[1]"]
    assert "duplicate level and cadence" in problems[0][2] and "重复" in problems[0][1]
    assert _fast_problems(school, "schools[0]") == problems


def test_duplicate_level_and_cadence_in_the_constructor() -> None:
    a = InspectionSeries(DaySeries.parse("2024-01-01:1"), InspectorLevel.SCHOOL, Cadence.WEEKLY)
    b = InspectionSeries(DaySeries.parse("2024-02-01:2"), InspectorLevel.SCHOOL, Cadence.DAILY)
    c = InspectionSeries(DaySeries.parse("2024-03-01:3"), InspectorLevel.SCHOOL, Cadence.WEEKLY)
    ok = School("S1", "x", RegionCode("130902"), SchoolKind.PRIMARY, inspection_series=(a, b))
    assert ok.inspection_dates(D(2024, 1, 1), D(2024, 2, 1)) == [
        D(2024, 1, 1),
        *[D(2024, 2, 1)] * 2,
    ]
    with pytest.raises(InvalidValue) as exc:
        School("S1", "x", RegionCode("130902"), SchoolKind.PRIMARY, inspection_series=(a, b, c))
    assert exc.value.field == "inspection_series[2]"


def test_same_level_other_cadence_is_not_a_duplicate() -> None:
    school = dict(
        GOOD_SCHOOL,
        inspection_series=[
            {"days": "2024-01-01:1", "cadence": "daily"},
            {"days": "2024-01-01:1", "cadence": "weekly"},
            {"days": "2024-01-01:1"},
            {"days": "2024-01-01:1", "level": "police_station"},
        ],
    )
    s = loads_roster(json.dumps(_doc(school))).schools[0]
    assert len(s.inspection_series) == 4
    assert s.inspection_dates(D(2024, 1, 1), D(2024, 1, 1)) == [D(2024, 1, 1)] * 4
    assert s.inspection_days(D(2024, 1, 1), D(2024, 1, 1)) == [D(2024, 1, 1)]
    assert Structurer().school(school) == s


# --- 5. versions ----------------------------------------------------------------------------
# Day series are fields added with defaults: under the format's versioning rules
# (docs/roster-format.md#versions) they keep version 1.0, so a roster with series is
# still written as 1.0 and no other version is read.


def _version(text: bytes) -> str:
    return orjson.loads(text)["version"]


def _uses_series(s: School) -> bool:
    return bool(s.inspection_series) or s.police_patrol_series is not None


def test_example_roster_writes_back_byte_for_byte() -> None:
    data = EXAMPLE_ROSTER.read_bytes()
    roster = load_roster(EXAMPLE_ROSTER)
    assert _version(data) == "1.0"
    assert not any(_uses_series(s) for s in roster.schools)
    assert dumps_roster(roster) == data
    assert loads_roster(dumps_roster(roster)) == roster


def test_a_roster_with_series_is_still_version_1_0() -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    last = roster.schools[-1]
    daily = InspectionSeries(DaySeries.parse("2024-11-01:1"), cadence=Cadence.DAILY)
    for changed in (
        attrs.evolve(last, police_patrol_series=DaySeries.parse("2024-11-01:2*3")),
        attrs.evolve(last, inspection_series=(daily,)),
    ):
        r = attrs.evolve(roster, schools=(*roster.schools[:-1], changed))
        text = dumps_roster(r)
        assert _version(text) == VERSION == "1.0"
        assert loads_roster(text) == r and dumps_roster(loads_roster(text)) == text
        header, _ = dumps_lines(r).split(b"\n", 1)
        assert orjson.loads(header) == {"format": LINES_FORMAT, "version": LINES_VERSION}
        assert LINES_VERSION == "1.0"


@settings(max_examples=30)
@given(rosters())
def test_rosters_with_or_without_series_write_the_one_version(roster: Roster) -> None:
    text = dumps_roster(roster)
    assert _version(text) == "1.0"
    assert _version(dumps_lines(roster).split(b"\n", 1)[0]) == "1.0"
    assert loads_roster(text) == roster


def _lines_file(tmp_path: Path, version: Any, school: dict[str, Any]) -> Path:
    lines = tmp_path / "r.jsonl"
    lines.write_text(
        json.dumps({"format": LINES_FORMAT, "version": version})
        + "\n"
        + json.dumps({"school": school})
        + "\n"
    )
    return lines


def test_version_1_0_reads_series(tmp_path: Path) -> None:
    school = GOOD_SCHOOL | {
        "police_patrol_series": "2024-01-01:2*7",
        "inspection_series": [{"days": "2024-01-03:1", "cadence": "daily"}],
    }
    for s in (
        loads_roster(json.dumps(_doc(school, version="1.0"))).schools[0],
        load_lines(_lines_file(tmp_path, "1.0", school)).schools[0],
    ):
        assert s.patrol_counts(D(2024, 1, 7), D(2024, 1, 9)) == {D(2024, 1, 7): 2}
        assert s.inspection_days(D(2024, 1, 1), D(2024, 1, 31), cadences=[Cadence.DAILY]) == [
            D(2024, 1, 3)
        ]


@pytest.mark.parametrize("version", ["1.1", "1.2", "2.0", "1", 1.0])
def test_other_versions_are_refused(version: Any, tmp_path: Path) -> None:
    assert version not in SUPPORTED_VERSIONS
    problems = _reader_problems(_doc(GOOD_SCHOOL, version=version))
    assert [p[0] for p in problems] == ["version"]
    assert f"unsupported roster version {version!r}" in problems[0][2]
    with pytest.raises(RosterError, match="line 1") as exc:
        load_lines(_lines_file(tmp_path, version, GOOD_SCHOOL))
    assert f"unsupported roster version {version!r}" in str(exc.value)


# --- 6. series and records: the same queries, the same verdicts ---------------------------------


def test_records_of_an_inspection_series() -> None:
    s = InspectionSeries(DaySeries.parse("2024-05-01:2,0*2,1*2,3"), InspectorLevel.COUNTY)
    records = s.records()
    assert len(records) == s.days.total() == 7
    assert [r.inspected_on.day for r in records] == [1, 1, 4, 5, 6, 6, 6]
    assert all(
        r.level is InspectorLevel.COUNTY and r.cadence is None and r.inspector is None
        for r in records
    )


def test_both_forms_added_up_day_by_day() -> None:
    day, other = D(2024, 5, 6), D(2024, 5, 9)
    daily = (InspectorLevel.SCHOOL, Cadence.DAILY)
    records = School(
        "S1",
        "x",
        RegionCode("130902"),
        SchoolKind.PRIMARY,
        inspections=(
            Inspection(day, *daily),
            Inspection(day, *daily),
            Inspection(day, *daily, inspector="张三"),
            Inspection(other, InspectorLevel.POLICE_STATION),
        ),
        police_patrols=(PolicePatrol(day, 2), PolicePatrol(other, 1)),
    )
    mixed = attrs.evolve(
        records,
        inspections=records.inspections[2:],
        inspection_series=(InspectionSeries(DaySeries.parse("2024-05-06:2"), *daily),),
        police_patrols=(PolicePatrol(other, 1),),
        police_patrol_series=DaySeries.parse("2024-05-06:2"),
    )
    for school in (records, mixed, to_series_form(records), to_series_form(mixed)):
        assert school.inspection_dates(day, other) == [day, day, day, other]
        assert school.inspection_dates(day, other, cadences=[Cadence.DAILY]) == [day] * 3
        assert school.inspection_days(day, other, cadences=[Cadence.DAILY]) == [day]
        assert school.inspection_days(day, other, level=InspectorLevel.POLICE_STATION) == [other]
        assert school.inspection_days(day, other, cadences=[None]) == [other]
        assert school.patrol_counts(day, other) == {day: 2, other: 1}
        assert school.patrol_counts(day + ONE, other - ONE) == {}
    assert to_series_form(records) == to_series_form(mixed)
    assert to_series_form(mixed).inspections == (Inspection(day, *daily, inspector="张三"),)
    both = attrs.evolve(mixed, police_patrols=(PolicePatrol(day, 3),))  # same day in both forms
    assert both.patrol_counts(day, other) == {day: 5}


@settings(max_examples=40)
@given(
    day_series(max_days=30), st.sampled_from(InspectorLevel), st.none() | st.sampled_from(Cadence)
)
def test_records_count_equals_total(days: DaySeries, level: Any, cadence: Any) -> None:
    assume(days.total() <= 5000)
    records = InspectionSeries(days, level, cadence).records()
    assert len(records) == days.total()
    assert Counter(r.inspected_on for r in records) == dict(days.counts_between())


@settings(max_examples=40)
@given(schools(), st.data())
def test_series_form_answers_like_records_form(school: School, data: st.DataObject) -> None:
    compact = _series_form_or_skip(school)
    assert not compact.police_patrols
    assert all(i.inspector is not None for i in compact.inspections)
    for _ in range(4):
        start, end = data.draw(
            st.tuples(
                st.dates(D(2014, 6, 1), D(2031, 6, 1))
                | st.sampled_from([D(1900, 1, 1), dt.date.min]),
                st.dates(D(2014, 6, 1), D(2031, 6, 1))
                | st.sampled_from([D(2200, 1, 1), dt.date.max]),
            )
        )
        _assert_same_queries(school, compact, start, end, data.draw(_LEVELS), data.draw(_CADENCES))


small_series = st.lists(st.integers(0, 3), min_size=1, max_size=40).map(
    lambda c: [c[0] or 1, *c[1:-1], c[-1] or 2] if len(c) > 1 else [c[0] or 1]
)


@settings(max_examples=40)
@given(schools(), st.data())
def test_records_form_answers_like_series_form(school: School, data: st.DataObject) -> None:
    # Keep counts small so that the records they stand for stay few.
    series = tuple(
        attrs.evolve(s, days=DaySeries(s.days.start, data.draw(small_series)))
        for s in school.inspection_series
    )
    school = attrs.evolve(school, inspection_series=series)
    records = to_records_form(school)
    assert not records.inspection_series and records.police_patrol_series is None
    for _ in range(4):
        start = data.draw(st.dates(D(2014, 6, 1), D(2031, 6, 1)))
        end = data.draw(st.dates(D(2014, 6, 1), D(2031, 6, 1)))
        _assert_same_queries(school, records, start, end, data.draw(_LEVELS), data.draw(_CADENCES))
    assert _series_form_or_skip(records) == _series_form_or_skip(school)


@settings(max_examples=25)
@given(schools())
def test_series_form_evaluates_like_records_form(standards, school: School) -> None:
    _assert_same_evaluation(standards, [(school, _series_form_or_skip(school))])


def test_example_roster_in_series_form_evaluates_the_same(standards) -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    compact = Roster(
        schools=tuple(to_series_form(s) for s in roster.schools), companies=roster.companies
    )
    # The conversion did something: every school's routine records moved into series.
    for s, c in zip(roster.schools, compact.schools, strict=True):
        assert s.police_patrols and not c.police_patrols and c.police_patrol_series is not None
        assert len(c.inspections) < len(s.inspections) and c.inspection_series
        total = sum(x.days.total() for x in c.inspection_series) + len(c.inspections)
        assert total == len(s.inspections)
    text = dumps_roster(compact)
    assert len(text) < len(EXAMPLE_ROSTER.read_bytes())
    assert loads_roster(text) == compact
    for s, c in zip(roster.schools, compact.schools, strict=True):
        for start, end in [
            (D(2024, 9, 21), D(2024, 11, 20)),
            (D(2024, 11, 14), D(2024, 11, 20)),
            (D(1900, 1, 1), D(2100, 1, 1)),
            (D(2024, 10, 1), D(2024, 10, 31)),
            (D(2024, 11, 20), D(2024, 11, 19)),
        ]:
            for cadences in (None, {Cadence.DAILY}, {Cadence.WEEKLY, None}):
                _assert_same_queries(s, c, start, end, None, cadences)
            _assert_same_queries(s, c, start, end, InspectorLevel.POLICE_STATION, None)
    pairs = list(zip(roster.schools, compact.schools, strict=True))
    assert _assert_same_evaluation(standards, pairs, roster.companies) > 0
    ev = Evaluator(standards, EVALUATION_DATES[0], companies=roster.companies)
    statuses = Counter(f.status for s in compact.schools for f in ev.school(s).findings)
    assert statuses[Status.FAIL] and statuses[Status.PASS] and not statuses[Status.ERROR]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Roster:
    path = tmp_path_factory.mktemp("gen") / "r.jsonl"
    write_roster(GeneratorConfig(schools=40, seed=3), path, lines=True)
    return load_lines(path)


def test_generated_roster_in_records_form_evaluates_the_same(standards, generated: Roster) -> None:
    assert sum(_uses_series(s) for s in generated.schools) >= 30
    expanded = [to_records_form(s) for s in generated.schools]
    for s, e in zip(generated.schools, expanded, strict=True):
        assert not _uses_series(e)
        assert len(e.inspections) == len(s.inspections) + sum(
            x.days.total() for x in s.inspection_series
        )
        year = (D(2023, 11, 21), D(2024, 11, 20))
        _assert_same_queries(s, e, *year, None, None)
        _assert_same_queries(s, e, *year, None, {Cadence.DAILY})
        _assert_same_queries(s, e, *year, InspectorLevel.POLICE_STATION, None)
        _assert_same_queries(s, e, D(2024, 11, 13), D(2024, 11, 19), None, {Cadence.WEEKLY})
    pairs = list(zip(generated.schools, expanded, strict=True))
    assert _assert_same_evaluation(standards, pairs, generated.companies) > 0
    as_records = Roster(schools=tuple(expanded), companies=generated.companies)
    assert loads_roster(dumps_roster(as_records)) == as_records
    # and back: the series form of the records is the generator's series form
    for s, e in zip(generated.schools, expanded, strict=True):
        assert to_series_form(e) == to_series_form(s)


# --- 7. the fast structurer builds what the reader builds ---------------------------------------


@settings(max_examples=60)
@given(schools())
def test_fast_structurer_equals_reader_with_series(school: School) -> None:
    data = orjson.loads(orjson.dumps(unstructure(school)))
    st_ = Structurer()
    assert make_converter().structure(data, School) == school
    assert st_.school(data) == school
    assert st_.fallbacks == 0
    assert st_.school(orjson.loads(orjson.dumps(unstructure(school)))) == school  # from the memo


@settings(max_examples=30)
@given(schools())
def test_fast_structurer_equals_reader_in_series_form(school: School) -> None:
    compact = _series_form_or_skip(school)
    data = orjson.loads(orjson.dumps(unstructure(compact)))
    assert Structurer().school(data) == make_converter().structure(data, School) == compact
