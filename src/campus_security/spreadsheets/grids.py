"""Reading a spreadsheet file into grids of cell values, one per sheet."""

from __future__ import annotations

import csv
import importlib
import io
from pathlib import Path
from typing import Any

import attrs

from ..errors import Problem, RosterError, unreadable_file
from ..model import Text
from .limits import (
    MAX_CELL_CHARS,
    MAX_UNCOMPRESSED_BYTES,
    Inspection,
    _col_letter,
    check_grid_size,
    check_workbook,
)

__all__ = ["IMPORT_SUFFIXES", "read_grids"]

IMPORT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
"""File suffixes :func:`~campus_security.formats.census.import_census` reads."""

# --- reading: grids ----------------------------------------------------------------------------

Cell = Any
"""A cell value as a reader gives it: str, float, int, bool, date, datetime or None."""


@attrs.frozen
class _Grid:
    name: str
    rows: list[list[Cell]]
    merges: tuple[tuple[int, int, int, int], ...] = ()
    hidden: bool = False
    formulas: dict[tuple[int, int], str] = attrs.field(factory=dict)
    """Cells (row, column) that hold a formula and no saved result, with the formula."""

    def get(self, r: int, c: int) -> Cell:
        if r < len(self.rows) and c < len(self.rows[r]):
            return self.rows[r][c]
        return None


def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _read_csv(path: Path) -> list[_Grid]:
    source, sheet = str(path), path.stem
    if path.stat().st_size > MAX_UNCOMPRESSED_BYTES:
        mib = MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
        raise _csv_refused(
            source,
            "$",
            f"CSV 文件超过 {mib} MiB 的上限，不予读取",
            f"the CSV file is larger than the limit of {mib} MiB; not read",
        )
    text = _decode_csv(path.read_bytes())
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Cell]] = []
    widest = 0
    try:
        for r in reader:
            while r and not r[-1]:  # empty cells after the last value carry nothing
                r.pop()
            for c, value in enumerate(r):
                if len(value) > MAX_CELL_CHARS:
                    raise _csv_too_long(source, f"{sheet}!{_col_letter(c)}{len(rows) + 1}")
            widest = max(widest, len(r))
            check_grid_size(source, sheet, len(rows) + 1 if r else 0, widest)
            rows.append([_csv_unquote(v) for v in r])
    except csv.Error as exc:
        where = f"{sheet}!{len(rows) + 1}:{len(rows) + 1}"
        if "field larger than field limit" in str(exc):
            raise _csv_too_long(source, where) from None
        raise _csv_refused(source, where, f"CSV 格式错误：{exc}", f"malformed CSV: {exc}") from None
    return [_Grid(sheet, rows)]


def _csv_refused(source: str, where: str, zh: str, en: str) -> RosterError:
    return RosterError([Problem(where, Text(zh, en), source)], source)


def _csv_too_long(source: str, where: str) -> RosterError:
    return _csv_refused(
        source,
        where,
        f"单元格超过 {MAX_CELL_CHARS:,} 个字符的上限，不予读取",
        f"the cell holds more than {MAX_CELL_CHARS:,} characters, beyond the limit; not read",
    )


_CSV_QUOTE_PREFIX = ("=", "+", "-", "@", "'", "\t", "\r")


def _csv_unquote(text: str) -> str:
    """Undo the apostrophe that export puts before text a spreadsheet would run as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in _CSV_QUOTE_PREFIX:
        return text[1:]
    return text


def _read_workbook(path: Path) -> list[_Grid]:
    # XLS has no zip to look into; its format caps a sheet at 65,536 × 256 cells, and
    # the sheet's size is checked before its cells become Python objects.
    inspection = check_workbook(path) if path.suffix.lower() != ".xls" else Inspection()
    calamine = importlib.import_module("python_calamine")
    wb = calamine.CalamineWorkbook.from_path(str(path))
    grids = []
    for meta in wb.sheets_metadata:
        sheet = wb.get_sheet_by_name(meta.name)
        end = sheet.end
        if end is not None:
            check_grid_size(str(path), meta.name, end[0] + 1, end[1] + 1)
        rows = sheet.to_python(skip_empty_area=False)
        merges = tuple(
            (a[0], a[1], b[0], b[1]) for a, b in (getattr(sheet, "merged_cell_ranges", None) or ())
        )
        hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"
        formulas = inspection.formulas.get(meta.name, {})
        grids.append(_Grid(meta.name, [list(r) for r in rows], merges, hidden, formulas))
    return grids


def read_grids(path: Path) -> list[_Grid]:
    """Every sheet of a spreadsheet (or the one of a CSV), refused beyond the limits."""
    suffix = path.suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        known = ", ".join(IMPORT_SUFFIXES)
        raise RosterError(
            [
                Problem(
                    "$",
                    Text(
                        f"不支持的表格类型 {suffix!r}（支持：{known}）",
                        f"unsupported spreadsheet type {suffix!r} (supported: {known})",
                    ),
                    str(path),
                )
            ],
            str(path),
        )
    try:
        if suffix == ".csv":
            return _read_csv(path)
        return _read_workbook(path)
    except RosterError:
        raise
    except OSError as exc:
        raise unreadable_file(str(path), exc) from None
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # calamine's errors, and its panics (a BaseException)
        zh = f"无法读取表格（文件损坏或不是表格）：{exc}"
        en = f"cannot read the spreadsheet (broken, or not a spreadsheet): {exc}"
    raise RosterError([Problem("$", Text(zh, en), str(path))], str(path)) from None
