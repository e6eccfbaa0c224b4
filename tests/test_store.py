"""The results store (campus_security.store): on SQLite and on PostgreSQL 15."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the store extra is not installed")

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campus_security.engine import Citation, Finding, SchoolResult, Status
from campus_security.model import Period, Text
from campus_security.store import RosterIdentity, Store, StoreError
from campus_security.store import schema as store_schema

DAY = dt.date(2026, 3, 1)
ROSTER = RosterIdentity("roster.json", "0" * 64)
ID_NUMBER = "11010519491231002X"


def finding(school: str, rule: str, status: Status, period: Period | None = None) -> Finding:
    return Finding(
        rule_id=rule,
        standard_id="std",
        school_id=school,
        status=status,
        citation=Citation("沧教〔2019〕79号", "一（一）"),
        message=Text(f"{rule} 消息", f"{rule} message"),
        evidence={"guard": ID_NUMBER, "count": 2},
        period=period,
    )


def results(findings: list[Finding]) -> list[SchoolResult]:
    by_school: dict[str, list[Finding]] = {}
    for f in findings:
        by_school.setdefault(f.school_id, []).append(f)
    return [SchoolResult(s, tuple(fs)) for s, fs in sorted(by_school.items())]


def record(store: Store, findings: list[Finding], on: dt.date = DAY):
    return store.record(results(findings), on=on, roster=ROSTER, standards=(), batch_size=3)


def test_record_keeps_the_run_and_its_findings(store_url):
    fs = [
        finding("s1", "r1", Status.PASS),
        finding("s1", "r2", Status.FAIL),
        finding("s1", "r3", Status.NOT_APPLICABLE),
        finding("s2", "r1", Status.ERROR),
        finding("s2", "r2", Status.WAIVED),
        finding("s2", "r3", Status.PASS, Period(DAY, DAY)),
        finding("s2", "r3", Status.FAIL, Period(DAY + dt.timedelta(1), DAY + dt.timedelta(1))),
    ]
    with Store.open(store_url) as store:
        run = record(store, fs)
        assert [r.id for r in store.runs()] == [run.id]
        assert (run.on, run.since, run.roster, run.schools) == (DAY, None, ROSTER, 2)
        assert run.finished_at >= run.started_at
        stored = list(store.findings(run.id))
        assert sorted((f.school_id, f.rule_id, f.status) for f in stored) == [
            ("s1", "r2", Status.FAIL),
            ("s2", "r1", Status.ERROR),
            ("s2", "r2", Status.WAIVED),
            ("s2", "r3", Status.FAIL),
        ]
        (periodic,) = [f for f in stored if f.period is not None]
        assert periodic.period == Period(DAY + dt.timedelta(1), DAY + dt.timedelta(1))
        # stored as the roster holds it; masked in every document unless asked
        assert stored[0].evidence["guard"] == ID_NUMBER
        assert ID_NUMBER not in str(stored[0].document())
        assert ID_NUMBER in str(stored[0].document(show_personal_data=True))
        # passes, without a row per pass: s1 passed r1 only (r3 did not apply); s2 none
        # (r3 passed one period and failed another)
        assert store.passed(run.id, "s1") == (("std", "r1"),)
        assert store.passed(run.id, "s2") == ()
        assert store.passed(run.id, "nobody") == ()


def test_diff_defaults_to_the_last_two_runs(store_url):
    with Store.open(store_url) as store:
        with pytest.raises(StoreError, match="two runs"):
            store.diff()
        record(store, [finding("s1", "r1", Status.FAIL)])
        a = record(store, [finding("s1", "r1", Status.FAIL), finding("s1", "r2", Status.FAIL)])
        b = record(store, [finding("s1", "r2", Status.FAIL), finding("s2", "r1", Status.ERROR)])
        d = store.diff()
        assert (d.a.id, d.b.id) == (a.id, b.id)
        assert [(f.school_id, f.rule_id) for f in d.new] == [("s2", "r1")]
        assert [(f.school_id, f.rule_id) for f in d.resolved] == [("s1", "r1")]
        assert [(f.school_id, f.rule_id) for f in d.still_failing] == [("s1", "r2")]
        with pytest.raises(StoreError, match="no run 99"):
            store.diff(a.id, 99)


statuses = st.sampled_from(list(Status))
reports = st.dictionaries(
    st.tuples(
        st.sampled_from(["s1", "s2", "s3"]),
        st.sampled_from(["r1", "r2"]),
        st.sampled_from([None, 0, 1]),
    ),
    statuses,
    max_size=12,
)


def _findings(report: dict) -> list[Finding]:
    out = []
    for (school, rule, p), status in report.items():
        period = None if p is None else Period(DAY + dt.timedelta(p), DAY + dt.timedelta(p))
        out.append(finding(school, rule, status, period))
    return out


def _failing(report: dict) -> set:
    return {k for k, s in report.items() if s in (Status.FAIL, Status.ERROR)}


def _key(f) -> tuple:
    return (f.school_id, f.rule_id, None if f.period is None else (f.period.start - DAY).days)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=reports, second=reports)
def test_diff_is_the_difference_of_the_two_reports(request, backend, first, second):
    if backend == "sqlite":
        url = str(Path(tempfile.mkdtemp()) / "r.db")
    else:
        url = request.getfixturevalue("postgres_cluster").new_database()
    with Store.open(url) as store:
        record(store, _findings(first))
        record(store, _findings(second), on=DAY + dt.timedelta(7))
        d = store.diff()
    assert {_key(f) for f in d.new} == _failing(second) - _failing(first)
    assert {_key(f) for f in d.resolved} == _failing(first) - _failing(second)
    assert {_key(f) for f in d.still_failing} == _failing(first) & _failing(second)


def _at_revision(url: str, revision: str) -> None:
    """Make a store at an older schema revision (as an older version of the library did)."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    engine = sa.create_engine(Store.open.__globals__["_engine_url"](url))
    with engine.begin() as conn:
        ops = Operations(MigrationContext.configure(conn))
        for rev, migration in store_schema.MIGRATIONS:
            migration(ops)
            if rev == revision:
                break
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{revision}')")
    engine.dispose()


def test_an_older_store_is_upgraded_and_says_so(store_url):
    _at_revision(store_url, "1")
    notes = []
    with Store.open(store_url, note=notes.append) as store:
        assert [n.en for n in notes] == [
            f"the store's schema was upgraded from revision 1 to {store_schema.HEAD}"
        ]
        assert store.notes == tuple(notes)
        assert store.runs() == ()
        record(store, [finding("s1", "r1", Status.FAIL)])
    with Store.open(store_url) as store:  # now current: no note
        assert store.notes == ()
        engine = store._engine
        assert "findings_by_run_school" in {
            i["name"] for i in sa.inspect(engine).get_indexes("findings")
        }


def test_a_newer_store_is_refused(store_url):
    Store.open(store_url).close()
    engine = sa.create_engine(Store.open.__globals__["_engine_url"](store_url))
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '999'")
    engine.dispose()
    with pytest.raises(StoreError) as info:
        Store.open(store_url)
    assert "newer campus-security" in str(info.value)
    assert "较新版本" in str(info.value)


@pytest.mark.parametrize(
    ("url", "en"),
    [
        ("mysql://u:pw@host/db", "unsupported store URL"),
        ("postgresql://u:pw@[::1", "not understood"),
    ],
)
def test_a_bad_url_is_refused_without_the_password(url, en):
    with pytest.raises(StoreError) as info:
        Store.open(url)
    assert en in str(info.value)
    assert ":pw@" not in str(info.value)


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(StoreError, match="folder does not exist"):
        Store.open(str(tmp_path / "nowhere" / "r.db"))
    with pytest.raises(StoreError, match="a folder, not a file"):
        Store.open(str(tmp_path))


def test_a_wrong_password_or_no_server_is_a_clear_error(postgres_cluster, tmp_path):
    url = postgres_cluster.url(password="wrong-secret-123")
    with pytest.raises(StoreError) as info:
        Store.open(url)
    text = str(info.value)
    assert "cannot open the store" in text and "无法打开结果库" in text
    assert "wrong-secret-123" not in text
    with pytest.raises(StoreError) as info:
        Store.open(f"postgresql://cs:topsecret@/postgres?host={tmp_path}")
    assert "cannot open the store" in str(info.value)
    assert "topsecret" not in str(info.value)


RECORDER = r"""
import sys, datetime as dt
from campus_security.engine import Citation, Finding, SchoolResult, Status
from campus_security.model import Text
from campus_security.store import RosterIdentity, Store

def results(n):
    for i in range(n):
        yield SchoolResult(f"s{i}", tuple(
            Finding(f"r{j}", "std", f"s{i}", Status.FAIL if (i + j) % 3 else Status.PASS,
                    Citation("doc", "1"), Text("消息", "message"), {"i": i})
            for j in range(5)))

with Store.open(sys.argv[1]) as store:
    print("open", flush=True)
    while True:
        store.record(results(int(sys.argv[2])), on=dt.date(2026, 3, 1),
                     roster=RosterIdentity("r", "0" * 64), standards=(), batch_size=200)
"""


def test_a_killed_recording_leaves_complete_runs_only(tmp_path):
    db = tmp_path / "results.db"
    script = tmp_path / "recorder.py"
    script.write_text(RECORDER)
    n = 20_000
    rng = random.Random(16)
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(db), str(n)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"open"
        time.sleep(rng.uniform(0.0, 6.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store.open(str(db)) as store:
        runs = store.runs()
        for run in runs:
            assert run.schools == n
            stored = list(store.findings(run.id))
            assert len(stored) == sum(1 for i in range(n) for j in range(5) if (i + j) % 3)
            assert store.passed(run.id, "s0") == (("std", "r0"), ("std", "r3"))
