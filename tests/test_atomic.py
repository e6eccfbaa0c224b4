"""Atomic writes (campus_security._atomic): the target is old or whole, never a part."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from campus_security._atomic import (
    atomic_write,
    leftover_temporaries,
    write_bytes_atomic,
    write_text_atomic,
)

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and modes")


def _temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_bytes_atomic(target, b"old")
    assert target.read_bytes() == b"old"
    with atomic_write(target) as f:
        f.write(b"new ")
        assert target.read_bytes() == b"old"  # nothing visible before the block ends
        f.write(b"content")
    assert target.read_bytes() == b"new content"
    write_text_atomic(target, "校园\n", newline="\r\n")
    assert target.read_bytes() == "校园\r\n".encode()
    assert _temporaries(tmp_path) == []


def test_an_exception_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")
    with pytest.raises(KeyError), atomic_write(target, "w") as f:
        f.write("half")
        raise KeyError("boom")
    assert target.read_text() == "old"
    assert _temporaries(tmp_path) == []
    absent = tmp_path / "absent.txt"
    with pytest.raises(KeyboardInterrupt), atomic_write(absent, "w") as f:
        f.write("half")
        raise KeyboardInterrupt
    assert not absent.exists()
    assert _temporaries(tmp_path) == []


def test_unwritable_directory_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError), atomic_write(tmp_path / "missing" / "x.json") as f:
        f.write(b"x")


@POSIX
def test_modes_new_file_as_umask_existing_file_kept(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_bytes_atomic(tmp_path / "new", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o640
    kept = tmp_path / "kept"
    kept.write_bytes(b"x")
    kept.chmod(0o604)
    write_bytes_atomic(kept, b"y")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604


@POSIX
def test_symlink_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_bytes_atomic(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


@POSIX
def test_a_pipe_is_written_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_bytes_atomic(fifo, b"through the pipe")
    reader.join(timeout=10)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_writers_leftover_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "roster.jsonl"
    leftover = tmp_path / f".roster.jsonl.cs-{_dead_pid()}-0123abcd.tmp"
    leftover.write_bytes(b"partial")
    other = tmp_path / f".other.jsonl.cs-{_dead_pid()}-0123abcd.tmp"
    other.write_bytes(b"another target's: not touched")
    assert leftover_temporaries(target) == [leftover]
    write_bytes_atomic(target, b"whole")
    assert not leftover.exists()
    assert other.exists()
    assert target.read_bytes() == b"whole"


def test_a_live_writers_temporary_is_not_a_leftover(tmp_path: Path) -> None:
    target = tmp_path / "roster.json"
    with atomic_write(target) as f:
        f.write(b"in progress")
        (mine,) = _temporaries(tmp_path)
        assert leftover_temporaries(target) == []
        write_bytes_atomic(target, b"another writer")  # does not remove ours
        assert mine in _temporaries(tmp_path)
    assert target.read_bytes() == b"in progress"  # the last to finish wins
    assert _temporaries(tmp_path) == []


_SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from campus_security._atomic import atomic_write
    with atomic_write(sys.argv[1]) as f:
        f.write(b"partial")
        f.flush()
        print("writing", flush=True)
        time.sleep(60)
    """
)


@POSIX
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_sigterm_sigint_sighup_leave_no_temporary(tmp_path: Path, sig: int) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    with subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"writing\n"
        assert len(_temporaries(tmp_path)) == 1
        proc.send_signal(sig)
        proc.communicate(timeout=30)
    assert proc.returncode != 0
    if sig != signal.SIGINT:  # SIGINT is KeyboardInterrupt: unwinds and exits 1
        assert proc.returncode == -sig  # the process still dies of the signal
    assert _temporaries(tmp_path) == []
    assert target.read_bytes() == b"old"


@POSIX
def test_sigkill_leaves_a_leftover_the_next_write_removes(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target)], stdout=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"writing\n"
        proc.kill()
        proc.communicate(timeout=30)
    assert not target.exists()
    assert len(leftover_temporaries(target)) == 1
    write_bytes_atomic(target, b"whole")
    assert _temporaries(tmp_path) == []
    assert target.read_bytes() == b"whole"


def test_signal_handlers_are_restored(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with atomic_write(tmp_path / "x") as f:
        f.write(b"x")
    assert signal.getsignal(signal.SIGTERM) == before
