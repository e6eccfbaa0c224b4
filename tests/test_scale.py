"""National scale: the generator, JSON Lines, the fast structurer, streaming, all cores, Dask."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import rosters, schools

from campus_security.cli import run
from campus_security.engine import Evaluator, Report, evaluate
from campus_security.errors import RosterError
from campus_security.formats import dumps_roster, load_roster, read_roster
from campus_security.formats.roster_json import make_converter, problems_from_exception, unstructure
from campus_security.formats.structure import Structurer
from campus_security.model import Cadence, InspectorLevel, Roster, School
from campus_security.plugins import PluginManager
from campus_security.scale import generate as gen
from campus_security.scale.generate import GeneratorConfig, write_roster
from campus_security.scale.jsonl import dumps_lines, load_lines, open_lines
from campus_security.scale.parallel import Setup, evaluate_parallel, split
from campus_security.scale.stream import (
    PartChecker,
    StreamSummary,
    evaluate_lines,
    evaluate_part,
    evaluate_schools,
)

ON = dt.date(2024, 11, 20)
SMALL = {"history_days": 40}  # a few weeks of records keeps examples fast


@pytest.fixture(scope="module")
def standards() -> tuple[Any, ...]:
    return PluginManager().standards()


def _roster_file(tmp_path: Path, n: int, seed: int = 1, suffix: str = ".jsonl", **kw: Any) -> Path:
    path = tmp_path / f"r{n}-{seed}{suffix}"
    write_roster(GeneratorConfig(schools=n, seed=seed, **{**SMALL, **kw}), path)
    return path


def _whole(path: Path, standards: Any) -> Report:
    roster = read_roster(path)
    return evaluate(roster, ON, standards)


def _streamed(path: Path, standards: Any) -> tuple[Report, StreamSummary]:
    found: list[Any] = []
    summary, rates, _ = evaluate_lines(
        path, standards, ON, on_result=lambda _s, r: found.extend(r.findings)
    )
    return Report.combine(ON, found, rates), summary


# --- the generator ---------------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    for suffix in (".json", ".jsonl"):
        a, b, c = (tmp_path / f"{name}{suffix}" for name in "abc")
        write_roster(GeneratorConfig(schools=12, seed=7, **SMALL), a)
        write_roster(GeneratorConfig(schools=12, seed=7, **SMALL), b)
        write_roster(GeneratorConfig(schools=12, seed=8, **SMALL), c)
        assert a.read_bytes() == b.read_bytes()
        assert a.read_bytes() != c.read_bytes()


def test_bytes_do_not_depend_on_the_number_of_processes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(gen, "BLOCK", 4)  # several blocks from a few schools
    config = GeneratorConfig(schools=11, seed=3, **SMALL)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    write_roster(config, one, jobs=1)
    write_roster(config, two, jobs=2)
    assert one.read_bytes() == two.read_bytes()


def test_generated_roster_reads_with_the_normal_reader_and_is_canonical(tmp_path: Path) -> None:
    path = _roster_file(tmp_path, 25, suffix=".json", violations=0.5)
    roster = load_roster(path)
    assert len(roster.schools) == 25
    assert dumps_roster(roster, indent=False) == path.read_bytes()  # byte for byte
    lines = _roster_file(tmp_path, 25, suffix=".jsonl", violations=0.5)
    assert load_lines(lines) == roster  # the two forms hold the same roster


def test_a_year_of_records_and_the_seed_jurisdictions(tmp_path: Path) -> None:
    path = tmp_path / "year.jsonl"
    write_roster(GeneratorConfig(schools=60, seed=11, others=0.0), path)
    roster = load_lines(path)
    seeds = ("32", "1309", "4101", "4313", "610526")
    found = {p for s in roster.schools for p in seeds if s.region_code.value.startswith(p)}
    assert len(found) >= 3 and all(
        any(s.region_code.value.startswith(p) for p in seeds) for s in roster.schools
    )
    s = roster.schools[0]
    year = (dt.date(2023, 11, 21), dt.date(2024, 11, 19))
    patrols = s.patrol_counts(*year)
    assert len(patrols) >= 360 and sorted(patrols.values())[5] == 2
    assert len(s.inspection_days(*year, cadences=[Cadence.DAILY])) >= 360
    assert len(s.inspection_days(*year, level=InspectorLevel.POLICE_STATION)) >= 4
    assert s.guards and all(g.certified for g in s.guards[:1])


def test_the_violation_share_controls_failing_schools(tmp_path: Path, standards) -> None:
    clean = _streamed(
        _roster_file(tmp_path, 40, seed=5, violations=0.0, others=0.0, history_days=365), standards
    )[1]
    dirty = _streamed(
        _roster_file(tmp_path, 40, seed=5, violations=1.0, others=0.0, history_days=365), standards
    )[1]
    assert dirty.failing_schools > clean.failing_schools
    assert dirty.failing_schools >= 20


# --- JSON Lines -------------------------------------------------------------------------------


@settings(max_examples=20)
@given(rosters())
def test_json_lines_round_trip(roster: Roster) -> None:
    data = dumps_lines(roster)
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.jsonl"
        path.write_bytes(data)
        assert load_lines(path) == roster
        assert read_roster(path) == roster  # the registered .jsonl reader


def test_bad_lines_are_reported_with_line_and_path(tmp_path: Path) -> None:
    good = _roster_file(tmp_path, 3)
    lines = good.read_bytes().splitlines(keepends=True)
    first_school = next(i for i, line in enumerate(lines) if line.startswith(b'{"school"'))
    doc = orjson.loads(lines[first_school])
    doc["school"]["guards"][0]["id_number"] = "110101199001011230"  # bad check digit
    doc["school"]["enrollment"] = "12"
    lines[first_school] = orjson.dumps(doc) + b"\n"
    lines.insert(first_school + 1, b"{not json\n")
    lines.append(lines[first_school + 2])  # a duplicate id
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(lines))
    with pytest.raises(RosterError) as err:
        load_lines(bad)
    text = str(err.value)
    n = first_school + 1
    assert f"line {n}: school.guards[0].id_number" in text
    assert f"line {n}: school.enrollment" in text
    assert f"line {n + 1}" in text and "not valid JSON" in text
    assert f"line {len(lines)}: school.id" in text and "duplicate school id" in text


def test_header_and_company_problems(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"format": "campus-security/roster", "version": "1.0"}\n')
    with pytest.raises(RosterError, match="line 1"):
        open_lines(p)
    p.write_bytes(
        b'{"format": "campus-security/roster-lines", "version": "1.0"}\n{"company": {"id": "C1"}}\n'
    )
    with pytest.raises(RosterError, match=r"line 2: company\.name"):
        open_lines(p)


def test_company_after_schools_and_unknown_company(tmp_path: Path) -> None:
    good = _roster_file(tmp_path, 2)
    lines = good.read_bytes().splitlines(keepends=True)
    company = next(line for line in lines if line.startswith(b'{"company"'))
    school = orjson.loads(lines[-1])
    school["school"]["guards"][0]["company_id"] = "nobody"
    lines[-1] = orjson.dumps(school) + b"\n"
    lines.append(company)
    bad = tmp_path / "late.jsonl"
    bad.write_bytes(b"".join(lines))
    with pytest.raises(RosterError) as err:
        load_lines(bad)
    assert "company lines must come before the first school line" in str(err.value)
    assert f"line {len(lines) - 1}: school.guards[0].company_id" in str(err.value)


# --- the fast structurer ------------------------------------------------------------------------


@settings(max_examples=60)
@given(schools())
def test_fast_structurer_builds_what_the_reader_builds(school: School) -> None:
    data = unstructure(school)
    st_ = Structurer()
    assert st_.school(data) == make_converter().structure(data, School) == school
    assert st_.school(orjson.loads(orjson.dumps(data))) == school  # again, from the memo


_BAD_VALUES = [True, 1, 1.5, "x", None, [], {}, "2024-02-30", "  "]


@settings(max_examples=80)
@given(schools(), st.data())
def test_fast_structurer_rejects_what_the_reader_rejects(
    school: School, data: st.DataObject
) -> None:
    doc = unstructure(school)
    st_ = Structurer()
    st_.school(orjson.loads(orjson.dumps(doc)))  # fill the memos with the valid records
    # spoil one field somewhere (a top-level field, or a field of a record)
    targets: list[tuple[dict[str, Any], str]] = [(doc, k) for k in doc]
    for v in doc.values():
        if isinstance(v, list):
            targets += [(item, k) for item in v if isinstance(item, dict) for k in item]
        elif isinstance(v, dict):
            targets += [(v, k) for k in v]
    holder, key = data.draw(st.sampled_from(targets))
    holder[key] = data.draw(st.sampled_from(_BAD_VALUES))
    try:
        expected: Any = make_converter().structure(doc, School)
    except RosterError as exc:  # the reader rejects it: so must the fast path, the same way
        with pytest.raises(Exception) as fast:
            st_.school(doc)
        assert tuple(problems_from_exception(fast.value)) == exc.problems
    else:
        assert st_.school(doc) == expected


def test_a_string_holding_the_record_separator(tmp_path: Path) -> None:
    roster = load_lines(_roster_file(tmp_path, 2))
    s = roster.schools[0]
    odd = attrs.evolve(s.inspections[0], inspector='},{"x":1},{')
    s2 = attrs.evolve(s, inspections=(odd, *s.inspections[1:]))
    data = unstructure(s2)
    assert Structurer().school(data) == s2


def test_memo_bytes_do_not_share_true_and_one() -> None:
    st_ = Structurer()
    ok = {
        "id": "S",
        "name": "n",
        "region_code": "130902",
        "kind": "primary",
        "police_patrols": [{"patrolled_on": "2024-01-01", "count": 1}],
    }
    assert st_.school(ok).police_patrols[0].count == 1
    bad = {**ok, "police_patrols": [{"patrolled_on": "2024-01-01", "count": True}]}
    with pytest.raises(Exception):  # noqa: B017 - the reader's own error, whatever it is
        st_.school(bad)


# --- streaming == whole, however the roster is cut ------------------------------------------------


@settings(max_examples=12, deadline=None)
@given(
    n=st.integers(0, 14),
    seed=st.integers(0, 10_000),
    violations=st.sampled_from([0.0, 0.3, 1.0]),
    part=st.integers(1, 120_000),
)
def test_streaming_equals_loading_whole(
    standards, tmp_path_factory, n, seed, violations, part
) -> None:
    path = _roster_file(tmp_path_factory.mktemp("s"), n, seed=seed, violations=violations)
    whole = _whole(path, standards)
    streamed, summary = _streamed(path, standards)
    assert streamed.findings == whole.findings
    assert streamed.rates == whole.rates
    # the same through parts of any size, merged in order (the parallel and Dask unit)
    roster = open_lines(path)
    ev = Evaluator(standards, ON, companies=roster.companies)
    merged, checker, found = StreamSummary(), PartChecker(roster), []
    for k, (a, b) in enumerate(split(roster, part)):
        res = evaluate_part(path, k, a, b, ev, on_result=lambda _s, r: found.extend(r.findings))
        merged.merge(res.summary)
        checker.add(res)
    checker.finish()
    assert merged == summary
    assert Report.combine(ON, found, merged.rates(ev.standards, ON)) == streamed


@settings(max_examples=15, deadline=None)
@given(rosters(max_schools=5))
def test_streaming_equals_whole_on_any_roster(standards, tmp_path_factory, roster: Roster) -> None:
    path = tmp_path_factory.mktemp("h") / "r.jsonl"
    path.write_bytes(dumps_lines(roster))
    whole = evaluate(roster, ON, standards)
    streamed, _ = _streamed(path, standards)
    assert streamed.findings == whole.findings
    assert streamed.rates == whole.rates


def test_rates_add_up_across_batches(tmp_path: Path, standards) -> None:
    roster = load_lines(_roster_file(tmp_path, 30, seed=2, others=0.0, violations=0.5))
    ev = Evaluator(standards, ON, companies=roster.companies)
    one = evaluate_schools(roster.schools, ev)
    halves = evaluate_schools(roster.schools[:13], ev)
    halves.merge(evaluate_schools(roster.schools[13:], ev))
    assert halves == one
    assert one.rates(ev.standards, ON) == evaluate(roster, ON, standards).rates
    assert one.tallies  # the seed jurisdictions have dated targets


# --- all cores, Dask ------------------------------------------------------------------


def test_parallel_equals_single_process(tmp_path: Path, standards) -> None:
    path = _roster_file(tmp_path, 40, seed=9, violations=0.4)
    single, s_rates, _ = evaluate_lines(path, standards, ON)
    parts: list[bytes] = []
    setup = Setup(on=ON, collect_findings=True)
    multi, m_rates, in_force = evaluate_parallel(
        path, setup, jobs=2, part_bytes=60_000, on_part=lambda p: parts.append(p.findings or b"")
    )
    assert multi == single and m_rates == s_rates
    assert {s.id for s in in_force} == {s.id for s in standards}
    findings = orjson.loads(b"[" + b",".join(p for p in parts if p) + b"]")
    assert len(findings) == single.findings
    assert [f["school_id"] for f in findings] == sorted(
        (f["school_id"] for f in findings), key=lambda x: x
    )  # roster order (ids ascend in generated rosters)


@pytest.mark.filterwarnings("ignore")
def test_dask_local_cluster_equals_single_process(tmp_path: Path, standards) -> None:
    pytest.importorskip("dask.distributed")
    from campus_security.scale.dask import evaluate_dask

    path = _roster_file(tmp_path, 24, seed=4, violations=0.5)
    single, s_rates, _ = evaluate_lines(path, standards, ON)
    multi, m_rates, _ = evaluate_dask(path, Setup(on=ON), workers=2, part_bytes=50_000)
    assert multi == single and m_rates == s_rates


# --- the command line ------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_generate_and_check_with_jobs(capsys, tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    code, _, err = cli(
        capsys, "generate", "--schools", "30", "--seed", "3", "--violations", "0.5",
        "--days", "40", "-o", str(path),
    )  # fmt: skip
    assert code == 0 and path.exists() and "30 schools" in err
    code1, out1, _ = cli(capsys, "check", str(path), "--on", "2024-11-20", "--jobs", "1")
    code2, out2, _ = cli(capsys, "check", str(path), "--on", "2024-11-20", "--jobs", "2")
    assert code1 == code2 == 1  # violations fail rules
    # a small roster of any format gets a block per school (a big one, counts)
    assert out1 == out2 and "不合格 FAIL" in out1 and "findings per standard" not in out1
    j1, j2 = tmp_path / "1.json", tmp_path / "2.json"
    for jobs, out in (("1", j1), ("2", j2)):
        code, _, _ = cli(
            capsys, "check", str(path), "--on", "2024-11-20", "--jobs", jobs,
            "--format", "json", "-o", str(out),
        )  # fmt: skip
        assert code == 1
    assert j1.read_bytes() == j2.read_bytes()  # the same report, byte for byte
    d1 = json.loads(j1.read_text("utf-8"))
    assert d1["format"] == "campus-security/report" and d1["summary"]["fail"] > 0
    assert len(d1["findings"]) == sum(d1["summary"].values())
    assert all(
        "*" in str(f["evidence"]) or "id_number" not in str(f["evidence"]) for f in d1["findings"]
    )


def test_cli_generate_json_and_usage(capsys, tmp_path: Path) -> None:
    code, _, _ = cli(
        capsys, "generate", "--schools", "3", "--days", "10", "-o", str(tmp_path / "g.json")
    )
    assert code == 0 and load_roster(tmp_path / "g.json").schools
    code, _, _ = cli(capsys, "generate", "--schools", "3", "-o", str(tmp_path / "g.txt"))
    assert code == 2


def test_cli_check_bad_json_lines_exits_2(capsys, tmp_path: Path) -> None:
    path = _roster_file(tmp_path, 2)
    path.write_bytes(path.read_bytes() + b'{"school": {"id": "x"}}\n')
    for jobs in ("1", "2"):
        code, _, err = cli(capsys, "check", str(path), "--on", "2024-11-20", "--jobs", jobs)
        assert code == 2 and "school.name" in err and "line " in err


def test_cli_check_json_lines_clean_roster_exits_0(capsys, tmp_path: Path) -> None:
    path = _roster_file(tmp_path, 4, others=1.0, violations=0.0)  # nothing fails
    code, out, _ = cli(capsys, "check", str(path), "--on", "2024-11-20")
    assert code == 0 and "4 school(s) not covered" in out
