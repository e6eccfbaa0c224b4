"""`check --store`, `runs` and `diff` on the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the store extra is not installed")

from campus_security.cli import run

ROSTER = Path(__file__).parent.parent / "examples" / "roster.json"


def test_two_checks_then_runs_and_diff(store_url, capsys, monkeypatch):
    import datetime as dt

    from campus_security.engine import Evaluator
    from campus_security.formats import read_roster
    from campus_security.plugins import default_manager
    from campus_security.store import Store, roster_identity

    data = read_roster(ROSTER)
    standards = default_manager().standards()
    with Store.open(store_url) as store:
        for day in (dt.date(2024, 3, 1), dt.date(2026, 3, 1)):
            ev = Evaluator(standards, day, companies=data.companies)
            res = [ev.school(s) for s in data.schools]
            store.record(
                res,
                on=day,
                roster=roster_identity(ROSTER),
                standards=ev.standards,
                rates=ev.rates(res),
            )
    monkeypatch.setenv("CAMPUS_SECURITY_STORE", store_url)
    assert run(["runs", "--format", "json"]) == 0
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [(r["id"], r["on"]) for r in runs] == [(1, "2024-03-01"), (2, "2026-03-01")]
    assert runs[0]["roster"]["name"] == "roster.json" and len(runs[0]["roster"]["sha256"]) == 64
    assert run(["runs"]) == 0
    assert "2026-03-01" in capsys.readouterr().out

    assert run(["diff", "--format", "json"]) == 1  # new failures: exit 1, as a linter
    doc = json.loads(capsys.readouterr().out)
    assert (doc["a"]["id"], doc["b"]["id"]) == (1, 2)
    assert doc["new"] and all(f["status"] in ("fail", "error") for f in doc["new"])
    # reversed: what was new is resolved, and what was resolved is new
    back_status = run(["diff", "2", "1", "--format", "json"])
    back = json.loads(capsys.readouterr().out)
    key = lambda f: (f["school_id"], f["rule_id"], json.dumps(f["period"]))  # noqa: E731
    assert sorted(map(key, back["resolved"])) == sorted(map(key, doc["new"]))
    assert sorted(map(key, back["new"])) == sorted(map(key, doc["resolved"]))
    assert back_status == (1 if doc["resolved"] else 0)
    assert run(["diff"]) == 1
    out = capsys.readouterr().out
    assert "新增不合格 / new failures" in out and "已整改 / resolved" in out


def test_id_numbers_are_masked_unless_asked(tmp_path, capsys):
    from test_store import ID_NUMBER, finding, results

    from campus_security.engine import Status
    from campus_security.store import RosterIdentity, Store

    url = str(tmp_path / "r.db")
    with Store.open(url) as store:
        for rule in ("r1", "r2"):
            store.record(
                results([finding("s1", rule, Status.FAIL)]),
                on=__import__("datetime").date(2026, 3, 1),
                roster=RosterIdentity("r.json", "0" * 64),
                standards=(),
            )
    assert run(["diff", "--store", url, "--format", "json"]) == 1
    assert ID_NUMBER not in capsys.readouterr().out
    assert run(["diff", "--store", url, "--format", "json", "--show-personal-data"]) == 1
    assert ID_NUMBER in capsys.readouterr().out


def test_store_errors_exit_2_in_both_languages(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CAMPUS_SECURITY_STORE", raising=False)
    assert run(["runs"]) == 2
    assert "no store given" in capsys.readouterr().err
    assert run(["runs", "--store", "postgresql://u:hunter2@/db?host=/nonexistent"]) == 2
    err = capsys.readouterr().err
    assert "cannot open the store" in err and "无法打开结果库" in err
    assert "hunter2" not in err and "Traceback" not in err
    assert run(["diff", "--store", str(tmp_path / "r.db")]) == 2
    assert "a diff needs two runs" in capsys.readouterr().err
    assert run(["runs", "--store", str(tmp_path / "missing" / "r.db")]) == 2
    assert "folder does not exist" in capsys.readouterr().err
