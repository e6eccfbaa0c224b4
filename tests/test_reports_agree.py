"""CSV, SARIF and JUnit say what the JSON report says: the same findings in every format.

One run writes every format (one pipeline, several sinks); each is read back with its
own reader (the csv module, json, junitparser) and compared with the JSON report's
findings: CSV rows and SARIF results are the findings that are not passing (every
finding with ``--verbose``), JUnit test cases every finding; ids, statuses and counts
agree. Over the demo roster, hypothesis' rosters and generated rosters.
"""

from __future__ import annotations

import functools
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import EXAMPLE_ROSTER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_runs import csv_rows, json_findings, junit_cases, run_formats, sarif_log
from strategies import rosters

from campus_security.engine.summary import StreamSummary
from campus_security.formats import dump_roster
from campus_security.model import Roster
from campus_security.pipeline import JsonSource, LinesSource
from campus_security.pipeline.stream import PartResult
from campus_security.plugins import PluginManager
from campus_security.reports._documents import finding_id, part_findings
from campus_security.reports.junit import outcome_element
from campus_security.reports.sarif import FINGERPRINT
from campus_security.scale.generate import GeneratorConfig, write_roster


@functools.cache
def installed() -> tuple[Any, ...]:
    """The installed standards (not a fixture: hypothesis would print them on a failure)."""
    return tuple(PluginManager().standards())


@pytest.fixture(scope="module")
def standards() -> tuple[Any, ...]:
    return installed()


def assert_formats_agree(paths: dict[str, Path], verbose: bool) -> int:
    """Every format holds the JSON report's findings; returns how many findings."""
    findings = json_findings(paths["json"])
    listed = [f for f in findings if verbose or f["status"] != "pass"]

    rows = csv_rows(paths["csv"])
    assert [r["finding_id"] for r in rows] == [finding_id(f) for f in listed]
    assert [r["status"] for r in rows] == [f["status"] for f in listed]
    assert [(r["message_zh"], r["message_en"]) for r in rows] == [
        (f["message"]["zh"], f["message"]["en"]) for f in listed
    ]

    run = sarif_log(paths["sarif"])["runs"][0]
    results = run["results"]
    assert [r["partialFingerprints"][FINGERPRINT] for r in results] == [
        finding_id(f) for f in listed
    ]
    assert [r["properties"]["status"] for r in results] == [f["status"] for f in listed]
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert Counter(r["ruleId"] for r in results) == Counter(f["rule_id"] for f in listed)

    cases = junit_cases(paths["junit"])
    assert Counter((c[0], c[1], c[2], c[3]) for c in cases) == Counter(
        (f["standard_id"], f["school_id"], f["rule_id"], outcome_element(f["status"]) or "pass")
        for f in findings
    )
    return len(findings)


def _run_all(source: Any, standards: Any, folder: Path, verbose: bool, **kw: Any) -> int:
    paths, _outcome = run_formats(source, standards, folder, verbose=verbose, **kw)
    return assert_formats_agree(paths, verbose)


@pytest.mark.parametrize("verbose", [False, True])
def test_the_demo_roster_says_the_same_in_every_format(
    standards: Any, tmp_path: Path, verbose: bool
) -> None:
    n = _run_all(JsonSource(EXAMPLE_ROSTER), standards, tmp_path, verbose)
    assert n > 100


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster=rosters(max_schools=4), verbose=st.booleans())
def test_any_roster_says_the_same_in_every_format(roster: Roster, verbose: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dump_roster(roster, folder / "r.json", indent=False)
        _run_all(JsonSource(folder / "r.json", cut_bytes=1), installed(), folder, verbose)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31),
    schools=st.integers(1, 30),
    violations=st.sampled_from([0.0, 0.5, 1.0]),
    fmt=st.sampled_from(["json", "jsonl"]),
    verbose=st.booleans(),
)
def test_generated_rosters_say_the_same_in_every_format(
    seed: int, schools: int, violations: float, fmt: str, verbose: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / f"g.{fmt}"
        config = GeneratorConfig(schools=schools, seed=seed, history_days=30, violations=violations)
        write_roster(config, path)
        source = JsonSource(path, cut_bytes=1) if fmt == "json" else LinesSource(path)
        _run_all(source, installed(), folder, verbose, part_bytes=1, on=config.on)


def test_worker_processes_write_the_same_bytes(standards: Any, tmp_path: Path) -> None:
    """Parts evaluated on two processes come back in roster order: the same files."""
    path = tmp_path / "g.jsonl"
    config = GeneratorConfig(schools=25, seed=7, history_days=30, violations=0.5)
    write_roster(config, path)
    formats = ("csv", "sarif", "junit")
    one, _ = run_formats(
        LinesSource(path), standards, tmp_path / "one", formats=formats, on=config.on
    )
    many, _ = run_formats(
        LinesSource(path),
        standards,
        tmp_path / "many",
        formats=formats,
        on=config.on,
        jobs=2,
        part_bytes=1,
    )
    for name in formats:
        assert one[name].read_bytes() == many[name].read_bytes(), name


@given(docs=st.lists(st.dictionaries(st.text(max_size=5), st.text(max_size=8)), max_size=5))
def test_a_parts_findings_are_read_one_by_one_whatever_they_hold(
    docs: list[dict[str, str]],
) -> None:
    """Objects joined by ',\\n' as run_part joins them; their strings may hold ',\\n' too."""
    docs = [d | {"message": ",\n},\n{"} for d in docs]
    data = b",\n".join(orjson.dumps(d) for d in docs) or None
    result = PartResult(0, 0, 0, StreamSummary(), data)
    assert list(part_findings(result)) == docs
