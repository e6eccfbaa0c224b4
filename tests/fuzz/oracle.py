"""What must hold for every input, however broken, and where a defect is recorded.

For each input: the Python API reads it or raises a located ``CampusSecurityError``
(never anything else), and a roster it reads can be written, checked and reported; the
commands (``check`` as text and JSON, ``convert``, ``export``, ``import``) run in a
process with bounded memory and time and end with an exit code of the README's meaning
(0 nothing fails, 1 a rule fails, 2 bad input or usage), no traceback, no signal; an
error names the file; no ID-shaped value of the input appears unmasked in any message,
report or export (rosters written by ``convert`` and ``import`` hold ID numbers by nature).

A defect fails the test, or, in a campaign (``CAMPUS_SECURITY_FUZZ_LOG`` set), is
appended to that log with the input saved beside it, and the campaign goes on.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

DRIVER = Path(__file__).with_name("driver.py")
ON = "2024-11-20"
MEMORY = int(os.environ.get("CAMPUS_SECURITY_FUZZ_MEMORY", str(3 * 2**29)))  # 1.5 GB
TIMEOUT = float(os.environ.get("CAMPUS_SECURITY_FUZZ_TIMEOUT", "180"))
LOG = os.environ.get("CAMPUS_SECURITY_FUZZ_LOG")
_ID_SHAPED = re.compile(r"(?<!\d)\d{14,}[\dXx](?![\dXx])")


class Defect(AssertionError):
    """An input broke a promise of the library."""


def id_shaped(text: str) -> set[str]:
    """The ID-shaped values of a text (15 or more digits, the last maybe X), upper case."""
    return {m.group(0).upper() for m in _ID_SHAPED.finditer(text)}


def secrets_of(data: bytes) -> set[str]:
    """Every ID-shaped value an input holds: in its text, or in an XLSX's XML."""
    texts: list[str] = []
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for name in z.namelist():
                    try:
                        texts.append(z.read(name).decode("utf-8", "replace"))
                    except Exception:
                        continue
        except Exception:
            pass
    for enc in ("utf-8", "gb18030", "utf-16"):
        texts.append(data.decode(enc, "replace"))
    found: set[str] = set()
    for t in texts:
        found |= id_shaped(t)
    return found


class Recorder:
    """Defects of one input: raised at the end, or logged in a campaign."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data
        self.defects: list[tuple[str, str]] = []
        self.read_ok: bool | None = None
        self.exits: list[int] = []

    def add(self, kind: str, detail: str) -> None:
        self.defects.append((kind, detail[:4000]))

    def done(self) -> None:
        if LOG:
            digest = hashlib.sha256(self.data).hexdigest()[:16]
            entry = {
                "input": self.name,
                "sha": digest,
                "read": self.read_ok,
                "exits": self.exits,
                "defects": self.defects,
            }
            if self.defects:
                keep = Path(LOG).with_suffix(".inputs")
                keep.mkdir(exist_ok=True)
                (keep / f"{digest}{Path(self.name).suffix}").write_bytes(self.data)
            with open(LOG, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            return
        if self.defects:
            raise Defect("\n\n".join(f"[{k}] {d}" for k, d in self.defects))


def _leaks(text: str, secrets: set[str]) -> set[str]:
    return id_shaped(text) & secrets


def check_api(api: dict[str, object], name: str, secrets: set[str], rec: Recorder) -> bool:
    """The Python API's outcome on one input (see driver.py); True when it read a roster."""
    if api.get("traceback"):
        rec.add("traceback", f"Python API: {api['traceback']}")
        return bool(api.get("ok"))
    if api.get("ok"):
        if leaked := _leaks(str(api.get("report", "")), secrets):
            rec.add("unmasked", f"the JSON report (API) shows {sorted(leaked)}")
        return True
    message = str(api.get("error", ""))
    problems = api.get("problems")
    if isinstance(problems, list):
        if not api.get("source"):
            rec.add("unlocated", f"read_roster: no file named: {message}")
        for where, _source in problems:
            if not str(where).strip():
                rec.add("unlocated", f"read_roster: a problem without a path: {message}")
    elif name not in message:
        rec.add("unlocated", f"read_roster: {api.get('type')} names no file: {message}")
    if leaked := _leaks(message, secrets):
        rec.add("unmasked", f"read_roster's error shows {sorted(leaked)}: {message}")
    return False


def commands(path: Path, census: bool) -> list[list[str]]:
    """The commands run on one input (outputs beside it)."""
    d = path.parent
    cmds = [
        ["check", str(path), "--on", ON],
        ["check", str(path), "--on", ON, "--format", "json", "-o", str(d / "report.json")],
        ["convert", str(path), "-o", str(d / "converted.jsonl")],
        ["export", str(path), "-o", str(d / "export.csv")],
    ]
    if census:
        cmds.append(["import", str(path), "-o", str(d / "imported.json")])
    return cmds


Outcome = tuple[dict[str, object] | None, list[dict[str, object]], str | None]


def run_driver(path: Path, cmds: list[list[str]]) -> Outcome:
    """The API and the commands on one input in one bounded process: outcomes, crash."""
    return run_batch([(path, cmds)])[0]


def run_batch(jobs: list[tuple[Path, list[list[str]]]]) -> list[Outcome]:
    """Jobs (an input and its commands) in bounded processes, one after another.

    A crash (signal, memory, time) is the outcome of the job it hit; the jobs after it
    run in a new process.
    """
    outcomes: list[Outcome] = []
    while len(outcomes) < len(jobs):
        rest = jobs[len(outcomes) :]
        outcomes += _run_some(rest)
    return outcomes


def _run_some(jobs: list[tuple[Path, list[list[str]]]]) -> list[Outcome]:
    spec = [{"input": str(p), "cmds": c} for p, c in jobs]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
    listing = Path(f.name)
    timeout = TIMEOUT * len(jobs)
    crash: str | None = None
    try:
        proc = subprocess.run(
            [sys.executable, str(DRIVER), str(MEMORY), "--batch", str(listing)],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        stdout, err = proc.stdout, proc.stderr.decode("utf-8", "replace")
        if proc.returncode != 0:
            rc = proc.returncode
            how = f"signal {-rc}" if rc < 0 else f"exit {rc}"
            crash = f"the process died ({how})"
    except subprocess.TimeoutExpired as exc:
        stdout, err = exc.stdout or b"", ""
        crash = f"timed out ({timeout:.0f} s for {len(jobs)} inputs)"
    finally:
        listing.unlink(missing_ok=True)
    outcomes: list[Outcome] = []
    api: dict[str, object] | None = None
    results: list[dict[str, object]] = []
    started: object = None
    for line in stdout.decode("utf-8", "replace").split("\n"):
        if not line.strip():
            continue
        item = json.loads(line)
        if "start" in item:
            started = item["start"]
        elif "api" in item:
            api = item["api"]  # type: ignore[assignment]
        elif "done" in item:
            outcomes.append((api, results, None))
            api, results, started = None, [], None
        else:
            results.append(item)
    if crash is not None and len(outcomes) < len(jobs):
        outcomes.append((api, results, f"{crash} in {started}: {err[-2000:]}"))
    return outcomes


def check_all(path: Path, secrets: set[str], census: bool, rec: Recorder) -> None:
    """The API and the commands on one input, checked against the oracle."""
    evaluate(path, secrets, rec, run_driver(path, commands(path, census)))


def evaluate(path: Path, secrets: set[str], rec: Recorder, outcome: Outcome) -> None:
    """One input's outcome (API, commands, crash) against the oracle."""
    api, results, crash = outcome
    read_ok = check_api(api, path.name, secrets, rec) if api is not None else False
    rec.read_ok = read_ok
    rec.exits = [int(str(r["exit"])) for r in results]
    if crash:
        kind = "signal" if "(signal" in crash else "timeout" if "timed out" in crash else "crash"
        if "MemoryError" in crash:
            kind = "memory"
        rec.add(kind, crash)
    for r in results:
        args = r["args"]
        assert isinstance(args, list)
        name = args[0]
        code = r["exit"]
        out = f"{r['stdout']}{r['stderr']}"
        if r["traceback"]:
            kind = "memory" if "MemoryError" in str(r["traceback"]) else "traceback"
            rec.add(kind, f"{args}: {r['traceback']}")
            continue
        if "Traceback (most recent call last)" in out:
            rec.add("traceback", f"{args} printed a traceback: {out[-3000:]}")
        allowed = (0, 1, 2) if name == "check" else (0, 2)
        if code not in allowed:
            rec.add("exit code", f"{args} exited {code}: {out[-2000:]}")
        if code == 2 and path.name not in out and "Usage:" not in out:
            rec.add("unlocated", f"{args} exit 2 names no file: {out[-2000:]}")
        if name == "check" and code in (0, 1) and not read_ok:
            rec.add("silent pass", f"{args} exit {code} on an input the API refuses")
        if name == "check" and code == 2 and read_ok and "--format" not in args:
            rec.add("disagree", f"{args} exit 2 on an input the API reads: {out[-2000:]}")
        if leaked := _leaks(out, secrets):
            rec.add("unmasked", f"{args} printed {sorted(leaked)}: {out[-2000:]}")
    for produced in ("report.json", "export.csv"):
        f = path.parent / produced
        if not f.exists():
            continue
        text = f.read_bytes().decode("utf-8-sig", "replace")
        if leaked := _leaks(text, secrets):
            rec.add("unmasked", f"{produced} holds {sorted(leaked)}")
        if produced == "report.json":
            try:
                json.loads(text)
            except ValueError as exc:
                rec.add("invalid output", f"report.json is not JSON: {exc}")
    for leftover in path.parent.glob(".*.tmp"):
        rec.add("leftover", f"a temporary file was left: {leftover.name}")


def fuzz_many(tmp: Path, inputs: list[tuple[str, bytes, set[str]]]) -> list[Recorder]:
    """Every check on many inputs (a campaign), each in its own directory under ``tmp``."""
    jobs: list[tuple[Path, list[list[str]]]] = []
    for i, (name, data, _) in enumerate(inputs):
        d = tmp / f"{i:06d}"
        d.mkdir()
        (d / name).write_bytes(data)
        jobs.append((d / name, commands(d / name, name.endswith((".xlsx", ".csv")))))
    recs = []
    outcomes = run_batch(jobs)
    for (name, data, extra), (path, _), outcome in zip(inputs, jobs, outcomes, strict=True):
        rec = Recorder(name, data)
        evaluate(path, secrets_of(data) | extra, rec, outcome)
        recs.append(rec)
    return recs


def fuzz_one(tmp: Path, name: str, data: bytes, extra_secrets: Iterable[str] = ()) -> None:
    """Every check on one input written to ``tmp/name``."""
    for old in tmp.iterdir():
        if old.is_file():
            old.unlink()
    path = tmp / name
    path.write_bytes(data)
    secrets = secrets_of(data) | set(extra_secrets)
    rec = Recorder(name, data)
    check_all(path, secrets, path.suffix in (".xlsx", ".csv"), rec)
    rec.done()
