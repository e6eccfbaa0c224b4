"""The pipeline: every source, every mode, one report.

Sources (JSON, JSON Lines, census forms, a roster or an iterable of schools in
memory) give the same schools; one process, many parts, worker processes and Dask
give the same report bytes; the report equals what the API's ``report_document``
gives for the same roster, and matches the shipped JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import EXAMPLE_ROSTER
from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from rich.console import Console
from strategies import census_rosters, rosters

from campus_security.engine import evaluate
from campus_security.errors import RosterError
from campus_security.formats import dump_roster, dumps_roster, load_roster, read_roster
from campus_security.formats.census import write_census
from campus_security.model import Roster
from campus_security.pipeline import (
    JsonReportSink,
    JsonSource,
    LinesSource,
    RosterSource,
    SchoolsSource,
    Setup,
    Source,
    TextReportSink,
    open_source,
    run,
)
from campus_security.pipeline.jsonl import dump_lines
from campus_security.pipeline.jsonscan import JsonSyntaxError, scan_roster
from campus_security.plugins import PluginManager
from campus_security.report import load_report_schema, render_text, report_document
from campus_security.scale.generate import GeneratorConfig, write_roster

ON = dt.date(2024, 11, 20)


@pytest.fixture(scope="module")
def standards() -> tuple[Any, ...]:
    return PluginManager().standards()


def _console(text: Any) -> Console:
    return Console(file=text, width=120)


def _reports(
    source: Source,
    standards: Any,
    tmp: Path,
    *,
    jobs: int | None = 1,
    dask: str | None = None,
    part_bytes: int | None = None,
    detail: bool = True,
) -> tuple[bytes, str, int]:
    """The JSON and text reports of a run, and the number of schools."""
    out_json, out_text = tmp / "r.json", tmp / "r.txt"
    sinks = [
        JsonReportSink(out_json),
        TextReportSink(out_text, detail=detail, console=_console),
    ]
    outcome = run(
        source,
        Setup(on=ON),
        sinks=sinks,
        jobs=jobs,
        dask=dask,
        standards=standards,
        part_bytes=part_bytes,
    )
    return out_json.read_bytes(), out_text.read_text("utf-8"), outcome.summary.schools


def _api_reports(roster: Roster, standards: Any) -> tuple[dict[str, Any], str]:
    report = evaluate(roster, ON, standards)
    doc = report_document(
        report, schools=roster.schools, standards=[s.id for s in standards if s.in_force(ON)]
    )
    buf = io.StringIO()
    render_text(report, _console(buf), schools=roster.schools)
    return doc, buf.getvalue()


def _write(roster: Roster, fmt: str, tmp: Path) -> Source:
    if fmt == "json":
        dump_roster(roster, tmp / "r.json", indent=False)
        return JsonSource(tmp / "r.json", cut_bytes=1)  # cut after every school
    if fmt == "json-indented":
        dump_roster(roster, tmp / "ri.json")
        return JsonSource(tmp / "ri.json", cut_bytes=1)
    if fmt == "json-schools-first":  # keys in any order: companies after the schools
        doc = orjson.loads(dumps_roster(roster))
        doc = {"schools": doc["schools"], "version": doc["version"], **doc}
        (tmp / "rs.json").write_bytes(orjson.dumps(doc))
        return JsonSource(tmp / "rs.json", cut_bytes=1)
    if fmt == "jsonl":
        dump_lines(roster, tmp / "r.jsonl")
        return LinesSource(tmp / "r.jsonl")
    if fmt == "roster":
        return RosterSource(roster)
    return SchoolsSource(iter(roster.schools), roster.companies)


FORMATS = ("json", "json-indented", "json-schools-first", "jsonl", "roster", "schools")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster=rosters(max_schools=5))
def test_every_format_and_split_gives_the_api_report(standards: Any, roster: Roster) -> None:
    expected_doc, expected_text = _api_reports(roster, standards)
    for fmt in FORMATS:
        for part_bytes in (None, 1):  # one part, or one school a part
            with tempfile.TemporaryDirectory() as tmp:
                source = _write(roster, fmt, Path(tmp))
                doc, text, n = _reports(source, standards, Path(tmp), part_bytes=part_bytes)
            assert orjson.loads(doc) == expected_doc, (fmt, part_bytes)
            assert text == expected_text, (fmt, part_bytes)
            assert n == len(roster.schools)


def test_demo_roster_every_format_and_mode_same_bytes(standards: Any, tmp_path: Path) -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    runs: dict[tuple[str, str], tuple[bytes, str, int]] = {}
    for fmt in ("json", "jsonl", "roster"):
        for mode, kw in (
            ("process", {"jobs": 1}),
            ("parallel", {"jobs": 2, "part_bytes": 4096}),
            ("dask", {"jobs": 2, "dask": "local", "part_bytes": 4096}),
        ):
            if mode == "dask" and fmt != "json":
                continue  # Dask is slow to start: once is enough here
            d = tmp_path / f"{fmt}-{mode}"
            d.mkdir()
            runs[(fmt, mode)] = _reports(_write(roster, fmt, d), standards, d, **kw)  # type: ignore[arg-type]
    first = next(iter(runs.values()))
    assert all(r == first for r in runs.values()), [k for k, r in runs.items() if r != first]
    doc, text = _api_reports(roster, standards)
    assert orjson.loads(first[0]) == doc and first[1] == text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=False,
    verbosity=Verbosity.quiet,
)
@given(roster=census_rosters())
def test_census_forms_stream_like_any_roster(standards: Any, suffix: str, roster: Roster) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"form{suffix}"
        write_census(roster, path, show_personal_data=True, school_codes=True)
        read = read_roster(path)
        doc, text, _ = _reports(open_source(path), standards, Path(tmp), part_bytes=1)
    expected_doc, expected_text = _api_reports(read, standards)
    assert orjson.loads(doc) == expected_doc and text == expected_text


def test_a_generated_roster_in_parallel_equals_one_process(standards: Any, tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    write_roster(GeneratorConfig(schools=60, seed=5, history_days=40, violations=0.5), path)
    one = _reports(JsonSource(path), standards, tmp_path, jobs=1, detail=False)
    many = _reports(
        JsonSource(path, cut_bytes=1), standards, tmp_path, jobs=2, part_bytes=1, detail=False
    )
    assert one == many and one[2] == 60
    assert "findings per standard" in one[1]  # counts, not blocks: detail=False


def test_the_report_matches_the_shipped_schema(standards: Any, tmp_path: Path) -> None:
    schema = load_report_schema()
    Draft202012Validator.check_schema(schema)
    doc, _, _ = _reports(JsonSource(EXAMPLE_ROSTER), standards, tmp_path)
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(orjson.loads(doc))]
    assert errors == []
    bad = orjson.loads(doc)
    del bad["totals"]
    assert not Draft202012Validator(schema).is_valid(bad)


# --- the JSON source ------------------------------------------------------------------------


def test_the_scanner_cuts_between_schools_whatever_the_strings_hold(tmp_path: Path) -> None:
    tricky = '"},{"x":"], [{\\"'
    doc = {
        "format": "campus-security/roster",
        "schools": [{"id": f"S{i}", "name": tricky * i, "n": [[{}], []]} for i in range(30)],
        "version": "1.0",
    }
    path = tmp_path / "t.json"
    path.write_bytes(json.dumps(doc, indent=1, ensure_ascii=False).encode())
    with path.open("rb") as f:
        scan = scan_roster(f, part_bytes=50)
    data = path.read_bytes()
    got = [s for r in scan.ranges for s in orjson.loads(b"[" + data[r.start : r.end] + b"]")]
    assert got == doc["schools"] and scan.schools == 30 and len(scan.ranges) > 5
    assert [r.first for r in scan.ranges] == [
        sum(r.count for r in scan.ranges[:i]) for i in range(len(scan.ranges))
    ]
    assert scan.keys == ["format", "schools", "version"]


@pytest.mark.parametrize(
    "text",
    [
        b'{"schools": [{"id": "a"}',
        b'{"schools": [{"a": "b}]}',
        b"[1, 2]",
        b'{"a" 1}',
        b"{} x",
        b'{"schools": [], "schools": []}',
    ],
)
def test_the_scanner_names_where_it_got_lost(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(text)
    with path.open("rb") as f, pytest.raises(JsonSyntaxError):
        scan_roster(f, part_bytes=10)
    with pytest.raises(RosterError) as err:
        JsonSource(path).open()
    assert "bad.json" in str(err.value)


def test_json_problems_keep_their_roster_paths(standards: Any, tmp_path: Path) -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    doc = orjson.loads(EXAMPLE_ROSTER.read_bytes())
    doc["schools"][3]["enrollment"] = "many"
    doc["schools"][20]["id"] = doc["schools"][2]["id"]
    doc["schools"][25]["guards"][0]["company_id"] = "NOPE"
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps(doc))
    report = tmp_path / "out.json"
    with pytest.raises(RosterError) as err:
        run(
            JsonSource(path, cut_bytes=1),
            Setup(on=ON),
            sinks=[JsonReportSink(report)],
            jobs=1,
            standards=standards,
            part_bytes=1,
        )
    text = str(err.value)
    assert "schools[3].enrollment" in text
    assert "schools[20].id" in text and roster.schools[2].id in text
    assert "schools[25].guards[0].company_id" in text
    assert not report.exists() and list(tmp_path.glob(".out.json*")) == []  # nothing left


def test_a_school_list_source_checks_companies_and_ids(standards: Any) -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    schools = [*roster.schools, roster.schools[0]]
    with pytest.raises(RosterError) as err:
        run(SchoolsSource(schools, roster.companies), Setup(on=ON), standards=standards)
    assert f"schools[{len(roster.schools)}].id" in str(err.value)


def test_invalid_utf8_in_a_school_is_located(standards: Any, tmp_path: Path) -> None:
    data = EXAMPLE_ROSTER.read_bytes()
    at = data.index("沧州市实验小学".encode())
    bad = data[:at] + b"\xff" + data[at + 1 :]
    path = tmp_path / "r.json"
    path.write_bytes(bad)
    with pytest.raises(RosterError) as err:
        run(
            JsonSource(path, cut_bytes=1),
            Setup(on=ON),
            standards=standards,
            jobs=1,
            part_bytes=1,
        )
    [p] = err.value.problems
    line = bad[:at].count(b"\n") + 1
    assert p.path.startswith(f"line {line}, column ")
    assert f"byte {at + 1} of the file (0xFF)" in p.message.en


def test_a_json_source_splits_as_asked() -> None:
    n = len(load_roster(EXAMPLE_ROSTER).schools)
    fine = JsonSource(EXAMPLE_ROSTER, cut_bytes=1)
    fine.open()
    parts = list(fine.parts(part_bytes=1))
    assert [p.count for p in parts] == [1] * n  # type: ignore[attr-defined]
    assert [p.first for p in parts] == list(range(n))  # type: ignore[attr-defined]
    whole = JsonSource(EXAMPLE_ROSTER)  # cut every 256 KB, 2 MB parts at most
    whole.open()
    big = list(whole.parts())
    assert whole.count == n and sum(p.count for p in big) == n  # type: ignore[attr-defined]
    assert len(big) < len(parts) and all(
        a.first + a.count == b.first  # type: ignore[attr-defined]
        for a, b in itertools.pairwise(big)
    )


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31),
    schools=st.integers(1, 40),
    violations=st.sampled_from([0.0, 0.3, 0.9]),
    fmt=st.sampled_from(["json", "jsonl"]),
)
def test_generated_rosters_give_the_same_bytes_on_worker_processes(
    standards: Any, seed: int, schools: int, violations: float, fmt: str
) -> None:
    """Issue 13: one process and two worker processes give byte-identical reports.

    Over generated rosters of any size, seed and share of violations, in both streamed
    formats, with the roster cut into one part per school so that every worker gets
    several parts and their results must be put back in roster order.
    """
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / f"g.{fmt}"
        config = GeneratorConfig(schools=schools, seed=seed, history_days=30, violations=violations)
        write_roster(config, path)  # JSON or JSON Lines by the suffix
        if fmt == "json":
            one_src, many_src = JsonSource(path), JsonSource(path, cut_bytes=1)
        else:
            one_src, many_src = LinesSource(path), LinesSource(path)
        one = _reports(one_src, standards, folder, jobs=1, detail=schools <= 20)
        many = _reports(many_src, standards, folder, jobs=2, part_bytes=1, detail=schools <= 20)
    assert one == many
    assert one[2] == schools
