"""Every command that writes a file, killed midway, leaves the old file or the whole new one.

Each command is run once to the end (the reference output), then run again over an
existing "old" target and stopped: by SIGKILL at a random moment, by SIGKILL while its
temporary file exists (mid-write), and by SIGTERM or SIGINT mid-write. The target must
then be the old file or equal to the reference, never a part; SIGTERM and SIGINT must
leave no temporary file; a SIGKILL's leftover is hidden, recognised as abandoned, and
removed by the next run. Issue 12, item 5.
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from campus_security._atomic import leftover_temporaries

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

ON = "2024-11-20"
OLD = b"the old file\n"
SCHOOLS = 80

# (name, arguments with {in} for the input directory, output file name)
COMMANDS = [
    ("check-jsonl-json", ["check", "{in}/r.jsonl", "--on", ON, "--format", "json"], "out.json"),
    ("check-json-json", ["check", "{in}/r.json", "--on", ON, "--format", "json"], "out.json"),
    ("check-json-text", ["check", "{in}/r.json", "--on", ON], "out.txt"),
    ("check-jsonl-text", ["check", "{in}/r.jsonl", "--on", ON], "out.txt"),
    ("convert-jsonl", ["convert", "{in}/r.jsonl"], "out.jsonl"),
    ("convert-json", ["convert", "{in}/r.jsonl", "--compact"], "out.json"),
    ("export-xlsx", ["export", "{in}/r.json", "--show-personal-data"], "out.xlsx"),
    ("export-csv", ["export", "{in}/r.json", "--on", ON, "--form", "school-census"], "out.csv"),
    ("import", ["import", "{in}/form.xlsx"], "out.json"),
    ("generate", ["generate", "--schools", str(SCHOOLS), "-j", "1"], "out.jsonl"),
]


def _run(args: list[str], **kw: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "campus_security", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **kw,  # type: ignore[call-overload]
    )


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("inputs")
    for name in ("r.json", "r.jsonl"):
        gen = ["generate", "--schools", str(SCHOOLS), "-j", "1", "-o", str(d / name)]
        assert _run(gen).wait(timeout=120) == 0
    form = ["export", str(d / "r.json"), "--show-personal-data", "--school-codes"]
    assert _run([*form, "-o", str(d / "form.xlsx")]).wait(timeout=120) == 0
    return d


def _temporaries(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


def _content(path: Path) -> object:
    """What must be equal between two complete outputs (an XLSX's members, not its times)."""
    data = path.read_bytes()
    if path.suffix != ".xlsx" or data == OLD:
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _own(directory: Path, pid: int) -> list[Path]:
    return [p for p in _temporaries(directory) if f".cs-{pid}-" in p.name]


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _wait_for_write(target: Path, proc: subprocess.Popen[bytes], limit: float) -> bool:
    """Wait until the process writes: its temporary file appears, or the target changes."""
    before = _signature(target)
    end = time.monotonic() + limit
    while time.monotonic() < end and proc.poll() is None:
        if _own(target.parent, proc.pid) or _signature(target) != before:
            return True
        time.sleep(0.001)
    return False


@pytest.mark.parametrize(("name", "args", "out"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_interrupted_write_leaves_old_or_whole(
    inputs: Path, tmp_path: Path, name: str, args: list[str], out: str
) -> None:
    rng = random.Random(name)  # random moments, the same on every run of the test
    argv = [a.replace("{in}", str(inputs)) for a in args] + ["-o", str(tmp_path / out)]
    target = tmp_path / out
    started = time.monotonic()
    assert _run(argv).wait(timeout=300) in (0, 1)
    took = time.monotonic() - started
    reference = _content(target)
    assert reference != OLD
    assert _temporaries(tmp_path) == []

    stop_signal = signal.SIGTERM if len(name) % 2 else signal.SIGINT
    plans = [("random", signal.SIGKILL), ("mid-write", signal.SIGKILL), ("mid-write", stop_signal)]
    for when, sig in plans:
        target.write_bytes(OLD)
        with _run(argv) as proc:
            if when == "random" or not _wait_for_write(target, proc, took * 3):
                time.sleep(rng.uniform(0, took))
            else:
                time.sleep(rng.uniform(0, 0.005))
            proc.send_signal(sig)
            proc.wait(timeout=60)
        got = _content(target)
        assert got in (OLD, reference), f"{name}: {when} {sig!r} left a partial {out}"
        # What SIGKILL leaves is recognised as abandoned; SIGTERM and SIGINT leave nothing.
        assert sorted(leftover_temporaries(target)) == sorted(_temporaries(tmp_path))
        if sig != signal.SIGKILL:
            assert _own(tmp_path, proc.pid) == [], f"{name}: {sig!r} left a temporary file"

    # The next complete run removes what SIGKILL left and writes the whole file.
    assert _run(argv).wait(timeout=300) in (0, 1)
    assert _content(target) == reference
    assert _temporaries(tmp_path) == []


def test_sigkill_midway_of_a_big_convert_leaves_no_target(inputs: Path, tmp_path: Path) -> None:
    """The case of the issue: the temporary file is hidden and never taken for the roster."""
    target = tmp_path / "new.jsonl"
    with _run(["convert", str(inputs / "r.jsonl"), "-o", str(target)]) as proc:
        if _wait_for_write(target, proc, 60):
            proc.kill()
        proc.wait(timeout=60)
    assert not target.exists() or target.read_bytes() == (inputs / "r.jsonl").read_bytes()
    for left in _temporaries(tmp_path):
        assert left.name.startswith(".new.jsonl.cs-")
        assert os.stat(left).st_size >= 0
