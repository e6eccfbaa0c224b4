"""``check --format sarif``: a SARIF 2.1.0 log valid against the official schema.

The schema is the OASIS SARIF 2.1.0 (Errata 01) JSON Schema, vendored unchanged under
tests/vendor (its source is in tests/vendor/README.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_ROSTER
from report_runs import VENDOR, json_findings, run_formats, sarif_log

from campus_security.cli import main
from campus_security.engine import Status
from campus_security.formats import load_roster
from campus_security.model import Text
from campus_security.pipeline import JsonSource, LinesSource, RosterSource
from campus_security.plugins import PluginFailure, PluginManager
from campus_security.reports._documents import finding_id, rule_severity
from campus_security.reports.sarif import (
    FINGERPRINT,
    SARIF_SCHEMA,
    artifact_uri,
    kind_and_level,
)
from campus_security.scale.generate import GeneratorConfig, write_roster


@functools.cache
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads((VENDOR / "sarif-schema-2.1.0.json").read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(log: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.fixture(scope="module")
def standards() -> tuple[Any, ...]:
    return tuple(PluginManager().standards())


def test_the_vendored_schema_is_the_oasis_one() -> None:
    schema = json.loads((VENDOR / "sarif-schema-2.1.0.json").read_text("utf-8"))
    assert schema["id"] == SARIF_SCHEMA
    assert validator().__class__ is jsonschema.Draft4Validator
    # and it can fail: a result without a message is not SARIF
    with pytest.raises(jsonschema.ValidationError):
        validator().validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})


def test_the_demo_roster_as_sarif(tmp_path: Path) -> None:
    out, js = tmp_path / "r.sarif", tmp_path / "r.json"
    base = ["check", str(EXAMPLE_ROSTER), "--on", "2024-11-20"]
    for fmt, path in (("sarif", out), ("json", js)):
        result = CliRunner().invoke(main, [*base, "--format", fmt, "-o", str(path)])
        assert result.exit_code == 1, result.output
    log = sarif_log(out)
    assert_valid(log)
    assert log["version"] == "2.1.0" and log["$schema"] == SARIF_SCHEMA
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "campus-security" and driver["version"]
    pm = PluginManager()
    in_force = [s for s in pm.standards() if s.in_force(json_date(js))]
    rules = [r for s in in_force for r in s.rules]
    assert [r["id"] for r in driver["rules"]] == [r.id for r in rules]
    for descriptor, rule in zip(driver["rules"], rules, strict=True):
        assert rule.title.zh in descriptor["shortDescription"]["text"]
        assert rule.title.en in descriptor["shortDescription"]["text"]
        full = descriptor["fullDescription"]["text"]
        assert rule.title.zh in full and rule.title.en in full
        assert descriptor["properties"]["citation"] == str(rule.citation)
        assert descriptor["properties"].get("severity") == rule_severity(rule)
    extensions = {e["properties"]["plugin"]: e for e in run["tool"]["extensions"]}
    assert extensions["cangzhou"]["name"] == "campus-security-cangzhou"
    assert extensions["cangzhou"]["version"]
    assert run["artifacts"] == [
        {"location": {"uri": EXAMPLE_ROSTER.as_uri()}, "roles": ["analysisTarget"]}
    ]

    roster = orjson.loads(EXAMPLE_ROSTER.read_bytes())
    positions = {s["id"]: i for i, s in enumerate(roster["schools"])}
    findings = [f for f in json_findings(js) if f["status"] != "pass"]
    results = run["results"]
    assert len(results) == len(findings)
    for result, f in zip(results, findings, strict=True):
        assert result["ruleId"] == f["rule_id"]
        assert driver["rules"][result["ruleIndex"]]["id"] == f["rule_id"]
        assert result["partialFingerprints"] == {FINGERPRINT: finding_id(f)}
        assert f["message"]["zh"] in result["message"]["text"]
        assert f["message"]["en"] in result["message"]["text"]
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["index"] == 0
        (logical,) = location["logicalLocations"]
        assert logical["name"] == f["school_id"]
        assert logical["fullyQualifiedName"] == f"schools[{positions[f['school_id']]}]"
        kind, level = kind_and_level(f["status"], f.get("severity"))
        assert (result["kind"], result["level"]) == (kind, level)
        assert ("suppressions" in result) == (f["status"] == "waived")
    props = run["properties"]
    assert props["summary"] == orjson.loads(js.read_bytes())["summary"]
    assert props["rates"] == orjson.loads(js.read_bytes())["rates"]


def json_date(path: Path) -> dt.date:
    return dt.date.fromisoformat(orjson.loads(path.read_bytes())["on"])


@pytest.mark.parametrize(
    ("status", "severity", "expected"),
    [
        ("fail", "critical", ("fail", "error")),
        ("fail", "major", ("fail", "warning")),
        ("fail", "minor", ("fail", "note")),
        ("fail", None, ("fail", "warning")),
        ("waived", "minor", ("fail", "note")),
        ("error", "minor", ("fail", "error")),
        ("not_applicable", "critical", ("notApplicable", "none")),
        ("pass", "critical", ("pass", "none")),
    ],
)
def test_kind_and_level_by_status_and_severity(
    status: str, severity: str | None, expected: tuple[str, str]
) -> None:
    assert kind_and_level(status, severity) == expected
    assert status in {s.value for s in Status}


def test_a_generated_roster_with_everything_is_valid_sarif(standards: Any, tmp_path: Path) -> None:
    """JSON Lines, every finding (--verbose), a window, plugin failures and versions."""
    path = tmp_path / "g.jsonl"
    config = GeneratorConfig(schools=30, seed=3, history_days=60, violations=0.6)
    write_roster(config, path)
    failure = PluginFailure("broken", "load", Text("插件无法加载", "the plugin cannot load"))

    paths, outcome = run_formats(
        LinesSource(path),
        standards,
        tmp_path,
        formats=("sarif",),
        verbose=True,
        rosters=(str(path),),
        versions=PluginManager().versions(),
        plugin_failures=(failure,),
        on=config.on,
        since=config.on - dt.timedelta(days=40),
    )
    log = sarif_log(paths["sarif"])
    assert_valid(log)
    (run,) = log["runs"]
    statuses = {r["properties"]["status"] for r in run["results"]}
    assert "pass" in statuses and "fail" in statuses
    assert len(run["results"]) == sum(outcome.status_counts().values())
    names = [r["locations"][0]["logicalLocations"][0] for r in run["results"]]
    assert {n["fullyQualifiedName"] for n in names} <= {f"schools[{i}]" for i in range(30)}
    assert run["artifacts"][0]["location"]["uri"] == Path(path).as_uri()
    (notice,) = run["invocations"][0]["toolExecutionNotifications"]
    assert "插件无法加载" in notice["message"]["text"]
    assert "the plugin cannot load" in notice["message"]["text"]
    assert run["properties"]["since"] == (config.on - dt.timedelta(days=40)).isoformat()


def test_a_roster_in_memory_has_no_file_location(standards: Any, tmp_path: Path) -> None:
    paths, _ = run_formats(
        RosterSource(load_roster(EXAMPLE_ROSTER)),
        standards,
        tmp_path,
        formats=("sarif",),
        rosters=("<roster>",),
    )
    log = sarif_log(paths["sarif"])
    assert_valid(log)
    run = log["runs"][0]
    assert run["artifacts"] == []
    assert all("physicalLocation" not in r["locations"][0] for r in run["results"])


def test_roster_paths_become_uris() -> None:
    assert artifact_uri("examples/roster.json") == "examples/roster.json"
    assert artifact_uri("名册 2024.json") == "%E5%90%8D%E5%86%8C%202024.json"
    assert artifact_uri("/data/名册.json") == "file:///data/%E5%90%8D%E5%86%8C.json"
    assert artifact_uri("-") is None and artifact_uri("<roster>") is None


def test_id_numbers_are_masked_in_sarif(standards: Any, tmp_path: Path) -> None:
    demo_id = "130902197301301273"
    paths, _ = run_formats(JsonSource(EXAMPLE_ROSTER), standards, tmp_path, formats=("sarif",))
    assert demo_id not in paths["sarif"].read_text("utf-8")
    shown, _ = run_formats(
        JsonSource(EXAMPLE_ROSTER),
        standards,
        tmp_path / "shown",
        formats=("sarif",),
        show_personal_data=True,
    )
    assert demo_id in shown["sarif"].read_text("utf-8")
