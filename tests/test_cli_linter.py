"""``check`` as linter users expect it (issue 15, parts 7 and 8): selection, quiet, colour,
standard input, several rosters, usage errors that list what exists."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import EXAMPLE_ROSTER

from campus_security import dump_roster, load_roster
from campus_security.cli import run
from campus_security.cli._rosters import sniff_suffix
from campus_security.formats.census import write_census
from campus_security.pipeline.jsonl import dump_lines
from campus_security.report import load_report_schema

ON = "2024-11-20"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["--no-config", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = cli(capsys, "check", *args, "--on", ON, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


# --- selection ------------------------------------------------------------------------------


def test_rule_school_and_region_options_narrow_the_report(capsys) -> None:
    _, doc = _json(
        capsys,
        str(EXAMPLE_ROSTER),
        "--rule",
        "jiangsu.*",
        "--skip-rule",
        "jiangsu.guard-post",
        "--region",
        "320100",
        "--school",
        "JI00[1-3]",
    )
    assert {f["school_id"] for f in doc["findings"]} == {"JI001", "JI002", "JI003"}
    rules = {f["rule_id"] for f in doc["findings"]}
    assert all(r.startswith("jiangsu.") for r in rules) and "jiangsu.guard-post" not in rules
    assert doc["totals"]["schools"] == 3 and doc["standards"] == ["jiangsu"]


@pytest.mark.parametrize(
    "option, typed, first",
    [
        ("--rule", "jiangsu.gaurd-post", "jiangsu.guard-post"),
        ("--rule", "cangzhou.guard-stafing*", "cangzhou.guard-staffing"),
        ("--standard", "jiangsuu", "jiangsu"),
        ("--region", "320199", "320100"),  # no such county: its city first
        ("--region", "32010", "320100"),  # not six digits
        ("--format", "jsn", "json"),
    ],
)
def test_an_unknown_name_is_a_usage_error_listing_the_closest_first(
    capsys, option: str, typed: str, first: str
) -> None:
    code, out, err = cli(capsys, "check", str(EXAMPLE_ROSTER), option, typed)
    assert code == 2 and not out
    assert typed in err and "Traceback" not in err
    listed = err.split("closest first: " if option != "--format" else "is not one of: ")[1]
    assert listed.startswith(first), err


def test_a_skip_rule_glob_matching_nothing_is_only_noted(capsys) -> None:
    code, _, err = cli(capsys, "check", str(EXAMPLE_ROSTER), "--on", ON, "--skip-rule", "nowhere.*")
    assert code == 1 and "--skip-rule nowhere.* matches no rule" in err


def test_no_rule_left_is_a_usage_error(capsys) -> None:
    code, _, err = cli(
        capsys, "check", str(EXAMPLE_ROSTER), "--rule", "loudi.*", "--skip-rule", "loudi.*"
    )
    assert code == 2 and "no rule is left" in err


def test_no_school_matching_is_noted_and_passes(capsys) -> None:
    code, _, err = cli(capsys, "check", str(EXAMPLE_ROSTER), "--on", ON, "--school", "nobody")
    assert code == 0 and "no school matches" in err


# --- quiet and colour -----------------------------------------------------------------------


def test_quiet_prints_nothing_but_keeps_the_exit_status(capsys, tmp_path: Path) -> None:
    code, out, err = cli(capsys, "check", str(EXAMPLE_ROSTER), "--on", ON, "-q")
    assert (code, out, err) == (1, "", "")
    report = tmp_path / "r.json"
    code, out, err = cli(
        capsys,
        "check",
        str(EXAMPLE_ROSTER),
        "--on",
        ON,
        "-q",
        "--format",
        "json",
        "-o",
        str(report),
    )
    assert (code, out, err) == (1, "", "")
    assert json.loads(report.read_text("utf-8"))["totals"]["schools"] == 28
    missing = tmp_path / "missing.json"
    code, out, err = cli(capsys, "check", str(missing), "--quiet")
    assert code == 2 and not out and "missing.json" in err  # errors are still shown


@pytest.mark.parametrize(
    "env, args, coloured",
    [
        ({}, [], False),  # not a terminal
        ({}, ["--color"], True),
        ({"FORCE_COLOR": "1"}, [], True),
        ({"FORCE_COLOR": "1"}, ["--no-color"], False),
        ({"NO_COLOR": "1"}, [], False),
        ({"TERM": "dumb"}, ["--color"], True),
    ],
)
def test_colour_follows_the_options_then_the_environment(
    capsys, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], args: list[str], coloured: bool
) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _, out, _ = cli(capsys, "check", str(EXAMPLE_ROSTER), "--on", ON, *args)
    assert bool(ANSI.search(out)) is coloured
    assert "cangzhou.guard-staffing" in ANSI.sub("", out)


# --- standard input and several rosters ------------------------------------------------------


def test_sniffing_standard_input() -> None:
    assert sniff_suffix(b"PK\x03\x04rest") == ".xlsx"
    assert sniff_suffix(b'{"format": "campus-security/roster-lines", "version": "1.0"}\n{}') == (
        ".jsonl"
    )
    assert sniff_suffix(b'\xef\xbb\xbf  {"format": "campus-security/roster-lines"}') == ".jsonl"
    assert sniff_suffix(b'{\n  "format": "campus-security/roster",\n') == ".json"
    assert sniff_suffix(b'{"format": "campus-security/roster", "schools": []}') == ".json"
    assert sniff_suffix(b"") == ".json"  # then refused as not JSON, naming '-'
    assert sniff_suffix(b"\x00\x01garbage") == ".json"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize("kind", ["json", "jsonl", "xlsx"])
def test_a_roster_from_standard_input_reads_as_the_file(
    capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    path = tmp_path / f"r.{kind}"
    if kind == "json":
        dump_roster(roster, path)
    elif kind == "jsonl":
        dump_lines(roster, path)
    else:
        write_census(roster, path, show_personal_data=True, school_codes=True)
    _, from_file = _json(capsys, str(path))
    _stdin(monkeypatch, path.read_bytes())
    _, from_stdin = _json(capsys, "-")
    assert from_stdin == from_file and from_file["totals"]["schools"] > 0


def test_bad_standard_input_is_named_dash(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b'{"format": "campus-security/roster", "version": "1.0", "schools": [1]}')
    code, out, err = cli(capsys, "check", "-", "--on", ON)
    assert code == 2 and not out
    assert err.startswith("-: ") and "schools[0]" in err and "/tmp" not in err


def _halves(tmp_path: Path) -> tuple[Path, Path, Path]:
    roster = load_roster(EXAMPLE_ROSTER)
    half = len(roster.schools) // 2
    a, b, c = tmp_path / "a.json", tmp_path / "b.jsonl", tmp_path / "c.xlsx"
    dump_roster(attrs.evolve(roster, schools=roster.schools[:half]), a)
    dump_lines(attrs.evolve(roster, schools=roster.schools[half : half + 4]), b)
    write_census(
        attrs.evolve(roster, schools=roster.schools[half + 4 :]),
        c,
        show_personal_data=True,
        school_codes=True,
    )
    return a, b, c


def test_several_rosters_make_one_report(capsys, tmp_path: Path) -> None:
    a, b, c = _halves(tmp_path)
    code, doc = _json(capsys, str(a), str(b), str(c))
    code_j2, doc_j2 = _json(capsys, str(a), str(b), str(c), "-j", "2")
    assert (code, doc) == (code_j2, doc_j2)
    import jsonschema

    jsonschema.validate(doc, load_report_schema())
    by_roster: dict[str, set[str]] = {}
    for f in doc["findings"]:
        by_roster.setdefault(f.pop("roster"), set()).add(f["school_id"])
    assert set(by_roster) == {str(a), str(b), str(c)}
    assert len(by_roster[str(b)]) == 4
    assert doc["totals"]["schools"] == 28
    code, text, _ = cli(capsys, "check", str(a), str(b), str(c), "--on", ON)
    assert code == 1 and "28" in text


def test_a_school_in_two_rosters_is_a_problem_naming_both(capsys, tmp_path: Path) -> None:
    a, b, _ = _halves(tmp_path)
    roster = load_roster(EXAMPLE_ROSTER)
    again = tmp_path / "again.jsonl"
    dump_lines(attrs.evolve(roster, schools=roster.schools[:1]), again)  # CA001 again
    code, out, err = cli(capsys, "check", str(a), str(b), str(again), "--on", ON)
    assert code == 2 and not out
    line = next(x for x in err.splitlines() if "CA001" in x)
    assert str(a) in line and "line" in line
    assert f"{again}: " in err  # the problem is the later roster's


def test_every_roster_s_problems_are_listed_together(capsys, tmp_path: Path) -> None:
    bad1, bad2 = tmp_path / "bad1.json", tmp_path / "bad2.json"
    bad1.write_text('{"format": "campus-security/roster", "version": "9.9"}')
    bad2.write_text("not json")
    code, _, err = cli(capsys, "check", str(bad1), str(bad2), "--on", ON)
    assert code == 2 and str(bad1) in err and str(bad2) in err


@pytest.mark.parametrize("twice", [["-", "-"], ["{a}", "{a}"]])
def test_a_roster_given_twice_is_a_usage_error(capsys, tmp_path: Path, twice: list[str]) -> None:
    a, _, _ = _halves(tmp_path)
    code, _, err = cli(capsys, "check", *[t.replace("{a}", str(a)) for t in twice])
    assert code == 2 and ("once" in err or "twice" in err)


def test_standard_input_through_a_real_pipe() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "campus_security", "--no-config", "check", "-", "--on", ON, "-q"],
        input=EXAMPLE_ROSTER.read_bytes(),
        capture_output=True,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, b"", b"")


def test_sarif_locates_each_finding_in_its_own_roster(capsys, tmp_path: Path) -> None:
    a, b, c = _halves(tmp_path)
    out = tmp_path / "r.sarif"
    code, _, err = cli(
        capsys, "check", str(a), str(b), str(c), "--on", ON, "--format", "sarif", "-o", str(out)
    )
    assert code == 1, err
    log = json.loads(out.read_text("utf-8"))["runs"][0]
    uris = [x["location"]["uri"] for x in log["artifacts"]]
    assert uris == [Path(p).as_uri() for p in (a, b, c)]
    roster = load_roster(EXAMPLE_ROSTER)
    half = len(roster.schools) // 2
    where = {s.id: (0, k) for k, s in enumerate(roster.schools[:half])}
    where |= {s.id: (1, k) for k, s in enumerate(roster.schools[half : half + 4])}
    where |= {s.id: (2, k) for k, s in enumerate(roster.schools[half + 4 :])}
    assert log["results"]
    for r in log["results"]:
        loc = r["locations"][0]
        file, k = where[r["properties"]["school"]]
        assert loc["physicalLocation"]["artifactLocation"]["index"] == file
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == uris[file]
        assert loc["logicalLocations"][0]["fullyQualifiedName"] == f"schools[{k}]"
