"""Reading a spreadsheet file into grids of cell values, one per sheet."""

from __future__ import annotations

import csv
import importlib
import io
from pathlib import Path
from typing import Any

import attrs

from ...errors import Problem, RosterError, unreadable_file
from ...model import Text

__all__ = ["IMPORT_SUFFIXES"]

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
    text = _decode_csv(path.read_bytes())
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows = [
        [_csv_unquote(v) for v in r]
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    return [_Grid(path.stem, rows)]


_CSV_QUOTE_PREFIX = ("=", "+", "-", "@", "'", "\t", "\r")


def _csv_unquote(text: str) -> str:
    """Undo the apostrophe that export puts before text a spreadsheet would run as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in _CSV_QUOTE_PREFIX:
        return text[1:]
    return text


def _read_workbook(path: Path) -> list[_Grid]:
    calamine = importlib.import_module("python_calamine")
    wb = calamine.CalamineWorkbook.from_path(str(path))
    grids = []
    for meta in wb.sheets_metadata:
        sheet = wb.get_sheet_by_name(meta.name)
        rows = sheet.to_python(skip_empty_area=False)
        merges = tuple(
            (a[0], a[1], b[0], b[1]) for a, b in (getattr(sheet, "merged_cell_ranges", None) or ())
        )
        hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"
        grids.append(_Grid(meta.name, [list(r) for r in rows], merges, hidden))
    return grids


def _read_grids(path: Path) -> list[_Grid]:
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
    except OSError as exc:
        raise unreadable_file(str(path), exc) from None
    except Exception as exc:  # calamine raises its own errors for broken files
        zh = f"无法读取表格（文件损坏或不是表格）：{exc}"
        en = f"cannot read the spreadsheet (broken, or not a spreadsheet): {exc}"
    raise RosterError([Problem("$", Text(zh, en), str(path))], str(path)) from None
