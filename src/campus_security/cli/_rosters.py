"""The rosters ``check`` reads: files, or ``-`` for standard input.

Standard input is read whole into a temporary file (the workers of ``--jobs`` and
``--dask`` read their parts from a file) and its format is told from its first bytes:
a zip archive (``PK``) is an ``.xlsx`` census workbook; text whose first line is a
JSON Lines roster's header (``"format": "campus-security/roster-lines"``) is JSON
Lines; any other text is read as a JSON roster (whose errors then say what is wrong).
Other spreadsheets (``.xls``, ``.ods``, ``.csv``) are not told apart from standard
input: give them as files. In messages and reports standard input is named ``-``.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import click
import orjson

from ..errors import Problem, RosterError
from ..formats.structure import Structurer
from ..pipeline.jsonl import LINES_FORMAT, LineProblem
from ..pipeline.parts import Part
from ..pipeline.sources import Source, open_source

__all__ = ["STDIN", "open_rosters", "sniff_suffix"]

STDIN = "-"
"""How standard input is named on the command line, in messages and in reports."""

_ZIP = b"PK\x03\x04"


def sniff_suffix(head: bytes) -> str:
    """The suffix of the roster format whose file begins with ``head`` (see the module)."""
    if head.startswith(_ZIP):
        return ".xlsx"
    first = head.removeprefix(b"\xef\xbb\xbf").lstrip().split(b"\n", 1)[0]
    try:
        doc = orjson.loads(first)
    except orjson.JSONDecodeError:
        return ".json"
    return ".jsonl" if isinstance(doc, dict) and doc.get("format") == LINES_FORMAT else ".json"


def _spool(stream: BinaryIO, folder: Path) -> Path:
    """Standard input copied to a file in ``folder`` named by its format."""
    head = stream.read(1 << 16)
    path = folder / f"stdin{sniff_suffix(head)}"
    with path.open("wb") as f:
        f.write(head)
        while chunk := stream.read(1 << 20):
            f.write(chunk)
    return path


class Renamed(Source):
    """A source under another name (standard input's temporary file, named ``-``)."""

    def __init__(self, inner: Source, name: str) -> None:
        self.inner = inner
        self.name = name
        self.splits = inner.splits

    def open(self, structurer: Structurer | None = None) -> None:
        """Open the inner source; its problems are this name's."""
        try:
            self.inner.open(structurer)
        except RosterError as exc:
            raise RosterError(exc.problems, self.name) from None
        self.companies, self.count, self.size = (
            self.inner.companies,
            self.inner.count,
            self.inner.size,
        )

    def parts(self, part_bytes: int | None = None, jobs: int = 1) -> Iterator[Part]:
        """The inner source's parts."""
        return self.inner.parts(part_bytes, jobs)

    def duplicate(self, position: int, school_id: str) -> LineProblem:
        """As the inner source says it."""
        return self.inner.duplicate(position, school_id)

    def place(self, found: Sequence[tuple[Part, Sequence[LineProblem]]]) -> list[Problem]:
        """As the inner source places them."""
        return self.inner.place(found)


@contextlib.contextmanager
def open_rosters(rosters: Sequence[Path], stdin: BinaryIO | None = None) -> Iterator[list[Source]]:
    """A source for each roster named on the command line, ``-`` for standard input.

    ``-`` may be given once; a file given twice is a usage error (its schools would all
    be repeated). The temporary file of standard input lasts as long as the context.
    """
    names = [str(r) for r in rosters]
    if names.count(STDIN) > 1:
        raise click.UsageError(
            "标准输入（-）只能读取一次 / standard input (-) can be read only once"
        )
    files = [Path(r) for r in rosters if str(r) != STDIN]
    resolved = [f.resolve() for f in files]
    twice = sorted({str(f) for f in files if resolved.count(f.resolve()) > 1})
    if twice:
        raise click.UsageError(
            f"同一名册给了两次 / the same roster is given twice: {', '.join(twice)}"
        )
    with tempfile.TemporaryDirectory(prefix="campus-security-") as tmp:
        sources: list[Source] = []
        for r in rosters:
            if str(r) == STDIN:
                stream = stdin if stdin is not None else sys.stdin.buffer
                sources.append(Renamed(open_source(_spool(stream, Path(tmp))), STDIN))
            else:
                sources.append(open_source(r))
        yield sources
