from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_ROSTER

from campus_security import dump_roster
from campus_security.cli import run
from campus_security.testing import make_guard, make_roster, make_school

ON = "2024-11-20"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_example_roster_fails_with_cited_bilingual_findings(capsys) -> None:
    code, out, _ = cli(capsys, "check", str(EXAMPLE_ROSTER), "--on", ON)
    assert code == 1
    assert "cangzhou.guard-staffing" in out and "沧教〔2019〕79号 一（一）" in out
    assert "不合格" in out and "FAIL" in out


def test_json_output_has_every_field(capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "report.json"
    code, _, _ = cli(
        capsys, "check", str(EXAMPLE_ROSTER), "--on", ON, "--format", "json", "-o", str(out_file)
    )
    assert code == 1
    doc = json.loads(out_file.read_text("utf-8"))
    assert doc["format"] == "campus-security/report" and doc["on"] == ON
    f = next(f for f in doc["findings"] if f["status"] == "fail")
    assert set(f) >= {"rule_id", "standard_id", "school_id", "status", "citation", "message"}
    assert set(f["citation"]) == {"document", "clause"}
    assert f["message"]["zh"] and f["message"]["en"]
    assert "rates" in doc and doc["summary"]["fail"] > 0


def _roster_with_old_guard(tmp_path: Path) -> tuple[Path, str]:
    guard = make_guard(age=55, on=__import__("datetime").date(2024, 11, 20))
    school = make_school(region_code="130902", enrollment=100, guards=[guard, make_guard(age=30)])
    path = tmp_path / "r.json"
    dump_roster(make_roster(school), path)
    return path, guard.id_number.value


def test_id_numbers_are_masked_unless_asked(capsys, tmp_path: Path) -> None:
    path, full = _roster_with_old_guard(tmp_path)
    for fmt in ("json", "text"):
        code, out, err = cli(capsys, "check", str(path), "--on", ON, "--format", fmt, "-v")
        assert code == 1
        assert full not in out and full not in err
        if fmt == "json":
            assert full[:4] + "*" * 10 + full[-4:] in out
    code, out, _ = cli(
        capsys, "check", str(path), "--on", ON, "--format", "json", "--show-personal-data"
    )
    assert full in out


def test_exit_zero_when_nothing_fails(capsys, tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    dump_roster(make_roster(make_school(region_code="110101")), path)
    code, out, _ = cli(capsys, "check", str(path), "--on", ON)
    assert code == 0
    assert "1 school(s) not covered" in out


@pytest.mark.parametrize(
    "args, says",
    [
        (["check", "missing.json"], "missing.json"),
        (["check", "{bad}"], "unsupported roster version '9.9'"),
        (["check", "{good}", "--on", "2024-13-01"], "2024-13-01"),
        (["check", "{good}", "--standard", "nowhere"], "unknown standard: nowhere"),
        (["check", "{good}", "--format", "xml"], "xml"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_exit_two_on_bad_input_or_usage(capsys, tmp_path: Path, args: list[str], says: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "campus-security/roster", "version": "9.9"}')
    good = tmp_path / "good.json"
    dump_roster(make_roster(make_school()), good)
    argv = [a.replace("{bad}", str(bad)).replace("{good}", str(good)) for a in args]
    code, _, err = cli(capsys, *argv)
    assert code == 2
    assert says in err and "Traceback" not in err


def test_bad_roster_lists_problems_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "campus-security/roster",
                "version": "1.0",
                "schools": [
                    {
                        "id": "S",
                        "name": "x",
                        "region_code": "999999",
                        "kind": "primary",
                        "enrollment": -3,
                    }
                ],
            }
        )
    )
    proc = subprocess.run(
        [sys.executable, "-m", "campus_security", "check", str(bad)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "schools[0].region_code" in proc.stderr and "schools[0].enrollment" in proc.stderr
    assert str(bad) in proc.stderr


def test_rules_lists_standards_with_citations(capsys) -> None:
    code, out, _ = cli(capsys, "rules")
    assert code == 0
    assert "cangzhou.guard-age" in out and "沧教〔2019〕79号" in out
    code, out, _ = cli(capsys, "rules", "--format", "json")
    doc = json.loads(out)
    std = next(s for s in doc["standards"] if s["id"] == "cangzhou")
    assert {r["id"] for r in std["rules"]} >= {"cangzhou.guard-staffing", "cangzhou.guard-age"}
    assert all(r["citation"]["clause"] for r in std["rules"])


def test_only_selected_standards(capsys) -> None:
    _, out, _ = cli(
        capsys,
        "check",
        str(EXAMPLE_ROSTER),
        "--on",
        ON,
        "--format",
        "json",
        "--standard",
        "cangzhou",
    )
    doc = json.loads(out)
    assert doc["standards"] == ["cangzhou"]
    assert {f["standard_id"] for f in doc["findings"]} == {"cangzhou"}


@pytest.mark.parametrize("name", ["missing.json", "missing.jsonl", "missing.xlsx", "missing.csv"])
def test_a_missing_file_is_named_and_explained_in_both_languages(
    capsys, tmp_path: Path, name: str
) -> None:
    code, _, err = cli(capsys, "check", str(tmp_path / name))
    assert code == 2
    assert str(tmp_path / name) in err
    assert "文件不存在" in err and "no such file" in err
    assert "Traceback" not in err and "None" not in err


@pytest.mark.parametrize(
    "args, zh",
    [
        (["frobnicate"], "没有这个命令"),
        (["check"], "缺少参数"),
        (["check", "x.json", "--format", "xml"], "取值无效"),
        (["check", "x.json", "--nope"], "没有这个选项"),
    ],
)
def test_usage_errors_are_bilingual_with_exit_two(args: list[str], zh: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "campus_security", *args],
                          capture_output=True, text=True, encoding="utf-8")  # fmt: skip
    assert proc.returncode == 2
    assert zh in proc.stderr and "Error:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_version_lists_the_library_and_every_installed_plugin() -> None:
    import importlib.metadata

    import campus_security

    proc = subprocess.run([sys.executable, "-m", "campus_security", "--version"],
                          capture_output=True, text=True, encoding="utf-8")  # fmt: skip
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[:2] == [f"campus-security {campus_security.__version__}", "插件 / plugins:"]
    eps = importlib.metadata.entry_points(group="campus_security")
    expected = sorted(f"  {ep.name}: {ep.dist.name} {ep.dist.version}" for ep in eps if ep.dist)
    assert lines[2:] == expected and len(expected) >= 6


def test_help_and_version_exit_zero() -> None:
    for args in (["--help"], ["--version"], ["check", "--help"]):
        proc = subprocess.run([sys.executable, "-m", "campus_security", *args],
                              capture_output=True, text=True, encoding="utf-8")  # fmt: skip
        assert proc.returncode == 0, args
        assert proc.stdout
