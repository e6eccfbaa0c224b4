"""Which reader opens which roster file: a registry keyed by file suffix.

The JSON roster format is built in; other formats (census spreadsheets, JSON Lines)
register their readers here, so ``campus-security check`` and :func:`read_roster`
accept every format the installation knows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from os import PathLike
from pathlib import Path

from ..errors import Problem, RosterError
from ..model import Roster, Text
from .roster_json import load_roster

__all__ = ["read_roster", "register_reader", "registered_suffixes"]

Reader = Callable[[Path], Roster]


def _load_lines(path: Path) -> Roster:
    """JSON Lines (``.jsonl``), loaded whole; ``campus-security check`` streams it instead."""
    from ..pipeline.jsonl import load_lines

    return load_lines(path)


_READERS: dict[str, Reader] = {".json": load_roster, ".jsonl": _load_lines}


def register_reader(suffixes: Iterable[str], reader: Reader) -> None:
    """Let :func:`read_roster` open files ending in ``suffixes`` with ``reader``."""
    for suffix in suffixes:
        _READERS[suffix.lower()] = reader


def registered_suffixes() -> tuple[str, ...]:
    """The file suffixes :func:`read_roster` can open."""
    return tuple(sorted(_READERS))


def read_roster(path: str | PathLike[str]) -> Roster:
    """Read a roster in any registered format, chosen by the file's suffix."""
    p = Path(path)
    reader = _READERS.get(p.suffix.lower())
    if reader is None:
        known = ", ".join(registered_suffixes())
        raise RosterError(
            [
                Problem(
                    "$",
                    Text(
                        f"不支持的文件类型 {p.suffix!r}（支持：{known}）",
                        f"unsupported file type {p.suffix!r} (supported: {known})",
                    ),
                    str(p),
                )
            ],
            str(p),
        )
    return reader(p)
