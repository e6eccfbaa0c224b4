"""The national-scale benchmark: `nox -s bench` (or `python bench/run.py`).

For rosters of 1k, 10k, 100k and 500k schools (``--sizes``) it measures, each scenario
in its own subprocess so that peak memory figures do not mix:

- ``generate``: writing the synthetic JSON Lines roster (cached under bench-results/);
- ``floor``: just parsing every line with orjson, the I/O floor;
- ``baseline``: parsing plus the hand-written plain-Python checks (bench/baseline.py),
  the CPU floor;
- ``engine``: the library, streaming, in one process, through every installed standard;
- ``parallel``: the library on every core (``--jobs``, default all).

and once, on a sample of the 10k roster (or the largest one run):

- ``embed``: the cost per school of what an embedding web application does for one
  school's form: read it with the roster reader and ``evaluate_school`` it;
- ``cpu``: the engine's cost per school against the hand-written loop's, both on data
  already in memory and on exactly the rules the loop mirrors (with the verdict counts
  checked equal).

``--window`` runs instead, per size (measure it at 10k: ``nox -s bench -- --window
--sizes 10000``), a single-date check as of 2024-11-20 and a one-year review window
(2023-11-01 to 2024-10-31) on one core, reading the roster the same way, and writes
bench-results/bench-window.json (target: the window at most 3x the single date).

``--store`` runs instead the results store's figures (bench/store.py; measure at 20k:
``nox -s bench -- --store --sizes 20000``): ``check`` with and without ``--store``
into SQLite and PostgreSQL, ``diff``, the store's size; bench-results/bench-store.json.

It prints a table and writes bench-results/bench.json. Targets (issue): 500k schools in
30 s on 2 cores, peak RSS under 2 GB streaming, engine at most 1.5x the hand-written
loop per school.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

ON = dt.date(2024, 11, 20)
SEED = 2024
SIZES = (1_000, 10_000, 100_000, 500_000)
BYTES_PER_SCHOOL = 9_000  # for the disk-space check (a school is about 8 KB)
TARGETS = {"seconds_500k": 30.0, "rss_mb": 2048.0, "engine_vs_loop": 1.5}


# --- measuring in a subprocess -----------------------------------------------------------


def _peak_rss_mb() -> float:
    """The peak resident set of this process (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_rss_mb() -> float:
    """The largest peak resident set of any finished child process, in MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime


def _school_lines(path: Path) -> Any:
    with path.open("rb") as f:
        for line in f:
            if line.startswith(b'{"school"'):
                yield line


def _companies(path: Path) -> dict[str, Any]:
    import orjson

    out: dict[str, Any] = {}
    with path.open("rb") as f:
        for line in f:
            if line.startswith(b'{"company"'):
                c = orjson.loads(line)["company"]
                out[c["id"]] = c
            elif line.startswith(b'{"school"'):
                break
    return out


def scenario(name: str, roster: Path, jobs: int, sample: int) -> dict[str, Any]:
    """Run one scenario in this (fresh) process and return its measurements."""
    import orjson

    started = time.perf_counter()
    cpu0 = _cpu_seconds()
    out: dict[str, Any] = {}
    if name == "generate":
        from campus_security.scale.generate import GeneratorConfig, write_roster

        n = int(roster.stem.split("-")[1])
        config = GeneratorConfig(schools=n, seed=SEED, on=ON)
        out["bytes"] = write_roster(config, roster, lines=True, jobs=jobs)
        out["schools"] = n
    elif name == "floor":
        loads = orjson.loads
        n = 0
        with gc_off():
            for line in _school_lines(roster):
                loads(line)
                n += 1
        out["schools"] = n
    elif name == "baseline":
        from baseline import MIRRORED, make_loop

        judge = make_loop(ON, _companies(roster))
        counts: dict[str, int] = {}
        loads = orjson.loads
        n = 0
        with gc_off():
            for line in _school_lines(roster):
                for rule_id, status in judge(loads(line)["school"]):
                    key = f"{rule_id}|{status}"
                    counts[key] = counts.get(key, 0) + 1
                n += 1
        out["schools"] = n
        out["counts"] = counts
        out["mirrored"] = {k: list(v) for k, v in MIRRORED.items()}
    elif name in ("engine", "parallel"):
        from baseline import MIRRORED

        from campus_security.scale.parallel import Setup, evaluate_parallel
        from campus_security.scale.stream import evaluate_lines

        setup = Setup(on=ON)
        if name == "engine":
            summary, rates, standards = evaluate_lines(roster, setup.standards(), ON)
        else:
            summary, rates, standards = evaluate_parallel(roster, setup, jobs=jobs)
        out["schools"] = summary.schools
        out["findings"] = summary.findings
        out["failing_schools"] = summary.failing_schools
        out["standards"] = [s.id for s in standards]
        out["rules"] = sum(len(s.rules) for s in standards)
        out["counts"] = {
            f"{rule}|{status}": n
            for (rule, status), n in summary.rule_counts.items()
            if rule.split(".")[0] in MIRRORED
        }
        out["status_counts"] = {s.value: n for s, n in summary.status_counts().items()}
        out["rates"] = len(rates)
    elif name in ("single-date", "window"):
        out.update(_review(roster, window=name == "window"))
    elif name == "embed":
        out.update(_embed(roster, sample))
    elif name == "cpu":
        out.update(_cpu(roster, sample))
    else:
        raise SystemExit(f"unknown scenario {name}")
    out["seconds"] = time.perf_counter() - started
    out["load_average"] = os.getloadavg()
    out["cpu_seconds"] = _cpu_seconds() - cpu0
    out["peak_rss_mb"] = _peak_rss_mb()
    out["children_peak_rss_mb"] = _children_peak_rss_mb()
    return out


class gc_off:
    """Pause the cyclic collector while measuring a loop (both sides get the same)."""

    def __enter__(self) -> None:
        gc.collect()
        gc.freeze()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        gc.enable()
        gc.unfreeze()


WINDOW = (dt.date(2023, 11, 1), dt.date(2024, 10, 31))
"""The one-year window of the ``--window`` scenario: the twelve months before ``ON``."""


def _review(roster: Path, *, window: bool) -> dict[str, Any]:
    """A single-date check as of ``ON``, or a one-year review window, on one core.

    Both read the roster the same way (streamed, one school at a time) and evaluate every
    installed standard, so the ratio is the window's own cost.
    """
    from campus_security.engine import Evaluator
    from campus_security.scale.jsonl import open_lines, read_schools
    from campus_security.scale.parallel import Setup

    lines = open_lines(roster)
    standards = Setup(on=ON).standards()
    if window:
        ev = Evaluator(standards, WINDOW[1], companies=lines.companies, since=WINDOW[0])
    else:
        ev = Evaluator(standards, ON, companies=lines.companies)
    findings = schools = periodic = 0
    with gc_off():
        for school in read_schools(lines):
            result = ev.school(school)
            schools += 1
            findings += len(result.findings)
            periodic += sum(1 for f in result.findings if f.period is not None)
    return {"schools": schools, "findings": findings, "periodic_findings": periodic}


def _sample_docs(roster: Path, n: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    import orjson

    docs = []
    for line in _school_lines(roster):
        docs.append(orjson.loads(line)["school"])
        if len(docs) >= n:
            break
    return _companies(roster), docs


def _embed(roster: Path, n: int) -> dict[str, Any]:
    """One school's form at a time: read it with the roster reader and evaluate it."""
    import campus_security as cs
    from campus_security.formats.roster_json import structure
    from campus_security.model import School, SecurityCompany

    comps, docs = _sample_docs(roster, n)
    companies = [structure(c, SecurityCompany) for c in comps.values()]
    standards = cs.PluginManager().standards()
    from campus_security.scale import Structurer

    fast = Structurer()
    t = time.perf_counter()
    for d in docs:
        fast.school(d)
    fast_read = time.perf_counter() - t
    t0 = time.perf_counter()
    schools = [structure(d, School) for d in docs]
    t1 = time.perf_counter()
    for s in schools:
        cs.evaluate_school(s, ON, standards, companies=companies)
    t2 = time.perf_counter()
    covered = sum(1 for s in schools if any(st.covers(s.region_code) for st in standards))
    return {
        "schools": len(docs),
        "covered": covered,
        "us_per_school_read": (t1 - t0) / len(docs) * 1e6,
        "us_per_school_read_structurer": fast_read / len(docs) * 1e6,
        "us_per_school_evaluate": (t2 - t1) / len(docs) * 1e6,
        "us_per_school": (t2 - t0) / len(docs) * 1e6,
    }


def _best(fn: Any, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _cpu(roster: Path, n: int) -> dict[str, Any]:
    """Engine against the hand-written loop, on data in memory, on the mirrored rules only."""
    import attrs
    from baseline import MIRRORED, make_loop

    from campus_security.engine import Evaluator
    from campus_security.plugins import PluginManager
    from campus_security.scale import Structurer

    comps, docs = _sample_docs(roster, n)
    st = Structurer()
    companies = [st.company(c) for c in comps.values()]
    schools = [st.school(d) for d in docs]
    mirrored = {f"{std}.{slug}" for std, slugs in MIRRORED.items() for slug in slugs}
    subset = []
    for s in PluginManager().standards():
        if s.id in MIRRORED:
            rules = tuple(r for r in s.rules if r.id in mirrored)
            targets = tuple(t for t in s.targets if t.rule_id in mirrored)
            subset.append(attrs.evolve(s, rules=rules, targets=targets))
    ev = Evaluator(subset, ON, companies=companies)
    judge = make_loop(ON, comps)
    covered = [s for s in schools if ev.applicable(s.region_code)]
    covered_docs = [d for d, s in zip(docs, schools, strict=True) if ev.applicable(s.region_code)]
    with gc_off():
        engine = _best(lambda: [ev.school(s) for s in covered])
        loop = _best(lambda: [judge(d) for d in covered_docs])
        everything = Evaluator(PluginManager().standards(), ON, companies=companies)
        full = _best(lambda: [everything.school(s) for s in schools])
    engine_counts: dict[str, int] = {}
    for s in covered:
        for f in ev.school(s).findings:
            key = f"{f.rule_id}|{f.status.value}"
            engine_counts[key] = engine_counts.get(key, 0) + 1
    loop_counts: dict[str, int] = {}
    for d in covered_docs:
        for rule_id, status in judge(d):
            key = f"{rule_id}|{status}"
            loop_counts[key] = loop_counts.get(key, 0) + 1
    k = max(1, len(covered))
    return {
        "schools": len(schools),
        "covered_by_mirrored": len(covered),
        "mirrored_rules": len(mirrored),
        "engine_us_per_school": engine / k * 1e6,
        "loop_us_per_school": loop / k * 1e6,
        "ratio": engine / loop if loop else None,
        "counts_equal": engine_counts == loop_counts,
        "all_standards_us_per_school": full / len(schools) * 1e6,
    }


def run_scenario(name: str, roster: Path, jobs: int, sample: int = 0) -> dict[str, Any]:
    """Run a scenario in a fresh interpreter and return what it measured."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--scenario",
        name,
        "--roster",
        str(roster),
        "--jobs",
        str(jobs),
        "--sample",
        str(sample),
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"scenario {name} on {roster.name} failed ({proc.returncode})")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_with_startup"] = time.perf_counter() - started
    return result


# --- rosters ---------------------------------------------------------------------------------


def _generator_digest() -> str:
    src = ROOT / "src" / "campus_security" / "scale" / "generate.py"
    try:
        return hashlib.sha256(src.read_bytes()).hexdigest()[:16]
    except OSError:  # installed, not from a clone
        import campus_security.scale.generate as g

        return hashlib.sha256(Path(g.__file__).read_bytes()).hexdigest()[:16]


def ensure_roster(out: Path, size: int, jobs: int) -> tuple[Path, dict[str, Any]]:
    """The cached roster of ``size`` schools, generated (and timed) when missing or stale."""
    rosters = out / "rosters"
    rosters.mkdir(parents=True, exist_ok=True)
    path = rosters / f"schools-{size}-seed{SEED}.jsonl"
    meta_path = path.with_suffix(".meta.json")
    digest = _generator_digest()
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("digest") == digest and path.stat().st_size == meta.get("bytes"):
            meta["cached"] = True
            return path, meta
    need = size * BYTES_PER_SCHOOL * 1.2
    for old in sorted(rosters.glob("schools-*.jsonl"), key=lambda p: -p.stat().st_size):
        if shutil.disk_usage(rosters).free >= need:
            break
        if old != path:  # make room, biggest cached roster first
            old.unlink()
    if shutil.disk_usage(rosters).free < need:
        raise SystemExit(f"not enough disk space for {size} schools under {rosters}")
    print(f"generating {size} schools ...", file=sys.stderr, flush=True)
    meta = run_scenario("generate", path, jobs)
    meta["digest"] = digest
    meta_path.write_text(json.dumps(meta))
    meta["cached"] = False
    return path, meta


# --- the report ---------------------------------------------------------------------------------


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else 0.0


def size_row(size: int, gen: dict[str, Any], res: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The figures of one roster size."""
    n = res["engine"]["schools"]
    floor, base = res["floor"]["seconds"], res["baseline"]["seconds"]
    eng, par = res["engine"]["seconds"], res["parallel"]["seconds"]
    return {
        "schools": size,
        "bytes": gen["bytes"],
        "generate_seconds": gen["seconds"],
        "generate_cached": gen["cached"],
        "floor_seconds": floor,
        "baseline_seconds": base,
        "engine_seconds": eng,
        "parallel_seconds": par,
        "schools_per_second_floor": _rate(n, floor),
        "schools_per_second_baseline": _rate(n, base),
        "schools_per_second_single": _rate(n, eng),
        "schools_per_second_all_cores": _rate(n, par),
        "engine_vs_floor": eng / floor,
        "engine_vs_baseline": eng / base,
        "parallel_speedup": eng / par,
        "engine_cpu_seconds": res["engine"]["cpu_seconds"],
        "parallel_cpu_seconds": res["parallel"]["cpu_seconds"],
        "floor_cpu_seconds": res["floor"]["cpu_seconds"],
        "baseline_cpu_seconds": res["baseline"]["cpu_seconds"],
        "schools_per_cpu_second_single": _rate(n, res["engine"]["cpu_seconds"]),
        "schools_per_cpu_second_parallel": _rate(n, res["parallel"]["cpu_seconds"]),
        "load_average": {k: v.get("load_average") for k, v in res.items()},
        "peak_rss_mb_streaming": res["engine"]["peak_rss_mb"],
        "peak_rss_mb_parallel_main": res["parallel"]["peak_rss_mb"],
        "peak_rss_mb_parallel_worker": res["parallel"]["children_peak_rss_mb"],
        "peak_rss_mb_floor": res["floor"]["peak_rss_mb"],
        "findings": res["engine"]["findings"],
        "failing_schools": res["engine"]["failing_schools"],
        "standards": res["engine"]["standards"],
        "rules": res["engine"]["rules"],
        "same_results_parallel": res["engine"]["counts"] == res["parallel"]["counts"]
        and res["engine"]["status_counts"] == res["parallel"]["status_counts"],
        "baseline_matches_engine": res["engine"]["counts"] == res["baseline"]["counts"],
    }


def print_table(doc: dict[str, Any]) -> None:
    """The human-readable summary."""
    m = doc["machine"]
    print(f"\ncampus-security benchmark — {m['cores']} cores, {m['python']}, {m['platform']}")
    print(f"standards: {', '.join(doc['standards'])} ({doc['rules']} rules)")
    head = (
        f"{'schools':>8} {'MB':>7} {'gen s':>6} {'floor s':>8} {'loop s':>7} {'1-core s':>8} "
        f"{'all s':>7} {'sch/s 1':>8} {'sch/s all':>9} {'x floor':>7} {'x loop':>6} "
        f"{'RSS MB':>7} {'cpu s 1':>7} {'cpu s all':>9} {'same':>5}"
    )
    print(head)
    for r in doc["sizes"]:
        print(
            f"{r['schools']:>8} {r['bytes'] / 1e6:>7.0f} {r['generate_seconds']:>6.1f} "
            f"{r['floor_seconds']:>8.1f} {r['baseline_seconds']:>7.1f} {r['engine_seconds']:>8.1f} "
            f"{r['parallel_seconds']:>7.1f} {r['schools_per_second_single']:>8.0f} "
            f"{r['schools_per_second_all_cores']:>9.0f} {r['engine_vs_floor']:>7.2f} "
            f"{r['engine_vs_baseline']:>6.2f} {r['peak_rss_mb_streaming']:>7.0f} "
            f"{r['engine_cpu_seconds']:>7.1f} {r['parallel_cpu_seconds']:>9.1f} "
            f"{'yes' if r['same_results_parallel'] and r['baseline_matches_engine'] else 'NO':>5}"
        )
    if doc.get("embed"):
        e = doc["embed"]
        print(
            f"\nembedding web app, one school per call ({e['schools']} schools, {e['covered']} "
            f"covered): read {e['us_per_school_read']:.0f} µs + evaluate "
            f"{e['us_per_school_evaluate']:.0f} µs = {e['us_per_school']:.0f} µs per school "
            f"(read with scale.Structurer: {e['us_per_school_read_structurer']:.0f} µs)"
        )
    if doc.get("cpu"):
        c = doc["cpu"]
        print(
            f"engine vs hand-written loop, data in memory, {c['mirrored_rules']} mirrored rules, "
            f"{c['covered_by_mirrored']} schools: engine {c['engine_us_per_school']:.0f} µs, loop "
            f"{c['loop_us_per_school']:.0f} µs per school = {c['ratio']:.2f}x "
            f"(verdict counts equal: {c['counts_equal']}); all installed standards "
            f"{c['all_standards_us_per_school']:.0f} µs per school"
        )
    print("\ntargets:")
    for t in doc["targets"]:
        mark = "MET " if t["met"] else "MISS"
        print(f"  {mark} {t['what']}: {t['measured']} (target {t['target']})")
    print(f"\nbaseline coverage: {doc['baseline_coverage']}")
    print(f"written: {doc['written']}")


def targets(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets against the measured figures."""
    out = []
    big = [r for r in doc["sizes"] if r["schools"] == 500_000]
    cores = doc["machine"]["cores"]
    if big:
        r = big[0]
        out.append(
            {
                "what": f"500k schools, all installed standards, all {cores} cores",
                "measured": f"{r['parallel_seconds']:.1f} s",
                "target": f"≤ {TARGETS['seconds_500k']:.0f} s on 2 cores",
                "met": r["parallel_seconds"] <= TARGETS["seconds_500k"],
            }
        )
    rss = max((r["peak_rss_mb_streaming"] for r in doc["sizes"]), default=0.0)
    out.append(
        {
            "what": "peak RSS streaming (largest roster run)",
            "measured": f"{rss:.0f} MB",
            "target": f"< {TARGETS['rss_mb']:.0f} MB",
            "met": rss < TARGETS["rss_mb"],
        }
    )
    if doc.get("cpu"):
        ratio = doc["cpu"]["ratio"]
        out.append(
            {
                "what": "engine cost per school vs the hand-written loop (same rules, in memory)",
                "measured": f"{ratio:.2f}x",
                "target": f"≤ {TARGETS['engine_vs_loop']}x",
                "met": ratio <= TARGETS["engine_vs_loop"],
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run one scenario (internal) or the whole benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="e.g. 1000,10000")
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results")
    ap.add_argument("--sample", type=int, default=2000, help="schools for embed and cpu")
    ap.add_argument(
        "--window",
        action="store_true",
        help="only the review-window scenario: a one-year window against a single-date check",
    )
    ap.add_argument(
        "--store",
        action="store_true",
        help="only the results store: check with and without --store (SQLite, PostgreSQL)",
    )
    ap.add_argument("--scenario", help=argparse.SUPPRESS)
    ap.add_argument("--roster", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.scenario:
        print(json.dumps(scenario(args.scenario, args.roster, args.jobs, args.sample)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    doc: dict[str, Any] = {
        "on": ON.isoformat(),
        "seed": SEED,
        "machine": {
            "cores": len(os.sched_getaffinity(0)),
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_start": os.getloadavg(),
        },
        "jobs": args.jobs,
        "sizes": [],
    }
    if args.window:
        return _window_main(args, sizes, doc)
    if args.store:
        from store import store_main

        return store_main(args, sizes, doc)
    sample_roster = None
    for size in sizes:
        roster, gen = ensure_roster(args.out, size, args.jobs)
        res = {}
        for name in ("floor", "baseline", "engine", "parallel"):
            print(f"{size}: {name} ...", file=sys.stderr, flush=True)
            res[name] = run_scenario(name, roster, args.jobs)
        row = size_row(size, gen, res)
        row["raw"] = {k: {kk: vv for kk, vv in v.items() if kk != "counts"} for k, v in res.items()}
        doc["sizes"].append(row)
        doc["standards"], doc["rules"] = row["standards"], row["rules"]
        if size <= 10_000 or sample_roster is None:
            sample_roster = roster
        print(
            f"{size}: {row['schools_per_second_single']:.0f} schools/s (1 core), "
            f"{row['schools_per_second_all_cores']:.0f} (all), {row['engine_vs_floor']:.2f}x floor",
            file=sys.stderr,
            flush=True,
        )
    if sample_roster is not None:
        print("embed, cpu ...", file=sys.stderr, flush=True)
        doc["embed"] = run_scenario("embed", sample_roster, args.jobs, min(args.sample, 500))
        doc["cpu"] = run_scenario("cpu", sample_roster, args.jobs, args.sample)
    from baseline import MIRRORED

    mirrored = sum(len(v) for v in MIRRORED.values())
    doc["baseline_coverage"] = (
        f"the hand-written loop mirrors {mirrored} of {doc.get('rules', '?')} installed rules: "
        + "; ".join(f"{k} ({len(v)} rules)" for k, v in MIRRORED.items())
        + "; the engine is compared with it on exactly those rules"
    )
    doc["machine"]["load_average_at_end"] = os.getloadavg()
    doc["targets"] = targets(doc)
    written = args.out / "bench.json"
    doc["written"] = str(written)
    written.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print_table(doc)
    return 0


def _window_main(args: argparse.Namespace, sizes: list[int], doc: dict[str, Any]) -> int:
    """``--window``: the one-year review window against a single-date check, per size."""
    doc["window"] = {"from": WINDOW[0].isoformat(), "to": WINDOW[1].isoformat(), "sizes": []}
    for size in sizes:
        roster, _ = ensure_roster(args.out, size, args.jobs)
        res = {}
        for name in ("single-date", "window"):
            print(f"{size}: {name} ...", file=sys.stderr, flush=True)
            res[name] = run_scenario(name, roster, args.jobs)
        single, window = res["single-date"], res["window"]
        row = {
            "schools": size,
            "single_date_seconds": single["seconds"],
            "single_date_cpu_seconds": single["cpu_seconds"],
            "window_seconds": window["seconds"],
            "window_cpu_seconds": window["cpu_seconds"],
            "window_vs_single": window["seconds"] / single["seconds"],
            "window_vs_single_cpu": window["cpu_seconds"] / single["cpu_seconds"],
            "findings": {"single_date": single["findings"], "window": window["findings"]},
            "periodic_findings": window["periodic_findings"],
            "load_average": [single["load_average"], window["load_average"]],
        }
        doc["window"]["sizes"].append(row)
        print(
            f"{size} schools: single date {row['single_date_seconds']:.1f} s "
            f"({row['single_date_cpu_seconds']:.1f} s CPU), one-year window "
            f"{row['window_seconds']:.1f} s ({row['window_cpu_seconds']:.1f} s CPU): "
            f"{row['window_vs_single']:.2f}x wall, {row['window_vs_single_cpu']:.2f}x CPU "
            "(target: at most 3x)"
        )
    doc["machine"]["load_average_at_end"] = os.getloadavg()
    written = args.out / "bench-window.json"
    written.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
