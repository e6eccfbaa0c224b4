"""The results store's benchmark: `nox -s bench -- --store --sizes 20000`.

Per size, on the cached synthetic roster (bench/run.py generates it), each in a fresh
process through the command line, as a user runs it:

- ``check``: ``campus-security check ROSTER --on 2024-11-20 -o report.txt`` (all cores);
- ``check --store`` into an SQLite file, twice (as of 2024-11-20 and a week later);
- ``check --store`` into a PostgreSQL 15 database (a throwaway cluster on a Unix socket,
  fsync on, as a server would run), twice;

then ``diff`` of the two runs in each store, and the store's size per run. Figures:
the wall time recording adds (target: at most 30 % of the check's), schools recorded per
second of added time, the diff's seconds, bytes per school and per run, and what a
year of weekly runs of Jiangsu's ~12,000 schools would take. Writes
bench-results/bench-store.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ON = dt.date(2024, 11, 20)
JIANGSU_SCHOOLS = 12_000
TARGET_ADDED = 0.30


def _timed(*args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "campus_security", *args], capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"campus-security {' '.join(args)} failed: {done.stderr[-2000:]}")
    return seconds, done.stderr


@contextlib.contextmanager
def _postgres() -> Iterator[Any]:
    sys.path.insert(0, str(ROOT / "tests"))
    import pgcluster

    reason = pgcluster.missing_reason()
    if reason:
        print(f"PostgreSQL skipped: {reason}", file=sys.stderr)
        yield None
        return
    yield from pgcluster.start(fsync=True)


def _postgres_size(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
    engine.dispose()
    return int(size or 0)


def _diff_seconds(url: str) -> float:
    code = (
        "import sys, time; from campus_security.store import Store\n"
        "s = Store.open(sys.argv[1]); t = time.perf_counter(); d = s.diff()\n"
        "print(time.perf_counter() - t, len(d.new), len(d.resolved), len(d.still_failing))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, url], capture_output=True, text=True, check=True
    )
    return float(done.stdout.split()[0])


def measure(roster: Path, size: int, out: Path, jobs: int) -> dict[str, Any]:
    """The figures of one roster size."""
    report = out / f"store-report-{size}.txt"
    base_args = ["check", str(roster), "-j", str(jobs), "-o", str(report)]
    print(f"{size}: check ...", file=sys.stderr, flush=True)
    check_s, _ = _timed(*base_args, "--on", ON.isoformat())
    row: dict[str, Any] = {"schools": size, "check_seconds": check_s, "backends": {}}
    db = out / f"store-{size}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with _postgres() as cluster:
        stores = [("sqlite", str(db))]
        if cluster is not None:
            stores.append(("postgresql", cluster.new_database()))
        for backend, url in stores:
            times = []
            for day in (ON, ON + dt.timedelta(days=7)):
                print(f"{size}: check --store ({backend}, {day}) ...", file=sys.stderr, flush=True)
                seconds, _ = _timed(*base_args, "--on", day.isoformat(), "--store", url)
                times.append(seconds)
            added = min(times) - check_s
            size_bytes = db.stat().st_size if backend == "sqlite" else _postgres_size(url)
            per_run = size_bytes / 2
            row["backends"][backend] = {
                "check_store_seconds": times,
                "added_seconds": added,
                "added_share": added / check_s,
                "schools_recorded_per_second": size / added if added > 0 else None,
                "diff_seconds": _diff_seconds(url),
                "bytes_per_run": per_run,
                "bytes_per_school": per_run / size,
                "jiangsu_weekly_year_gb": per_run / size * JIANGSU_SCHOOLS * 52 / 1e9,
                "target_met": added / check_s <= TARGET_ADDED,
            }
    return row


def store_main(args: argparse.Namespace, sizes: list[int], doc: dict[str, Any]) -> int:
    """``--store``: the store's figures per size; writes bench-results/bench-store.json."""
    from run import ensure_roster

    doc["store"] = {"target_added_share": TARGET_ADDED, "sizes": []}
    for size in sizes:
        roster, _ = ensure_roster(args.out, size, args.jobs)
        doc["store"]["sizes"].append(measure(roster, size, args.out, args.jobs))
    doc["machine"]["load_average_at_end"] = os.getloadavg()
    written = args.out / "bench-store.json"
    written.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    for row in doc["store"]["sizes"]:
        print(f"{row['schools']} schools: check {row['check_seconds']:.1f} s")
        for backend, b in row["backends"].items():
            rate = b["schools_recorded_per_second"]
            print(
                f"  {backend:<10} +{b['added_seconds']:.1f} s "
                f"({b['added_share']:.0%} of the check; "
                f"target <= {TARGET_ADDED:.0%}), {rate or 0:,.0f} schools/s recorded, "
                f"diff {b['diff_seconds']:.2f} s, {b['bytes_per_school']:,.0f} B/school, "
                f"Jiangsu weekly for a year {b['jiangsu_weekly_year_gb']:.1f} GB"
            )
    print(f"written: {written}")
    return 0
