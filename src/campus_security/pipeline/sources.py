"""Sources: where schools come from, as a stream of parts.

Every roster source first gives its security companies (a guard names its company
by id, so the evaluator needs them all before the first school) and then its schools,
in roster order, as *parts*: small picklable descriptions of a run of schools that
any process can read on its own.

===================  ==========================================  =========================
source               a part is                                   split for parallel work
===================  ==========================================  =========================
:class:`JsonSource`   a byte range of whole schools of the        yes: the file is scanned
                      ``schools`` array (:mod:`.jsonscan`)        once, parts read by workers
:class:`LinesSource`  a byte range of whole school lines          yes: cut at line starts
:class:`RosterSource` schools of a roster in memory (a census     by batches of schools
                      form, a roster an application built)        (pickled to workers)
:class:`SchoolsSource` a batch of an application's own iterable   by batches, read lazily
===================  ==========================================  =========================

:func:`open_source` picks the source for a file by its suffix: ``.json`` and
``.jsonl`` are streamed; any other suffix that :func:`~campus_security.formats.read_roster`
knows (census spreadsheets: ``.xlsx``, ``.csv``...) is read by its registered reader.

A part reads its schools through a reader that collects every problem (the
roster's paths: ``schools[3].guards[0].id_number`` for JSON, ``line 7:
school.guards[0].id_number`` for JSON Lines) and checks guards' companies and
repeated ids; the source places the problems of all parts in one
:class:`~campus_security.errors.RosterError` at the end.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from ..errors import Problem, RosterError, unreadable_file
from ..formats.roster_json import (
    _check_header,
    _structure_list,
    join_path,
    loads_roster,
    problems_from_exception,
)
from ..formats.structure import Structurer
from ..model import Roster, School, SecurityCompany, Text
from .jsonl import (
    MAX_PROBLEMS,
    LineProblem,
    LineReader,
    LinesRoster,
    SchoolReader,
    count_lines,
    duplicate_text,
    iter_lines,
    open_lines,
)
from .jsonscan import JsonSyntaxError, scan_roster
from .parallel import PART_BYTES, split
from .parts import Part

if TYPE_CHECKING:
    from .stream import PartResult

__all__ = [
    "PART_BYTES",
    "PART_SCHOOLS",
    "ElementReader",
    "JsonPart",
    "JsonSource",
    "LinesPart",
    "LinesSource",
    "Part",
    "PartChecker",
    "RosterSource",
    "SchoolsPart",
    "SchoolsSource",
    "Source",
    "open_source",
]

PART_SCHOOLS = 500
"""Schools in a part of a source held in memory."""
COUNT_LINES = 10_000
"""School lines of a JSON Lines roster counted before reading (the count decides whether the
text report lists schools); beyond, the count is left unknown."""
JSON_PART_BYTES = 2 << 20
"""Default size of a part of a JSON roster: parsed at once, a part takes some ten times its
size in memory."""
CUT_BYTES = 256 << 10
"""The scanner cuts a JSON roster's schools array about this often (parts merge cuts)."""
HEAD_VALUE = 1 << 20
"""Top-level values other than the arrays are read for the header check up to this size."""
SMALL_FILE = 64 << 20
"""A JSON roster the scanner cannot follow is re-read whole, for the exact error, below this."""


class ElementReader(SchoolReader):
    """Checks schools of the JSON roster format's ``schools`` array (or a roster in memory).

    Problems carry the school's index and its roster path (``schools[3].enrollment``).
    Like :class:`~campus_security.pipeline.jsonl.LineReader`, with ``seen`` repeated
    ids are found on the spot, otherwise ``ids`` and ``id_lines`` collect them.
    """

    def element(self, index: int, doc: Any) -> School | None:
        """The school of element ``index`` of the array, or ``None`` (problems noted)."""
        try:
            school = self.structurer.school(doc)
        except Exception as exc:
            for p in problems_from_exception(exc, f"schools[{index}]"):
                self.problem(index, p.path, p.message)
            return None
        return self.check(index, school)

    def check(self, index: int, school: School) -> School | None:
        """``school`` if its guards' companies are known (problems noted); ids recorded."""
        ok = True
        for j, g in enumerate(school.guards):
            if g.company_id is not None and g.company_id not in self.known:
                ok = False
                self.problem(
                    index,
                    f"schools[{index}].guards[{j}].company_id",
                    Text(
                        f"保安员所属企业不在名册中：{g.company_id}",
                        f"the guard's company is not in the roster: {g.company_id}",
                    ),
                )
        seen = self.seen
        if seen is None:
            self.ids.append(school.id)
            self.id_lines.append(index)
        elif school.id in seen:
            self.problem(index, f"schools[{index}].id", duplicate_text(school.id))
        else:
            seen.add(school.id)
        return school if ok else None


# --- parts ---------------------------------------------------------------------------------


@attrs.frozen
class LinesPart:
    """School lines of a JSON Lines roster that begin in bytes ``[start, end)``."""

    index: int
    path: str
    start: int
    end: int | None

    @property
    def size(self) -> int:
        """Bytes of the part."""
        return 0 if self.end is None else self.end - self.start

    def reader(
        self, companies: Iterable[SecurityCompany], structurer: Structurer, seen: set[str] | None
    ) -> LineReader:
        """A line reader (problems numbered from the part's first line)."""
        return LineReader(companies, structurer=structurer, seen=seen)

    def schools(self, reader: LineReader) -> Iterator[School]:
        """Every valid school line of the part."""
        with open(self.path, "rb") as f:
            for i, data in iter_lines(f, self.start, self.end):
                school = reader.school(i, data)
                if school is not None:
                    yield school


@attrs.frozen
class JsonPart:
    """``count`` whole schools of a JSON roster's array in ``[start, end)``, from ``first``."""

    index: int
    path: str
    start: int
    end: int
    first: int
    count: int

    @property
    def size(self) -> int:
        """Bytes of the part."""
        return self.end - self.start

    def reader(
        self, companies: Iterable[SecurityCompany], structurer: Structurer, seen: set[str] | None
    ) -> ElementReader:
        """An element reader (problems at their roster paths)."""
        return ElementReader(companies, structurer=structurer, seen=seen)

    def schools(self, reader: ElementReader) -> Iterator[School]:
        """Every valid school of the part, parsed by orjson one part at a time."""
        with open(self.path, "rb") as f:
            f.seek(self.start)
            data = f.read(self.end - self.start)
        try:
            docs = orjson.loads(b"[" + data + b"]")
        except orjson.JSONDecodeError as exc:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as bad:  # located as the whole-file reader locates it
                offset = self.start + bad.start
                line, column = _line_column(self.path, offset)
                byte = data[bad.start : bad.start + 1].hex().upper()
                message = Text(
                    f"不是有效的 UTF-8 文本：文件第{offset + 1}字节（0x{byte}）无法解码；"
                    "名册应以 UTF-8 编码保存",
                    f"not valid UTF-8 text: byte {offset + 1} of the file (0x{byte}) cannot be "
                    "decoded; save the roster as UTF-8",
                )
            else:
                offset = self.start + max(0, exc.pos - 1)
                line, column = _line_column(self.path, offset)
                message = _not_json(exc.msg)
            reader.problem(self.first, f"line {line}, column {column}", message)
            return
        del data
        docs.reverse()  # pop from the end: each parsed school is freed once structured
        first = self.first
        for k in range(len(docs)):
            school = reader.element(first + k, docs.pop())
            if school is not None:
                yield school


@attrs.frozen
class SchoolsPart:
    """A batch of schools held in memory, the first at index ``first`` of the roster."""

    index: int
    schools_: tuple[School, ...]
    first: int

    @property
    def size(self) -> int:
        """Schools in the batch."""
        return len(self.schools_)

    def reader(
        self, companies: Iterable[SecurityCompany], structurer: Structurer, seen: set[str] | None
    ) -> ElementReader:
        """An element reader (checks companies and repeated ids)."""
        return ElementReader(companies, structurer=structurer, seen=seen)

    def schools(self, reader: ElementReader) -> Iterator[School]:
        """The batch's schools whose guards' companies are known."""
        for k, school in enumerate(self.schools_):
            checked = reader.check(self.first + k, school)
            if checked is not None:
                yield checked


def _not_json(msg: str) -> Text:
    return Text(f"不是有效的 JSON：{msg}", f"not valid JSON: {msg}")


def _line_column(path: str, offset: int) -> tuple[int, int]:
    """Line and column (from 1) of a byte offset of a file."""
    line = count_lines(path, offset) + 1
    with open(path, "rb") as f:
        back = min(offset, 1 << 16)
        f.seek(offset - back)
        before = f.read(back)
    nl = before.rfind(b"\n")
    column = len(before[nl + 1 :].decode("utf-8", "replace")) + 1
    return line, column


# --- sources -------------------------------------------------------------------------------


class Source(abc.ABC):
    """A roster source: its companies, then its schools as parts, in roster order.

    :meth:`open` reads what comes before the schools (and raises
    :class:`~campus_security.errors.RosterError` for a roster that cannot be read at
    all); :meth:`parts` gives the parts; :meth:`place` turns the problems the parts
    found into the roster's problems. ``count`` is the number of schools when it is
    known before reading them, ``size`` the bytes to read (for progress), ``splits``
    whether parts are read from a file by each process itself.
    """

    name: str = "<schools>"
    companies: tuple[SecurityCompany, ...] = ()
    count: int | None = None
    size: int = 0
    splits: bool = False

    def open(self, structurer: Structurer | None = None) -> None:
        """Read the companies (and whatever else comes before the schools).

        A source whose companies are given when it is made has nothing to read.
        """
        return None

    @abc.abstractmethod
    def parts(self, part_bytes: int | None = None, jobs: int = 1) -> Iterator[Part]:
        """The schools as parts, in roster order."""

    def duplicate(self, position: int, school_id: str) -> LineProblem:
        """The problem of a school id repeated at ``position`` (found across parts)."""
        return LineProblem(position, f"schools[{position}].id", duplicate_text(school_id))

    def place(self, found: Sequence[tuple[Part, Sequence[LineProblem]]]) -> list[Problem]:
        """The roster's problems, in roster order, from the problems each part found."""
        out = []
        for _part, problems in found:
            out += [Problem(p.path, p.message, self.name) for p in problems]
        return out


class JsonSource(Source):
    """A file in the JSON roster format, read one part of the ``schools`` array at a time."""

    splits = True

    def __init__(self, path: str | PathLike[str], *, cut_bytes: int = CUT_BYTES) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.cut_bytes = cut_bytes
        self._roster: Roster | None = None
        self._ranges: list[tuple[int, int, int, int]] = []

    def open(self, structurer: Structurer | None = None) -> None:
        """Scan the file; check the header; read the companies."""
        try:
            f = self.path.open("rb")
            size = self.path.stat().st_size
        except OSError as exc:
            raise unreadable_file(self.name, exc) from None
        with f:
            try:
                scan = scan_roster(f, self.cut_bytes)
            except JsonSyntaxError as exc:
                if size <= SMALL_FILE:  # re-read whole for exactly the reader's message
                    f.seek(0)
                    self._roster = loads_roster(f.read(), source=self.name)
                    self.companies = self._roster.companies
                    self.count = len(self._roster.schools)
                    self.size = size
                    return
                line, column = _line_column(str(self.path), exc.offset)
                what = Text(f"不是有效的 JSON：{exc.message_zh}", f"not valid JSON: {exc.message}")
                raise RosterError(
                    [Problem(f"line {line}, column {column}", what, self.name)], self.name
                ) from None
            head: dict[str, Any] = {}
            problems: list[Problem] = []
            for key, (start, end) in scan.values.items():
                if key not in ("format", "version", "companies") and end - start > HEAD_VALUE:
                    continue  # an unknown field, named below; its value is not needed
                f.seek(start)
                try:
                    head[key] = orjson.loads(f.read(end - start))
                except orjson.JSONDecodeError as exc:
                    line, column = _line_column(str(self.path), start + max(0, exc.pos - 1))
                    raise RosterError(
                        [Problem(f"line {line}, column {column}", _not_json(exc.msg))],
                        self.name,
                    ) from None
        bad = _check_header(head)
        if bad:
            raise RosterError([Problem(p.path, p.message, self.name) for p in bad], self.name)
        problems += [
            Problem(
                join_path("", k),
                Text(
                    "未知字段（本格式中没有此字段）",
                    "unknown field (this format has no such field)",
                ),
            )
            for k in sorted(set(scan.keys) - {"format", "version", "companies", "schools"})
        ]
        if scan.schools_kind not in (None, b"["):
            got = "object" if scan.schools_kind == b"{" else "value"
            problems.append(
                Problem("schools", Text(f"应为数组，实为{got}", f"expected an array, got {got}"))
            )
        companies = _structure_list(
            head.get("companies", []), SecurityCompany, "companies", problems
        )
        seen: set[str] = set()
        for i, c in enumerate(companies):
            if c.id in seen:
                problems.append(
                    Problem(
                        f"companies[{i}].id",
                        Text(f"企业编号重复：{c.id}", f"duplicate company id: {c.id}"),
                    )
                )
            seen.add(c.id)
        if problems:
            raise RosterError([Problem(p.path, p.message, self.name) for p in problems], self.name)
        self.companies = tuple(companies)
        self.count = scan.schools
        self.size = size
        self._ranges = [(r.start, r.end, r.first, r.count) for r in scan.ranges]

    def parts(self, part_bytes: int | None = None, jobs: int = 1) -> Iterator[Part]:
        """Byte ranges of about ``part_bytes`` (merged from the scan's cuts)."""
        if self._roster is not None:
            yield from RosterSource(self._roster, name=self.name).parts(part_bytes, jobs)
            return
        want = _part_bytes(self.size, jobs, part_bytes, JSON_PART_BYTES)
        name = str(self.path)
        index = 0
        pending: list[tuple[int, int, int, int]] = []
        for r in self._ranges:
            pending.append(r)
            if pending[-1][1] - pending[0][0] >= want:
                yield _merge(index, name, pending)
                index += 1
                pending = []
        if pending:
            yield _merge(index, name, pending)


def _merge(index: int, name: str, ranges: list[tuple[int, int, int, int]]) -> JsonPart:
    start, _e, first, _c = ranges[0]
    end = ranges[-1][1]
    return JsonPart(index, name, start, end, first, sum(r[3] for r in ranges))


def _part_bytes(size: int, jobs: int, part_bytes: int | None, most: int = PART_BYTES) -> int:
    """Parts small enough that every worker gets several (for balance and progress)."""
    if part_bytes is not None:
        return max(1, part_bytes)
    return max(1 << 16, min(most, max(1, size) // max(1, 4 * jobs)))


class LinesSource(Source):
    """A JSON Lines roster (``.jsonl``): header, company lines, school lines."""

    splits = True

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.roster: LinesRoster | None = None

    def open(self, structurer: Structurer | None = None) -> None:
        """Read the header and the company lines; count the school lines (up to a limit)."""
        roster = self.roster = open_lines(self.path, structurer=structurer)
        self.companies = roster.companies
        self.size = roster.size - roster.schools_offset
        count = 0
        with self.path.open("rb") as f:
            for _i, line in iter_lines(f, roster.schools_offset):
                count += bool(line.strip())
                if count > COUNT_LINES:
                    return  # a big roster: the count is not needed
        self.count = count

    def parts(self, part_bytes: int | None = None, jobs: int = 1) -> Iterator[Part]:
        """Byte ranges cut at line starts."""
        assert self.roster is not None, "open() first"
        want = _part_bytes(self.size, jobs, part_bytes)
        for index, (start, end) in enumerate(split(self.roster, want)):
            yield LinesPart(index, str(self.path), start, end)

    def duplicate(self, position: int, school_id: str) -> LineProblem:
        """A repeated id on line ``position`` of its part."""
        return LineProblem(position, "school.id", duplicate_text(school_id))

    def place(self, found: Sequence[tuple[Part, Sequence[LineProblem]]]) -> list[Problem]:
        """Line numbers placed from each part's first line (counting newlines only then)."""
        roster = self.roster
        assert roster is not None
        placed: list[Problem] = []
        for part, problems in found:
            start = part.start if isinstance(part, LinesPart) else roster.schools_offset
            first = (
                roster.schools_line
                if start == roster.schools_offset
                else count_lines(roster.path, start) + 1
            )
            placed += [
                p.problem(first, roster.source) for p in sorted(problems, key=lambda p: p.line)
            ]
        return placed


class RosterSource(Source):
    """A roster in memory: a census form read by its reader, or one an application built."""

    def __init__(self, roster: Roster, *, name: str = "<roster>") -> None:
        self.roster = roster
        self.name = name
        self.companies = roster.companies
        self.count = len(roster.schools)

    def parts(self, part_bytes: int | None = None, jobs: int = 1) -> Iterator[Part]:
        """Batches of ``PART_SCHOOLS`` schools."""
        return _batches(iter(self.roster.schools), PART_SCHOOLS)


class SchoolsSource(Source):
    """An application's own iterable of :class:`~campus_security.model.School` (read once)."""

    def __init__(
        self,
        schools: Iterable[School],
        companies: Iterable[SecurityCompany] = (),
        *,
        name: str = "<schools>",
    ) -> None:
        self._schools = schools
        self.companies = tuple(companies)
        self.name = name
        if isinstance(schools, Sequence):
            self.count = len(schools)

    def parts(self, part_bytes: int | None = None, jobs: int = 1) -> Iterator[Part]:
        """Batches of ``PART_SCHOOLS`` schools, taken from the iterable as needed."""
        return _batches(iter(self._schools), PART_SCHOOLS)


def _batches(schools: Iterator[School], size: int) -> Iterator[Part]:
    index = first = 0
    while True:
        batch = tuple(islice(schools, size))
        if not batch:
            return
        yield SchoolsPart(index, batch, first)
        index += 1
        first += len(batch)


def _census_source(path: Path) -> Source:
    from ..formats import read_roster

    return RosterSource(read_roster(path), name=str(path))


_SOURCES: dict[str, Callable[[Path], Source]] = {".json": JsonSource, ".jsonl": LinesSource}


def open_source(path: str | PathLike[str]) -> Source:
    """The source for a roster file, by its suffix (not yet opened).

    ``.json`` and ``.jsonl`` stream; any other suffix is read whole by the reader
    :func:`~campus_security.formats.register_reader` registered for it (census forms).
    """
    p = Path(path)
    make = _SOURCES.get(p.suffix.lower())
    if make is not None:
        return make(p)
    return _LazySource(p)


class _LazySource(Source):
    """A file read whole by its registered reader when opened (census forms)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)
        self._inner: Source | None = None

    def open(self, structurer: Structurer | None = None) -> None:
        """Read the file with its registered reader."""
        self._inner = inner = _census_source(self.path)
        self.companies = inner.companies
        self.count = inner.count

    def parts(self, part_bytes: int | None = None, jobs: int = 1) -> Iterator[Part]:
        """The roster's schools in batches."""
        assert self._inner is not None, "open() first"
        return self._inner.parts(part_bytes, jobs)


# --- problems across parts ------------------------------------------------------------------


class PartChecker:
    """Collects the problems of parts handed over in roster order, and ids repeated across them.

    Only the ids seen so far and the parts that had problems are kept; the source
    places the problems at the end (:meth:`~campus_security.pipeline.sources.Source.place`).
    """

    def __init__(
        self, source: Source | LinesRoster, elsewhere: Mapping[str, str] | None = None
    ) -> None:
        if isinstance(source, LinesRoster):  # as 0.1 called it, for a JSON Lines roster
            lines = LinesSource(source.path)
            lines.roster = source
            source = lines
        self.source = source
        self.elsewhere: Mapping[str, str] = elsewhere or {}
        """School ids of the rosters read before this one in the same run, to their roster."""
        self.count = 0
        self._seen: set[str] = set()
        self._problems: list[tuple[Any, list[LineProblem]]] = []

    @property
    def seen(self) -> set[str]:
        """The school ids of the parts taken in so far."""
        return self._seen

    def add(self, part: PartResult) -> None:
        """Take in the next part's problems and ids (an id of an earlier roster is one)."""
        found = list(part.problems)
        count = part.problem_count
        seen, elsewhere = self._seen, self.elsewhere
        for sid, line in zip(part.ids, part.id_lines, strict=True):
            if sid in seen:
                count += 1
                found.append(self.source.duplicate(line, sid))
            elif sid in elsewhere:
                count += 1
                other = elsewhere[sid]
                here = self.source.duplicate(line, sid)
                found.append(
                    attrs.evolve(
                        here,
                        message=Text(
                            f"学校编号 {sid} 也在名册 {other} 中",
                            f"school id {sid} is also in roster {other}",
                        ),
                    )
                )
            seen.add(sid)
        if count:
            self.count += count
            self._problems.append((part.part, sorted(found, key=lambda p: p.line)))

    def finish(self) -> None:
        """Raise :class:`RosterError` listing every problem, if there was any."""
        if not self.count:
            return
        placed = self.source.place(self._problems)
        shown = placed[:MAX_PROBLEMS]
        if self.count > len(shown):
            more = self.count - len(shown)
            shown.append(
                Problem(
                    "…",
                    Text(f"另有{more}处错误未列出", f"{more} more problem(s) not listed"),
                    self.source.name,
                )
            )
        raise RosterError(shown, self.source.name)
