"""`check --store` as a sink of the pipeline; `history`, `trend`, `hazards`; schema revision 3.

Every test runs on SQLite and on a throwaway PostgreSQL 15 cluster (the ``store_url``
fixture), but the Dask one (SQLite only: a cluster start is slow).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("sqlalchemy", reason="the store extra is not installed")

import sqlalchemy as sa

from campus_security.cli import run
from campus_security.store import Store
from campus_security.store import schema as store_schema

ROSTER = Path(__file__).parent.parent / "examples" / "roster.json"
STORED = ("fail", "error", "waived")


def _key(d: dict) -> tuple:
    p = d["period"]
    return (d["school_id"], d["standard_id"], d["rule_id"], json.dumps(p, sort_keys=True))


def _check(store_url: str, roster: Path, tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "report.json"
    status = run(
        ["check", str(roster), "--format", "json", "-o", str(out), "--store", store_url, *args]
    )
    assert status in (0, 1)
    return json.loads(out.read_text())


def _stored(store: Store, run_id: int) -> dict[tuple, dict]:
    return {_key(d): d for d in (f.document() for f in store.findings(run_id))}


@pytest.mark.parametrize(
    "args",
    [
        ("--on", "2026-03-01", "-j", "1"),
        ("--on", "2026-03-01", "-j", "2"),
        ("--from", "2026-01-01", "--to", "2026-03-31", "-j", "2"),
    ],
    ids=["process", "two-workers", "window"],
)
def test_check_store_records_what_the_report_says(store_url, tmp_path, capsys, args):
    report = _check(store_url, ROSTER, tmp_path, *args)
    assert "recorded as run 1" in capsys.readouterr().err
    with Store.open(store_url) as store:
        (r,) = store.runs()
        assert r.schools == len(json.loads(ROSTER.read_text())["schools"])
        assert r.on.isoformat() == report["on"]
        assert (r.since.isoformat() if r.since else None) == report.get("since")
        assert r.roster.name == "roster.json" and len(r.roster.sha256) == 64
        assert "cangzhou" in r.plugins
        stored = _stored(store, r.id)
        expected = {_key(d): d for d in report["findings"] if d["status"] in STORED}
        assert stored.keys() == expected.keys()
        for k, d in expected.items():
            got = stored[k]
            assert got["message"] == d["message"] and got["status"] == d["status"]
            assert got["evidence"] == d["evidence"]
        # passes: exactly the rules every finding of which passed or did not apply
        school = report["findings"][0]["school_id"]
        mine = [d for d in report["findings"] if d["school_id"] == school]
        rules = {(d["standard_id"], d["rule_id"]) for d in mine}
        passed = {
            rule
            for rule in rules
            if any(d["status"] == "pass" for d in mine if (d["standard_id"], d["rule_id"]) == rule)
            and all(
                d["status"] in ("pass", "not_applicable")
                for d in mine
                if (d["standard_id"], d["rule_id"]) == rule
            )
        }
        assert set(store.passed(r.id, school)) == passed
        rates = {(x.target_id, x.region) for x in store.trend("jiangsu.guard-staffing-2019")}
        assert ("jiangsu.guard-staffing-2019", "320000") in rates


def test_check_store_on_dask(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    db = str(tmp_path / "results.db")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        report = _check(
            db, ROSTER, tmp_path, "--on", "2026-03-01", "--dask", cluster.scheduler_address
        )
    with Store.open(db) as store:
        (r,) = store.runs()
        expected = {_key(d) for d in report["findings"] if d["status"] in STORED}
        assert _stored(store, r.id).keys() == expected


def test_a_roster_with_problems_records_nothing(store_url, tmp_path, capsys):
    data = json.loads(ROSTER.read_text())
    data["schools"][3]["region_code"] = "999999"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False))
    assert run(["check", str(bad), "--store", store_url, "--on", "2026-03-01"]) == 2
    assert "recorded" not in capsys.readouterr().err
    with Store.open(store_url) as store:
        assert store.runs() == ()


def _two_rosters(tmp_path: Path) -> tuple[Path, Path]:
    """The demo roster, then the same a term later: PC-H1 rectified late, LY-H1 gone."""
    data = json.loads(ROSTER.read_text())
    first = tmp_path / "roster.json"
    first.write_text(json.dumps(data, ensure_ascii=False))
    for s in data["schools"]:
        if s["id"] == "PU003":
            s["hazards"][0]["rectified_on"] = "2024-11-20"
            s["rectification_notices"][0]["closed_on"] = "2024-11-21"
        if s["id"] == "LO004":
            s["hazards"] = [h for h in s["hazards"] if h["id"] != "LY-H1"]
    second = tmp_path / "later" / "roster.json"
    second.parent.mkdir()
    second.write_text(json.dumps(data, ensure_ascii=False))
    return first, second


def test_hazards_open_overdue_fixed_and_vanished(store_url, tmp_path, capsys):
    first, second = _two_rosters(tmp_path)
    _check(store_url, first, tmp_path, "--on", "2024-11-01")
    _check(store_url, second, tmp_path, "--on", "2024-12-01")
    capsys.readouterr()
    assert run(["hazards", "--store", store_url, "--run", "1", "--format", "json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["as_of"] == "2024-11-01" and one["since"] is None
    assert {(h["school_id"], h["id"]) for h in one["open"]} == {
        ("LO004", "LY-H1"),
        ("PU003", "PC-H1"),
    }
    overdue = {h["id"]: h["days_overdue"] for h in one["overdue"]}
    assert overdue == {"PC-H1": 22, "LY-H1": 1}  # due 10-10 and 10-31, as of 11-01
    assert [h["id"] for h in one["notices"]["overdue"]] == ["PC-N1"]
    assert one["by_region"]["610526"]["overdue"] == 1

    assert run(["hazards", "--store", store_url, "--format", "json"]) == 0
    two = json.loads(capsys.readouterr().out)
    assert two["since"]["id"] == 1 and two["open"] == []
    fixed, notice = two["fixed_since"]  # hazards first, then notices (closed)
    assert (fixed["id"], fixed["on_time"], fixed["days_to_rectify"]) == ("PC-H1", False, 71)
    assert (notice["kind"], notice["id"], notice["rectified_on"]) == (
        "notice",
        "PC-N1",
        "2024-11-21",
    )
    (gone,) = two["vanished"]  # gone from the roster without a rectification: reported
    assert (gone["school_id"], gone["id"], gone["rectified_on"]) == ("LO004", "LY-H1", None)
    assert two["by_region"]["610526"]["late"] == 1
    assert two["by_region"]["431382"]["on_time"] == 1

    assert run(["hazards", "--store", store_url, "--run", "1", "--as-of", "2024-10-20"]) == 0
    text = capsys.readouterr().out
    assert "逾期 10 天 / 10 days overdue" in text and "LY-H1" in text
    assert run(["hazards", "--store", store_url]) == 0
    text = capsys.readouterr().out
    assert "gone from the roster since run 1" in text and "从名册中消失" in text
    assert run(["hazards", "--store", store_url, "--region", "610500", "--format", "json"]) == 0
    only = json.loads(capsys.readouterr().out)
    assert set(only["by_region"]) == {"610526"} and only["vanished"] == []
    assert run(["hazards", "--store", store_url, "--region", "12"]) == 2
    assert "bad region code" in capsys.readouterr().err


def test_history_of_a_school_and_of_a_rule(store_url, tmp_path, capsys):
    r1 = _check(store_url, ROSTER, tmp_path, "--on", "2026-03-01")
    r2 = _check(store_url, ROSTER, tmp_path, "--on", "2026-05-01")
    capsys.readouterr()

    def failing(report: dict, school: str | None = None, rule: str | None = None) -> set:
        return {
            _key(d)
            for d in report["findings"]
            if d["status"] in ("fail", "error")
            and school in (None, d["school_id"])
            and rule in (None, d["rule_id"])
        }

    assert run(["history", "CA001", "--store", store_url, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    a, b = doc["runs"]
    assert {_key(d) for d in a["failing"]} == failing(r1, "CA001")
    assert {_key(d) for d in b["new"]} == failing(r2, "CA001") - failing(r1, "CA001")
    assert {_key(d) for d in b["resolved"]} == failing(r1, "CA001") - failing(r2, "CA001")
    rule = "cangzhou.hazard-check-weekly"
    assert run(["history", "--rule", rule, "--store", store_url, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {_key(d) for d in doc["runs"][1]["failing"]} == failing(r2, rule=rule)
    assert run(["history", "CA001", "--rule", rule, "--store", store_url]) == 0
    text = capsys.readouterr().out
    assert "新增 1 / new 1; 已整改 1 / resolved 1" in text
    assert run(["history", "NO-SUCH", "--store", store_url]) == 0
    assert "not checked in this run" in capsys.readouterr().out
    assert run(["history", "--store", store_url]) == 2
    capsys.readouterr()
    assert run(["diff", "--store", store_url, "--format", "json"]) == 1
    d = json.loads(capsys.readouterr().out)
    for group in ("new", "resolved", "still_failing"):
        counts = d["counts"][group]
        assert sum(counts["by_standard"].values()) == len(d[group])
        assert sum(counts["by_severity"].values()) == len(d[group])
        assert counts["by_standard"].get("cangzhou") == sum(
            f["standard_id"] == "cangzhou" for f in d[group]
        )


def test_trend_per_run_and_region(store_url, tmp_path, capsys):
    _check(store_url, ROSTER, tmp_path, "--on", "2026-03-01")
    _check(store_url, ROSTER, tmp_path, "--on", "2026-05-01")
    capsys.readouterr()
    target = "jiangsu.guard-staffing-2019"
    assert run(["trend", target, "--store", store_url, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    province = [p for p in doc["points"] if p["region"] == "320000"]
    assert [p["run"] for p in province] == [1, 2]
    assert len(doc["points"]) > len(province)  # and the cities and counties under it
    p = province[0]
    assert p["value"] == (p["met"] / (p["met"] + p["not_met"]) if p["met"] + p["not_met"] else None)
    assert p["title"]["en"] and p["due"] == "2019-12-31"
    assert run(["trend", target, "--region", "320000", "--store", store_url]) == 0
    assert "target jiangsu.guard-staffing-2019" in capsys.readouterr().out
    # the cities and counties under the jurisdiction are recorded too (rates by region)
    data = json.loads(ROSTER.read_text())
    counties = {s["region_code"] for s in data["schools"] if s["region_code"].startswith("32")}
    county = sorted(counties)[0]
    assert run(["trend", target, "--region", county, "--store", store_url, "--format", "json"]) == 0
    points = json.loads(capsys.readouterr().out)["points"]
    assert [p["run"] for p in points] == [1, 2] and {p["region"] for p in points} == {county}
    assert points[0]["met"] + points[0]["not_met"] + points[0]["waived"] + points[0]["errors"] > 0
    assert run(["trend", target, "--region", "130900", "--store", store_url]) == 2
    err = capsys.readouterr().err
    assert "the store has no rates of target" in err and "结果库中没有目标" in err


def _revision_2_store(url: str) -> None:
    """A store as revision 2 made it, holding one run (as the previous version recorded)."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    engine = sa.create_engine(Store.open.__globals__["_engine_url"](url))
    with engine.begin() as conn:
        ops = Operations(MigrationContext.configure(conn))
        assert [rev for rev, _ in store_schema.MIGRATIONS[:2]] == ["1", "2"]
        for _rev, migration in store_schema.MIGRATIONS[:2]:
            migration(ops)
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('2')")
        conn.exec_driver_sql(
            "INSERT INTO runs (started_at, finished_at, on_date, roster_name, roster_sha256, "
            "standards, plugins, schools, library_version) VALUES ('2026-01-05 00:00:00', "
            "'2026-01-05 00:00:01', '2026-01-05', 'old.json', '"
            + "a" * 64
            + "', '[]', '{}', 1, '0.1')"
        )
        conn.exec_driver_sql(
            "INSERT INTO rates (run_id, standard_id, target_id, region, due, threshold, met, "
            "not_met, waived, errors, status) VALUES "
            "(1, 'jiangsu', 'jiangsu.guard-staffing-2019', '320000', '2019-12-31', 1.0, 3, 1, 0, "
            "0, 'not_met')"
        )
    engine.dispose()


def test_a_revision_2_store_is_upgraded_keeping_its_runs(store_url, tmp_path, capsys):
    _revision_2_store(store_url)
    _check(store_url, ROSTER, tmp_path, "--on", "2026-03-01")
    assert "upgraded from revision 2 to 3" in capsys.readouterr().err
    with Store.open(store_url) as store:
        assert [r.roster.name for r in store.runs()] == ["old.json", "roster.json"]
        old, new = store.trend("jiangsu.guard-staffing-2019", "320000")
        assert (old.run.id, old.value, old.title) == (1, 0.75, None)
        assert new.title is not None and new.run.id == 2
        assert store.hazards(1).items == ()
        assert store.hazards().since.id == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    seeds=st.tuples(st.integers(0, 3), st.integers(0, 3)),
    violations=st.tuples(st.sampled_from([0.0, 0.5, 1.0]), st.sampled_from([0.0, 0.5, 1.0])),
    days=st.tuples(st.integers(0, 60), st.integers(0, 60)),
)
def test_the_diff_of_two_checks_is_the_difference_of_their_reports(
    request, backend, sizes, seeds, violations, days
):
    """Issue 16's 'done when': generated roster pairs checked on two dates into one store."""
    from campus_security.scale.generate import GeneratorConfig, write_roster

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if backend == "sqlite":
            url = str(folder / "results.db")
        else:
            url = request.getfixturevalue("postgres_cluster").new_database()
        reports = []
        for i in (0, 1):
            roster = folder / f"r{i}.jsonl"
            on = dt.date(2024, 9, 1) + dt.timedelta(days[i])
            config = GeneratorConfig(
                schools=sizes[i], seed=seeds[i], violations=violations[i], history_days=30, on=on
            )
            write_roster(config, roster)
            out = folder / f"r{i}.report.json"
            args = ["check", str(roster), "--on", on.isoformat(), "-j", "1"]
            assert run([*args, "--format", "json", "-o", str(out), "--store", url]) in (0, 1)
            reports.append(json.loads(out.read_text()))
        with Store.open(url) as store:
            d = store.diff()

    def failing(report: dict) -> set:
        return {_key(f) for f in report["findings"] if f["status"] in ("fail", "error")}

    def keys(group) -> set:
        return {_key(f.document()) for f in group}

    a, b = failing(reports[0]), failing(reports[1])
    assert keys(d.new) == b - a
    assert keys(d.resolved) == a - b
    assert keys(d.still_failing) == a & b
