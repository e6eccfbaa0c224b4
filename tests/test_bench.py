"""The benchmark's machinery: it runs end to end, and its hand-written loop is the engine.

Timings are never asserted here (they belong to `nox -s bench`); what is tested is that
every scenario runs against the installed library, that the report has every figure the
issue asks for, and that the CPU floor (bench/baseline.py) decides exactly what the
engine decides on the rules it mirrors, so the ratio compares like with like.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
import pytest

from campus_security.engine import Evaluator
from campus_security.plugins import PluginManager
from campus_security.scale.generate import GeneratorConfig, write_roster
from campus_security.scale.jsonl import load_lines

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import baseline  # noqa: E402  (bench/ is not a package)


def _loop_and_engine_counts(path: Path, on: dt.date) -> tuple[Counter[str], Counter[str]]:
    companies: dict[str, dict[str, object]] = {}
    docs = []
    for line in path.read_bytes().splitlines()[1:]:
        doc = orjson.loads(line)
        if "company" in doc:
            companies[doc["company"]["id"]] = doc["company"]
        else:
            docs.append(doc["school"])
    judge = baseline.make_loop(on, companies)
    loop: Counter[str] = Counter()
    for d in docs:
        for rule_id, status in judge(d):
            loop[f"{rule_id}|{status}"] += 1
    roster = load_lines(path)
    mirrored = {f"{std}.{slug}" for std, slugs in baseline.MIRRORED.items() for slug in slugs}
    ev = Evaluator(PluginManager().standards(), on, companies=roster.companies)
    engine: Counter[str] = Counter()
    for s in roster.schools:
        for f in ev.school(s).findings:
            if f.rule_id in mirrored:
                engine[f"{f.rule_id}|{f.status.value}"] += 1
    return loop, engine


@pytest.mark.parametrize(
    ("seed", "violations", "on"),
    [
        (3, 0.2, dt.date(2024, 11, 20)),
        (8, 0.8, dt.date(2024, 11, 20)),
        (5, 0.5, dt.date(2023, 3, 1)),
    ],
)
def test_the_hand_written_loop_decides_what_the_engine_decides(
    tmp_path: Path, seed: int, violations: float, on: dt.date
) -> None:
    path = tmp_path / "r.jsonl"
    write_roster(
        GeneratorConfig(schools=250, seed=seed, violations=violations, others=0.0, on=on), path
    )
    loop, engine = _loop_and_engine_counts(path, on)
    assert loop == engine
    statuses = {key.split("|")[1] for key in engine}
    assert {"pass", "fail", "not_applicable"} <= statuses  # both sides were exercised
    assert len({key.split("|")[0] for key in engine}) >= 60  # most mirrored rules ran


_SMALL = ("--sample", "120", "--out")


def test_the_benchmark_runs_end_to_end_and_reports_every_figure(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--sizes",
            "120",
            "--jobs",
            "2",
            *_SMALL,
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads((tmp_path / "bench.json").read_text("utf-8"))
    (row,) = doc["sizes"]
    assert row["schools"] == 120
    for key in (
        "floor_seconds",
        "baseline_seconds",
        "engine_seconds",
        "parallel_seconds",
        "schools_per_second_single",
        "schools_per_second_all_cores",
        "engine_vs_floor",
        "engine_vs_baseline",
        "peak_rss_mb_streaming",
    ):
        assert isinstance(row[key], int | float) and row[key] > 0, key
    assert row["same_results_parallel"] is True  # all cores == one process
    assert row["baseline_matches_engine"] is True  # the loop == the engine, mirrored rules
    assert doc["embed"]["us_per_school"] > 0
    assert doc["cpu"]["counts_equal"] is True and doc["cpu"]["mirrored_rules"] == 88
    assert {t["what"].split(" ")[0] for t in doc["targets"]} == {"peak", "engine"}  # no 500k
    assert "targets:" in proc.stdout and "engine vs hand-written loop" in proc.stdout


def test_the_window_scenario_measures_a_year_against_a_single_date(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--window",
            "--sizes",
            "60",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads((tmp_path / "bench-window.json").read_text("utf-8"))
    (row,) = doc["window"]["sizes"]
    assert row["schools"] == 60
    assert row["window_vs_single"] > 0 and row["window_vs_single_cpu"] > 0
    # a year holds far more periods than one date: the window judged each of them
    assert row["findings"]["window"] > 5 * row["findings"]["single_date"]
    assert row["periodic_findings"] > 0
    assert "one-year window" in proc.stdout


def test_the_store_scenario_measures_recording_diff_and_size(tmp_path: Path) -> None:
    pytest.importorskip("sqlalchemy", reason="the store extra is not installed")
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--store", "--sizes", "40", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads((tmp_path / "bench-store.json").read_text("utf-8"))
    (row,) = doc["store"]["sizes"]
    assert row["schools"] == 40 and row["check_seconds"] > 0
    assert "sqlite" in row["backends"]
    for b in row["backends"].values():
        assert len(b["check_store_seconds"]) == 2 and b["diff_seconds"] >= 0
        assert b["bytes_per_school"] > 0 and b["jiangsu_weekly_year_gb"] > 0
    assert "schools/s recorded" in proc.stdout
