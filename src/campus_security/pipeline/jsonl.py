"""The JSON Lines roster format: one school per line, read and evaluated as a stream.

A JSON Lines roster (``.jsonl``) is UTF-8 text, one JSON object per line::

    {"format": "campus-security/roster-lines", "version": "1.0"}
    {"company": {"id": "C320001", "name": "...", "permit_number": "..."}}
    {"school": {"id": "S0000001", "name": "...", "region_code": "320102", ...}}
    {"school": {...}}

- line 1 is the header: the format and its version, nothing else;
- then the security companies, one ``{"company": {...}}`` per line, all of them before
  the first school, so that a reader knows every company when it meets the guards
  that refer to them (by ``company_id``);
- then the schools, one ``{"school": {...}}`` per line, in any order.

A company or school object is exactly what the JSON roster format holds in its
``companies`` and ``schools`` arrays (same fields, same strictness, defaults omitted
when writing), so a roster converts between the two formats without loss. Blank
lines are ignored.

Reading reports every problem with its line and path
(``line 7: school.guards[0].id_number``), in Chinese and English, as
:class:`~campus_security.errors.RosterError`. A stream cannot refuse a roster before
it has read it: the schools before a bad line have been read (and, when evaluating,
evaluated) by the time the error is raised at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import attrs
import orjson

from .._atomic import write_bytes_atomic
from ..errors import Problem, RosterError, unreadable_file
from ..formats.roster_json import (
    MASKED,
    PERSONAL_DATA,
    join_path,
    json_error,
    mask_document,
    masked_roster_text,
    problems_from_exception,
    short_repr,
    unstructure,
)
from ..formats.structure import Structurer
from ..model import Roster, School, SecurityCompany, Text

__all__ = [
    "LINES_FORMAT",
    "LINES_VERSION",
    "SUPPORTED_LINES_VERSIONS",
    "LineProblem",
    "LineReader",
    "LinesRoster",
    "SchoolReader",
    "batched",
    "count_lines",
    "dump_lines",
    "dumps_lines",
    "duplicate_text",
    "header_line",
    "iter_lines",
    "load_lines",
    "object_line",
    "open_lines",
    "raise_problems",
    "read_schools",
]

LINES_FORMAT = "campus-security/roster-lines"
LINES_VERSION = "1.0"
SUPPORTED_LINES_VERSIONS = frozenset({"1.0"})
MAX_PROBLEMS = 1000
"""Problems kept for the error report; the count goes on beyond it."""

T = TypeVar("T")


def header_line(*, mask_personal_data: bool = False) -> bytes:
    """The header line of a JSON Lines roster, with its newline.

    A roster written with its personal data masked says so in its header
    (``"personal_data": "masked"``), and the reader refuses it.
    """
    doc = {"format": LINES_FORMAT, "version": LINES_VERSION}
    if mask_personal_data:
        doc[PERSONAL_DATA] = MASKED
    return orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE)


def object_line(key: str, obj: Any, *, mask_personal_data: bool = False) -> bytes:
    """One ``{"school": {...}}`` or ``{"company": {...}}`` line, with its newline."""
    data = unstructure(obj)
    if mask_personal_data:
        data = mask_document(data)
    return orjson.dumps({key: data}, option=orjson.OPT_APPEND_NEWLINE)


def dumps_lines(roster: Roster, *, mask_personal_data: bool = False) -> bytes:
    """A roster as JSON Lines bytes: header, companies, schools.

    ID numbers are written in full unless ``mask_personal_data`` (see :func:`header_line`).
    """
    m = mask_personal_data
    parts = [header_line(mask_personal_data=m)]
    parts += [object_line("company", c, mask_personal_data=m) for c in roster.companies]
    parts += [object_line("school", s, mask_personal_data=m) for s in roster.schools]
    return b"".join(parts)


def dump_lines(roster: Roster, path: str | PathLike[str]) -> None:
    """Write a roster as a JSON Lines file (atomically: the old file or the whole new one)."""
    write_bytes_atomic(path, dumps_lines(roster))


# --- problems -----------------------------------------------------------------------------


@attrs.frozen
class LineProblem:
    """A problem on a line of a part of the file whose first line number may not be known.

    ``line`` counts from 0 at the first line of the part; :meth:`problem` places it.
    """

    line: int
    path: str
    message: Text

    def problem(self, first_line: int, source: str | None) -> Problem:
        """The problem, with ``first_line`` the file's line number of the part's first line."""
        where = f"line {first_line + self.line}"
        return Problem(f"{where}: {self.path}" if self.path else where, self.message, source)


def _text(zh: str, en: str) -> Text:
    return Text(zh, en)


def duplicate_text(sid: str) -> Text:
    """The message for a repeated school id."""
    return _text(f"学校编号重复：{sid}", f"duplicate school id: {sid}")


def _not_json(data: bytes, exc: orjson.JSONDecodeError) -> tuple[str, Text]:
    """The column (on the line) and the message for a line that does not parse."""
    where, what = json_error(data, exc, scope=("该行", "the line"))
    return where.partition(", ")[2], what


# --- the header and the companies ---------------------------------------------------------------


@attrs.frozen
class LinesRoster:
    """An opened JSON Lines roster: its companies and where its schools begin.

    ``schools_offset`` is the byte offset of the first line after the companies and
    ``schools_line`` its line number (from 1); ``size`` is the file's size in bytes.
    """

    path: Path
    companies: tuple[SecurityCompany, ...]
    schools_offset: int
    schools_line: int
    size: int

    @property
    def source(self) -> str:
        """The file name, as problems cite it."""
        return str(self.path)


def _check_header(doc: Any) -> tuple[str, Text] | None:
    header = isinstance(doc, dict) and doc.get("format") == LINES_FORMAT
    if header and doc.get(PERSONAL_DATA) == MASKED:
        return PERSONAL_DATA, masked_roster_text()
    if not isinstance(doc, dict) or doc.get("format") != LINES_FORMAT:
        fmt = short_repr(doc.get("format")) if isinstance(doc, dict) else None
        return "format", _text(
            f"不是 campus-security JSON Lines 名册：首行 format 应为 {LINES_FORMAT!r}，实为 {fmt}",
            f"not a campus-security JSON Lines roster: the first line's format must be "
            f"{LINES_FORMAT!r}, got {fmt}",
        )
    version = doc.get("version")
    if not isinstance(version, str) or version not in SUPPORTED_LINES_VERSIONS:
        known = ", ".join(sorted(SUPPORTED_LINES_VERSIONS))
        return "version", _text(
            f"不支持的名册版本 {short_repr(version)}（本版本库支持：{known}）；"
            "请升级 campus-security",
            f"unsupported roster version {short_repr(version)} (this library reads: {known}); "
            "upgrade campus-security to read it",
        )
    extra = sorted(set(doc) - {"format", "version"})
    if extra:
        names = ", ".join(short_repr(k) for k in extra)
        return extra[0], _text(
            f"首行有未知字段：{names}",
            f"the header line has unknown fields: {names}",
        )
    return None


def open_lines(path: str | PathLike[str], *, structurer: Structurer | None = None) -> LinesRoster:
    """Read the header and the company lines of a JSON Lines roster.

    Raises :class:`RosterError` for a file that cannot be read, a wrong header, or bad
    company lines (every problem, with its line).
    """
    p = Path(path)
    source = str(p)
    st = structurer or Structurer()
    try:
        f = p.open("rb")
    except OSError as exc:
        raise unreadable_file(source, exc) from None
    problems: list[Problem] = []
    companies: list[SecurityCompany] = []
    seen: set[str] = set()
    with f:
        size = p.stat().st_size
        first = f.readline()
        try:
            header = orjson.loads(first) if first.strip() else None
        except orjson.JSONDecodeError as exc:
            column, what = _not_json(first, exc)
            raise RosterError([Problem(f"line 1: {column}", what, source)], source) from None
        bad = _check_header(header)
        if bad is not None:
            field, what = bad
            where = join_path("", field)
            raise RosterError([Problem(f"line 1: {where}", what, source)], source)
        line_no, offset = 1, len(first)
        for line in f:
            stripped = line.strip()
            doc: Any = None
            if stripped:
                if not stripped.startswith(b'{"company"'):
                    break  # the first school line (or a bad one, reported with the schools)
                try:
                    doc = orjson.loads(stripped)
                except orjson.JSONDecodeError:
                    break
                if not (isinstance(doc, dict) and set(doc) == {"company"}):
                    break
            line_no += 1
            offset += len(line)
            if doc is None:
                continue
            try:
                c = st.company(doc["company"])
            except Exception as exc:
                problems += [
                    LineProblem(0, p_.path, p_.message).problem(line_no, source)
                    for p_ in problems_from_exception(exc, "company")
                ]
                continue
            if c.id in seen:
                problems.append(
                    Problem(
                        f"line {line_no}: company.id",
                        _text(f"企业编号重复：{c.id}", f"duplicate company id: {c.id}"),
                        source,
                    )
                )
            seen.add(c.id)
            companies.append(c)
    if problems:
        raise RosterError(problems, source)
    return LinesRoster(p, tuple(companies), offset, line_no + 1, size)


# --- school lines -------------------------------------------------------------------------------


class SchoolReader:
    """What every reader of a roster's schools keeps: the companies, the problems, the ids.

    ``companies`` are the roster's companies: a guard whose ``company_id`` is not
    among them is a problem. Problems are kept (up to :data:`MAX_PROBLEMS`) and all
    are counted. With ``seen`` (a set, for a reader of the whole roster), a repeated
    school id is a problem found on the spot and only the set is kept; without it (a
    reader of one part), ``ids`` and ``id_lines`` collect the part's ids in order for
    the check across parts.
    """

    def __init__(
        self,
        companies: Iterable[SecurityCompany],
        *,
        structurer: Structurer | None = None,
        seen: set[str] | None = None,
    ) -> None:
        self.known = frozenset(c.id for c in companies)
        self.structurer = structurer or Structurer()
        self.problems: list[LineProblem] = []
        self.problem_count = 0
        self.seen = seen
        self.ids: list[str] = []
        """School ids in the order read (for the duplicate check across parts)."""
        self.id_lines: list[int] = []

    def problem(self, line: int, path: str, message: Text) -> None:
        """Count a problem; keep it while fewer than :data:`MAX_PROBLEMS` are kept."""
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(LineProblem(line, path, message))


class LineReader(SchoolReader):
    """Turns school lines into :class:`School` objects and collects the problems.

    ``companies`` are the roster's companies: a guard whose ``company_id`` is not
    among them is a problem. Problems are kept (up to :data:`MAX_PROBLEMS`) with the
    line they were found on, counted from 0 at the first line given.

    With ``seen`` (a set, for a reader of the whole file), a repeated school id is a
    problem found on the spot and only the set is kept; without it (a reader of one
    part of the file), ``ids`` and ``id_lines`` collect the part's ids in order for the
    check across parts (:class:`campus_security.scale.stream.PartChecker`).
    """

    def school(self, line: int, data: bytes) -> School | None:
        """The school on ``data`` (line ``line`` of the part); ``None`` for a blank or bad line."""
        if data.isspace() or not data:
            return None
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            column, what = _not_json(data, exc)
            self.problem(line, column, what)
            return None
        if not (isinstance(doc, dict) and len(doc) == 1 and "school" in doc):
            if isinstance(doc, dict) and set(doc) == {"company"}:
                msg = _text(
                    "企业行应位于全部学校行之前",
                    "company lines must come before the first school line",
                )
            else:
                msg = _text('学校行应为 {"school": {...}}', 'a school line is {"school": {...}}')
            self.problem(line, "", msg)
            return None
        try:
            school = self.structurer.school(doc["school"])
        except Exception as exc:
            for p in problems_from_exception(exc, "school"):
                self.problem(line, p.path, p.message)
            return None
        ok = True
        for j, g in enumerate(school.guards):
            if g.company_id is not None and g.company_id not in self.known:
                ok = False
                self.problem(
                    line,
                    f"school.guards[{j}].company_id",
                    _text(
                        f"保安员所属企业不在名册中：{g.company_id}",
                        f"the guard's company is not in the roster: {g.company_id}",
                    ),
                )
        seen = self.seen
        if seen is None:
            self.ids.append(school.id)
            self.id_lines.append(line)
        elif school.id in seen:
            self.problem(line, "school.id", duplicate_text(school.id))
        else:
            seen.add(school.id)
        return school if ok else None


def iter_lines(f: BinaryIO, start: int, end: int | None = None) -> Iterator[tuple[int, bytes]]:
    """Lines that begin in ``[start, end)`` of an open binary file, numbered from 0.

    ``start`` must be the beginning of a line.
    """
    f.seek(start)
    pos = start
    for i, line in enumerate(f):
        if end is not None and pos >= end:
            return
        pos += len(line)
        yield i, line


def count_lines(path: str | PathLike[str], upto: int) -> int:
    """Number of newlines in the first ``upto`` bytes (to place problems of a part)."""
    n = 0
    with open(path, "rb") as f:
        left = upto
        while left > 0:
            block = f.read(min(left, 1 << 24))
            if not block:
                break
            n += block.count(b"\n")
            left -= len(block)
    return n


def read_schools(roster: LinesRoster, *, structurer: Structurer | None = None) -> Iterator[School]:
    """Every valid school of an opened JSON Lines roster, in file order, one at a time.

    After the last school, raises :class:`RosterError` listing every problem found
    (bad lines, unknown companies, duplicate ids).
    """
    reader = LineReader(roster.companies, structurer=structurer, seen=set())
    with roster.path.open("rb") as f:
        for i, data in iter_lines(f, roster.schools_offset):
            school = reader.school(i, data)
            if school is not None:
                yield school
    raise_problems(roster, reader.problems, reader.problem_count)


def raise_problems(
    roster: LinesRoster, problems: list[LineProblem], count: int, first_line: int | None = None
) -> None:
    """Raise :class:`RosterError` for ``problems`` (if any), in line order."""
    if not count:
        return
    base = roster.schools_line if first_line is None else first_line
    ordered = sorted(problems, key=lambda p: p.line)[:MAX_PROBLEMS]
    out = [p.problem(base, roster.source) for p in ordered]
    if count > len(out):
        more = count - len(out)
        out.append(
            Problem(
                "…",
                _text(f"另有{more}处错误未列出", f"{more} more problem(s) not listed"),
                roster.source,
            )
        )
    raise RosterError(out, roster.source)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_lines(path: str | PathLike[str]) -> Roster:
    """Read a whole JSON Lines roster into a :class:`Roster` (the ``.jsonl`` reader)."""
    st = Structurer()
    roster = open_lines(path, structurer=st)
    schools = list(read_schools(roster, structurer=st))
    return Roster(schools=schools, companies=roster.companies)
