"""Atomic file writes: every file the library writes goes through :func:`atomic_write`.

A reader of the target sees either what was there before (or nothing) or the whole new
file, never a part of it, whatever happens to the writing process::

    from campus_security._atomic import atomic_write, write_bytes_atomic

    with atomic_write(path) as f:            # binary; atomic_write(path, "w") for text
        for chunk in chunks:
            f.write(chunk)                  # an exception here leaves the target as it was
    write_bytes_atomic(path, data)          # the same for one buffer (write_text_atomic too)

How: the data go to a temporary file in the target's directory (same file system, so
the rename is atomic), named ``.<target name>.cs-<pid>-<random>.tmp`` (hidden, and
recognisable as ours). On success the file is flushed and fsync'ed, given the target's
permissions (an existing target's mode, else an ordinary new file's: 0666 less the
umask), renamed over the target with :func:`os.replace`, and the directory is fsync'ed
so that the rename itself survives a power cut.

When the temporary file is not renamed:

* an exception in the ``with`` body (a :class:`~campus_security.errors.RosterError`
  found while streaming, an ``OSError`` such as a full disk): it is removed and the
  exception goes on;
* SIGINT (Ctrl-C): while a temporary file is open, and only if Python's default
  handler is in place, the handler removes this process's temporary files at once
  and then raises ``KeyboardInterrupt`` as Python would;
* SIGTERM or SIGHUP, whose default action ends the process without unwinding: while a
  temporary file is open, and only if the signal's handler is the default one (an
  application's own handler is left alone), a handler removes this process's temporary
  files and then delivers the signal again with its default action, so the process ends
  exactly as it would have (same exit status) but leaves nothing behind;
* SIGKILL (and power cuts) cannot be caught: the temporary file stays. It is harmless
  (hidden, never read as the target) and the next write to the same target removes it
  once its process is gone (on POSIX the writer also holds an advisory ``flock`` on it,
  so a live writer's file is never taken for a leftover).

A target that exists but is not a regular file (``/dev/stdout``, a named pipe) is
written directly: there is nothing to replace. Symbolic links are followed: the file
they point to is replaced, the link stays.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

if sys.platform != "win32":
    import fcntl

__all__ = ["atomic_write", "leftover_temporaries", "write_bytes_atomic", "write_text_atomic"]

_NAME_ROOM = 120  # of the target's name kept in the temporary's (NAME_MAX is 255 bytes)
_TEMP = re.compile(r"^\.(?P<name>.*)\.cs-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$", re.DOTALL)

# Temporary files being written, by path, with the pid that owns each (a forked child
# inherits this table but must not remove its parent's files).
_active: dict[str, int] = {}
_lock = threading.RLock()
_CAUGHT = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))
_installed: dict[int, Any] = {}


def _temp_prefix(target: Path) -> str:
    return f".{target.name[:_NAME_ROOM]}.cs-"


def _temp_path(target: Path) -> Path:
    return target.with_name(f"{_temp_prefix(target)}{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _remove_own_temporaries() -> None:
    me = os.getpid()
    for path, owner in list(_active.items()):
        if owner == me:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    _remove_own_temporaries()
    if signum == signal.SIGINT:
        signal.default_int_handler(signum, frame)  # KeyboardInterrupt, as without us
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)  # die of it, as without this handler


def _install() -> None:
    """Catch SIGINT/SIGTERM/SIGHUP while temporaries exist (main thread, default handlers)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (*_CAUGHT, signal.SIGINT):
        if sig in _installed:
            continue
        with contextlib.suppress(ValueError, OSError):
            current = signal.getsignal(sig)
            default = signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL
            if current == default:
                signal.signal(sig, _on_signal)
                _installed[sig] = current


def _uninstall() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for sig, previous in list(_installed.items()):
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(sig) is _on_signal:
                signal.signal(sig, previous)
        del _installed[sig]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return False  # an open file cannot be removed on Windows: unlink tells
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _unlink_if_abandoned(path: Path) -> bool:
    if sys.platform == "win32":
        try:
            path.unlink()
        except OSError:
            return False  # open in a live process, or already gone
        return True
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a live writer holds it
        try:
            path.unlink()
        except OSError:
            return False
        return True
    finally:
        os.close(fd)


def leftover_temporaries(target: str | os.PathLike[str]) -> list[Path]:
    """The temporary files of writes to ``target`` whose process is gone (killed)."""
    t = Path(os.path.realpath(target))
    prefix = _temp_prefix(t)
    found = []
    try:
        entries = list(os.scandir(t.parent))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        m = _TEMP.match(entry.name)
        if m and not _alive(int(m["pid"])):
            found.append(Path(entry.path))
    return found


def _sweep(target: Path) -> None:
    for path in leftover_temporaries(target):
        _unlink_if_abandoned(path)


def _fsync_directory(directory: Path) -> None:
    if sys.platform == "win32":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename stands
    finally:
        os.close(fd)


@overload
def atomic_write(
    path: str | os.PathLike[str],
    mode: Literal["wb"] = "wb",
    *,
    encoding: None = None,
    newline: None = None,
) -> contextlib.AbstractContextManager[BinaryIO]: ...


@overload
def atomic_write(
    path: str | os.PathLike[str],
    mode: Literal["w"],
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> contextlib.AbstractContextManager[TextIO]: ...


def atomic_write(
    path: str | os.PathLike[str],
    mode: Literal["wb", "w"] = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
) -> contextlib.AbstractContextManager[IO[Any]]:
    """A file to write ``path`` through, put in place only when the block ends normally.

    ``mode`` is ``"wb"`` (a binary file, the default) or ``"w"`` (text; ``encoding``
    defaults to UTF-8, ``newline`` as for :func:`open`). Raises ``OSError`` when the
    temporary file cannot be made or the rename fails (the target is then unchanged).
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', not {mode!r}")
    return _atomic(Path(path), mode, encoding or "utf-8", newline)


@contextlib.contextmanager
def _atomic(path: Path, mode: str, encoding: str, newline: str | None) -> Iterator[IO[Any]]:
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = os.stat(target)
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):  # a device or a pipe: no rename
        if mode == "wb":
            with open(target, "wb") as direct:
                yield direct
        else:
            with open(target, "w", encoding=encoding, newline=newline) as direct:
                yield direct
        return
    _sweep(target)
    tmp = _temp_path(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    with _lock:  # known before it exists: a signal at any moment after finds it
        if not _active:
            _install()
        _active[str(tmp)] = os.getpid()
    try:
        fd = os.open(tmp, flags, 0o666)  # the umask applies: an ordinary new file
        try:
            if sys.platform != "win32":
                with contextlib.suppress(OSError):
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # see leftover_temporaries
            if mode == "wb":
                f: IO[Any] = os.fdopen(fd, "wb")
            else:
                f = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        except BaseException:
            os.close(fd)
            raise
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if st is not None:
            with contextlib.suppress(OSError):
                os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        with _lock:
            _active.pop(str(tmp), None)
            if not _active:
                _uninstall()
    _fsync_directory(target.parent)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path) as f:
        f.write(data)


def write_text_atomic(
    path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8", newline: str | None = None
) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, "w", encoding=encoding, newline=newline) as f:
        f.write(text)
