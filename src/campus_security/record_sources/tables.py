"""Reading the tables of an office's export: XLSX, XLS, ODS and CSV, by their headers.

Exports put a title or a note above the table, name their columns in Chinese (sometimes
with English beneath), and differ from office to office in order. A source describes
its table as :class:`Column` s, each with the headers it may be printed under; the
reader finds the header row (the first row of a sheet, among its first twenty, that
holds every required column), and hands back each data row as a :class:`Row` mapping
field names to cell values, with the row's number and sheet for error messages.

A sheet whose header row cannot be found is reported, not skipped in silence, unless
the sheet is empty or matches another of the layouts read at the same time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ..errors import CampusSecurityError, Problem, RosterError
from ..model import InvalidValue, Text
from ..spreadsheets import column_letter, read_grids

__all__ = [
    "TABLE_SUFFIXES",
    "Cells",
    "Column",
    "Row",
    "Table",
    "TableError",
    "cell_date",
    "cell_text",
    "column_letter",
    "read_tables",
]

TABLE_SUFFIXES = (".csv", ".ods", ".xls", ".xlsx")
"""The file types :func:`read_tables` reads."""

_HEAD_SCAN = 20
_SPACES = re.compile(r"[\s\u3000]+")


class TableError(CampusSecurityError):
    """A file that cannot be read as a table at all (its problem says why)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@attrs.frozen
class Column:
    """One column of an export: the field it fills and the headers it may carry.

    ``headers`` are compared with the printed header after removing spaces and ignoring
    case; a header cell of several lines (``身份证号码`` over ``ID number``) matches
    when any of its lines does. The first header is the Chinese name shown in messages.
    """

    field: str
    headers: tuple[str, ...]
    required: bool = True
    en: str = ""
    """The column's English name in messages (default: ``field``)."""

    @property
    def label(self) -> str:
        """The column as messages name it: ``身份证号码 (ID number)``."""
        return f"{self.headers[0]} ({self.en or self.field})"


@attrs.frozen
class Row:
    """A data row: its sheet, its number as the spreadsheet shows it, its cells by field."""

    sheet: str
    number: int
    values: Mapping[str, Any]
    columns: Mapping[str, int]
    """Field -> 0-based column index, to name a cell (``B7``)."""

    def get(self, name: str) -> Any:
        """The cell of field ``name`` (``None`` when empty or absent)."""
        return self.values.get(name)

    def where(self, name: str | None = None) -> str:
        """The row (or one of its cells) as a path: ``名单!B7`` or ``名单!row 7``."""
        if name is not None and name in self.columns:
            return f"{self.sheet}!{column_letter(self.columns[name])}{self.number}"
        return f"{self.sheet}!row {self.number}"


@attrs.frozen
class Table:
    """The rows of one layout found in a file."""

    layout: str
    rows: tuple[Row, ...]


def _norm(text: str) -> str:
    return _SPACES.sub("", text).casefold()


def cell_text(value: Any) -> str | None:
    """A cell as stripped text (``None`` when empty); whole floats lose their ``.0``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    text = str(value).strip()
    return text or None


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def cell_date(value: Any) -> dt.date:
    """A date cell: a spreadsheet date, or text written 2024-11-20, 2024/11/20, 2024年11月20日.

    Raises :class:`ValueError` with a bilingual message (``args[0]`` is a :class:`Text`).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if text is None:
        raise ValueError(Text("日期为空", "the date is empty"))
    text = text.split(" ")[0].split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        Text(
            f"不是日期：{text!r}（应写作 2024-11-20）",
            f"not a date: {text!r} (write it 2024-11-20)",
        )
    )


def _grids(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """The sheets of a table file, read as the census forms are: within their limits.

    One reader for every spreadsheet the library takes in (``campus_security.spreadsheets``),
    so a spreadsheet bomb is refused here as it is in ``import`` (issue 12).
    """
    try:
        return [(g.name, g.rows) for g in read_grids(path)]
    except RosterError as exc:
        raise TableError(exc.problems[0]) from None


def _find_header(
    rows: Sequence[Sequence[Any]], columns: Sequence[Column]
) -> tuple[int, dict[str, int]] | None:
    wanted = {c.field: {_norm(h) for h in c.headers} for c in columns}
    required = {c.field for c in columns if c.required}
    for r, row in enumerate(rows[:_HEAD_SCAN]):
        found: dict[str, int] = {}
        for i, cell in enumerate(row):
            text = cell_text(cell)
            if text is None:
                continue
            lines = {_norm(line) for line in text.splitlines() if line.strip()} | {_norm(text)}
            for name, heads in wanted.items():
                if name not in found and lines & heads:
                    found[name] = i
                    break
        if required <= set(found):
            return r, found
    return None


def read_tables(
    path: str | Path,
    layouts: Mapping[str, Sequence[Column]],
    *,
    skip_row: Callable[[Row], bool] | None = None,
) -> tuple[list[Table], list[Problem]]:
    """Every table of the layouts found in the file at ``path``, and the problems.

    Each sheet is matched against each layout (``name -> columns``) in turn; its rows
    below the header become :class:`Row` s of the first layout it matches. Wholly empty
    rows are skipped, and so are rows for which ``skip_row`` says so (an example row).
    A sheet with data that matches no layout is a problem naming the sheet and the
    headers it lacks. A file that cannot be opened raises :class:`TableError`.
    """
    p = Path(path)
    source = str(p)
    if p.suffix.lower() not in TABLE_SUFFIXES:
        known = ", ".join(TABLE_SUFFIXES)
        raise TableError(
            Problem(
                "$",
                Text(
                    f"不支持的文件类型 {p.suffix!r}（支持：{known}）",
                    f"unsupported file type {p.suffix!r} (supported: {known})",
                ),
                source,
            )
        )
    try:
        grids = _grids(p)
    except TableError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise TableError(
            Problem("$", Text(f"无法读取文件：{reason}", f"cannot read the file: {reason}"), source)
        ) from None
    except Exception as exc:  # calamine raises its own errors for broken files
        raise TableError(
            Problem(
                "$",
                Text(
                    f"无法读取表格（文件损坏或不是表格）：{exc}",
                    f"cannot read the spreadsheet (broken, or not a spreadsheet): {exc}",
                ),
                source,
            )
        ) from None
    tables: dict[str, list[Row]] = {name: [] for name in layouts}
    problems: list[Problem] = []
    for sheet, rows in grids:
        if not any(cell_text(c) for row in rows for c in row):
            continue
        match = None
        for name, columns in layouts.items():
            found = _find_header(rows, columns)
            if found is not None:
                match = name, columns, found
                break
        if match is None:
            problems.append(_no_header(sheet, layouts, source))
            continue
        name, columns, (head, index) = match
        for r in range(head + 1, len(rows)):
            cells = rows[r]
            values = {
                f: (cells[i] if i < len(cells) and cell_text(cells[i]) is not None else None)
                for f, i in index.items()
            }
            if all(v is None for v in values.values()):
                continue
            row = Row(sheet, r + 1, values, index)
            if skip_row is not None and skip_row(row):
                continue
            tables[name].append(row)
    return [Table(name, tuple(rows)) for name, rows in tables.items() if rows], problems


def _no_header(sheet: str, layouts: Mapping[str, Iterable[Column]], source: str) -> Problem:
    wanted = "；".join(
        "、".join(c.headers[0] for c in cols if c.required) for cols in layouts.values()
    )
    wanted_en = "; ".join(
        ", ".join(c.en or c.field for c in cols if c.required) for cols in layouts.values()
    )
    return Problem(
        f"{sheet}!row 1",
        Text(
            f"前{_HEAD_SCAN}行中找不到表头（应有：{wanted}）",
            f"no header row in the first {_HEAD_SCAN} rows (expected columns: {wanted_en})",
        ),
        source,
    )


T = TypeVar("T")


@attrs.define
class Cells:
    """The fields of one row, parsed with their problems reported (file, cell, column).

    Each getter returns the parsed value, or ``None`` after adding a problem that
    names the file, the cell (``保安员!C7``), the column in both languages and what is
    wrong. :attr:`ok` says whether the row had no problem, so that a source keeps a
    record only when every field of it was read::

        cells = Cells(row, COLUMNS, location)
        number = cells.text("certificate_number")
        on = cells.date("issued_on", required=False)
        if cells.ok:
            records.append(...)
        problems.extend(cells.problems)
    """

    row: Row
    columns: Sequence[Column]
    source: str
    problems: list[Problem] = attrs.Factory(list)

    @property
    def ok(self) -> bool:
        """Whether no field of the row had a problem."""
        return not self.problems

    def _column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def problem(self, name: str, zh: str, en: str) -> None:
        """Report a problem with field ``name`` of this row."""
        col = self._column(name)
        self.problems.append(
            Problem(
                self.row.where(name),
                Text(f"{col.headers[0]}：{zh}", f"{col.en or col.field}: {en}"),
                self.source,
            )
        )

    def text(self, name: str, *, required: bool = True) -> str | None:
        """The cell as text; a required empty cell is a problem."""
        value = cell_text(self.row.get(name))
        if value is None and required:
            self.problem(name, "不能为空", "must not be empty")
        return value

    def value(self, name: str, parse: Callable[[str], T], *, required: bool = True) -> T | None:
        """The cell's text parsed by ``parse`` (which raises :class:`InvalidValue`)."""
        text = self.text(name, required=required)
        if text is None:
            return None
        try:
            return parse(text)
        except InvalidValue as exc:
            self.problem(name, exc.message.zh, exc.message.en)
        except ValueError as exc:
            msg = exc.args[0] if exc.args and isinstance(exc.args[0], Text) else None
            self.problem(
                name,
                msg.zh if msg else f"无效取值：{text!r}",
                msg.en if msg else f"invalid value: {text!r}",
            )
        return None

    def date(self, name: str, *, required: bool = True) -> dt.date | None:
        """The cell as a date (a spreadsheet date, or text 2024-11-20, 2024年11月20日...)."""
        raw = self.row.get(name)
        if raw is None:
            if required:
                self.problem(name, "不能为空", "must not be empty")
            return None
        try:
            return cell_date(raw)
        except ValueError as exc:
            msg = exc.args[0]
            self.problem(name, msg.zh, msg.en)
            return None

    def choice(self, name: str, choices: Mapping[str, T], *, required: bool = True) -> T | None:
        """The cell looked up in ``choices`` (keys compared without spaces, ignoring case)."""
        text = self.text(name, required=required)
        if text is None:
            return None
        table = {_norm(k): v for k, v in choices.items()}
        hit = table.get(_norm(text))
        if hit is None:
            allowed = "、".join(choices)
            self.problem(
                name,
                f"无效取值 {text!r}，可选：{allowed}",
                f"invalid value {text!r}, expected one of: {', '.join(choices)}",
            )
        return hit
