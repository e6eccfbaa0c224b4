"""``check --format junit``: JUnit XML valid against Jenkins' junit-10.xsd, read by junitparser.

The schema is the Jenkins xUnit plugin's ``junit-10.xsd``, vendored unchanged under
tests/vendor (its source is in tests/vendor/README.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_ROSTER
from hypothesis import example, given
from hypothesis import strategies as st
from junitparser import Error, Failure, JUnitXml, Skipped
from lxml import etree
from report_runs import VENDOR, json_findings, run_formats

from campus_security.cli import main
from campus_security.engine.summary import StreamSummary
from campus_security.model import Text
from campus_security.pipeline import LinesSource, Outcome
from campus_security.pipeline.stream import PartResult
from campus_security.plugins import PluginFailure, PluginManager
from campus_security.reports.junit import PLUGIN_SUITE, JunitReportSink
from campus_security.scale.generate import GeneratorConfig, write_roster

ON = dt.date(2024, 11, 20)


@functools.cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(VENDOR / "junit-10.xsd")))


def assert_valid(path: Path) -> None:
    doc = etree.parse(str(path))
    assert schema().validate(doc), [str(e) for e in list(schema().error_log)[:5]]


@pytest.fixture(scope="module")
def standards() -> tuple[Any, ...]:
    return tuple(PluginManager().standards())


def test_the_schema_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<testsuites><testsuite name="x"/></testsuites>', "utf-8")  # no counts
    assert not schema().validate(etree.parse(str(bad)))


def test_the_demo_roster_as_junit(tmp_path: Path) -> None:
    out, js = tmp_path / "r.xml", tmp_path / "r.json"
    base = ["check", str(EXAMPLE_ROSTER), "--on", "2024-11-20"]
    for fmt, path in (("junit", out), ("json", js)):
        result = CliRunner().invoke(main, [*base, "--format", fmt, "-o", str(path)])
        assert result.exit_code == 1, result.output
    assert_valid(out)
    report = orjson.loads(js.read_bytes())
    xml = JUnitXml.fromfile(str(out))
    suites = {s.name: s for s in xml}
    assert list(suites) == report["standards"]
    by_standard = report["totals"]["by_standard"]
    for sid, suite in suites.items():
        counts = by_standard.get(sid, dict.fromkeys(("pass", "fail", "error"), 0))
        assert suite.tests == sum(counts.values())
        assert suite.failures == counts["fail"]
        assert suite.errors == counts["error"]
        assert suite.skipped == counts.get("not_applicable", 0) + counts.get("waived", 0)
        props = {p.name: p.value for p in suite.properties()}
        assert props["on"] == "2024-11-20" and props["document"]
        for rate in (r for r in report["rates"] if r["standard_id"] == sid):
            for region in [rate, *rate["regions"]]:  # the jurisdiction, its cities and counties
                value = props[f"rate:{rate['target_id']}:{region['region']}"]
                assert region["status"] in value
    assert any(r["regions"] for r in report["rates"])
    assert xml.tests == sum(report["summary"].values())
    assert xml.failures == report["summary"]["fail"]

    findings = {(f["school_id"], f["rule_id"]): f for f in json_findings(js)}
    seen = 0
    for suite in xml:
        for case in suite:
            f = findings[(case.classname, case.name)]
            seen += 1
            if f["status"] == "pass":
                assert case.is_passed
                continue
            (result,) = case.result
            expected = {"fail": Failure, "error": Error, "not_applicable": Skipped}
            assert isinstance(result, expected.get(f["status"], Skipped))
            cite = f"{f['citation']['document']} {f['citation']['clause']}"
            for part in (f["message"]["zh"], f["message"]["en"], cite):
                assert part in result.message
                assert part in result.text
    assert seen == len(findings)


def test_a_window_has_a_case_per_period(standards: Any, tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    config = GeneratorConfig(schools=12, seed=5, history_days=120, violations=0.7)
    write_roster(config, path)
    failure = PluginFailure("broken", "load", Text("插件无法加载", "the plugin cannot load"))
    paths, outcome = run_formats(
        LinesSource(path),
        standards,
        tmp_path,
        formats=("junit", "json"),
        on=config.on,
        since=config.on - dt.timedelta(days=90),
        plugin_failures=(failure,),
        versions=PluginManager().versions(),
    )
    assert_valid(paths["junit"])
    xml = JUnitXml.fromfile(str(paths["junit"]))
    suites = {s.name: s for s in xml}
    plugin_suite = suites.pop(PLUGIN_SUITE)
    (case,) = list(plugin_suite)
    assert "插件无法加载" in case.result[0].message
    names = [c.name for s in suites.values() for c in s]
    periodic = [f for f in json_findings(paths["json"]) if f["period"]]
    assert periodic
    for f in periodic:
        assert f"{f['rule_id']} [{f['period']['start']}..{f['period']['end']}]" in names
    assert len(names) == sum(outcome.status_counts().values())
    rates = [p for s in suites.values() for p in s.properties() if p.name.startswith("rate:")]
    assert rates


_texts = st.text(st.characters(codec="utf-8"), max_size=20)


@given(zh=_texts, en=_texts, school=_texts, evidence=_texts)
@example(zh="行一\r行二\r\n]]>", en="a\x00b\x1b", school='S"<1>', evidence="\ufffe")
def test_any_text_makes_valid_xml(zh: str, en: str, school: str, evidence: str) -> None:
    """Control characters and markup in plugin text still give a valid, readable report."""
    doc = {
        "rule_id": "demo.rule",
        "standard_id": "demo",
        "school_id": school,
        "status": "fail",
        "citation": {"document": "文号<&>", "clause": '"一"'},
        "message": {"zh": zh, "en": en},
        "evidence": {"e": evidence},
        "waiver": None,
        "waiver_expired": False,
        "period": None,
    }
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.xml"
        sink = JunitReportSink(out, show_personal_data=True)
        sink.start(ON, ())
        sink.part(PartResult(0, 0, 0, StreamSummary(), orjson.dumps(doc)))
        sink.finish(Outcome(ON, StreamSummary(), (), ()))
        assert_valid(out)
        (suite,) = JUnitXml.fromfile(str(out))
        (case,) = list(suite)
        (failure,) = case.result
        if all(c.isprintable() or c in "\t\n\r" for c in zh):  # control characters aside
            assert zh in failure.text


def test_id_numbers_are_masked_in_junit(standards: Any, tmp_path: Path) -> None:
    demo_id = "130902197301301273"
    from campus_security.pipeline import JsonSource

    paths, _ = run_formats(JsonSource(EXAMPLE_ROSTER), standards, tmp_path, formats=("junit",))
    assert demo_id not in paths["junit"].read_text("utf-8")
    shown, _ = run_formats(
        JsonSource(EXAMPLE_ROSTER),
        standards,
        tmp_path / "shown",
        formats=("junit",),
        show_personal_data=True,
    )
    assert demo_id in shown["junit"].read_text("utf-8")
