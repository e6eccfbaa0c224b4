"""Nothing lost: `check --store` and concurrent writers, a read-only store, a full disk, SIGKILL.

Each test runs the command line in real processes. A store that a failure touched must open,
pass ``PRAGMA integrity_check`` (SQLite) and hold exactly the complete runs it held before.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the store extra is not installed")

from campus_security.store import Store

ROSTER = Path(__file__).parent.parent / "examples" / "roster.json"
ON = "2024-11-20"


def _cli(*args: str, **kw) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "campus_security", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        **kw,
    )


def _ran(*args: str) -> int:
    """Run the command line to its end; its exit status."""
    p = _cli(*args)
    p.communicate(timeout=900)
    return p.returncode


def _generate(path: Path, schools: int) -> Path:
    args = ["generate", "--schools", str(schools), "--seed", "16", "--on", ON, "-o", str(path)]
    done = subprocess.run([sys.executable, "-m", "campus_security", *args], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    return path


def _summary(url: str) -> list[tuple[int, int, int]]:
    """Each run: id, schools, findings stored (complete runs only, by construction)."""
    with Store.open(url) as store:
        return [(r.id, r.schools, sum(1 for _ in store.findings(r.id))) for r in store.runs()]


def _intact(db: Path) -> None:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err, err


@pytest.fixture(scope="module")
def roster_500(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory.mktemp("roster") / "r500.jsonl", 500)


def test_two_checks_at_once_both_recorded(store_url, roster_500, tmp_path):
    procs = [
        _cli("check", str(roster_500), "--on", ON, "-j", "1", "--store", store_url)
        for _ in range(2)
    ]
    errs = [p.communicate(timeout=600)[1].decode() for p in procs]
    for p, err in zip(procs, errs, strict=True):
        _no_traceback(err)
        # both recorded, or one refused with a clear error: never a corrupt store
        assert (p.returncode in (0, 1) and "recorded as run" in err) or (
            p.returncode == 2 and "cannot record into the store" in err
        ), err
    recorded = sum("recorded as run" in e for e in errs)
    runs = _summary(store_url)
    assert len(runs) == recorded >= 1
    assert len({(schools, n) for _id, schools, n in runs}) == 1  # the same roster, in full
    assert runs[0][1] == 500
    if "://" not in store_url:
        _intact(Path(store_url))


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextlib.contextmanager
def _read_only_view(folder: Path, view: Path) -> Iterator[Path]:
    """``folder`` seen read-only at ``view`` (a read-only bind mount; as a user, permissions)."""
    view.mkdir()
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        for f in folder.iterdir():
            os.chmod(f, 0o444)
        try:
            yield folder
        finally:
            os.chmod(folder, 0o755)
        return
    if not (
        _mount("--bind", str(folder), str(view)) and _mount("-o", "remount,ro,bind", str(view))
    ):
        _mount_cleanup(view)
        pytest.skip("cannot make a read-only bind mount here")
    try:
        yield view
    finally:
        _mount_cleanup(view)


def _mount_cleanup(view: Path) -> None:
    subprocess.run(["umount", str(view)], capture_output=True)


def test_a_read_only_store_is_a_clear_error(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    db = folder / "results.db"
    assert _ran("check", str(ROSTER), "--on", ON, "--store", str(db)) in (0, 1)
    before = _summary(str(db))
    with _read_only_view(folder, tmp_path / "ro") as ro:
        p = _cli("check", str(ROSTER), "--on", ON, "--store", str(ro / "results.db"))
        err = p.communicate(timeout=300)[1].decode()
    assert p.returncode == 2, err
    _no_traceback(err)
    assert "结果库只读" in err and "the store is read-only" in err
    assert _summary(str(db)) == before
    _intact(db)


def test_a_read_only_postgresql_store_is_a_clear_error(postgres_cluster):
    url = postgres_cluster.new_database()
    assert _ran("check", str(ROSTER), "--on", ON, "--store", url) in (0, 1)
    before = _summary(url)
    read_only = url + "&options=-c%20default_transaction_read_only%3Don"
    p = _cli("check", str(ROSTER), "--on", ON, "--store", read_only)
    err = p.communicate(timeout=300)[1].decode()
    assert p.returncode == 2, err
    _no_traceback(err)
    assert "cannot record into the store (nothing of this run was kept)" in err
    assert "无法记录到结果库" in err and "read-only" in err
    assert postgres_cluster.url().split(":")[2].split("@")[0] not in err  # no password
    assert _summary(url) == before


def test_a_full_disk_leaves_the_store_as_it_was(tmp_path, roster_500):
    """A tiny filesystem (1 MiB tmpfs), filled but for 64 KiB: a 500-school run cannot fit."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny filesystem needs root (the fault-injected test runs)")
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here")
    try:
        db = disk / "results.db"
        assert _ran("check", str(ROSTER), "--on", ON, "--store", str(db)) in (0, 1)
        before = _summary(str(db))
        fs = os.statvfs(disk)  # fill the disk but for 64 KiB: the next run cannot fit
        (disk / "filler").write_bytes(b"\0" * (fs.f_bavail * fs.f_frsize - (64 << 10)))
        p = _cli("check", str(roster_500), "--on", ON, "-j", "1", "--store", str(db))
        err = p.communicate(timeout=600)[1].decode()
        assert p.returncode == 2, err
        _no_traceback(err)
        assert "cannot record into the store (nothing of this run was kept)" in err
        assert "full" in err and "无法记录到结果库" in err
        assert _summary(str(db)) == before
        _intact(db)
    finally:
        _mount_cleanup(disk)


RECORD = r"""
import signal, sys, datetime as dt, resource
from campus_security.store import RosterIdentity, Store, StoreError

def schools(n):
    for i in range(n):
        yield f"s{i}", [
            {"standard_id": "std", "rule_id": f"r{j}", "school_id": f"s{i}", "status": "fail",
             "citation": {"document": "doc", "clause": "1"}, "period": None,
             "message": {"zh": "消息" * 20, "en": "message " * 20}, "evidence": {"i": i}}
            for j in range(5)
        ]

store = Store.open(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails with EFBIG
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    store.record_documents(schools(5000), on=dt.date(2026, 3, 1),
                           roster=RosterIdentity("r", "0" * 64), standards=(), batch_size=200)
except StoreError as exc:
    print(exc)
    sys.exit(2)
"""


def test_a_fault_injected_write_leaves_the_store_as_it_was(tmp_path):
    """Every write past a file-size limit fails (RLIMIT_FSIZE): a full disk without root."""
    db = tmp_path / "results.db"
    assert _ran("check", str(ROSTER), "--on", ON, "--store", str(db)) in (0, 1)
    before = _summary(str(db))
    script = tmp_path / "record.py"
    script.write_text(RECORD)
    done = subprocess.run(
        [sys.executable, str(script), str(db), str(db.stat().st_size + (256 << 10))],
        capture_output=True,
        timeout=300,
    )
    out = done.stdout.decode()
    assert done.returncode == 2, (out, done.stderr.decode())
    assert "cannot record into the store (nothing of this run was kept)" in out
    assert "无法记录到结果库" in out
    assert _summary(str(db)) == before
    _intact(db)


@pytest.fixture(scope="module")
def roster_20k(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory.mktemp("roster") / "r20k.jsonl", 20_000)


def _wal_grows(wal: Path, proc: subprocess.Popen[bytes], deadline: float) -> bool:
    """Wait until the store's write-ahead log grows (the recording transaction is writing)."""
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 0:
            return True
        time.sleep(0.02)
    return False


def test_sigkill_during_a_20k_school_check_leaves_complete_runs_only(tmp_path, roster_20k):
    """Killed once while evaluating and twice while the run's transaction is written.

    (Many more kills at random moments of recording 20,000 schools, without evaluating
    each time: ``test_store.py::test_a_killed_recording_leaves_complete_runs_only``.)
    """
    db = tmp_path / "results.db"
    wal = Path(f"{db}-wal")
    assert _ran("check", str(ROSTER), "--on", ON, "--store", str(db)) in (0, 1)
    before = _summary(str(db))
    rng = random.Random(16)
    killed_while_recording = 0
    for i in range(3):
        # a session of its own: the kill takes the check and its worker processes at once
        p = _cli(
            "check",
            str(roster_20k),
            "--on",
            ON,
            "--format",
            "json",
            "--store",
            str(db),
            start_new_session=True,
        )
        if i == 0:  # once during the evaluation (the store is not even written)
            time.sleep(rng.uniform(0.5, 3.0))
        elif _wal_grows(wal, p, time.monotonic() + 600):
            time.sleep(rng.uniform(0.0, 2.0))
            killed_while_recording += p.poll() is None
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate(timeout=120)
        _intact(db)
        runs = _summary(str(db))
        assert runs[: len(before)] == before
        # a run the kill came too late for is complete: all 20,000 schools
        assert all(schools == 20_000 for _id, schools, _n in runs[len(before) :])
        before = runs
    assert killed_while_recording >= 1
    done = _cli("check", str(roster_20k), "--on", ON, "--format", "json", "--store", str(db))
    err = done.communicate(timeout=900)[1].decode()
    assert done.returncode in (0, 1), err
    runs = _summary(str(db))
    assert runs[-1][1] == 20_000 and runs[: len(before)] == before
    _intact(db)
